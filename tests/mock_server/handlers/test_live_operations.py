"""Every operation of campaign.php, real_time.php and agentbox.php: its documented success, the
400 for a missing parameter, and a business refusal from its catalogue entry."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from tests.conftest import SERVER, TOKEN
from tests.mock_server.handlers.live_support import FAMILIES, T0, VALID, call, run_valid
from wolkvox_mock import WolkvoxApp
from wolkvox_mock.contracts.catalogue import OperationSpec, load_catalogue
from wolkvox_mock.contracts.schemas import response_problems

CATALOGUE = load_catalogue()
OPERATIONS = sorted(
    (spec for (family, _), spec in CATALOGUE.operations.items() if family in FAMILIES),
    key=lambda s: (s.family, s.api),
)
IDS = [f"{s.family}.{s.api}" for s in OPERATIONS]
MISSING = CATALOGUE.error("missing_parameters").body()


@pytest.fixture
def frozen(app: WolkvoxApp) -> WolkvoxApp:
    app.fake.freeze(T0)
    return app


def test_every_operation_of_the_three_families_has_a_valid_request() -> None:
    assert set(VALID) == {(s.family, s.api) for s in OPERATIONS}
    assert len(OPERATIONS) == 17 + 10 + 14


@pytest.mark.parametrize("spec", OPERATIONS, ids=IDS)
def test_valid_request_gets_the_documented_success(
    frozen: WolkvoxApp, http: httpx.Client, spec: OperationSpec
) -> None:
    response = run_valid(frozen, http, (spec.family, spec.api))
    body = response.json()
    assert response.status_code == spec.success.status, body
    assert response_problems(spec, response.status_code, body) == []
    if spec.envelope == "bare_array":
        assert isinstance(body, list) and body
    elif spec.envelope == "own":
        assert body["code"] == "200" and "msg" not in body
    else:
        assert body["code"] == spec.success.code and body["error"] is None
        assert spec.success.values(body["msg"]) is not None, body["msg"]
    assert frozen.fake.requests[-1].status == spec.success.status


def _without_first_required(spec: OperationSpec, case: Any) -> tuple[Any, dict[str, str], str]:
    """The valid request with its first required parameter left out, and which one."""
    query = dict(case.query)
    body = json.loads(json.dumps(case.body))
    if spec.required_query:
        name = spec.required_query[0].name
        query.pop(name, None)
        return body, query, name
    name = spec.required_fields[0].name
    if isinstance(body, list):
        body[0].pop(name, None)
    else:
        body.pop(name, None)
    return body, query, name


NEEDS_INPUT = [s for s in OPERATIONS if s.required_query or s.required_fields]


@pytest.mark.parametrize("spec", NEEDS_INPUT, ids=[f"{s.family}.{s.api}" for s in NEEDS_INPUT])
def test_missing_required_parameter_is_400(
    frozen: WolkvoxApp, http: httpx.Client, spec: OperationSpec
) -> None:
    case = VALID[(spec.family, spec.api)]
    if case.setup is not None:
        case.setup(frozen, http)
    before = frozen.fake.export()
    body, query, name = _without_first_required(spec, case)
    response = call(http, spec.family, spec.api, body, **query)
    assert (response.status_code, response.json()) == (400, MISSING)
    assert name in response.headers["x-wolkvox-mock-hint"]
    assert _unchanged(frozen.fake.export(), before)


def _unchanged(after: dict[str, Any], before: dict[str, Any]) -> bool:
    # The refused call still counted against the quota (the token's and the operation's pool);
    # nothing else changed.
    def strip(state: dict[str, Any]) -> dict[str, Any]:
        for op in state["operations"]:
            op.pop("usage_count", None)
            op.pop("usage_day", None)
            for token in op["tokens"]:
                token.pop("usage_count", None)
                token.pop("usage_day", None)
        return state

    return strip(after) == strip(before)


def test_operations_without_any_required_parameter_are_the_documented_reads_and_delete_campaign() -> None:
    free = {s.api for s in OPERATIONS if not (s.required_query or s.required_fields)}
    assert free == {
        "delete_campaign",
        "agents",
        "calls_last_10",
        "hits_last_hour",
        "info_server",
        "latency",
        "campaigns",
        "chats",
        "interactions",
    }


def test_delete_campaign_without_any_id_is_400(frozen: WolkvoxApp, http: httpx.Client) -> None:
    response = call(http, "campaign", "delete_campaign")
    assert (response.status_code, response.json()) == (400, MISSING)


#: (family, api) -> (query changes, body or None to keep the valid one, the refusal expected).
BUSINESS: dict[tuple[str, str], tuple[dict[str, str], Any, str]] = {
    ("campaign", "add_dnc"): ({}, [{"telephone": str(n)} for n in range(10_001)], "too_many_records"),
    ("campaign", "add_record"): ({"campaign_id": "999"}, None, "campaign_not_found"),
    ("campaign", "clear_campaign"): ({"type_campaign": "preview"}, None, "campaign_type_mismatch"),
    ("campaign", "create_campaign"): ({}, {"campaign_name": "x", "skill_id": "77"}, "skill_not_found"),
    ("campaign", "codify"): ({}, {"cod_act": "NOPE", "customer_id": "c1"}, "activity_code_not_found"),
    ("campaign", "detail"): (
        {"date_ini": "20250101000000", "date_end": "20250102000000"},
        None,
        "campaign_empty",
    ),
    ("campaign", "recall"): (
        {},
        {"recall_date": "2026-12-01", "recall_telephone": "1", "customer_id": "c1"},
        "invalid_date",
    ),
    ("campaign", "remove_record"): ({}, {"customer_id": "zz"}, "record_not_found"),
    ("campaign", "speed"): ({}, {"speed": "101"}, "invalid_value"),
    ("campaign", "start"): ({"campaign_id": "999"}, None, "campaign_not_found"),
    ("campaign", "stop"): ({"type_campaign": "preview"}, None, "campaign_type_mismatch"),
    ("campaign", "find_record"): ({"customer_id": "nobody"}, None, "record_not_found"),
    ("campaign", "delete_campaign"): ({}, {"campaign_ids": ["1", "2"]}, "campaign_not_found"),
    ("campaign", "campaign_filter"): (
        {},
        {"filter_active": "yes", "filters": [{"field": "x", "operator": "="}]},
        "invalid_value",
    ),
    ("campaign", "campaign_15"): ({"campaign_id": "999"}, None, "campaign_not_found"),
    ("campaign", "recall_records"): ({}, {"field": "Cod_Machine", "value": "SLEEPING"}, "invalid_value"),
    ("campaign", "edit_campaign"): ({}, {"start_time": "25:00:00"}, "campaign_invalid"),
    ("real_time", "info_server"): ({}, None, "not_dedicated_server"),
    ("real_time", "skills"): ({"skill_id": "77"}, None, "skill_not_found"),
    ("real_time", "recall"): ({"type": "sometimes"}, None, "invalid_value"),
    ("agentbox", "change_status"): ({"status": "99"}, None, "invalid_value"),
    ("agentbox", "hang_type_ready"): ({"cod_act": "NOPE"}, None, "activity_code_not_found"),
    ("agentbox", "hang"): ({"agent_id": "1002"}, None, "agent_not_logged_in"),
    ("agentbox", "mute"): ({"agent_id": "999"}, None, "agent_not_found"),
    ("agentbox", "dtmf"): ({"tones": "12a"}, None, "invalid_value"),
    ("agentbox", "dial"): ({"agent_id": "1002"}, None, "agent_not_logged_in"),
    ("agentbox", "agent_display"): ({"button": "mute"}, None, "invalid_value"),
    ("agentbox", "hold"): ({"agent_id": "1002"}, None, "agent_not_logged_in"),
    ("agentbox", "recall"): ({"id_customer": "zz"}, None, "record_not_found"),
    ("agentbox", "aux_call"): ({"customer_phone": "abc"}, None, "invalid_value"),
    ("agentbox", "type"): ({"cod_act": "NOPE"}, None, "activity_code_not_found"),
    ("agentbox", "transfer"): ({"agent_id": "1002"}, None, "agent_not_logged_in"),
    ("agentbox", "edit_recall"): ({"id_customer": "c2"}, None, "recall_not_found"),
    ("agentbox", "delete_recall"): ({"id_camp": "999"}, None, "campaign_not_found"),
}


def test_every_operation_with_business_rules_has_a_business_error_case() -> None:
    pure_reads = {
        ("real_time", api)
        for api in (
            "agents",
            "calls_last_10",
            "hits_last_hour",
            "latency",
            "campaigns",
            "chats",
            "interactions",
        )
    }
    assert set(BUSINESS) == set(VALID) - pure_reads


@pytest.mark.parametrize("key", sorted(BUSINESS), ids=[f"{f}.{a}" for f, a in sorted(BUSINESS)])
def test_business_rule_refuses_with_a_catalogued_error(
    frozen: WolkvoxApp, http: httpx.Client, key: tuple[str, str]
) -> None:
    changes, body, expected = BUSINESS[key]
    case = VALID[key]
    if case.setup is not None:
        case.setup(frozen, http)
    frozen.fake.operation(SERVER).dedicated = False  # info_server's refusal: a shared server
    response = call(http, *key, case.body if body is None else body, **{**case.query, **changes})
    error = CATALOGUE.error(expected)
    assert response.status_code == error.status, response.text
    assert CATALOGUE.classify(response.status_code, response.json()["msg"]) is not None
    assert error.matches(response.status_code, response.json()["msg"]), response.json()
    spec = CATALOGUE.operation(*key)
    assert spec is not None and expected in spec.errors


def test_agentbox_calls_are_free_and_the_others_count(frozen: WolkvoxApp, http: httpx.Client) -> None:
    frozen.fake.login_agent("1001", server=SERVER)
    before = frozen.fake.token_usage(TOKEN)
    assert call(http, "agentbox", "dial", agent_id="1001", customer_phone="3001").status_code == 200
    assert call(http, "agentbox", "hang", agent_id="1001").status_code == 200
    assert frozen.fake.token_usage(TOKEN) == before
    assert call(http, "real_time", "agents").status_code == 200
    assert frozen.fake.token_usage(TOKEN) == before + 1
    assert all(not s.counts_quota for s in OPERATIONS if s.family == "agentbox")
    assert all(s.counts_quota for s in OPERATIONS if s.family != "agentbox")


def test_the_hint_names_the_record_at_fault_and_nothing_is_added(
    frozen: WolkvoxApp, http: httpx.Client
) -> None:
    VALID[("campaign", "add_record")].setup(frozen, http)  # type: ignore[misc]
    rows = [{"customer_id": "ok", "tel1": "1"}, {"tel1": "2"}]
    response = call(http, "campaign", "add_record", rows, type_campaign="predictive", campaign_id="23001")
    assert response.status_code == 400
    assert response.headers["x-wolkvox-mock-hint"] == "element 2 of the body: 'customer_id' is required"
    assert len(frozen.fake.operation(SERVER).campaigns.campaigns["23001"].records) == 3
