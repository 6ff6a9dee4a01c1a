"""The campaign and agentbox strategies: what they draw keeps the documented rules, loads into
the fake, and bad arguments are refused at once."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from jsonschema import Draft202012Validator
from starlette.testclient import TestClient

from tests.conftest import BASE_URL, SERVER, TOKEN
from wolkvox_mock import WolkvoxApp, create_app, demo_state
from wolkvox_mock.contracts.campaign_strategies import campaign_records, dial_queries, record_batches
from wolkvox_mock.contracts.catalogue import load_catalogue
from wolkvox_mock.contracts.schemas import request_schema

ADD_RECORD = load_catalogue().operation("campaign", "add_record")
HEADERS = {"wolkvox-token": TOKEN}


@given(record_batches(records=campaign_records(kind="preview", agent_ids=st.just("1001")), max_size=5))
def test_batches_keep_the_documented_request_schema(batch: list[dict[str, str]]) -> None:
    assert ADD_RECORD is not None
    query = {"type_campaign": "preview", "campaign_id": "1"}
    assert Draft202012Validator(request_schema(ADD_RECORD)).is_valid({"body": batch, "query": query})
    assert all(len(r.get("opt7", "")) <= 200 and r["customer_id"].strip() for r in batch)


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[WolkvoxApp, TestClient]]:
    app = create_app(demo_state(SERVER, TOKEN))
    with TestClient(app, base_url=BASE_URL) as client:
        yield app, client


@settings(max_examples=20)
@given(batch=record_batches(max_size=20), dial=dial_queries(agent_ids=st.just("1001")))
def test_what_they_draw_is_accepted_by_the_fake(
    served: tuple[WolkvoxApp, TestClient], batch: list[dict[str, str]], dial: dict[str, str]
) -> None:
    app, client = served
    app.fake.reset()
    created = client.post(
        "/api/v2/campaign.php",
        params={"api": "create_campaign", "type_campaign": "predictive"},
        headers=HEADERS,
        json={"campaign_name": "p", "skill_id": "1"},
    )
    params = {
        "api": "add_record",
        "type_campaign": "predictive",
        "campaign_id": created.json()["data"][0]["id_campaign"],
    }
    loaded = client.post("/api/v2/campaign.php", params=params, headers=HEADERS, json=batch)
    assert loaded.status_code == 201, loaded.text
    assert loaded.json()["data"] == [{"total_registers": str(len(batch))}]
    app.fake.login_agent("1001", server=SERVER)
    dialled = client.post("/api/v2/agentbox.php", params={"api": "dial", **dial}, headers=HEADERS)
    assert dialled.status_code == 200, dialled.text


def test_bad_arguments_are_refused_when_the_strategy_is_built() -> None:
    with pytest.raises(InvalidArgument, match="must be a strategy"):
        campaign_records(customer_ids="c1")  # type: ignore[arg-type]
    with pytest.raises(InvalidArgument, match="10000"):
        record_batches(max_size=10_001)
    with pytest.raises(InvalidArgument, match="kind"):
        campaign_records(kind="blaster")  # type: ignore[arg-type]
