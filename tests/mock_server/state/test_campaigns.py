"""The campaign book: the dialing model's pure functions, the documented limits, and a property:
whatever sequence of campaign.php and agentbox.php calls runs, no record is ever in two states
at once (its state and the dialer's indexes always agree, and the states partition the records).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from tests.conftest import BASE_URL, SERVER, TOKEN
from tests.mock_server.handlers.live_support import HEADERS, T0, put_code
from wolkvox_mock import WolkvoxApp, create_app, demo_state
from wolkvox_mock.state.campaigns import (
    OUTCOMES,
    Campaign,
    CampaignBook,
    campaign_capacity,
    dial_outcome,
    running_limit,
)

STATES = ("clean", "scheduled", "done", "coded")


def test_dial_outcomes_are_a_pure_function_with_the_documented_shares() -> None:
    assert dial_outcome("23001", "c1", 1) == dial_outcome("23001", "c1", 1)
    seen = Counter(dial_outcome("23001", f"c{n}", 1) for n in range(20_000))
    for outcome, share in OUTCOMES:
        assert abs(seen[outcome] / 20_000 - share / 100) < 0.015, (outcome, seen[outcome])


@pytest.mark.parametrize(
    ("licenses", "dedicated", "capacity", "running"),
    [
        (1, False, 50_000, 2),
        (2, False, 50_000, 2),
        (3, False, 21_000, 2),
        (10, True, 95_000, 4),
        (35, False, 245_000, 7),
    ],
)
def test_documented_limits(licenses: int, dedicated: bool, capacity: int, running: int) -> None:
    assert campaign_capacity(licenses, dedicated) == capacity
    assert running_limit(licenses, dedicated) == running


def _place(campaign: Campaign, record: Any, at: datetime, telephone: str) -> str:
    return f"{record.seq}@{at.isoformat()}"


def test_the_dialer_places_one_call_per_interval_in_load_order() -> None:
    campaign = Campaign("1", "predictive", status="started", speed=60)
    for n in range(5):
        campaign.add({"customer_id": f"c{n}", "tel1": f"30{n}"})
    campaign.restart_clock(T0)
    assert campaign.advance(T0 + timedelta(seconds=2.5), ZoneInfo("America/Bogota"), _place) == 2
    assert [r.conn_id for r in campaign.records.values()][:3] == [
        f"1@{(T0 + timedelta(seconds=1)).isoformat()}",
        f"2@{(T0 + timedelta(seconds=2)).isoformat()}",
        "",
    ]
    assert campaign.check() == []


def test_a_book_round_trips_through_its_export() -> None:
    book = CampaignBook()
    campaign = Campaign(book.new_id(), "predictive")
    book.campaigns[campaign.campaign_id] = campaign
    campaign.add({"customer_id": "a", "tel1": "1"})
    campaign.add({"customer_id": "b", "tel1": "2"}, recall_at=T0.isoformat())
    again = CampaignBook.from_dict(book.export())
    assert again.export() == book.export()
    copy = again.campaigns[campaign.campaign_id]
    assert (list(copy.pending), copy.scheduled) == ([1], {2})


# -- the property ---------------------------------------------------------------------------

CUSTOMERS = [f"c{n}" for n in range(6)]
customers = st.sampled_from(CUSTOMERS)
STAMPS = st.integers(min_value=0, max_value=180).map(
    lambda m: (T0 + timedelta(minutes=m)).strftime("%Y%m%d%H%M%S")
)


def _query(extra: dict[str, str] | None = None) -> dict[str, str]:
    return {"type_campaign": "predictive", "campaign_id": "23001", **(extra or {})}


ACTIONS = st.one_of(
    st.tuples(st.just("add"), st.lists(customers, min_size=1, max_size=4)),
    st.tuples(st.just("start"), st.none()),
    st.tuples(st.just("stop"), st.none()),
    st.tuples(st.just("advance"), st.integers(min_value=1, max_value=600)),
    st.tuples(st.just("dial_now"), st.integers(min_value=1, max_value=4)),
    st.tuples(st.just("speed"), st.integers(min_value=0, max_value=100)),
    st.tuples(st.just("codify"), customers),
    st.tuples(st.just("recall"), st.tuples(customers, STAMPS)),
    st.tuples(st.just("agent_recall"), st.tuples(customers, STAMPS, st.sampled_from(["auto", "manual"]))),
    st.tuples(st.just("delete_recall"), customers),
    st.tuples(st.just("remove"), customers),
    st.tuples(st.just("clear"), st.sampled_from(["", "clean", "answer", "no-answer"])),
    st.tuples(st.just("recall_records"), st.sampled_from(["ANSWER", "NO-ANSWER", "BUSY", "FAILED"])),
    st.tuples(st.just("recall_coded"), st.none()),
    st.tuples(st.just("filter"), st.booleans()),
)


def _act(app: WolkvoxApp, client: TestClient, kind: str, arg: Any) -> int:
    url = "/api/v2/{}.php"

    def send(method: str, family: str, api: str, query: dict[str, str], body: Any = None) -> int:
        kwargs: dict[str, Any] = {"params": {"api": api, **query}, "headers": HEADERS}
        if body is not None:
            kwargs["json"] = body
        return client.request(method, url.format(family), **kwargs).status_code

    if kind == "advance":
        app.fake.advance(seconds=arg)
        return 200
    if kind == "dial_now":
        app.fake.dial_now("23001", arg, server=SERVER)
        return 200
    if kind == "add":
        rows = [{"customer_id": c, "tel1": f"30{c[1:]}"} for c in arg]
        return send("POST", "campaign", "add_record", _query(), rows)
    simple: dict[str, tuple[str, str, dict[str, str], Any]] = {
        "start": ("PUT", "start", {"campaign_id": "23001"}, None),
        "stop": ("PUT", "stop", {"campaign_id": "23001"}, None),
        "speed": ("PUT", "speed", {"campaign_id": "23001"}, {"speed": str(arg)}),
        "codify": ("PUT", "codify", _query(), {"cod_act": "VENTA", "customer_id": arg}),
        "remove": ("DELETE", "remove_record", _query(), {"customer_id": arg}),
        "clear": ("DELETE", "clear_campaign", _query({"result": arg} if arg else {}), None),
        "recall_records": (
            "PUT",
            "recall_records",
            {"campaign_id": "23001"},
            {"field": "Cod_Machine", "value": arg},
        ),
        "recall_coded": (
            "PUT",
            "recall_records",
            {"campaign_id": "23001"},
            {"field": "cod_rslt1", "value": "VENTA"},
        ),
    }
    if kind in simple:
        method, api, query, body = simple[kind]
        return send(method, "campaign", api, query, body)
    if kind == "recall":
        customer, when = arg
        body = {"customer_id": customer, "recall_date": when, "recall_telephone": "3109990000"}
        return send("PUT", "campaign", "recall", {"campaign_id": "23001"}, body)
    if kind == "filter":
        rule = [{"field": "customer_id", "operator": "!=", "value": "c1"}]
        return send(
            "PUT",
            "campaign",
            "campaign_filter",
            _query(),
            {"filter_active": "yes" if arg else "no", "filters": rule},
        )
    base = {"agent_id": "1001", "id_camp": "23001", "telephone": "3109990000"}
    if kind == "agent_recall":
        customer, when, style = arg
        query = {
            **base,
            "id_customer": customer,
            "telefono": "3109990000",
            "rellamada": when,
            "recall_style": style,
        }
        return send("POST", "agentbox", "recall", query)
    return send("DELETE", "agentbox", "delete_recall", {**base, "id_customer": arg, "recall_style": "auto"})


def _assert_one_state_each(app: WolkvoxApp) -> None:
    app.fake.run_dialer(server=SERVER)
    with app.fake.lock:
        for campaign in app.fake.operation(SERVER).campaigns:
            assert campaign.check() == []
            states = Counter(r.status for r in campaign.records.values())
            assert set(states) <= set(STATES)
            assert sum(states.values()) == len(campaign.records)
            assert states["clean"] == len(campaign.pending) and states["scheduled"] == len(campaign.scheduled)
            assert set(campaign.pending).isdisjoint(campaign.scheduled)
            for record in campaign.records.values():
                # A scheduled record has its recall; no other record keeps one.
                assert bool(record.recall_date) == (record.status == "scheduled")


@pytest.fixture(scope="module")
def fake_and_client() -> Iterator[tuple[WolkvoxApp, TestClient]]:
    app = create_app(demo_state(SERVER, TOKEN))
    with TestClient(app, base_url=BASE_URL) as client:
        yield app, client


@settings(max_examples=60, deadline=None)
@given(actions=st.lists(ACTIONS, max_size=25))
def test_no_sequence_of_campaign_operations_leaves_a_record_in_two_states(
    fake_and_client: tuple[WolkvoxApp, TestClient], actions: list[tuple[str, Any]]
) -> None:
    app, client = fake_and_client
    app.fake.reset()
    app.fake.freeze(T0)
    put_code(app)
    app.fake.login_agent("1001", server=SERVER)
    created = client.post(
        "/api/v2/campaign.php",
        params={"api": "create_campaign", "type_campaign": "predictive"},
        headers=HEADERS,
        json={"campaign_name": "p", "skill_id": "1"},
    )
    assert created.status_code == 201
    for kind, arg in actions:
        assert _act(app, client, kind, arg) < 500
        _assert_one_state_each(app)
    exported = app.fake.export()
    app.fake.restore(exported)
    _assert_one_state_each(app)


def test_check_names_a_record_whose_indexes_disagree_with_its_state() -> None:
    campaign = Campaign("1", "predictive")
    record = campaign.add({"customer_id": "a", "tel1": "1"})
    campaign.scheduled.add(record.seq)  # clean and scheduled at once
    assert campaign.check() == ["record 1 is clean but indexed in ['pending', 'scheduled']"]


def test_a_seed_can_log_agents_in_and_make_the_server_dedicated() -> None:
    seed = demo_state(SERVER, TOKEN).export()
    seed["operations"][0]["dedicated"] = True
    seed["operations"][0]["sessions"] = {"sessions": [{"agent_id": "1002", "ip": "10.9.9.9"}]}
    app = create_app()
    app.fake.seed(seed)
    with TestClient(app, base_url=BASE_URL) as client:
        agents = client.get("/api/v2/real_time.php", params={"api": "agents"}, headers=HEADERS).json()
        server = client.get("/api/v2/real_time.php", params={"api": "info_server"}, headers=HEADERS).json()
    assert [(a["agent_id"], a["agent_status"]) for a in agents["data"]] == [("1002", "Ready")]
    assert server["data"]["connected_agents"] == "1"
