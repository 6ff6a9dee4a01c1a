"""Faults in Wolkvox's terms: catalogue errors, scope, next N calls, seeded probability,
latency, the x-wolkvox-mock-fault header, and where faults act in the pipeline (in-process;
the transport faults over a real socket are in test_faults_wire.py)."""

from __future__ import annotations

import random

import httpx
import pytest

from tests.conftest import ADD_INTERACTION, SERVER, TOKEN, VALID_INTERACTION
from wolkvox_mock import WolkvoxApp
from wolkvox_mock.contracts.catalogue import load_catalogue
from wolkvox_mock.faults.header import parse_fault_header
from wolkvox_mock.faults.model import Fault, FaultError, FaultSet

AUTH = {"wolkvox-token": TOKEN}
TOKEN_INFO = "/api/v2/information.php?api=token_info"


def post(http: httpx.Client, headers: dict[str, str] | None = None) -> httpx.Response:
    return http.post(ADD_INTERACTION, json=VALID_INTERACTION, headers={**AUTH, **(headers or {})})


# -- errors ------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", sorted(load_catalogue().errors))
def test_any_catalogue_error_can_be_injected_in_the_envelope(
    app: WolkvoxApp, http: httpx.Client, key: str
) -> None:
    spec = load_catalogue().error(key)
    app.fake.add_fault(error=key, values=dict.fromkeys(spec.placeholders, "7"))
    response = post(http)
    assert response.status_code == spec.status
    assert response.json() == spec.body(**dict.fromkeys(spec.placeholders, "7"))
    assert app.fake.interactions == []  # the operation did not run


def test_injected_error_placeholders_default_to_the_call_and_settings(
    app: WolkvoxApp, http: httpx.Client
) -> None:
    app.fake.settings.concurrency_limit = 2
    app.fake.add_fault(error="token_busy", times=1)
    assert post(http).json()["msg"] == "EXCEEDS THE LIMIT OF SIMULTANEOUS REQUESTS PER TOKEN (2)"
    app.fake.add_fault(error="routing_point_not_found", times=1)
    assert post(http).json()["msg"] == "ROUTING POINT 1 DOES NOT EXIST OR ITS INTERACTION FLOW IS NOT ACTIVE"


def test_injected_error_is_marked_in_hint_and_journal(app: WolkvoxApp, http: httpx.Client) -> None:
    fault = app.fake.add_fault(error="token_busy")
    response = post(http)
    assert response.headers["x-wolkvox-mock-hint"] == f"injected by wolkvox-mock fault {fault.id}"
    assert app.fake.requests[-1].fault == f"{fault.id} error=token_busy"


def test_errors_given_before_counting_are_not_counted(app: WolkvoxApp, http: httpx.Client) -> None:
    app.fake.add_fault(error="token_limit_exceeded", times=1)
    post(http)
    assert app.fake.token_usage(TOKEN) == 0
    app.fake.add_fault(error="routing_point_not_found", times=1)
    post(http)
    assert app.fake.token_usage(TOKEN) == 1  # a business error comes after counting


# -- which calls -------------------------------------------------------------------------------


def test_next_n_calls_then_the_fault_is_gone(app: WolkvoxApp, http: httpx.Client) -> None:
    app.fake.add_fault(error="token_busy", times=2)
    assert [post(http).status_code for _ in range(3)] == [403, 403, 201]
    assert app.fake.list_faults() == []


def test_fault_for_one_api_spares_the_others(app: WolkvoxApp, http: httpx.Client) -> None:
    app.fake.add_fault(error="maintenance", api="token_info")
    assert post(http).status_code == 201
    assert http.get(TOKEN_INFO, headers=AUTH).status_code == 403


def test_fault_for_one_token_spares_the_others(app: WolkvoxApp, http: httpx.Client) -> None:
    other = app.fake.add_token(server=SERVER)
    app.fake.add_fault(error="invalid_token", token=other)
    assert post(http).status_code == 201
    assert post(http, {"wolkvox-token": other}).json()["msg"] == "PLEASE VALIDATE TOKEN"


