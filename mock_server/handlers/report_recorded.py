"""What the fake recorded itself, as report records: agentbox calls and agent sessions
(``Operation.sessions``) and campaign dials (``Operation.campaigns``), so a test can create
activity through the API and read it back in reports_manager.php (docs/reports.md).

The records are the generated history's own kinds (``Call``, ``Session``, ``Dial``), so every
report, field and counter treats them as it treats generated ones. How they are read (ours):

- an agent's call (agentbox ``dial``, ``aux_call``) is a connected call of at least one
  second, from its start to the agent's hang-up (or now), then its ACW until the agent left
  ACW; its codes are those the agent typed; a call transferred to another agent is the first
  agent's, with the other as its transfer target (``peer``), until the last one hangs up;
- a dialer call that did not connect (no answer, busy...) is a not-connected call (``cdr_5``,
  ``cdr_6``); every call placed for a campaign record (dialer or preview) is a dial, one per
  attempt, the record's latest attempt being its final one unless a recall is pending;
- a session, open or ended, is one ``Session`` per day it touches, its auxiliary stretches
  its auxiliary periods.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from wolkvox_mock.handlers.report_values import ReportContext
from wolkvox_mock.state.campaigns import Record
from wolkvox_mock.state.history import Call, Dial, Session
from wolkvox_mock.state.models import Operation
from wolkvox_mock.state.sessions import AgentSession, CallRecord

__all__ = ["Recorded", "recorded_activity"]

_DAY = 86_400
#: A dialer result (Wolkvox's filter vocabulary) -> the not-connected result cdr_5 shows.
_NOT_CONNECTED = {
    "no-answer": "No answer",
    "busy": "Busy",
    "congestion": "Congestion",
    "chanunavail": "Chanunavail",
    "failed": "Chanunavail",
}


@dataclass
class Recorded:
    """The fake's own records of one day."""

    calls: list[Call] = field(default_factory=list)
    sessions: list[Session] = field(default_factory=list)
    dials: list[Dial] = field(default_factory=list)


class _Reader:
    """Reads one operation's books in its time zone, over one report's roster."""

    def __init__(self, op: Operation, rctx: ReportContext) -> None:
        self.op, self.rctx, self.zone = op, rctx, ZoneInfo(op.timezone)
        self.agents = {agent_id: i for i, (agent_id, _, _) in enumerate(rctx.roster.agents)}
        self.campaigns = {c: i for i, c in enumerate(rctx.roster.campaigns)}
        self.codes = tuple({code: i for i, (code, _) in enumerate(group)} for group in rctx.roster.codes)
        self.days: dict[date, Recorded] = {}
        self.first, self.last = rctx.start.date(), rctx.end.date()
        #: (campaign_id, conn_id) -> the record whose latest call it is.
        self.latest = {
            (campaign.campaign_id, record.conn_id): record
            for campaign in op.campaigns
            for record in campaign.records.values()
            if record.conn_id
        }

    def wanted(self, moment: datetime) -> bool:
        """Whether ``moment`` (local) is on a day of the report's range."""
        return self.first <= moment.date() <= self.last

    def local(self, iso: str) -> datetime:
        """An ISO 8601 time of the books as a naive time of the operation's zone."""
        moment = datetime.fromisoformat(iso)
        return moment if moment.tzinfo is None else moment.astimezone(self.zone).replace(tzinfo=None)

    def day(self, when: date) -> Recorded:
        return self.days.setdefault(when, Recorded())


def _sec(moment: datetime) -> int:
    return moment.hour * 3600 + moment.minute * 60 + moment.second


def _number(text: str) -> int:
    return int(text) if text.isascii() and text.isdecimal() else 0


def _extra(conn_id: str) -> int:
    # Optional details (surveys, speech...) are derived from 30 bits, as for generated calls.
    return zlib.crc32(conn_id.encode()) & ((1 << 30) - 1)


def _acw_after(
    reader: _Reader, sessions: Iterable[AgentSession], now: datetime
) -> dict[tuple[str, str], float]:
    """(agent_id, ACW start) -> seconds in that ACW, ongoing ones up to ``now``."""
    found: dict[tuple[str, str], float] = {}
    for session in sessions:
        spans = [(start, end) for status, _, start, end in session.stretches if status == "acw"]
        if session.status == "acw" and session.since and not session.logout:
            spans.append((session.since, now.isoformat()))
        for start, end in spans:
            with suppress(ValueError):  # a seeded time that is not ISO 8601: no ACW known
                found[(session.agent_id, start)] = max(
                    (reader.local(end) - reader.local(start)).total_seconds(), 0
                )
    return found


def _agent_call(reader: _Reader, call: CallRecord, acw: dict[tuple[str, str], float], now: datetime) -> int:
    """Record an agent's call; its talk seconds."""
    start = reader.local(call.date)
    ended = reader.local(call.ended) if call.ended else reader.local(now.isoformat())
    talk = max(int((ended - start).total_seconds()), 1)  # an answered call lasts a second at least
    cod1, cod2 = reader.codes
    reader.day(start.date()).calls.append(
        Call(
            0,
            start.date(),
            _sec(start),
            call.type_interaction,
            reader.agents.get(call.transferred_from or call.agent_id, -1),
            -1,
            reader.campaigns.get(call.campaign_id, -1),
            -1,
            0,
            0,
            0,
            talk,
            int(acw.get((call.agent_id, call.ended), 0.0)) if call.ended else 0,
            0,
            0,
            "answer",
            "agent",
            cod1.get(call.cod_act, -1),
            cod2.get(call.cod_act_2, -1),
            _number(call.telephone),
            _number(call.customer_id),
            reader.agents.get(call.agent_id, -1) if call.transferred_from else -1,
            _extra(call.conn_id),
            (call.conn_id, call.telephone, call.customer_id),
        )
    )
    return talk


