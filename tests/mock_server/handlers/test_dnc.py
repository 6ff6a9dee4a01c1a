"""add_dnc, remove_dnc, block_predictive_dnc, block_law2300, free_law2300."""

from __future__ import annotations

import pytest

from tests.conftest import SERVER
from tests.mock_server.handlers.test_fields import call


def _coll(app, name, default=None):
    return app.fake.operation(SERVER).collections.get(name, default)


@pytest.mark.parametrize(
    ("type_call", "inbound", "outbound"),
    [("inbound", ["1", "2"], []), ("outbound", [], ["1", "2"]), ("ALL", ["1", "2"], ["1", "2"])],
)
def test_add_dnc_fills_the_chosen_lists(app, http, type_call, inbound, outbound):
    response = call(http, "add_dnc", {"type_call": type_call, "telephones": ["1", "2", "2"]})
    assert response.json() == {"code": 201, "error": None, "msg": "2 telephones were added"}
    assert _coll(app, "dnc") == {"inbound": inbound, "outbound": outbound}


def test_add_dnc_counts_only_new_telephones_and_takes_one_as_a_string(http):
    call(http, "add_dnc", {"type_call": "inbound", "telephones": ["1"]})
    again = call(http, "add_dnc", {"type_call": "inbound/outbound", "telephones": ["1", 2]})
    assert again.json()["msg"] == "2 telephones were added"  # 1 is new on outbound, 2 on both
    single = call(http, "add_dnc", {"type_call": "inbound", "telephones": "3"})
    assert single.json()["msg"] == "1 telephones were added"
    same = call(http, "add_dnc", {"type_call": "inbound", "telephones": ["3"]})
    assert same.json()["msg"] == "0 telephones were added"


def test_add_dnc_refuses_an_unknown_list(http):
    response = call(http, "add_dnc", {"type_call": "sideways", "telephones": ["1"]})
    assert (response.status_code, response.json()["msg"]) == (
        406,
        "THE VALUE OF type_call IS NOT VALID (sideways)",
    )


def test_remove_dnc_deletes_from_both_lists_by_default(app, http):
    call(http, "add_dnc", {"type_call": "all", "telephones": ["1", "2", "3"]})
    response = call(http, "remove_dnc", {"telephones": ["1", "9"]})
    assert response.json() == {"code": 202, "error": None, "msg": "1 telephones were deleted"}
    assert _coll(app, "dnc") == {"inbound": ["2", "3"], "outbound": ["2", "3"]}
    call(http, "remove_dnc", {"telephones": ["2"], "type": "outbound"})
    assert _coll(app, "dnc") == {"inbound": ["2", "3"], "outbound": ["3"]}


def test_remove_dnc_all_empties_the_chosen_list(app, http):
    call(http, "add_dnc", {"type_call": "all", "telephones": ["1", "2"]})
    response = call(http, "remove_dnc", {"telephones": "All", "type": "inbound"})
    assert response.json()["msg"] == "2 telephones were deleted"
    assert _coll(app, "dnc") == {"inbound": [], "outbound": ["1", "2"]}
    assert call(http, "remove_dnc", {"telephones": "all"}).json()["msg"] == "2 telephones were deleted"
    assert _coll(app, "dnc") == {"inbound": [], "outbound": []}


def test_remove_dnc_refuses_an_unknown_type(http):
    response = call(http, "remove_dnc", {"telephones": ["1"], "type": "nowhere"})
    assert response.status_code == 406


def test_block_predictive_dnc_marks_customers_of_the_campaign(app, http):
    body = {"id_campaing": "55", "id_cliente": ["c1", "c2", "c2"]}
    response = call(http, "block_predictive_dnc", body)
    assert response.json() == {
        "code": "202",
        "error": None,
        "msg": "2 records were successfully marked as DO-NOT-CALL in campaign 55",
    }
    call(http, "block_predictive_dnc", {"id_campaing": "55", "id_cliente": ["c3", "c1"]})
    assert _coll(app, "predictive_dnc") == {"55": ["c1", "c2", "c3"]}


def test_block_predictive_dnc_wants_an_array_of_ids(http):
    response = call(http, "block_predictive_dnc", {"id_campaing": "55", "id_cliente": "c1"})
    assert response.status_code == 400


def test_block_law2300_normalises_the_telephone(app, http):
    body = {"nit": "900123", "telephone": "+57 (300) 111-2233", "customer_id": "77"}
    response = call(http, "block_law2300", body)
    assert response.json() == {
        "code": "200",
        "error": None,
        "msg": "The number has been blocked successfully",
    }
    entry = _coll(app, "law2300")["573001112233"]
    assert (entry["nit"], entry["customer_id"]) == ("900123", "77")


def test_block_law2300_without_digits_is_406(app, http):
    response = call(http, "block_law2300", {"telephone": "no phone"})
    assert (response.status_code, response.json()["msg"]) == (
        406,
        "THE VALUE OF telephone IS NOT VALID (no phone)",
    )
    assert _coll(app, "law2300") is None


def test_free_law2300_releases_by_telephone_or_by_customer_id(app, http):
    call(http, "block_law2300", {"telephone": "3001", "customer_id": "77"})
    call(http, "block_law2300", {"telephone": "3002", "customer_id": "77"})
    call(http, "block_law2300", {"telephone": "3003", "customer_id": "88"})
    by_phone = call(http, "free_law2300", {"item": "telephone", "value": "3003", "agent_id": "1001"})
    assert by_phone.json() == {"code": "201", "error": None, "msg": "Removed successfully"}
    call(http, "free_law2300", {"item": "customer_id", "value": "77"})
    assert _coll(app, "law2300") == {}
    assert [r["released"] for r in _coll(app, "law2300_releases")] == [["3003"], ["3001", "3002"]]


def test_free_law2300_of_a_customer_not_blocked_succeeds(app, http):
    response = call(http, "free_law2300", {"item": "telephone", "value": "999"})
    assert response.status_code == 201
    assert _coll(app, "law2300_releases")[0]["released"] == []
