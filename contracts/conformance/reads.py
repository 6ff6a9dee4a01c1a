"""The read-only checks: one call of each operation that only reads (every information.php
operation), its answer held against the documented success.

A list with nothing to show may answer Wolkvox's empty-list 404 ("Validate dates entered",
the catalogue's ``no_records``) instead: that is conformant too, and is reported as an empty
list. Operations with required query parameters get harmless sample values where one exists
(``type=all``, the last day as the range); the two that need ids of the target's own data
(agents_in_skill, law2300_info) are probed without them instead, expecting 400 SOME
PARAMETERS ARE REQUIRED. ``routing_points`` and ``token_info`` are read on every run; the
others when ``--operations`` chooses them (each call counts against the token's quota).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from datetime import UTC, datetime, timedelta

from wolkvox_mock.contracts.catalogue import OperationSpec, load_catalogue
from wolkvox_mock.contracts.conformance.base import Check, CheckContext
from wolkvox_mock.contracts.conformance.operations import required_check
from wolkvox_mock.contracts.conformance.probe import CheckResult, Exchange, Finding, success_findings

__all__ = ["DEFAULT_READS", "SAMPLE_QUERIES", "read_checks", "read_findings"]

#: The reads of every run (the check's original set).
DEFAULT_READS = ("routing_points", "token_info")


def _last_day() -> dict[str, str]:
    # A day back from now, in UTC: any range of at most 31 days is valid.
    now = datetime.now(UTC)
    return {
        "date_ini": (now - timedelta(days=1)).strftime("%Y%m%d%H%M%S"),
        "date_end": now.strftime("%Y%m%d%H%M%S"),
    }


#: Harmless values for the required query parameters of a read, by operation.
SAMPLE_QUERIES: dict[str, Callable[[], dict[str, str]]] = {
    "get_dnc": lambda: {"type": "all"},
    "audit_log": _last_day,
    "get_notification": _last_day,
}


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
    sample = SAMPLE_QUERIES.get(spec.api)
    shown = "&".join(f"{k}=..." for k in sample()) if sample else ""
    summary = (
        f"{spec.methods[0]} {spec.family}.php?api={spec.api}{'&' + shown if shown else ''} -> "
        f"{spec.success.status}, code {spec.success.code!r}"
        + (" (or the empty-list 404)" if "no_records" in spec.errors else "")
    )

    async def run(ctx: CheckContext) -> CheckResult:
        query = sample() if sample else None
        exchange = await ctx.probe.send(spec.api, family=spec.family, method=spec.methods[0], query=query)
        return CheckResult(name, summary, read_findings(exchange, spec))

    return Check(name, summary, "1", run)


def read_checks(specs: Iterable[OperationSpec], chosen: Collection[str]) -> list[Check]:
    """The checks of the read-only operations: the default reads, and those ``chosen``."""
    checks: list[Check] = []
    for spec in specs:
        if spec.api not in DEFAULT_READS and spec.api not in chosen:
            continue
        if spec.required_query and spec.api not in SAMPLE_QUERIES:
            checks.append(required_check(spec))
        else:
            checks.append(_read_check(spec))
    return checks
