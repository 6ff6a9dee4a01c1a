"""The inspector's endpoints, in-process: the page and its assets, one exchange in full with
its secrets masked, the state it shows, the live stream, and the control plane's access rules.
The page itself, in a browser, is tested in tests/browser."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import httpx
import pytest

from tests.conftest import ADD_INTERACTION, BASE_URL, TOKEN, VALID_INTERACTION
from wolkvox_mock import WolkvoxApp
from wolkvox_mock.contracts.protocol import mask_token
from wolkvox_mock.control import inspector
from wolkvox_mock.control.app import PREFIX

AUTH = {"wolkvox-token": TOKEN}
PAGE = f"{PREFIX}/inspector"


def test_the_page_is_served_with_a_policy_that_keeps_it_offline(http: httpx.Client) -> None:
    response = http.get(PAGE)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert 'src="inspector/assets/inspector.js"' in response.text
    # Nothing in the page or its assets reaches another origin.
    for name in ("inspector.js", "inspector.css"):
        asset = http.get(f"{PAGE}/assets/{name}")
        assert asset.status_code == 200
        assert "http://" not in asset.text and "https://" not in asset.text
    assert "https://" not in response.text and "http://" not in response.text


def test_an_unknown_asset_says_which_exist(http: httpx.Client) -> None:
    response = http.get(f"{PAGE}/assets/inspector.html.bak")
    assert response.status_code == 404
    assert "inspector.js" in response.json()["fix"]


def test_the_index_lists_the_inspector(http: httpx.Client) -> None:
    listed = {op["path"] for op in http.get(f"{PREFIX}/").json()["operations"]}
    assert PAGE in listed and f"{PAGE}/events" in listed


def test_an_exchange_in_full_with_the_token_masked(http: httpx.Client) -> None:
    body = {**VALID_INTERACTION, "body": f"pasted by mistake: {TOKEN}"}
    http.post(ADD_INTERACTION, json=body, headers=AUTH)
    shown = http.get(f"{PAGE}/requests/1").json()
    assert TOKEN not in json.dumps(shown)
    entry, exchange = shown["entry"], shown["exchange"]
    assert entry["seq"] == 1 and entry["status"] == 201 and entry["token"] == mask_token(TOKEN)
    assert exchange["query"] == "api=add_interaction"
    assert ["wolkvox-token", mask_token(TOKEN)] in exchange["request_headers"]
    assert json.loads(exchange["request_body"])["body"] == f"pasted by mistake: {mask_token(TOKEN)}"
    assert json.loads(exchange["response_body"])["code"] == "201"
    assert ["content-type", "application/json; charset=utf-8"] in exchange["response_headers"]


def test_the_fault_and_hint_of_an_exchange(app: WolkvoxApp, http: httpx.Client) -> None:
    app.fake.add_fault(error="token_busy", api="add_interaction", times=1)
    http.post(ADD_INTERACTION, json=VALID_INTERACTION, headers=AUTH)
    entry = http.get(f"{PAGE}/requests/1").json()["entry"]
    assert entry["status"] == 403
    assert entry["fault"] == "f1 error=token_busy"
    assert "injected by wolkvox-mock fault f1" in entry["hint"]


@pytest.mark.parametrize("seq", ["0", "2", "abc", "١"])
def test_an_exchange_not_kept_is_a_404_that_says_why(http: httpx.Client, seq: str) -> None:
    http.post(ADD_INTERACTION, json=VALID_INTERACTION, headers=AUTH)
    response = http.get(f"{PAGE}/requests/{seq}")
    assert response.status_code == 404
    assert "newest" in response.json()["fix"]


def test_the_state_shows_quota_holds_and_the_next_agent_without_moving_it(
    app: WolkvoxApp, http: httpx.Client
) -> None:
    http.post(ADD_INTERACTION, json=VALID_INTERACTION, headers=AUTH)
    app.fake.hold(TOKEN)
    first = http.get(f"{PAGE}/state").json()
    second = http.get(f"{PAGE}/state").json()
    (op,) = first["operations"]
    (token,) = op["tokens"]
    assert token["masked"] == mask_token(TOKEN) and token["token"] == TOKEN
    assert (token["used_today"], token["limit"], token["on_hold"]) == (1, 10_000, True)
    (rp,) = op["routing_points"]
    assert (rp["last_agent"], rp["next_agent"]) == ("1001", "1002")
    assert second["operations"][0]["routing_points"] == op["routing_points"]
    assert first["interactions"]["total"] == 1
    assert first["interactions"]["recent"][0]["token"] == mask_token(TOKEN)
    assert "fields" not in first["interactions"]["recent"][0]
    app.fake.release()


def test_the_catalogue_offers_api_names_and_error_keys(http: httpx.Client) -> None:
    offered = http.get(f"{PAGE}/catalogue").json()
    assert "add_interaction" in offered["apis"] and "token_busy" in offered["errors"]


@pytest.mark.anyio
@pytest.mark.parametrize("path", ["", "/events", "/state", "/requests/1", "/assets/inspector.js"])
async def test_remote_clients_are_refused_as_by_the_control_plane(app: WolkvoxApp, path: str) -> None:
    transport = httpx.ASGITransport(app, client=("10.0.0.5", 1234))
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as http:
        response = await http.get(PAGE + path)
    assert response.status_code == 403
    assert response.json()["error"] == "the control plane answers loopback clients only"


# -- the live stream, read as the generator the endpoint streams ---------------------------


async def events(stream: AsyncIterator[str], count: int) -> list[tuple[str, dict[str, object]]]:
    """The next ``count`` named events of ``stream`` (the retry line is skipped)."""
    found: list[tuple[str, dict[str, object]]] = []
    async for chunk in stream:
        lines = dict(line.split(": ", 1) for line in chunk.strip().splitlines())
        if "event" in lines:
            found.append((lines["event"], json.loads(lines["data"])))
        if len(found) == count:
            return found
    return found


@pytest.fixture
def quick(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(inspector, "TICK", 0.01)


@pytest.mark.anyio
@pytest.mark.usefixtures("quick")
async def test_the_stream_sends_the_backlog_then_new_entries_then_a_clear(app: WolkvoxApp) -> None:
    transport = httpx.ASGITransport(app)
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as http:
        await http.post(ADD_INTERACTION, json=VALID_INTERACTION, headers=AUTH)
        stream = inspector._stream(app.fake, None, 0)
        (backlog, state) = await events(stream, 2)
        assert backlog[0] == "requests" and state[0] == "state"
        assert [e["seq"] for e in backlog[1]["entries"]] == [1]  # type: ignore[index]
        await http.post(ADD_INTERACTION, json=VALID_INTERACTION, headers=AUTH)
        (new,) = await events(stream, 1)
        assert new[0] == "requests" and [e["seq"] for e in new[1]["entries"]] == [2]  # type: ignore[index]
        app.fake.reset()
        (cleared,) = await events(stream, 1)
        assert cleared[0] == "clear"
        await stream.aclose()  # type: ignore[attr-defined]


@pytest.mark.anyio
@pytest.mark.usefixtures("quick")
async def test_a_batch_holds_at_most_batch_entries_and_counts_the_others(
    app: WolkvoxApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(inspector, "BATCH", 3)
    transport = httpx.ASGITransport(app)
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as http:
        for _ in range(5):
            await http.post(ADD_INTERACTION, json=VALID_INTERACTION, headers=AUTH)
    stream = inspector._stream(app.fake, None, 0)
    ((name, data),) = await events(stream, 1)
    assert name == "requests"
    assert [e["seq"] for e in data["entries"]] == [3, 4, 5]  # type: ignore[attr-defined]
    assert data["skipped"] == 2
    await stream.aclose()  # type: ignore[attr-defined]


@pytest.mark.anyio
@pytest.mark.usefixtures("quick")
async def test_a_reconnecting_browser_resumes_after_its_last_event(app: WolkvoxApp) -> None:
    transport = httpx.ASGITransport(app)
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as http:
        for _ in range(3):
            await http.post(ADD_INTERACTION, json=VALID_INTERACTION, headers=AUTH)
    stream = inspector._stream(app.fake, app.fake.journal.generation, 2)
    ((name, data),) = await events(stream, 1)
    assert name == "requests" and [e["seq"] for e in data["entries"]] == [3]  # type: ignore[attr-defined]
    await stream.aclose()  # type: ignore[attr-defined]
    # A Last-Event-ID of another generation (the journal was cleared meanwhile): start over.
    stream = inspector._stream(app.fake, app.fake.journal.generation + 1, 2)
    names = [name for name, _ in await events(stream, 2)]
    assert names == ["clear", "requests"]
    await stream.aclose()  # type: ignore[attr-defined]


def test_serve_verbose_call_log_keeps_the_exchanges_too(app: WolkvoxApp, http: httpx.Client) -> None:
    from wolkvox_mock.serving import CallLog

    app.fake.journal = CallLog(app.fake.settings.journal_size)  # what `serve --verbose` installs
    http.post(ADD_INTERACTION, json=VALID_INTERACTION, headers=AUTH)
    exchange = http.get(f"{PAGE}/requests/1").json()["exchange"]
    assert exchange is not None and exchange["query"] == "api=add_interaction"
