"""The write sequences of the conformance check (``--allow-writes``): each removes what it
created, never touches what it did not create, and reports what it could not undo."""

from __future__ import annotations

import asyncio
import ipaddress
import json
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

from tests.conftest import SERVER, TOKEN
from tests.contracts.conformance.wrong_servers import (
    RecordingServer,
    RewrittenBodies,
    int_code_ip_server,
    sticky_ip_server,
)
from wolkvox_mock import WolkvoxApp, create_app, demo_state
from wolkvox_mock.cli import main
from wolkvox_mock.contracts.conformance import UNDOABLE, Report, Target, TargetUnreachable, run_checks_sync
from wolkvox_mock.server import LiveServer

TARGET = Target("https://wv0001.wolkvox.com", SERVER, TOKEN, allow_writes=True)
# secrets.randbelow patched to 42: the IP and the telephone the sequences then use.
FIXED_IP, FIXED_TELEPHONE = "192.0.2.43", "0000000042"


def _undoable(name: str) -> Any:
    return next(u for u in UNDOABLE if u.name == name)


def _run(app: Any, name: str) -> tuple[Report, RecordingServer]:
    recorder = RecordingServer(app)
    transport = httpx.ASGITransport(app=recorder)  # type: ignore[arg-type]
    report = run_checks_sync(TARGET, checks=[_undoable(name).check()], transport=transport)
    return report, recorder


def _call(app: WolkvoxApp, method: str, api: str, body: dict[str, Any]) -> httpx.Response:
    async def send() -> httpx.Response:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
            headers = {"wolkvox-token": TOKEN, "wolkvox_server": SERVER}
            return await client.request(
                method, "/api/v2/configuration.php", params={"api": api}, headers=headers, json=body
            )

    return asyncio.run(send())


def _collections(app: WolkvoxApp) -> dict[str, Any]:
    # The audit trail records every call (as the quota counts them): not a write to undo.
    collections = app.fake.state.operations[SERVER].collections
    return {name: value for name, value in collections.items() if name != "audit_log"}


@pytest.mark.parametrize("undoable", UNDOABLE, ids=lambda u: u.name)
def test_each_sequence_passes_and_leaves_nothing(undoable: Any) -> None:
    app = create_app(demo_state(SERVER, TOKEN))
    report, recorder = _run(app, undoable.name)
    assert report.conforms and report.results[0].outcome(strict=True) == "pass", report.format()
    assert recorder.apis() == list(undoable.operations)
    assert report.calls == len(undoable.operations) == undoable.check().planned_calls()
    left = _collections(app)
    assert not left.get("ips") and not any(left.get("activity_codes", {}).values())
    assert not any(left.get("dnc", {}).values())


def test_what_is_written_is_unmistakably_the_checks_own() -> None:
    app = create_app(demo_state(SERVER, TOKEN))
    bodies: dict[str, dict[str, Any]] = {}
    for undoable in UNDOABLE:
        _, recorder = _run(app, undoable.name)
        bodies |= {q["api"]: json.loads(b) for _, q, b in recorder.seen}
    assert ipaddress.ip_address(bodies["add_ip"]["ip"]) in ipaddress.ip_network("192.0.2.0/24")
    assert bodies["add_ip"]["permanent"] == "no" and bodies["remove_ip"] == {"ip": bodies["add_ip"]["ip"]}
    code = bodies["create_cod_act"]["cod_act"]
    assert code.startswith("WVMOCK") and bodies["remove_cod_act"]["cod_act"] == code
    assert bodies["edit_cod_act"]["cod_act"] == code
    (telephone,) = bodies["add_dnc"]["telephones"]
    assert telephone.startswith("0000")
    # remove_dnc names the one telephone: never "all", which would empty the list.
    assert bodies["remove_dnc"]["telephones"] == [telephone]


