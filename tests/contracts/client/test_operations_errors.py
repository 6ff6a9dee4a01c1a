"""Refusals through the typed methods, one or more per family of operations, sync and async:
the catalogue's exception, the fake's journal, and state left as it was."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.conftest import SERVER
from tests.contracts.client.support import INTERACTION, QUOTA_TOKEN
from tests.contracts.client.test_operations import FLAVOURS, Driver
from wolkvox_mock import WolkvoxApp
from wolkvox_mock.contracts import (
    InvalidValueError,
    MissingParametersError,
    ModuleDisabledError,
    NotFoundError,
    TokenLimitExceededError,
    WolkvoxAPIError,
)


@dataclass(frozen=True)
class Refused:
    """Calls that succeed (``before``), then one the fake refuses with ``error``."""

    family: str
    method: str
    arguments: dict[str, Any]
    error: type[WolkvoxAPIError]
    status: int
    before: list[tuple[str, dict[str, Any]]] = field(default_factory=list)


IP = {"ip": "10.0.0.1"}
CODE = {"type_code": "cod_act1", "cod_act": "VENTA"}
REFUSED = [
    Refused("interactions", "add_interaction", {**INTERACTION, "rp_id": "999"}, NotFoundError, 404),
    Refused("dnc", "add_dnc", {"type_call": "sideways", "telephones": ["1"]}, InvalidValueError, 406),
    Refused("law2300", "block_law2300", {"telephone": "sin número"}, InvalidValueError, 406),
    Refused("agents", "disable_agent", {"agent_id": 9999}, NotFoundError, 404),
    Refused(
        "agents",
        "create_agent",
        {"agent_dni": "1", "agent_name": "Eva", "agent_pass": "weak"},
        InvalidValueError,
        406,
    ),
    Refused(
        "agents",
        "edit_agent",
        {"agent_id": "1001", "agent_dni": "1", "agent_name": " "},
        MissingParametersError,
        400,
    ),
    Refused("skills", "edit_skill", {"skill_id": 99, "skill_name": "X"}, NotFoundError, 404),
    Refused("skills", "edit_skill", {"skill_id": 1}, MissingParametersError, 400),
    Refused(
        "skills",
        "remove_agents_skill",
        {"skill_id": "1", "agent_id": "1001"},
        NotFoundError,
        404,
        before=[("remove_agents_skill", {"skill_id": "1", "agent_id": "1001"})],
    ),
    Refused("codes", "create_cod_act", CODE, NotFoundError, 404, before=[("create_cod_act", CODE)]),
    Refused("codes", "remove_cod_act", CODE, NotFoundError, 404),
    Refused("module", "edit_licenses", {}, MissingParametersError, 400),
    Refused("module", "add_ip", IP, ModuleDisabledError, 403, before=[("disable_module", {})]),
    Refused("ips", "add_ip", IP, NotFoundError, 404, before=[("add_ip", IP)]),
    Refused("ips", "add_ip", {"ip": "999.1.1.1"}, InvalidValueError, 406),
    Refused("ips", "remove_ip", IP, NotFoundError, 404),
    Refused(
        "files",
        "upload_file",
        {"file": ("virus.exe", b"MZ", "application/octet-stream")},
        InvalidValueError,
        406,
    ),
    Refused("files", "delete_file", {"filename": "nada.pdf"}, NotFoundError, 404),
    Refused("files", "upload_audio", {"files": []}, MissingParametersError, 400),
    Refused("speech", "speech_on_demand", {"conn_id": "abc", "agent_id": "9999"}, NotFoundError, 404),
]


@pytest.fixture(params=FLAVOURS)
def client(request: pytest.FixtureRequest, app: WolkvoxApp) -> Iterator[Driver]:
    with ExitStack() as stack:
        yield Driver(app, request.param, stack)


def _without_tokens(state: dict[str, Any]) -> dict[str, Any]:
    # Every call counts against the token's quota and the operation's pool; the rest of the
    # state must not move.
    for op in state["operations"]:
        for counted in ("tokens", "usage_day", "usage_count"):
            op.pop(counted)
    return state


@pytest.mark.parametrize("case", REFUSED, ids=[f"{c.family}-{c.method}-{c.error.__name__}" for c in REFUSED])
def test_typed_method_raises_the_catalogue_exception(client: Driver, case: Refused) -> None:
    for method, arguments in case.before:
        client(method, **arguments)
    before = _without_tokens(client.fake.export())

    with pytest.raises(case.error) as caught:
        client(case.method, **case.arguments)

    assert (caught.value.status, caught.value.code) == (case.status, case.status)
    assert (client.fake.requests[-1].api, client.fake.requests[-1].status) == (case.method, case.status)
    assert _without_tokens(client.fake.export()) == before


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_information_calls_count_against_the_quota(app: WolkvoxApp, flavour: str) -> None:
    app.fake.add_token(QUOTA_TOKEN, limit=2, server=SERVER)
    with ExitStack() as stack:
        limited = Driver(app, flavour, stack, token=QUOTA_TOKEN)
        info = limited("token_info")
        assert (info.token_limit, info.token_use_today, info.available_consumption_options) == (2, 1, 1)
        assert limited("routing_points").count == 1
        with pytest.raises(TokenLimitExceededError):
            limited("token_info")
