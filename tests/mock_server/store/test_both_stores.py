"""The same behaviours on both stores: in memory and on a real Redis (as fakeredis runs its
suite against fake and real). Each test serves its fake on 127.0.0.1 and calls it over HTTP."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime

import httpx
import pytest

from tests.conftest import ADD_INTERACTION, SERVER, TOKEN, VALID_INTERACTION
from tests.mock_server.store.conftest import MakeFake
from tests.mock_server.store.redis_server import wait_until
from wolkvox_mock.app import create_app
from wolkvox_mock.contracts.catalogue import load_catalogue
from wolkvox_mock.fake import WolkvoxFake
from wolkvox_mock.server import LiveServer
from wolkvox_mock.settings import Settings
from wolkvox_mock.state.demo import demo_state

Served = tuple[WolkvoxFake, httpx.Client]


@pytest.fixture
def served(make_fake: MakeFake) -> Iterator[Served]:
    fake = make_fake(demo_state(SERVER, TOKEN), Settings(concurrency_limit=2))
    with (
        LiveServer(create_app(fake=fake)) as server,
        httpx.Client(base_url=server.url, headers={"wolkvox-token": TOKEN}, timeout=20) as client,
    ):
        yield fake, client


def add(client: httpx.Client) -> httpx.Response:
    return client.post(ADD_INTERACTION, json=VALID_INTERACTION)


def error_of(response: httpx.Response) -> str:
    return str(response.json()["error"])


def test_concurrent_calls_admit_exactly_the_limit(served: Served) -> None:
    fake, client = served
    fake.hold(TOKEN)
    answers: list[httpx.Response] = []
    threads = [threading.Thread(target=lambda: answers.append(add(client))) for _ in range(5)]
    for thread in threads:
        thread.start()
    assert fake.wait_held(2, token=TOKEN, timeout=10)
    wait_until(lambda: len(answers) == 3, 10, "three refusals")
    assert {r.status_code for r in answers} == {403}
    assert fake.in_flight(TOKEN) == 2
    assert fake.release(TOKEN) == 2
    for thread in threads:
        thread.join(10)
    assert sorted(r.status_code for r in answers) == [201, 201, 403, 403, 403]
    assert "SIMULTANEOUS" in " ".join(r.json()["msg"] for r in answers if r.status_code == 403)
    assert fake.peak_in_flight(TOKEN) == 2
    wait_until(lambda: fake.in_flight(TOKEN) == 0, 5, "the slots freed")


def test_the_token_cap_and_the_day_rollover(served: Served) -> None:
    fake, client = served
    fake.freeze(datetime(2026, 11, 27, 15, 0, tzinfo=UTC))
    with fake.lock:
        fake.operation(SERVER).tokens[TOKEN].limit = 3
    statuses = [add(client).status_code for _ in range(4)]
    assert statuses == [201, 201, 201, 403]
    assert fake.token_usage(TOKEN) == 3
    fake.advance(days=1)
    assert add(client).status_code == 201
    assert fake.token_usage(TOKEN) == 1


def test_the_pool_is_shared_by_the_tokens(served: Served) -> None:
    fake, client = served
    other = fake.add_token(server=SERVER)
    with fake.lock:
        op = fake.operation(SERVER)
        op.usage_day = fake.clock.today(op.timezone).isoformat()
        op.usage_count = op.licenses * 1000 - 2
    first = add(client)
    second = client.post(ADD_INTERACTION, json=VALID_INTERACTION, headers={"wolkvox-token": other})
    third = add(client)
    assert [first.status_code, second.status_code, third.status_code] == [201, 201, 403]
    assert third.json()["error"] == "TOKEN LIMIT EXCEEDED" or "LIMIT" in third.json()["msg"]
    assert fake.pool_usage(SERVER) == fake.operation(SERVER).licenses * 1000


def test_each_accepted_interaction_is_recorded_once(served: Served) -> None:
    fake, client = served
    statuses = [add(client).status_code for _ in range(12)]
    assert statuses == [201] * 12
    recorded = fake.interactions
    assert [i.id for i in recorded] == list(range(1, 13))
    assert len(fake.find_requests(api="add_interaction", status=201)) == 12
    info = client.get("/api/v2/information.php?api=token_info").json()["data"][0]
    assert (info["token_use_today"], info["all_token_today"]) == ("13", "13")  # itself included


def test_the_journal_and_its_clearing(served: Served) -> None:
    fake, client = served
    add(client)
    client.post(ADD_INTERACTION, json=VALID_INTERACTION, headers={"wolkvox-token": "nope"})
    statuses = [e.status for e in fake.requests]
    assert statuses == [201, 403]
    assert fake.clear_requests() == 2
    assert fake.requests == []


def test_a_fault_with_times_is_used_up(served: Served) -> None:
    fake, client = served
    fault = fake.add_fault(error="token_busy", api="add_interaction", times=1)
    assert [f.id for f in fake.list_faults()] == [fault.id]
    first, second = add(client), add(client)
    assert (first.status_code, second.status_code) == (403, 201)
    assert fake.list_faults() == []
    # token_busy is refused before Wolkvox counts a call: only the second counts.
    assert fake.token_usage(TOKEN) == 1


def test_a_maintenance_window(served: Served) -> None:
    fake, client = served
    window = fake.add_maintenance(SERVER)
    assert add(client).status_code == 403
    assert [w.id for w in fake.list_maintenance()] == [window.id]
    assert fake.remove_maintenance(window.id)
    assert add(client).status_code == 201


def test_the_frozen_clock_dates_what_is_recorded(served: Served) -> None:
    fake, client = served
    at = datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC)
    fake.freeze(at)
    add(client)
    assert fake.now() == at
    assert fake.requests[-1].time.startswith("2026-03-04T05:06:07")
    fake.unfreeze()
    assert fake.now().year >= 2026 and fake.now() != at


def test_reset_returns_to_the_seed(served: Served) -> None:
    fake, client = served
    fake.add_agent("9009", server=SERVER)
    add(client)
    fake.add_fault(latency=0.01)
    fake.reset()
    assert fake.interactions == []
    assert fake.requests == []
    assert fake.list_faults() == []
    assert "9009" not in fake.operation(SERVER).agents
    assert add(client).status_code == 201


def test_the_audit_log_keeps_each_successful_call(served: Served) -> None:
    fake, client = served
    for _ in range(3):
        add(client)
    client.post(ADD_INTERACTION, json={"rp_id": "1"})  # refused: not in the audit log
    with fake.lock:
        rows = list(fake.operation(SERVER).collections.get("audit_log", []))
    assert [row["action"] for row in rows] == ["API Configuration add_interaction"] * 3
    fake.reset()
    with fake.lock:
        assert fake.operation(SERVER).collections.get("audit_log", []) == []
    add(client)
    with fake.lock:
        assert len(fake.operation(SERVER).collections["audit_log"]) == 1


def test_the_quota_is_checked_before_the_gate(served: Served) -> None:
    fake, client = served
    fake.hold(TOKEN)
    answers: list[httpx.Response] = []
    threads = [threading.Thread(target=lambda: answers.append(add(client))) for _ in range(2)]
    for thread in threads:
        thread.start()
    assert fake.wait_held(2, token=TOKEN, timeout=10)
    with fake.lock:  # both calls in flight were counted: the token's cap is now used up
        fake.operation(SERVER).tokens[TOKEN].limit = 2
    refused = add(client)  # busy and over the quota: the quota's 403 comes first
    assert refused.status_code == 403
    assert "SIMULTANEOUS" not in refused.json()["msg"]
    assert refused.json()["error"] == load_catalogue().error("token_limit_exceeded").error
    fake.release(TOKEN)
    for thread in threads:
        thread.join(10)
    assert sorted(r.status_code for r in answers) == [201, 201]


def test_the_journal_keeps_its_size(make_fake: MakeFake) -> None:
    fake = make_fake(demo_state(SERVER, TOKEN), Settings(journal_size=3))
    with (
        LiveServer(create_app(fake=fake)) as server,
        httpx.Client(base_url=server.url, headers={"wolkvox-token": TOKEN}, timeout=20) as client,
    ):
        for _ in range(5):
            add(client)
    kept = fake.requests
    assert len(kept) == 3
    assert len(fake.interactions) == 5
    listed = fake.journal.since(0, 10)
    assert [seq for seq, _ in listed[2]] == [3, 4, 5]
