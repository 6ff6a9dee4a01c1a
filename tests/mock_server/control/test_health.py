"""``GET /__wolkvox_mock__/health``: answers every client, says the fake is up and how busy."""

from __future__ import annotations

import threading

import httpx
import pytest

from tests.conftest import ADD_INTERACTION, BASE_URL, TOKEN, VALID_INTERACTION
from wolkvox_mock import WolkvoxApp
from wolkvox_mock.control.app import PREFIX
from wolkvox_mock.server import LiveServer

REMOTE = ("10.0.0.5", 1234)


async def _get(app: WolkvoxApp, path: str, client: tuple[str, int]) -> httpx.Response:
    transport = httpx.ASGITransport(app, client=client)
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as http:
        return await http.get(PREFIX + path)


@pytest.mark.anyio
@pytest.mark.parametrize("admin_token", [None, "s3cret-admin"])
async def test_health_answers_a_remote_client_without_the_admin_token(
    app: WolkvoxApp, admin_token: str | None
) -> None:
    app.fake.settings.admin_token = admin_token
    answer = await _get(app, "/health", REMOTE)
    assert answer.status_code == 200
    body = answer.json()
    assert body["status"] == "ok" and body["service"] == "wolkvox-mock"
    assert TOKEN not in answer.text
    # Only the probe: the rest of the control plane stays closed to that client.
    assert (await _get(app, "/state", REMOTE)).status_code in (401, 403)
    assert (await _get(app, "/health/x", REMOTE)).status_code in (401, 403)


def test_health_counts_the_calls_answered_and_in_flight(app: WolkvoxApp) -> None:
    with LiveServer(app) as live:
        health = f"{live.url}{PREFIX}/health"
        assert httpx.get(health).json()["requests"] == 0
        headers = {"wolkvox-token": TOKEN}
        assert (
            httpx.post(live.url + ADD_INTERACTION, json=VALID_INTERACTION, headers=headers).status_code == 201
        )
        app.fake.hold(TOKEN)
        held = threading.Thread(
            target=httpx.post,
            args=(live.url + ADD_INTERACTION,),
            kwargs={"json": VALID_INTERACTION, "headers": headers},
        )
        held.start()
        assert app.fake.wait_held(1, token=TOKEN)
        body = httpx.get(health).json()
        app.fake.release(TOKEN)
        held.join(10)
    assert (body["requests"], body["in_flight"]) == (1, 1)
