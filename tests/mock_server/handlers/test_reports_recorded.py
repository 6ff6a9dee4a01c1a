"""What the fake records itself (agentbox calls and sessions, campaign dials) appears in
reports_manager.php within the date range, and nowhere outside it (docs/reports.md)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from tests.conftest import SERVER
from tests.mock_server.handlers.live_support import T0, call, load, new_campaign, put_code, records
from wolkvox_mock import WolkvoxApp
from wolkvox_mock.state.campaigns import dial_outcome

TODAY = ("20261130000000", "20261130235959")  # T0 is 09:00 in Bogota on 2026-11-30
YESTERDAY = ("20261129000000", "20261129235959")


@pytest.fixture
def frozen(app: WolkvoxApp) -> WolkvoxApp:
    app.fake.freeze(T0)
    return app


def report(http: httpx.Client, api: str, dates: tuple[str, str] = TODAY, **selectors: str) -> Any:
    response = call(http, "reports_manager", api, date_ini=dates[0], date_end=dates[1], **selectors)
    assert response.status_code in (200, 404), response.text
    return response.json()["data"] if response.status_code == 200 else None


def login(app: WolkvoxApp, agent_id: str) -> None:
    """Log an agent in (no API does: Wolkvox agents log in from the Agent app)."""
    app.fake.login_agent(agent_id, server=SERVER)


def agent_day(app: WolkvoxApp, http: httpx.Client) -> str:
    """09:00 login; a 2-minute call, typed in 30 s of ACW; 5 minutes in Active breaks;
    logout at 09:10. The call's conn_id."""
    put_code(app, "VENTA")
    login(app, "1001")
    app.fake.advance(seconds=60)
    dialled = call(http, "agentbox", "dial", agent_id="1001", customer_phone="3001112233", customer_id="77")
    conn_id = str(dialled.json()["data"]["conn_id"])
    app.fake.advance(seconds=120)
    assert call(http, "agentbox", "hang", agent_id="1001").status_code == 200
    app.fake.advance(seconds=30)
    assert call(http, "agentbox", "type", agent_id="1001", cod_act="VENTA").status_code == 200
    assert call(http, "agentbox", "change_status", agent_id="1001", status="1").status_code == 200
    app.fake.advance(seconds=300)
    assert call(http, "agentbox", "change_status", agent_id="1001", status="ready").status_code == 200
    app.fake.advance(seconds=90)
    assert call(http, "agentbox", "change_status", agent_id="1001", status="logout").status_code == 200
    return conn_id


def test_an_agentbox_call_is_a_call_detail_row_of_its_day_only(
    frozen: WolkvoxApp, http: httpx.Client
) -> None:
    conn_id = agent_day(frozen, http)
    [row] = report(http, "cdr_1")
    assert (row["conn_id"], row["agent_id"], row["telephone"], row["customer_id"]) == (
        conn_id,
        "1001",
        "3001112233",
        "77",
    )
    assert (row["date"], row["time_seg"], row["type_interaction"]) == (
        "2026-11-30 09:01:00",
        "120",
        "outbound_ma",
    )
    assert (row["cod_act"], row["description_cod_act"]) == ("VENTA", "VENTA desc")
    assert report(http, "cdr_1", YESTERDAY) is None
    assert report(http, "cdr_1", ("20261130090200", "20261130235959")) is None  # started before


def test_the_agents_session_states_and_call_add_up_in_the_agent_reports(
    frozen: WolkvoxApp, http: httpx.Client
) -> None:
    agent_day(frozen, http)
    [row] = report(http, "agent_1")
    assert (row["agent_id"], row["calls"], row["outbound"], row["inbound"]) == ("1001", "1", "1", "0")
    assert (row["login"], row["logout"]) == ("2026-11-30 09:00:00", "2026-11-30 09:10:00")
    assert (row["login_time"], row["outbound_time"], row["acw_time"], row["aux_time"]) == (
        "00:10:00",
        "00:02:00",
        "00:00:30",
        "00:05:00",
    )
    [aux] = report(http, "agent_3")
    assert (aux["agent_id"], aux["aux_state"]) == ("1001", "Active breaks")
    events = {(e["agent_status"], e["date_ini"], e["time"]) for e in report(http, "agent_2", agent_id="1001")}
    assert events == {
        ("READY", "2026-11-30 09:00:00", "00:00:00"),
        ("RING", "2026-11-30 09:01:00", "00:00:00"),
        ("TALK", "2026-11-30 09:01:00", "00:02:00"),
        ("ACW", "2026-11-30 09:03:00", "00:00:30"),
        ("Active breaks", "2026-11-30 09:03:30", "00:05:00"),
    }
    assert report(http, "agent_1", YESTERDAY) is None
    assert report(http, "agent_3", YESTERDAY) is None


