"""The records reports are built from, per ``report.rows`` of the catalogue, and the named
filters (``report.where``) on them.

Generated days (``wolkvox_mock.state.history``) hold calls, chats, sessions, dials and
interactions; the other records are views over them made per call (agent events, hold and
mute actions, session slices, quality evaluations, speech analytics), plus what the fake
itself recorded: interactions of ``add_interaction`` and the configuration.php collections
(Law 2300 releases, speech on demand).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from wolkvox_mock.handlers.report_values import ReportContext
from wolkvox_mock.state.history import Call, Chat, Day, Omni, Session
from wolkvox_mock.state.models import State

__all__ = [
    "ATTRIBUTES",
    "FILTERS",
    "SOURCES",
    "AuxPeriod",
    "Event",
    "HoldAction",
    "Scored",
    "Slice",
    "Stored",
    "recorded_omni",
]

_SLOT = 1800


@dataclass(slots=True)
class Slice:
    """Half an hour of one agent's session: seconds logged in and in auxiliary states."""

    agent: int
    day: Any
    sec: int
    login: int
    aux: int
    session: Session


@dataclass(slots=True)
class AuxPeriod:
    """One auxiliary period of an agent."""

    agent: int
    day: Any
    sec: int
    state: str
    seconds: int


@dataclass(slots=True)
class Event:
    """One agent state change (READY, RING, TALK, ACW or an auxiliary state)."""

    agent: int
    day: Any
    sec: int
    status: str
    seconds: int
    call: Call | None


@dataclass(slots=True)
class HoldAction:
    """One hold or mute of a call."""

    agent: int
    day: Any
    sec: int
    action: str
    seconds: int
    call: Call


@dataclass(slots=True)
class Scored:
    """One attribute of the quality matrix, scored on one evaluated call or chat."""

    record: Call | Chat
    index: int

    @property
    def day(self) -> Any:
        """The evaluated record's day."""
        return self.record.day

    @property
    def sec(self) -> int:
        """The evaluated record's start."""
        return self.record.sec

    @property
    def agent(self) -> int:
        """The evaluated agent."""
        return self.record.agent


@dataclass(slots=True)
class Stored:
    """A record the fake keeps in a collection (a dict), placed in time."""

    day: Any
    sec: int
    values: dict[str, Any]
    agent: int = -1


def _slices(session: Session) -> Iterator[Slice]:
    slot = session.login - session.login % _SLOT
    while slot < session.logout:
        start, end = max(slot, session.login), min(slot + _SLOT, session.logout)
        aux = sum(
            max(0, min(a_start + seconds, end) - max(a_start, start)) for _, a_start, seconds in session.aux
        )
        yield Slice(session.agent, session.day, start, end - start, aux, session)
        slot += _SLOT


def _activity(days: Iterable[Day], ctx: ReportContext) -> Iterator[Any]:
    for day in days:
        for session in day.sessions:
            yield from _slices(session)
        yield from (c for c in day.calls if c.agent >= 0)


def _aux(days: Iterable[Day], ctx: ReportContext) -> Iterator[Any]:
    for day in days:
        for s in day.sessions:
            yield from (AuxPeriod(s.agent, s.day, start, state, sec) for state, start, sec in s.aux)


def _events(days: Iterable[Day], ctx: ReportContext) -> Iterator[Any]:
    for day in days:
        for s in day.sessions:
            yield Event(s.agent, s.day, s.login, "READY", 0, None)
            yield from (Event(s.agent, s.day, start, state, sec, None) for state, start, sec in s.aux)
        for c in day.calls:
            if c.agent < 0:
                continue
            at = c.sec + c.ivr + c.wait
            yield Event(c.agent, c.day, at, "RING", c.ring, c)
            if c.talk:
                yield Event(c.agent, c.day, at + c.ring, "TALK", c.talk, c)
                yield Event(c.agent, c.day, at + c.ring + c.talk, "ACW", c.acw, c)


