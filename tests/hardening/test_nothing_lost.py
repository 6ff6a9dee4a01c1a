"""Nothing lost, nothing doubled: N concurrent accepted requests on N tokens record exactly N
interactions; export then restore gives back equal state (in Python, through JSON, through
the control plane), whatever the operations did to it."""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import ADD_INTERACTION, BASE_URL, SERVER, TOKEN, VALID_INTERACTION
from tests.hardening.support import budget, client_for, fuzz_app
from wolkvox_mock import WolkvoxFake
from wolkvox_mock.contracts.catalogue import load_catalogue
from wolkvox_mock.contracts.client.asgi import SyncASGITransport
from wolkvox_mock.contracts.strategies import ApiRequest, requests_for
from wolkvox_mock.server import LiveServer

N = 48


@pytest.fixture(scope="module")
def live() -> Iterator[LiveServer]:
    with LiveServer(fuzz_app()) as server:
        yield server


def _tokens(fake: WolkvoxFake, count: int) -> list[str]:
    return [fake.add_token(f"{i:04d}-{'ab' * 12}-{i:04d}", server=SERVER) for i in range(count)]


def _post_all(url: str, tokens: list[str], barrier: threading.Barrier | None = None) -> list[int]:
    def post(i: int) -> int:
        with client_for(url) as client:
            if barrier is not None:
                barrier.wait(30)  # a bound for a loaded machine, not a pause: all 48 usually meet in ms
            body = {**VALID_INTERACTION, "subject": f"case-{i}"}
            return client.post(ADD_INTERACTION, json=body, headers={"wolkvox-token": tokens[i]}).status_code

    with ThreadPoolExecutor(max_workers=len(tokens)) as pool:
        return list(pool.map(post, range(len(tokens))))


def _assert_recorded_once_each(fake: WolkvoxFake, count: int, *, journal: bool = True) -> None:
    interactions = fake.interactions
    assert len(interactions) == count
    assert len({i.id for i in interactions}) == count
    assert sorted(i.fields["subject"] for i in interactions) == sorted(f"case-{i}" for i in range(count))
    # Round robin over the two demo agents: every agent got its share, none twice in a row.
    assert Counter(i.agent_id for i in interactions) == {"1001": count // 2, "1002": count // 2}
    if journal:  # the journal is not state: a reset clears it, a restore does not bring it back
        assert len(fake.find_requests(api="add_interaction", status=201)) == count


def test_n_held_requests_released_at_once_are_each_recorded_once(live: LiveServer) -> None:
    """All N are in flight together (held), then released together: a real concurrent burst."""
    live.fake.reset()
    tokens = _tokens(live.fake, N)
    for token in tokens:
        live.fake.hold(token)
    with ThreadPoolExecutor(max_workers=1) as waiter:
        statuses = waiter.submit(_post_all, live.url, tokens)
        assert all(
            live.fake.wait_held(1, token=token, timeout=30) for token in tokens
        )  # a bound for a loaded machine
        assert live.fake.interactions == []
        assert live.fake.release() == N
        assert statuses.result(timeout=30) == [201] * N
    _assert_recorded_once_each(live.fake, N)
    assert all(live.fake.token_usage(token) == 1 for token in tokens)


def test_n_requests_started_together_are_each_recorded_once(live: LiveServer) -> None:
    live.fake.reset()
    tokens = _tokens(live.fake, N)
    assert _post_all(live.url, tokens, threading.Barrier(N)) == [201] * N
    _assert_recorded_once_each(live.fake, N)


def _roundtrips(fake: WolkvoxFake) -> None:
    """Export, then restore: in place, into a new fake, and through JSON text."""
    data = fake.export()
    fake.restore(data)
    assert fake.export() == data
    other = WolkvoxFake()
    other.restore(json.loads(json.dumps(data)))
    assert other.export() == data


def test_export_then_restore_after_a_concurrent_burst(live: LiveServer) -> None:
    live.fake.reset()
    tokens = _tokens(live.fake, N)
    assert _post_all(live.url, tokens, threading.Barrier(N)) == [201] * N
    _roundtrips(live.fake)
    with client_for(live.url) as client:
        exported = client.get("/__wolkvox_mock__/state").json()
        assert exported == live.fake.export()
        live.fake.reset()
        assert client.put("/__wolkvox_mock__/state", json=exported).status_code < 300
    assert live.fake.export() == exported
    _assert_recorded_once_each(live.fake, N, journal=False)


_OPERATIONS = sorted(load_catalogue().operations.values(), key=lambda op: (op.family, op.api))
_CALLS = st.one_of([requests_for(op, tokens=st.just(TOKEN)) for op in _OPERATIONS])


def test_export_then_restore_is_equal_after_any_operations() -> None:
    """Whatever valid calls did to the state (agents, skills, DNC lists, IPs, files, codes,
    interactions, counters...), an export restores to an equal state."""
    app = fuzz_app()

    @budget(40)
    @given(calls=st.lists(_CALLS, max_size=12))
    def case(calls: list[ApiRequest]) -> None:
        app.fake.reset()
        with _client(app) as client:
            for call in calls:
                assert client.request(**call.httpx_kwargs()).status_code < 500
        _roundtrips(app.fake)

    case()


def _client(app: Any) -> httpx.Client:
    return httpx.Client(transport=SyncASGITransport(app), base_url=BASE_URL)
