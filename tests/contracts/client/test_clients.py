"""WolkvoxClient (sync) against the fake, in-process (SyncASGITransport) and over a socket."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from typing import Any

import httpx
import pytest

from tests.conftest import ADD_INTERACTION, BASE_URL, SERVER, TOKEN, VALID_INTERACTION
from tests.contracts.client.support import (
    INTERACTION,
    REFUSALS,
    TRANSPORT_FAULTS,
    WOLKVOX_HEADERS,
    Refusal,
    answering,
    closed_port_url,
    statuses,
)
from wolkvox_mock import Settings, WolkvoxApp, create_app, demo_state
from wolkvox_mock.contracts import (
    InteractionResult,
    NotFoundError,
    RetryPolicy,
    SyncASGITransport,
    TokenBusyError,
    TokenLimitExceededError,
    UnexpectedResponseError,
    WolkvoxAPIError,
    WolkvoxClient,
    WolkvoxConnectionError,
    WolkvoxResult,
    WolkvoxTimeoutError,
    load_catalogue,
)
from wolkvox_mock.server import LiveServer

NO_RETRY = RetryPolicy(retries=0)


@contextmanager
def served(app: Any, mode: str) -> Iterator[dict[str, Any]]:
    """Client arguments reaching ``app`` in-process or over a live socket."""
    if mode == "in_process":
        yield {"transport": SyncASGITransport(app)}
    else:
        with LiveServer(app) as live:
            yield {"base_url": live.url}


class Target:
    """The fake reached one way; builds clients (closed at teardown) and plain httpx clients."""

    def __init__(self, app: WolkvoxApp, mode: str, stack: ExitStack) -> None:
        self.app, self.fake, self.mode, self._stack = app, app.fake, mode, stack
        self.url = BASE_URL if mode == "in_process" else stack.enter_context(LiveServer(app)).url

    def _route(self) -> dict[str, Any]:
        if self.mode == "in_process":
            return {"transport": SyncASGITransport(self.app)}
        return {"base_url": self.url}

    def client(self, token: str = TOKEN, **options: Any) -> WolkvoxClient:
        return self._stack.enter_context(WolkvoxClient(SERVER, token, **{**self._route(), **options}))

    def raw(self) -> httpx.Client:
        """A plain httpx client on the same fake: "another process" using the token."""
        route = self._route()
        transport = route.get("transport")
        return self._stack.enter_context(httpx.Client(base_url=self.url, transport=transport))


@pytest.fixture(params=["in_process", "live"])
def target(request: pytest.FixtureRequest, app: WolkvoxApp) -> Iterator[Target]:
    with ExitStack() as stack:
        yield Target(app, request.param, stack)
        app.fake.release()


class Occupants:
    """The threads of "another process" holding every slot of the token."""

    def __init__(self, threads: list[threading.Thread]) -> None:
        self.threads = threads

    def join(self, timeout: float) -> None:
        for thread in self.threads:
            thread.join(timeout)


def occupy(target: Target) -> tuple[Occupants, list[httpx.Response]]:
    """Hold the token and put requests of "another process" in all its slots (two by default,
    Wolkvox's documented limit): they take agents 1001 and 1002."""
    target.fake.hold(TOKEN)
    other, answers = target.raw(), []
    slots = target.fake.settings.concurrency_limit
    threads = []
    for number in range(1, slots + 1):
        thread = threading.Thread(
            target=lambda: answers.append(
                other.post(ADD_INTERACTION, json=VALID_INTERACTION, headers=WOLKVOX_HEADERS)
            )
        )
        thread.start()
        threads.append(thread)
        # One at a time, so that round robin hands them the agents in order.
        assert target.fake.wait_held(number, token=TOKEN)
    return Occupants(threads), answers


# -- success -----------------------------------------------------------------------------------


def test_add_interaction_returns_a_typed_frozen_result(target: Target) -> None:
    client = target.client()
    first = client.add_interaction(**INTERACTION, fromname="Ana", toname="Soporte")
    second = client.add_interaction(**INTERACTION)
    assert isinstance(first, InteractionResult)
    assert (first.status, first.code, first.raw_code) == (201, 201, "201")
    assert first.msg == "1 routing point was executed and assigned to agent (1001) "
    assert first.raw == {"code": "201", "error": None, "msg": first.msg}
    assert (first.agent_id, second.agent_id) == ("1001", "1002")
    assert first.values() == {"rp_id": "1", "agent_id": "1001"}
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.agent_id = "9"  # type: ignore[misc]
    assert [i.agent_id for i in target.fake.interactions] == ["1001", "1002"]


def test_generic_call_returns_a_generic_result(target: Target) -> None:
    result = target.client().call("add_interaction", method="POST", json=VALID_INTERACTION)
    assert type(result) is WolkvoxResult
    assert (result.api, result.family, result.code, result.data) == (
        "add_interaction",
        "configuration",
        201,
        None,
    )


def test_sends_wolkvox_headers_to_the_servers_host() -> None:
    app = answering(201, {"code": "201", "error": None, "msg": "ok"})
    with WolkvoxClient("0042", "t0k3n", transport=SyncASGITransport(app)) as client:
        client.call("add_interaction", method="POST", json={"a": 1}, params={"x": "y"})
    method, url, headers, body = app.state.seen[0]
    assert (method, url) == (
        "POST",
        "https://wv0042.wolkvox.com/api/v2/configuration.php?api=add_interaction&x=y",
    )
    assert (headers["wolkvox-token"], headers["wolkvox_server"]) == ("t0k3n", "0042")
    assert body == b'{"a":1}'


# -- one test per refusal ------------------------------------------------------------------------


@pytest.mark.parametrize("refusal", REFUSALS, ids=lambda r: r.name)
def test_refusals_raise_the_catalogue_class_and_are_not_retried(target: Target, refusal: Refusal) -> None:
    refusal.prepare(target.fake)
    sleeps: list[float] = []
    client = target.client(refusal.token, sleep=sleeps.append)
    for _ in range(refusal.warmups):
        client.call(refusal.api, method=refusal.method, json=refusal.body)
    with pytest.raises(refusal.error) as caught:
        client.call(refusal.api, method=refusal.method, json=refusal.body)
    error = caught.value
    assert type(error) is refusal.error
    assert (error.status, error.code, error.raw_code, error.error) == (
        refusal.status,
        refusal.status,
        refusal.status,
        refusal.reason,
    )
    assert error.body == {"code": refusal.status, "error": refusal.reason, "msg": error.msg}
    assert load_catalogue().classify(refusal.status, error.msg) is not None
    if refusal.hint is not None:
        assert error.hint == refusal.hint
    assert sleeps == []
    assert len(statuses(target.fake, refusal.warmups + 1)) == refusal.warmups + 1


def test_busy_token_is_retried_with_backoff_until_the_slot_is_free(target: Target) -> None:
    thread, answers = occupy(target)
    delays: list[float] = []

    def sleep(seconds: float) -> None:
        delays.append(seconds)
        target.fake.release(TOKEN)
        thread.join(5)

    client = target.client(retry=RetryPolicy(random=lambda: 0.0), sleep=sleep)
    result = client.add_interaction(**INTERACTION)
    assert (result.code, result.agent_id) == (201, "1001")  # after the occupants' 1001 and 1002
    assert [answer.status_code for answer in answers] == [201, 201]
    assert delays == [0.5]
    assert statuses(target.fake, 4) == [403, 201, 201, 201]


def test_busy_token_raises_once_the_retries_are_spent(target: Target) -> None:
    thread, _ = occupy(target)
    delays: list[float] = []
    client = target.client(retry=RetryPolicy(retries=2, random=lambda: 0.0), sleep=delays.append)
    with pytest.raises(TokenBusyError) as caught:
        client.add_interaction(**INTERACTION)
    target.fake.release(TOKEN)
    thread.join(5)
    assert caught.value.msg == "EXCEEDS THE LIMIT OF SIMULTANEOUS REQUESTS PER TOKEN (2)"
    assert delays == [0.5, 1.0]
    assert statuses(target.fake, 5) == [403, 403, 403, 201, 201]


def test_timeout_raises_and_frees_both_slots(target: Target) -> None:
    target.fake.hold(TOKEN)
    client = target.client(timeout=0.3)
    with pytest.raises(WolkvoxTimeoutError):
        client.add_interaction(**INTERACTION)
    # The fake saw the client leave: its slot is free although the hold is still on.
    assert target.fake.gate.wait_for(lambda gate: gate.in_flight(TOKEN) == 0)
    target.fake.release(TOKEN)
    assert client.add_interaction(**INTERACTION).code == 201
    assert target.fake.interactions[0].agent_id == "1001"


# -- the fake's faults ---------------------------------------------------------------------------


def never(seconds: float) -> None:
    raise AssertionError("the client retried")


@pytest.mark.parametrize(("fault", "error"), TRANSPORT_FAULTS)
def test_transport_faults_raise_without_retry_and_the_next_call_works(
    target: Target, fault: str, error: type[Exception]
) -> None:
    target.fake.add_fault(transport=fault, times=1)
    client = target.client(sleep=never)
    with pytest.raises(error):
        client.add_interaction(**INTERACTION)
    assert client.add_interaction(**INTERACTION).code == 201


def test_hang_fault_is_a_timeout(target: Target) -> None:
    target.fake.add_fault(transport="hang", times=1)
    client = target.client(timeout=0.3)
    try:
        with pytest.raises(WolkvoxTimeoutError):
            client.add_interaction(**INTERACTION)
    finally:
        target.fake.release_hangs()
    assert client.add_interaction(**INTERACTION).code == 201


def test_injected_busy_answers_are_retried(target: Target) -> None:
    target.fake.add_fault(error="token_busy", times=2)
    delays: list[float] = []
    client = target.client(retry=RetryPolicy(random=lambda: 0.0), sleep=delays.append)
    assert client.add_interaction(**INTERACTION).agent_id == "1001"
    assert delays == [0.5, 1.0]


def test_connection_refused_is_a_connection_error() -> None:
    with (
        WolkvoxClient(SERVER, TOKEN, base_url=closed_port_url()) as client,
        pytest.raises(WolkvoxConnectionError),
    ):
        client.add_interaction(**INTERACTION)


# -- answers the fake does not give: tiny apps -------------------------------------------------

MODES = ["in_process", "live"]


def refusal_of(app: Any, mode: str = "in_process") -> WolkvoxAPIError:
    """What the client raises for ``app``'s answer to a call."""
    with served(app, mode) as route, WolkvoxClient(SERVER, TOKEN, **route) as client:
        try:
            client.call("add_interaction", method="POST", json={})
        except WolkvoxAPIError as error:
            return error
    raise AssertionError("the call succeeded")


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("raw_code", [201, "201", " 201 "])
def test_code_may_be_a_string_or_an_int(mode: str, raw_code: object) -> None:
    app = answering(201, {"code": raw_code, "error": None, "msg": "done"})
    with served(app, mode) as route, WolkvoxClient(SERVER, TOKEN, **route) as client:
        result = client.call("add_interaction", method="POST", json={})
    assert (result.code, result.raw_code) == (201, raw_code)


@pytest.mark.parametrize("mode", MODES)
def test_string_code_refusal_is_classified_like_an_int_one(mode: str) -> None:
    app = answering(403, {"code": "403", "error": "FORBIDDEN", "msg": "TOKEN LIMIT EXCEEDED"})
    error = refusal_of(app, mode)
    assert type(error) is TokenLimitExceededError
    assert (error.code, error.raw_code) == (403, "403")


@pytest.mark.parametrize("mode", MODES)
def test_body_code_refusal_under_http_200_is_raised(mode: str) -> None:
    # PHP integrators read only the body's code (docs/wolkvox-api.md#how-integrators-call-the-api): trust it when it says 404.
    app = answering(200, {"code": "404", "error": None, "msg": "IP NOT REGISTERED"})
    error = refusal_of(app, mode)
    assert type(error) is NotFoundError
    assert (error.status, error.code) == (200, 404)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("status", "body"),
    [
        (502, b"<html><body>502 Bad Gateway</body></html>"),
        (200, b"Fatal error: Uncaught PDOException"),
        (200, b"[1, 2]"),
        (200, b'{"status": "ok"}'),
        (200, b""),
    ],
    ids=["html-502", "php-text-200", "json-list", "not-envelope", "empty"],
)
def test_non_envelope_answers_are_unexpected_responses(mode: str, status: int, body: bytes) -> None:
    app = answering(
        status, body, media_type="text/html", headers={"x-wolkvox-mock-hint": "invalid JSON fault"}
    )
    error = refusal_of(app, mode)
    assert type(error) is UnexpectedResponseError
    assert (error.status, error.text, error.hint) == (status, body.decode(), "invalid JSON fault")


