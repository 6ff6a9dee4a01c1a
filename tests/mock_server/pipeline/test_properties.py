"""Property tests of the fake against the contract: every answer keeps its schema and has
HTTP status == int(code); valid add_interaction bodies give 201 and exactly one recorded
interaction; invalid ones give the documented 400; never a 5xx. Operations come from the
catalogue, so a newly implemented one is covered without touching this file."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from starlette.testclient import TestClient

from tests.conftest import ADD_INTERACTION as ADD_INTERACTION_URL
from tests.conftest import BASE_URL, SERVER, TOKEN
from wolkvox_mock import WolkvoxApp, create_app, demo_state
from wolkvox_mock.contracts import load_catalogue
from wolkvox_mock.contracts.schemas import response_problems
from wolkvox_mock.contracts.strategies import (
    ApiRequest,
    add_interaction_payloads,
    can_be_invalid,
    invalid_add_interaction_payloads,
    operation_payloads,
    requests_for,
    server_codes,
    texts,
    tokens,
    unknown_apis,
)
from wolkvox_mock.handlers import HANDLERS

CATALOGUE = load_catalogue()
ADD_INTERACTION = CATALOGUE.operation("configuration", "add_interaction")
IMPLEMENTED = sorted((CATALOGUE.operations[key] for key in HANDLERS), key=lambda op: op.api)
# Ids the demo state has, mixed with random ones, so that success paths are reached too.
KNOWN_IDS = {"agent_id": ["1001", "1002"], "skill_id": ["1"], "rp_id": ["1"]}
TOKENS = st.one_of(st.just(TOKEN), st.none(), tokens())
MISSING_PARAMETERS = CATALOGUE.error("missing_parameters").body()


@pytest.fixture(scope="module")
def wolkvox() -> Iterator[tuple[WolkvoxApp, TestClient]]:
    """One demo fake for the module; each example resets it (Hypothesis reruns the body)."""
    app = create_app(demo_state(SERVER, TOKEN))
    with TestClient(app, base_url=BASE_URL) as client:
        yield app, client


def _overrides(op) -> dict[str, Any]:
    names = {f.name for f in op.fields}
    return {
        name: st.sampled_from(ids) | texts(max_size=8) for name, ids in KNOWN_IDS.items() if name in names
    }


def _send(client: TestClient, request: ApiRequest) -> tuple[int, Any]:
    response = client.request(**request.httpx_kwargs())
    return response.status_code, json.loads(response.content)


def _requests(op, *, valid: bool) -> st.SearchStrategy[ApiRequest]:
    payloads = (
        operation_payloads(op, valid=valid, fields=_overrides(op)) if valid or can_be_invalid(op) else None
    )
    return requests_for(op, tokens=TOKENS, payloads=payloads, valid=valid)


@given(data=st.data())
def test_every_answer_keeps_its_schema_and_status_equals_code(wolkvox, data: st.DataObject) -> None:
    app, client = wolkvox
    app.fake.reset()
    op = data.draw(st.sampled_from(IMPLEMENTED), label="operation")
    can_break = can_be_invalid(op) or bool(op.required_query)
    valid = data.draw(st.booleans(), label="valid") if can_break else True
    status, body = _send(client, data.draw(_requests(op, valid=valid), label="request"))
    assert status < 500, body
    assert response_problems(op, status, body) == []


@given(data=st.data())
def test_invalid_requests_get_the_documented_400_before_any_business_rule(
    wolkvox, data: st.DataObject
) -> None:
    app, client = wolkvox
    app.fake.reset()
    op = data.draw(st.sampled_from([op for op in IMPLEMENTED if can_be_invalid(op) or op.required_query]))
    request = data.draw(requests_for(op, tokens=st.just(TOKEN), valid=False), label="request")
    assert _send(client, request) == (400, MISSING_PARAMETERS)


@given(data=st.data())
def test_wrong_methods_get_405_whatever_the_body(wolkvox, data: st.DataObject) -> None:
    _, client = wolkvox
    op = data.draw(st.sampled_from(IMPLEMENTED))
    method = data.draw(
        st.sampled_from([m for m in ("GET", "POST", "PUT", "DELETE", "PATCH") if m not in op.methods])
    )
    request = data.draw(requests_for(op, tokens=TOKENS))
    status, body = _send(client, ApiRequest(method, op.family, op.api, request.token, body=request.body))
    assert (status, body["msg"].startswith(f"THE METHOD {method} IS NOT ALLOWED")) == (405, True)
    assert response_problems(op, status, body) == []


@given(payload=add_interaction_payloads(rp_ids=st.just("1"), numbers=True))
def test_valid_interactions_get_201_and_exactly_one_record(wolkvox, payload: dict[str, Any]) -> None:
    app, client = wolkvox
    app.fake.reset()
    response = client.post(ADD_INTERACTION_URL, content=json.dumps(payload), headers={"wolkvox-token": TOKEN})
    body = response.json()
    assert response.status_code == 201, body
    assert response_problems(ADD_INTERACTION, 201, body) == []
    (recorded,) = app.fake.interactions
    assert body["msg"] == f"1 routing point was executed and assigned to agent ({recorded.agent_id}) "
    assert recorded.fields == {k: str(v) for k, v in payload.items()}
    assert (recorded.rp_id, recorded.server) == ("1", SERVER)


@given(payload=invalid_add_interaction_payloads(rp_ids=st.just("1")))
def test_invalid_interactions_get_the_documented_400_and_no_record(wolkvox, payload: Any) -> None:
    app, client = wolkvox
    app.fake.reset()
    response = client.post(ADD_INTERACTION_URL, content=json.dumps(payload), headers={"wolkvox-token": TOKEN})
    assert (response.status_code, response.json()) == (400, MISSING_PARAMETERS)
    assert app.fake.interactions == []


@given(api=unknown_apis(), token=TOKENS)
def test_unknown_apis_get_the_documented_400_before_the_token_check(
    wolkvox, api: str, token: str | None
) -> None:
    _, client = wolkvox
    request = ApiRequest("POST", "configuration", api, token, body={})
    assert _send(client, request) == (400, CATALOGUE.error("unknown_api").body())


@given(token=tokens(), payload=add_interaction_payloads(rp_ids=st.just("1")))
def test_tokens_the_fake_does_not_know_are_refused(wolkvox, token: str, payload: dict[str, Any]) -> None:
    assume(token != TOKEN)
    app, client = wolkvox
    app.fake.reset()
    status, body = _send(client, ApiRequest("POST", "configuration", "add_interaction", token, body=payload))
    assert (status, body) == (403, CATALOGUE.error("invalid_token").body())
    assert app.fake.interactions == []


@given(server=server_codes(), payload=add_interaction_payloads(rp_ids=st.just("1")))
def test_a_token_works_only_on_its_own_server(wolkvox, server: str, payload: dict[str, Any]) -> None:
    app, client = wolkvox
    app.fake.reset()
    url = f"https://wv{server}.wolkvox.com{ADD_INTERACTION_URL}"
    response = client.post(url, content=json.dumps(payload), headers={"wolkvox-token": TOKEN})
    expected = 201 if server == SERVER else 403
    assert response.status_code == expected
    assert len(app.fake.interactions) == (1 if server == SERVER else 0)
