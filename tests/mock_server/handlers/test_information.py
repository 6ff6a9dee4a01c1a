"""information.php: token_info and routing_points, as documented (docs/wolkvox-api.md#tokens-and-limits)."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx

from tests.conftest import ADD_INTERACTION, SERVER, TOKEN, VALID_INTERACTION
from wolkvox_mock import WolkvoxApp

AUTH = {"wolkvox-token": TOKEN}
TOKEN_INFO = "/api/v2/information.php?api=token_info"
ROUTING_POINTS = "/api/v2/information.php?api=routing_points"


def test_token_info_body_is_exactly_the_documented_shape(http: httpx.Client) -> None:
    response = http.get(TOKEN_INFO, headers=AUTH)
    assert response.status_code == 200
    assert response.json() == {
        "code": "200",
        "error": None,
        "msg": " 1 records were found",
        "data": [
            {
                "description": "wolkvox-mock demo token",
                "token_limit": "10000",
                "token_use_today": "1",
                "all_token_today": "1",
                "available_consumption_options": "9999",
            }
        ],
    }


def test_token_info_counts_against_the_quota_itself(app: WolkvoxApp, http: httpx.Client) -> None:
    for expected in ("1", "2", "3"):
        row = http.get(TOKEN_INFO, headers=AUTH).json()["data"][0]
        assert row["token_use_today"] == expected
    assert app.fake.token_usage(TOKEN) == 3


def test_token_info_reports_the_whole_operation_and_the_token_limit(
    app: WolkvoxApp, http: httpx.Client
) -> None:
    other = app.fake.add_token(description="reports", server=SERVER)
    app.fake.operation(SERVER).tokens[TOKEN].limit = 5
    assert (
        http.post(ADD_INTERACTION, json=VALID_INTERACTION, headers={"wolkvox-token": other}).status_code
        == 201
    )
    row = http.get(TOKEN_INFO, headers=AUTH).json()["data"][0]
    assert row == {
        "description": "wolkvox-mock demo token",
        "token_limit": "5",
        "token_use_today": "1",
        "all_token_today": "2",
        "available_consumption_options": "4",
    }


def test_token_info_counters_start_again_on_a_new_day(app: WolkvoxApp, http: httpx.Client) -> None:
    # 04:59 UTC is 23:59 in Bogota; two minutes later it is the next day there.
    app.fake.freeze(datetime(2026, 11, 27, 4, 59, tzinfo=UTC))
    http.get(TOKEN_INFO, headers=AUTH)
    app.fake.advance(minutes=2)
    assert http.get(TOKEN_INFO, headers=AUTH).json()["data"][0]["token_use_today"] == "1"


def test_token_info_is_refused_once_the_quota_is_used_up(app: WolkvoxApp, http: httpx.Client) -> None:
    app.fake.operation(SERVER).tokens[TOKEN].limit = 1
    assert http.get(TOKEN_INFO, headers=AUTH).json()["data"][0]["available_consumption_options"] == "0"
    response = http.get(TOKEN_INFO, headers=AUTH)
    assert (response.status_code, response.json()["msg"]) == (403, "TOKEN LIMIT EXCEEDED")


def test_token_info_is_get_only(http: httpx.Client) -> None:
    assert http.post(TOKEN_INFO, headers=AUTH).status_code == 405


def test_routing_points_lists_every_routing_point_with_yes_no_strings(
    app: WolkvoxApp, http: httpx.Client
) -> None:
    app.fake.add_routing_point("10", name="Chat", interaction_active=False, server=SERVER)
    rp = app.fake.operation(SERVER).routing_points["10"]
    rp.chat_active = rp.ivr_active = rp.crm_active = True
    response = http.get(ROUTING_POINTS, headers=AUTH)
    assert response.status_code == 200
    assert response.json() == {
        "code": 200,
        "error": None,
        "msg": "2 records were found",
        "data": [
            {
                "rp_id": "1",
                "rp_name": "Demo interactions",
                "ivr_active": "no",
                "chat_active": "no",
                "interaction_active": "yes",
                "crm_active": "no",
                "last_use": "",
            },
            {
                "rp_id": "10",
                "rp_name": "Chat",
                "ivr_active": "yes",
                "chat_active": "yes",
                "interaction_active": "no",
                "crm_active": "yes",
                "last_use": "",
            },
        ],
    }


def test_routing_points_last_use_is_local_date_and_time(app: WolkvoxApp, http: httpx.Client) -> None:
    app.fake.freeze(datetime(2026, 11, 27, 15, 4, 5, tzinfo=UTC))
    http.post(ADD_INTERACTION, json=VALID_INTERACTION, headers=AUTH)
    row = http.get(ROUTING_POINTS, headers=AUTH).json()["data"][0]
    assert row["last_use"] == "2026-11-27 10:04:05"  # Bogota is UTC-5


def test_routing_points_with_none_is_the_empty_list_404(app: WolkvoxApp, http: httpx.Client) -> None:
    app.fake.operation(SERVER).routing_points.clear()
    response = http.get(ROUTING_POINTS, headers=AUTH)
    assert response.status_code == 404
    assert response.json() == {"code": 404, "error": "NOT FOUND", "msg": "Validate dates entered"}


def test_information_calls_go_through_the_token_checks(http: httpx.Client) -> None:
    assert http.get(ROUTING_POINTS).status_code == 401
    assert http.get(ROUTING_POINTS, headers={"wolkvox-token": "nope"}).status_code == 403
    assert http.get("/api/v2/information.php?api=no_such_report", headers=AUTH).status_code == 400
