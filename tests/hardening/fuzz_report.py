"""A pytest plugin that counts the fuzz cases of ``tests/hardening`` and prints the figures at
the end of the run, also under xdist (``make test`` runs ``-n 2``).

The root ``conftest.py`` registers it (``pytest_plugins``): under xdist the controller never
collects ``tests/hardening``, so a hook in that folder's conftest would not run where the
terminal summary is written. Workers send their tallies to the controller through
``workeroutput``; the controller adds them up.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pytest

__all__ = ["FUZZ", "record"]

#: kind of case ("app", "live-http", "live-raw", ...) -> cases tried; plus status classes.
FUZZ: Counter[str] = Counter()
_KEY = "wolkvox_fuzz"


def record(kind: str, status: int | None) -> None:
    """Count one fuzz case of ``kind`` and the class of its answer (None: no answer)."""
    FUZZ[f"cases:{kind}"] += 1
    FUZZ["cases"] += 1
    label = "none" if status is None else f"{status // 100}xx"
    FUZZ[f"status:{label}"] += 1
    if status is not None and status >= 500:
        FUZZ["5xx"] += 1


def pytest_sessionfinish(session: pytest.Session) -> None:
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput[_KEY] = json.dumps(dict(FUZZ))


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    raw = getattr(node, "workeroutput", {}).get(_KEY)
    if raw:
        FUZZ.update(json.loads(raw))


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not FUZZ["cases"]:
        return
    kinds = sorted(k.split(":", 1)[1] for k in FUZZ if k.startswith("cases:"))
    statuses = sorted(k.split(":", 1)[1] for k in FUZZ if k.startswith("status:"))
    terminalreporter.section("wolkvox-mock fuzz")
    terminalreporter.write_line(
        f"fuzz cases tried: {FUZZ['cases']}  (" + ", ".join(f"{k} {FUZZ['cases:' + k]}" for k in kinds) + ")"
    )
    terminalreporter.write_line(
        "answers: " + ", ".join(f"{s} {FUZZ['status:' + s]}" for s in statuses) + f"; 5xx seen: {FUZZ['5xx']}"
    )
