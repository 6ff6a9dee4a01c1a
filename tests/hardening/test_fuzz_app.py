"""Fuzzing the app in-process (httpx.ASGITransport): every answer to hostile input is a
Wolkvox envelope from the catalogue, never a 5xx, and the fake keeps serving afterwards."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from hypothesis import given

from tests.conftest import ADD_INTERACTION, BASE_URL, TOKEN, VALID_INTERACTION
from tests.hardening.fuzz_report import record
from tests.hardening.hostile import APIS, FAMILIES, bodies, fault_headers, header_lists, requests
from tests.hardening.support import budget, check_envelope, fuzz_app
from wolkvox_mock import WolkvoxApp

Send = Callable[[httpx.Request], httpx.Response]
_BASE = httpx.URL(BASE_URL)


@pytest.fixture(scope="module")
def inproc() -> Iterator[tuple[WolkvoxApp, Send]]:
    """A fuzz app and a way to send it a request in-process, on one event loop."""
    app = fuzz_app()
    with asyncio.Runner() as runner:
        client = httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url=BASE_URL)

        def send(request: httpx.Request) -> httpx.Response:
            return runner.run(client.send(request))

        yield app, send
        runner.run(client.aclose())


def build(method: str, target: str, headers: list[tuple[bytes, bytes]], body: bytes) -> httpx.Request:
    """An httpx request with the target and headers exactly as given (bytes on the wire)."""
    url = _BASE.copy_with(raw_path=target.encode("ascii"))
    return httpx.Request(method, url, headers=headers, content=body)


def exchange(app: WolkvoxApp, send: Send, request: httpx.Request) -> httpx.Response:
    """One fuzz case from a fresh state (so that a failing case replays the same way)."""
    app.fake.reset()
    response = send(request)
    record("app", response.status_code)
    check_envelope(response.status_code, response.content, request.method)
    return response


def assert_still_serving(app: WolkvoxApp, send: Send) -> None:
    """No slot left taken, and a valid add_interaction is accepted."""
    assert app.fake.in_flight(TOKEN) == 0
    app.fake.reset()
    request = build("POST", ADD_INTERACTION, [(b"wolkvox-token", TOKEN.encode())], b"")
    request = httpx.Request("POST", request.url, headers=request.headers, json=VALID_INTERACTION)
    response = send(request)
    assert response.status_code == 201, response.text
    assert len(app.fake.interactions) == 1


def test_hostile_requests_get_an_envelope(inproc: tuple[WolkvoxApp, Send]) -> None:
    app, send = inproc

    @budget(700)
    @given(req=requests())
    def case(req: dict[str, Any]) -> None:
        exchange(app, send, build(req["method"], req["target"], req["headers"], req["body"]))

    case()
    assert_still_serving(app, send)


def test_hostile_bodies_with_a_valid_token_get_an_envelope(inproc: tuple[WolkvoxApp, Send]) -> None:
    """Past the token checks: the body parser and the field checks see everything."""
    app, send = inproc
    auth = [(b"wolkvox-token", TOKEN.encode())]

    @budget(500)
    @given(body=bodies())
    def case(body: bytes) -> None:
        response = exchange(app, send, build("POST", ADD_INTERACTION, auth, body))
        assert response.status_code in (201, 400, 404, 413), response.text

    case()
    assert_still_serving(app, send)


def test_hostile_headers_on_a_valid_call_get_an_envelope(inproc: tuple[WolkvoxApp, Send]) -> None:
    """Repeated, mis-cased, huge and non-ASCII tokens; odd Host and wolkvox_server values."""
    app, send = inproc

    @budget(300)
    @given(headers=header_lists())
    def case(headers: list[tuple[bytes, bytes]]) -> None:
        request = build("POST", ADD_INTERACTION, headers, b"")
        request = httpx.Request("POST", request.url, headers=request.headers, json=VALID_INTERACTION)
        response = exchange(app, send, request)
        assert response.status_code in (201, 400, 401, 403), response.text

    case()
    assert_still_serving(app, send)


def test_hostile_fault_headers_get_an_envelope(inproc: tuple[WolkvoxApp, Send]) -> None:
    """``x-wolkvox-mock-fault`` with odd values: an injected catalogue error, or 400 with a hint."""
    app, send = inproc

    @budget(300)
    @given(fault=fault_headers(), body=bodies(huge=False))
    def case(fault: bytes, body: bytes) -> None:
        headers = [(b"wolkvox-token", TOKEN.encode()), (b"x-wolkvox-mock-fault", fault)]
        exchange(app, send, build("POST", ADD_INTERACTION, headers, body))

    case()
    assert_still_serving(app, send)


@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE"])
def test_every_method_on_every_operation_gets_an_envelope(
    inproc: tuple[WolkvoxApp, Send], method: str
) -> None:
    app, send = inproc
    auth = [(b"wolkvox-token", TOKEN.encode())]
    for family in FAMILIES:
        for api in [*APIS, "nope"]:
            exchange(app, send, build(method, f"/api/v2/{family}.php?api={api}", auth, b"{}"))
    assert_still_serving(app, send)


@pytest.mark.parametrize("by", ["header", "fault"])
def test_an_injected_error_with_a_deeply_nested_body_is_not_a_500(
    inproc: tuple[WolkvoxApp, Send], by: str
) -> None:
    app, send = inproc
    app.fake.reset()
    headers = [(b"wolkvox-token", TOKEN.encode())]
    if by == "header":
        headers.append((b"x-wolkvox-mock-fault", b"error=routing_point_not_found"))
    else:
        app.fake.add_fault(error="routing_point_not_found")
    response = send(build("POST", ADD_INTERACTION, headers, b"[" * 100_000 + b"]" * 100_000))
    assert response.status_code == 404, response.text
