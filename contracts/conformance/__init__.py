"""Conformance checks: hold any target (a fake, or real Wolkvox) to the contract.

``run_checks(Target(url, server, token))`` sends raw requests and compares every answer with
the catalogue: statuses, texts, the type of ``code``, the envelope, the token gate. Each
finding is tagged with whose fact it is (D documented, C client code, I ours); only D and C
deviations fail, unless ``strict``. ``operations="all"`` probes every catalogued operation
(read-only); with ``allow_writes`` the writes the check can undo are made and undone.
``wolkvox-mock check`` is the command-line face of it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from wolkvox_mock.contracts._lazy import lazy_exports

if TYPE_CHECKING:
    from wolkvox_mock.contracts.conformance.base import Check, CheckContext, Holder
    from wolkvox_mock.contracts.conformance.checks import all_checks, read_only_operations
    from wolkvox_mock.contracts.conformance.operations import (
        NEVER_WRITTEN,
        operation_names,
        select_operations,
    )
    from wolkvox_mock.contracts.conformance.probe import (
        CheckResult,
        Exchange,
        Finding,
        Probe,
        Target,
        TargetUnreachable,
    )
    from wolkvox_mock.contracts.conformance.runner import Report, plan, run_checks, run_checks_sync
    from wolkvox_mock.contracts.conformance.token_gate import ControlPlaneHolder, FakeHolder, HoldsTokens
    from wolkvox_mock.contracts.conformance.writes import UNDOABLE

__all__ = [
    "NEVER_WRITTEN",
    "UNDOABLE",
    "Check",
    "CheckContext",
    "CheckResult",
    "ControlPlaneHolder",
    "Exchange",
    "FakeHolder",
    "Finding",
    "Holder",
    "HoldsTokens",
    "Probe",
    "Report",
    "Target",
    "TargetUnreachable",
    "all_checks",
    "operation_names",
    "plan",
    "read_only_operations",
    "run_checks",
    "run_checks_sync",
    "select_operations",
]

# Importing the package loads nothing heavy: each name is imported on first use.
__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "Check": "wolkvox_mock.contracts.conformance.base",
        "CheckContext": "wolkvox_mock.contracts.conformance.base",
        "CheckResult": "wolkvox_mock.contracts.conformance.probe",
        "ControlPlaneHolder": "wolkvox_mock.contracts.conformance.token_gate",
        "Exchange": "wolkvox_mock.contracts.conformance.probe",
        "FakeHolder": "wolkvox_mock.contracts.conformance.token_gate",
        "Finding": "wolkvox_mock.contracts.conformance.probe",
        "Holder": "wolkvox_mock.contracts.conformance.base",
        "HoldsTokens": "wolkvox_mock.contracts.conformance.token_gate",
        "NEVER_WRITTEN": "wolkvox_mock.contracts.conformance.operations",
        "Probe": "wolkvox_mock.contracts.conformance.probe",
        "Report": "wolkvox_mock.contracts.conformance.runner",
        "Target": "wolkvox_mock.contracts.conformance.probe",
        "TargetUnreachable": "wolkvox_mock.contracts.conformance.probe",
        "UNDOABLE": "wolkvox_mock.contracts.conformance.writes",
        "all_checks": "wolkvox_mock.contracts.conformance.checks",
        "operation_names": "wolkvox_mock.contracts.conformance.operations",
        "plan": "wolkvox_mock.contracts.conformance.runner",
        "read_only_operations": "wolkvox_mock.contracts.conformance.checks",
        "run_checks": "wolkvox_mock.contracts.conformance.runner",
        "run_checks_sync": "wolkvox_mock.contracts.conformance.runner",
        "select_operations": "wolkvox_mock.contracts.conformance.operations",
    },
)