def test_refused_calls_do_not_consume_a_fault(app: WolkvoxApp, http: httpx.Client) -> None:
    app.fake.add_fault(error="token_busy", times=1)
    assert post(http, {"wolkvox-token": "unknown"}).status_code == 403  # refused before admission
    assert app.fake.list_faults()[0].hits == 0
    assert post(http).json()["msg"].startswith("EXCEEDS")


def test_newest_fault_matches_first(app: WolkvoxApp, http: httpx.Client) -> None:
    app.fake.add_fault(error="token_busy")
    app.fake.add_fault(error="maintenance", times=1)
    assert post(http).json()["msg"].startswith("THE SERVER IS UNDER MAINTENANCE")
    assert post(http).json()["msg"].startswith("EXCEEDS")


def test_probability_follows_the_seed(app: WolkvoxApp, http: httpx.Client) -> None:
    app.fake.add_fault(error="token_busy", probability=0.5, seed=42)
    dice = random.Random(42)
    expected = [403 if dice.random() < 0.5 else 201 for _ in range(20)]
    assert [post(http).status_code for _ in range(20)] == expected
    assert 0 < expected.count(403) < 20


def test_remove_and_clear(app: WolkvoxApp, http: httpx.Client) -> None:
    first = app.fake.add_fault(error="token_busy")
    app.fake.add_fault(latency=0.0)
    assert app.fake.remove_fault(first.id) and not app.fake.remove_fault(first.id)
    assert app.fake.clear_faults() == 1
    assert post(http).status_code == 201


# -- latency -----------------------------------------------------------------------------------


def test_fixed_latency_keeps_the_call_in_flight(app: WolkvoxApp, http: httpx.Client) -> None:
    app.fake.add_fault(latency=0.05)
    assert post(http).status_code == 201
    assert app.fake.requests[-1].duration_ms >= 50 * 0.9


def test_random_latency_is_drawn_from_the_seeded_generator() -> None:
    faults = FaultSet()
    fault = faults.add(Fault(latency=(0.1, 0.5), seed=3))
    dice = random.Random(3)
    drawn = [faults.pick("configuration", "add_interaction", TOKEN, SERVER) for _ in range(5)]
    assert [e.latency for e in drawn if e] == [dice.uniform(0.1, 0.5) for _ in range(5)]
    assert fault.hits == 5


# -- validation --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({}, "at least one of"),
        ({"error": "teapot"}, "catalogue keys: .*token_busy"),
        ({"transport": "explode"}, "reset"),
        ({"transport": "reset", "error": "token_busy"}, "no answer"),
        ({"latency": -1}, "in \\[0, 3600\\]"),
        ({"latency": 3601}, "in \\[0, 3600\\]"),
        ({"latency": (2, 1)}, "minimum above"),
        ({"latency": 1, "times": 0}, "times"),
        ({"latency": 1, "probability": 0}, "probability"),
        ({"latency": 1, "api": "add_interactions"}, "unknown api"),
        ({"transport": "hang", "hang_seconds": 0}, "hang_seconds"),
        ({"latency": 1, "times": "1"}, "times must be a whole number"),
        ({"error": "token_busy", "values": [1]}, "values must be an object"),
        ({"error": "token_busy", "values": {"rp_id": "1"}}, "fill no placeholder.*limit"),
        ({"error": 403}, "error must be a string"),
    ],
)
def test_bad_faults_say_how_to_fix_them(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(FaultError, match=message):
        Fault(**kwargs).validate()  # type: ignore[arg-type]


def test_fault_for_an_unknown_token_or_server_is_refused(app: WolkvoxApp) -> None:
    with pytest.raises(FaultError, match="not a token"):
        app.fake.add_fault(error="token_busy", token="nope")
    with pytest.raises(FaultError, match="known server codes: 0001"):
        app.fake.add_fault(error="token_busy", server="9999")


def test_from_dict_refuses_unknown_fields() -> None:
    with pytest.raises(FaultError, match="unknown fault fields \\['kind'\\]"):
        Fault.from_dict({"kind": "error"})
    assert Fault.from_dict({"error": "token_busy", "latency": [0.1, 0.2]}).latency == (0.1, 0.2)


# -- the per-request header --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("error=token_busy", {"error": "token_busy"}),
        ("error=token_busy; limit=2", {"error": "token_busy", "values": {"limit": "2"}}),
        ("latency=0.2", {"latency": 0.2}),
        ("latency=0.1-0.5", {"latency": (0.1, 0.5)}),
        ("transport=reset", {"transport": "reset"}),
        ("hang=2", {"transport": "hang", "hang_seconds": 2.0}),
        (" Error = maintenance , latency = 1 ", {"error": "maintenance", "latency": 1.0}),
    ],
)
def test_header_grammar(header: str, expected: dict[str, object]) -> None:
    fault = parse_fault_header(header)
    assert {k: getattr(fault, k) for k in expected} == expected


