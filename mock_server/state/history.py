"""A contact center's past, generated: calls, chats, agent sessions, campaign dials and
omnichannel interactions, for the reports of ``reports_manager.php`` (docs/reports.md).

Pure Python, no clock and no I/O. Each kind of record of a day is generated on its own from a
``random.Random`` seeded with the text ``"{seed}|{server}|{YYYY-MM-DD}|{kind}"`` (a text seed
is hashed with SHA-512, so the same seed gives the same rows on every machine and in every
process), over the operation's agents, skills, routing points, activity codes and campaigns
(the ``Roster``). Records are generated when a report first reads them and kept in bounded
caches (``DAY_CACHE_SIZE`` days per kind), so a month over 10,000 calls a day costs a bounded
amount of memory.

Which days have history is the operation's ``collections["history"]`` (``HistoryConfig``):
the ``days`` days up to ``end`` (the day the fake was started when empty). It travels with
the state, so seeds and exports carry it.
"""

from __future__ import annotations

import random
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from heapq import merge
from itertools import accumulate
from math import log
from typing import Any, TypeVar

from wolkvox_mock.state.models import Operation

T = TypeVar("T")

__all__ = [
    "AUX_STATES",
    "DAY_CACHE_SIZE",
    "Call",
    "Chat",
    "Day",
    "Dial",
    "HistoryConfig",
    "Omni",
    "Roster",
    "Session",
    "cached_records",
    "clear_cache",
    "generate_day",
]

#: Days kept generated at once (a 31-day range fits, with room for a second caller).
DAY_CACHE_SIZE = 40
#: Auxiliary states an agent may be in when the operation defines none (ours: Manager-defined).
AUX_STATES = ("Break", "Lunch", "Training", "Meeting")
_DEFAULT_CODES = (("1", "Venta"), ("2", "Informacion"), ("3", "Reclamo"), ("4", "Volver a llamar"))
_DEFAULT_CAMPAIGNS = ("101", "102")
_VOICE_KINDS = ("inbound", "out_pre", "outbound_ma", "internal call", "transfer", "conference")
_VOICE_WEIGHTS = tuple(accumulate((55, 15, 15, 5, 5, 5)))
_NOT_CONNECTED = ("Cancel", "Chanunavail", "Congestion", "Busy", "No answer", "Tcpa", "Do not call")
_CHAT_CHANNELS = ("whatsapp", "web", "facebook", "instagram")
_CHAT_WEIGHTS = tuple(accumulate((50, 25, 15, 10)))
_OMNI_CHANNELS = ("Email", "facebook_page", "instagram", "twitter")
_DIAL_RESULTS = ("answer", "no-answer", "busy", "answer-machine", "failed", "congestion", "abandon")
_DIAL_WEIGHTS = tuple(accumulate((45, 20, 10, 12, 5, 4, 4)))
_DIAL_CHANNELS = ("voice", "sms", "whatsapp", "email")
_DIAL_CHANNEL_WEIGHTS = tuple(accumulate((80, 8, 8, 4)))
_OMNI_WEIGHTS = tuple(accumulate((60, 15, 15, 10)))
_FEELINGS = ("very negative", "negative", "neutral", "neutral", "positive", "very positive")
_FIRST = ("Ana", "Luis", "Maria", "Carlos", "Sofia", "Jorge", "Lucia", "Andres", "Camila", "Pedro")
_LAST = ("Gomez", "Rodriguez", "Lopez", "Martinez", "Garcia", "Perez", "Sanchez", "Ramirez")
_DAY = 86_400


