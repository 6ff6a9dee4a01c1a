"""What installing wolkvox-mock costs a pytest run that never touches Wolkvox.

Three environments, built once under ``build/bench-venvs`` (from the package registry and this
checkout, not editable):

- ``with``: ``pip install .`` (the plain install: fixtures, server, client);
- ``without``: the same dependencies, with only our distribution uninstalled (their own pytest
  plugins, such as anyio's and respx's, stay: they are not ours to remove);
- ``pytest``: pytest alone.

Each runs the same trivial suite of 20 tests five times; the median wall time is the figure.
``python -m bench.plugin_startup [--append RESULTS.md] [--runs 5]``.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

__all__ = ["main", "measure"]

ROOT = Path(__file__).resolve().parent.parent
VENVS = ROOT / "build" / "bench-venvs"
SUITE = "\n\n".join(f"def test_{n}():\n    assert {n} + 1 == {n + 1}" for n in range(20)) + "\n"
IMPORT_PLUGIN = (
    "import time, pytest; t = time.perf_counter(); import wolkvox_mock.pytest_plugin; "
    "print(time.perf_counter() - t)"
)


def _venv(name: str, *install: str, uninstall: str = "") -> Path:
    python = VENVS / name / "bin" / "python"
    stamp = VENVS / name / ".ready"
    if not stamp.exists():
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(VENVS / name)], check=True)
        pip = [str(python), "-m", "pip", "install", "--quiet"]
        subprocess.run([*pip, *install], check=True, cwd=ROOT)
        if uninstall:
            subprocess.run([str(python), "-m", "pip", "uninstall", "--quiet", "-y", uninstall], check=True)
        stamp.touch()
    return python


def _run_once(python: Path, suite: Path) -> float:
    started = time.perf_counter()
    subprocess.run(
        [str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", str(suite)],
        check=True,
        capture_output=True,
        cwd=suite.parent,
    )
    return time.perf_counter() - started


def _medians(pythons: dict[str, Path], suite: Path, runs: int) -> dict[str, float]:
    # Rounds alternate the environments, so that a busy moment of the machine weighs on all alike.
    times: dict[str, list[float]] = {name: [] for name in pythons}
    for _ in range(runs):
        for name, python in pythons.items():
            times[name].append(_run_once(python, suite))
    return {name: statistics.median(values) for name, values in times.items()}


def measure(runs: int = 5) -> dict[str, float]:
    """Median seconds of the trivial suite in each environment, and the plugin's import time."""
    with_ours = _venv("with", ".", "pytest")
    without = _venv("without", ".", "pytest", uninstall="wolkvox-mock")
    bare = _venv("pytest", "pytest")
    # Outside this checkout, so that no conftest.py of ours is picked up.
    suite = Path(tempfile.mkdtemp(prefix="wolkvox-startup-")) / "test_trivial.py"
    suite.write_text(SUITE)
    figures = _medians({"with": with_ours, "without": without, "pytest": bare}, suite, runs)
    imports = [
        float(
            subprocess.run(
                [str(with_ours), "-c", IMPORT_PLUGIN],
                capture_output=True,
                text=True,
                check=True,
                cwd=suite.parent,
            ).stdout
        )
        for _ in range(runs)
    ]
    figures["plugin_import"] = statistics.median(imports)
    return figures


def render(figures: dict[str, float], runs: int) -> str:
    """The markdown section for bench/RESULTS.md."""
    ratio = figures["with"] / figures["without"]
    to_pytest = figures["with"] / figures["pytest"]
    return "\n".join(
        [
            "## Plugin start-up (a trivial 20-test suite that never uses Wolkvox)",
            "",
            f"Median of {runs} runs of `pytest -q` in three environments (`python -m bench.plugin_startup`).",
            "",
            "| environment | seconds |",
            "|---|---:|",
            f"| wolkvox-mock installed (plain) | {figures['with']:.3f} |",
            f"| the same, our distribution removed (its dependencies kept) | {figures['without']:.3f} |",
            f"| pytest alone | {figures['pytest']:.3f} |",
            "",
            f"- with / without: **{ratio:.2f}** (goal: within 1.10)",
            f"- with / pytest alone: **{to_pytest:.2f}** (goal: within 3; the dependencies' own plugins)",
            f"- `import wolkvox_mock.pytest_plugin` (pytest already loaded): "
            f"**{figures['plugin_import'] * 1000:.1f} ms** (goal: under 30 ms)",
            "",
        ]
    )


def main(argv: list[str] | None = None) -> None:
    """Measure, print the section, and append it to ``--append`` when given."""
    parser = argparse.ArgumentParser(prog="python -m bench.plugin_startup")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--append", type=Path, help="a report to append the section to")
    args = parser.parse_args(argv)
    section = render(measure(args.runs), args.runs)
    print(section)
    if args.append:
        with args.append.open("a") as report:
            report.write("\n" + section)


if __name__ == "__main__":
    main()
