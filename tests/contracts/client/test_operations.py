"""Every typed client method against the fake in-process, sync (SyncASGITransport) and async
(httpx.ASGITransport): the state the request changed, the journal entry, the typed result."""

from __future__ import annotations

import copy
import dataclasses
import functools
import inspect
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import Any

import anyio
import httpx
import pytest
from anyio.from_thread import start_blocking_portal

from tests.conftest import SERVER, TOKEN
from tests.contracts.client.support import INTERACTION
from wolkvox_mock import WolkvoxApp
from wolkvox_mock.contracts import (
    AsyncWolkvoxClient,
    RetryPolicy,
    SyncASGITransport,
    WolkvoxClient,
    WolkvoxResult,
    load_catalogue,
)
from wolkvox_mock.contracts.client.operations import Op, Operations
from wolkvox_mock.contracts.client.ops_information import InformationOperations
from wolkvox_mock.state.models import Operation

FLAVOURS = ["sync", "async"]


class Driver:
    """A typed client of one flavour bound in-process to the fake, called synchronously
    (the async one runs on an event loop of its own, kept for the whole test)."""

    def __init__(self, app: Any, flavour: str, stack: ExitStack, token: str = TOKEN) -> None:
        self.fake = getattr(app, "fake", None)
        retry = RetryPolicy(retries=0)
        if flavour == "sync":
            client = WolkvoxClient(SERVER, token, transport=SyncASGITransport(app), retry=retry)
            stack.enter_context(client)
            self._run: Callable[[str, dict[str, Any]], Any] = lambda name, kw: getattr(client, name)(**kw)
        else:
            portal = stack.enter_context(start_blocking_portal("asyncio"))
            aclient = AsyncWolkvoxClient(SERVER, token, transport=httpx.ASGITransport(app), retry=retry)
            stack.callback(portal.call, aclient.aclose)
            self._run = lambda name, kw: portal.call(functools.partial(getattr(aclient, name), **kw))

    def __call__(self, method: str, **arguments: Any) -> Any:
        return self._run(method, arguments)

    @property
    def op(self) -> Operation:
        return self.fake.operation(SERVER)


