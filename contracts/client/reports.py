"""reports_manager.php from the client: any report by name, typed rows for the most used ones,
and a range of any length walked in windows the report accepts.

``client.report("cdr_1", date_ini=..., date_end=...)`` sends one call and returns a
``ReportResult``; an empty report (Wolkvox's 404 "Validate dates entered") is an empty result,
not an error, as integrators treat it. ``client.report_range(...)`` splits a long range into
windows of the report's limit (31 days; skill_5: 1) and returns one result per window; the
async client sends the windows concurrently, and the token's in-flight slots (``max_in_flight``)
keep it within Wolkvox's limit of simultaneous requests.

A window of a detail report (one row per record) that answers the per-call record limit
(60,000 rows) was cut: ``report_range`` sends its two halves instead, and halves again, down to
``min_window`` (an hour); a window that is still full there is returned with
``truncated=True``. The windows never overlap and leave no second out, so their rows, in
order, are the range's rows once each. Aggregating reports are never split (their rows would
count the same key twice).

Dates are ``datetime`` objects (read in the operation's time zone) or ``YYYYmmddHHiiss`` text.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass, fields, replace
from datetime import datetime, timedelta
from typing import Any, TypeVar

from wolkvox_mock.contracts.catalogue import WOLKVOX_DATE, load_catalogue
from wolkvox_mock.contracts.client.results import WolkvoxResult
from wolkvox_mock.contracts.errors import NotFoundError

__all__ = [
    "REPORT_RECORD_LIMIT",
    "AgentTimeRow",
    "AsyncReports",
    "CallDetailRow",
    "CampaignRecordRow",
    "ChatRow",
    "ReportResult",
    "SyncReports",
    "report_windows",
    "wire_date",
]

FAMILY = "reports_manager"
#: Rows one report call answers at most (documented: 60,000 records per call).
REPORT_RECORD_LIMIT = 60_000
#: The shortest window ``report_range`` splits a full answer down to.
MIN_WINDOW = timedelta(hours=1)
DateLike = datetime | str
RowT = TypeVar("RowT")


def wire_date(value: DateLike) -> str:
    """``YYYYmmddHHiiss`` for a datetime; text is sent as it is."""
    return WOLKVOX_DATE.render(value) if isinstance(value, datetime) else value


def _parse(value: DateLike) -> datetime:
    return value if isinstance(value, datetime) else WOLKVOX_DATE.parse(value)


def max_days(api: str) -> int:
    """The longest range one call of ``api`` accepts (31 unless the catalogue says otherwise)."""
    spec = load_catalogue().operation(FAMILY, api)
    return spec.report.max_days if spec is not None and spec.report is not None else 31


def _detail(api: str) -> bool:
    """Whether ``api`` answers one row per record (so a range may be split and its rows joined)."""
    spec = load_catalogue().operation(FAMILY, api)
    return (
        spec is not None
        and spec.report is not None
        and not spec.report.group
        and spec.report.shape != "buckets"
    )


Window = tuple[str, str]


def report_windows(api: str, start: DateLike, end: DateLike) -> list[Window]:
    """``[start, end]`` cut into consecutive windows ``api`` accepts, none overlapping (each
    starts one second after the previous one ends)."""
    first, last = _parse(start), _parse(end)
    if last < first:
        raise ValueError("end is before start")
    span = timedelta(days=max_days(api))
    windows = []
    while True:
        stop = min(first + span, last)
        windows.append((wire_date(first), wire_date(stop)))
        if stop >= last:
            return windows
        first = stop + timedelta(seconds=1)


@dataclass(frozen=True)
class _Walk:
    """One ``report_range``: the report, its selectors, and when a window is split."""

    api: str
    record_limit: int
    min_window: timedelta
    selectors: Mapping[str, Any]

    def halves(self, result: ReportResult) -> list[Window]:
        """The two halves of ``result``'s window when it answered the record limit (it was
        cut) and is longer than ``min_window``; none otherwise. The first half ends one
        second before the second starts (dates are to the second)."""
        if not self._full(result):
            return []
        first, last = _parse(result.date_ini), _parse(result.date_end)
        if last - first <= self.min_window:
            return []
        middle = first + timedelta(seconds=(last - first).total_seconds() // 2)
        return [
            (wire_date(first), wire_date(middle)),
            (wire_date(middle + timedelta(seconds=1)), wire_date(last)),
        ]

    def settled(self, result: ReportResult) -> ReportResult:
        """``result`` as returned: marked ``truncated`` when it is still full."""
        return replace(result, truncated=True) if self._full(result) else result

    def _full(self, result: ReportResult) -> bool:
        return len(result.rows) >= self.record_limit and _detail(self.api)


# -- typed rows ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Row:
    """A report row with its documented keys as attributes (every value is text)."""

    @classmethod
    def from_row(cls: type[RowT], row: Mapping[str, Any]) -> RowT:
        """The typed row; keys Wolkvox left out are ``""``, unknown keys are ignored."""
        wire = getattr(cls, "WIRE", {})
        values = {f.name: str(row.get(wire.get(f.name, f.name), "")) for f in fields(cls)}  # type: ignore[arg-type]
        return cls(**values)


@dataclass(frozen=True)
class CallDetailRow(_Row):
    """A row of ``cdr_1`` (call detail): one call."""

    agent_name: str = ""
    date: str = ""
    destiny: str = ""
    telephone: str = ""
    cost: str = ""
    time_seg: str = ""
    time_min: str = ""
    cod_act: str = ""
    description_cod_act: str = ""
    cod_act_2: str = ""
    description_cod_act_2: str = ""
    type_interaction: str = ""
    customer_id: str = ""
    hang_up: str = ""
    campaign_id: str = ""
    conn_id: str = ""
    skill_id: str = ""
    skill_name: str = ""
    agent_id: str = ""
    comment: str = ""


@dataclass(frozen=True)
class ChatRow(_Row):
    """A row of ``chat_1`` (chats). ``asa`` is sent as ``ASA`` and ``agent_answers`` as
    ``agent_anwers `` (sic, with a trailing space)."""

    WIRE = {"asa": "ASA", "agent_answers": "agent_anwers "}  # noqa: RUF012 - class constant, not a field

    conn_id: str = ""
    channel: str = ""
    date: str = ""
    customer_name: str = ""
    customer_email: str = ""
    customer_phone: str = ""
    customer_chars: str = ""
    agent_id: str = ""
    agent_name: str = ""
    agent_chars: str = ""
    time_on_agent: str = ""
    chat_duration: str = ""
    cod_act: str = ""
    description_cod_act: str = ""
    comments: str = ""
    customer_id: str = ""
    skill_id: str = ""
    asa: str = ""
    last_participant_who_spoke: str = ""
    extra_field: str = ""
    comment: str = ""
    user_id: str = ""
    feeling: str = ""
    agent_answers: str = ""


@dataclass(frozen=True)
class AgentTimeRow(_Row):
    """A row of ``agent_1`` (agent time by state): one agent over the whole range.
    ``aht_outbound`` is sent as ``aht_outbund`` (sic)."""

    WIRE = {"aht_outbound": "aht_outbund"}  # noqa: RUF012 - class constant, not a field

    agent_id: str = ""
    agent_dni: str = ""
    agent_name: str = ""
    calls: str = ""
    inbound: str = ""
    outbound: str = ""
    internal: str = ""
    ready_time: str = ""
    inbound_time: str = ""
    outbound_time: str = ""
    acw_time: str = ""
    ring_time: str = ""
    login_time: str = ""
    aht: str = ""
    occupancy: str = ""
    aux_time: str = ""
    hits: str = ""
    rpc: str = ""
    aht_outbound: str = ""
    aht_inbound: str = ""
    login: str = ""
    logout: str = ""


@dataclass(frozen=True)
class CampaignRecordRow(_Row):
    """A row of ``campaign_3`` (phone campaign results): one attempt on one record."""

    campaign_id: str = ""
    customer_name: str = ""
    customer_last_name: str = ""
    id_type: str = ""
    customer_id: str = ""
    date: str = ""
    telephone: str = ""
    result: str = ""
    opt1: str = ""
    opt2: str = ""
    opt3: str = ""
    opt4: str = ""
    opt5: str = ""
    opt6: str = ""
    opt7: str = ""
    opt8: str = ""
    opt9: str = ""
    opt10: str = ""
    opt11: str = ""
    opt12: str = ""
    conn_id: str = ""


#: Reports with typed rows: api -> row class.
ROW_TYPES: dict[str, type[_Row]] = {
    "cdr_1": CallDetailRow,
    "chat_1": ChatRow,
    "agent_1": AgentTimeRow,
    "campaign_3": CampaignRecordRow,
}


@dataclass(frozen=True)
class ReportResult(WolkvoxResult):
    """The answer of one report call. ``rows`` are the rows as sent (dicts; for ``cdr_4``,
    one dict of buckets); ``empty`` is True when Wolkvox answered 404 for an empty report."""

    rows: tuple[Mapping[str, Any], ...] = ()
    empty: bool = False
    date_ini: str = ""
    date_end: str = ""
    #: The window answered the record limit and ``report_range`` could not split it further.
    truncated: bool = False

    def typed(self) -> list[Any]:
        """The rows as typed rows (``CallDetailRow`` for cdr_1, ...); KeyError for a report
        without a row type."""
        kind = ROW_TYPES[self.api]
        return [kind.from_row(row) for row in self.rows]


def _result(answer: WolkvoxResult, date_ini: str, date_end: str) -> ReportResult:
    data = answer.data
    rows = tuple(r for r in (data if isinstance(data, list) else [data]) if isinstance(r, Mapping))
    base = {f.name: getattr(answer, f.name) for f in fields(WolkvoxResult)}
    return ReportResult(**base, rows=rows, date_ini=date_ini, date_end=date_end)


#: The message of Wolkvox's 404 for a report with no rows.
EMPTY_MESSAGE = "Validate dates entered"


def _is_empty(error: NotFoundError) -> bool:
    # Read by status and message: other 404s of the catalogue may share the status.
    return error.status == 404 and error.msg.strip() == EMPTY_MESSAGE


def _empty(api: str, error: NotFoundError, date_ini: str, date_end: str) -> ReportResult:
    raw = error.body if isinstance(error.body, Mapping) else {}
    return ReportResult(
        api,
        FAMILY,
        error.status,
        error.code,
        error.raw_code,
        error.msg,
        None,
        raw,
        rows=(),
        empty=True,
        date_ini=date_ini,
        date_end=date_end,
    )


def _empty_or_raise(api: str, error: NotFoundError, query: Mapping[str, str]) -> ReportResult:
    """The empty result Wolkvox's 404 "Validate dates entered" stands for; any other 404 raises."""
    if not _is_empty(error):
        raise error
    return _empty(api, error, query["date_ini"], query["date_end"])