def _holds(days: Iterable[Day], ctx: ReportContext) -> Iterator[Any]:
    for day in days:
        for c in day.calls:
            start = c.sec + c.ivr + c.wait + c.ring
            if c.hold:
                yield HoldAction(c.agent, c.day, start + c.talk // 4, "hold", c.hold, c)
            if c.mute:
                yield HoldAction(c.agent, c.day, start + c.talk // 2, "mute", c.mute, c)


def _presence(days: Iterable[Day], ctx: ReportContext) -> Iterator[Any]:
    for day in days:
        yield from day.sessions


def _calls(days: Iterable[Day], ctx: ReportContext) -> Iterator[Any]:
    for day in days:
        yield from day.calls


def _chats(days: Iterable[Day], ctx: ReportContext) -> Iterator[Any]:
    for day in days:
        yield from day.chats


def _dials(days: Iterable[Day], ctx: ReportContext) -> Iterator[Any]:
    for day in days:
        yield from day.dials


def _omni(days: Iterable[Day], ctx: ReportContext) -> Iterator[Any]:
    for day in days:
        yield from day.omni


def _evaluated(record: Call | Chat) -> bool:
    # One call or chat in 25 handled by an agent is evaluated (ours).
    return record.agent >= 0 and record.extra % 25 == 0 and (not isinstance(record, Call) or record.talk > 0)


def _evaluations(days: Iterable[Day], ctx: ReportContext) -> Iterator[Any]:
    for day in days:
        yield from (c for c in day.calls if _evaluated(c))
        yield from (c for c in day.chats if _evaluated(c))


#: The quality matrix attributes every evaluation scores (ours): (attribute, category, critical).
ATTRIBUTES = (
    ("Saludo", "Protocolo", False),
    ("Identifica al cliente", "Seguridad", True),
    ("Resuelve la solicitud", "Resolucion", True),
    ("Despedida", "Protocolo", False),
)


def _attributes(days: Iterable[Day], ctx: ReportContext) -> Iterator[Any]:
    for record in _evaluations(days, ctx):
        for index in range(len(ATTRIBUTES)):
            yield Scored(record, index)


def _speech(days: Iterable[Day], ctx: ReportContext) -> Iterator[Any]:
    # One answered call or attended chat in 4 goes through speech analytics (ours).
    for day in days:
        yield from (c for c in day.calls if c.talk and c.agent >= 0 and c.extra % 4 == 0)
        yield from (c for c in day.chats if c.agent >= 0 and c.extra % 4 == 0)


def _stored(ctx: ReportContext, name: str, when: str) -> Iterator[Any]:
    zone = ZoneInfo(ctx.op.timezone)
    agents = {agent_id: i for i, (agent_id, _, _) in enumerate(ctx.roster.agents)}
    for item in ctx.op.collections.get(name) or []:
        try:
            moment = datetime.fromisoformat(str(item.get(when, "")))
        except ValueError:
            continue
        if moment.tzinfo is not None:
            moment = moment.astimezone(zone).replace(tzinfo=None)
        sec = moment.hour * 3600 + moment.minute * 60 + moment.second
        yield Stored(moment.date(), sec, item, agents.get(str(item.get("agent_id", "")), -1))


def _law2300(days: Iterable[Day], ctx: ReportContext) -> Iterator[Any]:
    return _stored(ctx, "law2300_releases", "time")


def _speech_on_demand(days: Iterable[Day], ctx: ReportContext) -> Iterator[Any]:
    return _stored(ctx, "speech_on_demand", "time")


def recorded_omni(state: State, ctx: ReportContext) -> list[Omni]:
    """The interactions ``add_interaction`` recorded on this operation, as report records:
    e-mails received on their routing point, assigned to their agent, still open."""
    zone = ZoneInfo(ctx.op.timezone)
    agents = {agent_id: i for i, (agent_id, _, _) in enumerate(ctx.roster.agents)}
    found = []
    for item in state.interactions:
        if item.server != ctx.op.server:
            continue
        moment = datetime.fromisoformat(item.time)
        if moment.tzinfo is not None:
            moment = moment.astimezone(zone).replace(tzinfo=None)
        sec = moment.hour * 3600 + moment.minute * 60 + moment.second
        fields = item.fields
        found.append(
            Omni(
                f"interaction-{item.id}",
                moment.date(),
                sec,
                -1,
                "Email",
                agents.get(item.agent_id, -1),
                -1,
                fields.get("subject", ""),
                fields.get("from", ""),
                fields.get("to", ""),
                fields.get("body", ""),
                "open",
                -1,
                False,
                item.agent_id,
            )
        )
    return found


Records = Callable[[Iterable[Day], ReportContext], Iterable[Any]]

#: ``report.rows`` -> the records of those days.
SOURCES: dict[str, Records] = {
    "activity": _activity,
    "events": _events,
    "aux": _aux,
    "presence": _presence,
    "holds": _holds,
    "calls": _calls,
    "chats": _chats,
    "dials": _dials,
    "interactions": _omni,
    "evaluations": _evaluations,
    "attributes": _attributes,
    "speech": _speech,
    "law2300": _law2300,
    "speech_on_demand": _speech_on_demand,
}

_MACHINE = ("no-answer", "answer-machine", "busy", "congestion", "failed")

#: ``report.where`` -> which records a report keeps (ours where Wolkvox does not say).
FILTERS: dict[str, Callable[[Any], bool]] = {
    "campaign": lambda r: isinstance(r, Call) and r.campaign >= 0,
    "skill": lambda r: isinstance(r, Call) and r.skill >= 0,
    "transferred": lambda r: (
        r.peer >= 0 and (not isinstance(r, Call) or r.kind in ("transfer", "conference"))
    ),
    "queued": lambda r: r.kind == "inbound" and r.skill >= 0,
    "abandoned": lambda r: r.kind == "inbound" and r.outcome == "abandon",
    "answered_queue": lambda r: r.kind == "inbound" and r.outcome == "answer" and r.skill >= 0,
    "connected": lambda r: r.talk > 0,
    "not_connected": lambda r: r.talk == 0 and r.outcome not in ("answer", "abandon"),
    "nlp": lambda r: r.talk > 0 and r.extra % 7 == 0,
    "cobrowsing": lambda r: r.talk > 0 and r.extra % 31 == 0,
    "coded": lambda r: r.cod >= 0,
    "uncoded": lambda r: r.cod < 0 and r.agent >= 0 and r.talk > 0,
    "ivr": lambda r: r.rp >= 0,
    "smart_wait": lambda r: r.kind == "inbound" and r.wait > 60,
    "survey": lambda r: r.kind == "inbound" and r.talk > 0 and r.extra % 10 == 0,
    "asr": lambda r: r.rp >= 0 and r.extra % 5 == 0,
    "tts": lambda r: r.rp >= 0 and r.extra % 3 == 0,
    "sentiment": lambda r: r.talk > 0 and r.extra % 11 == 0,
    "copilot": lambda r: r.talk > 0 and r.extra % 13 == 0,
    "copilot_positive": lambda r: r.talk > 0 and r.extra % 13 == 0 and r.extra % 2 == 0,
    "copilot_negative": lambda r: r.talk > 0 and r.extra % 13 == 0 and r.extra % 2 == 1,
    "preview": lambda r: r.preview >= 0,
    "sms": lambda r: r.channel == "sms",
    "email": lambda r: r.channel == "email",
    "whatsapp": lambda r: r.channel == "whatsapp",
    "final": lambda r: r.last,
    "phone": lambda r: r.channel == "voice",
    "machine": lambda r: r.channel == "voice" and r.result == "answer-machine",
    "amd": lambda r: r.channel == "voice" and r.result in ("answer", "answer-machine"),
    "machine_result": lambda r: r.channel == "voice" and r.result in _MACHINE,
    "bot": lambda r: r.bot > 0,
    "click_to_whatsapp": lambda r: r.channel == "whatsapp" and r.extra % 5 == 0,
    "closed": lambda r: r.close >= 0 and not r.sent,
    "sent": lambda r: r.sent,
}
