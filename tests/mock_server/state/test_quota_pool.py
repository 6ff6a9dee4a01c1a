"""The daily quota as ONE pool per operation (licenses x 1000) shared by all its tokens, a
token's own lower cap, the per-token setting, and token_info's counters, across Bogota's
midnight (UTC-5: 05:00 UTC)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest

from tests.conftest import ADD_INTERACTION, SERVER, TOKEN, VALID_INTERACTION
from wolkvox_mock import WolkvoxApp
from wolkvox_mock.state.models import Operation

OTHER = "6f746865722d3230323631313238303030303030"
TOKEN_INFO = "/api/v2/information.php?api=token_info"
LIMIT = {"code": 403, "error": "FORBIDDEN", "msg": "TOKEN LIMIT EXCEEDED"}
# 23:59:30 in Bogota on 2026-11-27.
BEFORE_MIDNIGHT = datetime(2026, 11, 28, 4, 59, 30, tzinfo=UTC)


def call(http: httpx.Client, token: str) -> int:
    return http.post(ADD_INTERACTION, json=VALID_INTERACTION, headers={"wolkvox-token": token}).status_code


def info(http: httpx.Client, token: str) -> dict[str, str]:
    response = http.get(TOKEN_INFO, headers={"wolkvox-token": token})
    assert response.status_code == 200, response.json()
    row: dict[str, str] = response.json()["data"][0]
    return row


@pytest.fixture
def op(app: WolkvoxApp) -> Operation:
    """The demo operation with a second token, one license (a pool of 1000), 23:59:30 in Bogota."""
    app.fake.add_token(OTHER, description="second", server=SERVER)
    app.fake.freeze(BEFORE_MIDNIGHT)
    operation = app.fake.operation(SERVER)
    operation.licenses = 1
    return operation


def spend(app: WolkvoxApp, op: Operation, left: int) -> None:
    """Use the pool today until ``left`` calls remain (as if other calls had been made)."""
    with app.fake.lock:
        op.usage_day = app.fake.clock.today(op.timezone).isoformat()
        op.usage_count = op.licenses * 1000 - left


def test_two_tokens_draw_on_one_pool_until_midnight_in_bogota(
    app: WolkvoxApp, http: httpx.Client, op: Operation
) -> None:
    spend(app, op, 3)
    assert [call(http, TOKEN), call(http, OTHER), call(http, TOKEN)] == [201, 201, 201]
    # The pool is used up for both tokens, although neither used more than two calls.
    assert (
        http.post(ADD_INTERACTION, json=VALID_INTERACTION, headers={"wolkvox-token": OTHER}).json() == LIMIT
    )
    assert call(http, TOKEN) == 403
    assert (app.fake.token_usage(TOKEN), app.fake.token_usage(OTHER), app.fake.pool_usage(SERVER)) == (
        2,
        1,
        1000,
    )

    app.fake.advance(seconds=29)  # 23:59:59 in Bogota: still the same day
    assert call(http, OTHER) == 403
    app.fake.advance(seconds=1)  # 00:00:00 in Bogota: a new pool
    assert [call(http, OTHER), call(http, TOKEN)] == [201, 201]
    assert (app.fake.token_usage(TOKEN), app.fake.token_usage(OTHER), app.fake.pool_usage(SERVER)) == (
        1,
        1,
        2,
    )


def test_utc_midnight_is_not_a_new_day_in_bogota(app: WolkvoxApp, http: httpx.Client, op: Operation) -> None:
    app.fake.set_time(datetime(2026, 11, 27, 23, 59, tzinfo=UTC))  # 18:59 in Bogota
    spend(app, op, 1)
    assert [call(http, TOKEN), call(http, OTHER)] == [201, 403]
    app.fake.advance(minutes=2)  # past midnight UTC, 19:01 in Bogota
    assert [call(http, TOKEN), call(http, OTHER)] == [403, 403]


def test_token_info_reports_the_pool(app: WolkvoxApp, http: httpx.Client, op: Operation) -> None:
    assert call(http, OTHER) == 201
    assert call(http, OTHER) == 201
    assert info(http, TOKEN) == {
        "description": "wolkvox-mock demo token",
        "token_limit": "1000",
        "token_use_today": "1",  # this call
        "all_token_today": "3",  # every token of the operation, this call included
        "available_consumption_options": "997",  # what the pool has left
    }
    app.fake.advance(seconds=30)  # midnight in Bogota
    assert info(http, OTHER) | {"description": ""} == {
        "description": "",
        "token_limit": "1000",
        "token_use_today": "1",
        "all_token_today": "1",
        "available_consumption_options": "999",
    }


def test_a_token_cap_limits_that_token_only(app: WolkvoxApp, http: httpx.Client, op: Operation) -> None:
    op.tokens[OTHER].limit = 2
    assert [call(http, OTHER), call(http, OTHER), call(http, OTHER)] == [201, 201, 403]
    assert call(http, TOKEN) == 201
    row = info(http, TOKEN)
    assert (row["all_token_today"], row["available_consumption_options"]) == ("4", "996")
    capped = op.tokens[OTHER]
    capped.limit = 10  # with its cap, the token has less left than the pool
    row = info(http, OTHER)
    assert (row["token_limit"], row["token_use_today"], row["available_consumption_options"]) == (
        "10",
        "3",
        "7",
    )


def test_the_cap_cannot_lift_the_pool(app: WolkvoxApp, http: httpx.Client, op: Operation) -> None:
    op.tokens[OTHER].limit = 5000
    spend(app, op, 1)
    assert [call(http, OTHER), call(http, OTHER)] == [201, 403]


def test_per_token_pools_are_one_setting_away(app: WolkvoxApp, http: httpx.Client, op: Operation) -> None:
    op.quota_scope = "token"
    op.tokens[TOKEN].limit = 2
    assert [call(http, TOKEN), call(http, TOKEN), call(http, TOKEN)] == [201, 201, 403]
    # The other token has its own licenses x 1000, untouched by the first one's use.
    row = info(http, OTHER)
    assert (row["token_limit"], row["token_use_today"], row["all_token_today"]) == ("1000", "1", "3")
    assert row["available_consumption_options"] == "999"
    app.fake.advance(seconds=30)
    assert call(http, TOKEN) == 201


def test_refusals_before_admission_do_not_touch_the_pool(
    app: WolkvoxApp, http: httpx.Client, op: Operation
) -> None:
    http.post(ADD_INTERACTION, json=VALID_INTERACTION)  # 401
    http.post(ADD_INTERACTION, json=VALID_INTERACTION, headers={"wolkvox-token": "nope"})  # 403
    assert app.fake.pool_usage(SERVER) == 0
    spend(app, op, 0)
    assert call(http, TOKEN) == 403
    assert app.fake.pool_usage(SERVER) == 1000


def test_the_pool_survives_export_and_restore(app: WolkvoxApp, http: httpx.Client, op: Operation) -> None:
    assert call(http, OTHER) == 201
    exported = app.fake.export()
    app.fake.reset()
    app.fake.restore(exported)
    app.fake.freeze(BEFORE_MIDNIGHT)  # reset put the clock back to real time
    assert app.fake.pool_usage(SERVER) == 1
    assert app.fake.operation(SERVER).quota_scope == "operation"
    app.fake.advance(timedelta(seconds=30).total_seconds())
    assert app.fake.pool_usage(SERVER) == 0
