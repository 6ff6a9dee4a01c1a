"""The daily quota: licenses x 1000 by default, counted on admission, rolled over at midnight
in the operation's time zone (America/Bogota, UTC-5)."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

from tests.conftest import ADD_INTERACTION, SERVER, TOKEN, VALID_INTERACTION
from wolkvox_mock import WolkvoxApp

AUTH = {"wolkvox-token": TOKEN}
LIMIT = {"code": 403, "error": "FORBIDDEN", "msg": "TOKEN LIMIT EXCEEDED"}


def use_up(http: httpx.Client, n: int) -> list[int]:
    return [http.post(ADD_INTERACTION, json=VALID_INTERACTION, headers=AUTH).status_code for _ in range(n)]


def test_default_limit_is_licenses_times_1000(app: WolkvoxApp) -> None:
    op = app.fake.operation(SERVER)
    assert op.token_limit(op.tokens[TOKEN]) == op.licenses * 1000 == 10_000
    op.licenses = 0
    assert op.token_limit(op.tokens[TOKEN]) == 0


def test_licenses_bound_the_quota(app: WolkvoxApp, http: httpx.Client) -> None:
    app.fake.operation(SERVER).licenses = 0
    assert http.post(ADD_INTERACTION, json=VALID_INTERACTION, headers=AUTH).json() == LIMIT


def test_limit_reached_then_refused(app: WolkvoxApp, http: httpx.Client) -> None:
    app.fake.operation(SERVER).tokens[TOKEN].limit = 3
    assert use_up(http, 4) == [201, 201, 201, 403]
    assert app.fake.token_usage(TOKEN) == 3
    assert len(app.fake.interactions) == 3


def test_refusals_before_admission_do_not_count(app: WolkvoxApp, http: httpx.Client) -> None:
    http.post(ADD_INTERACTION, json=VALID_INTERACTION)  # 401
    http.post("/api/v2/configuration.php?api=nope", headers=AUTH)  # 400 unknown api
    http.get(ADD_INTERACTION, headers=AUTH)  # 405
    assert app.fake.token_usage(TOKEN) == 0
    http.post(ADD_INTERACTION, content=b"{", headers=AUTH)  # admitted, then 400
    assert app.fake.token_usage(TOKEN) == 1


@pytest.mark.parametrize(
    ("frozen_utc", "step_seconds", "rolls_over"),
    [
        # 23:59:30 in Bogota = 04:59:30 UTC next day; 30 s later it is a new day in Bogota.
        (datetime(2026, 11, 28, 4, 59, 30, tzinfo=UTC), 30, True),
        # 23:30 UTC is 18:30 in Bogota: crossing UTC midnight is not a new day there.
        (datetime(2026, 11, 27, 23, 30, tzinfo=UTC), 3600, False),
    ],
)
def test_rollover_at_midnight_in_bogota(
    app: WolkvoxApp, http: httpx.Client, frozen_utc: datetime, step_seconds: int, rolls_over: bool
) -> None:
    app.fake.operation(SERVER).tokens[TOKEN].limit = 2
    app.fake.clock.freeze(frozen_utc)
    assert use_up(http, 3) == [201, 201, 403]
    app.fake.clock.advance(step_seconds)
    expected = 201 if rolls_over else 403
    assert use_up(http, 1) == [expected]
    assert app.fake.token_usage(TOKEN) == (1 if rolls_over else 2)


def test_operation_time_zone_is_a_setting(app: WolkvoxApp, http: httpx.Client) -> None:
    op = app.fake.operation(SERVER)
    op.timezone = "Europe/Madrid"
    op.tokens[TOKEN].limit = 1
    app.fake.clock.freeze(datetime(2026, 11, 27, 22, 59, 59, tzinfo=UTC))  # 23:59:59 in Madrid
    assert use_up(http, 2) == [201, 403]
    app.fake.clock.advance(1)
    assert use_up(http, 1) == [201]