@dataclass(frozen=True)
class HistoryConfig:
    """Which days have generated history, from which seed, and how busy they are."""

    seed: str = "wolkvox-mock"
    #: Days of history up to ``end`` (0: no generated history, only what the fake records).
    days: int = 0
    #: Last day with history, ``YYYY-MM-DD`` in the operation's time zone ("" = today).
    end: str = ""
    #: Voice calls a day; chats are a quarter of it, dials a fifth, interactions a twentieth.
    calls_per_day: int = 200
    #: Rows one report call answers at most: Wolkvox's documented 60,000; lower it to test how
    #: a client pages through a full answer without generating 60,000 rows.
    max_records: int = 60_000

    @classmethod
    def of(cls, op: Operation) -> HistoryConfig:
        """The operation's history settings (none: no generated history)."""
        raw: dict[str, Any] = op.collections.get("history") or {}
        return cls(
            seed=str(raw.get("seed", cls.seed)),
            days=int(raw.get("days", 0)),
            end=str(raw.get("end", "") or ""),
            calls_per_day=int(raw.get("calls_per_day", cls.calls_per_day)),
            max_records=int(raw.get("max_records", cls.max_records)),
        )

    def as_dict(self) -> dict[str, Any]:
        """The JSON form kept in ``Operation.collections["history"]``."""
        found: dict[str, Any] = {
            "seed": self.seed,
            "days": self.days,
            "end": self.end,
            "calls_per_day": self.calls_per_day,
        }
        if self.max_records != HistoryConfig.max_records:  # written only when lowered
            found["max_records"] = self.max_records
        return found

    def apply(self, op: Operation) -> None:
        """Give ``op`` this history (kept in its collections, so exports and seeds carry it)."""
        op.collections["history"] = self.as_dict()

    def covers(self, day: date, today: date) -> bool:
        """Whether ``day`` has generated history (``today`` stands in for an empty ``end``)."""
        last = date.fromisoformat(self.end) if self.end else today
        return self.days > 0 and last - timedelta(days=self.days - 1) <= day <= last


@dataclass(frozen=True)
class Roster:
    """What a day's history is drawn over: the operation's people, queues and codes. Hashable,
    so it is part of the day cache's key (editing an agent's name changes the history)."""

    server: str
    agents: tuple[tuple[str, str, str], ...]  # (agent_id, name, dni), enabled agents, sorted
    skills: tuple[tuple[str, str], ...]  # (skill_id, name)
    skill_agents: tuple[tuple[int, ...], ...]  # indexes into agents, per skill
    routing_points: tuple[tuple[str, str], ...]  # (rp_id, name)
    codes: tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]  # cod_act1, cod_act2
    campaigns: tuple[str, ...]
    aux_states: tuple[str, ...]

    @classmethod
    def of(cls, op: Operation) -> Roster:
        """The roster of ``op`` as it is now."""
        agents = tuple(
            (a.agent_id, a.name or f"Agent {a.agent_id}", a.dni or f"9{a.agent_id.zfill(7)}")
            for a in sorted(op.agents.values(), key=lambda a: _numeric_first(a.agent_id))
            if a.enabled
        )
        index = {agent_id: i for i, (agent_id, _, _) in enumerate(agents)}
        skills = sorted(op.skills.values(), key=lambda s: _numeric_first(s.skill_id))
        return cls(
            server=op.server,
            agents=agents,
            skills=tuple((s.skill_id, s.name or f"Skill {s.skill_id}") for s in skills),
            skill_agents=tuple(tuple(sorted(index[a] for a in s.agents if a in index)) for s in skills),
            routing_points=tuple(
                (rp.rp_id, rp.name or f"RP {rp.rp_id}")
                for rp in sorted(op.routing_points.values(), key=lambda r: _numeric_first(r.rp_id))
            ),
            codes=(_codes(op, "cod_act1"), _codes(op, "cod_act2")),
            campaigns=_campaigns(op),
            aux_states=tuple(op.collections.get("aux_states") or AUX_STATES),
        )


def _numeric_first(value: str) -> tuple[int, int, str]:
    return (0, int(value), "") if value.isdecimal() else (1, 0, value)


def _codes(op: Operation, group: str) -> tuple[tuple[str, str], ...]:
    found = (op.collections.get("activity_codes") or {}).get(group) or {}
    codes = tuple(
        (str(code), str((attrs or {}).get("description_cod_act", code)))
        for code, attrs in sorted(found.items())
    )
    return codes or _DEFAULT_CODES


