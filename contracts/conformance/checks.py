"""The contract checks, built from the catalogue, and the order they run in.

Read-only by default: refusals are provoked with calls that write nothing (no token, a wrong
token, an unknown ``api``, an empty body), and successes are read from GET operations that
take no input (token_info, routing_points). ``operations`` chooses which operations get the
per-operation probe (default: add_interaction, the original set; ``"all"``: every one). Only
with ``allow_writes`` are writes sent: one add_interaction to the routing point the user
named, and the write sequences the check undoes itself (``writes.UNDOABLE``) of the chosen
operations. Every other write operation is listed as not checked, with the reason.
"""

from __future__ import annotations

from typing import Any

from wolkvox_mock.contracts.catalogue import Catalogue, OperationSpec, load_catalogue
from wolkvox_mock.contracts.conformance.base import Check, CheckContext, skip_check
from wolkvox_mock.contracts.conformance.operations import (
    NEVER_WRITTEN,
    NOT_PROBED_READS,
    Selection,
    required_check,
    select_operations,
)
from wolkvox_mock.contracts.conformance.probe import CheckResult, Finding, refusal_findings, success_findings
from wolkvox_mock.contracts.conformance.reads import read_checks
from wolkvox_mock.contracts.conformance.reports import report_checks
from wolkvox_mock.contracts.conformance.token_gate import SUMMARY as GATE_SUMMARY
from wolkvox_mock.contracts.conformance.token_gate import check_token_gate
from wolkvox_mock.contracts.conformance.writes import write_checks

__all__ = ["Check", "CheckContext", "all_checks", "read_only_operations"]

# A token of no operation: the hex of "wolkvox-mock-conformance-00000000000000", shaped like
# a real one so that only its validity differs.
INVALID_TOKEN = b"wolkvox-mock-conformance-00000000000000".hex()
UNKNOWN_API = "wolkvox_mock_conformance_no_such_api"
WRITE_PAYLOAD = {
    "from": "wolkvox-mock-check@example.invalid",
    "fromname": "wolkvox-mock check",
    "to": "wolkvox-mock conformance check",
    "subject": "wolkvox-mock conformance check",
    "body": "Sent by `wolkvox-mock check --allow-writes` to verify the API contract. Safe to close.",
}


def _refusal_check(
    name: str,
    error_key: str,
    summary: str,
    *,
    api: str = "add_interaction",
    method: str = "POST",
    token: str | None = "",
    token_header: str = "wolkvox-token",
    body: Any = None,
) -> Check:
    async def run(ctx: CheckContext) -> CheckResult:
        exchange = await ctx.probe.send(api, method=method, token=token, token_header=token_header, body=body)
        return CheckResult(name, summary, refusal_findings(exchange, load_catalogue().error(error_key)))

    return Check(name, summary, "1", run, uses_token=token == "")


def read_only_operations(catalogue: Catalogue | None = None) -> list[OperationSpec]:
    """Operations that only read: GET, no body, no required query parameter."""
    catalogue = catalogue or load_catalogue()
    return [
        spec
        for _, spec in sorted(catalogue.operations.items())
        if "GET" in spec.methods[:1]
        and spec.body == "none"
        and not spec.required_query
        and spec.api not in NOT_PROBED_READS
    ]


async def _gate(ctx: CheckContext) -> CheckResult:
    return await check_token_gate(ctx.probe, ctx.holder, ctx.gate_burst)


async def _write(ctx: CheckContext) -> CheckResult:
    spec = load_catalogue().operation("configuration", "add_interaction")
    assert spec is not None
    rp_id = ctx.probe.target.rp_id or ""
    summary = f'add_interaction to routing point {rp_id} -> 201, code "201" (a string)'
    exchange = await ctx.probe.send("add_interaction", body={**WRITE_PAYLOAD, "rp_id": rp_id})
    result = CheckResult("add_interaction", summary, success_findings(exchange, spec))
    body = exchange.body if isinstance(exchange.body, dict) else {}
    named = str(body.get("msg", "")).startswith(f"{rp_id} routing point")
    result.findings.append(
        _finding(
            "routing point in msg", f'msg starting "{rp_id} routing point"', f"msg {body.get('msg')!r}", named
        )
    )
    return result


def _finding(aspect: str, expected: str, seen: str, ok: bool) -> Finding:
    return Finding(aspect, expected, seen, "D", ok)


def _never_written(specs: list[OperationSpec]) -> list[Check]:
    return [
        skip_check(
            f"success:{s.api}", "success not checked: never written", f"not checked: {NEVER_WRITTEN[s.api]}"
        )
        for s in specs
        if s.api in NEVER_WRITTEN
    ]


def _not_probed(specs: list[OperationSpec]) -> list[Check]:
    return [
        skip_check(
            f"success:{s.api}",
            "success not checked: needs the target's data",
            f"not checked: {NOT_PROBED_READS[s.api]}",
        )
        for s in specs
        if s.api in NOT_PROBED_READS and s.methods[:1] == ("GET",)
    ]


def all_checks(catalogue: Catalogue | None = None, *, operations: Selection = None) -> tuple[Check, ...]:
    """Every check, in the order they run: no-token refusals first, the writes last.

    ``operations`` (None, ``"all"`` or names) chooses the per-operation probes and writes;
    ValueError names an unknown operation.
    """
    chosen = select_operations(operations, catalogue)
    names = {spec.api for spec in chosen}
    refusals = (
        _refusal_check(
            "missing_token",
            "missing_token",
            "no wolkvox-token header -> 401 PLEASE ENTER THE WOLKVOX-TOKEN",
            token=None,
            body={},
        ),
        _refusal_check(
            "invalid_token",
            "invalid_token",
            "a token of no operation -> 403 PLEASE VALIDATE TOKEN",
            token=INVALID_TOKEN,
            body={},
        ),
        _refusal_check(
            "unknown_api",
            "unknown_api",
            "an api= Wolkvox does not have -> 400 THE API YOU WANT TO CONSULT DOES NOT EXIST",
            api=UNKNOWN_API,
            body={},
        ),
    )
    required = tuple(
        required_check(spec) for spec in chosen if spec.methods[:1] != ("GET",) or spec.required_query
    )
    generic = (
        _refusal_check(
            "token_header_case",
            "missing_parameters",
            "the token header spelt Wolkvox-Token is read (400 SOME PARAMETERS..., not 401)",
            token_header="Wolkvox-Token",
            body={},
        ),
        _refusal_check(
            "method_not_allowed",
            "method_not_allowed",
            "GET add_interaction -> 405 (ours: Wolkvox documents no answer)",
            method="GET",
        ),
    )
    # routing_points and token_info always run (the check's original set); the other reads
    # (information.php, real_time.php) when chosen; reports_manager.php reports when chosen.
    reads = tuple(read_checks(read_only_operations(catalogue), names))
    reads += tuple(report_checks(names))
    gate = Check("token_gate", GATE_SUMMARY, "0-3", _gate)
    writes = write_checks(names)
    if "add_interaction" in names:
        writes.append(
            Check(
                "add_interaction",
                'one add_interaction to --rp-id -> 201, code "201" (a string)',
                "1",
                _write,
                writes=True,
                needs_rp=True,
            )
        )
    return (
        *refusals,
        *required,
        *generic,
        *reads,
        gate,
        *writes,
        *_never_written(chosen),
        *_not_probed(chosen),
    )
