"""The token gate never leaks: after 1,000 requests that end badly (client tasks cancelled,
clients gone during latency, holds and hangs, handlers that raise, injected faults), the token
is back to zero in flight and admits exactly its limit again.

One live server and one in-process client share the same fake (the gate is thread-safe), so
every kind of bad ending hits the same token. Each kind checks the gate is back to zero
before the next starts; waits are on the gate's own conditions, bounded.
"""

from __future__ import annotations

import asyncio
import json
import socket
from collections import Counter
from collections.abc import Iterator

import httpx
import pytest

from tests.conftest import ADD_INTERACTION, BASE_URL, TOKEN, VALID_INTERACTION
from tests.hardening.support import check_envelope, fuzz_app, raw_exchange, read_answer, reset_socket
from wolkvox_mock import WolkvoxApp
from wolkvox_mock.contracts.catalogue import load_catalogue
from wolkvox_mock.contracts.client.asgi import SyncASGITransport
from wolkvox_mock.handlers import HANDLERS
from wolkvox_mock.server import LiveServer

LIMIT = 2
ROUNDS = 100  # per kind; each round ends LIMIT requests badly (some kinds end one)
BODY = json.dumps(VALID_INTERACTION).encode()
REQUEST = (
    f"POST {ADD_INTERACTION} HTTP/1.1\r\nhost: wv0001.wolkvox.com\r\nwolkvox-token: {TOKEN}\r\n"
    f"content-type: application/json\r\ncontent-length: {len(BODY)}\r\n\r\n"
).encode() + BODY


def _with_header(name: str, value: str) -> bytes:
    return REQUEST.replace(b"\r\n\r\n", f"\r\n{name}: {value}\r\n\r\n".encode(), 1)


class Leaks:
    """The shared fake, its live server, and the tally of bad endings by kind."""

    def __init__(self, live: LiveServer) -> None:
        self.live = live
        self.fake = live.fake
        self.ended: Counter[str] = Counter()

    def settled(self) -> bool:
        """Wait (bounded) until no request of the token is in flight."""
        return self.fake.gate.wait_for(lambda gate: gate.in_flight(TOKEN) == 0, timeout=5)

    def admitted(self, count: int) -> bool:
        return self.fake.gate.wait_for(lambda gate: gate.in_flight(TOKEN) >= count, timeout=5)

    def connect(self, data: bytes) -> socket.socket:
        sock = socket.create_connection((self.live.host, self.live.port), timeout=10)
        sock.sendall(data)
        return sock


@pytest.fixture(scope="module")
def leaks() -> Iterator[Leaks]:
    app: WolkvoxApp = fuzz_app(concurrency_limit=LIMIT)
    with LiveServer(app) as live:
        yield Leaks(live)


# -- the kinds of bad endings ------------------------------------------------------------


def cancelled_client_tasks(leaks: Leaks) -> None:
    """In-process: LIMIT held requests whose client tasks are cancelled, or time out."""

    async def rounds() -> None:
        transport = httpx.ASGITransport(leaks.live.app)
        async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as client:
            for i in range(ROUNDS):
                leaks.fake.hold(TOKEN)
                calls = [
                    client.post(ADD_INTERACTION, content=BODY, headers={"wolkvox-token": TOKEN})
                    for _ in range(LIMIT)
                ]
                if i % 2:
                    tasks = [asyncio.ensure_future(asyncio.wait_for(call, 0.005)) for call in calls]
                else:
                    tasks = [asyncio.ensure_future(call) for call in calls]
                    assert await leaks.fake.wait_held_async(LIMIT, token=TOKEN)
                    for task in tasks:
                        task.cancel()
                results = await asyncio.gather(*tasks, return_exceptions=True)
                assert all(isinstance(r, asyncio.CancelledError | TimeoutError) for r in results), results
                leaks.fake.release(TOKEN)
                assert leaks.fake.in_flight(TOKEN) == 0
                leaks.ended["cancelled"] += LIMIT

    asyncio.run(rounds())


def clients_gone_during_latency(leaks: Leaks) -> None:
    """Live: LIMIT clients admitted into a 30 s latency, then gone (FIN or RST)."""
    leaks.fake.settings.latency = 30.0
    try:
        for i in range(ROUNDS):
            socks = [leaks.connect(REQUEST) for _ in range(LIMIT)]
            assert leaks.admitted(LIMIT)
            for sock in socks:
                reset_socket(sock) if i % 2 else sock.close()
            assert leaks.settled()
            leaks.ended["gone during latency"] += LIMIT
    finally:
        leaks.fake.settings.latency = 0.0


def clients_gone_while_held(leaks: Leaks) -> None:
    """Live: LIMIT clients held by the test, then gone before the hold is lifted."""
    for _ in range(ROUNDS):
        leaks.fake.hold(TOKEN)
        socks = [leaks.connect(REQUEST) for _ in range(LIMIT)]
        assert leaks.fake.wait_held(LIMIT, token=TOKEN)
        for sock in socks:
            sock.close()
        assert leaks.settled()
        leaks.fake.release(TOKEN)
        leaks.ended["gone while held"] += LIMIT