def _campaigns(op: Operation) -> tuple[str, ...]:
    # The seed's campaigns and those campaign.php created (their dials are reported too).
    found = {str(c) for c in op.collections.get("campaigns") or {}} | set(op.campaigns.campaigns)
    return tuple(sorted(found)) or _DEFAULT_CAMPAIGNS


# Slots: a month at 10,000 calls a day keeps ~300,000 of these (bench/reports.py measures it).
@dataclass(slots=True)
class Call:
    """One voice call. Times are seconds from the day's midnight (operation time zone):
    the call starts at ``sec``, spends ``ivr`` in the routing point, ``wait`` in the queue and
    ``ring`` ringing, then ``talk`` connected; ``acw`` of after-call work follows."""

    number: int  # the call's number in its day; conn_id is "{seconds since 1970}.{number}"
    day: date
    sec: int
    kind: str  # type_interaction
    agent: int  # index in Roster.agents, -1: none
    skill: int  # -1: none
    campaign: int  # -1: none
    rp: int  # -1: none
    ivr: int
    wait: int
    ring: int
    talk: int
    acw: int
    hold: int
    mute: int
    outcome: str  # "answer", "abandon", or a not-connected result (cdr_5)
    hang_up: str
    cod: int  # index in Roster.codes[0], -1: not coded
    cod2: int  # index in Roster.codes[1], -1: none
    phone_number: int  # kept as numbers: a month of calls is ~300,000 of these
    customer_number: int
    peer: int  # transfer/conference target agent, -1: none
    extra: int  # 30 random bits from which optional details are derived
    #: (conn_id, telephone, customer id) of a call the fake itself placed (agentbox, dialer).
    recorded: tuple[str, str, str] | None = None

    @property
    def conn_id(self) -> str:
        """The call's id, ``"{seconds since 1970 at its start}.{number}"`` (dot-separated
        digits), or the conn_id the fake gave a call it placed itself."""
        if self.recorded is not None:
            return self.recorded[0]
        return f"{_stamp(self.day) + self.sec}.{self.number}"

    @property
    def phone(self) -> str:
        """The customer's telephone."""
        return str(self.phone_number) if self.recorded is None else self.recorded[1]

    @property
    def customer(self) -> str:
        """The customer's id."""
        return str(self.customer_number) if self.recorded is None else self.recorded[2]

    @property
    def end(self) -> int:
        """Second of the day the call ended (before after-call work)."""
        return self.sec + self.ivr + self.wait + self.ring + self.talk


@dataclass(slots=True)
class Chat:
    """One chat: ``bot`` seconds with the chatbot, ``asa`` waiting, ``on_agent`` with the agent."""

    conn_id: str
    day: date
    sec: int
    channel: str
    agent: int
    skill: int
    rp: int
    bot: int
    asa: int
    on_agent: int
    customer_chars: int
    agent_chars: int
    answers: int
    cod: int
    feeling: str
    last: str
    name: str
    phone: str
    customer: str
    peer: int
    extra: int

    @property
    def end(self) -> int:
        """Second of the day the chat was closed."""
        return self.sec + self.bot + self.asa + self.on_agent


@dataclass(slots=True)
class Session:
    """One agent's day: logged in from ``login`` to ``logout``, with auxiliary periods
    ``(state, start second, seconds)``."""

    agent: int
    day: date
    login: int
    logout: int
    aux: tuple[tuple[str, int, int], ...]

    @property
    def sec(self) -> int:
        """When the session started (its login)."""
        return self.login


@dataclass(slots=True)
class Dial:
    """One campaign attempt on one record (``attempt`` 1, 2, ...); ``last`` marks the final one."""

    conn_id: str
    day: date
    sec: int
    campaign: int
    agent: int
    result: str
    attempt: int
    last: bool
    phone: str
    customer: str
    name: str
    last_name: str
    ring: int
    talk: int
    preview: int  # seconds the agent previewed the record, -1: not a preview campaign
    cod: int
    channel: str  # voice, sms, whatsapp, email
    extra: int


