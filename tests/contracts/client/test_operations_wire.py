"""What the typed methods put on the wire (builders, method, query, multipart parts), how their
results read odd answers, and ``SuccessSpec.values``."""

from __future__ import annotations

import json
from contextlib import ExitStack
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.contracts.client.support import answering
from tests.contracts.client.test_operations import FLAVOURS, Driver
from wolkvox_mock.contracts import (
    AgentResult,
    AudioUploadResult,
    CountResult,
    CreateAgentResult,
    CreateSkillResult,
    LicensesResult,
    RoutingPointsResult,
    SuccessSpec,
    SyncASGITransport,
    TokenInfoResult,
    WolkvoxClient,
    WolkvoxResult,
    load_catalogue,
)
from wolkvox_mock.contracts.client.answers import message_values
from wolkvox_mock.contracts.client.operations import Operations, Request
from wolkvox_mock.contracts.client.ops_information import InformationOperations
from wolkvox_mock.contracts.client.results import narrow

# -- builders: None is not sent, ids go as text, flags as yes/no -------------------------------


@pytest.mark.parametrize(
    ("request_", "expected"),
    [
        (
            Operations.create_agent.build(agent_dni="1", agent_name="Eva"),
            Request(json={"agent_dni": "1", "agent_name": "Eva"}),
        ),
        (
            Operations.edit_agent.build(
                agent_id=1001, agent_dni="1", agent_name="Eva", agent_pass="Aa1#aaaa"
            ),
            Request(
                json={"agent_dni": "1", "agent_name": "Eva", "agent_pass": "Aa1#aaaa"},
                params={"agent_id": "1001"},
            ),
        ),
        (
            Operations.edit_skill.build(skill_id=3, vto="fuera"),
            Request(json={"vto": "fuera"}, params={"skill_id": "3"}),
        ),
        (
            Operations.create_cod_act.build(
                type_code="cod_act1", cod_act="V", hit=True, rpc=False, chat="yes"
            ),
            Request(json={"type_code": "cod_act1", "cod_act": "V", "hit": "yes", "rpc": "no", "chat": "yes"}),
        ),
        (
            Operations.add_interaction.build(
                from_="a@b.co", to="t", subject="s", body="b", rp_id=1, toname="T"
            ),
            Request(
                json={"from": "a@b.co", "to": "t", "subject": "s", "body": "b", "rp_id": "1", "toname": "T"}
            ),
        ),
        (
            Operations.add_dnc.build(type_call="all", telephones=("300", "301")),
            Request(json={"type_call": "all", "telephones": ["300", "301"]}),
        ),
        (Operations.remove_dnc.build(telephones="all"), Request(json={"telephones": "all"})),
        (Operations.edit_licenses.build(pbx=0), Request(json={"pbx": "0"})),
        (
            Operations.add_ip.build(ip="10.0.0.1", permanent=False),
            Request(json={"ip": "10.0.0.1", "permanent": "no"}),
        ),
        (Operations.disable_module.build(), Request()),
        (InformationOperations.token_info.build(), Request()),
    ],
)
def test_builders_send_only_what_is_given_in_wolkvox_shapes(request_: Request, expected: Request) -> None:
    assert request_ == expected


def test_upload_audio_sends_one_part_per_file_named_file1_file2() -> None:
    audios = [("a.mp3", b"1", "audio/mpeg"), ("b.wav", b"2", "audio/wav")]
    assert Operations.upload_audio.build(files=audios).files == [("file1", audios[0]), ("file2", audios[1])]
    pdf = ("m.pdf", b"%PDF", "application/pdf")
    assert Operations.upload_file.build(file=pdf) == Request(files=[("file", pdf)])


# -- on the wire, both flavours ------------------------------------------------------------------

ANSWER = {"code": 202, "error": None, "msg": "agent has been updated"}


def _seen(
    flavour: str, method: str, **arguments: Any
) -> tuple[str, str, dict[str, list[str]], bytes, dict[str, str]]:
    app = answering(202, ANSWER)
    with ExitStack() as stack:
        Driver(app, flavour, stack)(method, **arguments)
    ((verb, url, headers, body),) = app.state.seen
    parts = urlsplit(url)
    return verb, parts.path, parse_qs(parts.query), body, headers


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_method_from_the_catalogue_query_fields_and_json_body(flavour: str) -> None:
    verb, path, query, body, headers = _seen(
        flavour, "edit_agent", agent_id=1001, agent_dni="7", agent_name="Ana"
    )
    assert (verb, path) == ("PUT", "/api/v2/configuration.php")
    assert query == {"api": ["edit_agent"], "agent_id": ["1001"]}
    assert json.loads(body) == {"agent_dni": "7", "agent_name": "Ana"}
    assert headers["content-type"] == "application/json"


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_delete_file_uses_the_documented_first_method_and_information_its_own_path(flavour: str) -> None:
    assert _seen(flavour, "delete_file", filename="m.pdf")[:3] == (
        "DELETE",
        "/api/v2/configuration.php",
        {"api": ["delete_file"]},
    )
    verb, path, query, body, _ = _seen(flavour, "routing_points")
    assert (verb, path, query, body) == ("GET", "/api/v2/information.php", {"api": ["routing_points"]}, b"")


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_uploads_are_multipart_with_the_file_names_and_types_given(flavour: str) -> None:
    audios = [("hola.mp3", b"ID3-hola", "audio/mpeg"), ("adios.wav", b"RIFF-adios", "audio/wav")]
    verb, _, _, body, headers = _seen(flavour, "upload_audio", files=audios)
    assert verb == "POST" and headers["content-type"].startswith("multipart/form-data; boundary=")
    for part, (name, content, kind) in zip(("file1", "file2"), audios, strict=True):
        assert f'name="{part}"; filename="{name}"'.encode() in body
        assert f"Content-Type: {kind}".encode() in body and content in body


