"""The request pipeline: every documented error row, the order of checks, addressing, headers."""

from __future__ import annotations

import httpx
import pytest

from tests.conftest import ADD_INTERACTION, BASE_URL, SERVER, TOKEN, VALID_INTERACTION
from wolkvox_mock import Settings, WolkvoxApp, create_app, demo_state

AUTH = {"wolkvox-token": TOKEN}


def envelope(status: int, error: str, msg: str) -> dict[str, object]:
    return {"code": status, "error": error, "msg": msg}


UNKNOWN_API = envelope(400, "BAD REQUEST", "THE API YOU WANT TO CONSULT DOES NOT EXIST")
PARAMETERS = envelope(400, "BAD REQUEST", "SOME PARAMETERS ARE REQUIRED")
NO_TOKEN = envelope(401, "UNAUTHORIZED", "PLEASE ENTER THE WOLKVOX-TOKEN")
VALIDATE = envelope(403, "FORBIDDEN", "PLEASE VALIDATE TOKEN")
LIMIT = envelope(403, "FORBIDDEN", "TOKEN LIMIT EXCEEDED")


def busy(limit: int) -> dict[str, object]:
    return envelope(403, "FORBIDDEN", f"EXCEEDS THE LIMIT OF SIMULTANEOUS REQUESTS PER TOKEN ({limit})")


def test_success_body_status_and_wolkvox_headers(http: httpx.Client) -> None:
    response = http.post(ADD_INTERACTION, json=VALID_INTERACTION, headers=AUTH)
    assert response.status_code == 201
    assert response.json() == {
        "code": "201",
        "error": None,
        "msg": "1 routing point was executed and assigned to agent (1001) ",
    }
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    assert response.headers["server"] == "Apache"
    assert response.headers["access-control-allow-origin"] == "*"
    assert response.headers["cache-control"] == "no-store, no-cache, must-revalidate"
    assert "x-wolkvox-mock-hint" not in response.headers


@pytest.mark.parametrize(
    ("url", "headers", "body", "expected"),
    [
        ("/api/v2/configuration.php?api=add_interactions", AUTH, VALID_INTERACTION, UNKNOWN_API),
        ("/api/v2/configuration.php", AUTH, VALID_INTERACTION, UNKNOWN_API),
        ("/api/v2/nothing.php?api=add_interaction", AUTH, VALID_INTERACTION, UNKNOWN_API),
        (ADD_INTERACTION, {}, VALID_INTERACTION, NO_TOKEN),
        (ADD_INTERACTION, {"wolkvox-token": "   "}, VALID_INTERACTION, NO_TOKEN),
        (ADD_INTERACTION, {"wolkvox-token": "not-a-token"}, VALID_INTERACTION, VALIDATE),
        (ADD_INTERACTION, AUTH, {**VALID_INTERACTION, "subject": ""}, PARAMETERS),
    ],
)
def test_documented_error_rows(
    http: httpx.Client, url: str, headers: dict[str, str], body: object, expected: object
) -> None:
    response = http.post(url, json=body, headers=headers)
    assert response.json() == expected
    assert response.status_code == response.json()["code"]


def test_method_not_allowed_is_405_in_the_envelope(http: httpx.Client) -> None:
    response = http.get(ADD_INTERACTION, headers=AUTH)
    assert response.status_code == 405
    assert response.json() == envelope(
        405, "METHOD NOT ALLOWED", "THE METHOD GET IS NOT ALLOWED FOR THIS API, USE POST"
    )


def test_token_limit_exceeded_row(app: WolkvoxApp, http: httpx.Client) -> None:
    app.fake.operation(SERVER).tokens[TOKEN].limit = 1
    assert http.post(ADD_INTERACTION, json=VALID_INTERACTION, headers=AUTH).status_code == 201
    response = http.post(ADD_INTERACTION, json=VALID_INTERACTION, headers=AUTH)
    assert (response.status_code, response.json()) == (403, LIMIT)


@pytest.mark.anyio
@pytest.mark.parametrize("limit", [1, 2])
async def test_simultaneous_requests_row_names_the_limit_in_force(limit: int) -> None:
    app = create_app(demo_state(SERVER, TOKEN), Settings(concurrency_limit=limit))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url=BASE_URL) as client:
        with app.fake.holding(TOKEN):
            import asyncio

            held = [
                asyncio.create_task(client.post(ADD_INTERACTION, json=VALID_INTERACTION, headers=AUTH))
                for _ in range(limit)
            ]
            assert await app.fake.wait_held_async(limit, token=TOKEN)
            refused = await client.post(ADD_INTERACTION, json=VALID_INTERACTION, headers=AUTH)
        answers = await asyncio.gather(*held)
    assert (refused.status_code, refused.json()) == (403, busy(limit))
    assert [a.status_code for a in answers] == [201] * limit


# Each request breaks two rules; the one checked first must answer (docs/requests.md).
ORDER_CASES = [
    ("unknown api before method", "GET", "/api/v2/configuration.php?api=nope", {}, None, UNKNOWN_API),
    (
        "unknown api before token",
        "POST",
        "/api/v2/configuration.php?api=nope",
        {},
        VALID_INTERACTION,
        UNKNOWN_API,
    ),
    ("method before token", "PUT", ADD_INTERACTION, {}, VALID_INTERACTION, 405),
    ("token before body", "POST", ADD_INTERACTION, {}, {"rp_id": ""}, NO_TOKEN),
    ("valid token before body", "POST", ADD_INTERACTION, {"wolkvox-token": "x"}, [1], VALIDATE),
]


