"""The token gate: two requests in flight per token by default (Wolkvox's documented "(2)"),
one with the strictest setting, holds, and slots that never leak."""

from __future__ import annotations

import asyncio
import socket
import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.conftest import ADD_INTERACTION, BASE_URL, SERVER, TOKEN, VALID_INTERACTION
from wolkvox_mock import Settings, WolkvoxApp, create_app, demo_state
from wolkvox_mock.server import LiveServer
from wolkvox_mock.state.gate import TokenGate

AUTH = {"wolkvox-token": TOKEN}
BUSY_1 = {
    "code": 403,
    "error": "FORBIDDEN",
    "msg": "EXCEEDS THE LIMIT OF SIMULTANEOUS REQUESTS PER TOKEN (1)",
}
#: The default answer: exactly the text of Wolkvox's response-code table.
BUSY_2 = {
    "code": 403,
    "error": "FORBIDDEN",
    "msg": "EXCEEDS THE LIMIT OF SIMULTANEOUS REQUESTS PER TOKEN (2)",
}


def test_the_default_limit_is_two() -> None:
    assert Settings().concurrency_limit == 2


def test_gate_admits_up_to_the_limit_and_counts_peaks() -> None:
    gate = TokenGate()
    assert gate.try_acquire("t", 2) and gate.try_acquire("t", 2)
    assert not gate.try_acquire("t", 2)
    assert gate.try_acquire("other", 2)
    gate.release("t")
    assert gate.in_flight("t") == 1 and gate.peak("t") == 2
    assert gate.try_acquire("t", 2)


def test_gate_release_never_goes_negative() -> None:
    gate = TokenGate()
    gate.release("t")
    assert gate.in_flight("t") == 0
    assert gate.try_acquire("t", 1)


def test_wait_for_times_out_with_false() -> None:
    assert TokenGate().wait_for(lambda g: g.held_count("t") >= 1, timeout=0.01) is False


@pytest.mark.anyio
async def test_third_concurrent_request_is_refused_then_admitted_after_release(app: WolkvoxApp) -> None:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url=BASE_URL) as client:
        app.fake.hold(TOKEN)
        held = [
            asyncio.create_task(client.post(ADD_INTERACTION, json=VALID_INTERACTION, headers=AUTH))
            for _ in range(2)
        ]
        assert await app.fake.wait_held_async(2, token=TOKEN)
        third = await client.post(ADD_INTERACTION, json=VALID_INTERACTION, headers=AUTH)
        assert (third.status_code, third.json()) == (403, BUSY_2)
        assert app.fake.release(TOKEN) == 2
        assert [(await task).status_code for task in held] == [201, 201]
        fourth = await client.post(ADD_INTERACTION, json=VALID_INTERACTION, headers=AUTH)
    assert fourth.status_code == 201
    assert len(app.fake.interactions) == 3
    assert app.fake.peak_in_flight(TOKEN) == 2


@pytest.mark.anyio
async def test_with_the_strictest_setting_the_second_request_is_refused() -> None:
    app = create_app(demo_state(SERVER, TOKEN), Settings(concurrency_limit=1))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url=BASE_URL) as client:
        app.fake.hold(TOKEN)
        first = asyncio.create_task(client.post(ADD_INTERACTION, json=VALID_INTERACTION, headers=AUTH))
        assert await app.fake.wait_held_async(1, token=TOKEN)
        second = await client.post(ADD_INTERACTION, json=VALID_INTERACTION, headers=AUTH)
        assert (second.status_code, second.json()) == (403, BUSY_1)
        assert app.fake.release(TOKEN) == 1
        assert (await first).status_code == 201
    assert app.fake.peak_in_flight(TOKEN) == 1


@pytest.mark.anyio
async def test_tokens_are_gated_independently(app: WolkvoxApp) -> None:
    other = app.fake.add_token("second-token-0123456789", server=SERVER)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url=BASE_URL) as client:
        with app.fake.holding(TOKEN):
            held = asyncio.create_task(client.post(ADD_INTERACTION, json=VALID_INTERACTION, headers=AUTH))
            assert await app.fake.wait_held_async(token=TOKEN)
            free = await client.post(
                ADD_INTERACTION, json=VALID_INTERACTION, headers={"wolkvox-token": other}
            )
            assert free.status_code == 201
        assert (await held).status_code == 201


