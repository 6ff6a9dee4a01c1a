"""reports_manager.php: every report of the catalogue, answered by one handler.

A report is data (``report`` in contracts/data/operations/reports_manager.yaml): its fields,
the records its rows are built from, a filter and the keys rows are grouped by. This module
applies Wolkvox's rules on the request (docs/reports.md) and builds the rows:

1. ``date_ini`` and ``date_end`` are ``YYYYmmddHHiiss`` in the operation's time zone, the end
   not before the start, at most ``max_days`` apart (31; skill_5: 1)      400 otherwise (ours)
2. the selectors: ``agent_id``, ``skill_id`` and ``campaign_id`` (a number or ``all``),
   ``cod_act`` (the group, cod_act1 or cod_act2), ``customer_id``
3. the records of the days in range: generated history (wolkvox_mock.state.history) plus what
   the fake recorded itself; only what started inside the range and before now
4. no rows                                                    404 Validate dates entered
5. at most 60,000 rows (Wolkvox's per-call limit): the first 60,000 in time order (ours);
   an operation's ``HistoryConfig.max_records`` lowers the limit for tests
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from wolkvox_mock.contracts.catalogue import WOLKVOX_DATE, load_catalogue
from wolkvox_mock.contracts.errors import WolkvoxAPIError
from wolkvox_mock.handlers.context import HANDLERS, HandlerContext, Success
from wolkvox_mock.handlers.fields import missing
from wolkvox_mock.handlers.live import sync
from wolkvox_mock.handlers.report_aggregates import aggregate_value
from wolkvox_mock.handlers.report_fields import Getter, getters_for
from wolkvox_mock.handlers.report_recorded import Recorded, recorded_activity
from wolkvox_mock.handlers.report_records import FILTERS, SOURCES, recorded_omni
from wolkvox_mock.handlers.report_values import ReportContext, moment, ordinal
from wolkvox_mock.state.history import Chat, Day, HistoryConfig, Omni, Roster

__all__ = ["MAX_RECORDS", "REPORTS", "answer_report", "parse_date"]

#: Rows one call answers at most (documented limit: 60,000 records per call).
MAX_RECORDS = 60_000
_BUCKETS = ("0_5_seg", "6_20_seg", "21_60_seg", "61_120_seg", "greater_than_121")
_SELECTORS = {"agent_id": "agent", "skill_id": "skill", "campaign_id": "campaign"}


def parse_date(name: str, value: str) -> datetime:
    """A ``YYYYmmddHHiiss`` parameter as a naive datetime (400 invalid_dates otherwise)."""
    text = value.strip()
    if not WOLKVOX_DATE.shaped(text):
        raise _dates(f"{name} must be YYYYmmddHHiiss, e.g. 20250201000000", f"{name} is not YYYYmmddHHiiss")
    try:
        return WOLKVOX_DATE.parse(text)
    except ValueError:
        raise _dates(f"{name} is not a real date and time", f"{name} is not a valid date") from None


def _dates(hint: str, problem: str) -> WolkvoxAPIError:
    return WolkvoxAPIError.from_catalogue("invalid_dates", hint=hint, problem=problem)


def _range(ctx: HandlerContext, max_days: int) -> tuple[datetime, datetime]:
    start = parse_date("date_ini", str(ctx.payload["date_ini"]))
    end = parse_date("date_end", str(ctx.payload["date_end"]))
    if end < start:
        raise _dates("date_end is before date_ini", "date_end is before date_ini")
    if end - start > timedelta(days=max_days):
        raise WolkvoxAPIError.from_catalogue(
            "date_range_too_long",
            hint=f"this report takes at most {max_days} days per call: split the range",
            max_days=max_days,
        )
    return start, end


def _context(ctx: HandlerContext) -> ReportContext:
    spec = ctx.spec
    assert spec.report is not None
    start, end = _range(ctx, spec.report.max_days)
    now = ctx.now.astimezone(ZoneInfo(ctx.op.timezone)).replace(tzinfo=None)
    selectors = {k: str(v).strip() for k, v in ctx.payload.items() if k not in ("date_ini", "date_end")}
    _check_selectors(spec, selectors)
    rctx = ReportContext(spec, spec.report, ctx.op, Roster.of(ctx.op), start, end, now, selectors)
    rctx.max_records = max(1, min(MAX_RECORDS, HistoryConfig.of(ctx.op).max_records))
    return rctx


def _check_selectors(spec: Any, selectors: dict[str, str]) -> None:
    """400 for a selector outside what the report takes (ours: Wolkvox's answer is not public)."""
    for field in spec.query:
        value = selectors.get(field.name, "")
        if not value:
            continue
        if field.enum and value not in field.enum:
            raise missing(f"'{field.name}' takes one of: {', '.join(field.enum)}")
        if field.name in ("skill_id", "campaign_id", "services_time") and not (
            value.isdecimal() or (value == "all" and field.name != "services_time")
        ):
            raise missing(
                f"'{field.name}' takes a number" + ("" if field.name == "services_time" else " or all")
            )


def _days(rctx: ReportContext, ctx: HandlerContext) -> Iterator[Day]:
    """The days of the range, generated one at a time (a report that stops at 60,000 rows
    generates no more days than it needs), with what the fake recorded on each."""
    config = HistoryConfig.of(rctx.op)
    today = rctx.now.date()
    omni: dict[date, list[Omni]] = {}
    for item in recorded_omni(ctx.state, rctx):
        omni.setdefault(item.day, []).append(item)
    activity = recorded_activity(rctx.op, rctx, ctx.now)
    nothing = Recorded()
    for day in rctx.days():
        mine = activity.get(day, nothing)
        generated = config.covers(day, today)
        yield Day(
            day,
            config.seed if generated else "",
            config.calls_per_day if generated else 0,
            rctx.roster if generated else None,
            extra_omni=tuple(omni.get(day, ())),
            extra_calls=tuple(mine.calls),
            extra_sessions=tuple(mine.sessions),
            extra_dials=tuple(mine.dials),
        )


def _selected(rctx: ReportContext) -> list[tuple[str, Any]]:
    """(attribute, wanted value) pairs the selectors ask for; an unknown id matches nothing."""
    wanted: list[tuple[str, Any]] = []
    roster = rctx.roster
    ids = {
        "agent": [a[0] for a in roster.agents],
        "skill": [s[0] for s in roster.skills],
        "campaign": list(roster.campaigns),
    }
    for name, attr in _SELECTORS.items():
        value = rctx.selectors.get(name, "")
        if value and value.lower() != "all":
            wanted.append((attr, ids[attr].index(value) if value in ids[attr] else -2))
    customer = rctx.selectors.get("customer_id", "")
    if customer:
        wanted.append(("customer", customer))
    return wanted


def _records(rctx: ReportContext, ctx: HandlerContext) -> list[Any]:
    report = rctx.report
    low, high = rctx.bounds()
    keep = FILTERS.get(report.where or "")
    if report.where == "coded" and rctx.code_group == 1:
        keep = _coded_second
    wanted = _selected(rctx)
    found = []
    for record in SOURCES[report.rows](_days(rctx, ctx), rctx):
        # Chats are reported when they closed (chat_1 filters by close date, seen by a client).
        when = record.end if type(record) is Chat else record.sec
        if not low <= ordinal(record.day, when) <= high:
            continue
        if keep is not None and not keep(record):
            continue
        if wanted and not all(getattr(record, a, v) == v for a, v in wanted):
            continue
        found.append(record)
        if not report.group and len(found) >= rctx.max_records:
            break
    return found


def _coded_second(record: Any) -> bool:
    return getattr(record, "cod2", -1) >= 0


RowMaker = Callable[[Any, ReportContext], dict[str, Any]]


def _row_maker(kind: type, fields: tuple[str, ...], rctx: ReportContext) -> RowMaker:
    """One function building a whole row of a record of ``kind``: a dict display calling each
    field's getter, made once per report call (a 60,000-row answer calls it 60,000 times; a
    display is much cheaper than a comprehension over (field, getter) pairs). Only our own
    field names (``repr``-quoted) and getters go into it."""
    table = getters_for(kind, rctx)
    space: dict[str, Any] = {}
    parts = []
    for n, name in enumerate(fields):
        getter = table.get(name)
        if getter is None:
            parts.append(f"{name!r}: ''")
        else:
            space[f"g{n}"] = getter
            parts.append(f"{name!r}: g{n}(r, c)")
    maker: RowMaker = eval(f"lambda r, c: {{{', '.join(parts)}}}", space)
    return maker


def _detail_rows(records: list[Any], fields: tuple[str, ...], rctx: ReportContext) -> list[dict[str, Any]]:
    makers: dict[type, RowMaker] = {}
    rows = []
    for record in records:
        make = makers.get(type(record))
        if make is None:
            make = makers[type(record)] = _row_maker(type(record), fields, rctx)
        rows.append(make(record, rctx))
    return rows


def _groups(records: Iterable[Any], keys: tuple[str, ...], rctx: ReportContext) -> list[list[Any]]:
    cache: dict[type, list[Getter | None]] = {}
    groups: dict[tuple[str, ...], list[Any]] = {}
    for record in records:
        plan = cache.get(type(record))
        if plan is None:
            table = getters_for(type(record), rctx)
            plan = cache[type(record)] = [table.get(k) for k in keys]
        key = tuple("" if g is None else g(record, rctx) for g in plan)
        groups.setdefault(key, []).append(record)
    return [groups[k] for k in sorted(groups)]


def _grouped_row(
    group: list[Any], fields: tuple[str, ...], keys: tuple[str, ...], rctx: ReportContext
) -> dict[str, Any]:
    report = rctx.report
    first = _detail_rows([group[0]], fields, rctx)[0]
    row: dict[str, Any] = {}
    for name in fields:
        if name in report.nested:
            nested = report.nested[name]
            subgroups = _groups(group, nested.group, rctx)
            row[name] = [_grouped_row(g, nested.fields, nested.group, rctx) for g in subgroups]
        elif name in keys:
            row[name] = first[name]
        else:
            value = aggregate_value(name, group, rctx)
            row[name] = first[name] if value is None else value
    return row


def _rows(rctx: ReportContext, records: list[Any]) -> list[dict[str, Any]]:
    report = rctx.report
    if not report.group:
        if "conversation" in report.nested:
            return [
                _with_conversation(row, r, rctx)
                for row, r in zip(_detail_rows(records, report.fields, rctx), records, strict=True)
            ]
        return _detail_rows(records, report.fields, rctx)
    rctx.total = len(records)
    groups = _groups(records, report.group, rctx)
    fields = _fields(rctx)
    return [_grouped_row(g, fields, report.group, rctx) for g in groups[: rctx.max_records]]


def _fields(rctx: ReportContext) -> tuple[str, ...]:
    """The report's fields; ``services_time=N`` adds ``service_level_Nseg`` after the
    documented levels (``service_level_0seg`` for 10, 20 or 30, as documented for skill_1)."""
    fields = rctx.report.fields
    seconds = rctx.selectors.get("services_time", "")
    if not seconds or "service_level_30seg" not in fields:
        return fields
    extra = f"service_level_{0 if int(seconds) in (10, 20, 30) else int(seconds)}seg"
    at = fields.index("service_level_30seg") + 1
    return (*fields[:at], extra, *fields[at:])


def _with_conversation(row: dict[str, Any], chat: Any, rctx: ReportContext) -> dict[str, Any]:
    """chat_2's ``conversation``: the chat's messages, customer and agent in turn (ours)."""
    lines = []
    speakers = (
        ("CUSTOMER", row["customer_name"], "chat bot"),
        ("AGENT", row["agent_name"], row["customer_name"]),
    )
    for n in range(2 + chat.extra % 4):
        who, name, to = speakers[n % 2]
        lines.append(
            dict(
                zip(
                    rctx.report.nested["conversation"].fields,
                    (
                        chat.channel,
                        who,
                        name,
                        to,
                        moment(chat.day, chat.sec + 30 * n),
                        f"Mensaje {n + 1}",
                        chat.customer,
                        chat.phone,
                    ),
                    strict=True,
                )
            )
        )
    row["conversation"] = lines
    return row


def _buckets(rctx: ReportContext, records: list[Any]) -> dict[str, Any]:
    rctx.total = len(records)
    by_bucket = {name: [r for r in records if _bucket_of(r.talk) == name] for name in _BUCKETS}
    empty = dict.fromkeys(rctx.report.fields, "0")
    return {
        name: {f: aggregate_value(f, rs, rctx) or "0" for f in rctx.report.fields} if rs else dict(empty)
        for name, rs in by_bucket.items()
    }


def _bucket_of(seconds: int) -> str:
    for limit, name in zip((5, 20, 60, 120), _BUCKETS, strict=False):
        if seconds <= limit:
            return name
    return _BUCKETS[-1]


def answer_report(ctx: HandlerContext) -> Success:
    """The handler of every reports_manager.php report."""
    rctx = _context(ctx)
    sync(ctx)  # the campaigns' dialer up to now: its calls are reported too
    records = _records(rctx, ctx)
    if not records:
        raise WolkvoxAPIError.from_catalogue(
            "report_empty", hint="no record in this range (Wolkvox answers 404 for an empty report)"
        )
    if rctx.report.shape == "buckets":
        return Success(values={"count": 1}, data=_buckets(rctx, records))
    rows = _rows(rctx, records)
    return Success(values={"count": len(rows)}, data=rows)


#: Every report of the catalogue (each is answered by ``answer_report``).
REPORTS: tuple[str, ...] = tuple(
    sorted(api for (family, api) in load_catalogue().operations if family == "reports_manager")
)
for _api in REPORTS:
    HANDLERS[("reports_manager", _api)] = answer_report
