"""create_agent, edit_agent, disable_agent, enable_agent: state and business errors."""

from __future__ import annotations

import pytest

from tests.conftest import SERVER
from tests.mock_server.handlers.test_fields import call
from wolkvox_mock.handlers.agents import generate_password, password_ok

NEW_AGENT = {"agent_dni": "1010", "agent_name": "Eva Nueva", "agent_sso": "eva@corp"}


def test_create_agent_numbers_it_after_the_highest_id_and_generates_a_valid_password(app, http):
    response = call(http, "create_agent", NEW_AGENT)
    assert response.status_code == 201
    [row] = response.json()["data"]
    assert row["agent_id"] == "1003"
    assert password_ok(row["password"]) and len(row["password"]) == 12
    agent = app.fake.operation(SERVER).agents["1003"]
    assert (agent.name, agent.dni, agent.sso, agent.enabled) == ("Eva Nueva", "1010", "eva@corp", True)
    assert call(http, "create_agent", NEW_AGENT).json()["data"][0]["agent_id"] == "1004"


def test_create_agent_keeps_a_given_password(app, http):
    response = call(http, "create_agent", {**NEW_AGENT, "agent_pass": "Secreta1#"})
    assert response.json()["data"] == [{"agent_id": "1003", "password": "Secreta1#"}]


@pytest.mark.parametrize("password", ["secreta1#", "SECRETA1#", "Secreta##", "Secreta11"])
def test_create_agent_refuses_a_password_that_breaks_a_documented_rule(app, http, password):
    response = call(http, "create_agent", {**NEW_AGENT, "agent_pass": password})
    assert response.status_code == 406
    assert response.json()["msg"].startswith("THE PASSWORD MUST CONTAIN")
    assert "1003" not in app.fake.operation(SERVER).agents


def test_generated_passwords_always_meet_the_rules():
    assert all(password_ok(generate_password()) for _ in range(200))


def test_edit_agent_updates_the_agent_named_in_the_query(app, http):
    body = {"agent_dni": "2020", "agent_name": "Ana Editada", "agent_pass": "Nueva123@"}
    response = call(http, "edit_agent", body, query={"agent_id": "1001"})
    assert (response.status_code, response.json()["msg"]) == (202, "agent has been updated")
    agent = app.fake.operation(SERVER).agents["1001"]
    assert (agent.dni, agent.name, agent.password) == ("2020", "Ana Editada", "Nueva123@")


def test_edit_agent_of_an_unknown_agent_is_404(http):
    response = call(http, "edit_agent", {"agent_dni": "1", "agent_name": "x"}, query={"agent_id": "999"})
    assert (response.status_code, response.json()) == (
        404,
        {"code": 404, "error": "NOT FOUND", "msg": "AGENT 999 DOES NOT EXIST"},
    )


def test_edit_agent_refuses_a_bad_password_and_changes_nothing(app, http):
    body = {"agent_dni": "2020", "agent_name": "Otra", "agent_pass": "short"}
    assert call(http, "edit_agent", body, query={"agent_id": "1001"}).status_code == 406
    assert app.fake.operation(SERVER).agents["1001"].name == "Ana Demo"


def test_disable_and_enable_agent_switch_it_and_name_it(app, http):
    response = call(http, "disable_agent", {"agent_id": "1002"})
    assert response.json() == {"code": 202, "error": None, "msg": "1002 agent has been disabled"}
    assert app.fake.operation(SERVER).agents["1002"].enabled is False
    assert call(http, "disable_agent", {"agent_id": "1002"}).status_code == 202  # twice is fine
    response = call(http, "enable_agent", {"agent_id": 1002})  # a number is read as a string
    assert response.json()["msg"] == "1002 agent has been enabled"
    assert app.fake.operation(SERVER).agents["1002"].enabled is True


@pytest.mark.parametrize("api", ["disable_agent", "enable_agent"])
def test_switching_an_unknown_agent_is_404(http, api):
    response = call(http, api, {"agent_id": "4242"})
    assert (response.status_code, response.json()["msg"]) == (404, "AGENT 4242 DOES NOT EXIST")
