"""The control operations as Python methods of WolkvoxFake (the HTTP side is test_control.py)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import httpx
import pytest

from tests.conftest import ADD_INTERACTION, SERVER, TOKEN, VALID_INTERACTION
from wolkvox_mock import WolkvoxApp
from wolkvox_mock.control.fidelity import build_manifest
from wolkvox_mock.server import LiveServer

AUTH = {"wolkvox-token": TOKEN}


def post(http: httpx.Client, **headers: str) -> httpx.Response:
    return http.post(ADD_INTERACTION, json=VALID_INTERACTION, headers={**AUTH, **headers})


def test_reset_clears_everything_the_tests_set(app: WolkvoxApp, http: httpx.Client) -> None:
    fake = app.fake
    post(http)
    fake.add_fault(error="token_busy")
    fake.add_maintenance()
    fake.hold(TOKEN)
    fake.freeze(datetime(2026, 1, 1, tzinfo=UTC))
    fake.reset()
    assert (fake.interactions, fake.requests, fake.list_faults(), fake.list_maintenance()) == ([], [], [], [])
    assert not fake.gate.is_held(TOKEN) and not fake.clock.frozen
    assert fake.token_usage(TOKEN) == 0


def test_seed_export_restore(app: WolkvoxApp, http: httpx.Client) -> None:
    fake = app.fake
    post(http)
    snapshot = fake.export()
    post(http)
    fake.restore(snapshot)
    assert [i.agent_id for i in fake.interactions] == ["1001"]
    fake.seed({"operations": [{"server": "0042"}]})
    fake.reset()
    assert list(fake.state.operations) == ["0042"]


def test_find_requests_filters_like_the_http_journal(app: WolkvoxApp, http: httpx.Client) -> None:
    fake = app.fake
    post(http)
    post(http, **{"wolkvox-token": "unknown"})
    http.get("/api/v2/information.php?api=token_info", headers=AUTH)
    assert [e.status for e in fake.find_requests()] == [201, 403, 200]
    assert [e.status for e in fake.find_requests(status="4xx")] == [403]
    assert [e.status for e in fake.find_requests(status=200)] == [200]
    assert [e.api for e in fake.find_requests(token=TOKEN)] == ["add_interaction", "token_info"]
    assert [e.api for e in fake.find_requests(token="7465…3030", api="token_info")] == ["token_info"]
    assert [e.api for e in fake.find_requests(limit=1)] == ["token_info"]
    assert fake.clear_requests() == 3
    assert fake.requests == []


def test_faults_from_python(app: WolkvoxApp, http: httpx.Client) -> None:
    fake = app.fake
    fault = fake.add_fault(error="token_busy", api="add_interaction", token=TOKEN, server=SERVER, times=1)
    assert fake.list_faults() == [fault]
    assert post(http).status_code == 403
    assert fake.list_faults() == []
    fake.add_fault(latency=[0.0, 0.001])
    assert fake.list_faults()[0].latency == (0.0, 0.001)
    assert fake.clear_faults() == 1


def test_hang_from_python(live: LiveServer) -> None:
    fake = live.fake
    fake.add_fault(transport="hang", hang_seconds=30)
    with ThreadPoolExecutor(1) as pool:
        pending = pool.submit(httpx.post, live.url + ADD_INTERACTION, json=VALID_INTERACTION, headers=AUTH)
        assert fake.wait_hanging(1)
        fake.clear_faults()  # removing the fault lets its hanging calls go on
        assert pending.result(timeout=5).status_code == 201
    assert fake.release_hangs() == 0


def test_clock_from_python(app: WolkvoxApp) -> None:
    fake = app.fake
    at = datetime(2026, 11, 27, 12, tzinfo=UTC)
    assert fake.freeze(at) == at and fake.now() == at
    assert fake.advance(minutes=90) == datetime(2026, 11, 27, 13, 30, tzinfo=UTC)
    fake.set_time(datetime(2027, 1, 1))  # naive: read as UTC
    assert fake.now() == datetime(2027, 1, 1, tzinfo=UTC)
    fake.unfreeze()
    assert not fake.clock.frozen
    with pytest.raises(ValueError, match="outside the clock's range"):
        fake.freeze(datetime(1900, 1, 1, tzinfo=UTC))
    with pytest.raises(ValueError, match="cannot move that far"):
        fake.advance(days=1e9)


def test_holds_from_python(live: LiveServer) -> None:
    fake = live.fake
    with fake.holding(TOKEN), ThreadPoolExecutor(1) as pool:
        pending = pool.submit(httpx.post, live.url + ADD_INTERACTION, json=VALID_INTERACTION, headers=AUTH)
        assert fake.wait_held(1, token=TOKEN)
        assert fake.in_flight(TOKEN) == 1
        assert fake.release(TOKEN) == 1
        assert pending.result(timeout=5).status_code == 201


def test_maintenance_from_python(app: WolkvoxApp, http: httpx.Client) -> None:
    fake = app.fake
    window = fake.add_maintenance(SERVER, seconds=60)
    assert fake.in_maintenance(SERVER) and fake.list_maintenance() == [window]
    assert post(http).status_code == 403
    assert fake.remove_maintenance(window.id) and not fake.remove_maintenance(window.id)
    fake.add_maintenance(daily="00:00-23:59")
    assert fake.clear_maintenance() == 1
    assert not fake.in_maintenance(SERVER)


def test_fidelity_from_python_matches_http(app: WolkvoxApp, http: httpx.Client) -> None:
    assert build_manifest() == http.get("/__wolkvox_mock__/fidelity").json()


def test_fidelity_lists_every_catalogue_operation_once(app: WolkvoxApp) -> None:
    from wolkvox_mock.contracts.catalogue import load_catalogue

    listed = [(op["family"], op["api"]) for op in build_manifest()["operations"]]
    assert sorted(listed) == sorted(load_catalogue().operations)
    assert all(
        e["tag"] in {"D", "C", "I", "GAP"} for op in build_manifest()["operations"] for e in op["errors"]
    )


@pytest.mark.parametrize("status", [201, "201", "2xx"])
def test_find_requests_status_forms(app: WolkvoxApp, http: httpx.Client, status: int | str) -> None:
    post(http)
    assert len(app.fake.find_requests(status=status)) == 1


def test_a_logout_from_python_ends_the_session_at_the_fakes_clock(app: WolkvoxApp) -> None:
    fake = app.fake
    fake.freeze(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    fake.login_agent("1001")
    fake.advance(hours=2)

    assert fake.logout_agent("1001") is True
    assert fake.logout_agent("1001") is False  # no session left to close
    ended = fake.operation().sessions.ended[-1]
    assert datetime.fromisoformat(ended.logout) == datetime(2026, 3, 2, 11, 0, tzinfo=UTC)
