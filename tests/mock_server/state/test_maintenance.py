"""Maintenance windows: 403 inside one (status documented, text ours), where in the pipeline."""

from __future__ import annotations

from datetime import UTC, datetime, time

import httpx
import pytest

from tests.conftest import ADD_INTERACTION, SERVER, TOKEN, VALID_INTERACTION
from wolkvox_mock import WolkvoxApp
from wolkvox_mock.state.maintenance import MaintenanceSchedule, WindowError, parse_daily

AUTH = {"wolkvox-token": TOKEN}
MAINTENANCE = {
    "code": 403,
    "error": "FORBIDDEN",
    "msg": "THE SERVER IS UNDER MAINTENANCE, PLEASE TRY AGAIN LATER",
}
# 07:30 UTC is 02:30 in Bogota (UTC-5, no daylight saving).
NIGHT = datetime(2026, 11, 27, 7, 30, tzinfo=UTC)


def post(http: httpx.Client, headers: dict[str, str] = AUTH) -> httpx.Response:
    return http.post(ADD_INTERACTION, json=VALID_INTERACTION, headers=headers)


def test_every_call_inside_a_window_gets_403_and_is_not_counted(app: WolkvoxApp, http: httpx.Client) -> None:
    app.fake.add_maintenance()
    response = post(http)
    assert (response.status_code, response.json()) == (403, MAINTENANCE)
    assert "maintenance window m1" in response.headers["x-wolkvox-mock-hint"]
    assert http.get("/api/v2/information.php?api=token_info", headers=AUTH).json() == MAINTENANCE
    assert app.fake.token_usage(TOKEN) == 0
    assert app.fake.interactions == []


def test_maintenance_comes_after_token_checks_and_before_the_quota(
    app: WolkvoxApp, http: httpx.Client
) -> None:
    app.fake.add_maintenance()
    app.fake.operation(SERVER).tokens[TOKEN].limit = 0
    assert post(http, {}).status_code == 401
    assert post(http, {"wolkvox-token": "unknown"}).json()["msg"] == "PLEASE VALIDATE TOKEN"
    assert post(http).json() == MAINTENANCE  # not TOKEN LIMIT EXCEEDED
    app.fake.clear_maintenance()
    assert post(http).json()["msg"] == "TOKEN LIMIT EXCEEDED"


def test_window_for_another_server_leaves_this_one_alone(app: WolkvoxApp, http: httpx.Client) -> None:
    app.fake.add_operation("0002")
    app.fake.add_maintenance("0002")
    assert post(http).status_code == 201
    assert app.fake.in_maintenance("0002") and not app.fake.in_maintenance(SERVER)


def test_daily_window_follows_the_operation_time_zone(app: WolkvoxApp, http: httpx.Client) -> None:
    app.fake.add_maintenance(daily="02:00-03:00")
    app.fake.freeze(NIGHT)
    assert post(http).json() == MAINTENANCE
    app.fake.advance(hours=1)  # 03:30 in Bogota
    assert post(http).status_code == 201
    app.fake.operation(SERVER).timezone = "UTC"  # 08:30 UTC: outside
    assert post(http).status_code == 201


def test_timed_window_closes_on_the_fake_clock(app: WolkvoxApp, http: httpx.Client) -> None:
    app.fake.freeze(NIGHT)
    app.fake.add_maintenance(seconds=600)
    assert post(http).status_code == 403
    app.fake.advance(seconds=600)
    assert post(http).status_code == 201


def test_window_message_can_be_set_per_window_or_in_settings(app: WolkvoxApp, http: httpx.Client) -> None:
    app.fake.settings.maintenance_message = "BACKUP IN PROGRESS"
    app.fake.add_maintenance()
    assert post(http).json()["msg"] == "BACKUP IN PROGRESS"
    app.fake.add_maintenance(message="OTHER TEXT")
    assert post(http).json()["msg"] == "OTHER TEXT"  # the newest window answers


def test_reset_closes_windows(app: WolkvoxApp, http: httpx.Client) -> None:
    app.fake.add_maintenance()
    app.fake.reset()
    assert post(http).status_code == 201


@pytest.mark.parametrize(
    ("local", "inside"),
    [(time(23, 0), False), (time(23, 30), True), (time(0, 10), True), (time(0, 30), False)],
)
def test_daily_window_may_cross_midnight(local: time, inside: bool) -> None:
    schedule = MaintenanceSchedule()
    schedule.add(NIGHT, daily=("23:30", "00:30"))
    now = datetime.combine(NIGHT.date(), local, tzinfo=UTC)
    assert (schedule.active("0001", now, "UTC") is not None) is inside


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"daily": "2am-3am"}, "HH:MM"),
        ({"daily": "02:00"}, "start-end"),
        ({"daily": "02:00-02:00"}, "different"),
        ({"daily": "02:00-03:00", "seconds": 5}, "no start, end or seconds"),
        ({"seconds": 0}, "positive"),
        ({"seconds": 5, "end": "2027-01-01T00:00:00"}, "either end or seconds"),
        ({"start": "2026-11-27T03:00:00", "end": "2026-11-27T02:00:00"}, "ends before"),
        ({"start": "yesterday"}, "ISO 8601"),
    ],
)
def test_bad_windows_say_how_to_fix_them(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(WindowError, match=message):
        MaintenanceSchedule().add(NIGHT, **kwargs)  # type: ignore[arg-type]


def test_window_for_an_unknown_server_lists_the_known_ones(app: WolkvoxApp) -> None:
    with pytest.raises(WindowError, match="known server codes: 0001"):
        app.fake.add_maintenance("9999")


def test_parse_daily_accepts_text_and_pairs() -> None:
    assert parse_daily("02:00-03:15") == parse_daily(("02:00", time(3, 15))) == (time(2), time(3, 15))
