"""Agent sessions (who is logged in, in which state, on which call) and the operation's recent
calls: what agentbox.php changes and real_time.php shows.

Pure Python: times are passed in. An agent logs in through the Python API, the control plane
or a seed (Wolkvox agents log in from the wolkvox Agent application, which no API drives);
agentbox then moves the session between states:

    Ready --dial/aux_call--> Talking --hang--> ACW --type--> Ready
    Talking --type--> Talking (typed) --hang--> Ready
    Talking --hang_type_ready--> Ready;  Talking --transfer--> ACW
    Ready/ACW/aux --change_status--> Ready, an auxiliary state, or logged out

Time counters (``ready_time``, ``talk_time``...) add up the seconds spent in each state, so
real_time's figures follow the fake's clock.

For the reports (reports_manager.php), the book also keeps what happened, bounded: every
stretch of a session in one state (``AgentSession.stretches``), the sessions that ended
(``SessionBook.ended``) and every call placed (``SessionBook.log``), beyond the hour the
call window keeps.
"""

from __future__ import annotations

import zlib
from collections import deque
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any

__all__ = [
    "AUX_STATES",
    "CALL_WINDOW",
    "ENDED_SIZE",
    "LOG_SIZE",
    "AgentSession",
    "CallRecord",
    "SessionBook",
]

#: Auxiliary states of a new operation (Manager's "Estados agentes" tab; ids and names ours).
AUX_STATES: dict[str, str] = {
    "1": "Active breaks",
    "2": "Lunch",
    "3": "Training",
    "4": "Meeting",
    "5": "Restroom",
}
#: How long the call log keeps a call (real_time shows at most the last hour).
CALL_WINDOW = timedelta(hours=1)
#: Calls the report log keeps (oldest dropped first; ours, a bound on memory).
LOG_SIZE = 100_000
#: Ended sessions kept for the reports (oldest dropped first; ours).
ENDED_SIZE = 10_000
#: The state names real_time shows (ours: Wolkvox does not publish its list).
STATE_NAMES = {"ready": "Ready", "talking": "Talking", "acw": "ACW", "logout": "Logout"}
_COUNTED = {"ready": "ready_time", "talking": "talk_time", "acw": "acw_time"}


@dataclass(slots=True)
class CallRecord:
    """One call placed by an agent or by the campaign dialer."""

    conn_id: str
    type_interaction: str
    result: str
    date: str
    telephone: str
    customer_id: str = ""
    agent_id: str = ""
    campaign_id: str = ""
    cod_act: str = ""
    cod_act_2: str = ""
    comments: str = ""
    hit: str = "no"
    typed: bool = False
    dtmf: str = ""
    #: When the agent hung up (ISO 8601), "" while the call goes on or for dialer calls.
    ended: str = ""
    #: The agent who transferred the call to ``agent_id`` ("" if none did).
    transferred_from: str = ""


@dataclass
class AgentSession:
    """A logged-in agent: state, current call and counters (seconds)."""

    agent_id: str
    login: str = ""
    since: str = ""
    status: str = "ready"
    aux_id: str = ""
    call: str = ""
    last_call: str = ""
    muted: bool = False
    held: bool = False
    calls: int = 0
    inbound: int = 0
    outbound: int = 0
    internal: int = 0
    ready_time: float = 0.0
    talk_time: float = 0.0
    acw_time: float = 0.0
    aux_time: float = 0.0
    ip: str = "127.0.0.1"
    version: str = "4.6.0"
    platform: str = "web"
    connection_type: str = "Ethernet"
    buttons: dict[str, str] = field(default_factory=dict)
    chats: list[dict[str, Any]] = field(default_factory=list)
    #: Closed stretches ``[status, aux_id, start, end]`` (ISO 8601), oldest first.
    stretches: list[list[str]] = field(default_factory=list)
    #: When the session ended (ISO 8601), "" while it is open.
    logout: str = ""

    def status_name(self, aux_states: dict[str, str]) -> str:
        """The state as real_time shows it (Ready, Talking, ACW, or the auxiliary state's name)."""
        if self.status == "aux":
            return aux_states.get(self.aux_id, self.aux_id)
        return STATE_NAMES.get(self.status, self.status)

    def move(self, status: str, now: datetime, aux_id: str = "") -> None:
        """Enter ``status`` at ``now``, adding the time spent in the state left."""
        self.settle(now)
        self.status, self.aux_id, self.since = status, aux_id, now.isoformat()

    def settle(self, now: datetime) -> None:
        """Add the time since the last change to the current state's counter."""
        if not self.since:  # a seeded session: its clock starts now
            self.since = now.isoformat()
            return
        elapsed = max((now - datetime.fromisoformat(self.since)).total_seconds(), 0.0)
        counter = "aux_time" if self.status == "aux" else _COUNTED.get(self.status)
        if counter:
            setattr(self, counter, getattr(self, counter) + elapsed)
        if elapsed > 0:
            self.stretches.append([self.status, self.aux_id, self.since, now.isoformat()])
        self.since = now.isoformat()

    def totals(self, now: datetime) -> dict[str, float]:
        """Seconds spent in each counted state up to ``now`` (the current stretch included),
        without changing the session: what real_time reads."""
        totals = {name: getattr(self, name) for name in ("ready_time", "talk_time", "acw_time", "aux_time")}
        counter = "aux_time" if self.status == "aux" else _COUNTED.get(self.status)
        if counter and self.since:
            totals[counter] += max((now - datetime.fromisoformat(self.since)).total_seconds(), 0.0)
        return totals

    def latency_ms(self) -> int:
        """The session's network latency (ours: a stable figure per agent, 20 to 119 ms)."""
        return 20 + zlib.crc32(self.agent_id.encode()) % 100