def _params(date_ini: DateLike, date_end: DateLike, selectors: Mapping[str, Any]) -> dict[str, str]:
    found = {"date_ini": wire_date(date_ini), "date_end": wire_date(date_end)}
    found.update({k: str(v) for k, v in selectors.items() if v is not None})
    return found


class SyncReports:
    """``report`` and ``report_range`` for ``WolkvoxClient``."""

    call: Callable[..., WolkvoxResult]

    def report(self, api: str, *, date_ini: DateLike, date_end: DateLike, **selectors: Any) -> ReportResult:
        """One call of ``reports_manager.php?api={api}``; ``selectors`` are the report's other
        parameters (``skill_id="all"``, ``agent_id=1001``, ``cod_act="cod_act1"``)."""
        query = _params(date_ini, date_end, selectors)
        try:
            answer = self.call(api, method="GET", family=FAMILY, params=query)
        except NotFoundError as error:
            return _empty_or_raise(api, error, query)
        return _result(answer, query["date_ini"], query["date_end"])

    def report_range(
        self,
        api: str,
        *,
        start: DateLike,
        end: DateLike,
        record_limit: int = REPORT_RECORD_LIMIT,
        min_window: timedelta = MIN_WINDOW,
        **selectors: Any,
    ) -> Iterator[ReportResult]:
        """The report over ``[start, end]``, one call per window the report accepts, in order;
        a detail window answering ``record_limit`` rows is replaced by its halves."""
        walk = _Walk(api, record_limit, min_window, selectors)
        for window in report_windows(api, start, end):
            yield from self._walk(walk, window)

    def _walk(self, walk: _Walk, window: Window) -> Iterator[ReportResult]:
        result = self.report(walk.api, date_ini=window[0], date_end=window[1], **walk.selectors)
        halves = walk.halves(result)
        if not halves:
            yield walk.settled(result)
        for half in halves:
            yield from self._walk(walk, half)