def test_over_a_real_socket_concurrent_clients_with_latency() -> None:
    """Three threads, one token, 0.2 s latency: exactly two admitted while they are in flight."""
    app = create_app(demo_state(SERVER, TOKEN), Settings(latency=0.2))
    with LiveServer(app) as live, httpx.Client(base_url=live.url, headers=AUTH) as client:
        with ThreadPoolExecutor(2) as pool:
            first = [pool.submit(client.post, ADD_INTERACTION, json=VALID_INTERACTION) for _ in range(2)]
            # Deterministic: send the third only once the first two are admitted.
            assert app.fake.gate.wait_for(lambda g: g.in_flight(TOKEN) == 2)
            third = client.post(ADD_INTERACTION, json=VALID_INTERACTION)
            assert [f.result(timeout=10).status_code for f in first] == [201, 201]
        assert third.json() == BUSY_2
        assert client.post(ADD_INTERACTION, json=VALID_INTERACTION).status_code == 201
    assert app.fake.peak_in_flight(TOKEN) == 2


def test_many_concurrent_clients_over_sockets_never_exceed_the_limit() -> None:
    app = create_app(demo_state(SERVER, TOKEN), Settings(concurrency_limit=2, latency=0.01))
    with LiveServer(app) as live:

        def one(_: int) -> int:
            with httpx.Client(base_url=live.url, headers=AUTH) as client:
                return client.post(ADD_INTERACTION, json=VALID_INTERACTION).status_code

        with ThreadPoolExecutor(8) as pool:
            statuses = list(pool.map(one, range(40)))
    assert set(statuses) <= {201, 403}
    assert statuses.count(201) == len(app.fake.interactions)
    assert app.fake.peak_in_flight(TOKEN) <= 2
    assert app.fake.in_flight(TOKEN) == 0


def _raw_request(port: int) -> socket.socket:
    import json

    body = json.dumps(VALID_INTERACTION).encode()
    sock = socket.create_connection(("127.0.0.1", port))
    sock.sendall(
        b"POST "
        + ADD_INTERACTION.encode()
        + b" HTTP/1.1\r\nHost: wv0001.wolkvox.com\r\n"
        + f"wolkvox-token: {TOKEN}\r\ncontent-type: application/json\r\ncontent-length: {len(body)}\r\n\r\n".encode()
        + body
    )
    return sock


def test_slot_is_released_when_the_client_disconnects_while_held(app: WolkvoxApp) -> None:
    with LiveServer(app) as live:
        app.fake.hold(TOKEN)
        sock = _raw_request(live.port)
        assert app.fake.wait_held(1, token=TOKEN)
        assert app.fake.in_flight(TOKEN) == 1
        sock.close()
        assert app.fake.gate.wait_for(lambda g: g.in_flight(TOKEN) == 0 and g.held_count(TOKEN) == 0)
        app.fake.release(TOKEN)
        with httpx.Client(base_url=live.url, headers=AUTH) as client:
            assert client.post(ADD_INTERACTION, json=VALID_INTERACTION).status_code == 201
    # The abandoned request was never answered, so it was not recorded; the journal says 499.
    assert len(app.fake.interactions) == 1
    assert [e.status for e in app.fake.requests] == [499, 201]


def test_slot_is_released_when_the_client_disconnects_during_latency() -> None:
    app = create_app(demo_state(SERVER, TOKEN), Settings(latency=30.0))
    with LiveServer(app) as live:
        sock = _raw_request(live.port)
        assert app.fake.gate.wait_for(lambda g: g.in_flight(TOKEN) == 1)
        sock.close()
        assert app.fake.gate.wait_for(lambda g: g.in_flight(TOKEN) == 0)
    assert app.fake.interactions == []


def test_release_from_another_thread_wakes_the_server_loop(app: WolkvoxApp) -> None:
    with LiveServer(app) as live, httpx.Client(base_url=live.url, headers=AUTH) as client:
        app.fake.hold(TOKEN)
        result: list[int] = []
        worker = threading.Thread(
            target=lambda: result.append(client.post(ADD_INTERACTION, json=VALID_INTERACTION).status_code)
        )
        worker.start()
        assert app.fake.wait_held(1, token=TOKEN)
        assert app.fake.release() == 1
        worker.join(10)
    assert result == [201]


def test_reset_releases_holds(app: WolkvoxApp) -> None:
    app.fake.hold(TOKEN)
    app.fake.reset()
    assert not app.fake.gate.is_held(TOKEN)
