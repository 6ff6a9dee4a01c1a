"""Limits: body size, JSON nesting, header and URL size, slow and stalled clients, and the
uvicorn settings that hold them (``wolkvox_mock.server.uvicorn_config``)."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, suppress

import httpx
import pytest
from starlette.testclient import TestClient

from tests.conftest import ADD_INTERACTION, BASE_URL, TOKEN, VALID_INTERACTION
from tests.hardening.support import check_envelope, client_for, fuzz_app, raw_exchange, read_answer
from wolkvox_mock import WolkvoxApp
from wolkvox_mock.http_protocol import MAX_HEAD_BYTES, WolkvoxHttpProtocol
from wolkvox_mock.server import LiveServer, uvicorn_config

AUTH = {"wolkvox-token": TOKEN}
MIB = 1024 * 1024


@pytest.fixture(scope="module")
def server() -> Iterator[LiveServer]:
    with LiveServer(fuzz_app()) as live:
        yield live


@pytest.fixture
def live(server: LiveServer) -> LiveServer:
    server.fake.reset()
    return server


@pytest.fixture
def http() -> Iterator[TestClient]:
    with TestClient(fuzz_app(), base_url=BASE_URL) as client:
        yield client


def _post(url: str, body: bytes, headers: dict[str, str] | None = None) -> httpx.Response:
    with client_for(url) as client:
        return client.post(ADD_INTERACTION, content=body, headers={**AUTH, **(headers or {})})


def _sized_interaction(size: int) -> bytes:
    """A valid add_interaction body of exactly ``size`` bytes."""
    empty = json.dumps({**VALID_INTERACTION, "body": ""}).encode()
    return json.dumps({**VALID_INTERACTION, "body": "x" * (size - len(empty))}).encode()


def _until(condition: Callable[[], bool], timeout: float = 5.0) -> bool:
    """Wait for a condition the server reaches on its own thread (bounded; polls)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.005)
    return True


# -- body size ---------------------------------------------------------------------------


def test_a_body_of_exactly_the_limit_is_read_and_one_byte_more_is_413(http: TestClient) -> None:
    exact, over = _sized_interaction(MIB), _sized_interaction(MIB + 1)
    assert (len(exact), len(over)) == (MIB, MIB + 1)
    assert http.post(ADD_INTERACTION, content=exact, headers=AUTH).status_code == 201
    response = http.post(ADD_INTERACTION, content=over, headers=AUTH)
    assert response.status_code == 413
    assert check_envelope(413, response.content)["msg"] == f"THE REQUEST BODY EXCEEDS {MIB} BYTES"


@pytest.mark.parametrize("size", [2 * MIB, 16 * MIB])
def test_huge_bodies_get_413_on_a_live_server_and_record_nothing(live: LiveServer, size: int) -> None:
    """The app stops reading at the limit; uvicorn then closes the connection."""
    response = _post(live.url, b"x" * size)
    assert response.status_code == 413
    check_envelope(413, response.content)
    data = f"POST {ADD_INTERACTION} HTTP/1.1\r\nhost: x\r\nwolkvox-token: {TOKEN}\r\ncontent-length: {size}\r\n\r\n"
    answer = raw_exchange(live.host, live.port, data.encode() + b"x" * size)
    assert answer.status == 413
    check_envelope(413, answer.body)
    # The slot is freed once the answer is sent, on the server's thread: wait for it there.
    assert live.fake.gate.wait_for(lambda gate: gate.in_flight(TOKEN) == 0)
    assert live.fake.interactions == []
    assert _post(live.url, json.dumps(VALID_INTERACTION).encode()).status_code == 201


# -- JSON nesting ------------------------------------------------------------------------


@pytest.mark.parametrize("depth", [1, 50, 500])
def test_nesting_under_the_parser_limit_in_an_ignored_key_is_accepted(http: TestClient, depth: int) -> None:
    body = json.dumps({**VALID_INTERACTION, "extra": json.loads("[" * depth + "]" * depth)})
    assert http.post(ADD_INTERACTION, content=body, headers=AUTH).status_code == 201


