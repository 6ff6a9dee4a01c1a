"""The documentation stays true: quoted examples are real tests, the README stays short, and no
file cites a document outside the repository.

Reads files only (and runs ``git grep``); it does not import the package.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
EXAMPLES = ROOT / "tests" / "examples"
PYTEST_PAGE = ROOT / "docs" / "pytest.md"
README_MAX_LINES = 200
# Built from parts, so this file does not match them itself.
FORBIDDEN = ("../" + "shared", "design" + " §", "spec" + " §")
SNIPPET = "--8<--"


def python_blocks(markdown: str) -> list[str]:
    return re.findall(r"^```python\n(.*?)^```", markdown, re.DOTALL | re.MULTILINE)


def example_lines() -> set[str]:
    return {line.strip() for path in EXAMPLES.glob("*.py") for line in path.read_text("utf-8").splitlines()}


def lines_not_in_examples(blocks: list[str]) -> list[str]:
    """Lines of the python blocks that no example file has (``...`` stands for elided lines;
    a snippet include must name an existing file)."""
    known = example_lines()
    missing = []
    for line in (line.strip() for block in blocks for line in block.splitlines()):
        if not line or line == "...":
            continue
        if line.startswith(SNIPPET):
            target = line.removeprefix(SNIPPET).strip().strip("\"'").split(":", 1)[0]
            if not (ROOT / target).is_file():
                missing.append(line)
            continue
        if line not in known:
            missing.append(line)
    return missing


def section(markdown: str, heading: str) -> str:
    """The text under the first heading (any level) whose title contains ``heading``, up to the
    next heading of the same or a higher level."""
    match = re.search(rf"^(#+) [^\n]*{re.escape(heading)}[^\n]*\n", markdown, re.MULTILINE)
    assert match, f"no heading with {heading!r}"
    level = len(match.group(1))
    rest = markdown[match.end() :]
    end = re.search(rf"^#{{1,{level}}} ", rest, re.MULTILINE)
    return rest[: end.start()] if end else rest


def test_the_pytest_page_quotes_real_tests() -> None:
    blocks = python_blocks(PYTEST_PAGE.read_text("utf-8"))
    assert blocks, "docs/pytest.md quotes no python"
    assert lines_not_in_examples(blocks) == []


def test_the_readme_fixture_example_is_a_real_test() -> None:
    blocks = python_blocks(section(README.read_text("utf-8"), "pytest fixtures"))
    assert blocks, "the README's pytest fixtures section quotes no python"
    assert lines_not_in_examples(blocks) == []


def test_a_line_that_is_not_in_the_examples_is_reported() -> None:
    assert lines_not_in_examples(["def test_that_does_not_exist(wolkvox):\n    ...\n"]) == [
        "def test_that_does_not_exist(wolkvox):"
    ]


def test_the_readme_is_short() -> None:
    lines = README.read_text("utf-8").splitlines()
    assert len(lines) < README_MAX_LINES, f"README.md has {len(lines)} lines; move detail to docs/"


def test_the_readme_keeps_the_quick_start() -> None:
    quick_start = section(README.read_text("utf-8"), "Quick start")
    assert "make serve" in quick_start
    assert "make test" in quick_start


def test_no_file_cites_a_document_outside_the_repository() -> None:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    patterns = [arg for text in FORBIDDEN for arg in ("-e", text)]
    found = subprocess.run(
        ["git", "grep", "-n", "-I", "-F", *patterns],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert found.returncode in (0, 1), found.stderr
    assert found.stdout == "", (
        "cite public sources (docs/wolkvox-api.md), not documents outside the repository:\n" + found.stdout
    )