# -- results read odd answers without failing -----------------------------------------------------


def answer(kind: type[Any], api: str, msg: str, data: Any = None, family: str = "configuration") -> Any:
    raw = {"code": "200", "error": None, "msg": msg, "data": data}
    return narrow(WolkvoxResult(api, family, 200, 200, "200", msg, data, raw), kind)


def test_data_results_read_the_first_row_and_tolerate_a_missing_one() -> None:
    created = answer(
        CreateAgentResult, "create_agent", "Agent has been created", [{"agent_id": 1005, "password": "x"}]
    )
    assert (created.agent_id, created.password) == ("1005", "x")
    assert answer(CreateAgentResult, "create_agent", "Agent has been created").agent_id is None
    assert (
        answer(CreateSkillResult, "create_skill", "Skill has been created", {"skill_id": "9"}).skill_id == "9"
    )
    audio = answer(
        AudioUploadResult, "upload_audio", "2 audio file(s) uploaded successfully", [{"filename": "a"}, "?"]
    )
    assert (audio.count, audio.filenames) == (2, ("a",))


def test_counters_become_ints_and_odd_values_none() -> None:
    row = {
        "description": "d",
        "token_limit": "1000",
        "token_use_today": "X",
        "available_consumption_options": 5,
    }
    info = answer(TokenInfoResult, "token_info", " 1 records were found", [row], "information")
    assert (
        info.token_limit,
        info.token_use_today,
        info.all_token_today,
        info.available_consumption_options,
    ) == (
        1000,
        None,
        None,
        5,
    )
    assert answer(CountResult, "add_dnc", "X telephones were added").count is None
    licenses = answer(
        LicensesResult,
        "edit_licenses",
        " - Change of contact center licenses from 1 to 2 - Change of PBX licenses from 0 to 0",
    )
    assert (licenses.call_center_from, licenses.call_center_to, licenses.pbx_to) == (1, 2, 0)


def test_a_message_in_other_words_gives_none_not_an_error() -> None:
    assert answer(AgentResult, "disable_agent", "done").agent_id is None
    points = answer(
        RoutingPointsResult, "routing_points", "records", {"rp_id": "1", "ivr_active": "YES"}, "information"
    )
    assert (points.count, points.routing_points[0].ivr_active, points.routing_points[0].rp_name) == (
        None,
        True,
        "",
    )
    assert (
        answer(
            RoutingPointsResult, "routing_points", "0 records were found", "none", "information"
        ).routing_points
        == ()
    )


# -- SuccessSpec.values ---------------------------------------------------------------------------


def test_success_values_read_a_rendered_message_back() -> None:
    spec = load_catalogue().operation("configuration", "block_predictive_dnc")
    assert spec is not None
    msg = spec.success.render(count=3, campaign="Ventas 2")
    assert spec.success.values(msg) == {"count": "3", "campaign": "Ventas 2"}
    assert spec.success.values("something else") is None


def test_success_values_ignore_outer_whitespace_and_templates_without_placeholders() -> None:
    interaction = SuccessSpec(
        201, "string", "{rp_id} routing point was executed and assigned to agent ({agent_id}) "
    )
    assert interaction.values("1 routing point was executed and assigned to agent (1001)") == {
        "rp_id": "1",
        "agent_id": "1001",
    }
    assert SuccessSpec(201, "int", "Agent has been created").values("Agent has been created") == {}
    assert SuccessSpec(201, "int", "Agent has been created").values("Agent has been created!") is None
    # The client's reader is the same one.
    assert message_values(interaction.msg, "nope") == {}


def test_the_client_and_the_typed_method_report_the_same_result() -> None:
    app = answering(202, {"code": 202, "error": None, "msg": "1001 agent has been disabled"})
    with WolkvoxClient("0001", "t", transport=SyncASGITransport(app)) as client:
        typed = client.disable_agent(agent_id="1001")
        plain = client.call("disable_agent", method="PUT", json={"agent_id": "1001"})
    assert typed.agent_id == "1001" and plain.values() == {"agent_id": "1001"}
    assert (typed.code, typed.msg, typed.raw) == (plain.code, plain.msg, plain.raw)