@dataclass
class SessionBook:
    """An operation's agent sessions, its recent calls and the next conn_id."""

    sessions: dict[str, AgentSession] = field(default_factory=dict)
    calls: deque[CallRecord] = field(default_factory=deque)
    next_conn_id: int = 1
    aux_states: dict[str, str] = field(default_factory=lambda: dict(AUX_STATES))
    #: conn_id -> call, for the calls still in the log (rebuilt on import).
    by_conn: dict[str, CallRecord] = field(default_factory=dict, repr=False)
    #: Every call placed, oldest first, beyond the call window (what the reports read).
    log: deque[CallRecord] = field(default_factory=lambda: deque(maxlen=LOG_SIZE))
    #: Sessions that ended, oldest first (what the reports read besides the open ones).
    ended: deque[AgentSession] = field(default_factory=lambda: deque(maxlen=ENDED_SIZE))

    def login(self, agent_id: str, now: datetime, **details: Any) -> AgentSession:
        """Open (or reopen) ``agent_id``'s session, Ready."""
        if agent_id in self.sessions:  # a second login ends the first session
            self.logout(agent_id, now)
        stamp = now.isoformat()
        session = AgentSession(agent_id=agent_id, login=stamp, since=stamp, **details)
        self.sessions[agent_id] = session
        return session

    def logout(self, agent_id: str, now: datetime | None = None) -> None:
        """Close ``agent_id``'s session (it leaves real_time) at ``now``; without ``now`` it
        ends at its last change of state. The reports keep it in ``ended``."""
        session = self.sessions.pop(agent_id, None)
        if session is None:
            return
        if now is not None:
            session.settle(now)
        session.logout = session.since or session.login
        self.ended.append(session)

    def place(self, now: datetime, **values: Any) -> CallRecord:
        """Log a new call with a fresh conn_id (dropping calls older than ``CALL_WINDOW``)."""
        call = CallRecord(conn_id=str(self.next_conn_id), date=now.isoformat(), **values)
        self.next_conn_id += 1
        self.calls.append(call)
        self.log.append(call)
        self.by_conn[call.conn_id] = call
        while self.calls and datetime.fromisoformat(self.calls[0].date) < now - CALL_WINDOW:
            self.by_conn.pop(self.calls.popleft().conn_id, None)
        return call

    def recent(self, now: datetime, window: timedelta) -> list[CallRecord]:
        """Calls placed in the ``window`` before ``now``, newest first."""
        start = now - window
        return [c for c in reversed(self.calls) if start <= datetime.fromisoformat(c.date) <= now]

    def export(self) -> dict[str, Any]:
        """A JSON-compatible copy."""
        return {
            "sessions": [asdict(s) for s in self.sessions.values()],
            "calls": [asdict(c) for c in self.calls],
            "next_conn_id": self.next_conn_id,
            "aux_states": dict(self.aux_states),
            "log": [asdict(c) for c in self.log],
            "ended": [asdict(s) for s in self.ended],
        }

    @classmethod
    def from_dict(cls, raw: dict[str, Any] | None) -> SessionBook:
        """A book from ``export``'s dict (None: an empty one)."""
        raw = raw or {}
        log = [CallRecord(**c) for c in raw.get("log", [])]
        logged = {c.conn_id: c for c in log}
        # A call in both the window and the log is one object, so a change shows in both.
        calls = [logged.get(str(c.get("conn_id"))) or CallRecord(**c) for c in raw.get("calls", [])]
        book = cls(
            sessions={str(s["agent_id"]): AgentSession(**s) for s in raw.get("sessions", [])},
            calls=deque(calls),
            next_conn_id=int(raw.get("next_conn_id", 1)),
            aux_states={str(k): str(v) for k, v in (raw.get("aux_states") or AUX_STATES).items()},
            log=deque(log or calls, maxlen=LOG_SIZE),
            ended=deque((AgentSession(**s) for s in raw.get("ended", [])), maxlen=ENDED_SIZE),
        )
        book.by_conn = {c.conn_id: c for c in book.calls}
        return book
