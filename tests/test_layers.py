"""The rooms import one way and no cycle exists, ``TYPE_CHECKING`` imports included; importing
the light parts (the pytest plugin, the state) loads nothing heavy.

The graph is read from the source (``ast``): every import at module level, inside functions and
under ``TYPE_CHECKING`` is an edge. docs/architecture.md draws the same order.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
#: Source folder -> import name (pyproject.toml's package-dir).
FOLDERS = {"mock_server": "wolkvox_mock", "contracts": "wolkvox_mock.contracts"}

#: Rank of each room: a module may import modules of its own rank or lower, never higher.
RANKS = {
    "wolkvox_mock.contracts._lazy": 0,
    "wolkvox_mock.contracts.catalogue": 0,
    "wolkvox_mock.contracts.protocol": 0,
    "wolkvox_mock.contracts.errors": 1,
    "wolkvox_mock.contracts.schemas": 2,
    "wolkvox_mock.contracts.strategies": 2,
    "wolkvox_mock.contracts.campaign_strategies": 2,
    "wolkvox_mock.contracts.report_strategies": 2,
    "wolkvox_mock.contracts.client": 2,
    "wolkvox_mock.contracts.conformance": 3,
    "wolkvox_mock.contracts.openapi": 3,
    "wolkvox_mock.settings": 10,
    "wolkvox_mock.state": 11,
    "wolkvox_mock.faults": 12,
    "wolkvox_mock.handlers": 13,
    # Below the fake, beside the handlers (it uses state and faults, never the handlers).
    "wolkvox_mock.store": 13,
    "wolkvox_mock.fake_core": 14,
    "wolkvox_mock.fake_entities": 14,
    "wolkvox_mock.fake_schedule": 14,
    "wolkvox_mock.fake": 14,
    "wolkvox_mock.pipeline": 15,
    "wolkvox_mock.control": 16,
    "wolkvox_mock.app": 17,
    "wolkvox_mock.server": 18,
    "wolkvox_mock.http_protocol": 18,
    "wolkvox_mock.access_log": 18,
    "wolkvox_mock.testing": 19,
    "wolkvox_mock.serving": 19,
    "wolkvox_mock.workers": 19,
    "wolkvox_mock.pytest_plugin": 20,
    "wolkvox_mock.cli": 20,
    "wolkvox_mock.__main__": 21,
}
#: The two public façades: lazy re-exports of every room, imported by no module of ours.
FACADES = {"wolkvox_mock", "wolkvox_mock.contracts"}


def modules() -> dict[str, Path]:
    found = {}
    for folder, package in FOLDERS.items():
        for path in (ROOT / folder).rglob("*.py"):
            parts = path.relative_to(ROOT / folder).with_suffix("").parts
            name = ".".join((package, *parts)).removesuffix(".__init__")
            found[name] = path
    return found


MODULES = modules()


def resolve(name: str) -> str | None:
    """The module of ours an imported name lives in (``a.b.C`` -> ``a.b``), or None."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def imported(module: str, node: ast.Import | ast.ImportFrom) -> Iterator[str]:
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        assert node.level == 0, f"{module}: relative import (write the absolute name)"
        base = node.module or ""
        names = [f"{base}.{alias.name}" for alias in node.names]
    for name in names:
        target = resolve(name)
        if target and target != module:
            yield target


def edges() -> set[tuple[str, str]]:
    found = set()
    for module, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import | ast.ImportFrom):
                found.update((module, target) for target in imported(module, node))
    return found


def rank(module: str) -> int:
    room = max((r for r in RANKS if module == r or module.startswith(r + ".")), key=len, default=None)
    assert room is not None, f"{module} belongs to no room: add it to RANKS in {__file__}"
    return RANKS[room]


EDGES = edges()


def test_every_module_belongs_to_a_room() -> None:
    for module in MODULES.keys() - FACADES:
        rank(module)


def test_no_import_cycle_type_checking_included() -> None:
    graph: dict[str, set[str]] = {module: set() for module in MODULES}
    for source, target in EDGES:
        if source not in FACADES:
            graph[source].add(target)
    try:
        TopologicalSorter(graph).prepare()
    except CycleError as exc:
        pytest.fail("import cycle: " + " -> ".join(reversed(exc.args[1])), pytrace=False)


def test_imports_flow_one_way() -> None:
    upward = sorted(
        f"{source} (rank {rank(source)}) imports {target} (rank {rank(target)})"
        for source, target in EDGES
        if source not in FACADES and (target in FACADES or rank(target) > rank(source))
    )
    assert upward == [], "imports against the order of the rooms (docs/architecture.md):\n" + "\n".join(
        upward
    )


def test_the_contracts_never_import_the_fake() -> None:
    assert not [
        (s, t)
        for s, t in EDGES
        if s.startswith("wolkvox_mock.contracts") and not t.startswith("wolkvox_mock.contracts")
    ]


def loaded_after(statement: str) -> set[str]:
    code = f"import sys; before = set(sys.modules); {statement}; print(' '.join(set(sys.modules) - before))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return {name.split(".")[0] for name in out.stdout.split()}


HEAVY = {"starlette", "uvicorn", "httpx", "respx", "anyio", "hypothesis", "jsonschema", "yaml", "click"}


def test_the_pytest_plugin_loads_nothing_heavy_until_a_fixture_is_used() -> None:
    assert loaded_after("import pytest; import wolkvox_mock.pytest_plugin") & HEAVY == set()


def test_the_state_is_pure_python() -> None:
    assert (
        loaded_after("import wolkvox_mock.state, wolkvox_mock.state.gate, wolkvox_mock.state.clock")
        & (HEAVY - {"yaml", "jsonschema"})
        == set()
    )


def test_the_catalogue_does_not_load_the_client() -> None:
    assert loaded_after("import wolkvox_mock.contracts.catalogue") & {"httpx", "anyio", "starlette"} == set()
