"""The wheel other teams install carries every module, the catalogue data and the plugin."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]


@pytest.fixture(scope="module")
def wheel_names(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    out = tmp_path_factory.mktemp("wheel")
    # Build from a copy: setuptools writes build/ and *.egg-info next to the sources, and two
    # xdist workers building the same tree at once trip over each other.
    source = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    for package in ("contracts", "mock_server"):
        shutil.copytree(ROOT / package, source / package, ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(out),
            str(source),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = out.glob("wolkvox_mock-*.whl")
    return set(zipfile.ZipFile(wheel).namelist())


@pytest.mark.parametrize("package", ["contracts", "mock_server"])
def test_every_module_and_data_file_is_in_the_wheel(wheel_names: set[str], package: str) -> None:
    wanted = {
        path.relative_to(ROOT).as_posix()
        for pattern in ("**/*.py", "**/*.yaml", "py.typed")
        for path in (ROOT / package).glob(pattern)
        if "__pycache__" not in path.parts
    }
    assert wanted, package
    assert wanted - wheel_names == set()


def test_the_wheel_registers_the_plugin_and_the_command(wheel_names: set[str]) -> None:
    (entry_points,) = [n for n in wheel_names if n.endswith("entry_points.txt")]
    assert entry_points
