"""``wolkvox_respx``: what is routed to the fake, what happens to other hosts, and how it lives
with other respx routers and a live server. Uses the plugin's fixtures directly."""

from __future__ import annotations

import httpx
import pytest

from tests.conftest import ADD_INTERACTION, TOKEN, VALID_INTERACTION
from wolkvox_mock.server import LiveServer
from wolkvox_mock.testing.mock import WolkvoxLive, WolkvoxMock
from wolkvox_mock.testing.respx_router import UnroutedRequestError, WolkvoxRouter


def _post(url: str, token: str, headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.post(
        f"{url}{ADD_INTERACTION}", json=VALID_INTERACTION, headers=headers or {"wolkvox-token": token}
    )


def test_the_server_code_comes_from_the_host(wolkvox: WolkvoxMock, wolkvox_respx: WolkvoxRouter) -> None:
    assert _post("https://wv0001.wolkvox.com", wolkvox.token).status_code == 201
    # Server 0002 does not own the token: Wolkvox refuses it there.
    refused = _post("https://wv0002.wolkvox.com", wolkvox.token)
    assert (refused.status_code, refused.json()["msg"]) == (403, "PLEASE VALIDATE TOKEN")
    assert wolkvox_respx.routes["wolkvox"].call_count == 2


def test_plain_http_to_a_wolkvox_host_never_leaves_the_process(
    wolkvox: WolkvoxMock, wolkvox_respx: WolkvoxRouter
) -> None:
    assert _post("http://wv0001.wolkvox.com", wolkvox.token).status_code == 201
    wolkvox.assert_interaction(count=1)


@pytest.mark.anyio
async def test_async_requests_to_other_hosts_get_the_same_message(wolkvox_respx: WolkvoxRouter) -> None:
    async with httpx.AsyncClient() as http:
        with pytest.raises(UnroutedRequestError, match='other_hosts="pass_through"'):
            await http.get("https://api.example.com/")


@pytest.mark.anyio
@pytest.mark.wolkvox(latency=0.5)
async def test_async_requests_honour_the_read_timeout(
    wolkvox: WolkvoxMock, wolkvox_respx: WolkvoxRouter
) -> None:
    async with httpx.AsyncClient(timeout=0.05) as http:
        with pytest.raises(httpx.ReadTimeout):
            await http.post(
                f"{wolkvox.base_url}{ADD_INTERACTION}",
                json=VALID_INTERACTION,
                headers={"wolkvox-token": wolkvox.token},
            )
    wolkvox.assert_no_interactions()


@pytest.mark.wolkvox(other_hosts="pass_through")
def test_pass_through_lets_other_hosts_reach_the_network(
    wolkvox_respx: WolkvoxRouter, live: LiveServer
) -> None:
    # ``live`` (this repository's fixture) is another fake on 127.0.0.1: a host not routed.
    assert _post(live.url, TOKEN).status_code == 201
    assert len(live.fake.interactions) == 1


@pytest.mark.wolkvox(other_hosts="pass_through")
def test_pass_through_never_reaches_the_real_wolkvox(wolkvox_respx: WolkvoxRouter) -> None:
    with pytest.raises(UnroutedRequestError, match="never let through to the real service"):
        httpx.get("https://www.wolkvox.com/api/v2/configuration.php")


def test_by_default_other_hosts_are_an_error(wolkvox_respx: WolkvoxRouter, live: LiveServer) -> None:
    with pytest.raises(UnroutedRequestError):
        _post(live.url, TOKEN)
    assert live.fake.interactions == []


def test_a_live_fake_of_the_same_test_is_let_through(
    wolkvox: WolkvoxMock, wolkvox_respx: WolkvoxRouter, wolkvox_live: WolkvoxLive
) -> None:
    assert _post(wolkvox.base_url, wolkvox.token).status_code == 201
    assert _post(wolkvox_live.url, wolkvox_live.token, headers=wolkvox_live.headers).status_code == 201

    # One fake per test: both requests reach the live fake, which is also `wolkvox`.
    assert wolkvox is wolkvox_live
    wolkvox.assert_interaction(count=2)


def test_it_shares_the_transports_with_a_respx_mock_of_the_test(
    respx_mock: object, wolkvox: WolkvoxMock, wolkvox_respx: WolkvoxRouter
) -> None:
    # The team's own respx router (the respx_mock fixture) mocks its CRM; Wolkvox goes to the fake.
    respx_mock.get("https://crm.example.com/me").respond(json={"email": "ana@example.com"})  # type: ignore[attr-defined]

    assert httpx.get("https://crm.example.com/me").json() == {"email": "ana@example.com"}
    assert _post(wolkvox.base_url, wolkvox.token).status_code == 201


def test_the_router_works_without_pytest() -> None:
    mock = WolkvoxMock.build()
    with WolkvoxRouter(mock.app):
        answer = _post("https://wv0001.wolkvox.com", mock.token)
    assert answer.status_code == 201
    with pytest.raises(ValueError, match="other_hosts must be one of"):
        WolkvoxRouter(mock.app, other_hosts="allow")