@dataclass(slots=True)
class Omni:
    """One omnichannel interaction (e-mail, social): received, or ``sent`` by an agent."""

    conn_id: str
    day: date
    sec: int
    close: int  # second of the day it was closed, -1: still open
    channel: str
    agent: int
    skill: int
    subject: str
    sender: str
    to: str
    body: str
    status: str
    cod: int
    sent: bool
    agent_id: str = ""  # set when it came from the fake's own add_interaction


@dataclass(frozen=True)
class Day:
    """One day of history. Each kind of record is generated the first time it is read, from
    its own random stream (``"{seed}|{server}|{day}|calls"``...), and cached on its own: a
    report of calls never generates chats. The ``extra_*`` records are what the fake recorded
    itself that day (interactions, agentbox calls and sessions, campaign dials), merged in time
    order with the generated ones."""

    day: date
    seed: str = ""
    calls_per_day: int = 0
    roster: Roster | None = None
    extra_omni: tuple[Omni, ...] = ()
    extra_calls: tuple[Call, ...] = ()
    extra_sessions: tuple[Session, ...] = ()
    extra_dials: tuple[Dial, ...] = ()

    def _key(self) -> tuple[str, int, Roster, date] | None:
        if self.roster is None or self.calls_per_day <= 0:
            return None
        return (self.seed, self.calls_per_day, self.roster, self.day)

    @property
    def sessions(self) -> tuple[Session, ...]:
        """The agents' sessions of the day."""
        key = self._key()
        return (() if key is None else _sessions_of(key[0], key[2], key[3])) + self.extra_sessions

    @property
    def calls(self) -> tuple[Call, ...]:
        """The day's voice calls, in start order."""
        key = self._key()
        return _merged(() if key is None else _calls_of(*key), self.extra_calls)

    @property
    def chats(self) -> tuple[Chat, ...]:
        """The day's chats, in start order."""
        key = self._key()
        return () if key is None else _chats_of(*key)

    @property
    def dials(self) -> tuple[Dial, ...]:
        """The day's campaign attempts, in time order."""
        key = self._key()
        return _merged(() if key is None else _dials_of(*key), self.extra_dials)

    @property
    def omni(self) -> tuple[Omni, ...]:
        """The day's e-mail and social interactions, then those the fake recorded."""
        key = self._key()
        return (() if key is None else _omni_of(*key)) + self.extra_omni


R = TypeVar("R", Call, Dial)


def _merged(generated: tuple[R, ...], recorded: tuple[R, ...]) -> tuple[R, ...]:
    """Both in time order (each already is); the generated tuple itself when nothing was recorded."""
    if not recorded:
        return generated
    return tuple(merge(generated, recorded, key=lambda r: r.sec))


def generate_day(seed: str, calls_per_day: int, roster: Roster, day: date) -> Day:
    """The history of ``day``: a pure function of its arguments (records generated lazily)."""
    return Day(day, seed, calls_per_day, roster)


def clear_cache() -> None:
    """Forget every generated day (the next read generates it again, identically)."""
    for cached in _CACHED:
        cached.cache_clear()


def cached_records() -> int:
    """How many day streams are cached now (sessions, calls, chats, dials, interactions)."""
    return sum(cached.cache_info().currsize for cached in _CACHED)


def _rng(seed: str, roster: Roster, day: date, stream: str) -> _Draw:
    return _Draw(random.Random(f"{seed}|{roster.server}|{day.isoformat()}|{stream}"))


def _stamp(day: date) -> int:
    return (day - date(1970, 1, 1)).days * _DAY  # conn_id prefix: seconds since 1970 (local)


@lru_cache(maxsize=DAY_CACHE_SIZE)
def _sessions_of(seed: str, roster: Roster, day: date) -> tuple[Session, ...]:
    return _sessions(_rng(seed, roster, day, "sessions"), roster, day)