class AsyncReports:
    """``report`` and ``report_range`` for ``AsyncWolkvoxClient``."""

    call: Callable[..., Awaitable[WolkvoxResult]]

    async def report(
        self, api: str, *, date_ini: DateLike, date_end: DateLike, **selectors: Any
    ) -> ReportResult:
        """One call of ``reports_manager.php?api={api}``; see ``WolkvoxClient.report``."""
        query = _params(date_ini, date_end, selectors)
        try:
            answer = await self.call(api, method="GET", family=FAMILY, params=query)
        except NotFoundError as error:
            return _empty_or_raise(api, error, query)
        return _result(answer, query["date_ini"], query["date_end"])

    async def report_range(
        self,
        api: str,
        *,
        start: DateLike,
        end: DateLike,
        record_limit: int = REPORT_RECORD_LIMIT,
        min_window: timedelta = MIN_WINDOW,
        **selectors: Any,
    ) -> list[ReportResult]:
        """The report over ``[start, end]``: the windows are sent concurrently, at most
        ``max_in_flight`` at once (the token's slots), and returned in order; a detail window
        answering ``record_limit`` rows is replaced by its halves."""
        walk = _Walk(api, record_limit, min_window, selectors)
        return await self._walk_all(walk, report_windows(api, start, end))

    async def _walk_all(self, walk: _Walk, windows: list[Window]) -> list[ReportResult]:
        parts = await asyncio.gather(*(self._walk(walk, w) for w in windows))
        return [result for part in parts for result in part]

    async def _walk(self, walk: _Walk, window: Window) -> list[ReportResult]:
        result = await self.report(walk.api, date_ini=window[0], date_end=window[1], **walk.selectors)
        halves = walk.halves(result)
        return await self._walk_all(walk, halves) if halves else [walk.settled(result)]