def test_an_open_session_runs_up_to_now(frozen: WolkvoxApp, http: httpx.Client) -> None:
    login(frozen, "1002")
    frozen.fake.advance(minutes=45)
    [row] = report(http, "agent_1")
    assert (row["agent_id"], row["login_time"], row["calls"]) == ("1002", "00:45:00", "0")


def test_the_dialers_calls_are_campaign_results_and_the_unconnected_ones_call_records(
    frozen: WolkvoxApp, http: httpx.Client
) -> None:
    campaign_id = new_campaign(http)
    assert load(http, campaign_id, records(20)).status_code == 201
    assert call(http, "campaign", "start", campaign_id=campaign_id).status_code == 202
    frozen.fake.advance(seconds=12)  # speed 100: a call every 0.6 s, 20 calls
    rows = report(http, "campaign_3", campaign_id=campaign_id)
    outcomes = {f"c{n}": dial_outcome(campaign_id, f"c{n}", 1) for n in range(20)}
    assert [(r["customer_id"], r["result"]) for r in rows] == list(outcomes.items())
    assert {r["campaign_id"] for r in rows} == {campaign_id}
    assert rows[0]["telephone"] == "3000000000" and rows[0]["customer_name"] == "Cliente 0"
    assert len({r["conn_id"] for r in rows}) == 20
    by_result = {r["result"]: r["records"] for r in report(http, "campaign_1", campaign_id=campaign_id)}
    assert by_result == {o: str(list(outcomes.values()).count(o)) for o in set(outcomes.values())}
    unconnected = [
        c for c, o in outcomes.items() if o in ("no-answer", "busy", "congestion", "failed", "chanunavail")
    ]
    cdr_5 = report(http, "cdr_5") or []
    assert sorted(r["customer_id"] for r in cdr_5) == sorted(unconnected)
    assert report(http, "campaign_3", YESTERDAY, campaign_id=campaign_id) is None
    assert report(http, "campaign_3", campaign_id="99999") is None


def test_a_preview_record_called_by_its_agent_is_a_preview_dial_and_the_agents_call(
    frozen: WolkvoxApp, http: httpx.Client
) -> None:
    campaign_id = new_campaign(http, "preview")
    record = {"customer_id": "p1", "customer_name": "Paula", "tel1": "3005550000", "agent_id": "1002"}
    assert load(http, campaign_id, [record], kind="preview").status_code == 201
    assert call(http, "campaign", "start", campaign_id=campaign_id).status_code == 202
    login(frozen, "1002")
    dialled = call(http, "agentbox", "dial", agent_id="1002", customer_phone="3005550000", customer_id="p1")
    conn_id = dialled.json()["data"]["conn_id"]
    frozen.fake.advance(seconds=40)
    assert call(http, "agentbox", "hang", agent_id="1002").status_code == 200
    [preview] = report(http, "agent_15")
    assert (preview["id_call"], preview["id_agent"], preview["talk"]) == (conn_id, "1002", "00:00:40")
    [dial] = report(http, "campaign_3", campaign_id=campaign_id)
    assert (dial["conn_id"], dial["customer_name"], dial["result"]) == (conn_id, "Paula", "answer")
    [detail] = report(http, "cdr_1")
    assert (detail["conn_id"], detail["campaign_id"], detail["time_seg"]) == (conn_id, campaign_id, "40")


def test_recorded_calls_join_the_generated_history_in_time_order(app: WolkvoxApp, http: httpx.Client) -> None:
    with app.fake.lock:
        op = app.fake.operation(SERVER)
        op.collections["history"] = {"seed": "mixed", "days": 1, "end": "2026-11-30", "calls_per_day": 300}
    app.fake.freeze(T0)
    conn_id = agent_day(app, http)
    rows = report(http, "cdr_1")
    assert conn_id in [r["conn_id"] for r in rows] and len(rows) > 1
    assert [r["date"] for r in rows] == sorted(r["date"] for r in rows)
    [mine] = [r for r in report(http, "agent_1") if r["agent_id"] == "1001"]
    assert int(mine["calls"]) > 1  # the generated day's calls and the recorded one


def test_the_recorded_activity_survives_an_export_and_import(frozen: WolkvoxApp, http: httpx.Client) -> None:
    conn_id = agent_day(frozen, http)
    before = report(http, "agent_1"), report(http, "cdr_1")
    frozen.fake.restore(json.loads(json.dumps(frozen.fake.export())))
    assert (report(http, "agent_1"), report(http, "cdr_1")) == before
    assert before[1][0]["conn_id"] == conn_id


