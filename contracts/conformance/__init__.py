"""Conformance checks: hold any target (a fake, or real Wolkvox) to the contract.

``run_checks(Target(url, server, token))`` sends raw requests and compares every answer with
the catalogue: statuses, texts, the type of ``code``, the envelope, the token gate. Each
finding is tagged with whose fact it is (D documented, C client code, I ours); only D and C
deviations fail, unless ``strict``. ``operations="all"`` probes every catalogued operation
(read-only); with ``allow_writes`` the writes the check can undo are made and undone.
``wolkvox-mock check`` is the command-line face of it.
"""

from contracts.conformance.base import Check, Context
from contracts.conformance.checks import all_checks, read_only_operations
from contracts.conformance.gate import ControlPlaneHolder, FakeHolder, Holder, HoldsTokens
from contracts.conformance.operations import NEVER_WRITTEN, operation_names, select_operations
from contracts.conformance.probe import CheckResult, Exchange, Finding, Probe, Target, TargetUnreachable
from contracts.conformance.runner import Report, plan, run_checks, run_checks_sync
from contracts.conformance.writes import UNDOABLE

__all__ = [
    "NEVER_WRITTEN",
    "UNDOABLE",
    "Check",
    "CheckResult",
    "Context",
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