@pytest.mark.parametrize(
    ("name", "method", "url", "headers", "body", "expected"), ORDER_CASES, ids=[c[0] for c in ORDER_CASES]
)
def test_order_of_checks(
    http: httpx.Client,
    name: str,
    method: str,
    url: str,
    headers: dict[str, str],
    body: object,
    expected: object,
) -> None:
    response = http.request(method, url, json=body, headers=headers)
    if isinstance(expected, int):
        assert response.status_code == expected
    else:
        assert response.json() == expected


def test_quota_is_checked_before_the_gate_and_the_body(app: WolkvoxApp, http: httpx.Client) -> None:
    app.fake.operation(SERVER).tokens[TOKEN].limit = 0
    response = http.post(ADD_INTERACTION, content=b"not json", headers=AUTH)
    assert response.json() == LIMIT


@pytest.mark.anyio
async def test_gate_is_checked_before_the_body(app: WolkvoxApp) -> None:
    import asyncio

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url=BASE_URL) as client:
        with app.fake.holding(TOKEN):
            held = [
                asyncio.create_task(client.post(ADD_INTERACTION, json=VALID_INTERACTION, headers=AUTH))
                for _ in range(2)
            ]
            assert await app.fake.wait_held_async(2, token=TOKEN)
            third = await client.post(ADD_INTERACTION, content=b"{broken", headers=AUTH)
        assert [(await task).status_code for task in held] == [201, 201]
    assert third.json() == busy(2)


def test_token_header_name_is_case_insensitive(http: httpx.Client) -> None:
    response = http.post(ADD_INTERACTION, json=VALID_INTERACTION, headers={"Wolkvox-Token": TOKEN})
    assert response.status_code == 201


def test_server_from_host_then_header_then_default(app: WolkvoxApp) -> None:
    from starlette.testclient import TestClient

    app.fake.add_operation("0042")
    other = app.fake.add_token("token-of-0042-abcdef", server="0042")
    app.fake.add_routing_point("1", server="0042")
    app.fake.add_agent("7", server="0042")
    with TestClient(app, base_url="http://127.0.0.1:9") as local:
        assert (
            local.post(ADD_INTERACTION, json=VALID_INTERACTION, headers=AUTH).status_code == 201
        )  # default 0001
        by_header = local.post(
            ADD_INTERACTION,
            json=VALID_INTERACTION,
            headers={"wolkvox-token": other, "wolkvox_server": "0042"},
        )
        assert by_header.json()["msg"].endswith("agent (7) ")
        wrong = local.post(ADD_INTERACTION, json=VALID_INTERACTION, headers={"wolkvox-token": other})
        assert wrong.json() == VALIDATE
        assert "belongs to server 0042, not 0001" in wrong.headers["x-wolkvox-mock-hint"]
    with TestClient(app, base_url="https://wv0042.wolkvox.com") as host:
        # The Host header wins over wolkvox_server.
        response = host.post(
            ADD_INTERACTION,
            json=VALID_INTERACTION,
            headers={"wolkvox-token": other, "wolkvox_server": "0001"},
        )
        assert response.status_code == 201


@pytest.mark.parametrize(
    ("kwargs", "hint_part"),
    [
        ({"headers": {"wolkvoxtoken": TOKEN}, "json": VALID_INTERACTION}, "'wolkvoxtoken' header"),
        (
            {"headers": {"Authorization": f"Bearer {TOKEN}"}, "json": VALID_INTERACTION},
            "'authorization' header",
        ),
        ({"json": {**VALID_INTERACTION, "wolkvox-token": TOKEN}}, "in the body"),
        ({"data": VALID_INTERACTION, "headers": AUTH}, "sent as a form"),
        ({"json": {**VALID_INTERACTION, "rp_id": {"id": 1}}, "headers": AUTH}, "'rp_id' must be a string"),
    ],
)
def test_near_misses_get_a_hint_but_wolkvoxs_body(
    http: httpx.Client, kwargs: dict[str, object], hint_part: str
) -> None:
    response = http.post(ADD_INTERACTION, **kwargs)  # type: ignore[arg-type]
    assert response.json()["code"] in (400, 401)
    assert set(response.json()) == {"code", "error", "msg"}
    assert hint_part in response.headers["x-wolkvox-mock-hint"]


def test_token_of_another_case_is_invalid(http: httpx.Client) -> None:
    # Tokens are compared exactly; only the header *name* is case-insensitive.
    response = http.post(ADD_INTERACTION, json=VALID_INTERACTION, headers={"wolkvox-token": TOKEN.upper()})
    assert response.json() == VALIDATE


def test_unknown_path_answers_in_the_envelope(http: httpx.Client) -> None:
    response = http.get("/index.html")
    assert response.status_code == 404
    assert response.json() == envelope(404, "NOT FOUND", "THE RESOURCE YOU WANT TO CONSULT DOES NOT EXIST")


def test_operation_of_another_family_is_an_unknown_api(http: httpx.Client) -> None:
    # token_info is information.php's: reports_manager.php has no such api.
    response = http.get("/api/v2/reports_manager.php?api=token_info", headers=AUTH)
    assert response.json() == UNKNOWN_API


def test_journal_names_the_server_and_the_error_of_refusals(app: WolkvoxApp, http: httpx.Client) -> None:
    http.post(ADD_INTERACTION, json=VALID_INTERACTION)  # no token
    http.post(ADD_INTERACTION, json=VALID_INTERACTION, headers=AUTH)
    refused, accepted = app.fake.requests
    assert (refused.status, refused.server, refused.error, refused.token) == (401, SERVER, "UNAUTHORIZED", "")
    assert (accepted.status, accepted.error) == (201, None)
    assert accepted.token == "7465…3030"
