"""Read-only probes of reports_manager.php: one report call over yesterday, whose answer must
be either rows with exactly the documented keys (every value a string) or the empty 404
"Validate dates entered". Each costs one call of the target's token.

Chosen with ``--operations`` (``all``, or report names such as ``cdr_1,chat_1``); reports
that need an agent (``agent_2``) are skipped: the probe does not know one.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from wolkvox_mock.contracts.catalogue import OperationSpec, load_catalogue
from wolkvox_mock.contracts.conformance.base import Check, CheckContext, skip_check
from wolkvox_mock.contracts.conformance.probe import (
    CheckResult,
    Exchange,
    Finding,
    refusal_findings,
    success_findings,
)

__all__ = ["report_checks", "report_query", "row_findings"]

#: Required selectors the probe can fill without knowing the target ("all" is documented).
_SELECTORS = {"skill_id": "all", "campaign_id": "all", "cod_act": "cod_act1"}


def report_query(spec: OperationSpec, now: datetime | None = None) -> dict[str, str] | None:
    """The query of a probe of ``spec``: yesterday (UTC), and the required selectors; None
    when a required selector cannot be guessed."""
    day = (now or datetime.now(UTC)).date() - timedelta(days=1)
    query = {"date_ini": f"{day:%Y%m%d}000000", "date_end": f"{day:%Y%m%d}235959"}
    for field in spec.required_query:
        if field.name in query:
            continue
        if field.name not in _SELECTORS:
            return None
        query[field.name] = _SELECTORS[field.name]
    return query


def row_findings(spec: OperationSpec, data: Any) -> list[Finding]:
    """Every row has exactly the documented keys, in order, and every value is a string."""
    report = spec.report
    assert report is not None
    rows = list(data.values()) if report.shape == "buckets" and isinstance(data, dict) else data
    if not isinstance(rows, list):
        return [Finding("rows", "data: an array of rows", f"data {type(data).__name__}", "D", False)]
    wrong_keys = [row for row in rows if not isinstance(row, dict) or tuple(row) != report.fields]
    shown = ", ".join(report.fields)
    seen = "every row" if not wrong_keys else f"a row with keys {list(wrong_keys[0])[:30]}"
    findings = [Finding("row keys", f"exactly: {shown}", seen, "D", not wrong_keys)]
    not_text = [
        (k, v)
        for row in rows
        if isinstance(row, dict)
        for k, v in row.items()
        if k not in report.nested and not isinstance(v, str)
    ]
    findings.append(
        Finding(
            "values",
            "every value a string",
            "every value" if not not_text else f"{not_text[0][0]} = {not_text[0][1]!r}",
            "C",
            not not_text,
        )
    )
    return findings


def _findings(exchange: Exchange, spec: OperationSpec) -> list[Finding]:
    if exchange.status == 404:
        return refusal_findings(exchange, load_catalogue().error("report_empty"))
    findings = success_findings(exchange, spec)
    body = exchange.body if isinstance(exchange.body, dict) else {}
    if "data" in body:
        findings += row_findings(spec, body["data"])
    return findings


def _check(spec: OperationSpec, now: Callable[[], datetime]) -> Check:
    name = f"report:{spec.api}"
    summary = f"GET {spec.api} over yesterday -> rows with the documented keys, or 404 Validate dates entered"
    if report_query(spec) is None:
        return skip_check(name, summary, f"skipped: {spec.api} needs an agent_id the probe does not know")

    async def run(ctx: CheckContext) -> CheckResult:
        query = report_query(spec, now())
        assert query is not None
        exchange = await ctx.probe.send(spec.api, family=spec.family, method="GET", query=query)
        return CheckResult(name, summary, _findings(exchange, spec))

    return Check(name, summary, "1", run)


def report_checks(names: set[str], now: Callable[[], datetime] | None = None) -> list[Check]:
    """The report probes of the chosen operations, in catalogue order."""
    clock = now or (lambda: datetime.now(UTC))
    return [
        _check(spec, clock)
        for (family, api), spec in sorted(load_catalogue().operations.items())
        if family == "reports_manager" and api in names
    ]