def _dialer_call(reader: _Reader, call: CallRecord) -> None:
    result = _NOT_CONNECTED.get(call.result.replace(" ", "-"))
    if result is None:
        return  # answered by the dialer: reported as a campaign dial only
    start = reader.local(call.date)
    reader.day(start.date()).calls.append(
        Call(
            0,
            start.date(),
            _sec(start),
            "out_pre",
            -1,
            -1,
            reader.campaigns.get(call.campaign_id, -1),
            -1,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            result,
            "system",
            -1,
            -1,
            _number(call.telephone),
            _number(call.customer_id),
            -1,
            _extra(call.conn_id),
            (call.conn_id, call.telephone, call.customer_id),
        )
    )


def _dial(reader: _Reader, call: CallRecord, attempt: int, talk: int) -> None:
    campaign = reader.op.campaigns.campaigns.get(call.campaign_id)
    index = reader.campaigns.get(call.campaign_id, -1)
    if campaign is None or index < 0:
        return
    record: Record | None = reader.latest.get((call.campaign_id, call.conn_id))
    final = record is not None and record.status != "scheduled"
    fields = record.fields if record is not None else {}
    code = (record.cod_act if record is not None and record.cod_act else call.cod_act) or ""
    start = reader.local(call.date)
    reader.day(start.date()).dials.append(
        Dial(
            call.conn_id,
            start.date(),
            _sec(start),
            index,
            reader.agents.get(call.agent_id, -1),
            call.result.replace(" ", "-"),
            attempt,
            final,
            call.telephone,
            call.customer_id,
            fields.get("customer_name", ""),
            fields.get("customer_last_name", ""),
            0,
            talk,
            0 if campaign.type == "preview" else -1,
            reader.codes[0].get(code, -1),
            "voice",
            _extra(call.conn_id),
        )
    )


def _calls(reader: _Reader, sessions: list[AgentSession], now: datetime) -> None:
    acw = _acw_after(reader, sessions, now)
    attempts: dict[tuple[str, str], int] = {}
    for call in reader.op.sessions.log:
        key = (call.campaign_id, call.customer_id)
        if call.campaign_id:  # attempts are counted from the first, in range or not
            attempts[key] = attempts.get(key, 0) + 1
        with suppress(ValueError):  # a seeded call whose times are not ISO 8601 is not reported
            if reader.wanted(reader.local(call.date)):
                _call(reader, call, attempts.get(key, 0), acw, now)


def _call(
    reader: _Reader, call: CallRecord, attempt: int, acw: dict[tuple[str, str], float], now: datetime
) -> None:
    talk = 0
    if call.agent_id:
        talk = _agent_call(reader, call, acw, now)
    else:
        _dialer_call(reader, call)
    if call.campaign_id:
        _dial(reader, call, attempt, talk)


def _split(reader: _Reader, session: AgentSession, now: datetime) -> None:
    """One ``Session`` per day the session touches, with its auxiliary stretches."""
    agent = reader.agents.get(session.agent_id, -1)
    if agent < 0 or not session.login:
        return
    login = reader.local(session.login)
    logout = reader.local(session.logout) if session.logout else reader.local(now.isoformat())
    stretches = [(s[1], reader.local(s[2]), reader.local(s[3])) for s in session.stretches if s[0] == "aux"]
    if session.status == "aux" and session.since and not session.logout:
        stretches.append((session.aux_id, reader.local(session.since), logout))
    names = reader.op.sessions.aux_states
    day = max(login.date(), reader.first)
    while day <= min(logout.date(), reader.last):
        first = datetime.combine(day, datetime.min.time())
        low, high = max(login, first), min(logout, first + timedelta(seconds=_DAY - 1))
        aux = tuple(
            (names.get(aux_id, aux_id), _sec(max(a, low)), int((min(b, high) - max(a, low)).total_seconds()))
            for aux_id, a, b in stretches
            if a < high and b > low
        )
        reader.day(day).sessions.append(Session(agent, day, _sec(low), _sec(high), aux))
        day += timedelta(days=1)


def recorded_activity(op: Operation, rctx: ReportContext, now: datetime) -> dict[date, Recorded]:
    """The fake's own calls, sessions and dials on ``op``, by day of the operation's time zone
    (``now``: the fake's clock, aware; open sessions and calls run up to it)."""
    reader = _Reader(op, rctx)
    sessions = [*op.sessions.ended, *op.sessions.sessions.values()]
    _calls(reader, sessions, now)
    for session in sessions:
        with suppress(ValueError):  # a seeded session whose times are not ISO 8601 is not reported
            _split(reader, session, now)
    for recorded in reader.days.values():
        recorded.calls.sort(key=lambda c: c.sec)
        recorded.dials.sort(key=lambda d: d.sec)
    return reader.days
