"""create_cod_act, edit_cod_act, remove_cod_act: codes per group and business errors."""

from __future__ import annotations

import pytest

from tests.conftest import SERVER
from tests.mock_server.handlers.test_fields import call

FLAGS_NO = {"hit": "no", "rpc": "no", "chat": "no", "studio": "no", "voice": "no", "interactions": "no"}


def _codes(app):
    return app.fake.operation(SERVER).collections.get("activity_codes", {})


def test_create_cod_act_stores_the_code_with_no_as_default_flags(app, http):
    body = {"type_code": "cod_act2", "cod_act": "VENTA", "description_cod_act": "Venta", "hit": "Yes"}
    response = call(http, "create_cod_act", body)
    assert response.json() == {"code": 201, "error": None, "msg": "Code successfully created"}
    assert _codes(app) == {"cod_act2": {"VENTA": {**FLAGS_NO, "description_cod_act": "Venta", "hit": "yes"}}}


def test_the_same_code_twice_in_a_group_is_refused_but_not_in_the_other(app, http):
    call(http, "create_cod_act", {"type_code": "cod_act1", "cod_act": "VENTA"})
    again = call(http, "create_cod_act", {"type_code": "cod_act1", "cod_act": "VENTA"})
    assert (again.status_code, again.json()["msg"]) == (
        404,
        "THE ACTIVITY CODE VENTA ALREADY EXISTS IN cod_act1",
    )
    assert call(http, "create_cod_act", {"type_code": "cod_act2", "cod_act": "VENTA"}).status_code == 201


@pytest.mark.parametrize(
    ("field", "value"), [("type_code", "cod_act3"), ("hit", "si"), ("interactions", "true")]
)
def test_create_cod_act_refuses_values_outside_the_documented_ones(app, http, field, value):
    body = {"type_code": "cod_act1", "cod_act": "X1", field: value}
    response = call(http, "create_cod_act", body)
    assert (response.status_code, response.json()["msg"]) == (
        406,
        f"THE VALUE OF {field} IS NOT VALID ({value})",
    )
    assert _codes(app) == {}


def test_edit_cod_act_changes_only_what_is_sent(app, http):
    call(http, "create_cod_act", {"type_code": "cod_act1", "cod_act": "VENTA", "description_cod_act": "V"})
    response = call(http, "edit_cod_act", {"type_code": "cod_act1", "cod_act": "VENTA", "rpc": "yes"})
    assert response.json() == {"code": "201", "error": None, "msg": "Successfully updated code"}
    assert _codes(app)["cod_act1"]["VENTA"] == {**FLAGS_NO, "description_cod_act": "V", "rpc": "yes"}


def test_edit_cod_act_of_an_unknown_code_is_404_and_changes_nothing(app, http):
    response = call(http, "edit_cod_act", {"type_code": "cod_act1", "cod_act": "NADA"})
    assert (response.status_code, response.json()["msg"]) == (
        404,
        "THE ACTIVITY CODE NADA DOES NOT EXIST IN cod_act1",
    )
    assert _codes(app) == {}


def test_remove_cod_act_takes_one_code_or_a_list(app, http):
    for code in ("A", "B", "C"):
        call(http, "create_cod_act", {"type_code": "cod_act1", "cod_act": code})
    one = call(http, "remove_cod_act", {"type_code": "cod_act1", "cod_act": "A"})
    assert one.json() == {"code": "201", "error": None, "msg": "Removed successfully"}
    assert call(http, "remove_cod_act", {"type_code": "cod_act1", "cod_act": ["B", "C"]}).status_code == 201
    assert _codes(app) == {"cod_act1": {}}


def test_remove_cod_act_is_all_or_nothing(app, http):
    call(http, "create_cod_act", {"type_code": "cod_act1", "cod_act": "A"})
    response = call(http, "remove_cod_act", {"type_code": "cod_act1", "cod_act": ["A", "Z"]})
    assert (response.status_code, response.json()["msg"]) == (
        404,
        "THE ACTIVITY CODE Z DOES NOT EXIST IN cod_act1",
    )
    assert list(_codes(app)["cod_act1"]) == ["A"]