def test_recorded_activity_falls_on_the_operations_day_and_a_session_over_midnight_on_both(
    app: WolkvoxApp, http: httpx.Client
) -> None:
    app.fake.freeze(datetime(2026, 12, 1, 4, 30, tzinfo=UTC))  # 23:30 on 2026-11-30 in Bogota
    login(app, "1001")
    dialled = call(http, "agentbox", "dial", agent_id="1001", customer_phone="3001112233")
    app.fake.advance(minutes=60)  # 00:30 on 2026-12-01 in Bogota
    assert call(http, "agentbox", "hang", agent_id="1001").status_code == 200
    [row] = report(http, "cdr_1")
    assert (row["conn_id"], row["date"], row["time_seg"]) == (
        dialled.json()["data"]["conn_id"],
        "2026-11-30 23:30:00",
        "3600",
    )
    assert report(http, "cdr_1", ("20261201000000", "20261201235959")) is None
    [first] = report(http, "agent_1")
    [second] = report(http, "agent_1", ("20261201000000", "20261201235959"))
    assert (first["login"], first["logout"], first["login_time"]) == (
        "2026-11-30 23:30:00",
        "2026-11-30 23:59:59",
        "00:29:59",
    )
    assert (second["login"], second["logout"], second["login_time"]) == (
        "2026-12-01 00:00:00",
        "2026-12-01 00:30:00",
        "00:30:00",
    )


def test_a_recalled_record_has_one_row_per_attempt_and_only_the_last_is_final(
    frozen: WolkvoxApp, http: httpx.Client
) -> None:
    campaign_id = new_campaign(http)
    assert load(http, campaign_id, records(1)).status_code == 201
    assert call(http, "campaign", "start", campaign_id=campaign_id).status_code == 202
    frozen.fake.advance(seconds=1)
    login(frozen, "1001")
    recall = {
        "id_camp": campaign_id,
        "id_customer": "c0",
        "telefono": "3009999999",
        "rellamada": "20261130091000",
    }
    assert call(http, "agentbox", "recall", agent_id="1001", **recall).status_code == 200
    assert report(http, "campaign_1", campaign_id=campaign_id) is None  # a recall is pending: nothing final
    frozen.fake.advance(minutes=15)
    rows = report(http, "campaign_3", campaign_id=campaign_id)
    assert [(r["customer_id"], r["telephone"], r["result"]) for r in rows] == [
        ("c0", "3000000000", dial_outcome(campaign_id, "c0", 1)),
        ("c0", "3009999999", dial_outcome(campaign_id, "c0", 2)),
    ]
    [final] = report(http, "campaign_1", campaign_id=campaign_id)
    assert (final["result"], final["records"]) == (dial_outcome(campaign_id, "c0", 2), "1")


def test_a_seeded_session_or_call_with_unreadable_times_is_left_out_not_a_5xx(
    frozen: WolkvoxApp, http: httpx.Client
) -> None:
    agent_day(frozen, http)
    with frozen.fake.lock:
        book = frozen.fake.operation(SERVER).sessions
        book.ended[0].stretches.append(["acw", "", "yesterday", "today"])
        book.log[0].date = "not a date"
        book.login("1002", T0).login = "09:00"  # a seed may say anything
    assert report(http, "cdr_1") is None
    [row] = report(http, "agent_1")
    assert row["agent_id"] == "1001"


def test_a_call_transferred_to_another_agent_is_the_first_agents_transfer(
    frozen: WolkvoxApp, http: httpx.Client
) -> None:
    login(frozen, "1001")
    login(frozen, "1002")
    conn_id = call(http, "agentbox", "dial", agent_id="1001", customer_phone="3001112233").json()["data"][
        "conn_id"
    ]
    frozen.fake.advance(seconds=30)
    assert call(http, "agentbox", "transfer", agent_id="1001", customer_phone="1002").status_code == 200
    frozen.fake.advance(seconds=60)
    assert call(http, "agentbox", "hang", agent_id="1002").status_code == 200
    [row] = report(http, "cdr_1")
    assert (row["conn_id"], row["agent_id"], row["type_interaction"], row["time_seg"]) == (
        conn_id,
        "1001",
        "transfer",
        "90",
    )
    [transfers] = report(http, "agent_12")
    assert (transfers["agent_id"], transfers["transfer_calls"], transfers["total_time"]) == (
        "1001",
        "1",
        "00:01:30",
    )
