"""add_ip / remove_ip: the allow-list and the answers client code relies on ("404", "406")."""

from __future__ import annotations

import pytest

from tests.conftest import SERVER
from tests.mock_server.handlers.test_fields import call


def _ips(app):
    return app.fake.operation(SERVER).collections.get("ips", {})


def test_add_ip_keeps_it_as_get_ip_would_list_it(app, http):
    response = call(http, "add_ip", {"ip": "181.49.12.7", "permanent": "YES", "description": "sede"})
    assert response.json() == {
        "code": "201",
        "error": None,
        "msg": "IP: 181.49.12.7 has been added successfully",
    }
    entry = _ips(app)["181.49.12.7"]
    assert (entry["type_ip"], entry["description"]) == ("permanente", "sede")
    call(http, "add_ip", {"ip": "181.49.12.8"})
    assert _ips(app)["181.49.12.8"]["type_ip"] == "temporal"  # permanent defaults to no


def test_add_ip_twice_is_404_already_registered(http):
    call(http, "add_ip", {"ip": "10.1.1.1"})
    response = call(http, "add_ip", {"ip": "10.1.1.1", "permanent": "yes"})
    assert (response.status_code, response.json()) == (
        404,
        {"code": 404, "error": "NOT FOUND", "msg": "THE IP 10.1.1.1 IS ALREADY REGISTERED"},
    )


@pytest.mark.parametrize("api", ["add_ip", "remove_ip"])
@pytest.mark.parametrize("ip", ["300.1.1.1", "10.1.1", "not-an-ip", "::1", "010.1.1.1"])
def test_invalid_ip_is_406(app, http, api, ip):
    response = call(http, api, {"ip": ip})
    assert (response.status_code, response.json()["error"]) == (406, "NOT ACCEPTABLE")
    assert response.json()["msg"] == f"{ip} IS NOT A VALID IP ADDRESS"
    assert _ips(app) == {}


def test_a_sixth_permanent_ip_is_refused_but_temporal_ones_are_not(app, http):
    for n in range(5):
        assert call(http, "add_ip", {"ip": f"10.0.0.{n}", "permanent": "yes"}).status_code == 201
    sixth = call(http, "add_ip", {"ip": "10.0.0.5", "permanent": "yes"})
    assert (sixth.status_code, sixth.json()["msg"]) == (406, "THE OPERATION ALREADY HAS 5 PERMANENT IPS")
    assert call(http, "add_ip", {"ip": "10.0.0.5", "permanent": "no"}).status_code == 201
    call(http, "remove_ip", {"ip": "10.0.0.0"})
    assert call(http, "add_ip", {"ip": "10.0.0.6", "permanent": "yes"}).status_code == 201


def test_permanent_must_be_yes_or_no(http):
    response = call(http, "add_ip", {"ip": "10.0.0.1", "permanent": "maybe"})
    assert (response.status_code, response.json()["msg"]) == (
        406,
        "THE VALUE OF permanent IS NOT VALID (maybe)",
    )


def test_remove_ip_deletes_it_and_a_second_time_is_404(app, http):
    call(http, "add_ip", {"ip": "10.2.2.2"})
    response = call(http, "remove_ip", {"ip": "10.2.2.2"})
    assert response.json() == {
        "code": "202",
        "error": None,
        "msg": "IP: 10.2.2.2 has been deleted successfully",
    }
    assert _ips(app) == {}
    again = call(http, "remove_ip", {"ip": "10.2.2.2"})
    assert (again.status_code, again.json()["msg"]) == (404, "THE IP 10.2.2.2 IS NOT REGISTERED")