@pytest.mark.parametrize(
    ("name", "method", "api", "body", "kept"),
    [
        ("writes:add_ip+remove_ip", "POST", "add_ip", {"ip": FIXED_IP}, "remove_ip"),
        (
            "writes:add_dnc+remove_dnc",
            "POST",
            "add_dnc",
            {"type_call": "outbound", "telephones": [FIXED_TELEPHONE]},
            "remove_dnc",
        ),
    ],
)
def test_what_was_there_before_is_never_undone(
    monkeypatch: pytest.MonkeyPatch, name: str, method: str, api: str, body: dict[str, Any], kept: str
) -> None:
    monkeypatch.setattr("wolkvox_mock.contracts.conformance.writes.secrets.randbelow", lambda n: 42)
    app = create_app(demo_state(SERVER, TOKEN))
    assert _call(app, method, api, body).status_code == 201
    before = json.dumps(_collections(app), sort_keys=True)
    report, recorder = _run(app, name)
    assert kept not in recorder.apis()
    assert json.dumps(_collections(app), sort_keys=True) == before
    assert report.results[0].left_on_target == []


def test_an_undo_that_fails_is_reported_as_left_on_the_target() -> None:
    with LiveServer(sticky_ip_server()) as served:  # type: ignore[arg-type]
        args = ["check", served.url, "--server", SERVER, "--token", TOKEN, "--operations", "add_ip"]
        result = CliRunner().invoke(main, [*args, "--allow-writes"])
        (ip,) = served.fake.state.operations[SERVER].collections["ips"]
    assert result.exit_code == 1, result.output
    assert "FAIL  writes:add_ip+remove_ip " in result.output
    assert "x [D] remove_ip answer: expected a success; seen a refusal, 404 NOT FOUND" in result.output
    assert "LEFT ON THE TARGET (the check could not undo it; remove it by hand):" in result.output
    assert f"  - IP {ip} on the firewall allow-list (remove it with remove_ip)" in result.output


def test_a_wrong_code_type_of_a_write_is_named() -> None:
    with LiveServer(int_code_ip_server()) as served:  # type: ignore[arg-type]
        args = ["check", served.url, "--server", SERVER, "--token", TOKEN, "--operations", "add_ip"]
        result = CliRunner().invoke(main, [*args, "--allow-writes"])
        assert not served.fake.state.operations[SERVER].collections["ips"]
    assert result.exit_code == 1, result.output
    assert 'x [D] add_ip code type: expected the string "201"; seen the integer 201' in result.output
    assert result.output.count("FAIL") == 1


def test_a_refused_middle_step_still_undoes() -> None:
    def refuse_edit(api: str, body: dict[str, Any]) -> dict[str, Any]:
        if api == "edit_cod_act":
            return {"code": 406, "error": "NOT ACCEPTABLE", "msg": "NO"}
        return body

    app = create_app(demo_state(SERVER, TOKEN))
    report, recorder = _run(RewrittenBodies(app, refuse_edit, status_from_code=True), UNDOABLE[1].name)
    assert recorder.apis() == ["create_cod_act", "edit_cod_act", "remove_cod_act"]
    assert report.results[0].outcome() == "fail" and report.results[0].left_on_target == []
    assert not any(_collections(app)["activity_codes"].values())


class _AnswerLost(httpx.AsyncBaseTransport):
    """Delivers the first request of ``api`` and then loses its answer (a timeout)."""

    def __init__(self, app: Any, api: str) -> None:
        self.inner = httpx.ASGITransport(app=app)
        self.api = api
        self.lost = False

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        if not self.lost and request.url.params.get("api") == self.api:
            self.lost = True
            raise httpx.ReadTimeout("answer lost", request=request)
        return response


def test_a_write_whose_answer_is_lost_is_undone_before_giving_up() -> None:
    app = create_app(demo_state(SERVER, TOKEN))
    check = _undoable("writes:add_ip+remove_ip").check()
    with pytest.raises(TargetUnreachable, match=r"the check then sent remove_ip: HTTP 202"):
        run_checks_sync(TARGET, checks=[check], transport=_AnswerLost(app, "add_ip"))
    assert not _collections(app)["ips"]
