"""Who may drive the fake: the control plane refuses non-loopback clients without the admin
token and never accepts a Wolkvox token; tokens are masked in the journal and the logs;
``serve`` on a non-loopback address without an admin token warns."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from starlette.routing import Route

from tests.conftest import ADD_INTERACTION, BASE_URL, SERVER, TOKEN, VALID_INTERACTION
from tests.hardening.fuzz_report import record
from tests.hardening.hostile import json_values
from tests.hardening.support import (
    budget,
    check_envelope,
    client_for,
    fuzz_app,
    raw_exchange,
)
from wolkvox_mock import WolkvoxApp, cli
from wolkvox_mock.contracts.protocol import ADMIN_HEADER
from wolkvox_mock.control.app import PREFIX, create_control_app
from wolkvox_mock.server import LiveServer, uvicorn_config

REMOTE = ("203.0.113.9", 40000)  # TEST-NET-3: never this machine
ADMIN = "admin-7f3a9c"
#: (method, path) of every control operation, read from the control app's own routes; the
#: health probe answers everyone on purpose (tested below) and is left out.
_OPS: list[tuple[str, str]] = [
    (sorted(route.methods - {"HEAD"})[0], route.path)
    for route in create_control_app(fuzz_app().fake).routes
    if isinstance(route, Route) and route.methods and route.path != "/health"
]


def _control_paths() -> st.SearchStrategy[tuple[str, str]]:
    """A control operation's method and path, path parameters filled with odd text, or a
    method/path the control plane does not have."""
    fill = st.sampled_from([TOKEN, "f1", "w1", "", "%00", "..", "x" * 300]) | st.text(max_size=12)

    def concrete(op: tuple[str, str], value: str) -> tuple[str, str]:
        method, path = op
        for name in ("{token}", "{fault_id}", "{window_id}"):
            path = path.replace(name, quote(value, safe="") or "x")
        return method, PREFIX + path

    known = st.builds(concrete, st.sampled_from(_OPS), fill)
    other = st.tuples(st.sampled_from(["GET", "POST", "PUT", "DELETE", "PATCH"]), st.text(max_size=20))
    unknown = other.filter(lambda mp: mp[1] != "health")
    return known | unknown.map(lambda mp: (mp[0], f"{PREFIX}/{quote(mp[1], safe='/')}"))


_QUERY = st.dictionaries(
    st.sampled_from(["token", "api", "status", "limit", "server", "rp_id", "wait", "timeout"]),
    st.sampled_from(["", "0", "-1", "1", "5", "4xx", "403", "nan", "inf", "1e400", TOKEN, "add_interaction"]),
    max_size=3,
)
_BODIES = st.one_of(
    st.none(),
    json_values(),
    st.dictionaries(
        st.sampled_from(
            ["error", "latency", "transport", "token", "times", "seconds", "days", "at", "server"]
        ),
        json_values(max_leaves=3)
        | st.sampled_from(["token_busy", "2026-11-27T05:00:00Z", TOKEN, SERVER, 0.001]),
        max_size=4,
    ),
)


def _headers(extra: dict[str, str]) -> st.SearchStrategy[dict[str, str]]:
    choices = st.sampled_from([{}, {"wolkvox-token": TOKEN}, {ADMIN_HEADER: TOKEN}, {ADMIN_HEADER: "guess"}])
    return choices.map(lambda h: {**h, **extra})


async def _call(
    app: WolkvoxApp, client: tuple[str, int], method: str, path: str, **kwargs: Any
) -> httpx.Response:
    transport = httpx.ASGITransport(app, client=client)
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as http:
        return await http.request(method, path, **kwargs)


def _body_kwargs(body: Any) -> dict[str, Any]:
    return {} if body is None else {"content": json.dumps(body).encode()}


@pytest.mark.parametrize("admin", [None, ADMIN])
def test_remote_clients_never_drive_the_control_plane_without_the_admin_token(admin: str | None) -> None:
    """Any control request from a remote client, with a Wolkvox token or a wrong admin token
    or none: 401/403, and the state, holds and faults stay as they were."""
    app = fuzz_app(admin_token=admin)
    before = app.fake.export()

    @budget(150)
    @given(op=_control_paths(), query=_QUERY, body=_BODIES, headers=_headers({}))
    def case(op: tuple[str, str], query: dict[str, str], body: Any, headers: dict[str, str]) -> None:
        method, path = op
        kwargs = {"params": query, "headers": headers, **_body_kwargs(body)}
        response = asyncio.run(_call(app, REMOTE, method, path, **kwargs))
        record("control-remote", response.status_code)
        if response.status_code == 404:  # "/__wolkvox_mock__" alone (".." resolved): not the plane
            assert check_envelope(404, response.content)["error"] == "NOT FOUND"
            return
        assert response.status_code in (401, 403), (response.status_code, response.text)
        assert set(response.json()) == {"error", "fix"}

    case()
    assert app.fake.export() == before
    assert app.fake.list_faults() == [] and not app.fake.gate.is_held(TOKEN)


def test_the_control_plane_never_answers_5xx_to_loopback_clients() -> None:
    """Odd paths, queries and bodies from loopback: a JSON answer, never a 5xx."""
    app = fuzz_app()

    @budget(300)
    @given(op=_control_paths(), query=_QUERY, body=_BODIES)
    def case(op: tuple[str, str], query: dict[str, str], body: Any) -> None:
        app.fake.reset()
        if "wait" in query:
            query = {**query, "timeout": "0"}  # never block the fuzz on a hold
        method, path = op
        response = asyncio.run(
            _call(app, ("127.0.0.1", 5000), method, path, params=query, **_body_kwargs(body))
        )
        record("control-loopback", response.status_code)
        assert response.status_code < 500, response.text
        assert isinstance(response.json(), dict)

    case()


def test_a_remote_client_behind_a_local_proxy_is_refused_on_a_live_server(live_admin: LiveServer) -> None:
    """uvicorn believes X-Forwarded-For from 127.0.0.1 only: a proxy on this machine that
    forwards a remote client makes it remote again."""
    with client_for(live_admin.url) as client:
        assert client.get(f"{PREFIX}/state").status_code == 200
        forwarded = {"x-forwarded-for": REMOTE[0]}
        assert client.get(f"{PREFIX}/state", headers=forwarded).status_code == 401
        assert client.get(f"{PREFIX}/state", headers={**forwarded, ADMIN_HEADER: ADMIN}).status_code == 200
        assert client.get(f"{PREFIX}/state", headers={**forwarded, ADMIN_HEADER: TOKEN}).status_code == 403


@pytest.fixture
def live_admin() -> Iterator[LiveServer]:
    with LiveServer(fuzz_app(admin_token=ADMIN)) as live:
        yield live


@pytest.mark.parametrize("trusted", [None, "*"])
def test_a_remote_client_cannot_claim_to_be_loopback(
    monkeypatch: pytest.MonkeyPatch, trusted: str | None
) -> None:
    """Through uvicorn's own middleware: with FORWARDED_ALLOW_IPS=* in the environment, a
    remote client sending X-Forwarded-For: 127.0.0.1 is still remote (uvicorn_config pins
    the trusted proxies); only an explicit override would open the door."""
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", "*")
    overrides = {} if trusted is None else {"forwarded_allow_ips": trusted}
    config = uvicorn_config(fuzz_app(), "127.0.0.1", 0, **overrides)
    config.load()
    headers = {"x-forwarded-for": "127.0.0.1"}
    response = asyncio.run(_call(config.loaded_app, REMOTE, "GET", f"{PREFIX}/state", headers=headers))
    assert response.status_code == (403 if trusted is None else 200)


# -- masking ------------------------------------------------------------------------------


def _traffic(live: LiveServer) -> None:
    """Requests that carry the token every way a client can (and a few that go wrong)."""
    auth = {"wolkvox-token": TOKEN}
    with client_for(live.url) as client:
        client.post(ADD_INTERACTION, json=VALID_INTERACTION, headers=auth)
        client.post(ADD_INTERACTION, json=VALID_INTERACTION, headers={**auth, "wolkvox_server": "0002"})
        client.post(ADD_INTERACTION, json={**VALID_INTERACTION, "wolkvox-token": TOKEN})
        client.post(ADD_INTERACTION, json=VALID_INTERACTION, headers={"wolkvoxtoken": TOKEN})
        client.post(
            ADD_INTERACTION,
            json=VALID_INTERACTION,
            headers={**auth, "x-wolkvox-mock-fault": "error=token_busy"},
        )
        client.post(ADD_INTERACTION, content=b"{", headers=auth)
        client.post(f"{ADD_INTERACTION}&token={TOKEN}", json=VALID_INTERACTION)
        client.post(f"{ADD_INTERACTION}&wolkvox-token={TOKEN}", json=VALID_INTERACTION)
        client.post(f"{PREFIX}/faults", json={"error": "maintenance", "token": TOKEN, "times": 1})
        client.post(ADD_INTERACTION, json=VALID_INTERACTION, headers=auth)
        client.post(f"{PREFIX}/holds/{TOKEN}")
        client.get(f"{PREFIX}/holds/{TOKEN}")
        client.delete(f"{PREFIX}/holds/{TOKEN}")
        for path in ("requests", "interactions", "faults"):
            assert TOKEN not in client.get(f"{PREFIX}/{path}").text, path
        assert TOKEN not in client.get(f"{PREFIX}/requests", params={"token": TOKEN}).text
    raw_exchange(
        live.host,
        live.port,
        f"GET {ADD_INTERACTION} HTTP/1.1\r\nhost: x\r\nwolkvox-token: {TOKEN}\r\n\r\n".encode(),
    )


def test_the_journal_never_holds_a_whole_token() -> None:
    with LiveServer(fuzz_app()) as live:
        _traffic(live)
        entries = [e.to_dict() for e in live.fake.requests]
    assert len(entries) >= 8
    assert TOKEN not in json.dumps(entries)
    assert {e["token"] for e in entries if e["token"]} == {f"{TOKEN[:4]}…{TOKEN[-4:]}"}


def test_the_server_logs_never_hold_a_whole_token(caplog: pytest.LogCaptureFixture) -> None:
    """Logged as ``wolkvox-mock serve`` logs (info level, access log on)."""
    with LiveServer(fuzz_app(), log_level="info", access_log=True) as live:
        caplog.set_level(logging.DEBUG)
        for name in ("uvicorn.access", "uvicorn.error", "wolkvox_mock"):
            logging.getLogger(name).addHandler(caplog.handler)
        try:
            _traffic(live)
        finally:
            for name in ("uvicorn.access", "uvicorn.error", "wolkvox_mock"):
                logging.getLogger(name).removeHandler(caplog.handler)
    server_loggers = ("uvicorn", "wolkvox_mock")  # not httpx's own log of the test's requests
    messages = [r.getMessage() for r in caplog.records if r.name.startswith(server_loggers)]
    assert any("/holds/" in m for m in messages), messages  # the access log was captured
    assert [m for m in messages if TOKEN in m] == [], "\n".join(m for m in messages if TOKEN in m)


# -- the CLI warning ----------------------------------------------------------------------


def _no_serve(*args: object, **options: object) -> None:
    """Stands in for serving: ``serve`` returns at once."""


@pytest.mark.parametrize(
    ("args", "warns"),
    [
        (["--host", "0.0.0.0"], True),
        (["--host", "::"], True),
        (["--host", "0.0.0.0", "--admin-token", ADMIN], False),
        (["--host", "127.0.0.1"], False),
        (["--host", "localhost"], False),
        (["--host", "::1"], False),
    ],
)
def test_serve_warns_when_the_api_is_reachable_from_the_network_without_an_admin_token(
    monkeypatch: pytest.MonkeyPatch, args: list[str], warns: bool
) -> None:
    monkeypatch.setattr(cli, "_run", _no_serve)
    monkeypatch.setattr(cli, "bind_socket", lambda host, port: _FakeSocket())
    result = CliRunner().invoke(cli.main, ["serve", "--port", "0", *args])
    assert result.exit_code == 0, result.output
    warning = "without --admin-token" in result.stderr
    assert warning is warns, result.stderr
    if warns:
        assert result.stderr.startswith("warning: binding")
        assert "the control plane stays loopback-only" in result.stderr


class _FakeSocket:
    """A bound socket as far as ``serve`` looks (nothing is bound)."""

    def getsockname(self) -> tuple[str, int]:
        return ("0.0.0.0", 8080)