@pytest.mark.parametrize(
    "header",
    [
        "token_busy",
        "error=",
        "error=teapot",
        "latency=fast",
        "hang=soon",
        "colour=red",
        "error=token_busy; rp_id=1",
    ],
)
def test_header_mistakes_are_400_with_a_hint(http: httpx.Client, header: str) -> None:
    response = post(http, {"x-wolkvox-mock-fault": header})
    assert response.json() == {"code": 400, "error": "BAD REQUEST", "msg": "SOME PARAMETERS ARE REQUIRED"}
    assert response.headers["x-wolkvox-mock-hint"].startswith("x-wolkvox-mock-fault: ")


def test_header_fault_acts_on_that_request_only(app: WolkvoxApp, http: httpx.Client) -> None:
    response = post(http, {"x-wolkvox-mock-fault": "error=no_agent_available"})
    assert response.json()["msg"] == "ROUTING POINT 1 HAS NO AVAILABLE AGENT"
    assert post(http).status_code == 201
    assert app.fake.requests[0].fault == "header error=no_agent_available"


def test_header_can_be_switched_off(app: WolkvoxApp, http: httpx.Client) -> None:
    app.fake.settings.fault_header = False
    assert post(http, {"x-wolkvox-mock-fault": "error=token_busy"}).status_code == 201


def test_header_wins_over_registered_faults(app: WolkvoxApp, http: httpx.Client) -> None:
    app.fake.add_fault(error="token_busy", times=1)
    assert post(http, {"x-wolkvox-mock-fault": "error=maintenance"}).json()["msg"].startswith("THE SERVER")
    assert app.fake.list_faults()[0].hits == 0


def test_malformed_header_is_not_counted(app: WolkvoxApp, http: httpx.Client) -> None:
    post(http, {"x-wolkvox-mock-fault": "nonsense"})
    assert app.fake.token_usage(TOKEN) == 0


# -- in-process transport faults: the httpx exception a socket would give ----------------------


def test_in_process_reset_raises_read_error(app: WolkvoxApp, http: httpx.Client) -> None:
    with pytest.raises(httpx.ReadError, match="reset"):
        post(http, {"x-wolkvox-mock-fault": "transport=reset"})
    assert app.fake.in_flight(TOKEN) == 0
    assert app.fake.interactions == []
    assert app.fake.requests[-1].status == 0


def test_in_process_truncate_raises_protocol_error_after_the_operation_ran(
    app: WolkvoxApp, http: httpx.Client
) -> None:
    with pytest.raises(httpx.RemoteProtocolError, match="complete message body"):
        post(http, {"x-wolkvox-mock-fault": "transport=truncate"})
    assert len(app.fake.interactions) == 1  # done, but the client cannot know
    assert app.fake.in_flight(TOKEN) == 0


def test_invalid_json_keeps_status_and_content_type(app: WolkvoxApp, http: httpx.Client) -> None:
    response = post(http, {"x-wolkvox-mock-fault": "transport=invalid_json"})
    assert response.status_code == 201
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    assert response.text.startswith("<br />")
    with pytest.raises(ValueError):
        response.json()
    assert len(app.fake.interactions) == 1
