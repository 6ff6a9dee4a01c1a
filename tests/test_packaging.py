"""The wheel other teams install carries every module, the catalogue data and the plugin, all under
one import name, ``wolkvox_mock``, and nothing else at the top level."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
#: Each source folder and where its files land in the wheel.
FOLDERS = {"mock_server": "wolkvox_mock", "contracts": "wolkvox_mock/contracts"}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    # Build from a copy: setuptools writes build/ and *.egg-info next to the sources, and two
    # xdist workers building the same tree at once trip over each other.
    source = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    for folder in FOLDERS:
        shutil.copytree(ROOT / folder, source / folder, ignore=shutil.ignore_patterns("__pycache__"))
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
    (built,) = out.glob("wolkvox_mock-*.whl")
    return built


@pytest.fixture(scope="module")
def wheel_names(wheel: Path) -> set[str]:
    return set(zipfile.ZipFile(wheel).namelist())


@pytest.mark.parametrize("folder", sorted(FOLDERS))
def test_every_module_and_data_file_is_in_the_wheel(wheel_names: set[str], folder: str) -> None:
    wanted = {
        f"{FOLDERS[folder]}/{path.relative_to(ROOT / folder).as_posix()}"
        for pattern in ("**/*.py", "**/*.yaml", "py.typed", "**/*.html", "**/*.js", "**/*.css")
        for path in (ROOT / folder).glob(pattern)
        if "__pycache__" not in path.parts
    }
    assert wanted, folder
    assert wanted - wheel_names == set()


def test_the_wheel_installs_wolkvox_mock_and_nothing_else(wheel_names: set[str]) -> None:
    top = {name.split("/")[0] for name in wheel_names}
    (dist_info,) = [name for name in top if name.endswith(".dist-info")]
    assert top - {dist_info} == {"wolkvox_mock"}


def test_the_wheel_registers_the_plugin_and_the_command(wheel: Path, wheel_names: set[str]) -> None:
    (entry_points,) = [n for n in wheel_names if n.endswith("entry_points.txt")]
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "wolkvox_mock = wolkvox_mock.pytest_plugin" in text
    assert "wolkvox-mock = wolkvox_mock.cli:main" in text
