"""Who may use the control plane: loopback clients; others only with the admin token; never
with a Wolkvox token."""

from __future__ import annotations

import httpx
import pytest
from starlette.datastructures import Headers

from tests.conftest import ADD_INTERACTION, BASE_URL, TOKEN, VALID_INTERACTION
from wolkvox_mock import WolkvoxApp
from wolkvox_mock.contracts.protocol import ADMIN_HEADER
from wolkvox_mock.control.app import PREFIX, access_error
from wolkvox_mock.server import LiveServer

REMOTE = ("10.0.0.5", 1234)
ADMIN = "s3cret-admin"


async def get_state(
    app: WolkvoxApp, client: tuple[str, int], headers: dict[str, str] | None = None
) -> httpx.Response:
    transport = httpx.ASGITransport(app, client=client)
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as http:
        return await http.get(f"{PREFIX}/state", headers=headers)


@pytest.mark.anyio
@pytest.mark.parametrize("host", ["127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1"])
async def test_loopback_clients_are_served(app: WolkvoxApp, host: str) -> None:
    assert (await get_state(app, (host, 5555))).status_code == 200


@pytest.mark.anyio
async def test_remote_client_is_refused_without_an_admin_token(app: WolkvoxApp) -> None:
    response = await get_state(app, REMOTE)
    assert response.status_code == 403
    assert response.json()["error"] == "the control plane answers loopback clients only"
    assert "--admin-token" in response.json()["fix"]


@pytest.mark.anyio
async def test_remote_client_with_a_wolkvox_token_is_refused(app: WolkvoxApp) -> None:
    assert (await get_state(app, REMOTE, {"wolkvox-token": TOKEN})).status_code == 403
    app.fake.settings.admin_token = ADMIN
    assert (await get_state(app, REMOTE, {"wolkvox-token": TOKEN})).status_code == 401


@pytest.mark.anyio
async def test_remote_client_with_the_admin_token_is_served(app: WolkvoxApp) -> None:
    app.fake.settings.admin_token = ADMIN
    assert (await get_state(app, REMOTE)).status_code == 401
    assert (await get_state(app, REMOTE, {ADMIN_HEADER: ADMIN})).status_code == 200
    wrong = await get_state(app, REMOTE, {ADMIN_HEADER: ADMIN + "x"})
    assert (wrong.status_code, wrong.json()["error"]) == (401, "wrong admin token")


@pytest.mark.anyio
async def test_a_wrong_admin_header_is_refused_even_on_loopback(app: WolkvoxApp) -> None:
    app.fake.settings.admin_token = ADMIN
    assert (await get_state(app, ("127.0.0.1", 1), {ADMIN_HEADER: "guess"})).status_code == 401
    assert (await get_state(app, ("127.0.0.1", 1))).status_code == 200


@pytest.mark.anyio
@pytest.mark.parametrize("client", [("127.0.0.1", 1), REMOTE])
async def test_a_wolkvox_token_is_never_an_admin_token(app: WolkvoxApp, client: tuple[str, int]) -> None:
    response = await get_state(app, client, {ADMIN_HEADER: TOKEN})
    assert (response.status_code, response.json()["error"]) == (
        403,
        f"{ADMIN_HEADER} carries a Wolkvox token",
    )
    app.fake.settings.admin_token = TOKEN  # misconfigured: equal to a Wolkvox token
    response = await get_state(app, client, {ADMIN_HEADER: "anything"})
    assert response.json()["error"] == "the configured admin token is also a Wolkvox token"


@pytest.mark.anyio
async def test_refusal_happens_before_any_control_operation(app: WolkvoxApp) -> None:
    transport = httpx.ASGITransport(app, client=REMOTE)
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as http:
        app.fake.add_fault(error="token_busy")
        assert (await http.post(f"{PREFIX}/reset")).status_code == 403
        assert (await http.delete(f"{PREFIX}/nothing")).status_code == 403  # no route listing either
    assert len(app.fake.list_faults()) == 1


@pytest.mark.anyio
async def test_the_wolkvox_api_answers_remote_clients(app: WolkvoxApp) -> None:
    transport = httpx.ASGITransport(app, client=REMOTE)
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as http:
        response = await http.post(ADD_INTERACTION, json=VALID_INTERACTION, headers={"wolkvox-token": TOKEN})
    assert response.status_code == 201


def test_unix_sockets_and_the_test_client_count_as_loopback(app: WolkvoxApp) -> None:
    assert access_error(app.fake, None, Headers()) is None
    assert access_error(app.fake, ("testclient", 50000), Headers()) is None
    assert access_error(app.fake, ("example.org", 80), Headers()) is not None


def test_live_server_on_loopback_is_served(live: LiveServer) -> None:
    response = httpx.post(f"{live.url}{PREFIX}/clock/freeze", json={"at": "2026-11-27T00:00:00Z"})
    assert response.json() == {"now": "2026-11-27T00:00:00+00:00", "frozen": True}
    assert live.fake.clock.frozen