@pytest.mark.parametrize("depth", [5_000, 100_000, 500_000])
def test_nesting_past_the_parser_limit_is_400_in_process_and_live(
    http: TestClient, live: LiveServer, depth: int
) -> None:
    """Python's json stops at its recursion limit (about 1,000 levels): 400, with a hint."""
    body = b'{"x":' * depth + b"1" + b"}" * depth
    for response in (http.post(ADD_INTERACTION, content=body, headers=AUTH), _post(live.url, body)):
        if len(body) > MIB:
            assert response.status_code == 413
            continue
        assert response.status_code == 400
        check_envelope(400, response.content)
        assert "not valid JSON" in response.headers["x-wolkvox-mock-hint"]


@pytest.mark.parametrize("depth", [1, 900])
def test_nesting_in_a_field_is_a_wrong_type(http: TestClient, depth: int) -> None:
    body = json.dumps({**VALID_INTERACTION, "from": json.loads("[" * depth + "]" * depth)})
    response = http.post(ADD_INTERACTION, content=body, headers=AUTH)
    assert response.status_code == 400
    assert "'from' must be a string" in response.headers["x-wolkvox-mock-hint"]


# -- header and URL size -----------------------------------------------------------------


def _request(target: str, headers: str = "", body: bytes = b"") -> bytes:
    head = (
        f"POST {target} HTTP/1.1\r\nhost: wv0001.wolkvox.com\r\n{headers}content-length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


def test_header_blocks_under_64_kib_reach_the_app(live: LiveServer) -> None:
    big_token = f"wolkvox-token: {'a' * 60_000}\r\n"
    many = "".join(f"x-{i}: {i}\r\n" for i in range(4_000))
    for headers in (big_token, many):
        answer = raw_exchange(live.host, live.port, _request(ADD_INTERACTION, headers))
        assert answer.status in (401, 403), answer
        check_envelope(answer.status, answer.body)


@pytest.mark.parametrize(
    "data",
    [
        _request(ADD_INTERACTION, f"x-big: {'a' * 300 * 1024}\r\n"),
        _request(ADD_INTERACTION, "".join(f"x-{i}: {'a' * 50}\r\n" for i in range(6_000))),
        _request(f"{ADD_INTERACTION}&pad={'a' * 300 * 1024}"),
    ],
    ids=["one 300 KiB header", "6,000 headers", "300 KiB URL"],
)
def test_header_blocks_far_over_64_kib_get_uvicorns_400_and_never_reach_the_app(
    live: LiveServer, data: bytes
) -> None:
    """The app never sees the request; the client may see a reset instead of the 400 when it
    is still sending."""
    answer = raw_exchange(live.host, live.port, data)
    assert answer.from_http_layer or (answer.status is None and answer.reset), answer
    assert live.fake.journal.total == 0
    assert _post(live.url, json.dumps(VALID_INTERACTION).encode()).status_code == 201


@pytest.mark.parametrize(
    "headers",
    [f"x-big: {'a' * (MAX_HEAD_BYTES + 10)}\r\n", "".join(f"x-{i}: {'a' * 20}\r\n" for i in range(2_500))],
    ids=["one header", "many headers"],
)
def test_every_header_block_over_64_kib_is_refused_however_the_bytes_arrive(
    live: LiveServer, headers: str
) -> None:
    """The bound is exact now (h11's depended on how the bytes arrived between 64 and 256 KiB)."""
    data = _request(ADD_INTERACTION, headers)
    assert MAX_HEAD_BYTES < len(data) < 256 * 1024
    for pieces in ([data], [data[i : i + 4096] for i in range(0, len(data), 4096)]):
        with socket.create_connection((live.host, live.port), timeout=5) as sock:
            for piece in pieces:
                with suppress(OSError):
                    sock.sendall(piece)
            answer = read_answer(sock)
        assert answer.from_http_layer or (answer.status is None and answer.reset), answer
    assert live.fake.journal.total == 0


def test_a_header_that_never_ends_is_refused_at_the_bound(live: LiveServer) -> None:
    """A client that sends header bytes without end gets the 400 once it passes 64 KiB, while
    it is still sending: the server does not wait for the line's end, nor buffer past the bound."""
    with socket.create_connection((live.host, live.port), timeout=5) as sock:
        sock.sendall(f"POST {ADD_INTERACTION} HTTP/1.1\r\nhost: x\r\nx-endless: ".encode())
        with suppress(OSError):
            sock.sendall(b"a" * (MAX_HEAD_BYTES + 1024))
        answer = read_answer(sock)
    assert answer.from_http_layer or (answer.status is None and answer.reset), answer
    assert live.fake.journal.total == 0


def test_what_llhttp_refuses_on_a_kept_alive_connection_gets_the_http_layer_400(live: LiveServer) -> None:
    """Only a connection's first request is handed to h11 when llhttp refuses it; a later one
    (here a lowercase method, which h11 would pass to the app) gets uvicorn's 400."""
    first = _request(ADD_INTERACTION, f"wolkvox-token: {TOKEN}\r\n")
    with socket.create_connection((live.host, live.port), timeout=5) as sock:
        sock.sendall(first)
        assert read_answer(sock).status == 400  # the empty body: SOME PARAMETERS ARE REQUIRED
        sock.sendall(first.replace(b"POST", b"post", 1))
        assert read_answer(sock).from_http_layer


def test_long_urls_under_64_kib_reach_the_app(live: LiveServer) -> None:
    answer = raw_exchange(
        live.host, live.port, _request(f"{ADD_INTERACTION}&pad={'a' * 60_000}", f"wolkvox-token: {TOKEN}\r\n")
    )
    assert answer.status == 400  # the body is empty: SOME PARAMETERS ARE REQUIRED
    check_envelope(400, answer.body)


def test_huge_headers_in_process_reach_the_app(http: TestClient) -> None:
    """In-process there is no HTTP layer: the app reads any header size (a 1 MiB token)."""
    response = http.post(ADD_INTERACTION, json=VALID_INTERACTION, headers={"wolkvox-token": "a" * MIB})
    assert response.status_code == 403
    check_envelope(403, response.content)


# -- slow and stalled clients ------------------------------------------------------------


def _stalled(live: LiveServer, data: bytes) -> socket.socket:
    sock = socket.create_connection((live.host, live.port), timeout=5)
    sock.sendall(data)
    return sock


def test_stalled_clients_do_not_block_others(live: LiveServer) -> None:
    """Twenty clients stall (ten mid-headers, ten mid-body with the same token); others are
    served meanwhile, and no stalled request holds the token's slot."""
    half_head = f"POST {ADD_INTERACTION} HTTP/1.1\r\nhost: x\r\nwolkvox-tok".encode()
    half_body = _request(ADD_INTERACTION, f"wolkvox-token: {TOKEN}\r\n", b"x" * 1000)[:-990]
    with ExitStack() as stack:
        for data in [half_head] * 10 + [half_body] * 10:
            stack.callback(_stalled(live, data).close)
        assert live.fake.in_flight(TOKEN) == 0
        with client_for(live.url) as client:
            for _ in range(20):
                response = client.post(ADD_INTERACTION, json=VALID_INTERACTION, headers=AUTH)
                assert response.status_code == 201
    assert len(live.fake.interactions) == 20
    # The mid-body ones were reading their body when their clients left: 499, nothing recorded.
    assert _until(lambda: len(live.fake.find_requests(status=499)) == 10)
    assert live.fake.in_flight(TOKEN) == 0


def test_a_slow_client_is_served_and_does_not_block_others(live: LiveServer) -> None:
    data = _request(ADD_INTERACTION, f"wolkvox-token: {TOKEN}\r\n", json.dumps(VALID_INTERACTION).encode())
    pieces = [data[i : i + 8] for i in range(0, len(data), 8)]
    answers: list[int | None] = []

    def dribble() -> None:
        with socket.create_connection((live.host, live.port), timeout=10) as sock:
            for piece in pieces:
                sock.sendall(piece)
                time.sleep(0.003)  # a slow client, not a wait for the server
            answers.append(read_answer(sock).status)

    slow = threading.Thread(target=dribble)
    slow.start()
    with client_for(live.url) as client:
        served = [client.get(ADD_INTERACTION).status_code for _ in range(20)]
    slow.join(10)
    assert served == [405] * 20
    assert answers == [201]


def test_an_idle_keep_alive_connection_is_closed_by_the_server() -> None:
    with LiveServer(fuzz_app(), timeout_keep_alive=1) as live:
        sock = socket.create_connection((live.host, live.port), timeout=5)
        sock.sendall(_request(ADD_INTERACTION))
        assert read_answer(sock).status == 401
        started = time.monotonic()
        assert sock.recv(65536) == b""  # EOF: the server closed the idle connection
        assert time.monotonic() - started < 4
        sock.close()


def test_keep_alive_counts_idle_time_from_the_last_answer_not_the_first() -> None:
    # One timer stays armed while a connection is used (http_protocol): it must not close a
    # connection that was never idle for the timeout, however long it has been open.
    with LiveServer(fuzz_app(), timeout_keep_alive=2) as live:
        sock = socket.create_connection((live.host, live.port), timeout=10)
        for _ in range(4):  # 3 x 0.8 s: past the timeout since the first answer, never idle 2 s
            sock.sendall(_request(ADD_INTERACTION))
            assert read_answer(sock).status == 401
            time.sleep(0.8)
        sock.sendall(_request(ADD_INTERACTION))
        assert read_answer(sock).status == 401, "the connection was closed while in use"
        started = time.monotonic()
        assert sock.recv(65536) == b""  # then idle: closed
        assert 1.5 < time.monotonic() - started < 6
        sock.close()


def test_a_request_pipelined_behind_an_answer_is_not_cut_by_the_keep_alive_timer() -> None:
    # The first request is answered at once (a 401: no token), which arms the timer; the
    # second, in the same write, is held past the timeout and must still get its answer.
    body = json.dumps(VALID_INTERACTION).encode()
    held = _request(ADD_INTERACTION, f"wolkvox-token: {TOKEN}\r\ncontent-type: application/json\r\n", body)
    with LiveServer(fuzz_app(), timeout_keep_alive=1) as live:
        live.fake.hold(TOKEN)
        sock = socket.create_connection((live.host, live.port), timeout=10)
        sock.sendall(_request(ADD_INTERACTION) + held)
        assert read_answer(sock).status == 401
        assert live.fake.wait_held(1, token=TOKEN, timeout=10)
        time.sleep(1.5)  # past the keep-alive timeout, while the second request is held
        live.fake.release(TOKEN)
        assert read_answer(sock).status == 201
        sock.close()


def test_stop_returns_while_a_request_is_held_and_frees_its_slot() -> None:
    """timeout_graceful_shutdown: uvicorn cancels what is still in flight; the slot is freed."""
    app: WolkvoxApp = fuzz_app()
    live = LiveServer(app, timeout_graceful_shutdown=1).start()
    app.fake.hold(TOKEN)
    sock = _stalled(live, _request(ADD_INTERACTION, f"wolkvox-token: {TOKEN}\r\n", b"{}"))
    assert app.fake.wait_held(1, token=TOKEN)
    started = time.monotonic()
    live.stop()
    sock.close()
    assert time.monotonic() - started < 5
    assert live._thread is not None and not live._thread.is_alive()
    assert app.fake.in_flight(TOKEN) == 0


def test_a_websocket_upgrade_is_served_as_plain_http(live: LiveServer) -> None:
    upgrade = "connection: Upgrade\r\nupgrade: websocket\r\nsec-websocket-version: 13\r\nsec-websocket-key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
    answer = raw_exchange(live.host, live.port, _request("/chat", upgrade))
    assert answer.status == 404
    check_envelope(404, answer.body)


def test_uvicorn_settings_are_the_documented_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", "*")
    config = uvicorn_config(fuzz_app(), "127.0.0.1", 0)
    assert config.http is WolkvoxHttpProtocol and config.loop == "auto" and config.ws == "none"
    assert config.h11_max_incomplete_event_size == MAX_HEAD_BYTES == 64 * 1024
    assert config.timeout_keep_alive == 5
    assert config.timeout_graceful_shutdown is not None
    assert config.limit_concurrency is None  # uvicorn's 503 beyond it would be a 5xx
    assert config.proxy_headers and config.forwarded_allow_ips == "127.0.0.1,::1"
