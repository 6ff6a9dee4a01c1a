"""Running the checks against a target, and the report: what deviates, expected against seen,
and how many calls were made (Wolkvox counts them against the token's daily quota)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx

from wolkvox_mock.contracts.conformance.base import Check, CheckContext, Holder
from wolkvox_mock.contracts.conformance.checks import all_checks
from wolkvox_mock.contracts.conformance.operations import Selection
from wolkvox_mock.contracts.conformance.probe import CheckResult, Probe, Target
from wolkvox_mock.contracts.conformance.token_gate import ControlPlaneHolder
from wolkvox_mock.contracts.protocol import mask_token  # reports end up in CI logs

__all__ = ["Report", "plan", "run_checks", "run_checks_sync"]

#: Exit status of ``wolkvox-mock check``.
EXIT_CONFORMS, EXIT_DEVIATES, EXIT_UNREACHABLE = 0, 1, 3
_MARKS = {"pass": "PASS", "fail": "FAIL", "skip": "SKIP"}


@dataclass
class Report:
    """The results of one run. ``strict`` counts deviations from our inferences ([I]) too."""

    target: Target
    results: list[CheckResult] = field(default_factory=list)
    calls: int = 0
    calls_with_token: int = 0
    control_calls: int = 0
    strict: bool = False

    @property
    def deviations(self) -> list[tuple[CheckResult, list[str]]]:
        """Failed checks with one line per deviation."""
        return [
            (r, _lines(r, strict=self.strict))
            for r in self.results
            if r.outcome(strict=self.strict) == "fail"
        ]

    @property
    def conforms(self) -> bool:
        """True when no check failed."""
        return not self.deviations

    @property
    def exit_code(self) -> int:
        """0 when the target conforms, 1 otherwise."""
        return EXIT_CONFORMS if self.conforms else EXIT_DEVIATES

    def format(self) -> str:
        """The report as text: one line per check, the deviations under it, the call count."""
        lines = [_header(self.target, self.strict), ""]
        for result in self.results:
            lines += _result_lines(result, strict=self.strict)
        lines += ["", self.calls_line(), *self.leftover_lines(), self.verdict()]
        return "\n".join(lines)

    def leftover_lines(self) -> list[str]:
        """What write checks could not undo (nothing, normally): to remove by hand."""
        left = [item for r in self.results for item in r.left_on_target]
        if not left:
            return []
        return ["LEFT ON THE TARGET (the check could not undo it; remove it by hand):"] + [
            f"  - {item}" for item in left
        ]

    def calls_line(self) -> str:
        """How many calls were made, and how many may count against the quota."""
        line = (
            f"Calls made: {self.calls} ({self.calls_with_token} with the token: each may count "
            "against its daily quota of licenses x 1000)"
        )
        if self.control_calls:
            line += f"; {self.control_calls} to the fake's control plane"
        return line + "."

    def verdict(self) -> str:
        """One sentence: conforms, or how many checks deviate (and a hint when the token
        itself was refused, the likeliest cause of many deviations at once)."""
        failed = len(self.deviations)
        if not failed:
            return "Result: the target conforms to the contract."
        verdict = f"Result: {failed} check(s) deviate from the contract (exit status {EXIT_DEVIATES})."
        if self._token_refused():
            verdict += (
                "\nHint: the target refused the token itself (PLEASE VALIDATE TOKEN): check --token, "
                "and that --server is the server it belongs to."
            )
        return verdict

    def _token_refused(self) -> bool:
        return any(
            "'PLEASE VALIDATE TOKEN'" in f.seen
            for r in self.results
            if r.name != "invalid_token"
            for f in r.findings
            if not f.ok
        )


def _header(target: Target, strict: bool) -> str:
    mode = "writes allowed" if target.allow_writes else "read-only"
    scope = "all facts" if strict else "documented facts (D/C); our inferences (I) are notes"
    return f"wolkvox-mock check {target.base_url}  server {target.server}  token {mask_token(target.token)}  ({mode}; failing on {scope})"


def _lines(result: CheckResult, *, strict: bool) -> list[str]:
    return [
        f"[{f.tag}] {f.aspect}: expected {f.expected}; seen {f.seen}" for f in result.failures(strict=strict)
    ]


def _result_lines(result: CheckResult, *, strict: bool) -> list[str]:
    outcome = result.outcome(strict=strict)
    lines = [f"{_MARKS[outcome]}  {result.name:<34} {result.summary}"]
    if outcome == "skip":
        lines.append(f"      {result.skipped}")
    lines += [f"      x {line}" for line in _lines(result, strict=strict)]
    notes = [f for f in result.findings if not f.ok and f.tag == "I" and not strict]
    lines += [f"      note [I] {f.aspect}: ours {f.expected}; seen {f.seen}" for f in notes]
    return lines


def plan(
    target: Target, checks: Sequence[Check] | None = None, *, operations: Selection = None
) -> list[Check]:
    """The checks that will run (``all_checks(operations=...)`` unless ``checks`` are given).

    Writes run only with ``allow_writes`` (add_interaction also needs an ``rp_id``);
    otherwise a write is left out, or shown as skipped when it says why (``unless_allowed``).
    """
    checks = all_checks(operations=operations) if checks is None else checks
    chosen = []
    for check in checks:
        if not check.writes or (target.allow_writes and (target.rp_id or not check.needs_rp)):
            chosen.append(check)
        elif check.unless_allowed is not None:
            chosen.append(check.skipped(check.unless_allowed))
    return chosen


async def _holder(
    probe: Probe, holder: Holder | None, control_plane: bool | None, admin: str | None
) -> Holder | None:
    if holder is not None or control_plane is False:
        return holder
    if control_plane is None and not probe.target.is_loopback:
        return None
    candidate = ControlPlaneHolder(probe, admin)
    return candidate if await candidate.available() else None


async def run_checks(
    target: Target,
    *,
    checks: Iterable[Check] | None = None,
    operations: Selection = None,
    holder: Holder | None = None,
    control_plane: bool | None = None,
    admin_token: str | None = None,
    gate_burst: int = 0,
    strict: bool = False,
    transport: httpx.AsyncBaseTransport | None = None,
) -> Report:
    """Run the checks against ``target``; returns the report.

    ``operations`` chooses the per-operation probes and writes (None: add_interaction only,
    ``"all"``, or names); ``checks`` replaces the whole list instead.

    ``holder`` keeps requests in flight for the token gate check (``FakeHolder(fake, token)``
    for a fake in this process). Otherwise the fake's control plane is used when
    ``control_plane`` is True, or None (the default) and the target is on this machine.
    Raises ``TargetUnreachable`` when the target gives no HTTP answer.
    """
    report = Report(target, strict=strict)
    async with httpx.AsyncClient(
        base_url=target.base_url, timeout=target.timeout, transport=transport
    ) as client:
        probe = Probe(target, client)
        try:
            ctx = CheckContext(probe, await _holder(probe, holder, control_plane, admin_token), gate_burst)
            chosen = plan(target, None if checks is None else list(checks), operations=operations)
            for check in chosen:
                report.results.append(await check.run(ctx))
        finally:
            report.calls, report.calls_with_token = probe.calls, probe.calls_with_token
            report.control_calls = probe.control_calls
    return report


def run_checks_sync(target: Target, **options: Any) -> Report:
    """``run_checks`` from synchronous code (it starts its own event loop)."""
    return asyncio.run(run_checks(target, **options))
