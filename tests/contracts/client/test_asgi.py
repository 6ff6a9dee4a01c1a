"""SyncASGITransport: a sync httpx client served by any ASGI app, in-process."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import anyio
import httpx
import pytest

from wolkvox_mock.contracts.client.asgi import SyncASGITransport

Scope = dict[str, Any]


async def echo(scope: Scope, receive: Any, send: Any) -> None:
    """Answers with the method, path, query, a header and the body it received."""
    message = await receive()
    headers = dict(scope["headers"])
    text = f"{scope['method']} {scope['path']}?{scope['query_string'].decode()} {headers.get(b'x-test', b'').decode()} "
    payload = text.encode() + message["body"]
    await send({"type": "http.response.start", "status": 207, "headers": [(b"x-seen", b"yes")]})
    await send({"type": "http.response.body", "body": payload[:5], "more_body": True})
    await send({"type": "http.response.body", "body": payload[5:]})


class Waiting:
    """An app that answers once ``go`` is set, and records whether its client left first."""

    def __init__(self) -> None:
        self.go = threading.Event()
        self.entered = threading.Event()
        self.saw_disconnect = threading.Event()
        self.finished = threading.Event()

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        self.entered.set()
        await receive()
        try:
            async with anyio.create_task_group() as group:
                group.start_soon(self._watch, receive, group.cancel_scope)
                # ``go`` is set from the test's thread, which cannot set an event of this loop.
                while not self.go.is_set():  # noqa: ASYNC110
                    await anyio.sleep(0.002)
                group.cancel_scope.cancel()
            await send({"type": "http.response.start", "status": 200, "headers": []})
            await send({"type": "http.response.body", "body": b"late"})
        finally:
            self.finished.set()

    async def _watch(self, receive: Any, scope: anyio.CancelScope) -> None:
        if (await receive())["type"] == "http.disconnect":
            self.saw_disconnect.set()
            scope.cancel()


def test_request_and_response_cross_the_transport() -> None:
    with httpx.Client(transport=SyncASGITransport(echo), base_url="https://wv0001.wolkvox.com") as client:
        response = client.post(
            "/api/v2/x.php", params={"api": "a"}, content=b"hello", headers={"x-test": "t"}
        )
    assert response.status_code == 207
    assert response.headers["x-seen"] == "yes"
    assert response.text == "POST /api/v2/x.php?api=a t hello"


def test_several_threads_may_send_at_once() -> None:
    transport = SyncASGITransport(echo)
    with httpx.Client(transport=transport, base_url="http://test") as client, ThreadPoolExecutor(8) as pool:
        texts = list(pool.map(lambda i: client.get(f"/{i}").text, range(40)))
    assert texts == [f"GET /{i}?  " for i in range(40)]


def test_read_timeout_raises_and_the_app_sees_its_client_leave() -> None:
    app = Waiting()
    with httpx.Client(transport=SyncASGITransport(app), base_url="http://test", timeout=0.2) as client:
        with pytest.raises(httpx.ReadTimeout):
            client.get("/")
        assert app.saw_disconnect.wait(5)
        assert app.finished.wait(5)


def test_app_exceptions_reach_the_caller() -> None:
    async def broken(scope: Scope, receive: Any, send: Any) -> None:
        raise LookupError("no route")

    client = httpx.Client(transport=SyncASGITransport(broken), base_url="http://test")
    with client, pytest.raises(LookupError, match="no route"):
        client.get("/")


def test_app_returning_without_an_answer_is_an_error() -> None:
    async def silent(scope: Scope, receive: Any, send: Any) -> None:
        return None

    client = httpx.Client(transport=SyncASGITransport(silent), base_url="http://test")
    with client, pytest.raises(RuntimeError, match="without a complete response"):
        client.get("/")


def test_close_cancels_requests_in_progress_and_the_transport_restarts() -> None:
    app = Waiting()
    transport = SyncASGITransport(app)
    client = httpx.Client(transport=transport, base_url="http://test", timeout=None)
    errors: list[BaseException] = []

    def call() -> None:
        try:
            client.get("/")
        except httpx.HTTPError as exc:
            errors.append(exc)

    thread = threading.Thread(target=call)
    thread.start()
    assert app.entered.wait(5)
    transport.close()
    thread.join(5)
    assert [type(e) for e in errors] == [httpx.RemoteProtocolError]
    assert app.finished.is_set()
    app.go.set()
    assert client.get("/").text == "late"
    client.close()


def test_app_exception_after_a_complete_answer_still_reaches_the_caller() -> None:
    async def answers_then_fails(scope: Scope, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 500, "headers": []})
        await send({"type": "http.response.body", "body": b"Internal Server Error"})
        raise httpx.ReadError("connection reset")

    client = httpx.Client(transport=SyncASGITransport(answers_then_fails), base_url="http://test")
    with client, pytest.raises(httpx.ReadError):
        client.get("/")