def test_unknown_refusal_falls_back_on_the_status() -> None:
    app = answering(500, {"code": 500, "error": "INTERNAL SERVER ERROR", "msg": "boom"})
    error = refusal_of(app)
    assert type(error) is WolkvoxAPIError
    assert (error.status, error.msg, error.error) == (500, "boom", "INTERNAL SERVER ERROR")


# -- fan-out -----------------------------------------------------------------------------------


def fan_out(url: str, calls: int, clients: int, **options: Any) -> list[InteractionResult]:
    with ExitStack() as stack:
        pool = [
            stack.enter_context(WolkvoxClient(SERVER, TOKEN, base_url=url, retry=NO_RETRY, **options))
            for _ in range(clients)
        ]
        with ThreadPoolExecutor(max_workers=16) as executor:
            return list(
                executor.map(lambda i: pool[i % clients].add_interaction(**INTERACTION), range(calls))
            )


def test_fan_out_of_50_threads_on_one_token_gets_50_answers() -> None:
    app = create_app(demo_state(SERVER, TOKEN), Settings(concurrency_limit=1, latency=0.01))
    with LiveServer(app) as live:
        results = fan_out(live.url, calls=50, clients=3)
    # No retries were allowed: a single 403 would have failed a call.
    assert [r.code for r in results] == [201] * 50
    assert statuses(app.fake, 50) == [201] * 50
    assert app.fake.peak_in_flight(TOKEN) == 1


