"""What the pytest fixtures hand to a test: ``WolkvoxMock`` (in-process) and ``WolkvoxLive``
(served on 127.0.0.1). Usable without pytest too::

    mock = WolkvoxMock.build()                 # demo operation 0001, token DEFAULT_TOKEN
    with mock.client() as wolkvox:             # wolkvox_mock.contracts.WolkvoxClient, in-process
        wolkvox.add_interaction(from_="ana@example.com", to="soporte", subject="Hola",
                                body="...", rp_id="1")
    mock.assert_interaction(rp_id="1", agent_id="1001")

A ``WolkvoxMock`` wraps one ``WolkvoxFake`` (``.fake``, the full Python control API) and its
app (``.app``), and adds what tests need: the default operation's server code and token, seed
helpers that default to that operation, clients bound to the fake, and assertion helpers whose
failure messages list what was received against what was expected.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from wolkvox_mock.app import WolkvoxApp, create_app
from wolkvox_mock.contracts.client.asgi import SyncASGITransport
from wolkvox_mock.contracts.client.clients import AsyncWolkvoxClient, WolkvoxClient
from wolkvox_mock.contracts.protocol import make_token, mask_token
from wolkvox_mock.fake import WolkvoxFake
from wolkvox_mock.faults.model import Fault
from wolkvox_mock.server import LiveServer
from wolkvox_mock.settings import Settings
from wolkvox_mock.state.clock import Clock
from wolkvox_mock.state.demo import demo_state
from wolkvox_mock.state.journal import JournalEntry
from wolkvox_mock.state.maintenance import MaintenanceWindow
from wolkvox_mock.state.models import Agent, Interaction, Operation, RoutingPoint, Skill, State
from wolkvox_mock.state.seed import SeedError
from wolkvox_mock.testing.assertions import (
    Expectation,
    interaction_failure,
    match_interaction,
    match_request,
    request_failure,
)
from wolkvox_mock.testing.guard import WolkvoxGuard

__all__ = ["DEFAULT_SERVER", "DEFAULT_TOKEN", "WolkvoxLive", "WolkvoxMock"]

#: Server code of the operation a fixture starts with (unless a marker or seed says otherwise).
DEFAULT_SERVER = "0001"
#: Token of that operation: Wolkvox-shaped (hex of ``wolkvox-mock-20250101000000``), and the
#: same in every test so that failures reproduce.
DEFAULT_TOKEN = make_token("wolkvox-mock", datetime(2025, 1, 1, tzinfo=UTC))


def pick_server(state: State, wanted: str | None, default: str) -> str:
    """The operation a mock talks about: ``wanted``, else ``default`` if the state has it,
    else the first operation of the state, else ``default``."""
    if wanted is not None:
        return wanted
    if default in state.operations or not state.operations:
        return default
    return next(iter(state.operations))


class WolkvoxMock:
    """One fake Wolkvox for one test, with its default operation ``server`` and ``token``.

    Anything not offered here is on ``.fake`` (``WolkvoxFake``): ``wolkvox.fake.export()``...
    """

    def __init__(
        self, fake: WolkvoxFake, *, app: WolkvoxApp | None = None, server: str | None = None
    ) -> None:
        self.fake = fake
        self.app = app or create_app(fake=fake)
        self.server = pick_server(fake.state, server, fake.settings.default_server)
        self._transports: list[SyncASGITransport] = []
        self._preferred_token: str | None = None
        #: The guard that stops requests to ``*.wolkvox.com`` the fake does not answer, when
        #: one is active for this mock (the fixtures, ``mock_wolkvox``).
        self.guard: WolkvoxGuard | None = None

    def __repr__(self) -> str:
        # Shown in pytest's tracebacks next to the fixture's name: make it say something.
        tokens = (
            ", ".join(mask_token(t) for t in self.operation.tokens)
            if self.server in self.state.operations
            else ""
        )
        return (
            f"<{type(self).__name__} server={self.server!r} tokens=[{tokens}] "
            f"interactions={len(self.fake.state.interactions)} requests={len(self.fake.journal)}>"
        )

    @classmethod
    def build(
        cls,
        *,
        server: str | None = None,
        token: str | None = None,
        seed: str | Path | State | dict[str, Any] | None = None,
        settings: Settings | None = None,
    ) -> WolkvoxMock:
        """A mock with the demo operation (routing point "1" → skill "1" → agents 1001, 1002),
        or the state of ``seed``. ``token`` is added to the operation if it lacks it."""
        settings = settings or Settings()
        if server is not None:
            settings.default_server = server
        mock = cls(WolkvoxFake(settings=settings, clock=Clock()), server=server)
        mock.load(seed, token=token, server=server)
        return mock

    def load(
        self,
        seed: str | Path | State | dict[str, Any] | None,
        *,
        token: str | None = None,
        server: str | None = None,
    ) -> None:
        """Replace the state with ``seed`` (the demo operation when None) as the baseline, then
        reset. ``server`` chooses the default operation; ``token`` is added to it if missing."""
        if seed is None:
            self.server = server or self.fake.settings.default_server
            self.fake.seed(demo_state(self.server, token or DEFAULT_TOKEN))
        else:
            self.fake.seed(seed)
            operations = self.state.operations
            if server is not None and server not in operations:
                known = ", ".join(sorted(operations)) or "none"
                raise SeedError(f"the seed has no operation {server!r} (its server codes: {known})")
            self.server = pick_server(self.fake.state, server, self.fake.settings.default_server)
            if self.fake.settings.default_server not in operations and self.server in operations:
                # Requests that name no server (no Host, no wolkvox_server) reach this operation.
                self.fake.settings.default_server = self.server
            if (
                token is not None
                and self.server in self.state.operations
                and token not in self.operation.tokens
            ):
                self.fake.add_token(self.server, token, description="added by the wolkvox marker")
                self.fake.seed(self.fake.state)
        self._preferred_token = token
        self.fake.reset()

    # -- the default operation -------------------------------------------------------------

    @property
    def operation(self) -> Operation:
        """The default operation (server code ``server``); KeyError names the known ones."""
        return self.fake.operation(self.server)

    @property
    def token(self) -> str:
        """The token tests use: the one asked for, else the operation's first token."""
        tokens = self.operation.tokens
        if self._preferred_token in tokens:
            return str(self._preferred_token)
        if not tokens:
            raise LookupError(f"operation {self.server} has no token; add one with wolkvox.add_token()")
        return next(iter(tokens))

    @property
    def base_url(self) -> str:
        """``https://wv{server}.wolkvox.com``, as the code under test would address Wolkvox."""
        return f"https://wv{self.server}.wolkvox.com"

    @property
    def agents(self) -> dict[str, Agent]:
        """The default operation's agents by id (live objects: change them to change the fake)."""
        return self.operation.agents

    @property
    def routing_points(self) -> dict[str, RoutingPoint]:
        """The default operation's routing points by id."""
        return self.operation.routing_points

    @property
    def skills(self) -> dict[str, Skill]:
        """The default operation's skills by id."""
        return self.operation.skills

    @property
    def tokens(self) -> list[str]:
        """The default operation's tokens."""
        return list(self.operation.tokens)

    # -- fake-wide shortcuts ---------------------------------------------------------------

    @property
    def settings(self) -> Settings:
        """The fake's settings (mutable: ``wolkvox.settings.concurrency_limit = 2``)."""
        return self.fake.settings

    @property
    def clock(self) -> Clock:
        """The fake's clock (``freeze``, ``set``, ``advance``)."""
        return self.fake.clock

    @property
    def state(self) -> State:
        """The fake's whole state."""
        return self.fake.state

    @property
    def interactions(self) -> list[Interaction]:
        """Interactions accepted by add_interaction, oldest first."""
        return self.fake.interactions

    @property
    def requests(self) -> list[JournalEntry]:
        """The request journal (every answered request, refused ones included), oldest first."""
        return self.fake.requests

    def seed(self, source: str | Path | State | dict[str, Any]) -> None:
        """Replace the state with a seed (file, dict or State); it becomes what ``reset`` restores."""
        self.load(source, token=self._preferred_token)

    def reset(self) -> None:
        """Back to the state the test started with (journal cleared, holds released)."""
        self.fake.reset()

    # -- building state (server defaults to the default operation) -------------------------

    def add_token(
        self, token: str | None = None, *, server: str | None = None, limit: int | None = None
    ) -> str:
        """Add a token (Wolkvox-shaped when None) and return it."""
        return self.fake.add_token(server or self.server, token, limit=limit)

    def remove_token(self, token: str | None = None, *, server: str | None = None) -> None:
        """Revoke a token (``self.token`` when None): Wolkvox then answers 403 PLEASE VALIDATE TOKEN."""
        token = token or self.token
        with self.fake.lock:
            del self.fake.operation(server or self.server).tokens[token]
            self.fake.state.reindex()

    def add_agent(
        self, agent_id: str, *, name: str = "", enabled: bool = True, server: str | None = None
    ) -> Agent:
        """Add an agent."""
        return self.fake.add_agent(server or self.server, agent_id, name=name, enabled=enabled)

    def add_skill(
        self, skill_id: str, *, agents: list[str] | None = None, name: str = "", server: str | None = None
    ) -> Skill:
        """Add a skill with ``agents``."""
        return self.fake.add_skill(server or self.server, skill_id, name=name, agents=agents)

    def add_routing_point(
        self,
        rp_id: str,
        *,
        skills: list[str] | None = None,
        agents: list[str] | None = None,
        interaction_active: bool = True,
        name: str = "",
        server: str | None = None,
    ) -> RoutingPoint:
        """Add a routing point routing to ``skills`` and/or ``agents`` (every agent if neither)."""
        return self.fake.add_routing_point(
            server or self.server,
            rp_id,
            name=name,
            skills=skills,
            agents=agents,
            interaction_active=interaction_active,
        )

    # -- faults and maintenance -------------------------------------------------------------

    def add_fault(self, **options: Any) -> Fault:
        """Make matching calls fail in Wolkvox's terms (``error="token_busy"``, ``latency=2``,
        ``transport="reset"``, ``api=``, ``times=``...): see ``WolkvoxFake.add_fault``."""
        return self.fake.add_fault(**options)

    def add_maintenance(self, *, server: str | None = None, **options: Any) -> MaintenanceWindow:
        """Open a maintenance window on the default operation (``seconds=``, ``daily=``...)."""
        return self.fake.add_maintenance(server or self.server, **options)

    # -- holds (token defaults to ``self.token``) -----------------------------------------

    def hold(self, token: str | None = None) -> None:
        """Keep the token's admitted requests in flight until ``release``."""
        self.fake.hold(token or self.token)

    def release(self, token: str | None = None) -> int:
        """Release held requests (every token's when None); returns how many were waiting."""
        return self.fake.release(token)

    @contextmanager
    def holding(self, token: str | None = None) -> Iterator[WolkvoxMock]:
        """``with wolkvox.holding():`` hold inside the block, release on the way out."""
        with self.fake.holding(token or self.token):
            yield self

    def wait_held(self, count: int = 1, *, token: str | None = None, timeout: float = 5.0) -> bool:
        """Block until ``count`` requests wait at the hold (from a thread other than the fake's)."""
        return self.fake.wait_held(token or self.token, count, timeout)

    async def wait_held_async(
        self, count: int = 1, *, token: str | None = None, timeout: float = 5.0
    ) -> bool:
        """``wait_held`` for async tests whose requests run on the test's own loop."""
        return await self.fake.wait_held_async(token or self.token, count, timeout)

    def in_flight(self, token: str | None = None) -> int:
        """Requests of the token admitted and not yet answered."""
        return self.fake.in_flight(token or self.token)

    def token_usage(self, token: str | None = None) -> int:
        """Calls the token made today (what counts against its daily quota)."""
        return self.fake.token_usage(token or self.token)

    # -- clients bound to the fake --------------------------------------------------------

    def transport(self) -> httpx.BaseTransport:
        """A sync httpx transport into the fake, in-process (closed with the mock)."""
        transport = SyncASGITransport(self.app)
        self._transports.append(transport)
        return transport

    def async_transport(self) -> httpx.AsyncBaseTransport:
        """An async httpx transport into the fake, in-process (runs on the caller's loop)."""
        return httpx.ASGITransport(app=self.app)

    def client(self, **options: Any) -> WolkvoxClient:
        """A ``wolkvox_mock.contracts.WolkvoxClient`` of the default operation and token, bound to the fake;
        ``options`` go to the client (``timeout``, ``retry``, ``max_in_flight``...)."""
        options.setdefault("transport", self.transport())
        return WolkvoxClient(self.server, options.pop("token", None) or self.token, **options)

    def async_client(self, **options: Any) -> AsyncWolkvoxClient:
        """The async twin of ``client``."""
        options.setdefault("transport", self.async_transport())
        return AsyncWolkvoxClient(self.server, options.pop("token", None) or self.token, **options)

    def drain(self, timeout: float = 5.0) -> bool:
        """Release holds and hanging faults, then wait (up to ``timeout`` s) until no request
        is in flight, so that none spills into the next test; False if some still are."""
        self.fake.release()
        self.fake.release_hangs()
        tokens = [t for op in self.state.operations.values() for t in op.tokens]
        return self.fake.gate.wait_for(lambda gate: all(gate.in_flight(t) == 0 for t in tokens), timeout)

    def take_stopped(self) -> list[str]:
        """The hosts of the requests the guard stopped (oldest first), forgotten once taken: a
        test that expects a stop takes it, so that the fixture does not fail the test for it."""
        if self.guard is None:
            return []
        hosts = list(self.guard.escapes)
        self.guard.escapes.clear()
        return hosts

    def close(self) -> None:
        """``drain``, then close the transports this mock made."""
        self.drain()
        while self._transports:
            self._transports.pop().close()

    # -- assertions -----------------------------------------------------------------------

    def assert_interaction(self, *, count: int | None = None, **criteria: Any) -> Interaction:
        """Assert that an interaction matching every criterion was recorded (exactly ``count``
        of them when given) and return the latest match.

        Criteria: ``rp_id``, ``agent_id``, ``server``, ``id``, ``token`` (full or masked) and
        any field sent (``from_`` for ``from``, ``to``, ``subject``, ``body``, ``fromname``...;
        ``None`` means "not sent"). The failure message lists every interaction received and
        what it misses, or, when none was recorded, the requests the fake answered and why.
        """
        __tracebackhide__ = True
        expected = Expectation.for_interaction(criteria)
        received = self.interactions
        if count == 0:
            raise TypeError("assert_interaction(count=0) has nothing to return: use assert_no_interactions()")
        matches = [i for i in received if not match_interaction(i, expected)]
        if len(matches) == count or (count is None and matches):
            return matches[-1]
        raise AssertionError(interaction_failure(expected, count, len(matches), received, self.requests))

    def assert_no_interactions(self, **criteria: Any) -> None:
        """Assert that no recorded interaction matches the criteria (none at all without any)."""
        __tracebackhide__ = True
        expected = Expectation.for_interaction(criteria, "assert_no_interactions")
        received = self.interactions
        matching = sum(1 for i in received if not match_interaction(i, expected))
        if matching:
            raise AssertionError(interaction_failure(expected, 0, matching, received, self.requests))

    def assert_requests(
        self,
        *,
        count: int | None = None,
        api: str | None = None,
        status: int | None = None,
        method: str | None = None,
        server: str | None = None,
        family: str | None = None,
        token: str | None = None,
    ) -> list[JournalEntry]:
        """Assert how many answered requests match every given criterion (at least one when
        ``count`` is None) and return them. Refused requests are in the journal too, so
        ``assert_requests(api="add_interaction", status=403, count=1)`` checks a refusal."""
        __tracebackhide__ = True
        criteria = {"api": api, "status": status, "method": method, "server": server}
        expected = Expectation.for_request(criteria | {"family": family, "token": token})
        received = self.requests
        matches = [r for r in received if not match_request(r, expected)]
        if len(matches) == count or (count is None and matches):
            return matches
        raise AssertionError(request_failure(expected, count, len(matches), received))


