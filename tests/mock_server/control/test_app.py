"""The control plane over HTTP (in-process): every operation, and errors that say how to fix
the request. The same operations from Python are in test_control_python.py."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import ADD_INTERACTION, BASE_URL, SERVER, TOKEN, VALID_INTERACTION
from wolkvox_mock import WolkvoxApp
from wolkvox_mock.control.app import PREFIX

AUTH = {"wolkvox-token": TOKEN}


def post_interaction(http: httpx.Client, **headers: str) -> httpx.Response:
    return http.post(ADD_INTERACTION, json=VALID_INTERACTION, headers={**AUTH, **headers})


def control(http: httpx.Client, method: str, path: str, **kwargs: object) -> httpx.Response:
    return http.request(method, PREFIX + path, **kwargs)  # type: ignore[arg-type]


def test_index_lists_every_operation(http: httpx.Client) -> None:
    body = control(http, "GET", "/").json()
    listed = {(op["method"], op["path"]) for op in body["operations"]}
    assert ("POST", f"{PREFIX}/reset") in listed
    assert ("GET", f"{PREFIX}/holds/{{token}}") in listed
    assert all(op["does"] for op in body["operations"])
    assert "x-wolkvox-mock-admin" in body["access"]


def test_reset(app: WolkvoxApp, http: httpx.Client) -> None:
    post_interaction(http)
    app.fake.add_fault(error="token_busy")
    app.fake.add_maintenance()
    app.fake.freeze()
    response = control(http, "POST", "/reset")
    assert response.json() == {"reset": True, "operations": [SERVER]}
    assert app.fake.interactions == [] and app.fake.requests == []
    assert app.fake.list_faults() == [] and app.fake.list_maintenance() == []
    assert not app.fake.clock.frozen


def test_seed_replaces_the_state_and_becomes_the_baseline(app: WolkvoxApp, http: httpx.Client) -> None:
    seed = {"operations": [{"server": "0042", "tokens": [{"token": "t" * 20}]}]}
    assert control(http, "POST", "/seed", json=seed).json() == {"seeded": True, "operations": ["0042"]}
    control(http, "POST", "/reset")
    assert list(app.fake.state.operations) == ["0042"]


def test_bad_seed_says_where_and_how(http: httpx.Client) -> None:
    response = control(http, "POST", "/seed", json={"operations": [{"licenses": 1}]})
    assert response.status_code == 400
    assert "'server' is a required property" in response.json()["error"]
    assert "examples/seed.yaml" in response.json()["fix"]


def test_export_and_restore_state(app: WolkvoxApp, http: httpx.Client) -> None:
    post_interaction(http)
    exported = control(http, "GET", "/state").json()
    assert exported["interactions"][0]["agent_id"] == "1001"
    post_interaction(http)
    assert control(http, "PUT", "/state", json=exported).json()["restored"] is True
    assert len(app.fake.interactions) == 1
    assert control(http, "PUT", "/state", json={"operations": "no"}).status_code == 400


def test_requests_journal_with_filters(app: WolkvoxApp, http: httpx.Client) -> None:
    post_interaction(http)
    post_interaction(http, **{"wolkvox-token": "unknown"})
    http.get("/api/v2/information.php?api=token_info", headers=AUTH)
    everything = control(http, "GET", "/requests").json()
    assert (everything["total"], everything["count"]) == (3, 3)
    first = everything["requests"][0]
    assert {k: first[k] for k in ("method", "api", "status", "token")} == {
        "method": "POST",
        "api": "add_interaction",
        "status": 201,
        "token": "7465…3030",
    }
    assert set(first) >= {"time", "duration_ms"}
    by = {q: control(http, "GET", f"/requests?{q}").json()["count"] for q in ("status=4xx", "status=201")}
    assert by == {"status=4xx": 1, "status=201": 1}
    assert control(http, "GET", f"/requests?token={TOKEN}").json()["count"] == 2
    assert control(http, "GET", "/requests?token=7465…3030&api=token_info").json()["count"] == 1
    last = control(http, "GET", "/requests?limit=1").json()["requests"]
    assert [r["api"] for r in last] == ["token_info"]


@pytest.mark.parametrize("query", ["limit=0", "limit=many", "status=teapot"])
def test_requests_bad_filters(http: httpx.Client, query: str) -> None:
    response = control(http, "GET", f"/requests?{query}")
    assert response.status_code == 400
    assert set(response.json()) == {"error", "fix"}


def test_clear_requests(app: WolkvoxApp, http: httpx.Client) -> None:
    post_interaction(http)
    assert control(http, "DELETE", "/requests").json() == {"cleared": 1}
    assert app.fake.requests == []


def test_interactions_with_filters(app: WolkvoxApp, http: httpx.Client) -> None:
    app.fake.add_routing_point("2", server=SERVER)
    post_interaction(http)
    http.post(ADD_INTERACTION, json={**VALID_INTERACTION, "rp_id": "2"}, headers=AUTH)
    body = control(http, "GET", "/interactions").json()
    assert body["count"] == 2
    assert body["interactions"][0]["fields"]["subject"] == "Hola"
    assert body["interactions"][0]["token"] == "7465…3030"  # never the whole token
    assert control(http, "GET", "/interactions?rp_id=2").json()["interactions"][0]["rp_id"] == "2"
    assert control(http, "GET", "/interactions?server=0002").json()["count"] == 0
    assert control(http, "GET", "/interactions?limit=1").json()["interactions"][0]["rp_id"] == "2"


def test_clock_freeze_advance_set_unfreeze(app: WolkvoxApp, http: httpx.Client) -> None:
    frozen = control(http, "POST", "/clock/freeze", json={"at": "2026-11-27T05:00:00Z"}).json()
    assert frozen == {"now": "2026-11-27T05:00:00+00:00", "frozen": True}
    advanced = control(http, "POST", "/clock/advance", json={"hours": 1, "seconds": 30}).json()
    assert advanced["now"] == "2026-11-27T06:00:30+00:00"
    moved = control(http, "POST", "/clock/set", json={"at": "2027-01-01T00:00:00-05:00"}).json()
    assert moved["now"] == "2027-01-01T05:00:00+00:00"
    assert control(http, "GET", "/clock").json() == moved
    assert control(http, "POST", "/clock/unfreeze").json()["frozen"] is False
    assert abs((app.fake.now() - datetime.now(UTC)).total_seconds()) < 60


def test_clock_freeze_without_a_body_freezes_now(app: WolkvoxApp, http: httpx.Client) -> None:
    assert control(http, "POST", "/clock/freeze").json()["frozen"] is True
    assert app.fake.clock.frozen


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/clock/advance", {"seconds": -1}),
        ("/clock/advance", {"weeks": 1}),
        ("/clock/advance", {}),
        ("/clock/set", {"at": "tomorrow"}),
        ("/clock/set", {"at": 5}),
        ("/clock/set", {"at": "9999-01-01T00:00:00Z"}),
        ("/clock/advance", {"days": 1e9}),
    ],
)
def test_clock_mistakes(http: httpx.Client, path: str, body: dict[str, object]) -> None:
    response = control(http, "POST", path, json=body)
    assert response.status_code == 400
    assert response.json()["fix"]


def test_moving_the_clock_rolls_the_quota_over(app: WolkvoxApp, http: httpx.Client) -> None:
    app.fake.operation(SERVER).tokens[TOKEN].limit = 1
    control(http, "POST", "/clock/freeze", json={"at": "2026-11-27T12:00:00Z"})
    post_interaction(http)
    assert post_interaction(http).json()["msg"] == "TOKEN LIMIT EXCEEDED"
    control(http, "POST", "/clock/advance", json={"days": 1})
    assert post_interaction(http).status_code == 201


def test_hold_status_and_release_of_a_token(app: WolkvoxApp, http: httpx.Client) -> None:
    held = control(http, "POST", f"/holds/{TOKEN}").json()
    assert held == {"token": "7465…3030", "on_hold": True, "held": 0, "in_flight": 0}
    assert app.fake.gate.is_held(TOKEN)
    released = control(http, "DELETE", f"/holds/{TOKEN}").json()
    assert (released["on_hold"], released["released"]) == (False, 0)
    control(http, "POST", f"/holds/{TOKEN}")
    assert control(http, "DELETE", "/holds").json() == {"released": 0}
    assert not app.fake.gate.is_held(TOKEN)


def test_hold_of_an_unknown_token_is_404(http: httpx.Client) -> None:
    response = control(http, "POST", "/holds/not-a-token")
    assert response.status_code == 404
    assert "wolkvox-token" in response.json()["fix"]


@pytest.mark.anyio
async def test_wait_for_held_requests_over_http(app: WolkvoxApp) -> None:
    transport = httpx.ASGITransport(app)
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as client:
        await client.post(f"{PREFIX}/holds/{TOKEN}")
        pending = [
            asyncio.ensure_future(client.post(ADD_INTERACTION, json=VALID_INTERACTION, headers=AUTH))
            for _ in range(2)
        ]
        waited = await client.get(f"{PREFIX}/holds/{TOKEN}?wait=2&timeout=5")
        assert (waited.status_code, waited.json()["held"], waited.json()["in_flight"]) == (200, 2, 2)
        refused = await client.post(ADD_INTERACTION, json=VALID_INTERACTION, headers=AUTH)
        assert refused.json()["msg"] == "EXCEEDS THE LIMIT OF SIMULTANEOUS REQUESTS PER TOKEN (2)"
        assert (await client.delete(f"{PREFIX}/holds/{TOKEN}")).json()["released"] == 2
        assert [(await task).status_code for task in pending] == [201, 201]


def test_wait_for_held_requests_times_out_with_408(http: httpx.Client) -> None:
    response = control(http, "GET", f"/holds/{TOKEN}?wait=1&timeout=0.01")
    assert response.status_code == 408
    assert response.json()["error"] == "only 0 of 1 requests were held after 0.01 s"


def test_faults_add_list_remove_clear(app: WolkvoxApp, http: httpx.Client) -> None:
    added = control(
        http, "POST", "/faults", json={"error": "token_busy", "api": "add_interaction", "times": 1}
    )
    assert added.status_code == 201
    fault = added.json()["fault"]
    assert (fault["id"], fault["error"], fault["times"], fault["hits"]) == ("f1", "token_busy", 1, 0)
    assert post_interaction(http).status_code == 403
    assert control(http, "GET", "/faults").json() == {"faults": [], "hanging": 0}
    control(http, "POST", "/faults", json={"latency": [0, 0.001], "token": TOKEN})
    listed = control(http, "GET", "/faults").json()["faults"]
    assert [(f["id"], f["latency"], f["token"]) for f in listed] == [("f2", [0, 0.001], "7465…3030")]
    assert control(http, "DELETE", "/faults/f2").json() == {"removed": "f2"}
    assert control(http, "DELETE", "/faults/f2").status_code == 404
    control(http, "POST", "/faults", json={"transport": "invalid_json"})
    assert control(http, "DELETE", "/faults").json() == {"removed": 1}


@pytest.mark.parametrize(
    "body",
    [
        {"error": "teapot"},
        {"kind": "error"},
        {"latency": "slow"},
        {"error": "token_busy", "token": "nope"},
        [],
    ],
)
def test_bad_faults_get_400_with_an_example(http: httpx.Client, body: object) -> None:
    response = control(http, "POST", "/faults", json=body)
    assert response.status_code == 400
    assert response.json()["fix"]


@pytest.mark.anyio
async def test_hanging_calls_over_http(app: WolkvoxApp) -> None:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url=BASE_URL) as client:
        await client.post(f"{PREFIX}/faults", json={"transport": "hang", "times": 1})
        pending = asyncio.ensure_future(client.post(ADD_INTERACTION, json=VALID_INTERACTION, headers=AUTH))
        assert (await client.get(f"{PREFIX}/faults/hanging?wait=1")).json() == {"hanging": 1}
        assert (await client.post(f"{PREFIX}/faults/release")).json() == {"released": 1}
        assert (await pending).status_code == 201
        timed_out = await client.get(f"{PREFIX}/faults/hanging?wait=1&timeout=0.01")
        assert timed_out.status_code == 408


def test_maintenance_add_list_remove_clear(app: WolkvoxApp, http: httpx.Client) -> None:
    added = control(http, "POST", "/maintenance", json={"server": SERVER, "message": "BACKUP"})
    assert added.status_code == 201
    assert added.json()["in_maintenance"] == [SERVER]
    assert post_interaction(http).json() == {"code": 403, "error": "FORBIDDEN", "msg": "BACKUP"}
    control(http, "POST", "/maintenance", json={"daily": "02:00-03:00"})
    windows = control(http, "GET", "/maintenance").json()["windows"]
    assert [(w["id"], w["kind"], w["daily"]) for w in windows] == [
        ("m1", "one-off", None),
        ("m2", "daily", ["02:00", "03:00"]),
    ]
    assert control(http, "DELETE", "/maintenance/m1").json() == {"removed": "m1"}
    assert control(http, "DELETE", "/maintenance/m1").status_code == 404
    assert control(http, "DELETE", "/maintenance").json() == {"removed": 1}


@pytest.mark.parametrize(
    "body",
    [
        {"server": "9999"},
        {"daily": "noon"},
        {"seconds": "ten"},
        {"every": "day"},
        {"seconds": 5, "daily": "02:00-03:00"},
        {"seconds": 1e308},
        {"message": 5},
    ],
)
def test_bad_maintenance_windows_get_400(http: httpx.Client, body: dict[str, object]) -> None:
    response = control(http, "POST", "/maintenance", json=body)
    assert response.status_code == 400
    assert response.json()["fix"].startswith("e.g.")


def test_fidelity_manifest(http: httpx.Client) -> None:
    manifest = control(http, "GET", "/fidelity").json()
    operations = {(op["family"], op["api"]): op for op in manifest["operations"]}
    token_info = operations[("information", "token_info")]
    assert token_info["implemented"] is True
    assert token_info["success"] == {
        "status": 200,
        "code_type": "string",
        "msg": " {count} records were found",
        "tag": "D",
    }
    add = operations[("configuration", "add_interaction")]
    assert {f["name"]: f["tag"] for f in add["fields"]}["fromname"] == "D"
    assert [e["key"] for e in add["errors"]][:1] == ["routing_point_not_found"]
    steps = [(s["step"], s["key"], s["tag"]) for s in manifest["pipeline"]]
    assert steps[0] == (1, "unknown_api", "D")
    assert (5, "maintenance", "I") in steps
    behaviours = {b["behaviour"]: b["tag"] for b in manifest["behaviours"]}
    assert behaviours["During maintenance every call gets HTTP 403"] == "D"
    assert behaviours["Maintenance body text and the maintenance windows"] == "I"
    assert set(manifest["legend"]) == {"D", "C", "I", "GAP"}


def test_unknown_path_and_wrong_method_answer_json(http: httpx.Client) -> None:
    missing = control(http, "GET", "/nothing")
    assert (missing.status_code, missing.json()["fix"]) == (
        404,
        f"GET {PREFIX}/ lists the control operations",
    )
    wrong = control(http, "GET", "/reset")
    assert (wrong.status_code, wrong.json()["fix"]) == (405, "use POST")


@pytest.mark.parametrize("body", [b"{not json", b"[1, 2]", b""])
def test_bodies_that_are_not_json_objects(http: httpx.Client, body: bytes) -> None:
    response = control(http, "POST", "/faults", content=body)
    assert response.status_code == 400
    assert "JSON object" in response.json()["fix"]


def test_control_calls_are_not_in_the_wolkvox_journal(app: WolkvoxApp, http: httpx.Client) -> None:
    control(http, "GET", "/state")
    assert app.fake.requests == []


_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6,
)
_FAULT_KEYS = ("error", "latency", "transport", "times", "probability", "seed", "values", "token", "api")
_OTHER_KEYS = ("hang_seconds", "daily", "start", "end", "seconds", "message", "at", "hours", "operations")
_KEYS = st.sampled_from((*_FAULT_KEYS, *_OTHER_KEYS, "server", "x"))


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    path=st.sampled_from(
        ["/faults", "/maintenance", "/clock/advance", "/clock/set", "/clock/freeze", "/seed"]
    ),
    body=st.dictionaries(_KEYS, _JSON, max_size=4),
)
def test_any_json_body_gets_a_clear_answer_never_a_5xx(
    http: httpx.Client, path: str, body: dict[str, object]
) -> None:
    response = control(http, "POST", path, json=body)
    assert response.status_code < 500
    if response.status_code >= 400:
        assert set(response.json()) == {"error", "fix"}
    control(http, "POST", "/reset")


def test_a_status_filter_with_non_ascii_digits_is_a_400_not_a_500(http: httpx.Client) -> None:
    # "²" passes str.isdigit() but not int().
    response = control(http, "GET", "/requests", params={"status": "4²3"})
    assert response.status_code == 400
    assert "is not a status" in response.json()["error"]


@pytest.mark.parametrize("path", ["/holds/%2F", "/reset/", "/clock//freeze"])
def test_odd_slashes_get_a_json_answer_not_a_redirect(http: httpx.Client, path: str) -> None:
    response = control(http, "POST", path)
    assert response.status_code in (404, 405)
    assert set(response.json()) == {"error", "fix"}
