"""``SyncASGITransport``: serve a sync ``httpx.Client`` from an ASGI app, in-process.

``httpx.ASGITransport`` only speaks to ``httpx.AsyncClient``. This transport runs the app on
an event loop of its own, in a background thread (an anyio blocking portal), so that code
written for a sync client can be tested against any ASGI app without a socket. It is generic
ASGI: it knows nothing about Wolkvox or the fake.

Like a network client, it honours httpx's read timeout: when the app does not answer in time,
the caller gets ``httpx.ReadTimeout`` and the app receives ``http.disconnect``, as it would
when a real client hangs up. The app then finishes on its own loop.
"""

from __future__ import annotations

import concurrent.futures
import threading
from contextlib import AbstractContextManager, suppress
from typing import Any

import anyio
import httpx
from anyio.from_thread import BlockingPortal, start_blocking_portal

__all__ = ["SyncASGITransport"]

_Headers = list[tuple[bytes, bytes]]
_Answer = tuple[int, _Headers, bytes]


class _Exchange:
    """One request/response cycle between the caller's thread and the app's loop."""

    def __init__(self, request: httpx.Request, scope: dict[str, Any], body: bytes) -> None:
        self.request = request
        self.scope = scope
        self.body: bytes | None = body
        #: Resolved (from the loop) when the app returns: the response, or why there is none.
        self.answer: concurrent.futures.Future[_Answer] = concurrent.futures.Future()
        self._status = 0
        self._headers: _Headers = []
        self._chunks: list[bytes] = []
        self._complete = False
        self._gone = False
        self._gone_event: anyio.Event | None = None

    async def run(self, app: Any) -> None:
        """Run the app for this exchange (on the portal's loop).

        The answer is handed over when the app returns, as ``httpx.ASGITransport`` does, so
        whatever the app does after sending (freeing resources, logging) is done by then.
        """
        self._gone_event = anyio.Event()
        if self._gone:
            self._gone_event.set()
        try:
            await app(self.scope, self._receive, self._send)
        except Exception as exc:
            self._settle(exc)
        except BaseException:
            self.abandon()
            raise
        else:
            self._settle(None)

    def abandon(self) -> None:
        """The transport is closing: the caller sees what a client sees when the server goes
        away mid-request (safe from any thread; no-op once answered)."""
        gone = httpx.RemoteProtocolError("the transport was closed during the request", request=self.request)
        with suppress(concurrent.futures.InvalidStateError):
            self.answer.set_exception(gone)

    def _settle(self, failure: BaseException | None) -> None:
        # An app exception reaches the caller even after a complete answer, as with
        # httpx.ASGITransport (Starlette sends its 500 page, then re-raises). The answer may
        # already be settled by ``abandon`` from a closing thread: then this is a no-op.
        with suppress(concurrent.futures.InvalidStateError):
            if failure is None and self._complete:
                self.answer.set_result((self._status, self._headers, b"".join(self._chunks)))
            else:
                self.answer.set_exception(
                    failure or RuntimeError("the ASGI app returned without a complete response")
                )

    def disconnect(self) -> None:
        """The client is gone: the app's next ``receive()`` says ``http.disconnect`` (loop thread)."""
        self._gone = True
        if self._gone_event is not None:
            self._gone_event.set()

    async def _receive(self) -> dict[str, Any]:
        if self.body is not None:
            body, self.body = self.body, None
            return {"type": "http.request", "body": body, "more_body": False}
        assert self._gone_event is not None
        await self._gone_event.wait()
        return {"type": "http.disconnect"}

    async def _send(self, message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            self._status = int(message["status"])
            self._headers = [(bytes(k), bytes(v)) for k, v in message.get("headers", [])]
        elif message["type"] == "http.response.body":
            if self.scope["method"] != "HEAD":
                self._chunks.append(bytes(message.get("body", b"")))
            if not message.get("more_body", False):
                self._complete = True
                # Like a finished HTTP/1.1 exchange: a later receive() reports the disconnect.
                self.disconnect()


class SyncASGITransport(httpx.BaseTransport):
    """An ``httpx.BaseTransport`` that answers requests with an ASGI ``app``, in-process.

    ``httpx.Client(transport=SyncASGITransport(app), base_url="https://example.test")``.
    The app runs on an event loop in a daemon thread, started on the first request and
    stopped by ``close()`` (which cancels what is still running); a closed transport starts
    a fresh loop if used again. Thread-safe: several threads may send at once.
    """

    def __init__(
        self, app: Any, *, root_path: str = "", client: tuple[str, int] = ("127.0.0.1", 123)
    ) -> None:
        self.app = app
        self.root_path = root_path
        self.client = client
        self._lock = threading.Lock()
        self._portal: BlockingPortal | None = None
        self._portal_cm: AbstractContextManager[BlockingPortal] | None = None
        self._pending: set[_Exchange] = set()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Send ``request`` to the app and wait for its complete response."""
        exchange = _Exchange(request, self._scope(request), request.read())
        portal = self._running_portal()
        portal.start_task_soon(exchange.run, self.app)
        timeout = (request.extensions.get("timeout") or {}).get("read")
        try:
            status, headers, content = exchange.answer.result(timeout)
        except concurrent.futures.TimeoutError:
            portal.call(exchange.disconnect)
            raise httpx.ReadTimeout(
                f"the ASGI app did not answer within {timeout} s", request=request
            ) from None
        return httpx.Response(status, headers=headers, stream=httpx.ByteStream(content), request=request)

    def close(self) -> None:
        """Stop the app's event loop, cancelling requests still in progress."""
        with self._lock:
            portal, portal_cm = self._portal, self._portal_cm
            self._portal = self._portal_cm = None
            pending = list(self._pending)
        if portal is not None and portal_cm is not None:
            try:
                portal.call(portal.stop, True)
            finally:
                portal_cm.__exit__(None, None, None)
        # Requests cancelled before the app even started them must not wait for ever.
        for exchange in pending:
            exchange.abandon()

    def _running_portal(self) -> BlockingPortal:
        with self._lock:
            if self._portal is None:
                self._portal_cm = start_blocking_portal(name="sync-asgi-transport")
                self._portal = self._portal_cm.__enter__()
            return self._portal

    def _scope(self, request: httpx.Request) -> dict[str, Any]:
        url = request.url
        return {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": request.method,
            "headers": [(k.lower(), v) for k, v in request.headers.raw],
            "scheme": url.scheme,
            "path": url.path,
            "raw_path": url.raw_path.split(b"?")[0],
            "query_string": url.query,
            "server": (url.host, url.port),
            "client": self.client,
            "root_path": self.root_path,
        }