def handler_errors(leaks: Leaks, monkeypatch: pytest.MonkeyPatch) -> None:
    """Live and in-process: the handler raises; the answer is the fake's 500 envelope."""
    kinds: list[type[Exception]] = [RuntimeError, KeyError, ZeroDivisionError, RecursionError, MemoryError]

    def boom(ctx: object) -> None:
        raise kinds[leaks.ended["handler error"] % len(kinds)]("injected by test_leaks")

    monkeypatch.setitem(HANDLERS, ("configuration", "add_interaction"), boom)
    monkeypatch.setattr("wolkvox_mock.pipeline.endpoint.log.disabled", True)  # 100 tracebacks say nothing new
    with httpx.Client(transport=SyncASGITransport(leaks.live.app), base_url=BASE_URL) as inproc:
        for i in range(ROUNDS * LIMIT):
            if i % 2:
                answer = raw_exchange(leaks.live.host, leaks.live.port, REQUEST)
                status, body = answer.status, answer.body
            else:
                response = inproc.post(ADD_INTERACTION, content=BODY, headers={"wolkvox-token": TOKEN})
                status, body = response.status_code, response.content
            assert status == 500 and json.loads(body)["msg"] == "WOLKVOX-MOCK INTERNAL ERROR"
            assert leaks.settled()
            leaks.ended["handler error"] += 1
    monkeypatch.undo()


def _error_faults(leaks: Leaks) -> None:
    for key in sorted(load_catalogue().errors):
        leaks.fake.add_fault(error=key, token=TOKEN, times=1)
        answer = raw_exchange(leaks.live.host, leaks.live.port, REQUEST)
        assert answer.status is not None
        check_envelope(answer.status, answer.body)
        assert leaks.settled()
        leaks.ended["fault error"] += 1


def _transport_faults(leaks: Leaks) -> None:
    for transport in ("reset", "truncate", "invalid_json"):
        for _ in range(ROUNDS // 2):
            leaks.fake.add_fault(transport=transport, token=TOKEN, times=1)
            answer = raw_exchange(leaks.live.host, leaks.live.port, REQUEST)
            assert answer.status is None if transport == "reset" else answer.status == 201
            assert leaks.settled()
            leaks.ended[f"fault {transport}"] += 1
    for _ in range(ROUNDS // 2):  # the same, asked per request by the header
        answer = raw_exchange(
            leaks.live.host, leaks.live.port, _with_header("x-wolkvox-mock-fault", "transport=reset")
        )
        assert answer.status is None
        assert leaks.settled()
        leaks.ended["fault header reset"] += 1


def _hang_and_latency_faults(leaks: Leaks) -> None:
    for i in range(ROUNDS // 2):
        leaks.fake.add_fault(transport="hang", hang_seconds=30, token=TOKEN, times=LIMIT)
        socks = [leaks.connect(REQUEST) for _ in range(LIMIT)]
        assert leaks.fake.wait_hanging(LIMIT)
        if i % 2:
            for sock in socks:
                sock.close()  # the client gives up during the hang
        else:
            leaks.fake.release_hangs()  # the hang ends: the call goes on and is answered
            assert [read_answer(sock).status for sock in socks] == [201] * LIMIT
            for sock in socks:
                sock.close()
        assert leaks.settled()
        leaks.ended["fault hang"] += LIMIT
    for _ in range(ROUNDS // 2):
        sock = leaks.connect(_with_header("x-wolkvox-mock-fault", "latency=30"))
        assert leaks.admitted(1)
        reset_socket(sock)
        assert leaks.settled()
        leaks.ended["fault latency, gone"] += 1


def injected_faults(leaks: Leaks) -> None:
    """Live: every catalogue error, reset, truncate, invalid_json, hang and latency faults."""
    _error_faults(leaks)
    _transport_faults(leaks)
    _hang_and_latency_faults(leaks)
    assert leaks.fake.list_faults() == []


# -- the claim ---------------------------------------------------------------------------


def assert_full_limit_admitted(leaks: Leaks) -> None:
    """LIMIT held requests are admitted, one more is refused as busy, all LIMIT succeed."""
    leaks.fake.hold(TOKEN)
    socks = [leaks.connect(REQUEST) for _ in range(LIMIT)]
    assert leaks.fake.wait_held(LIMIT, token=TOKEN)
    extra = raw_exchange(leaks.live.host, leaks.live.port, REQUEST)
    assert extra.status == 403
    assert (
        check_envelope(403, extra.body)["msg"]
        == f"EXCEEDS THE LIMIT OF SIMULTANEOUS REQUESTS PER TOKEN ({LIMIT})"
    )
    assert leaks.fake.release(TOKEN) == LIMIT
    assert [read_answer(sock).status for sock in socks] == [201] * LIMIT
    for sock in socks:
        sock.close()
    assert leaks.settled()


def test_a_thousand_bad_endings_leave_the_token_at_its_full_limit(
    leaks: Leaks, monkeypatch: pytest.MonkeyPatch
) -> None:
    leaks.fake.reset()
    cancelled_client_tasks(leaks)
    clients_gone_during_latency(leaks)
    clients_gone_while_held(leaks)
    handler_errors(leaks, monkeypatch)
    injected_faults(leaks)
    total = sum(leaks.ended.values())
    print(f"\nbad endings: {total} {dict(leaks.ended)}")
    assert total >= 1_000
    assert leaks.fake.in_flight(TOKEN) == 0
    assert leaks.fake.peak_in_flight(TOKEN) == LIMIT  # never more than the limit admitted
    assert_full_limit_admitted(leaks)
