"""The read-only checks: one call of each operation that only reads and takes no required
value (GET, no body: most of information.php and real_time.php), its answer held against the
documented success.

A list with nothing to show may answer Wolkvox's empty-list 404 ("Validate dates entered",
the catalogue's ``no_records``) instead: for an operation that lists, that is conformant too,
and is reported as an empty list. ``routing_points`` and ``token_info`` are read on every run
(the check's original set); the other reads when ``--operations`` chooses them (each call
counts against the token's quota). Reads that need values (``get_dnc``'s type, a date range,
a skill id) are probed without them instead (``operations.required_check``).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from wolkvox_mock.contracts.catalogue import OperationSpec, load_catalogue
from wolkvox_mock.contracts.conformance.base import Check, CheckContext
from wolkvox_mock.contracts.conformance.probe import CheckResult, Exchange, Finding, success_findings

__all__ = ["DEFAULT_READS", "read_checks", "read_findings"]

#: The reads of every run (the check's original set).
DEFAULT_READS = ("routing_points", "token_info")


def _empty_list(ex: Exchange) -> bool:
    """Whether the answer is Wolkvox's empty-list 404."""
    empty = load_catalogue().error("no_records")
    body = ex.body
    return isinstance(body, dict) and empty.matches(ex.status, str(body.get("msg", "")))


def read_findings(ex: Exchange, spec: OperationSpec) -> list[Finding]:
    """A documented success, or the empty-list 404 for an operation that lists."""
    if "no_records" in spec.errors and _empty_list(ex):
        seen = f"HTTP {ex.status} {ex.body.get('msg')!r} (an empty list)"
        return [Finding("answer", "a success, or the empty-list 404", seen, "C", True)]
    return success_findings(ex, spec)


def _read_check(spec: OperationSpec) -> Check:
    name = f"{spec.family}.{spec.api}"
    summary = f"{spec.methods[0]} {spec.family}.php?api={spec.api} -> {spec.success.status}, code {spec.success.code!r}"
    if "no_records" in spec.errors:
        summary += " (or the empty-list 404)"

    async def run(ctx: CheckContext) -> CheckResult:
        exchange = await ctx.probe.send(spec.api, family=spec.family, method=spec.methods[0])
        return CheckResult(name, summary, read_findings(exchange, spec))

    return Check(name, summary, "1", run)


def read_checks(specs: Iterable[OperationSpec], chosen: Collection[str]) -> list[Check]:
    """The checks of the read-only operations: the default reads, and those ``chosen``."""
    return [_read_check(spec) for spec in specs if spec.api in DEFAULT_READS or spec.api in chosen]
