"""Behaviours that mutants of the pipeline once got past the whole suite with: which refusal
wins when a token is both over its quota and busy; an upper-case Host still names the server;
and no failed call leaves its gate slot taken (which would otherwise show only as a client
timeout, 120 s later, on the next call)."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import httpx
import pytest

from tests.conftest import ADD_INTERACTION, SERVER, TOKEN, VALID_INTERACTION
from wolkvox_mock import WolkvoxApp, create_app, demo_state
from wolkvox_mock.fake import WolkvoxFake
from wolkvox_mock.server import LiveServer
from wolkvox_mock.settings import Settings
from wolkvox_mock.state.models import State, Token

AUTH = {"wolkvox-token": TOKEN}
#: How long a freed slot may take to show as free: the answer is sent, then the slot released.
SLOT_GRACE = 1.0


def two_operations() -> State:
    state = demo_state(SERVER, TOKEN)
    other = demo_state("0042", "746f6b656e2d30303432")  # hex of "token-0042"
    state.add_operation(other.operations["0042"])
    return state


def assert_no_slot_held(fake: WolkvoxFake, token: str, after: str) -> None:
    """Fail at once, saying which call leaked its slot, instead of a later 120 s timeout."""
    __tracebackhide__ = True
    if not fake.gate.wait_for(lambda gate: gate.in_flight(token) == 0, SLOT_GRACE):
        pytest.fail(
            f"the gate slot of a failed call is still held {SLOT_GRACE:g} s after its answer ({after}): "
            "the pipeline did not release it, so the token's next call would be refused as busy "
            "(or a client would wait for its timeout)",
            pytrace=False,
        )


# -- order of checks: the quota refusal wins over the busy one ------------------------------


def test_a_token_over_its_quota_and_busy_gets_the_quota_refusal() -> None:
    state = demo_state(SERVER, TOKEN)
    state.operations[SERVER].tokens[TOKEN] = Token(token=TOKEN, limit=1)
    app = create_app(state, Settings(concurrency_limit=1))
    with LiveServer(app) as live, httpx.Client(base_url=live.url, headers=AUTH, timeout=10) as client:
        app.fake.hold(TOKEN)
        first = threading.Thread(
            target=client.post, args=(ADD_INTERACTION,), kwargs={"json": VALID_INTERACTION}
        )
        first.start()
        assert app.fake.wait_held(1, token=TOKEN)
        # Now the token has used its one call of the day (counted on admission) and is busy.
        assert app.fake.in_flight(TOKEN) == 1 and app.fake.token_usage(TOKEN) == 1
        second = client.post(ADD_INTERACTION, json=VALID_INTERACTION)
        app.fake.release(TOKEN)
        first.join(10)
    assert second.status_code == 403
    assert second.json()["msg"] == "TOKEN LIMIT EXCEEDED", second.json()


# -- the Host names the server, whatever its letter case ----------------------------------


@pytest.fixture
def two_ops() -> Iterator[httpx.Client]:
    from starlette.testclient import TestClient

    with TestClient(create_app(two_operations(), Settings(default_server=SERVER))) as client:
        yield client


@pytest.mark.parametrize("host", ["WV0042.WOLKVOX.COM", "Wv0042.WolkVox.Com:443", "wv0042.wolkvox.com"])
def test_an_upper_case_host_addresses_its_server_over_a_conflicting_header(
    two_ops: httpx.Client, host: str
) -> None:
    headers = {"host": host, "wolkvox_server": SERVER, "wolkvox-token": "746f6b656e2d30303432"}
    answer = two_ops.post(ADD_INTERACTION, json=VALID_INTERACTION, headers=headers)
    assert answer.status_code == 201, answer.json()
    entry = two_ops.app.fake.requests[-1]  # type: ignore[attr-defined]
    assert entry.server == "0042"


def test_the_token_of_the_header_s_server_is_refused_under_an_upper_case_host(two_ops: httpx.Client) -> None:
    headers = {"host": "WV0042.WOLKVOX.COM", "wolkvox_server": SERVER, "wolkvox-token": TOKEN}
    answer = two_ops.post(ADD_INTERACTION, json=VALID_INTERACTION, headers=headers)
    assert answer.status_code == 403
    assert answer.headers["x-wolkvox-mock-hint"] == (
        "this token belongs to server 0001, not 0042 (check the Host or wolkvox_server header)"
    )


# -- no failed call keeps its slot ----------------------------------------------------------


@pytest.fixture
def served() -> Iterator[tuple[WolkvoxApp, httpx.Client]]:
    app = create_app(demo_state(SERVER, TOKEN), Settings(max_body_bytes=1024, concurrency_limit=1))
    with LiveServer(app) as live, httpx.Client(base_url=live.url, headers=AUTH, timeout=5) as client:
        yield app, client


FAILED_CALLS = {
    "missing fields (400)": ({}, {}),
    "not JSON (400)": ({"content": b"{nope"}, {}),
    "unknown routing point (404)": ({"json": {**VALID_INTERACTION, "rp_id": "99"}}, {}),
    "body too large (413)": ({"json": {**VALID_INTERACTION, "body": "x" * 4096}}, {}),
    "injected error (403)": ({"json": VALID_INTERACTION}, {"x-wolkvox-mock-fault": "error=token_busy"}),
    "injected reset": ({"json": VALID_INTERACTION}, {"x-wolkvox-mock-fault": "transport=reset"}),
    "injected truncation": ({"json": VALID_INTERACTION}, {"x-wolkvox-mock-fault": "transport=truncate"}),
}


@pytest.mark.parametrize("kind", list(FAILED_CALLS))
def test_a_failed_call_frees_its_slot_at_once(served: tuple[WolkvoxApp, httpx.Client], kind: str) -> None:
    app, client = served
    options, headers = FAILED_CALLS[kind]
    try:
        status = client.post(ADD_INTERACTION, headers=headers, **options).status_code  # type: ignore[arg-type]
    except httpx.TransportError as exc:
        status = type(exc).__name__  # type: ignore[assignment]
    assert_no_slot_held(app.fake, TOKEN, f"{kind}: {status}")
    # And the token works again at once.
    assert client.post(ADD_INTERACTION, json=VALID_INTERACTION).status_code == 201


def test_a_client_that_leaves_a_held_call_frees_its_slot(served: tuple[WolkvoxApp, httpx.Client]) -> None:
    app, client = served
    app.fake.hold(TOKEN)
    gone = threading.Thread(target=_leave_early, args=(str(client.base_url),))
    gone.start()
    assert app.fake.wait_held(1, token=TOKEN)
    gone.join(10)
    app.fake.release(TOKEN)
    assert_no_slot_held(app.fake, TOKEN, "client gone while held: 499")


def _leave_early(url: str) -> None:
    with pytest.raises(httpx.ReadTimeout):
        httpx.post(
            url + ADD_INTERACTION, json=VALID_INTERACTION, headers=AUTH, timeout=httpx.Timeout(5, read=0.3)
        )


def test_the_check_itself_fails_fast_with_its_message() -> None:
    fake = WolkvoxFake(demo_state(SERVER, TOKEN))
    assert fake.gate.try_acquire(TOKEN, 1)  # a slot nobody will release: the bug it catches
    with pytest.raises(pytest.fail.Exception) as failed:
        assert_no_slot_held(fake, TOKEN, "a leak on purpose")
    assert str(failed.value) == (
        "the gate slot of a failed call is still held 1 s after its answer (a leak on purpose): the pipeline "
        "did not release it, so the token's next call would be refused as busy (or a client would wait for "
        "its timeout)"
    )
