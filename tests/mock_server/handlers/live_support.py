"""Shared helpers for the campaign.php, real_time.php and agentbox.php handler tests: how to
call an operation, a campaign with records, a logged-in agent, and one valid request per
operation against the demo operation (server 0001, agents 1001/1002, skill 1)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx

from tests.conftest import SERVER, TOKEN
from wolkvox_mock import WolkvoxApp
from wolkvox_mock.contracts.catalogue import load_catalogue

HEADERS = {"wolkvox-token": TOKEN}
#: 09:00 in Bogota (UTC-5), a Monday: inside any campaign's default window.
T0 = datetime(2026, 11, 30, 14, 0, tzinfo=UTC)
FAMILIES = ("campaign", "real_time", "agentbox")


def call(
    client: httpx.Client,
    family: str,
    api: str,
    body: Any = None,
    *,
    method: str | None = None,
    **query: str,
) -> httpx.Response:
    """Call ``{family}.php?api={api}`` with the demo token (method: the catalogue's first)."""
    spec = load_catalogue().operation(family, api)
    method = method or (spec.methods[0] if spec else "GET")
    params = {"api": api, **query}
    if body is None:
        return client.request(method, f"/api/v2/{family}.php", params=params, headers=HEADERS)
    return client.request(method, f"/api/v2/{family}.php", params=params, headers=HEADERS, json=body)


def records(count: int, *, start: int = 0, prefix: str = "c") -> list[dict[str, str]]:
    """``count`` predictive records with ids ``{prefix}{n}`` and telephones 300xxxxxxx."""
    # About 140 bytes each: 10,000 of them are over the fake's general 1 MiB body limit.
    return [
        {
            "customer_id": f"{prefix}{n}",
            "customer_name": f"Cliente {n}",
            "tel1": f"300{n:07d}",
            "address": "Calle 100 # 15-20, Bogotá",
            "opt1": "Cartera vencida",
        }
        for n in range(start, start + count)
    ]


def new_campaign(client: httpx.Client, kind: str = "predictive", name: str = "Ventas", **body: str) -> str:
    """Create a campaign on skill 1; its id."""
    response = call(
        client,
        "campaign",
        "create_campaign",
        {"campaign_name": name, "skill_id": "1", **body},
        type_campaign=kind,
    )
    assert response.status_code == 201, response.text
    return str(response.json()["data"][0]["id_campaign"])


def load(
    client: httpx.Client, campaign_id: str, rows: list[dict[str, str]], kind: str = "predictive"
) -> httpx.Response:
    """add_record of ``rows`` into the campaign."""
    return call(client, "campaign", "add_record", rows, type_campaign=kind, campaign_id=campaign_id)


def put_code(app: WolkvoxApp, code: str = "VENTA", *, group: str = "cod_act1", hit: str = "yes") -> None:
    """An activity code in the demo operation."""
    with app.fake.lock:
        groups = app.fake.operation(SERVER).collections.setdefault("activity_codes", {})
        groups.setdefault(group, {})[code] = {"description_cod_act": f"{code} desc", "hit": hit}


@dataclass
class Case:
    """One valid request of an operation, with what must exist first."""

    body: Any = None
    query: dict[str, str] = field(default_factory=dict)
    setup: Callable[[WolkvoxApp, httpx.Client], None] | None = None


def _campaign(app: WolkvoxApp, client: httpx.Client) -> None:
    campaign_id = new_campaign(client)
    assert campaign_id == "23001"
    assert load(client, campaign_id, records(3)).status_code == 201


def _preview(app: WolkvoxApp, client: httpx.Client) -> None:
    assert new_campaign(client, "preview") == "23001"


def _dialled(app: WolkvoxApp, client: httpx.Client) -> None:
    _campaign(app, client)
    app.fake.dial_now("23001", 3, server=SERVER)


def _coded(app: WolkvoxApp, client: httpx.Client) -> None:
    _campaign(app, client)
    put_code(app)


def _agent(app: WolkvoxApp, client: httpx.Client) -> None:
    app.fake.login_agent("1001", server=SERVER)


def _in_call(app: WolkvoxApp, client: httpx.Client) -> None:
    _agent(app, client)
    assert call(client, "agentbox", "dial", agent_id="1001", customer_phone="3001112233").status_code == 200
    put_code(app)


def _agent_and_campaign(app: WolkvoxApp, client: httpx.Client) -> None:
    _campaign(app, client)
    _agent(app, client)


def _recall_set(app: WolkvoxApp, client: httpx.Client) -> None:
    _agent_and_campaign(app, client)
    query = {
        "agent_id": "1001",
        "id_camp": "23001",
        "id_customer": "c1",
        "telefono": "3001",
        "rellamada": "20261201100000",
    }
    assert call(client, "agentbox", "recall", **query).status_code == 200


#: One active chat as real_time shows it (given at login: the fake opens no chats itself).
CHAT = {
    "conn_id": "9",
    "channel": "whatsapp",
    "connector_id": "3",
    "customer_phone": "573001112233",
    "conversation": [{"from": "customer", "msg": "Hola", "date": "2026-11-30 09:00:00"}],
}
_PRED = {"type_campaign": "predictive", "campaign_id": "23001"}
_RECALL = {
    "agent_id": "1001",
    "id_camp": "23001",
    "id_customer": "c1",
    "telephone": "3001",
    "recall_style": "auto",
}

#: (family, api) -> a valid request that succeeds after its setup, on the demo operation.
VALID: dict[tuple[str, str], Case] = {
    ("campaign", "add_dnc"): Case([{"telephone": "3001112233", "days_block": "30"}]),
    ("campaign", "add_record"): Case(records(2), dict(_PRED), _campaign),
    ("campaign", "clear_campaign"): Case(None, dict(_PRED), _campaign),
    ("campaign", "create_campaign"): Case(
        {"campaign_name": "Ventas", "skill_id": "1"}, {"type_campaign": "predictive"}
    ),
    ("campaign", "codify"): Case(
        {"cod_act": "VENTA", "customer_id": "c1", "comment": "ok"}, dict(_PRED), _coded
    ),
    ("campaign", "detail"): Case(
        None, {**_PRED, "date_ini": "20261130000000", "date_end": "20261130235959"}, _dialled
    ),
    ("campaign", "recall"): Case(
        {"recall_date": "20261201100000", "recall_telephone": "3001", "customer_id": "c1"},
        {"campaign_id": "23001"},
        _campaign,
    ),
    ("campaign", "remove_record"): Case({"customer_id": "c1,c2"}, dict(_PRED), _campaign),
    ("campaign", "speed"): Case({"speed": "50"}, {"campaign_id": "23001"}, _campaign),
    ("campaign", "start"): Case(None, {"campaign_id": "23001"}, _campaign),
    ("campaign", "stop"): Case(None, {"campaign_id": "23001"}, _campaign),
    ("campaign", "find_record"): Case(None, {"customer_id": "c1"}, _campaign),
    ("campaign", "delete_campaign"): Case({"campaign_ids": ["23001"]}, {}, _campaign),
    ("campaign", "campaign_filter"): Case(
        {"filter_active": "yes", "filters": [{"field": "customer_id", "operator": "=", "value": "c1"}]},
        dict(_PRED),
        _campaign,
    ),
    ("campaign", "campaign_15"): Case(None, {"campaign_id": "23001"}, _campaign),
    ("campaign", "recall_records"): Case(
        {"field": "Cod_Machine", "value": "ANSWER"}, {"campaign_id": "23001"}, _dialled
    ),
    ("campaign", "edit_campaign"): Case(
        {"campaign_name": "Cobranza", "turbo_dial": "yes"}, {"campaign_id": "23001"}, _campaign
    ),
    ("real_time", "agents"): Case(setup=_agent),
    ("real_time", "calls_last_10"): Case(setup=_in_call),
    ("real_time", "hits_last_hour"): Case(setup=_in_call),
    ("real_time", "info_server"): Case(
        setup=lambda app, _: setattr(app.fake.operation(SERVER), "dedicated", True)
    ),
    ("real_time", "latency"): Case(setup=_agent),
    ("real_time", "skills"): Case(None, {"skill_id": "all", "services_time": "40"}),
    ("real_time", "campaigns"): Case(setup=_campaign),
    ("real_time", "chats"): Case(
        setup=lambda app, _: app.fake.login_agent("1001", chats=[CHAT], server=SERVER)
    ),
    ("real_time", "interactions"): Case(),
    ("real_time", "recall"): Case(None, {"type": "all"}, _recall_set),
    ("agentbox", "change_status"): Case(None, {"agent_id": "1001", "status": "1"}, _agent),
    ("agentbox", "hang_type_ready"): Case(
        None, {"agent_id": "1001", "cod_act": "VENTA", "comments": "ok"}, _in_call
    ),
    ("agentbox", "hang"): Case(None, {"agent_id": "1001"}, _in_call),
    ("agentbox", "mute"): Case(None, {"agent_id": "1001"}, _in_call),
    ("agentbox", "dtmf"): Case(None, {"agent_id": "1001", "tones": "12#"}, _in_call),
    ("agentbox", "dial"): Case(None, {"agent_id": "1001", "customer_phone": "3001112233"}, _agent),
    ("agentbox", "agent_display"): Case(
        None, {"agent_id": "1001", "display": "hide", "button": "dial"}, _agent
    ),
    ("agentbox", "hold"): Case(None, {"agent_id": "1001"}, _in_call),
    ("agentbox", "recall"): Case(
        None,
        {
            "agent_id": "1001",
            "id_camp": "23001",
            "id_customer": "c1",
            "telefono": "3001",
            "rellamada": "20261201100000",
        },
        _agent_and_campaign,
    ),
    ("agentbox", "aux_call"): Case(None, {"agent_id": "1001", "customer_phone": "3001112233"}, _agent),
    ("agentbox", "type"): Case(None, {"agent_id": "1001", "cod_act": "VENTA"}, _in_call),
    ("agentbox", "transfer"): Case(None, {"agent_id": "1001", "customer_phone": "1002"}, _in_call),
    ("agentbox", "edit_recall"): Case(None, {**_RECALL, "recall": "20261202100000"}, _recall_set),
    ("agentbox", "delete_recall"): Case(None, dict(_RECALL), _recall_set),
}


def run_valid(app: WolkvoxApp, client: httpx.Client, key: tuple[str, str], **query: str) -> httpx.Response:
    """Run the operation's valid request (after its setup); ``query`` overrides parameters."""
    case = VALID[key]
    if case.setup is not None:
        case.setup(app, client)
    return call(client, *key, case.body, **{**case.query, **query})
