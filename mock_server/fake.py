"""``WolkvoxFake``: one fake Wolkvox, its state and the Python API that drives it.

The Starlette app (``create_app``) serves a fake over HTTP; tests and the pytest plugin drive
the same object directly: seed it, read what it recorded, hold a token's requests, move its
clock. Everything here is safe to call from another thread than the server's.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

from wolkvox_mock.contracts.protocol import make_token, mask_token
from wolkvox_mock.faults.model import Fault, FaultError, FaultSet, Latency
from wolkvox_mock.handlers.live import placer, zone
from wolkvox_mock.settings import Settings
from wolkvox_mock.state import quota
from wolkvox_mock.state.clock import Clock
from wolkvox_mock.state.gate import TokenGate
from wolkvox_mock.state.journal import Journal, JournalEntry
from wolkvox_mock.state.maintenance import MaintenanceSchedule, MaintenanceWindow, WindowError
from wolkvox_mock.state.models import Agent, Interaction, Operation, RoutingPoint, Skill, State, Token
from wolkvox_mock.state.seed import load_seed, state_from_seed
from wolkvox_mock.state.sessions import AgentSession
from wolkvox_mock.store import MemoryStore, Store

__all__ = ["WolkvoxFake"]


class WolkvoxFake:
    """A fake Wolkvox: state, settings, clock, token gate and request journal.

    ``reset()`` brings it back to the state it was created (or last ``seed``-ed) with.
    """

    def __init__(
        self,
        state: State | None = None,
        settings: Settings | None = None,
        clock: Clock | None = None,
        *,
        store: Store | None = None,
    ) -> None:
        self.settings = settings or Settings()
        self.clock = clock or Clock()
        self.state = state if state is not None else State()
        self.gate = TokenGate()
        self.journal = Journal(self.settings.journal_size)
        self.faults = FaultSet()
        self.maintenance = MaintenanceSchedule()
        #: Held while the state changes; the server's handlers and test threads share it.
        self.lock = threading.RLock()
        self._baseline = self.state.export()
        #: Where the shared parts live (wolkvox_mock.store): memory, or Redis for many processes.
        self.store = store or MemoryStore()
        self.store.attach(self)

    # -- whole state -----------------------------------------------------------------------

    def reset(self) -> None:
        """Back to the baseline state; journal cleared, holds released, clock real again,
        faults and maintenance windows removed (hanging calls go on)."""
        with self.lock:
            self.state = State.from_dict(self._baseline)
            self.journal.clear()
            self.gate.reset()
            self.clock.unfreeze()
            self.faults.clear()
            self.maintenance.clear()

    def seed(self, source: State | dict[str, Any] | str | Path) -> None:
        """Replace the state with a seed (State, dict, or YAML/JSON file); it becomes the
        baseline that ``reset()`` returns to."""
        if isinstance(source, State):
            state = source.copy()
        elif isinstance(source, dict):
            state = state_from_seed(source)
        else:
            state = load_seed(source)
        with self.lock:
            self.state = state
            self._baseline = state.export()

    def export(self) -> dict[str, Any]:
        """The whole state as a JSON-compatible dict (restore it with ``restore``)."""
        with self.lock:
            return self.state.export()

    def restore(self, data: dict[str, Any]) -> None:
        """Replace the state with an export; the baseline is kept."""
        state = state_from_seed(data, origin="restored state", check_references=False)
        with self.lock:
            self.state = state

    # -- what was received -----------------------------------------------------------------

    @property
    def interactions(self) -> list[Interaction]:
        """Interactions accepted by add_interaction, oldest first (a snapshot)."""
        with self.lock:
            return list(self.state.interactions)

    @property
    def requests(self) -> list[JournalEntry]:
        """The request journal, oldest first (a snapshot)."""
        return self.journal.entries()

    # -- holds and the gate ----------------------------------------------------------------

    def hold(self, token: str) -> None:
        """Keep ``token``'s admitted requests in flight until ``release``."""
        self.gate.hold(token)

    def release(self, token: str | None = None) -> int:
        """Let ``token``'s held requests (every token's when None) go; returns how many."""
        return self.gate.release_held(token)

    @contextmanager
    def holding(self, token: str) -> Iterator[WolkvoxFake]:
        """``with fake.holding(token):`` hold inside the block, release on the way out."""
        self.hold(token)
        try:
            yield self
        finally:
            self.release(token)

    def wait_held(self, token: str, count: int = 1, timeout: float = 5.0) -> bool:
        """Block until ``count`` requests of ``token`` wait at the hold (from another thread
        than the server's, e.g. with a live server); False on timeout."""
        return self.gate.wait_for(lambda g: g.held_count(token) >= count, timeout)

    async def wait_held_async(self, token: str, count: int = 1, timeout: float = 5.0) -> bool:
        """``wait_held`` for code running on the fake's own event loop (in-process)."""
        return await self.gate.wait_for_async(lambda g: g.held_count(token) >= count, timeout)

    def in_flight(self, token: str) -> int:
        """Requests of ``token`` admitted and not yet answered."""
        return self.gate.in_flight(token)

    def peak_in_flight(self, token: str) -> int:
        """The most requests of ``token`` ever in flight at once since the last reset."""
        return self.gate.peak(token)

    def find_requests(
        self,
        *,
        token: str | None = None,
        api: str | None = None,
        status: int | str | None = None,
        limit: int | None = None,
    ) -> list[JournalEntry]:
        """Journal entries, oldest first, filtered by token (whole or masked), ``api`` and
        ``status`` (``403`` or a class such as ``"4xx"``); ``limit`` keeps the newest N."""
        masked = None if token is None else (token if "…" in token else mask_token(token))
        wanted = None if status is None else str(status).lower()
        found = [
            e
            for e in self.journal.entries()
            if (masked is None or e.token == masked)
            and (api is None or e.api == api)
            and (wanted is None or _status_matches(e.status, wanted))
        ]
        return found[-limit:] if limit else found

    def clear_requests(self) -> int:
        """Forget the request journal; returns how many entries it held."""
        count = len(self.journal)
        self.journal.clear()
        return count

    # -- faults ----------------------------------------------------------------------------

    def add_fault(
        self,
        *,
        error: str | None = None,
        latency: Latency | list[float] | None = None,
        transport: str | None = None,
        api: str | None = None,
        token: str | None = None,
        server: str | None = None,
        times: int | None = None,
        probability: float = 1.0,
        seed: int = 0,
        **options: Any,
    ) -> Fault:
        """Make matching calls fail in Wolkvox's terms (see ``wolkvox_mock.faults.model``); returns the
        fault (its ``id`` removes it). FaultError says what to fix."""
        latency_value = tuple(latency) if isinstance(latency, list) else latency
        fault = Fault(
            error=error,
            latency=latency_value,  # type: ignore[arg-type]  # checked by validate()
            transport=transport,
            api=api,
            token=token,
            server=server,
            times=times,
            probability=probability,
            seed=seed,
            **options,
        )
        return self.set_fault(fault)

    def set_fault(self, fault: Fault) -> Fault:
        """Activate a ready ``Fault`` (after checking its token and server exist)."""
        with self.lock:
            if fault.token is not None and self.state.find_token(fault.token) is None:
                raise FaultError("token is not a token of this fake (see fake.export())")
            if fault.server is not None and fault.server not in self.state.operations:
                raise FaultError(self._no_operation(fault.server))
        return self.faults.add(fault)

    def list_faults(self) -> list[Fault]:
        """Active faults, newest first (the first that matches a call acts on it)."""
        return self.faults.list()

    def remove_fault(self, fault_id: str) -> bool:
        """Remove one fault by id; False if there is none."""
        return self.faults.remove(fault_id)

    def clear_faults(self) -> int:
        """Remove every fault and let hanging calls go on; returns how many faults there were."""
        return self.faults.clear()

    def release_hangs(self) -> int:
        """Let the calls hanging on a ``hang`` fault go on; returns how many."""
        return self.faults.release_hangs()

    def wait_hanging(self, count: int = 1, timeout: float = 5.0) -> bool:
        """Block until ``count`` calls hang on a ``hang`` fault (from another thread than the
        server's); False on timeout."""
        return self.faults.wait_hanging(count, timeout)

    # -- maintenance -----------------------------------------------------------------------

    def add_maintenance(
        self,
        server: str | None = None,
        *,
        seconds: float | None = None,
        start: datetime | str | None = None,
        end: datetime | str | None = None,
        daily: str | tuple[str | time, str | time] | None = None,
        message: str | None = None,
    ) -> MaintenanceWindow:
        """Open a maintenance window on ``server`` (every server when None): from now (or
        ``start``) until removed, for ``seconds``, until ``end``, or ``daily="02:00-03:00"``
        in the operation's time zone. Calls inside get 403; the text is ours."""
        if server is not None and server not in self.state.operations:
            raise WindowError(self._no_operation(server))
        return self.maintenance.add(
            self.clock.now(),
            server=server,
            start=start,
            end=end,
            seconds=seconds,
            daily=daily,
            message=message,
        )

    def list_maintenance(self) -> list[MaintenanceWindow]:
        """The maintenance windows, oldest first."""
        return self.maintenance.windows()

    def remove_maintenance(self, window_id: str) -> bool:
        """Close one window by id; False if there is none."""
        return self.maintenance.remove(window_id)

    def clear_maintenance(self) -> int:
        """Close every window; returns how many there were."""
        return self.maintenance.clear()

    def in_maintenance(self, server: str) -> bool:
        """Whether a call to ``server`` would get the maintenance 403 right now."""
        op = self.operation(server)
        return self.maintenance.active(server, self.clock.now(), op.timezone) is not None

    # -- clock -----------------------------------------------------------------------------

    def now(self) -> datetime:
        """The fake's current time, in UTC."""
        return self.clock.now().astimezone(UTC)

    def freeze(self, at: datetime | None = None) -> datetime:
        """Stop the fake's clock at ``at`` (default: now)."""
        return self.clock.freeze(None if at is None else _within_clock_range(at))

    def advance(self, seconds: float = 0.0, **delta: float) -> datetime:
        """Move the fake's clock forward (``seconds`` and/or ``minutes=``, ``hours=``, ``days=``)."""
        try:
            step = timedelta(seconds=seconds, **delta)
            _within_clock_range(self.now() + step)
        except OverflowError:
            raise ValueError("the clock cannot move that far (it stays within years 1970-8999)") from None
        return self.clock.advance(step.total_seconds())

    def set_time(self, at: datetime) -> datetime:
        """Jump the fake's clock to ``at`` (frozen stays frozen)."""
        return self.clock.set(_within_clock_range(at))

    def unfreeze(self) -> None:
        """Back to real time."""
        self.clock.unfreeze()

    # -- building state from Python --------------------------------------------------------

    def add_operation(
        self, server: str, *, licenses: int = 10, name: str = "", timezone: str = "America/Bogota"
    ) -> Operation:
        """Add an empty operation (server code ``server``)."""
        with self.lock:
            op = Operation(server=server, name=name, licenses=licenses, timezone=timezone)
            return self.state.add_operation(op)

    def operation(self, server: str) -> Operation:
        """The operation with server code ``server`` (KeyError with the known codes if none)."""
        with self.lock:
            try:
                return self.state.operations[server]
            except KeyError:
                raise KeyError(self._no_operation(server)) from None

    def _no_operation(self, server: str) -> str:
        known = ", ".join(sorted(self.state.operations)) or "none"
        return f"no operation {server!r}; known server codes: {known}"

    def add_token(
        self, server: str, token: str | None = None, *, description: str = "", limit: int | None = None
    ) -> str:
        """Add a token to operation ``server`` (a Wolkvox-shaped one when None); returns it."""
        token = token or make_token(f"op{server}")
        with self.lock:
            self.operation(server).tokens[token] = Token(token=token, description=description, limit=limit)
            self.state.reindex()
        return token

    def add_agent(self, server: str, agent_id: str, *, name: str = "", enabled: bool = True) -> Agent:
        """Add an agent to operation ``server``."""
        with self.lock:
            agent = Agent(agent_id=agent_id, name=name, enabled=enabled)
            self.operation(server).agents[agent_id] = agent
            return agent

    def add_skill(
        self, server: str, skill_id: str, *, name: str = "", agents: list[str] | None = None
    ) -> Skill:
        """Add a skill with the given agents (expertise "1")."""
        with self.lock:
            skill = Skill(skill_id=skill_id, name=name, agents={a: "1" for a in agents or []})
            self.operation(server).skills[skill_id] = skill
            return skill

    # -- campaigns and agent sessions (docs/campaigns.md) -------------------------------------

    def login_agent(self, server: str, agent_id: str, **details: Any) -> AgentSession:
        """Log agent ``agent_id`` of ``server`` in, Ready (Wolkvox agents log in from the
        wolkvox Agent app, which no API drives). ``details``: ``ip``, ``version``,
        ``platform``, ``connection_type``, ``chats`` (what real_time shows)."""
        with self.lock:
            op = self.operation(server)
            if agent_id not in op.agents:
                known = ", ".join(sorted(op.agents)) or "none"
                raise KeyError(f"no agent {agent_id!r} on server {server}; known agents: {known}")
            return op.sessions.login(agent_id, self.clock.now(), **details)

    def logout_agent(self, server: str, agent_id: str) -> bool:
        """Close agent ``agent_id``'s session; False when it had none."""
        with self.lock:
            sessions = self.operation(server).sessions
            found = agent_id in sessions.sessions
            sessions.logout(agent_id)
            return found

    def run_dialer(self, server: str) -> int:
        """Bring every campaign of ``server`` up to the fake's clock (calls do it themselves;
        call this to read ``operation(server).campaigns`` directly); the records dialled."""
        with self.lock:
            op = self.operation(server)
            return op.campaigns.advance(self.clock.now(), zone(op), placer(op))

    def dial_now(self, server: str, campaign_id: str, count: int = 1) -> int:
        """Dial the next ``count`` records of a campaign now, whatever its status, speed and
        window (a test's say-so); the number dialled."""
        with self.lock:
            op = self.operation(server)
            campaign = op.campaigns.campaigns.get(campaign_id)
            if campaign is None:
                known = ", ".join(sorted(op.campaigns.campaigns)) or "none"
                raise KeyError(f"no campaign {campaign_id!r} on server {server}; known campaigns: {known}")
            return campaign.dial_now(count, self.clock.now(), placer(op), op.campaigns.blocked)

    def add_routing_point(
        self,
        server: str,
        rp_id: str,
        *,
        name: str = "",
        skills: list[str] | None = None,
        agents: list[str] | None = None,
        interaction_active: bool = True,
    ) -> RoutingPoint:
        """Add a routing point that routes to ``skills`` and/or ``agents`` (all agents if neither)."""
        with self.lock:
            rp = RoutingPoint(
                rp_id=rp_id,
                name=name,
                skills=list(skills or []),
                agents=list(agents or []),
                interaction_active=interaction_active,
            )
            self.operation(server).routing_points[rp_id] = rp
            return rp

    def token_usage(self, token: str) -> int:
        """How many calls ``token`` made today (in its operation's time zone)."""
        with self.lock:
            found = self.state.find_token(token)
            if found is None:
                raise KeyError(f"unknown token {token!r}")
            op, record = found
            return State.uses_today(record, self.clock.today(op.timezone))

    def pool_usage(self, server: str) -> int:
        """Calls of every token of operation ``server`` counted today: the use of its shared
        daily pool (wolkvox_mock.state.quota)."""
        with self.lock:
            op = self.operation(server)
            return quota.pool_used(op, self.clock.today(op.timezone))


def _status_matches(status: int, wanted: str) -> bool:
    # "4xx" matches a class of statuses; anything else is one status.
    if len(wanted) == 3 and wanted.endswith("xx"):
        return str(status).startswith(wanted[0])
    return str(status) == wanted


_CLOCK_RANGE = (datetime(1970, 1, 1, tzinfo=UTC), datetime(9000, 1, 1, tzinfo=UTC))


def _within_clock_range(at: datetime) -> datetime:
    # Far from datetime's limits, so days, windows and offsets stay computable.
    aware = at if at.tzinfo is not None else at.replace(tzinfo=UTC)
    try:
        inside = _CLOCK_RANGE[0] <= aware.astimezone(UTC) < _CLOCK_RANGE[1]
    except OverflowError:
        inside = False
    if not inside:
        raise ValueError(f"{at.isoformat()} is outside the clock's range (years 1970-8999)")
    return at
