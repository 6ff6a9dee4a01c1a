"""A served call with nothing to wait for is answered at once, in the read that completed it,
without an ASGI task (http_protocol.WolkvoxHttpProtocol, ApiEndpoint.answer_now): byte for
byte the answer the ASGI way gives, journaled once. Anything that waits or that uvicorn's
middleware must see (latency, holds, faults, multipart, a body still to come, proxy headers,
``Expect: 100-continue``) takes the ASGI way from the start. Over real sockets."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import ADD_INTERACTION, SERVER, TOKEN, VALID_INTERACTION
from wolkvox_mock.app import WolkvoxApp, create_app
from wolkvox_mock.pipeline.endpoint import ApiEndpoint
from wolkvox_mock.server import LiveServer
from wolkvox_mock.state.demo import demo_state

BODY = json.dumps(VALID_INTERACTION).encode()


class Ways:
    """How many calls took each way (counted where the two ways part)."""

    def __init__(self) -> None:
        self.at_once = 0
        self.asgi = 0
        self.asgi_started = threading.Event()


@pytest.fixture
def ways(monkeypatch: pytest.MonkeyPatch) -> Ways:
    counted = Ways()
    answer, answer_now = ApiEndpoint._answer, ApiEndpoint._answer_now

    async def _answer(self: ApiEndpoint, *args: Any) -> Any:
        counted.asgi += 1
        counted.asgi_started.set()
        return await answer(self, *args)

    def _answer_now(self: ApiEndpoint, *args: Any) -> Any:
        found = answer_now(self, *args)
        counted.at_once += found is not None
        return found

    monkeypatch.setattr(ApiEndpoint, "_answer", _answer)
    monkeypatch.setattr(ApiEndpoint, "_answer_now", _answer_now)
    return counted


@pytest.fixture
def served() -> Iterator[LiveServer]:
    with LiveServer(create_app(demo_state(SERVER, TOKEN))) as server:
        yield server


def request(
    target: str = ADD_INTERACTION,
    body: bytes = BODY,
    method: str = "POST",
    token: str | None = TOKEN,
    extra: str = "",
) -> bytes:
    head = f"{method} {target} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n"
    if token is not None:
        head += f"wolkvox-token: {token}\r\n"
    return f"{head}{extra}content-length: {len(body)}\r\n\r\n".encode() + body


def read_answers(sock: socket.socket, count: int = 1, head_only: bool = False) -> list[bytes]:
    """``count`` whole answers (status line, headers and the content-length's body)."""
    buffer, answers = b"", []
    while len(answers) < count:
        end = buffer.find(b"\r\n\r\n")
        if end >= 0:
            head = buffer[: end + 4]
            length = 0
            for line in head.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            whole = end + 4 + (0 if head_only else length)
            if len(buffer) >= whole:
                answers.append(buffer[:whole])
                buffer = buffer[whole:]
                continue
        chunk = sock.recv(65536)
        assert chunk, f"the connection closed after {len(answers)} answers: {buffer!r}"
        buffer += chunk
    return answers


def exchange(server: LiveServer, data: bytes, count: int = 1, head_only: bool = False) -> list[bytes]:
    with socket.create_connection(("127.0.0.1", server.port)) as sock:
        sock.settimeout(10)
        sock.sendall(data)
        return read_answers(sock, count, head_only)


def without_date(answer: bytes) -> bytes:
    return b"\r\n".join(line for line in answer.split(b"\r\n") if not line.startswith(b"date: "))


def asgi_way(server: LiveServer) -> None:
    """Make every call take the ASGI way without changing any answer: a fault is active (it
    targets an operation these tests never call)."""
    server.fake.add_fault(api="speech_on_demand", error="token_limit_exceeded")


CASES: dict[str, dict[str, Any]] = {
    "201 success": {},
    "401 no token": {"token": None},
    "400 body not JSON": {"body": b"{not json"},
    "405 with Allow": {"method": "PUT"},
    "405 to a HEAD, no body": {"method": "HEAD", "body": b""},
    "400 unknown api": {"target": "/api/v2/configuration.php?api=nope"},
}
# The ASGI way without changing the answer: a proxy header from this machine (uvicorn's
# middleware reads it: the client becomes the one it names, which no answer shows).
VIA_PROXY = "x-forwarded-for: 127.0.0.1\r\n"


@pytest.mark.parametrize("case", list(CASES))
def test_an_answer_at_once_is_the_asgi_ways_byte_for_byte(case: str, ways: Ways) -> None:
    head_only = case.startswith("405 to a HEAD")
    answers = []
    for extra in ("", VIA_PROXY):
        with LiveServer(create_app(demo_state(SERVER, TOKEN))) as server:
            (answer,) = exchange(server, request(**CASES[case], extra=extra), head_only=head_only)
            answers.append(without_date(answer))
            entries = server.fake.journal.entries()
            assert len(entries) == 1, "journaled exactly once"
            if head_only:
                assert answer.endswith(b"\r\n\r\n"), "a HEAD's answer has no body"
    assert ways.at_once == 1 and ways.asgi == 1
    assert answers[0] == answers[1]
    assert answers[0].startswith(b"HTTP/1.1 " + case[:3].encode())


def test_each_of_many_calls_is_recorded_once_and_their_slots_are_freed(
    served: LiveServer, ways: Ways
) -> None:
    answers = exchange(served, request() * 20, count=20)  # pipelined, in one write
    assert [a.split(b" ")[1] for a in answers] == [b"201"] * 20
    assert ways.at_once == 20 and ways.asgi == 0
    assert len(served.fake.journal.entries()) == 20
    assert len(served.fake.state.interactions) == 20
    assert served.fake.gate.in_flight(TOKEN) == 0


def test_a_request_asking_to_close_gets_its_answer_then_the_close(served: LiveServer, ways: Ways) -> None:
    with socket.create_connection(("127.0.0.1", served.port)) as sock:
        sock.settimeout(10)
        sock.sendall(request(extra="connection: close\r\n"))
        (answer,) = read_answers(sock)
        assert sock.recv(1) == b"", "the server closed the connection"
    assert b"\r\nconnection: close\r\n" in answer and ways.at_once == 1


@pytest.mark.parametrize(
    "arrange",
    ["latency", "hold", "fault header", "fault", "forwarded", "expect"],
)
def test_what_waits_or_needs_the_middleware_takes_the_asgi_way(
    arrange: str, served: LiveServer, ways: Ways
) -> None:
    fake, extra = served.fake, ""
    if arrange == "latency":
        fake.settings.latency = 0.01
    elif arrange == "hold":
        fake.hold(TOKEN)
    elif arrange == "fault header":
        extra = "x-wolkvox-mock-fault: latency=0\r\n"
    elif arrange == "fault":
        asgi_way(served)
    elif arrange == "forwarded":
        extra = "x-forwarded-for: 203.0.113.9\r\n"
    else:
        extra = "expect: 100-continue\r\n"
    releaser = None
    if arrange == "hold":
        releaser = threading.Thread(target=lambda: (fake.wait_held(1, timeout=10), fake.release()))
        releaser.start()
    with socket.create_connection(("127.0.0.1", served.port)) as sock:
        sock.settimeout(10)
        if arrange == "expect":
            head, body = request(extra=extra).split(b"\r\n\r\n", 1)
            sock.sendall(head + b"\r\n\r\n")
            assert read_answers(sock, head_only=True)[0].startswith(b"HTTP/1.1 100 ")
            sock.sendall(body)
        else:
            sock.sendall(request(extra=extra))
        (answer,) = read_answers(sock)
    if releaser is not None:
        releaser.join(10)
    assert answer.startswith(b"HTTP/1.1 201 ")
    assert ways.asgi == 1 and ways.at_once == 0
    assert len(fake.journal.entries()) == 1
    if arrange == "forwarded":  # the proxy's client, as uvicorn's middleware reads it
        assert fake.operation().collections["audit_log"][-1]["ip"] == "203.0.113.9"


def test_a_body_that_comes_in_a_later_read_takes_the_asgi_way(served: LiveServer, ways: Ways) -> None:
    data = request()
    head_end = data.index(b"\r\n\r\n") + 4
    with socket.create_connection(("127.0.0.1", served.port)) as sock:
        sock.settimeout(10)
        sock.sendall(data[:head_end])
        # The head is read alone: its task starts and waits for the body.
        assert ways.asgi_started.wait(10)
        sock.sendall(data[head_end:])
        (answer,) = read_answers(sock)
    assert answer.startswith(b"HTTP/1.1 201 ") and ways.at_once == 0


@pytest.mark.parametrize("waits", ["token_info", "*"])
def test_a_call_refused_as_busy_at_once_while_slower_calls_hold_the_slots(
    waits: str, served: LiveServer, ways: Ways
) -> None:
    # "*": add_interaction would wait too if admitted; refused, it waits for nothing.
    fake = served.fake
    fake.settings.latency = {waits: 30.0}
    limit = fake.settings.concurrency_limit
    slow = request(target="/api/v2/information.php?api=token_info", method="GET", body=b"")
    sockets = [socket.create_connection(("127.0.0.1", served.port)) for _ in range(limit)]
    try:
        for sock in sockets:
            sock.sendall(slow)
        assert fake.gate.wait_for(lambda gate: gate.in_flight(TOKEN) == limit, timeout=10)
        (answer,) = exchange(served, request())
        assert answer.startswith(b"HTTP/1.1 403 ")
        assert b"SIMULTANEOUS" in answer
        assert ways.at_once == 1 and ways.asgi == limit  # the slow ones took the ASGI way
        assert fake.journal.entries()[-1].status == 403
    finally:
        for sock in sockets:
            sock.close()


def test_a_held_tokens_call_over_its_quota_is_refused_at_once(served: LiveServer, ways: Ways) -> None:
    fake = served.fake
    fake.hold(TOKEN)
    fake.operation().tokens[TOKEN].limit = 0  # the token's own cap: used up
    (answer,) = exchange(served, request())
    assert answer.startswith(b"HTTP/1.1 403 ") and b"TOKEN LIMIT EXCEEDED" in answer
    assert ways.at_once == 1 and ways.asgi == 0 and fake.gate.held_count(TOKEN) == 0


def test_a_shared_store_never_answers_at_once() -> None:
    from wolkvox_mock.pipeline.shared import SharedApiEndpoint

    assert ApiEndpoint.answers_now and not SharedApiEndpoint.answers_now


def test_a_non_wolkvox_app_is_served_the_asgi_way() -> None:
    app: WolkvoxApp = create_app(demo_state(SERVER, TOKEN))
    assert callable(app.answer_now)
    scope = {"path": "/__wolkvox_mock__/health"}
    assert app.answer_now(scope, b"", lambda *_: None) is False  # not an API path: nothing done


def test_the_access_line_of_an_answer_at_once_is_uvicorns() -> None:
    import io
    import logging

    with LiveServer(create_app(demo_state(SERVER, TOKEN)), log_level="info", access_log=True) as server:
        (handler,) = logging.getLogger("uvicorn.access").handlers
        stream = io.StringIO()
        old = handler.setStream(stream)  # type: ignore[attr-defined]
        try:
            with socket.create_connection(("127.0.0.1", server.port)) as sock:
                sock.settimeout(10)
                for at_once in (True, True, False):
                    if not at_once:
                        asgi_way(server)  # the same request, now answered by uvicorn's send
                    sock.sendall(request())
                    read_answers(sock)
                port = sock.getsockname()[1]
            handler.flush()
        finally:
            handler.setStream(old)  # type: ignore[attr-defined]
    lines = stream.getvalue().splitlines()
    assert len(lines) == 3 and lines[0] == lines[1] == lines[2], lines
    assert f'127.0.0.1:{port} - "POST {ADD_INTERACTION} HTTP/1.1" 201 Created' in lines[0]
