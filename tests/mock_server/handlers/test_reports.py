"""reports_manager.php: every report of the catalogue, its fields, its parameters, the range
limit and the empty 404 (docs/reports.md)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.conftest import ADD_INTERACTION, SERVER, TOKEN, VALID_INTERACTION
from wolkvox_mock import WolkvoxApp, create_app, demo_state
from wolkvox_mock.contracts.catalogue import OperationSpec, load_catalogue
from wolkvox_mock.contracts.client.asgi import SyncASGITransport
from wolkvox_mock.handlers import reports
from wolkvox_mock.handlers.reports import REPORTS
from wolkvox_mock.state.models import State

AUTH = {"wolkvox-token": TOKEN}
PATH = "/api/v2/reports_manager.php"
DAY = ("20261102000000", "20261102235959")  # a Monday with history
EMPTY = ("20200102000000", "20200102235959")  # long before the history starts
NOW = datetime(2026, 11, 29, 17, 0, tzinfo=UTC)
SELECTORS = {"agent_id": "1001", "skill_id": "all", "campaign_id": "all", "cod_act": "cod_act1"}
FOLDERS = {
    "agent": 18,
    "skill": 13,
    "cdr": 11,
    "act": 5,
    "diagram": 18,
    "quality": 5,
    "campaign": 10,
    "chat": 16,
    "speech": 5,
    "wizard": 3,
}


def spec(api: str) -> OperationSpec:
    found = load_catalogue().operation("reports_manager", api)
    assert found is not None and found.report is not None
    return found


def history_state(seed: str = "reports-test", calls: int = 400) -> State:
    state = demo_state(SERVER, TOKEN)
    op = state.operations[SERVER]
    op.collections["history"] = {"seed": seed, "days": 45, "end": "2026-11-28", "calls_per_day": calls}
    # What configuration.php records is reported too: a Law 2300 release and a speech request.
    op.collections["law2300_releases"] = [
        {
            "nit": "900123",
            "item": "tel_number",
            "value": "3001234567",
            "agent_id": "1001",
            "time": "2026-11-02T15:00:00+00:00",
            "released": ["3001234567"],
        },
    ]
    op.collections["speech_on_demand"] = [
        {
            "conn_id": "1.2",
            "agent_id": "1001",
            "date_ini": "",
            "date_end": "",
            "time": "2026-11-02T16:00:00+00:00",
        }
    ]
    return state


def make_app(state: State) -> WolkvoxApp:
    app = create_app(state)
    app.fake.clock.freeze(NOW)
    return app


@pytest.fixture(scope="module")
def reports_app() -> WolkvoxApp:
    return make_app(history_state())


@pytest.fixture(scope="module")
def rhttp(reports_app: WolkvoxApp) -> Iterator[httpx.Client]:
    with httpx.Client(
        transport=SyncASGITransport(reports_app), base_url=f"https://wv{SERVER}.wolkvox.com"
    ) as client:
        yield client


def params(api: str, dates: tuple[str, str] = DAY, **extra: str) -> dict[str, str]:
    found: dict[str, str] = {"api": api, "date_ini": dates[0], "date_end": dates[1]}
    for field in spec(api).query:
        if field.required and field.name in SELECTORS:
            found[field.name] = SELECTORS[field.name]
    found.update(extra)
    return found


def get(http: httpx.Client, api: str, dates: tuple[str, str] = DAY, **extra: str) -> httpx.Response:
    return http.get(PATH, params=params(api, dates, **extra), headers=AUTH)


def test_the_catalogue_holds_the_104_documented_reports_by_sub_folder() -> None:
    folders: dict[str, int] = {}
    for api in REPORTS:
        report = spec(api).report
        assert report is not None
        folders[report.folder] = folders.get(report.folder, 0) + 1
    assert folders == FOLDERS
    assert len(REPORTS) == 104


def _check_row(row: dict[str, Any], fields: tuple[str, ...], nested: dict[str, tuple[str, ...]]) -> None:
    assert tuple(row) == fields
    for name, value in row.items():
        if name in nested:
            assert isinstance(value, list) and value
            for sub in value:
                _check_row(sub, nested[name], {})
        else:
            assert isinstance(value, str), (name, value)


@pytest.mark.parametrize("api", REPORTS)
def test_every_report_answers_exactly_its_documented_fields(rhttp: httpx.Client, api: str) -> None:
    op = spec(api)
    assert op.report is not None
    response = get(rhttp, api)
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"code", "error", "msg", "data"}
    assert body["code"] == op.success.code and body["error"] is None
    if op.report.shape == "buckets":
        assert set(body["data"]) == {"0_5_seg", "6_20_seg", "21_60_seg", "61_120_seg", "greater_than_121"}
        for bucket in body["data"].values():
            _check_row(bucket, op.report.fields, {})
        return
    rows = body["data"]
    assert isinstance(rows, list) and rows
    if "{count}" in op.success.msg:
        assert body["msg"] == f"{len(rows)} records were found"
    nested = {name: n.fields for name, n in op.report.nested.items()}
    for row in rows:
        _check_row(row, op.report.fields, nested)


@pytest.mark.parametrize("api", REPORTS)
def test_every_report_answers_404_validate_dates_when_nothing_happened(rhttp: httpx.Client, api: str) -> None:
    response = get(rhttp, api, EMPTY)
    assert response.status_code == 404
    assert response.json() == {"code": 404, "error": "NOT FOUND", "msg": "Validate dates entered"}


@pytest.mark.parametrize("api", REPORTS)
def test_every_report_refuses_a_range_longer_than_its_limit(rhttp: httpx.Client, api: str) -> None:
    report = spec(api).report
    assert report is not None
    days = report.max_days
    start = datetime(2026, 10, 1)
    limit = (start + timedelta(days=days)).strftime("%Y%m%d%H%M%S")
    too_long = ("20261001000000", (start + timedelta(days=days, seconds=1)).strftime("%Y%m%d%H%M%S"))
    response = get(rhttp, api, too_long)
    assert response.status_code == 400
    assert response.json()["msg"] == f"Validate dates entered: the range exceeds {days} days"
    just_right = ("20261001000000", limit)
    assert get(rhttp, api, just_right).status_code in (200, 404)


@pytest.mark.parametrize("api", REPORTS)
def test_every_report_requires_its_documented_parameters(rhttp: httpx.Client, api: str) -> None:
    for field in spec(api).query:
        if not field.required:
            continue
        query = params(api)
        del query[field.name]
        response = rhttp.get(PATH, params=query, headers=AUTH)
        assert response.status_code == 400, field.name
        assert response.json()["msg"] == "SOME PARAMETERS ARE REQUIRED"


@pytest.mark.parametrize(
    ("dates", "problem"),
    [
        (("2026-11-02", "20261102235959"), "date_ini is not YYYYmmddHHiiss"),
        (("20261102000000", "202611022359"), "date_end is not YYYYmmddHHiiss"),
        (("20261302000000", "20261102235959"), "date_ini is not a valid date"),
        (("20261102235959", "20261102000000"), "date_end is before date_ini"),
    ],
)
def test_malformed_or_reversed_dates_are_refused(
    rhttp: httpx.Client, dates: tuple[str, str], problem: str
) -> None:
    response = get(rhttp, "cdr_1", dates)
    assert response.status_code == 400
    assert response.json() == {
        "code": 400,
        "error": "BAD REQUEST",
        "msg": f"Validate dates entered: {problem}",
    }


def test_skill_5_takes_one_day_at_most(rhttp: httpx.Client) -> None:
    assert get(rhttp, "skill_5", ("20261102000000", "20261103000000")).status_code == 200
    assert get(rhttp, "skill_5", ("20261102000000", "20261103000001")).status_code == 400


def test_selectors_restrict_the_rows(rhttp: httpx.Client) -> None:
    one = get(rhttp, "agent_1", agent_id="1002").json()["data"]
    assert [row["agent_id"] for row in one] == ["1002"]
    assert get(rhttp, "agent_2", agent_id="9999").status_code == 404
    assert get(rhttp, "skill_1", skill_id="77").status_code == 404
    assert get(rhttp, "skill_1", skill_id="1").json()["data"][0]["skill_id"] == "1"
    assert get(rhttp, "act_1", cod_act="cod_act3").status_code == 400
    assert get(rhttp, "skill_1", skill_id="uno").status_code == 400


def test_values_are_shown_as_wolkvox_shows_them(rhttp: httpx.Client) -> None:
    row = get(rhttp, "agent_1").json()["data"][0]
    assert re.fullmatch(r"[0-9]{1,3}\.[0-9]{2} %", row["occupancy"])
    for name in ("ready_time", "inbound_time", "login_time", "aht", "aux_time"):
        assert re.fullmatch(r"[0-9]{2,}:[0-5][0-9]:[0-5][0-9]", row[name]), name
    assert re.fullmatch(r"2026-11-02 [0-9]{2}:[0-9]{2}:[0-9]{2}", row["login"])
    hourly = get(rhttp, "agent_8").json()["data"][0]
    assert re.fullmatch(r"20261102", hourly["date"]) and re.fullmatch(r"[0-9]{2}:00", hourly["hour"])
    call = get(rhttp, "cdr_1").json()["data"][0]
    assert call["time_seg"].isdecimal() and float(call["time_min"]) == pytest.approx(
        int(call["time_seg"]) / 60, abs=0.01
    )


def test_today_holds_only_what_already_happened(rhttp: httpx.Client) -> None:
    # The clock is frozen at 12:00 in Bogota on 2026-11-29, past the history's last day.
    assert get(rhttp, "cdr_1", ("20261128000000", "20261128235959")).status_code == 200
    assert get(rhttp, "cdr_1", ("20261129000000", "20261129235959")).status_code == 404


def test_the_record_limit_cuts_detail_reports_at_the_first_rows_in_time(
    rhttp: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 60,000 in production (bench/reports.py measures it); 50 here, to stay fast.
    whole = get(rhttp, "cdr_1").json()["data"]
    assert reports.MAX_RECORDS == 60_000 and len(whole) > 50
    monkeypatch.setattr(reports, "MAX_RECORDS", 50)
    body = get(rhttp, "cdr_1").json()
    assert body["msg"] == "50 records were found" and body["data"] == whole[:50]


def test_interactions_the_fake_records_appear_in_the_reports(http: httpx.Client, app: WolkvoxApp) -> None:
    app.fake.clock.freeze(NOW)
    assert http.post(ADD_INTERACTION, json=VALID_INTERACTION, headers=AUTH).status_code == 201
    response = http.get(PATH, params=params("chat_4", ("20261129000000", "20261129235959")), headers=AUTH)
    assert response.status_code == 200
    (row,) = response.json()["data"]
    assert (row["subject"], row["from"], row["to"]) == (
        VALID_INTERACTION["subject"],
        VALID_INTERACTION["from"],
        VALID_INTERACTION["to"],
    )
    assert row["agent_name"] in {"Ana Demo", "Luis Demo"} and row["status"] == "open"


def test_skill_1_services_time_adds_its_service_level(rhttp: httpx.Client) -> None:
    row = get(rhttp, "skill_1", services_time="40").json()["data"][0]
    fields = list(spec("skill_1").report.fields)  # type: ignore[union-attr]
    assert list(row) == [*fields[:8], "service_level_40seg", *fields[8:]]
    level = {
        name: float(row[name].removesuffix(" %")) for name in ("service_level_30seg", "service_level_40seg")
    }
    assert level["service_level_40seg"] >= level["service_level_30seg"]
    assert get(rhttp, "skill_1", services_time="20").json()["data"][0]["service_level_0seg"] == "0.00 %"
    assert get(rhttp, "skill_1", services_time="x").status_code == 400


def test_chats_are_reported_when_they_closed(rhttp: httpx.Client) -> None:
    rows = get(rhttp, "chat_1").json()["data"]
    last = max(rows, key=lambda row: row["date"])
    closed = datetime.strptime(last["date"], "%Y-%m-%d %H:%M:%S")
    # One second before it closed, the chat (long open by then) is not in the report yet.
    before = (closed - timedelta(seconds=1)).strftime("%Y%m%d%H%M%S")
    earlier = get(rhttp, "chat_1", (DAY[0], before)).json()["data"]
    assert last["conn_id"] not in {row["conn_id"] for row in earlier}
    assert last["chat_duration"] > "00:00:00"


def test_dates_are_read_and_shown_in_the_operations_time_zone(http: httpx.Client, app: WolkvoxApp) -> None:
    # 03:00 UTC on the 29th is 22:00 on the 28th in Bogota (UTC-5), the operation's zone.
    app.fake.clock.freeze(datetime(2026, 11, 29, 3, 0, tzinfo=UTC))
    assert http.post(ADD_INTERACTION, json=VALID_INTERACTION, headers=AUTH).status_code == 201
    on_the_28th = http.get(PATH, params=params("chat_4", ("20261128000000", "20261128235959")), headers=AUTH)
    (row,) = on_the_28th.json()["data"]
    assert row["date_creation"] == "2026-11-28 22:00:00"
    on_the_29th = http.get(PATH, params=params("chat_4", ("20261129000000", "20261129235959")), headers=AUTH)
    assert on_the_29th.status_code == 404


def test_an_operation_may_lower_the_record_limit_for_tests(rhttp: httpx.Client) -> None:
    whole = get(rhttp, "cdr_1").json()["data"]
    state = history_state()
    state.operations[SERVER].collections["history"]["max_records"] = 25
    with httpx.Client(
        transport=SyncASGITransport(make_app(state)), base_url=f"https://wv{SERVER}.wolkvox.com"
    ) as low:
        body = get(low, "cdr_1").json()
        assert body["msg"] == "25 records were found" and body["data"] == whole[:25]
        assert len(get(low, "agent_8_1").json()["data"]) == 25  # grouped rows too
