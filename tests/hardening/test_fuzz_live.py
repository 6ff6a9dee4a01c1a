"""Fuzzing a live server (uvicorn on 127.0.0.1): hostile requests through httpx, malformed
HTTP on raw sockets. Every answer is a Wolkvox envelope, or uvicorn's own 400 for bytes
that are not HTTP/1.1 (the app never sees those); never a 5xx; and the server keeps serving.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from hypothesis import given

from tests.conftest import ADD_INTERACTION, TOKEN, VALID_INTERACTION
from tests.hardening.fuzz_report import record
from tests.hardening.hostile import requests
from tests.hardening.hostile_wire import NOT_HTTP, WireCase, wire_cases
from tests.hardening.support import (
    Answer,
    ServerErrors,
    budget,
    check_answer,
    client_for,
    fuzz_app,
    raw_exchange,
)
from wolkvox_mock.server import LiveServer


@pytest.fixture(scope="module")
def server() -> Iterator[LiveServer]:
    with LiveServer(fuzz_app()) as live:
        yield live


@pytest.fixture
def server_errors(server: LiveServer) -> Iterator[ServerErrors]:
    """Tracebacks the server logged during the test: there must be none."""
    with ServerErrors().installed() as errors:
        yield errors
    assert errors.unexpected() == []


@pytest.fixture(scope="module")
def client(server: LiveServer) -> Iterator[httpx.Client]:
    with client_for(server.url) as http:
        yield http


def assert_still_serving(server: LiveServer) -> None:
    """No slot left taken, and a valid add_interaction is accepted, on a new connection."""
    assert server.fake.in_flight(TOKEN) == 0
    server.fake.reset()
    with client_for(server.url) as http:
        response = http.post(ADD_INTERACTION, json=VALID_INTERACTION, headers={"wolkvox-token": TOKEN})
    assert response.status_code == 201, response.text
    assert len(server.fake.interactions) == 1


def _as_answer(response: httpx.Response) -> Answer:
    return Answer(response.status_code, dict(response.headers), response.content)


def test_hostile_requests_over_http(
    server: LiveServer, client: httpx.Client, server_errors: ServerErrors
) -> None:
    @budget(300)
    @given(req=requests())
    def case(req: dict[str, Any]) -> None:
        server.fake.reset()
        url = httpx.URL(server.url).copy_with(raw_path=req["target"].encode("ascii"))
        # httpx (h11) refuses to send header values with edge whitespace, or a second Host;
        # the raw-socket test sends those.
        headers = [(name, value.strip(b" \t")) for name, value in req["headers"]]
        hosts = [i for i, (name, _) in enumerate(headers) if name.lower() == b"host"]
        headers = [h for i, h in enumerate(headers) if i not in hosts[1:]]
        response = client.request(req["method"], url, headers=headers, content=req["body"])
        record("live-http", response.status_code)
        answer = _as_answer(response)
        check_answer(answer, req["method"])

    case()
    assert_still_serving(server)


def _exchange(server: LiveServer, wire: WireCase) -> Answer:
    server.fake.reset()
    answer = raw_exchange(server.host, server.port, wire.data, method=wire.method, shutdown=wire.shutdown)
    record("live-raw", answer.status)
    if answer.status is None:
        # No answer only for a client that half-closed (it ended the stream mid-request), or
        # one reset by uvicorn while it was still sending bytes that are not HTTP/1.1 (the
        # reset discards uvicorn's 400 on the way).
        assert wire.shutdown or answer.reset, wire
    else:
        check_answer(answer, wire.method)
    return answer


def test_malformed_http_on_raw_sockets(server: LiveServer, server_errors: ServerErrors) -> None:
    @budget(400)
    @given(wire=wire_cases())
    def case(wire: WireCase) -> None:
        _exchange(server, wire)

    case()
    assert_still_serving(server)


@pytest.mark.parametrize("data", NOT_HTTP, ids=lambda d: repr(d[:12]))
def test_bytes_that_are_not_http_get_uvicorns_400_or_nothing(
    server: LiveServer, server_errors: ServerErrors, data: bytes
) -> None:
    answer = _exchange(server, WireCase("GET", data, shutdown=True))
    assert answer.status is None or answer.from_http_layer
    assert_still_serving(server)


def test_lowercase_and_made_up_methods_get_an_envelope(
    server: LiveServer, server_errors: ServerErrors
) -> None:
    for method in ("post", "Post", "get", "PROPFIND", "BREW", "M-SEARCH"):
        data = f"{method} {ADD_INTERACTION} HTTP/1.1\r\nhost: x\r\ncontent-length: 0\r\n\r\n".encode()
        answer = _exchange(server, WireCase(method, data))
        assert not answer.from_http_layer
    assert_still_serving(server)


@pytest.mark.parametrize(
    "line",
    [
        "GET http://wv0001.wolkvox.com/nowhere HTTP/1.1",
        "OPTIONS * HTTP/1.1",
        "CONNECT wv0001.wolkvox.com:443 HTTP/1.1",
        "PRI * HTTP/2.0",  # the HTTP/2 preface: llhttp refuses it, h11 reads it as HTTP/1 syntax
        "GET /x%0Ay HTTP/1.1",
        "DELETE /__wolkvox_mock__/faults/%0Ay HTTP/1.1",
    ],
)
def test_targets_no_route_matches_get_an_envelope(server: LiveServer, line: str) -> None:
    wire = WireCase(line.split()[0], f"{line}\r\nhost: x\r\n\r\n".encode())
    answer = _exchange(server, wire)
    assert answer.status == 404


def test_an_absolute_form_target_reaches_the_endpoint_it_names(server: LiveServer) -> None:
    """RFC 9112 (section 3.2.2): a server must accept the absolute-form; llhttp reads its path,
    so the call is the one the URL names (h11 passed the whole URL on as the path: 404)."""
    data = (
        f"POST http://wv0001.wolkvox.com{ADD_INTERACTION} HTTP/1.1\r\nhost: x\r\nwolkvox-token: {TOKEN}\r\n"
    )
    body = json.dumps(VALID_INTERACTION).encode()
    answer = _exchange(server, WireCase("POST", f"{data}content-length: {len(body)}\r\n\r\n".encode() + body))
    assert answer.status == 201
    assert len(server.fake.interactions) == 1
