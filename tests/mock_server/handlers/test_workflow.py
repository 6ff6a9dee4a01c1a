"""configuration.php calls working together: what one call creates, later calls see."""

from __future__ import annotations

import httpx
import pytest

from tests.conftest import BASE_URL, SERVER, TOKEN
from wolkvox_mock import create_app, demo_state
from wolkvox_mock.state.models import State

CONFIG = "/api/v2/configuration.php"
HEADERS = {"wolkvox-token": TOKEN}
INTERACTION = {
    "from": "ana@example.com",
    "to": "ventas",
    "subject": "Cotización",
    "body": "Hola",
    "rp_id": "7",
}


async def _call(client: httpx.AsyncClient, method: str, api: str, body=None, **params) -> httpx.Response:
    return await client.request(method, CONFIG, params={"api": api, **params}, headers=HEADERS, json=body)


@pytest.mark.anyio
async def test_created_agent_in_created_skill_receives_interactions_until_disabled():
    app = create_app(demo_state(SERVER, TOKEN))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url=BASE_URL) as client:
        created = await _call(client, "POST", "create_agent", {"agent_dni": "55", "agent_name": "Eva"})
        agent_id = created.json()["data"][0]["agent_id"]
        skill = await _call(client, "POST", "create_skill", {"skill_name": "Ventas"})
        skill_id = skill.json()["data"][0]["skill_id"]
        added = await _call(
            client, "POST", "add_agents_skill", {"skill_id": skill_id, "agent_id": agent_id, "expertise": "5"}
        )
        assert added.status_code == 201
        app.fake.add_routing_point("7", skills=[skill_id], server=SERVER)

        assigned = await _call(client, "POST", "add_interaction", INTERACTION)
        assert assigned.json()["msg"] == f"7 routing point was executed and assigned to agent ({agent_id}) "

        assert (await _call(client, "PUT", "disable_agent", {"agent_id": agent_id})).status_code == 202
        refused = await _call(client, "POST", "add_interaction", INTERACTION)
        assert (refused.status_code, refused.json()["msg"]) == (404, "ROUTING POINT 7 HAS NO AVAILABLE AGENT")

        assert (await _call(client, "PUT", "enable_agent", {"agent_id": agent_id})).status_code == 202
        again = await _call(client, "POST", "add_interaction", INTERACTION)
        assert again.json()["msg"] == f"7 routing point was executed and assigned to agent ({agent_id}) "

    assert [i.agent_id for i in app.fake.interactions] == [agent_id, agent_id]


@pytest.mark.anyio
async def test_removing_the_agent_from_the_skill_stops_assignment():
    app = create_app(demo_state(SERVER, TOKEN))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url=BASE_URL) as client:
        app.fake.add_routing_point("7", skills=["1"], server=SERVER)
        for agent_id in ("1001", "1002"):
            removed = await _call(
                client, "DELETE", "remove_agents_skill", {"skill_id": "1", "agent_id": agent_id}
            )
            assert removed.status_code == 201
        refused = await _call(client, "POST", "add_interaction", INTERACTION)
        assert refused.status_code == 404


def test_what_the_operations_create_survives_export_and_restore(app, http):
    calls = [
        ("POST", "add_ip", {"ip": "10.0.0.1", "permanent": "yes"}),
        ("POST", "add_dnc", {"type_call": "all", "telephones": ["300"]}),
        ("POST", "create_cod_act", {"type_code": "cod_act1", "cod_act": "VENTA"}),
        ("POST", "create_agent", {"agent_dni": "9", "agent_name": "Eva"}),
        ("PUT", "block_law2300", {"telephone": "301"}),
    ]
    for method, api, body in calls:
        assert http.request(method, CONFIG, params={"api": api}, headers=HEADERS, json=body).status_code < 300
    exported = app.fake.export()
    restored = State.from_dict(exported)
    assert restored.export() == exported
    app.fake.reset()
    assert app.fake.operation(SERVER).collections == {}
    app.fake.restore(exported)
    again = http.post(CONFIG, params={"api": "add_ip"}, headers=HEADERS, json={"ip": "10.0.0.1"})
    assert again.status_code == 404  # the restored allow-list still has it
