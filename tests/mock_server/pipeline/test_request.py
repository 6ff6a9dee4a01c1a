"""Bad input gets Wolkvox's 400 (or our 413), never a 5xx, and nothing accepted is lost or doubled."""

from __future__ import annotations

import httpx
import pytest

from tests.conftest import ADD_INTERACTION, SERVER, TOKEN, VALID_INTERACTION
from wolkvox_mock import Settings, WolkvoxApp, create_app, demo_state

AUTH = {"wolkvox-token": TOKEN}
PARAMETERS = {"code": 400, "error": "BAD REQUEST", "msg": "SOME PARAMETERS ARE REQUIRED"}

BAD_BODIES = {
    "empty": b"",
    "whitespace": b"   \n",
    "not json": b"from=a&to=b",
    "truncated json": b'{"from": "a", "to": ',
    "json array": b"[1, 2, 3]",
    "json string": b'"hello"',
    "json number": b"42",
    "json null": b"null",
    "invalid utf-8": b'{"from": "\xff\xfe"}',
    "deeply nested": b"[" * 100_000 + b"]" * 100_000,
    "object field": b'{"from": {"a": 1}, "to": "b", "subject": "s", "body": "b", "rp_id": "1"}',
    "array field": b'{"from": ["a"], "to": "b", "subject": "s", "body": "b", "rp_id": "1"}',
    "bool field": b'{"from": true, "to": "b", "subject": "s", "body": "b", "rp_id": "1"}',
    "null field": b'{"from": null, "to": "b", "subject": "s", "body": "b", "rp_id": "1"}',
    "whitespace field": b'{"from": "  ", "to": "b", "subject": "s", "body": "b", "rp_id": "1"}',
    "missing rp_id": b'{"from": "a", "to": "b", "subject": "s", "body": "b"}',
}


@pytest.mark.parametrize("body", BAD_BODIES.values(), ids=BAD_BODIES.keys())
def test_bad_bodies_get_the_documented_400(http: httpx.Client, body: bytes) -> None:
    response = http.post(ADD_INTERACTION, content=body, headers=AUTH)
    assert (response.status_code, response.json()) == (400, PARAMETERS)
    assert response.headers["x-wolkvox-mock-hint"]


def test_every_bad_body_leaves_the_fake_serving_and_records_nothing(
    app: WolkvoxApp, http: httpx.Client
) -> None:
    for body in BAD_BODIES.values():
        http.post(ADD_INTERACTION, content=body, headers=AUTH)
    assert app.fake.interactions == []
    assert http.post(ADD_INTERACTION, json=VALID_INTERACTION, headers=AUTH).status_code == 201
    assert len(app.fake.interactions) == 1


def test_numbers_are_read_as_strings_like_php_clients_send_them(app: WolkvoxApp, http: httpx.Client) -> None:
    body = {**VALID_INTERACTION, "rp_id": 1, "from": 3001234567, "subject": 2.0}
    response = http.post(ADD_INTERACTION, json=body, headers=AUTH)
    assert response.status_code == 201
    recorded = app.fake.interactions[0].fields
    assert (recorded["rp_id"], recorded["from"], recorded["subject"]) == ("1", "3001234567", "2")


def test_json_is_read_whatever_the_content_type(http: httpx.Client) -> None:
    import json

    raw = json.dumps(VALID_INTERACTION).encode()
    for content_type in ("text/plain", "application/octet-stream", None):
        headers = dict(AUTH) if content_type is None else {**AUTH, "content-type": content_type}
        assert http.post(ADD_INTERACTION, content=raw, headers=headers).status_code == 201


def test_body_over_the_limit_is_413_in_the_envelope() -> None:
    from starlette.testclient import TestClient

    app = create_app(demo_state(SERVER, TOKEN), Settings(max_body_bytes=1024))
    with TestClient(app, base_url="https://wv0001.wolkvox.com") as http:
        big = {**VALID_INTERACTION, "body": "x" * 2000}
        response = http.post(ADD_INTERACTION, json=big, headers=AUTH)
        assert response.status_code == 413
        assert response.json() == {
            "code": 413,
            "error": "PAYLOAD TOO LARGE",
            "msg": "THE REQUEST BODY EXCEEDS 1024 BYTES",
        }
        assert http.post(ADD_INTERACTION, json=VALID_INTERACTION, headers=AUTH).status_code == 201
    assert len(app.fake.interactions) == 1


def test_default_body_limit_is_one_mib(http: httpx.Client) -> None:
    just_under = {**VALID_INTERACTION, "body": "x" * (1024 * 1024 - 200)}
    assert http.post(ADD_INTERACTION, json=just_under, headers=AUTH).status_code == 201
    over = {**VALID_INTERACTION, "body": "x" * (1024 * 1024)}
    assert http.post(ADD_INTERACTION, json=over, headers=AUTH).status_code == 413


def test_unknown_fields_are_ignored_and_optional_ones_kept(app: WolkvoxApp, http: httpx.Client) -> None:
    body = {**VALID_INTERACTION, "fromname": "Ana", "toname": "Soporte", "call_id": "x"}
    assert http.post(ADD_INTERACTION, json=body, headers=AUTH).status_code == 201
    fields = app.fake.interactions[0].fields
    assert fields["fromname"] == "Ana" and fields["toname"] == "Soporte"
    assert "call_id" not in fields


def test_business_errors_record_nothing(app: WolkvoxApp, http: httpx.Client) -> None:
    op = app.fake.operation(SERVER)
    op.routing_points["1"].interaction_active = False
    inactive = http.post(ADD_INTERACTION, json=VALID_INTERACTION, headers=AUTH)
    unknown = http.post(ADD_INTERACTION, json={**VALID_INTERACTION, "rp_id": "99"}, headers=AUTH)
    op.routing_points["1"].interaction_active = True
    for agent in op.agents.values():
        agent.enabled = False
    nobody = http.post(ADD_INTERACTION, json=VALID_INTERACTION, headers=AUTH)
    assert inactive.json()["msg"] == "ROUTING POINT 1 DOES NOT EXIST OR ITS INTERACTION FLOW IS NOT ACTIVE"
    assert unknown.json() == {
        "code": 404,
        "error": "NOT FOUND",
        "msg": "ROUTING POINT 99 DOES NOT EXIST OR ITS INTERACTION FLOW IS NOT ACTIVE",
    }
    assert nobody.json() == {
        "code": 404,
        "error": "NOT FOUND",
        "msg": "ROUTING POINT 1 HAS NO AVAILABLE AGENT",
    }
    assert app.fake.interactions == []


def test_an_unexpected_exception_is_an_envelope_and_frees_the_slot(
    app: WolkvoxApp, http: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wolkvox_mock.handlers import HANDLERS

    def boom(ctx: object) -> None:
        raise RuntimeError("bug")

    monkeypatch.setitem(HANDLERS, ("configuration", "add_interaction"), boom)
    response = http.post(ADD_INTERACTION, json=VALID_INTERACTION, headers=AUTH)
    assert response.status_code == 500
    assert set(response.json()) == {"code", "error", "msg"}
    assert app.fake.in_flight(TOKEN) == 0
