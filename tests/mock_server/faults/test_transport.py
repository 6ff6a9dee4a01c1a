"""Transport faults over a real socket (uvicorn on 127.0.0.1): what a plain client sees is what
a real network failure looks like, the gate slot is always released, and uvicorn adds nothing
of its own (no 500, no error log)."""

from __future__ import annotations

import json
import logging
import socket
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.conftest import ADD_INTERACTION, SERVER, TOKEN, VALID_INTERACTION
from wolkvox_mock import create_app, demo_state
from wolkvox_mock.server import LiveServer

FAULT = "x-wolkvox-mock-fault"


@pytest.fixture(scope="module")
def shared_live() -> Iterator[LiveServer]:
    """One server for the module (starting and stopping uvicorn costs more than the tests)."""
    with LiveServer(create_app(demo_state(SERVER, TOKEN))) as server:
        yield server


@pytest.fixture
def live(shared_live: LiveServer) -> LiveServer:
    """The module's server, back to its seed (faults, journal, holds cleared)."""
    assert slots_free(shared_live)
    shared_live.fake.reset()
    return shared_live


@pytest.fixture
def server_errors() -> Iterator[list[logging.LogRecord]]:
    """Records uvicorn logs at ERROR or above while the test runs."""
    records: list[logging.LogRecord] = []
    handler = logging.Handler(logging.ERROR)
    handler.emit = records.append  # type: ignore[method-assign]
    logger = logging.getLogger("uvicorn.error")
    logger.addHandler(handler)
    yield records
    logger.removeHandler(handler)


def post(live: LiveServer, fault: str | None = None, timeout: float = 5.0) -> httpx.Response:
    headers = {"wolkvox-token": TOKEN, "wolkvox_server": SERVER}
    if fault:
        headers[FAULT] = fault
    return httpx.post(live.url + ADD_INTERACTION, json=VALID_INTERACTION, headers=headers, timeout=timeout)


def raw_request(fault: str) -> bytes:
    body = json.dumps(VALID_INTERACTION).encode()
    head = (
        f"POST {ADD_INTERACTION} HTTP/1.1\r\nHost: wv{SERVER}.wolkvox.com\r\nwolkvox-token: {TOKEN}\r\n"
        f"{FAULT}: {fault}\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


def read_all(sock: socket.socket) -> bytes:
    chunks = []
    while chunk := sock.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


def slots_free(live: LiveServer) -> bool:
    return live.fake.gate.wait_for(lambda g: g.in_flight(TOKEN) == 0, 5.0)


def test_reset_is_a_connection_reset_for_httpx(
    live: LiveServer, server_errors: list[logging.LogRecord]
) -> None:
    with pytest.raises(httpx.ReadError, match="reset"):
        post(live, "transport=reset")
    assert slots_free(live)
    assert live.fake.interactions == []  # nothing was done
    assert post(live).status_code == 201  # the next call is served normally
    assert server_errors == []


def test_reset_sends_not_a_single_byte_on_the_socket(
    live: LiveServer, server_errors: list[logging.LogRecord]
) -> None:
    with socket.create_connection((live.host, live.port), timeout=5) as sock:
        sock.sendall(raw_request("transport=reset"))
        with pytest.raises(ConnectionResetError):
            received = sock.recv(65536)
            pytest.fail(f"expected a reset, received {received!r}")  # b"" would be a clean close
    assert slots_free(live)
    assert server_errors == []
    assert live.fake.requests[-1].status == 0


def test_truncate_announces_the_full_length_then_closes(
    live: LiveServer, server_errors: list[logging.LogRecord]
) -> None:
    with socket.create_connection((live.host, live.port), timeout=5) as sock:
        sock.sendall(raw_request("transport=truncate"))
        data = read_all(sock)
    head, _, body = data.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 201 ")
    length = int(
        next(h for h in head.split(b"\r\n") if h.lower().startswith(b"content-length:")).split(b":")[1]
    )
    assert 0 < len(body) < length
    assert server_errors == []


def test_truncate_is_a_protocol_error_for_httpx_after_the_operation_ran(live: LiveServer) -> None:
    with pytest.raises(httpx.RemoteProtocolError, match="complete message body"):
        post(live, "transport=truncate")
    assert len(live.fake.interactions) == 1
    assert slots_free(live)


def test_invalid_json_is_a_decode_error_for_the_client(live: LiveServer) -> None:
    response = post(live, "transport=invalid_json")
    assert response.status_code == 201
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    assert int(response.headers["content-length"]) == len(response.content)
    with pytest.raises(json.JSONDecodeError):
        response.json()


def test_hang_outlasts_the_client_timeout_and_frees_the_slot(live: LiveServer) -> None:
    with pytest.raises(httpx.ReadTimeout):
        post(live, "hang=30", timeout=0.2)
    assert slots_free(live)
    assert live.fake.faults.hanging() == 0  # the hang ended before the slot was released
    assert post(live).status_code == 201
    assert [e.status for e in live.fake.requests] == [499, 201]


def test_hang_goes_on_when_released(live: LiveServer) -> None:
    live.fake.add_fault(transport="hang", times=1)
    with ThreadPoolExecutor(1) as pool:
        pending = pool.submit(post, live)
        assert live.fake.wait_hanging(1)
        assert live.fake.in_flight(TOKEN) == 1  # it holds its slot while it hangs
        assert live.fake.release_hangs() == 1
        assert pending.result(timeout=5).status_code == 201


def test_hang_ends_at_its_bound(live: LiveServer) -> None:
    assert post(live, "hang=0.05").status_code == 201


def test_error_latency_header_over_the_socket(live: LiveServer) -> None:
    response = post(live, "error=token_busy; latency=0.01")
    assert (response.status_code, response.json()["msg"]) == (
        403,
        "EXCEEDS THE LIMIT OF SIMULTANEOUS REQUESTS PER TOKEN (2)",
    )
    assert slots_free(live)
