"""The public surface stays small and explicit: every module's ``__all__`` is sorted and
names only what the module has; the packages re-export what users need."""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

import pytest

import wolkvox_mock
import wolkvox_mock.contracts


def _modules() -> list[ModuleType]:
    found = []
    for package in (wolkvox_mock.contracts, wolkvox_mock):
        found.append(package)
        for info in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
            if info.name.endswith("__main__"):
                continue  # running it is the command line
            found.append(importlib.import_module(info.name))
    return found


@pytest.mark.parametrize("module", _modules(), ids=lambda m: m.__name__)
def test_all_is_sorted_and_names_only_what_exists(module: ModuleType) -> None:
    names = getattr(module, "__all__", None)
    if names is None:
        assert module.__name__.rsplit(".", 1)[-1].startswith("_") or module.__name__.endswith(
            ("pytest_plugin", "__main__")
        ), f"{module.__name__} has no __all__"
        return
    assert list(names) == sorted(names, key=lambda n: (not n.isupper(), not n[:1].isupper(), n)), (
        module.__name__
    )
    assert len(set(names)) == len(names)
    missing = [n for n in names if not hasattr(module, n)]
    assert missing == []


@pytest.mark.parametrize(
    "name",
    [
        "WolkvoxClient",
        "AsyncWolkvoxClient",
        "WolkvoxError",
        "WolkvoxAPIError",
        "TokenBusyError",
        "load_catalogue",
    ],
)
def test_contracts_exports_the_client_and_errors(name: str) -> None:
    assert name in wolkvox_mock.contracts.__all__


def test_contracts_never_imports_the_fake() -> None:
    import subprocess
    import sys

    code = "import sys, wolkvox_mock.contracts, wolkvox_mock.contracts.client.clients, wolkvox_mock.contracts.strategies, wolkvox_mock.contracts.schemas, wolkvox_mock.contracts.conformance; print(sorted(m for m in sys.modules if m.startswith('wolkvox_mock.') and not m.startswith('wolkvox_mock.contracts')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