@pytest.fixture(params=FLAVOURS)
def flavour(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def driver(app: WolkvoxApp, flavour: str) -> Iterator[Driver]:
    with ExitStack() as stack:
        yield Driver(app, flavour, stack)


# -- one case per typed method -------------------------------------------------------------------


def _nothing(op: Operation) -> None:
    return None


@dataclass(frozen=True)
class Case:
    """A call that succeeds on the demo operation (after ``setup``) and what it must do."""

    method: str
    arguments: dict[str, Any]
    check: Callable[[Operation, Any], None]
    setup: Callable[[Operation], None] = field(default=_nothing)


def _put(name: str, value: Any) -> Callable[[Operation], None]:
    def setup(op: Operation) -> None:
        # A copy each time: the case runs once per flavour, and the fake changes what it is given.
        op.collections[name] = copy.deepcopy(value)

    return setup


def _disable(agent_id: str) -> Callable[[Operation], None]:
    def setup(op: Operation) -> None:
        op.agents[agent_id].enabled = False

    return setup


def _module_off(op: Operation) -> None:
    op.module_enabled = False


def _codes(*codes: str) -> Callable[[Operation], None]:
    entry = {"description_cod_act": "antes", "hit": "no", "rpc": "no"}
    return _put("activity_codes", {"cod_act1": {code: dict(entry) for code in codes}})


def _new_agent(op: Operation) -> None:
    from wolkvox_mock.state.models import Agent

    op.agents["1003"] = Agent(agent_id="1003", name="Nueva")


def _second_routing_point(op: Operation) -> None:
    from wolkvox_mock.state.models import RoutingPoint

    op.routing_points["2"] = RoutingPoint(rp_id="2", name="IVR", ivr_active=True, interaction_active=False)


def check_interaction(op: Operation, r: Any) -> None:
    assert r.agent_id in op.routing_points["1"].agents or r.agent_id in op.skills["1"].agents
    assert op.routing_points["1"].last_use


def check_add_dnc(op: Operation, r: Any) -> None:
    assert (r.count, op.collections["dnc"]["inbound"]) == (2, ["3001112233", "3004445566"])
    assert op.collections["dnc"]["outbound"] == []


def check_remove_dnc(op: Operation, r: Any) -> None:
    assert (r.count, op.collections["dnc"]) == (1, {"inbound": [], "outbound": ["3001112233"]})


def check_create_agent(op: Operation, r: Any) -> None:
    agent = op.agents[r.agent_id]
    assert (r.agent_id, agent.dni, agent.name, agent.sso) == ("1003", "1010", "Eva Nueva", "eva")
    # No password sent: Wolkvox generates one and answers it in data.
    assert r.password == agent.password and len(r.password) == 12


def check_edit_agent(op: Operation, r: Any) -> None:
    agent = op.agents["1001"]
    assert (agent.dni, agent.name, agent.sso, agent.password) == ("2020", "Ana Editada", "ana", "Nueva#123")


def check_disable_agent(op: Operation, r: Any) -> None:
    assert (r.agent_id, op.agents["1001"].enabled, op.agents["1002"].enabled) == ("1001", False, True)


def check_enable_agent(op: Operation, r: Any) -> None:
    assert (r.agent_id, op.agents["1002"].enabled) == ("1002", True)


def check_disable_module(op: Operation, r: Any) -> None:
    assert (r.module, op.module_enabled) == ("Demo operation", False)


def check_enable_module(op: Operation, r: Any) -> None:
    assert (r.module, op.module_enabled) == ("Demo operation", True)


def check_edit_licenses(op: Operation, r: Any) -> None:
    assert (r.call_center_from, r.call_center_to, r.pbx_from, r.pbx_to) == (10, 12, 0, 3)
    assert (op.licenses, op.pbx_licenses) == (12, 3)


def check_add_ip(op: Operation, r: Any) -> None:
    assert r.ip == "10.0.0.1"
    entry = op.collections["ips"]["10.0.0.1"]
    assert (entry["type_ip"], entry["description"]) == ("permanente", "office")


def check_remove_ip(op: Operation, r: Any) -> None:
    assert (r.ip, op.collections["ips"]) == ("10.0.0.9", {})


def check_create_skill(op: Operation, r: Any) -> None:
    skill = op.skills[r.skill_id]
    assert (r.skill_id, skill.name, skill.extra) == ("2", "Ventas", {"voicemail": "5003"})


def check_edit_skill(op: Operation, r: Any) -> None:
    # Only the field given was sent: the name is unchanged.
    assert (op.skills["1"].name, op.skills["1"].description) == ("Demo skill", "nueva")


def check_add_agents_skill(op: Operation, r: Any) -> None:
    assert (r.agent_id, r.skill_id, op.skills["1"].agents["1003"]) == ("1003", "1", "7")


def check_remove_agents_skill(op: Operation, r: Any) -> None:
    assert op.skills["1"].agents == {"1001": "5"}


def check_create_cod_act(op: Operation, r: Any) -> None:
    code = op.collections["activity_codes"]["cod_act2"]["VENTA"]
    # Flags not given take the default "no".
    assert code == {"description_cod_act": "venta", "hit": "yes"} | dict.fromkeys(
        ("rpc", "chat", "studio", "voice", "interactions"), "no"
    )


def check_edit_cod_act(op: Operation, r: Any) -> None:
    code = op.collections["activity_codes"]["cod_act1"]["VENTA"]
    assert (code["description_cod_act"], code["rpc"], code["hit"]) == ("antes", "yes", "no")


def check_remove_cod_act(op: Operation, r: Any) -> None:
    assert list(op.collections["activity_codes"]["cod_act1"]) == ["OTRO"]


def check_free_law2300(op: Operation, r: Any) -> None:
    assert op.collections["law2300"] == {}
    assert op.collections["law2300_releases"][0]["released"] == ["3001112233"]


def check_block_law2300(op: Operation, r: Any) -> None:
    assert op.collections["law2300"]["3001112233"]["customer_id"] == "77"


def check_block_predictive_dnc(op: Operation, r: Any) -> None:
    assert (r.count, r.campaign, op.collections["predictive_dnc"]) == (2, "12", {"12": ["a1", "a2"]})


def check_upload_file(op: Operation, r: Any) -> None:
    assert r.filenames == ("manual.pdf",)
    assert op.collections["copilot_files"]["manual.pdf"]["size"] == len(b"%PDF-1.4")


def check_delete_file(op: Operation, r: Any) -> None:
    assert op.collections["copilot_files"] == {}


def check_upload_audio(op: Operation, r: Any) -> None:
    assert (r.count, r.filenames) == (2, ("hola.mp3", "adios.wav"))
    assert sorted(op.collections["audios"]) == ["adios.wav", "hola.mp3"]


def check_speech_on_demand(op: Operation, r: Any) -> None:
    (entry,) = op.collections["speech_on_demand"]
    # date_end was not given, so not sent: the fake records it empty.
    expected = {"conn_id": "abc123", "agent_id": "1001", "date_ini": "2026-01-01", "date_end": ""}
    assert {name: entry[name] for name in expected} == expected


def check_token_info(op: Operation, r: Any) -> None:
    assert r.description == "wolkvox-mock demo token"
    assert (r.token_limit, r.token_use_today, r.all_token_today, r.available_consumption_options) == (
        10_000,
        1,
        1,
        9_999,
    )


def _seeded_lists(op: Operation) -> None:
    op.collections.update(
        copy.deepcopy(
            {
                "campaigns": [{"campaign_id": "7", "campaign_name": "Cobros", "records": "120"}],
                "connectors": [{"connector_id": "3", "rp_id": "1", "name": "WA", "channel": "whatsapp"}],
                "notifications": [{"date": "2026-11-28 09:00:00", "notification": "flow"}],
                "audit_log": [
                    {"date": "2026-11-28 08:00:00", "ip": "10.0.0.1", "user": "admin", "action": "x"}
                ],
                "activity_codes": {"cod_act2": {"VENTA": {"description_cod_act": "Venta", "hit": "yes"}}},
                "dnc": {"inbound": ["3001112233"], "outbound": []},
                "law2300": {"3007778899": {"telephone": "3007778899", "nit": "900", "blocked": ""}},
                "ips": {"10.1.1.1": {"ip": "10.1.1.1", "type_ip": "permanente", "description": "office"}},
                "audios": {"a.wav": {"filename": "a.wav", "size": 2048, "created": "", "duration": 4}},
                "services": {"sso": "yes"},
                "storage_gb": "2.5",
            }
        )
    )


def _row(attribute: str, expected: Any) -> Callable[[Operation, Any], None]:
    """A check that the first row's ``attribute`` is ``expected`` and the count says so."""

    def check(op: Operation, r: Any) -> None:
        assert r.rows and getattr(r.rows[0], attribute) == expected
        assert r.count in (None, len(r.rows))
        assert r.rows[0].raw

    return check


def check_services(op: Operation, r: Any) -> None:
    assert (r.licenses, r.pbx, r.services["sso"], r.services["whatsapp"]) == (10, 0, True, False)


def check_storage(op: Operation, r: Any) -> None:
    assert (r.count, r.storage) == (1, 2.5)


RANGE = {"date_ini": "20261128000000", "date_end": "20261128235959"}
INFORMATION_CASES = [
    Case("audit_log", RANGE, _row("user", "admin"), _seeded_lists),
    Case("skills", {"skill": 1}, _row("skill_name", "Demo skill")),
    Case("campaigns", {}, _row("records", 120), _seeded_lists),
    Case("agents", {"agent": 1002}, _row("agent_name", "Luis Demo")),
    Case("connectors", {}, _row("channel", "whatsapp"), _seeded_lists),
    Case("services", {}, check_services, _seeded_lists),
    Case("agents_in_skill", {"skill_id": 1}, _row("expertise", 5)),
    Case("activity_codes", {"cod_act": "VENTA"}, _row("hit", True), _seeded_lists),
    Case("get_dnc", {"type": "inbound"}, _row("phone_number", "3001112233"), _seeded_lists),
    Case("law2300_info", {"nit": "900", "phone": "3007778899"}, _row("last_channel", "voice"), _seeded_lists),
    Case("get_ip", {}, _row("permanent", True), _seeded_lists),
    Case("get_notification", RANGE, _row("notification", "flow"), _seeded_lists),
    Case("storage", {}, check_storage, _seeded_lists),
    Case("audio_list", {}, _row("duration", 4), _seeded_lists),
]


def check_routing_points(op: Operation, r: Any) -> None:
    first, second = r.routing_points
    assert (r.count, first.rp_id, first.rp_name, first.interaction_active, first.ivr_active) == (
        2,
        "1",
        "Demo interactions",
        True,
        False,
    )
    assert (second.rp_id, second.ivr_active, second.interaction_active, second.last_use) == (
        "2",
        True,
        False,
        "",
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.rp_name = "otro"  # type: ignore[misc]


PDF = ("manual.pdf", b"%PDF-1.4", "application/pdf")
AUDIOS = [("hola.mp3", b"ID3", "audio/mpeg"), ("adios.wav", b"RIFF", "audio/wav")]
CASES = [
    Case("add_interaction", INTERACTION, check_interaction),
    Case("add_dnc", {"type_call": "inbound", "telephones": ["3001112233", "3004445566"]}, check_add_dnc),
    Case(
        "remove_dnc",
        {"telephones": "3001112233", "type": "inbound"},
        check_remove_dnc,
        _put("dnc", {"inbound": ["3001112233"], "outbound": ["3001112233"]}),
    ),
    Case(
        "create_agent", {"agent_dni": 1010, "agent_name": "Eva Nueva", "agent_sso": "eva"}, check_create_agent
    ),
    Case(
        "edit_agent",
        {
            "agent_id": 1001,
            "agent_dni": "2020",
            "agent_name": "Ana Editada",
            "agent_sso": "ana",
            "agent_pass": "Nueva#123",
        },
        check_edit_agent,
    ),
    Case("disable_agent", {"agent_id": "1001"}, check_disable_agent),
    Case("enable_agent", {"agent_id": 1002}, check_enable_agent, _disable("1002")),
    Case("disable_module", {}, check_disable_module),
    Case("enable_module", {}, check_enable_module, _module_off),
    Case("edit_licenses", {"call_center": 12, "pbx": "3"}, check_edit_licenses),
    Case("add_ip", {"ip": "10.0.0.1", "permanent": True, "description": "office"}, check_add_ip),
    Case(
        "remove_ip", {"ip": "10.0.0.9"}, check_remove_ip, _put("ips", {"10.0.0.9": {"type_ip": "temporal"}})
    ),
    Case("create_skill", {"skill_name": "Ventas", "voicemail": "5003"}, check_create_skill),
    Case("edit_skill", {"skill_id": 1, "description_skill": "nueva"}, check_edit_skill),
    Case(
        "add_agents_skill",
        {"skill_id": "1", "agent_id": "1003", "expertise": 7},
        check_add_agents_skill,
        _new_agent,
    ),
    Case("remove_agents_skill", {"skill_id": "1", "agent_id": "1002"}, check_remove_agents_skill),
    Case(
        "create_cod_act",
        {
            "type_code": "cod_act2",
            "cod_act": "VENTA",
            "description_cod_act": "venta",
            "hit": True,
            "rpc": "no",
        },
        check_create_cod_act,
    ),
    Case(
        "edit_cod_act",
        {"type_code": "cod_act1", "cod_act": "VENTA", "rpc": True},
        check_edit_cod_act,
        _codes("VENTA"),
    ),
    Case(
        "remove_cod_act",
        {"type_code": "cod_act1", "cod_act": ["VENTA", "NADA"]},
        check_remove_cod_act,
        _codes("VENTA", "NADA", "OTRO"),
    ),
    Case(
        "free_law2300",
        {"item": "telephone", "value": "300-111-2233", "agent_id": 1001},
        check_free_law2300,
        _put("law2300", {"3001112233": {"telephone": "3001112233", "nit": "", "customer_id": ""}}),
    ),
    Case("block_law2300", {"telephone": "300 111 2233", "customer_id": "77"}, check_block_law2300),
    Case(
        "block_predictive_dnc",
        {"id_campaing": 12, "id_cliente": ["a1", "a2", "a1"]},
        check_block_predictive_dnc,
    ),
    Case("upload_file", {"file": PDF}, check_upload_file),
    Case(
        "delete_file",
        {"filename": "manual.pdf"},
        check_delete_file,
        _put("copilot_files", {"manual.pdf": {"filename": "manual.pdf", "size": 3}}),
    ),
    Case("upload_audio", {"files": AUDIOS}, check_upload_audio),
    Case(
        "speech_on_demand",
        {"conn_id": "abc123", "agent_id": 1001, "date_ini": "2026-01-01"},
        check_speech_on_demand,
    ),
    Case("token_info", {}, check_token_info),
    Case("routing_points", {}, check_routing_points, _second_routing_point),
    *INFORMATION_CASES,
]


def typed_methods() -> dict[str, Op[Any, Any]]:
    """Every typed operation of configuration.php and information.php, by name."""
    return {
        name: op
        for klass in (Operations, InformationOperations)
        for name, op in vars(klass).items()
        if isinstance(op, Op)
    }


@pytest.mark.parametrize("case", CASES, ids=[case.method for case in CASES])
def test_typed_method_succeeds_changes_the_fake_and_types_the_answer(driver: Driver, case: Case) -> None:
    op_spec = typed_methods()[case.method]
    spec = load_catalogue().operation(op_spec.family, case.method)
    assert spec is not None
    with driver.fake.lock:
        case.setup(driver.op)

    result = driver(case.method, **case.arguments)

    assert type(result) is op_spec.kind
    assert (result.api, result.status, result.raw_code) == (
        case.method,
        spec.success.status,
        spec.success.code,
    )
    (entry,) = driver.fake.requests
    assert (entry.method, entry.api, entry.path, entry.status) == (
        spec.methods[0],
        case.method,
        spec.path,
        spec.success.status,
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.msg = "changed"
    with driver.fake.lock:
        case.check(driver.op, result)


def test_every_typed_method_has_a_success_case() -> None:
    methods = [case.method for case in CASES]
    assert sorted(methods) == sorted(typed_methods()) and len(set(methods)) == len(methods)


@pytest.mark.parametrize("client_class", [WolkvoxClient, AsyncWolkvoxClient])
def test_every_catalogued_operation_has_a_typed_method(client_class: type[Any]) -> None:
    # A new configuration.php or information.php entry in the catalogue fails here until wrapped.
    catalogued = {key for key in load_catalogue().operations if key[0] in ("configuration", "information")}
    typed = {(op.family, op.api) for op in typed_methods().values()}
    assert typed == catalogued
    for family, api in catalogued:
        method = getattr(client_class, api)
        assert isinstance(method, Op) and (method.family, method.api) == (family, api)


@pytest.mark.parametrize("name", sorted(typed_methods()))
def test_arguments_are_the_catalogued_fields_and_all_of_them_are_sent(name: str) -> None:
    op = typed_methods()[name]
    spec = load_catalogue().operation(op.family, op.api)
    assert spec is not None
    parameters = inspect.signature(op.build).parameters
    if spec.body == "multipart":
        # Files, not fields: upload_file takes one (part "file"), upload_audio a list.
        assert list(parameters) == (["file"] if name == "upload_file" else ["files"])
        return
    documented = {f.name: f.required for f in (*spec.fields, *spec.query)}
    assert {
        n.removesuffix("_"): p.default is inspect.Parameter.empty for n, p in parameters.items()
    } == documented
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in parameters.values())
    request = op.build(**{p: "x" for p in parameters})
    sent = {**(request.json or {}), **(request.params or {})}
    assert sent == dict.fromkeys(documented, "x")
    assert set(request.params or {}) == {f.name for f in spec.query}


def test_async_methods_are_coroutine_functions_and_sync_ones_are_not() -> None:
    with WolkvoxClient(SERVER, TOKEN) as sync:
        assert not inspect.iscoroutinefunction(sync.add_ip)
        assert sync.add_ip.__name__ == "add_ip"
    aclient = AsyncWolkvoxClient(SERVER, TOKEN)
    try:
        assert inspect.iscoroutinefunction(aclient.add_ip)
        assert aclient.add_ip.__qualname__ == "AsyncWolkvoxClient.add_ip"
        assert list(inspect.signature(aclient.add_ip).parameters) == ["ip", "permanent", "description"]
        assert inspect.signature(aclient.add_ip).return_annotation is WolkvoxClient.add_ip.kind
        assert aclient.enable_agent.__doc__ == "Enable an agent again."
    finally:
        anyio.run(aclient.aclose)


def test_results_are_wolkvox_results() -> None:
    for op in typed_methods().values():
        assert issubclass(op.kind, WolkvoxResult)
        assert op.kind.__dataclass_params__.frozen  # type: ignore[attr-defined]


def test_every_list_result_reads_its_rows_as_the_row_type_it_names() -> None:
    from typing import get_args

    from wolkvox_mock.contracts.client import info_results

    lists = [
        c
        for c in vars(info_results).values()
        if isinstance(c, type) and issubclass(c, info_results.ListResult)
    ]
    named = [c for c in lists if c is not info_results.ListResult]
    assert len(named) == 12
    for kind in named:
        [base] = kind.__orig_bases__  # type: ignore[attr-defined]
        assert kind.row_kind is get_args(base)[0] and kind.row_kind is not info_results.InfoRow