@lru_cache(maxsize=DAY_CACHE_SIZE)
def _calls_of(seed: str, calls_per_day: int, roster: Roster, day: date) -> tuple[Call, ...]:
    rng, stamp = _rng(seed, roster, day, "calls"), _stamp(day)
    on_duty = _on_duty(_sessions_of(seed, roster, day))
    calls = [_call(rng, roster, day, stamp, n, on_duty) for n in range(calls_per_day)]
    return tuple(sorted(calls, key=_by_sec))


@lru_cache(maxsize=DAY_CACHE_SIZE)
def _chats_of(seed: str, calls_per_day: int, roster: Roster, day: date) -> tuple[Chat, ...]:
    rng, stamp = _rng(seed, roster, day, "chats"), _stamp(day)
    return tuple(sorted((_chat(rng, roster, day, stamp, n) for n in range(calls_per_day // 4)), key=_by_sec))


@lru_cache(maxsize=DAY_CACHE_SIZE)
def _dials_of(seed: str, calls_per_day: int, roster: Roster, day: date) -> tuple[Dial, ...]:
    return _dials(_rng(seed, roster, day, "dials"), roster, day, _stamp(day), calls_per_day // 5)


@lru_cache(maxsize=DAY_CACHE_SIZE)
def _omni_of(seed: str, calls_per_day: int, roster: Roster, day: date) -> tuple[Omni, ...]:
    rng, stamp = _rng(seed, roster, day, "omni"), _stamp(day)
    return tuple(_omni(rng, roster, day, stamp, n) for n in range(calls_per_day // 20))


_CACHED = (_sessions_of, _calls_of, _chats_of, _dials_of, _omni_of)


class _Draw:
    """Fast draws from one ``random.Random`` (``random()`` is C; ``randrange`` is not), so a
    day of 10,000 calls is generated in a fraction of a second. Floats are IEEE doubles on
    every platform: the same seed gives the same draws everywhere."""

    __slots__ = ("rng", "u")

    def __init__(self, rng: random.Random) -> None:
        self.rng, self.u = rng, rng.random

    def between(self, low: int, high: int) -> int:
        """An int in [low, high)."""
        return low + int(self.u() * (high - low))

    def below(self, high: int) -> int:
        """An int in [0, high)."""
        return int(self.u() * high)

    def pick(self, options: Sequence[T]) -> T:
        """One of ``options``, all equally likely."""
        return options[int(self.u() * len(options))]

    def weighted(self, options: tuple[str, ...], cumulative: tuple[int, ...]) -> str:
        """One of ``options``, by cumulative weights."""
        return options[bisect_right(cumulative, self.u() * cumulative[-1])]

    def exp(self, mean: float) -> float:
        """An exponential draw of the given mean."""
        return -mean * log(1.0 - self.u())

    def peak(self, low: float, high: float, mode: float) -> int:
        """A triangular draw (busy hours around ``mode``)."""
        return int(self.rng.triangular(low, high, mode))

    def bits(self) -> int:
        """30 random bits."""
        return int(self.u() * (1 << 30))


def _by_sec(record: Call | Chat) -> int:
    return record.sec


def _sessions(rng: _Draw, roster: Roster, day: date) -> tuple[Session, ...]:
    weekend = day.weekday() >= 5
    sessions = []
    for index in range(len(roster.agents)):
        if rng.u() < (0.3 if weekend else 0.92):
            login = rng.between(6 * 3600, 10 * 3600)
            logout = min(login + rng.between(6 * 3600, 10 * 3600), _DAY - 1)
            aux = []
            for _ in range(rng.between(1, 4)):
                start = rng.between(login, logout - 3600)
                aux.append((rng.pick(roster.aux_states), start, rng.between(300, 2700)))
            aux.sort(key=lambda a: a[1])
            sessions.append(Session(index, day, login, logout, tuple(aux)))
    return tuple(sessions)


_SLOT = 600  # agents on duty are looked up per 10 minutes


def _on_duty(sessions: tuple[Session, ...]) -> tuple[tuple[int, ...], ...]:
    """For each 10 minutes of the day, the agents logged in when it starts."""
    return tuple(
        tuple(s.agent for s in sessions if s.login <= slot < s.logout) for slot in range(0, _DAY, _SLOT)
    )


def _phone(rng: _Draw) -> str:
    return f"3{rng.between(0, 10**9):09d}"


def _call(
    rng: _Draw, roster: Roster, day: date, stamp: int, n: int, on_duty: tuple[tuple[int, ...], ...]
) -> Call:
    kind = rng.weighted(_VOICE_KINDS, _VOICE_WEIGHTS)
    sec = rng.peak(6 * 3600, 21 * 3600, 11 * 3600)
    working = on_duty[sec // _SLOT]
    agent = rng.pick(working) if working else -1
    talk = min(int(20 + rng.exp(180)), 3600)
    ivr = wait = ring = acw = hold = mute = 0
    skill = campaign = rp = peer = -1
    outcome, hang_up = "answer", rng.pick(("agent", "customer"))
    if kind == "inbound":
        rp = rng.below(len(roster.routing_points)) if roster.routing_points else -1
        ivr = rng.between(5, 90)
        skill = rng.below(len(roster.skills)) if roster.skills else -1
        wait = min(int(rng.exp(25)), 600)
        if agent < 0 or wait > rng.exp(120):
            outcome, hang_up, agent, talk = "abandon", "customer", -1, 0
    elif kind in ("out_pre", "outbound_ma"):
        campaign = rng.below(len(roster.campaigns)) if kind == "out_pre" else -1
        if agent >= 0 and rng.u() < 0.35:
            outcome, hang_up, talk = rng.pick(_NOT_CONNECTED), "system", 0
    elif agent >= 0 and len(roster.agents) > 1:
        peer = (agent + 1 + rng.between(0, len(roster.agents) - 1)) % len(roster.agents)
    if agent < 0 and outcome == "answer":
        outcome, hang_up, talk = "Chanunavail", "system", 0
    if talk:
        ring, acw = rng.between(2, 12), rng.between(5, 90)
        hold = rng.between(5, max(6, talk // 3)) if rng.u() < 0.2 else 0
        mute = rng.between(2, max(3, talk // 5)) if rng.u() < 0.1 else 0
    elif outcome != "abandon":
        ring = rng.between(5, 40)
    codes, codes2 = roster.codes
    cod = rng.below(len(codes)) if talk and rng.u() < 0.9 else -1
    cod2 = rng.below(len(codes2)) if cod >= 0 and rng.u() < 0.5 else -1
    # Keep the whole call inside its day, so a day's history is self-contained.
    sec = min(sec, _DAY - 1 - (ivr + wait + ring + talk + acw))
    return Call(
        n + 1,
        day,
        sec,
        kind,
        agent,
        skill,
        campaign,
        rp,
        ivr,
        wait,
        ring,
        talk,
        acw,
        hold,
        mute,
        outcome,
        hang_up,
        cod,
        cod2,
        3_000_000_000 + rng.between(0, 10**9),
        rng.between(10**7, 10**10),
        peer,
        rng.bits(),
    )


def _chat(rng: _Draw, roster: Roster, day: date, stamp: int, n: int) -> Chat:
    channel = rng.weighted(_CHAT_CHANNELS, _CHAT_WEIGHTS)
    sec = rng.peak(0, 22 * 3600, 12 * 3600)
    bot = rng.between(10, 300)
    agent = rng.below(len(roster.agents)) if roster.agents and rng.u() < 0.75 else -1
    asa = rng.between(3, 180) if agent >= 0 else 0
    on_agent = rng.between(60, 1800) if agent >= 0 else 0
    sec = min(sec, _DAY - 1 - (bot + asa + on_agent))
    peer = -1
    if agent >= 0 and len(roster.agents) > 1 and rng.u() < 0.06:
        peer = (agent + 1) % len(roster.agents)
    codes = roster.codes[0]
    name = f"{rng.pick(_FIRST)} {rng.pick(_LAST)}"
    return Chat(
        f"{stamp + sec}.{900000 + n}",
        day,
        sec,
        channel,
        agent,
        rng.below(len(roster.skills)) if roster.skills and agent >= 0 else -1,
        rng.below(len(roster.routing_points)) if roster.routing_points else -1,
        bot,
        asa,
        on_agent,
        rng.between(20, 2000),
        rng.between(20, 3000) if agent >= 0 else 0,
        rng.between(1, 40) if agent >= 0 else 0,
        rng.below(len(codes)) if agent >= 0 and rng.u() < 0.85 else -1,
        rng.pick(_FEELINGS),
        rng.pick(("agent", "customer", "chat-bot")) if agent >= 0 else "chat-bot",
        name,
        _phone(rng),
        str(rng.between(10**7, 10**10)),
        peer,
        rng.bits(),
    )


def _dials(rng: _Draw, roster: Roster, day: date, stamp: int, count: int) -> tuple[Dial, ...]:
    dials: list[Dial] = []
    n = 0
    while len(dials) < count and roster.campaigns:
        campaign = rng.below(len(roster.campaigns))
        phone, customer = _phone(rng), str(rng.between(10**7, 10**10))
        name, last_name = rng.pick(_FIRST), rng.pick(_LAST)
        channel = rng.weighted(_DIAL_CHANNELS, _DIAL_CHANNEL_WEIGHTS)
        preview = campaign % 2 == 1 and channel == "voice"
        sec = rng.peak(7 * 3600, 19 * 3600, 10 * 3600)
        attempts = rng.between(1, 4)
        for attempt in range(1, attempts + 1):
            result = rng.weighted(_DIAL_RESULTS, _DIAL_WEIGHTS) if attempt < attempts else "answer"
            answered = result == "answer" and channel == "voice"
            agent = rng.below(len(roster.agents)) if answered and roster.agents else -1
            ring = rng.between(3, 30)
            talk = rng.between(20, 600) if agent >= 0 else 0
            sec = min(sec + attempt * rng.between(60, 1800), _DAY - 1 - ring - talk)
            n += 1
            dials.append(
                Dial(
                    f"{stamp + sec}.{500000 + n}",
                    day,
                    sec,
                    campaign,
                    agent,
                    result,
                    attempt,
                    attempt == attempts,
                    phone,
                    customer,
                    name,
                    last_name,
                    ring,
                    talk,
                    rng.between(5, 90) if preview else -1,
                    rng.below(len(roster.codes[0])) if agent >= 0 else -1,
                    channel,
                    rng.bits(),
                )
            )
    return tuple(sorted(dials, key=lambda d: d.sec))


def _omni(rng: _Draw, roster: Roster, day: date, stamp: int, n: int) -> Omni:
    sec = rng.peak(0, 20 * 3600, 10 * 3600)
    handled = rng.u() < 0.9
    close = sec + rng.between(600, 4 * 3600) if handled else -1
    close = min(close, _DAY - 1)
    name = f"{rng.pick(_FIRST)} {rng.pick(_LAST)}".lower().replace(" ", ".")
    sent = rng.u() < 0.2
    customer = f"{name}@example.com"
    return Omni(
        f"{stamp + sec}.{700000 + n}",
        day,
        sec,
        close,
        rng.weighted(_OMNI_CHANNELS, _OMNI_WEIGHTS),
        rng.below(len(roster.agents)) if roster.agents else -1,
        rng.below(len(roster.skills)) if roster.skills else -1,
        rng.pick(("Pedido", "Factura", "Soporte", "Garantia")) + f" {n + 1}",
        "agent@operation.example" if sent else customer,
        customer if sent else "contact@operation.example",
        "Mensaje de prueba",
        "close" if close >= 0 else "open",
        rng.below(len(roster.codes[0])) if handled else -1,
        sent,
    )
