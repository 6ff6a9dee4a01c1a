"""Shared helpers for the configuration.php handler tests: how to call an operation, and one
valid request per operation against the demo operation (server 0001, agents 1001/1002, skill 1,
routing point 1)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from tests.conftest import TOKEN
from wolkvox_mock.state.models import Operation

CONFIG = "/api/v2/configuration.php"
HEADERS = {"wolkvox-token": TOKEN}


def call(
    client: httpx.Client,
    api: str,
    body: Any = None,
    *,
    method: str | None = None,
    query: dict[str, str] | None = None,
    files: Any = None,
) -> httpx.Response:
    """Call ``configuration.php?api={api}`` with the demo token (method: the catalogue's first)."""
    from wolkvox_mock.contracts.catalogue import load_catalogue

    spec = load_catalogue().operation("configuration", api)
    method = method or (spec.methods[0] if spec else "POST")
    params = {"api": api, **(query or {})}
    if files is not None:
        return client.request(method, CONFIG, params=params, headers=HEADERS, files=files, data=body)
    return client.request(method, CONFIG, params=params, headers=HEADERS, json=body)


def _put_ip(op: Operation) -> None:
    op.collections["ips"] = {"10.0.0.9": {"ip": "10.0.0.9", "type_ip": "temporal", "description": ""}}


def _put_code(op: Operation) -> None:
    op.collections["activity_codes"] = {"cod_act1": {"VENTA": {"description_cod_act": "", "hit": "no"}}}


def _put_file(op: Operation) -> None:
    op.collections["copilot_files"] = {"manual.pdf": {"filename": "manual.pdf", "size": 3}}


def _put_dnc(op: Operation) -> None:
    op.collections["dnc"] = {"inbound": ["3001112233"], "outbound": []}


#: api -> body, query, multipart files, setup. Each succeeds on the demo operation after setup.
VALID: dict[str, dict[str, Any]] = {
    "add_dnc": {"body": {"type_call": "inbound", "telephones": ["3001112233"]}},
    "remove_dnc": {"body": {"telephones": ["3001112233"]}, "setup": _put_dnc},
    "create_agent": {"body": {"agent_dni": "1010", "agent_name": "Eva Nueva"}},
    "edit_agent": {"body": {"agent_dni": "2020", "agent_name": "Ana Editada"}, "query": {"agent_id": "1001"}},
    "disable_agent": {"body": {"agent_id": "1001"}},
    "enable_agent": {"body": {"agent_id": "1001"}},
    "disable_module": {},
    "enable_module": {},
    "edit_licenses": {"body": {"call_center": "12", "pbx": "3"}},
    "add_ip": {"body": {"ip": "10.0.0.1", "permanent": "no", "description": "office"}},
    "remove_ip": {"body": {"ip": "10.0.0.9"}, "setup": _put_ip},
    "add_interaction": {
        "body": {"from": "ana@example.com", "to": "soporte", "subject": "Hola", "body": "Ayuda", "rp_id": "1"}
    },
    "create_skill": {"body": {"skill_name": "Ventas", "description_skill": "ventas", "voicemail": "5003"}},
    "edit_skill": {"body": {"skill_name": "Soporte"}, "query": {"skill_id": "1"}},
    "add_agents_skill": {"body": {"skill_id": "1", "agent_id": "1001", "expertise": "5"}},
    "remove_agents_skill": {"body": {"skill_id": "1", "agent_id": "1001"}},
    "create_cod_act": {"body": {"type_code": "cod_act1", "cod_act": "VENTA", "hit": "yes"}},
    "edit_cod_act": {"body": {"type_code": "cod_act1", "cod_act": "VENTA", "rpc": "yes"}, "setup": _put_code},
    "remove_cod_act": {"body": {"type_code": "cod_act1", "cod_act": "VENTA"}, "setup": _put_code},
    "free_law2300": {"body": {"nit": "900", "item": "telephone", "value": "3001112233", "agent_id": "1001"}},
    "upload_file": {"files": {"file": ("manual.pdf", b"%PDF", "application/pdf")}},
    "delete_file": {"body": {"filename": "manual.pdf"}, "setup": _put_file},
    "upload_audio": {"files": {"file1": ("hola.mp3", b"ID3", "audio/mpeg")}},
    "block_law2300": {"body": {"nit": "900", "telephone": "300 111 2233", "customer_id": "77"}},
    "block_predictive_dnc": {"body": {"id_campaing": "12", "id_cliente": ["a1", "a2"]}},
    "speech_on_demand": {"body": {"conn_id": "abc123", "agent_id": "1001"}},
}


def call_valid(client: httpx.Client, op: Operation, api: str, **changes: Any) -> httpx.Response:
    """Run the operation's valid request (after its setup); ``changes`` override its parts."""
    case = {**VALID[api], **changes}
    setup: Callable[[Operation], None] | None = case.get("setup")
    if setup is not None:
        setup(op)
    return call(client, api, case.get("body"), query=case.get("query"), files=case.get("files"))


def test_every_configuration_operation_has_a_valid_request() -> None:
    from wolkvox_mock.contracts.catalogue import load_catalogue

    apis = {api for family, api in load_catalogue().operations if family == "configuration"}
    assert apis == set(VALID)
