"""``WolkvoxRouter``: a respx router that sends ``https://wv*.wolkvox.com`` into a fake.

Code under test that builds its own ``httpx.Client()`` or ``httpx.AsyncClient()`` is
intercepted unchanged (respx patches httpcore's connection pools)::

    with WolkvoxRouter(app) as router:
        httpx.post("https://wv0001.wolkvox.com/api/v2/configuration.php?api=add_interaction", ...)

respx runs a route's side effect in the caller's context: for an ``AsyncClient`` inside its
event loop (the side effect may return an awaitable), for a sync ``Client`` in the calling
thread (it must return a response). ``respx.ASGIHandler`` only covers the first, so the route's
side effect picks the transport itself: ``httpx.ASGITransport`` for async requests, and
``wolkvox_mock.contracts.client.asgi.SyncASGITransport`` (the app on a loop of its own thread) for sync ones. The
router marks its async path with a context variable, which tells the two apart.

Requests to other hosts: ``other_hosts="error"`` (default) raises ``UnroutedRequestError``,
whose message lists what is routed and how to change it; ``"pass_through"`` lets them reach
the network. Other ``*.wolkvox.com`` hosts are never passed through: a test must not reach the
real Wolkvox by accident. Add routes of your own as with any respx router.
"""

from __future__ import annotations

import contextvars
import re
from collections.abc import Awaitable, Iterable
from typing import Any, NoReturn

import anyio
import httpx
import respx
from respx.models import AllMockedAssertionError, PassThrough

from wolkvox_mock.contracts.client.asgi import SyncASGITransport
from wolkvox_mock.testing.options import OTHER_HOSTS

__all__ = ["WOLKVOX_HOST", "UnroutedRequestError", "WolkvoxRouter"]

#: Hosts served by the fake: ``wv{server code}.wolkvox.com``.
WOLKVOX_HOST = re.compile(r"^wv[^.]+\.wolkvox\.com$", re.IGNORECASE)
_ANY_WOLKVOX = re.compile(r"(^|\.)wolkvox\.com$", re.IGNORECASE)
_IN_ASYNC = contextvars.ContextVar("wolkvox_respx_async", default=False)


class UnroutedRequestError(AllMockedAssertionError):
    """A request to a host the router does not route (``other_hosts="error"``).

    An ``AssertionError`` (respx's own "not mocked" error), so the code under test does not
    swallow it as a network failure, and other active respx routers still get their turn."""


class WolkvoxRouter(respx.MockRouter):
    """A respx ``MockRouter`` whose route ``"wolkvox"`` sends ``wv*.wolkvox.com`` to ``app``.

    ``pass_through`` lists base URLs (e.g. a live fake's) always let through to the network.
    Closing the router (leaving its ``with`` block) closes the sync transport.
    """

    def __init__(self, app: Any, *, other_hosts: str = "error", pass_through: Iterable[str] = ()) -> None:
        if other_hosts not in OTHER_HOSTS:
            raise ValueError(f"other_hosts must be one of {OTHER_HOSTS}, not {other_hosts!r}")
        super().__init__(assert_all_called=False, assert_all_mocked=True)
        self.app = app
        self.other_hosts = other_hosts
        self._sync = SyncASGITransport(app)
        self._async = httpx.ASGITransport(app=app)
        self.route(host__regex=WOLKVOX_HOST.pattern, name="wolkvox").mock(side_effect=self._into_fake)
        # The origin respx expects on a pass-through; never added to the routes.
        self._other_hosts_route = respx.Route().pass_through()
        self.pass_through_urls = list(pass_through)
        for url in self.pass_through_urls:
            self.route(url__startswith=url.rstrip("/")).pass_through()

    # -- the fake's route -----------------------------------------------------------------

    def _into_fake(self, request: httpx.Request) -> httpx.Response | Awaitable[httpx.Response]:
        if _IN_ASYNC.get():
            return self._into_fake_async(request)
        return self._sync.handle_request(request)

    async def _into_fake_async(self, request: httpx.Request) -> httpx.Response:
        # ASGITransport ignores httpx's timeouts; enforce the read timeout as a network would.
        timeout = (request.extensions.get("timeout") or {}).get("read")
        try:
            with anyio.fail_after(timeout):
                response = await self._async.handle_async_request(request)
                await response.aread()
        except TimeoutError:
            raise httpx.ReadTimeout(f"the fake did not answer within {timeout} s", request=request) from None
        return response

    # -- respx's entry points -------------------------------------------------------------

    def handler(self, request: httpx.Request) -> httpx.Response:
        """Answer a sync request (called by respx's patched transports)."""
        __tracebackhide__ = True
        try:
            response: httpx.Response = super().handler(request)
        except AllMockedAssertionError:
            pass
        else:
            return response
        # Outside the except block, so that the failure shows no chained respx internals.
        self._unrouted(request)

    async def async_handler(self, request: httpx.Request) -> httpx.Response:
        """Answer an async request (called by respx's patched transports)."""
        __tracebackhide__ = True
        marker = _IN_ASYNC.set(True)
        try:
            response: httpx.Response = await super().async_handler(request)
        except AllMockedAssertionError:
            pass
        else:
            return response
        finally:
            _IN_ASYNC.reset(marker)
        self._unrouted(request)

    def close(self) -> None:
        """Stop the sync transport's event loop."""
        self._sync.close()

    def __exit__(self, *args: Any) -> None:
        try:
            super().__exit__(*args)
        finally:
            self.close()

    # -- requests to other hosts ----------------------------------------------------------

    def _unrouted(self, request: httpx.Request) -> NoReturn:
        __tracebackhide__ = True
        host = request.url.host
        if self.other_hosts == "pass_through" and not _ANY_WOLKVOX.search(host):
            raise PassThrough(
                f"not a Wolkvox host: {request.url}", request=request, origin=self._other_hosts_route
            )
        raise UnroutedRequestError(self.explain(request))

    def explain(self, request: httpx.Request) -> str:
        """Why ``request`` was not sent, what is routed, and how to change it."""
        url = f"{request.url.scheme}://{request.url.host}{request.url.raw_path.decode()}"
        lines = [f"wolkvox_respx: {request.method} {url} was not sent: no route matches it.", "Routed:"]
        lines.append("  https://wv<server>.wolkvox.com/...  -> the in-process Wolkvox fake")
        lines += [f"  {route.pattern!r}" for route in self.routes if route.name != "wolkvox"]
        if _ANY_WOLKVOX.search(request.url.host):
            lines.append(
                "Only wv<server>.wolkvox.com hosts (e.g. https://wv0001.wolkvox.com) are Wolkvox's API; "
                "other wolkvox.com hosts are never let through to the real service."
            )
            return "\n".join(lines)
        lines.append(
            "How to fix: mock this host with a route of your own, e.g. "
            f'wolkvox_respx.get("{url}").respond(200); or let other hosts reach the network with '
            '@pytest.mark.wolkvox(other_hosts="pass_through") or "wolkvox_other_hosts = pass_through" '
            "in your pytest configuration."
        )
        return "\n".join(lines)