@pytest.mark.parametrize("max_in_flight", [1, 2])
def test_client_limit_holds_even_where_the_server_would_admit_more(max_in_flight: int) -> None:
    app = create_app(demo_state(SERVER, TOKEN), Settings(concurrency_limit=10, latency=0.01))
    with LiveServer(app) as live:
        results = fan_out(live.url, calls=20, clients=2, max_in_flight=max_in_flight)
    assert len(results) == 20
    assert 1 <= app.fake.peak_in_flight(TOKEN) <= max_in_flight


# -- construction --------------------------------------------------------------------------------


def test_defaults_follow_wolkvox() -> None:
    with WolkvoxClient("0042", TOKEN) as client:
        assert client.base_url == "https://wv0042.wolkvox.com"
        assert client.timeout < 60
        assert client.max_in_flight == 1
        assert TOKEN not in repr(client)
        assert "7465…3030" in repr(client)


def test_clients_of_one_token_must_agree_on_max_in_flight() -> None:
    first = WolkvoxClient(SERVER, TOKEN, base_url="http://127.0.0.1:9")
    with pytest.raises(ValueError, match="max_in_flight=1"):
        WolkvoxClient(SERVER, TOKEN, base_url="http://127.0.0.1:9", max_in_flight=2)
    first.close()
    WolkvoxClient(SERVER, TOKEN, base_url="http://127.0.0.1:9", max_in_flight=2).close()


@pytest.mark.parametrize("options", [{"timeout": 0}, {"max_in_flight": 0}])
def test_bad_options_are_refused(options: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        WolkvoxClient(SERVER, TOKEN, **options)


def test_server_is_required() -> None:
    with pytest.raises(ValueError, match="server code"):
        WolkvoxClient("", TOKEN)
