"""disable_module / enable_module, edit_licenses (and the daily token limit), speech_on_demand."""

from __future__ import annotations

import pytest

from tests.conftest import SERVER, TOKEN, VALID_INTERACTION
from tests.mock_server.handlers.test_fields import call

MODULE_DISABLED = {"code": 403, "error": "FORBIDDEN", "msg": "THE MODULE IS DISABLED FOR THIS OPERATION"}


def test_disable_module_blocks_other_calls_until_enable_module(app, http):
    response = call(http, "disable_module")
    assert response.json() == {
        "code": 202,
        "error": None,
        "msg": "The Demo operation module has been successfully disabled",
    }
    assert app.fake.operation(SERVER).module_enabled is False
    refused = call(http, "add_interaction", VALID_INTERACTION)
    assert (refused.status_code, refused.json()) == (403, MODULE_DISABLED)
    assert call(http, "add_ip", {"ip": "10.0.0.1"}).status_code == 403
    assert call(http, "disable_module").status_code == 202  # the switch itself still answers
    enabled = call(http, "enable_module")
    assert enabled.json()["msg"] == "The Demo operation module has been successfully enabled"
    assert call(http, "add_interaction", VALID_INTERACTION).status_code == 201


def test_module_message_names_the_server_when_the_operation_has_no_name(app, http):
    app.fake.operation(SERVER).name = ""
    assert call(http, "disable_module").json()["msg"] == f"The {SERVER} module has been successfully disabled"


def test_edit_licenses_reports_both_changes_and_moves_the_token_limit(app, http):
    response = call(http, "edit_licenses", {"call_center": 3, "pbx": "4"})
    assert response.json() == {
        "code": "200",
        "error": None,
        "msg": " - Change of contact center licenses from 10 to 3 - Change of PBX licenses from 0 to 4",
    }
    op = app.fake.operation(SERVER)
    assert (op.licenses, op.pbx_licenses) == (3, 4)
    assert op.token_limit(op.tokens[TOKEN]) == 3000


def test_edit_licenses_with_one_field_keeps_the_other(app, http):
    response = call(http, "edit_licenses", {"pbx": "2"})
    assert response.json()["msg"] == (
        " - Change of contact center licenses from 10 to 10 - Change of PBX licenses from 0 to 2"
    )


def test_edit_licenses_to_zero_leaves_no_quota(app, http):
    assert call(http, "edit_licenses", {"call_center": "0"}).status_code == 200
    refused = call(http, "add_interaction", VALID_INTERACTION)
    assert (refused.status_code, refused.json()["msg"]) == (403, "TOKEN LIMIT EXCEEDED")


@pytest.mark.parametrize("body", [{}, {"call_center": ""}, {"other": "5"}])
def test_edit_licenses_without_either_field_is_400(http, body):
    response = call(http, "edit_licenses", body)
    assert (response.status_code, response.json()["msg"]) == (400, "SOME PARAMETERS ARE REQUIRED")


@pytest.mark.parametrize("value", ["-1", "2.5", "diez"])
def test_edit_licenses_refuses_what_is_not_a_count(app, http, value):
    response = call(http, "edit_licenses", {"call_center": value})
    assert (response.status_code, response.json()["msg"]) == (
        406,
        f"THE VALUE OF call_center IS NOT VALID ({value})",
    )
    assert app.fake.operation(SERVER).licenses == 10


def test_speech_on_demand_records_the_request(app, http):
    body = {"conn_id": "c-1", "agent_id": "1002", "date_ini": "20260101000000"}
    response = call(http, "speech_on_demand", body)
    assert response.json() == {
        "code": "200",
        "error": None,
        "msg": "Speech analytics record created successfully",
    }
    [record] = app.fake.operation(SERVER).collections["speech_on_demand"]
    assert (record["conn_id"], record["agent_id"], record["date_ini"]) == ("c-1", "1002", "20260101000000")


def test_speech_on_demand_of_an_unknown_agent_is_404(http):
    response = call(http, "speech_on_demand", {"conn_id": "c-1", "agent_id": "55"})
    assert (response.status_code, response.json()["msg"]) == (404, "AGENT 55 DOES NOT EXIST")


def test_edit_licenses_refuses_digits_that_are_not_ascii_without_a_500(app, http):
    # "²" passes str.isdigit() but int() refuses it: it once made edit_licenses answer 500
    # (found by the export/restore property test under `make fuzz`).
    response = call(http, "edit_licenses", {"call_center": "0²"})
    assert (response.status_code, response.json()) == (
        406,
        {"code": 406, "error": "NOT ACCEPTABLE", "msg": "THE VALUE OF call_center IS NOT VALID (0²)"},
    )


def test_routing_points_and_new_ids_cope_with_non_ascii_digit_ids(app, http):
    op = app.fake.operation(SERVER)
    app.fake.add_routing_point("²", agents=["1001"], server=SERVER)
    app.fake.add_agent("³", server=SERVER)
    listed = http.get("/api/v2/information.php?api=routing_points", headers={"wolkvox-token": TOKEN})
    assert listed.status_code == 200
    assert [row["rp_id"] for row in listed.json()["data"]] == ["1", "²"]
    created = call(http, "create_agent", {"agent_dni": "1", "agent_name": "Eva"})
    assert created.status_code == 201
    # "³" is not a number: the next id follows 1002.
    assert created.json()["data"][0]["agent_id"] == "1003"
    assert "1003" in op.agents
