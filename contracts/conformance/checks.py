"""The contract checks, built from the catalogue, and the order they run in.

Read-only by default: refusals are provoked with calls that write nothing (no token, a wrong
token, an unknown ``api``, an empty body), and successes are read from GET operations that
take no input (token_info, routing_points). Only with ``allow_writes`` is one add_interaction
sent, to the routing point the user named.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from contracts.catalogue import Catalogue, OperationSpec, load_catalogue
from contracts.conformance.gate import SUMMARY as GATE_SUMMARY
from contracts.conformance.gate import Holder, check_token_gate
from contracts.conformance.probe import CheckResult, Finding, Probe, refusal_findings, success_findings

__all__ = ["Check", "Context", "all_checks", "read_only_operations"]

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


@dataclass
class Context:
    """What a check runs with."""

    probe: Probe
    holder: Holder | None = None
    gate_burst: int = 0


@dataclass(frozen=True)
class Check:
    """One contract check: its name, what it expects, and how many calls it makes."""

    name: str
    summary: str
    calls: str
    run: Callable[[Context], Awaitable[CheckResult]]
    writes: bool = False
    #: Whether its calls carry the target's token (and so may count against its quota).
    uses_token: bool = True

    def planned_calls(self) -> int:
        """The most calls this check makes (for the quota estimate)."""
        return max(int(part) for part in self.calls.replace("-", " ").split() if part.isdigit())


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
    async def run(ctx: Context) -> CheckResult:
        exchange = await ctx.probe.send(api, method=method, token=token, token_header=token_header, body=body)
        return CheckResult(name, summary, refusal_findings(exchange, load_catalogue().error(error_key)))

    return Check(name, summary, "1", run, uses_token=token == "")


def _success_check(spec: OperationSpec) -> Check:
    name = f"{spec.family}.{spec.api}"
    summary = f"{spec.methods[0]} {spec.family}.php?api={spec.api} -> {spec.success.status}, code {spec.success.code!r}"

    async def run(ctx: Context) -> CheckResult:
        exchange = await ctx.probe.send(spec.api, family=spec.family, method=spec.methods[0])
        return CheckResult(name, summary, success_findings(exchange, spec))

    return Check(name, summary, "1", run)


def read_only_operations(catalogue: Catalogue | None = None) -> list[OperationSpec]:
    """Operations that only read: GET, no body, no required query parameter."""
    catalogue = catalogue or load_catalogue()
    return [
        spec
        for _, spec in sorted(catalogue.operations.items())
        if "GET" in spec.methods[:1] and spec.body == "none" and not spec.required_query
    ]


async def _gate(ctx: Context) -> CheckResult:
    return await check_token_gate(ctx.probe, ctx.holder, ctx.gate_burst)


async def _write(ctx: Context) -> CheckResult:
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


def all_checks(catalogue: Catalogue | None = None) -> tuple[Check, ...]:
    """Every check, in the order they run: no-token refusals first, the write last."""
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
        _refusal_check(
            "missing_parameters",
            "missing_parameters",
            "add_interaction with an empty body -> 400 SOME PARAMETERS ARE REQUIRED",
            body={},
        ),
        _refusal_check(
            "token_header_case",
            "missing_parameters",
            "the token header spelt Wolkvox-Token is read (same 400 as above, not 401)",
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
    reads = tuple(_success_check(spec) for spec in read_only_operations(catalogue))
    gate = Check("token_gate", GATE_SUMMARY, "0-3", _gate)
    write = Check(
        "add_interaction",
        'one add_interaction to --rp-id -> 201, code "201" (a string)',
        "1",
        _write,
        writes=True,
    )
    return (*refusals, *reads, gate, write)