class WolkvoxLive(WolkvoxMock):
    """A ``WolkvoxMock`` whose fake is served on a real socket (``url``), for code that does
    not use httpx: requests, urllib, another process."""

    def __init__(self, live_server: LiveServer, *, server: str | None = None) -> None:
        super().__init__(live_server.fake, app=live_server.app, server=server)
        self.live_server = live_server

    @property
    def url(self) -> str:
        """Base URL of the server, e.g. ``http://127.0.0.1:41234``."""
        return self.live_server.url

    @property
    def headers(self) -> dict[str, str]:
        """Headers that address the default operation with its token on ``url``."""
        return {"wolkvox-token": self.token, "wolkvox_server": self.server}

    def api_url(self, api: str, family: str = "configuration") -> str:
        """``{url}/api/v2/{family}.php?api={api}``."""
        return f"{self.url}/api/v2/{family}.php?api={api}"

    def client(self, **options: Any) -> WolkvoxClient:
        """A ``wolkvox_mock.contracts.WolkvoxClient`` talking to the server over its socket."""
        options.setdefault("base_url", self.url)
        return WolkvoxClient(self.server, options.pop("token", None) or self.token, **options)

    def async_client(self, **options: Any) -> AsyncWolkvoxClient:
        """The async twin of ``client``, over the socket."""
        options.setdefault("base_url", self.url)
        return AsyncWolkvoxClient(self.server, options.pop("token", None) or self.token, **options)
