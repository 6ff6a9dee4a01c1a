"""create_skill, edit_skill, add_agents_skill, remove_agents_skill: state and business errors."""

from __future__ import annotations

from tests.conftest import SERVER
from tests.mock_server.handlers.test_fields import call

SKILL = {
    "skill_name": "Ventas",
    "description_skill": "Equipo de ventas",
    "voicemail": "5003",
    "welcome_message": "10_audio10",
    "vto": "11_audio11",
}


def test_create_skill_answers_the_new_id_and_keeps_every_field(app, http):
    response = call(http, "create_skill", SKILL)
    assert response.json() == {
        "code": "201",
        "error": None,
        "msg": "Skill has been created",
        "data": [{"skill_id": "2"}],
    }
    skill = app.fake.operation(SERVER).skills["2"]
    assert (skill.name, skill.description, skill.agents) == ("Ventas", "Equipo de ventas", {})
    assert skill.extra == {"voicemail": "5003", "welcome_message": "10_audio10", "vto": "11_audio11"}


def test_edit_skill_changes_only_the_fields_sent(app, http):
    response = call(http, "edit_skill", {"vto": "99_audio"}, query={"skill_id": "1"})
    assert response.json() == {"code": 202, "error": None, "msg": "skill has been updated"}
    skill = app.fake.operation(SERVER).skills["1"]
    assert (skill.name, skill.extra) == ("Demo skill", {"vto": "99_audio"})


def test_edit_skill_business_errors(http):
    unknown = call(http, "edit_skill", {"skill_name": "x"}, query={"skill_id": "77"})
    assert (unknown.status_code, unknown.json()["msg"]) == (404, "SKILL 77 DOES NOT EXIST")
    every = call(http, "edit_skill", {"skill_name": "x"}, query={"skill_id": "all"})
    assert every.status_code == 406  # documented: skill_id=all is not accepted
    nothing = call(http, "edit_skill", {"unrelated": "x"}, query={"skill_id": "1"})
    assert (nothing.status_code, nothing.json()["msg"]) == (400, "SOME PARAMETERS ARE REQUIRED")


def test_add_agents_skill_puts_the_agent_in_with_its_expertise(app, http):
    app.fake.add_agent("1005", name="Nuevo", server=SERVER)
    response = call(http, "add_agents_skill", {"skill_id": "1", "agent_id": "1005", "expertise": "7"})
    assert response.json() == {
        "code": "201",
        "error": None,
        "msg": "Agent 1005 added to skill 1 of operation",
    }
    assert app.fake.operation(SERVER).skills["1"].agents["1005"] == "7"
    call(http, "add_agents_skill", {"skill_id": "1", "agent_id": "1005", "expertise": "3"})
    assert app.fake.operation(SERVER).skills["1"].agents["1005"] == "3"


def test_add_agents_skill_business_errors(http):
    no_skill = call(http, "add_agents_skill", {"skill_id": "9", "agent_id": "1001", "expertise": "5"})
    assert (no_skill.status_code, no_skill.json()["msg"]) == (404, "SKILL 9 DOES NOT EXIST")
    no_agent = call(http, "add_agents_skill", {"skill_id": "1", "agent_id": "9", "expertise": "5"})
    assert (no_agent.status_code, no_agent.json()["msg"]) == (404, "AGENT 9 DOES NOT EXIST")


def test_remove_agents_skill_takes_the_agent_out(app, http):
    response = call(http, "remove_agents_skill", {"skill_id": "1", "agent_id": "1002"})
    assert response.json() == {"code": "201", "error": None, "msg": "Removed successfully"}
    assert list(app.fake.operation(SERVER).skills["1"].agents) == ["1001"]
    again = call(http, "remove_agents_skill", {"skill_id": "1", "agent_id": "1002"})
    assert (again.status_code, again.json()["msg"]) == (404, "AGENT 1002 IS NOT IN SKILL 1")


def test_remove_agents_skill_of_unknown_agent_or_skill_is_404(http):
    no_agent = call(http, "remove_agents_skill", {"skill_id": "1", "agent_id": "31"})
    assert no_agent.json()["msg"] == "AGENT 31 DOES NOT EXIST"
    no_skill = call(http, "remove_agents_skill", {"skill_id": "31", "agent_id": "1001"})
    assert no_skill.json()["msg"] == "SKILL 31 DOES NOT EXIST"
