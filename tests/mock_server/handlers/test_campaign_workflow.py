"""Campaigns and agents end to end, over the API: loading, limits, the dialer following the
fake's clock, what real_time and detail show, recalls, and an agent driven by agentbox."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from tests.conftest import SERVER, TOKEN
from tests.mock_server.handlers.live_support import T0, call, load, new_campaign, put_code, records
from wolkvox_mock import WolkvoxApp
from wolkvox_mock.state.campaigns import dial_outcome


@pytest.fixture
def frozen(app: WolkvoxApp) -> WolkvoxApp:
    app.fake.freeze(T0)
    return app


def _live(http: httpx.Client, campaign_id: str) -> dict[str, str]:
    response = call(http, "real_time", "campaigns")
    assert response.status_code == 200
    [row] = [r for r in response.json() if r["campaign"].startswith(f"{campaign_id} ")]
    return row


def _detail(http: httpx.Client, campaign_id: str, detail: str = "default") -> httpx.Response:
    return call(
        http,
        "campaign",
        "detail",
        type_campaign="predictive",
        campaign_id=campaign_id,
        date_ini="20261130000000",
        date_end="20261130235959",
        detail=detail,
    )


def test_25000_records_in_three_batches_are_dialled_as_the_clock_moves(
    frozen: WolkvoxApp, http: httpx.Client
) -> None:
    campaign_id = new_campaign(http)
    for start, count in ((0, 10_000), (10_000, 10_000), (20_000, 5_000)):
        response = load(http, campaign_id, records(count, start=start))
        assert response.status_code == 201
        assert response.json()["data"] == [{"total_registers": str(count)}]
    assert call(http, "campaign", "start", campaign_id=campaign_id).status_code == 202
    row = _live(http, campaign_id)
    assert (row["records"], row["clean"], row["dial"], row["status"]) == ("25000", "25000", "0", "started")

    frozen.fake.advance(minutes=10)  # speed 100: one call every 0.6 s
    row = _live(http, campaign_id)
    assert (row["records"], row["clean"], row["dial"]) == ("25000", "24000", "1000")
    assert row["penetration_now"] == "4.00 %" and row["calls_x_min"] == "100"
    outcomes = [dial_outcome(campaign_id, f"c{n}", 1) for n in range(1000)]
    assert row["answer"] == str(outcomes.count("answer"))
    assert row["no_answer"] == str(outcomes.count("no-answer"))
    busy = sum(outcomes.count(o) for o in ("busy", "congestion", "failed"))
    assert row["busy/congestion/failed"] == str(busy)

    detail = _detail(http, campaign_id).json()
    assert detail["msg"] == "1000 records were found"
    first = detail["data"][0]
    assert (first["customer_id"], first["calls"], first["date"]) == ("c0", "1", "2026-11-30 09:00:00")
    assert first["result"] == outcomes[0].upper().replace("-", " ") and first["conn_id"]

    assert call(http, "campaign", "stop", campaign_id=campaign_id).status_code == 202
    frozen.fake.advance(hours=1)
    assert _live(http, campaign_id)["dial"] == "1000"


def test_the_campaign_does_not_move_while_the_clock_stands_still(
    frozen: WolkvoxApp, http: httpx.Client
) -> None:
    campaign_id = new_campaign(http)
    load(http, campaign_id, records(50))
    call(http, "campaign", "start", campaign_id=campaign_id)
    for _ in range(3):
        assert _live(http, campaign_id)["dial"] == "0"
    frozen.fake.advance(seconds=6)  # ten calls of 0.6 s
    assert _live(http, campaign_id)["dial"] == "10"
    assert frozen.fake.dial_now(campaign_id, 5, server=SERVER) == 5  # a test's say-so
    assert _live(http, campaign_id)["dial"] == "15"


def test_speed_sets_the_calls_per_minute(frozen: WolkvoxApp, http: httpx.Client) -> None:
    campaign_id = new_campaign(http)
    load(http, campaign_id, records(100))
    call(http, "campaign", "start", campaign_id=campaign_id)
    assert call(http, "campaign", "speed", {"speed": "10"}, campaign_id=campaign_id).status_code == 202
    frozen.fake.advance(minutes=2)
    row = _live(http, campaign_id)
    assert (row["dial"], row["speed"]) == ("20", "10")
    call(http, "campaign", "speed", {"speed": "0"}, campaign_id=campaign_id)
    frozen.fake.advance(minutes=5)
    assert _live(http, campaign_id)["dial"] == "20"


def test_the_dialer_keeps_to_the_campaign_window(frozen: WolkvoxApp, http: httpx.Client) -> None:
    # T0 is 09:00 in Bogota; this campaign dials from 10:00 to 10:01.
    campaign_id = new_campaign(http, start_time="100000", end_time="100059")
    load(http, campaign_id, records(500))
    call(http, "campaign", "start", campaign_id=campaign_id)
    frozen.fake.advance(minutes=59)
    assert _live(http, campaign_id)["dial"] == "0"
    frozen.fake.advance(hours=3)
    assert _live(http, campaign_id)["dial"] == "100"  # one minute of the window, 100 per minute
    frozen.fake.advance(days=1)
    assert _live(http, campaign_id)["dial"] == "200"


def test_a_full_campaign_answers_404_naming_licenses_and_50000(
    frozen: WolkvoxApp, http: httpx.Client
) -> None:
    frozen.fake.operation(SERVER).licenses = 2
    campaign_id = new_campaign(http)
    for batch in range(5):
        assert load(http, campaign_id, records(10_000, start=batch * 10_000)).status_code == 201
    response = load(http, campaign_id, records(1, start=50_000))
    assert response.status_code == 404
    body = response.json()
    assert body["error"] == "NOT FOUND" and "licenses" in body["msg"] and "50000" in body["msg"]
    assert _live(http, campaign_id)["records"] == "50000"


def test_capacity_is_7000_records_per_license_on_a_shared_server(
    frozen: WolkvoxApp, http: httpx.Client
) -> None:
    frozen.fake.operation(SERVER).licenses = 3
    campaign_id = new_campaign(http)
    assert load(http, campaign_id, records(10_000)).status_code == 201
    assert load(http, campaign_id, records(10_000, start=10_000)).status_code == 201
    refused = load(http, campaign_id, records(1_001, start=20_000))
    assert refused.status_code == 404 and "21000" in refused.json()["msg"]
    assert load(http, campaign_id, records(1_000, start=20_000)).status_code == 201


def test_more_than_10000_records_in_one_call_are_refused_and_none_added(
    frozen: WolkvoxApp, http: httpx.Client
) -> None:
    campaign_id = new_campaign(http)
    response = load(http, campaign_id, records(10_001))
    assert response.status_code == 406
    assert "10000" in response.json()["msg"] and "10001" in response.json()["msg"]
    assert _live(http, campaign_id)["records"] == "0"


def test_only_so_many_predictive_campaigns_run_at_once(frozen: WolkvoxApp, http: httpx.Client) -> None:
    # 10 licenses on a shared server: round(10 / 7 + 2) = 3.
    ids = [new_campaign(http, name=f"c{n}") for n in range(4)]
    for campaign_id in ids[:3]:
        assert call(http, "campaign", "start", campaign_id=campaign_id).status_code == 202
    refused = call(http, "campaign", "start", campaign_id=ids[3])
    assert (refused.status_code, refused.json()["msg"]) == (
        406,
        "3 PREDICTIVE CAMPAIGNS ARE ALREADY RUNNING, THE MOST THIS OPERATION ALLOWS",
    )
    call(http, "campaign", "stop", campaign_id=ids[0])
    assert call(http, "campaign", "start", campaign_id=ids[3]).status_code == 202


def test_add_record_with_campaign_status_start_starts_it(frozen: WolkvoxApp, http: httpx.Client) -> None:
    campaign_id = new_campaign(http)
    response = call(
        http,
        "campaign",
        "add_record",
        records(5),
        type_campaign="predictive",
        campaign_id=campaign_id,
        campaign_status="start",
    )
    assert response.status_code == 201
    assert _live(http, campaign_id)["status"] == "started"


def test_a_recall_is_dialled_when_due_and_shows_until_then(frozen: WolkvoxApp, http: httpx.Client) -> None:
    campaign_id = new_campaign(http)
    load(http, campaign_id, records(2))
    body = {"recall_date": "20261130093000", "recall_telephone": "3109998877", "customer_id": "c1"}
    response = call(http, "campaign", "recall", body, campaign_id=campaign_id)
    assert (
        response.json()["msg"]
        == "customer_id c1 has been updated and will be call back on 20261130093000 to phone 3109998877"
    )
    call(http, "campaign", "start", campaign_id=campaign_id)
    frozen.fake.advance(minutes=10)
    [pending] = call(http, "real_time", "recall", type="auto").json()["data"]
    assert pending == {
        "type_recall": "auto",
        "date_recall": "2026-11-30 09:30:00",
        "phone_number": "3109998877",
        "id_campaing": campaign_id,
        "id_agent": "",
    }
    assert _live(http, campaign_id)["dial"] == "1"  # c0 only
    frozen.fake.advance(minutes=25)
    assert call(http, "real_time", "recall", type="all").json()["data"] == []
    found = call(http, "campaign", "find_record", customer_id="c1").json()["data"][0]
    assert (found["calls"], found["date"]) == ("1", "2026-11-30 09:30:00")
    export = call(http, "campaign", "campaign_15", campaign_id=campaign_id).json()
    [c1] = [r for r in export["records"] if r["id_cliente"] == "c1"]
    assert c1["last_dial_tele"] == "3109998877" and c1["rellamada_count"] == "1"


def test_codify_stops_the_dialer_and_recall_records_brings_records_back(
    frozen: WolkvoxApp, http: httpx.Client
) -> None:
    put_code(frozen)
    campaign_id = new_campaign(http)
    load(http, campaign_id, records(3))
    assert (
        call(
            http,
            "campaign",
            "codify",
            {"cod_act": "VENTA", "customer_id": "c0"},
            type_campaign="predictive",
            campaign_id=campaign_id,
        ).status_code
        == 202
    )
    call(http, "campaign", "start", campaign_id=campaign_id)
    frozen.fake.advance(minutes=1)
    row = _live(http, campaign_id)
    assert (row["dial"], row["clean"], row["hits"]) == ("2", "0", "1")
    value = dial_outcome(campaign_id, "c1", 1).upper()
    again = call(
        http, "campaign", "recall_records", {"field": "Cod_Machine", "value": value}, campaign_id=campaign_id
    )
    assert again.json()["data"][0]["affected_records"] == str(
        sum(dial_outcome(campaign_id, f"c{n}", 1).upper() == value for n in (1, 2))
    )
    assert _live(http, campaign_id)["recycled"] == again.json()["data"][0]["affected_records"]
    coded = call(
        http, "campaign", "recall_records", {"field": "cod_rslt1", "value": "VENTA"}, campaign_id=campaign_id
    )
    assert coded.json()["msg"] == "1 record(s) have been marked for recall successfully"


def test_the_campaign_dnc_list_keeps_the_dialer_off_a_number(frozen: WolkvoxApp, http: httpx.Client) -> None:
    campaign_id = new_campaign(http)
    load(http, campaign_id, records(2))
    added = call(
        http, "campaign", "add_dnc", [{"telephone": "3000000001", "days_block": "0"}, {"telephone": "x"}]
    )
    assert added.json()["data"] == [{"total_added": "1", "total_rejected": "1", "total_sent": "2"}]
    frozen.fake.dial_now(campaign_id, 2, server=SERVER)
    found = call(http, "campaign", "find_record", customer_id="c1").json()["data"][0]
    assert (found["result"], found["calls"], found["conn_id"]) == ("DO NOT CALL", "0", "")
    assert _detail(http, campaign_id).json()["msg"] == "1 records were found"
    assert _detail(http, campaign_id, "all").json()["msg"] == "2 records were found"


def test_clear_and_remove_delete_records(frozen: WolkvoxApp, http: httpx.Client) -> None:
    campaign_id = new_campaign(http)
    load(http, campaign_id, records(4))
    frozen.fake.dial_now(campaign_id, 2, server=SERVER)
    query = {"type_campaign": "predictive", "campaign_id": campaign_id}
    assert call(http, "campaign", "clear_campaign", result="clean", **query).status_code == 202
    assert _live(http, campaign_id)["records"] == "2"
    assert call(http, "campaign", "remove_record", {"customer_id": "c0"}, **query).status_code == 202
    assert _live(http, campaign_id)["records"] == "1"
    call(http, "campaign", "clear_campaign", **query)
    assert _live(http, campaign_id)["records"] == "0"


def test_a_filter_limits_what_the_dialer_calls(frozen: WolkvoxApp, http: httpx.Client) -> None:
    campaign_id = new_campaign(http)
    load(http, campaign_id, records(10))
    rule = {"field": "tel1", "operator": ">=", "value": "3000000008"}
    response = call(
        http,
        "campaign",
        "campaign_filter",
        {"filter_active": "yes", "filters": [rule]},
        type_campaign="predictive",
        campaign_id=campaign_id,
    )
    assert response.json()["data"] == {
        "total_records": "10",
        "pending_records": "2",
        "applied_filter": "tel1 >= '3000000008'",
    }
    frozen.fake.dial_now(campaign_id, 10, server=SERVER)
    assert _live(http, campaign_id)["dial"] == "2"


def test_edit_then_delete_a_campaign(frozen: WolkvoxApp, http: httpx.Client) -> None:
    campaign_id = new_campaign(http)
    edited = call(
        http,
        "campaign",
        "edit_campaign",
        {
            "campaign_name": "Cobranza",
            "start_time": "08:00:00",
            "end_time": "18:00:00",
            "optional_labels": {"opt1": "Deuda"},
        },
        campaign_id=campaign_id,
    )
    row = edited.json()["data"][0]
    assert (row["campaign_name"], row["start_time"], row["end_time"], row["optional_labels"]) == (
        "Cobranza",
        "08:00:00",
        "18:00:00",
        {"opt1": "Deuda"},
    )
    deleted = call(http, "campaign", "delete_campaign", {"campaign_ids": [campaign_id, "4"]})
    assert deleted.json()["msg"] == "1 campaigns deleted successfully. 1 operations failed."
    assert call(http, "real_time", "campaigns").json() == []


def test_an_agent_logged_in_and_driven_by_agentbox_shows_in_real_time_and_costs_no_quota(
    frozen: WolkvoxApp, http: httpx.Client
) -> None:
    put_code(frozen, "VENTA", hit="yes")
    frozen.fake.login_agent("1001", ip="10.1.1.5", server=SERVER)
    used = frozen.fake.token_usage(TOKEN)

    dialled = call(http, "agentbox", "dial", agent_id="1001", customer_phone="3001112233", customer_id="77")
    assert dialled.json() == {
        "code": "200",
        "error": None,
        "msg": "Dial has been successful",
        "data": {"conn_id": "1"},
    }
    frozen.fake.advance(seconds=90)
    assert call(http, "agentbox", "hold", agent_id="1001").json()["msg"] == "Hold agentbox has been excecuted"
    assert call(http, "agentbox", "hang", agent_id="1001").status_code == 200
    frozen.fake.advance(seconds=30)
    assert frozen.fake.token_usage(TOKEN) == used  # agentbox is free (documented)

    [agent] = call(http, "real_time", "agents").json()["data"]
    assert (agent["agent_id"], agent["agent_name"], agent["agent_status"]) == ("1001", "Ana Demo", "ACW")
    assert (agent["calls"], agent["outbound"], agent["outbound_time"], agent["time_state_now"]) == (
        "1",
        "1",
        "90",
        "30",
    )
    assert agent["ocupation"] == "100.00 %"
    [the_call] = call(http, "real_time", "calls_last_10").json()["data"]
    assert the_call == {
        "type_interaction": "outbound_ma",
        "result": "answer",
        "date": "2026-11-30 09:00:00",
        "telephone": "3001112233",
        "customer_id": "77",
        "conn_id": "1",
    }
    typed = call(http, "agentbox", "type", agent_id="1001", cod_act="VENTA")
    assert typed.json()["data"] == {"conn_id": "1"}
    assert call(http, "real_time", "agents").json()["data"][0]["agent_status"] == "Ready"
    assert call(http, "real_time", "hits_last_hour").json()["data"][0]["hit"] == "yes"
    [latency] = call(http, "real_time", "latency").json()["data"]
    assert latency["by_agent"][0]["agent_id"] == "1001-Ana Demo" and latency["by_ip"][0]["ip"] == "10.1.1.5"
    assert frozen.fake.token_usage(TOKEN) == used + 5

    assert call(http, "agentbox", "change_status", agent_id="1001", status="1").json()["msg"] == (
        "Agent status has been modified to Active breaks"
    )
    assert call(http, "real_time", "agents").json()["data"][0]["agent_status"] == "Active breaks"
    assert call(http, "agentbox", "change_status", agent_id="1001", status="logout").status_code == 200
    assert call(http, "real_time", "agents").json()["data"] == []
    assert call(http, "agentbox", "dial", agent_id="1001", customer_phone="1").status_code == 404


def test_a_call_in_progress_blocks_a_second_dial_and_a_state_change(
    frozen: WolkvoxApp, http: httpx.Client
) -> None:
    frozen.fake.login_agent("1001", server=SERVER)
    call(http, "agentbox", "dial", agent_id="1001", customer_phone="3001")
    second = call(http, "agentbox", "dial", agent_id="1001", customer_phone="3002")
    assert (second.status_code, second.json()["msg"]) == (406, "AGENT 1001 HAS A CALL IN PROGRESS (1)")
    assert call(http, "agentbox", "change_status", agent_id="1001", status="ready").status_code == 406
    put_code(frozen)
    assert call(http, "agentbox", "hang_type_ready", agent_id="1001", cod_act="VENTA").status_code == 200
    assert call(http, "real_time", "agents").json()["data"][0]["agent_status"] == "Ready"
    assert call(http, "agentbox", "hang", agent_id="1001").status_code == 404


def test_transfer_to_a_free_agent_moves_the_call(frozen: WolkvoxApp, http: httpx.Client) -> None:
    frozen.fake.login_agent("1001", server=SERVER)
    frozen.fake.login_agent("1002", server=SERVER)
    call(http, "agentbox", "dial", agent_id="1001", customer_phone="3001")
    moved = call(http, "agentbox", "transfer", agent_id="1001", customer_phone="1002")
    assert moved.json()["msg"] == "Call has been transfer to 1002 number"
    states = {a["agent_id"]: a["agent_status"] for a in call(http, "real_time", "agents").json()["data"]}
    assert states == {"1001": "ACW", "1002": "Talking"}
    assert call(http, "agentbox", "mute", agent_id="1002").status_code == 200
    assert call(http, "real_time", "calls_last_10").json()["data"][0]["type_interaction"] == "transfer"


def test_preview_records_are_dialled_by_their_agent(frozen: WolkvoxApp, http: httpx.Client) -> None:
    campaign_id = new_campaign(http, "preview")
    rows = [{**r, "agent_id": "1001"} for r in records(2)]
    assert load(http, campaign_id, rows, "preview").status_code == 201
    call(http, "campaign", "start", campaign_id=campaign_id)
    frozen.fake.advance(hours=1)
    assert _live(http, campaign_id)["dial"] == "0"  # preview campaigns do not dial by themselves
    frozen.fake.login_agent("1001", server=SERVER)
    call(http, "agentbox", "dial", agent_id="1001", customer_phone="3000000000", customer_id="c0")
    row = _live(http, campaign_id)
    assert (row["dial"], row["answer"], row["clean"]) == ("1", "1", "1")


def test_agentbox_recalls_are_scheduled_moved_and_deleted(frozen: WolkvoxApp, http: httpx.Client) -> None:
    campaign_id = new_campaign(http)
    load(http, campaign_id, records(1))
    frozen.fake.login_agent("1001", server=SERVER)
    scheduled = call(
        http,
        "agentbox",
        "recall",
        agent_id="1001",
        id_camp=campaign_id,
        id_customer="c0",
        customer_phone="3005556666",
        date="20261201080000",
        type_recall="manual",
    )
    assert scheduled.json()["msg"] == "Recall has been successful"
    [row] = call(http, "real_time", "recall", type="manual").json()["data"]
    assert (row["date_recall"], row["id_agent"], row["phone_number"]) == (
        "2026-12-01 08:00:00",
        "1001",
        "3005556666",
    )
    call(http, "campaign", "start", campaign_id=campaign_id)
    frozen.fake.advance(days=2)
    assert _live(http, campaign_id)["dial"] == "0"  # manual recalls wait for the agent
    moved = {
        "agent_id": "1002",
        "id_camp": campaign_id,
        "id_customer": "c0",
        "telephone": "3005556666",
        "recall_style": "auto",
    }
    frozen.fake.login_agent("1002", server=SERVER)
    assert call(http, "agentbox", "edit_recall", recall="20261203080000", **moved).status_code == 200
    assert call(http, "real_time", "recall", type="auto").json()["data"][0]["id_agent"] == "1002"
    assert call(http, "agentbox", "delete_recall", **{k: v for k, v in moved.items()}).status_code == 200
    assert call(http, "real_time", "recall", type="all").json()["data"] == []
    frozen.fake.advance(days=2)
    assert _live(http, campaign_id)["dial"] == "1"  # back to the queue: never dialled yet


def test_campaign_and_session_state_is_exported_restored_and_reset(
    frozen: WolkvoxApp, http: httpx.Client
) -> None:
    campaign_id = new_campaign(http)
    load(http, campaign_id, records(20))
    call(http, "campaign", "start", campaign_id=campaign_id)
    frozen.fake.login_agent("1001", server=SERVER)
    call(http, "agentbox", "dial", agent_id="1001", customer_phone="3001")
    frozen.fake.advance(seconds=3)
    exported = frozen.fake.export()
    frozen.fake.reset()  # the clock runs again: freeze it where it was
    frozen.fake.freeze(T0 + timedelta(seconds=3))
    assert call(http, "real_time", "campaigns").json() == []
    assert call(http, "real_time", "agents").json()["data"] == []
    frozen.fake.restore(exported)
    assert frozen.fake.export() == exported
    assert _live(http, campaign_id)["dial"] == "5"
    frozen.fake.advance(seconds=timedelta(minutes=1).total_seconds())
    assert _live(http, campaign_id)["dial"] == "20"
    assert call(http, "real_time", "agents").json()["data"][0]["agent_status"] == "Talking"
