"""What the pytest fixtures hand to a test: ``WolkvoxMock`` (in-process) and ``WolkvoxLive``
(served on 127.0.0.1). Usable without pytest too::

    mock = WolkvoxMock.build()                 # demo operation 0001, token DEFAULT_TOKEN
    with mock.client() as wolkvox:             # wolkvox_mock.contracts.WolkvoxClient, in-process
        wolkvox.add_interaction(from_="ana@example.com", to="soporte", subject="Hola",
                                body="...", rp_id="1")
    mock.assert_interaction(rp_id="1", agent_id="1001")

A ``WolkvoxMock`` *is* a ``WolkvoxFake`` (every verb that drives the fake is the fake's, with
the same signature) and adds only what a test needs around it: its app, clients and
transports bound to it, assertion helpers whose failure messages list what was received
against what was expected, and the clean-up between tests.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Any, Self

import httpx

from wolkvox_mock.app import WolkvoxApp, create_app
from wolkvox_mock.contracts.client.asgi import SyncASGITransport
from wolkvox_mock.contracts.client.clients import AsyncWolkvoxClient, WolkvoxClient
from wolkvox_mock.contracts.protocol import mask_token
from wolkvox_mock.fake import WolkvoxFake
from wolkvox_mock.fake_core import pick_server
from wolkvox_mock.server import LiveServer
from wolkvox_mock.settings import Settings
from wolkvox_mock.state.clock import Clock
from wolkvox_mock.state.demo import DEMO_TOKEN
from wolkvox_mock.state.journal import JournalEntry
from wolkvox_mock.state.models import Interaction, State
from wolkvox_mock.store import Store
from wolkvox_mock.testing.assertions import (
    Expectation,
    interaction_failure,
    match_interaction,
    match_request,
    request_failure,
)
from wolkvox_mock.testing.guard import WolkvoxGuard

__all__ = ["DEFAULT_SERVER", "DEFAULT_TOKEN", "WolkvoxLive", "WolkvoxMock", "pick_server"]

#: Server code of the operation a fixture starts with (unless a marker or seed says otherwise).
DEFAULT_SERVER = "0001"
#: Token of that operation: Wolkvox-shaped (hex of ``wolkvox-mock-20250101000000``), and the
#: same in every test so that failures reproduce (``serve``'s demo token is the same).
DEFAULT_TOKEN = DEMO_TOKEN


class WolkvoxMock(WolkvoxFake):
    """One fake Wolkvox for one test, with its default operation ``server`` and ``token``:
    the fake's verbs, plus clients, assertions and clean-up."""

    def __init__(
        self,
        state: State | None = None,
        settings: Settings | None = None,
        clock: Clock | None = None,
        *,
        server: str | None = None,
        app: WolkvoxApp | None = None,
        store: Store | None = None,
    ) -> None:
        super().__init__(state, settings, clock, server=server, store=store)
        self.app = app or create_app(fake=self)
        self._transports: list[SyncASGITransport] = []
        #: The guard that stops requests to ``*.wolkvox.com`` the fake does not answer, when
        #: one is active for this mock (the fixtures, ``mock_wolkvox``).
        self.guard: WolkvoxGuard | None = None

    def __repr__(self) -> str:
        # Shown in pytest's tracebacks next to the fixture's name: make it say something.
        tokens = (
            ", ".join(mask_token(t) for t in self.operation().tokens)
            if self.server in self.state.operations
            else ""
        )
        return (
            f"<{type(self).__name__} server={self.server!r} tokens=[{tokens}] "
            f"interactions={len(self.state.interactions)} requests={len(self.journal)}>"
        )

    @property
    def fake(self) -> Self:
        """This same object: a ``WolkvoxMock`` is a ``WolkvoxFake`` (``wolkvox.fake.export()``
        reads as ``wolkvox.export()``)."""
        return self

    @classmethod
    def build(
        cls,
        *,
        server: str | None = None,
        token: str | None = None,
        seed: str | Path | State | dict[str, Any] | None = None,
        settings: Settings | None = None,
    ) -> Self:
        """A mock with the demo operation (routing point "1" → skill "1" → agents 1001, 1002),
        or the state of ``seed``. ``token`` is added to the operation if it lacks it."""
        settings = settings or Settings()
        if server is not None:
            settings.default_server = server
        mock = cls(settings=settings, clock=Clock(), server=server)
        mock.load(seed, token=token, server=server)
        return mock

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
        self.release()
        self.release_hangs()
        tokens = [t for op in self.state.operations.values() for t in op.tokens]
        return self.gate.wait_for(lambda gate: all(gate.in_flight(t) == 0 for t in tokens), timeout)

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

    @cached_property
    def live_server(self) -> LiveServer:
        """The uvicorn server in a thread that serves this fake (its port is taken when first
        asked for); ``start`` starts it."""
        return LiveServer(self.app)

    def start(self) -> Self:
        """Serve on 127.0.0.1 (a free port); returns once the socket accepts connections."""
        self.live_server.start()
        return self

    def stop(self) -> None:
        """Stop serving (calls in flight get their answers first, within a bound)."""
        self.live_server.stop()

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
