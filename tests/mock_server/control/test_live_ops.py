"""The control plane's agent and campaign endpoints: log an agent in and out, dial now."""

from __future__ import annotations

import httpx

from tests.conftest import SERVER, TOKEN
from wolkvox_mock import WolkvoxApp

PREFIX = "/__wolkvox_mock__"


def _agents(http: httpx.Client) -> list[dict[str, str]]:
    response = http.get("/api/v2/real_time.php", params={"api": "agents"}, headers={"wolkvox-token": TOKEN})
    return list(response.json()["data"])


def test_an_agent_logged_in_over_the_control_plane_shows_in_real_time(
    app: WolkvoxApp, http: httpx.Client
) -> None:
    response = http.post(f"{PREFIX}/agents/{SERVER}/1002/login", json={"ip": "10.0.0.7", "platform": "app"})
    assert response.status_code == 200 and response.json()["logged_in"] == "1002"
    assert [a["agent_id"] for a in _agents(http)] == ["1002"]
    assert app.fake.operation(SERVER).sessions.sessions["1002"].ip == "10.0.0.7"
    assert http.post(f"{PREFIX}/agents/{SERVER}/1002/logout").json() == {"logged_out": True}
    assert _agents(http) == []


def test_login_of_an_unknown_agent_or_with_odd_details_says_what_to_fix(http: httpx.Client) -> None:
    unknown = http.post(f"{PREFIX}/agents/{SERVER}/999/login")
    assert unknown.status_code == 404 and "known agents: 1001, 1002" in unknown.json()["error"]
    odd = http.post(f"{PREFIX}/agents/{SERVER}/1001/login", json={"password": "x"})
    assert odd.status_code == 400 and "ip" in odd.json()["fix"]


def test_dial_now_dials_a_campaign_on_a_test_s_say_so(app: WolkvoxApp, http: httpx.Client) -> None:
    headers = {"wolkvox-token": TOKEN}
    created = http.post(
        "/api/v2/campaign.php",
        params={"api": "create_campaign", "type_campaign": "predictive"},
        headers=headers,
        json={"campaign_name": "x", "skill_id": "1"},
    )
    campaign_id = created.json()["data"][0]["id_campaign"]
    http.post(
        "/api/v2/campaign.php",
        params={"api": "add_record", "type_campaign": "predictive", "campaign_id": campaign_id},
        headers=headers,
        json=[{"customer_id": "a", "tel1": "1"}, {"customer_id": "b", "tel1": "2"}],
    )
    assert http.post(f"{PREFIX}/campaigns/{SERVER}/{campaign_id}/dial", json={"count": 5}).json() == {
        "dialled": 2
    }
    assert http.post(f"{PREFIX}/campaigns/{SERVER}/{campaign_id}/dial", json={"count": 0}).status_code == 400
    missing = http.post(f"{PREFIX}/campaigns/{SERVER}/1/dial")
    assert missing.status_code == 404 and "known campaigns" in missing.json()["error"]
