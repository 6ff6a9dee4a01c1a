"""AsyncWolkvoxClient against the fake, in-process (httpx.ASGITransport) and over a socket."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import AsyncExitStack, ExitStack, asynccontextmanager
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
    AsyncWolkvoxClient,
    InteractionResult,
    RetryPolicy,
    TokenBusyError,
    UnexpectedResponseError,
    WolkvoxAPIError,
    WolkvoxClient,
    WolkvoxConnectionError,
    WolkvoxTimeoutError,
)
from wolkvox_mock.server import LiveServer

pytestmark = pytest.mark.anyio
NO_RETRY = RetryPolicy(retries=0)
MODES = ["in_process", "live"]


@pytest.fixture(params=MODES)
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def url(app: WolkvoxApp, mode: str) -> Iterator[str]:
    """Where the fake answers: Wolkvox's own URL in-process, 127.0.0.1 when live."""
    if mode == "in_process":
        yield BASE_URL
    else:
        with LiveServer(app) as live:
            yield live.url
    app.fake.release()


def route(app: Any, url: str) -> dict[str, Any]:
    """Client arguments reaching ``app`` at ``url`` (in-process when it is Wolkvox's URL)."""
    if url == BASE_URL:
        return {"transport": httpx.ASGITransport(app)}
    return {"base_url": url}


def client(app: Any, url: str, token: str = TOKEN, **options: Any) -> AsyncWolkvoxClient:
    return AsyncWolkvoxClient(SERVER, token, **{**route(app, url), **options})


@asynccontextmanager
async def occupied(app: WolkvoxApp, url: str) -> AsyncIterator[asyncio.Future[list[httpx.Response]]]:
    """The token held, with requests of "another process" in all its slots (two by default,
    Wolkvox's documented limit): they take agents 1001 and 1002."""
    app.fake.hold(TOKEN)
    async with httpx.AsyncClient(
        base_url=url, **{k: v for k, v in route(app, url).items() if k == "transport"}
    ) as other:
        tasks = []
        for number in range(1, app.fake.settings.concurrency_limit + 1):
            tasks.append(
                asyncio.ensure_future(
                    other.post(ADD_INTERACTION, json=VALID_INTERACTION, headers=WOLKVOX_HEADERS)
                )
            )
            assert await app.fake.wait_held_async(number, token=TOKEN)
        together = asyncio.gather(*tasks)
        try:
            yield together
        finally:
            app.fake.release(TOKEN)
            await together


# -- success -----------------------------------------------------------------------------------


async def test_add_interaction_returns_a_typed_result(app: WolkvoxApp, url: str) -> None:
    async with client(app, url) as wolkvox:
        first = await wolkvox.add_interaction(**INTERACTION)
        second = await wolkvox.add_interaction(**INTERACTION, fromname="Ana")
    assert isinstance(first, InteractionResult)
    assert (first.status, first.code, first.raw_code) == (201, 201, "201")
    assert (first.agent_id, second.agent_id) == ("1001", "1002")
    assert first.raw["msg"] == "1 routing point was executed and assigned to agent (1001) "
    assert len(app.fake.interactions) == 2


# -- one test per refusal ------------------------------------------------------------------------


@pytest.mark.parametrize("refusal", REFUSALS, ids=lambda r: r.name)
async def test_refusals_raise_the_catalogue_class_and_are_not_retried(
    app: WolkvoxApp, url: str, refusal: Refusal
) -> None:
    refusal.prepare(app.fake)
    sleeps: list[float] = []

    async def sleep(seconds: float) -> None:
        sleeps.append(seconds)

    async with client(app, url, refusal.token, sleep=sleep) as wolkvox:
        for _ in range(refusal.warmups):
            await wolkvox.call(refusal.api, method=refusal.method, json=refusal.body)
        with pytest.raises(refusal.error) as caught:
            await wolkvox.call(refusal.api, method=refusal.method, json=refusal.body)
    error = caught.value
    assert type(error) is refusal.error
    assert (error.status, error.code, error.error) == (refusal.status, refusal.status, refusal.reason)
    if refusal.hint is not None:
        assert error.hint == refusal.hint
    assert sleeps == []
    assert len(statuses(app.fake, refusal.warmups + 1)) == refusal.warmups + 1


async def test_busy_token_is_retried_until_the_slot_is_free(app: WolkvoxApp, url: str) -> None:
    delays: list[float] = []
    async with occupied(app, url) as other:

        async def sleep(seconds: float) -> None:
            delays.append(seconds)
            app.fake.release(TOKEN)
            await other

        async with client(app, url, retry=RetryPolicy(random=lambda: 0.0), sleep=sleep) as wolkvox:
            result = await wolkvox.add_interaction(**INTERACTION)
    assert (result.code, result.agent_id) == (201, "1001")  # after the occupants' 1001 and 1002
    assert delays == [0.5]
    assert statuses(app.fake, 4) == [403, 201, 201, 201]


async def test_busy_token_raises_once_the_retries_are_spent(app: WolkvoxApp, url: str) -> None:
    delays: list[float] = []

    async def sleep(seconds: float) -> None:
        delays.append(seconds)

    retry = RetryPolicy(retries=3, random=lambda: 0.0)
    async with occupied(app, url), client(app, url, retry=retry, sleep=sleep) as wolkvox:
        with pytest.raises(TokenBusyError):
            await wolkvox.add_interaction(**INTERACTION)
    assert delays == [0.5, 1.0, 2.0]


async def test_timeout_raises_and_frees_both_slots(app: WolkvoxApp, url: str) -> None:
    app.fake.hold(TOKEN)
    async with client(app, url, timeout=0.3) as wolkvox:
        with pytest.raises(WolkvoxTimeoutError):
            await wolkvox.add_interaction(**INTERACTION)
        assert await app.fake.gate.wait_for_async(lambda gate: gate.in_flight(TOKEN) == 0)
        app.fake.release(TOKEN)
        assert (await wolkvox.add_interaction(**INTERACTION)).code == 201


# -- the fake's faults ---------------------------------------------------------------------------


async def never(seconds: float) -> None:
    raise AssertionError("the client retried")


@pytest.mark.parametrize(("fault", "error"), TRANSPORT_FAULTS)
async def test_transport_faults_raise_without_retry_and_the_next_call_works(
    app: WolkvoxApp, url: str, fault: str, error: type[Exception]
) -> None:
    app.fake.add_fault(transport=fault, times=1)
    async with client(app, url, sleep=never) as wolkvox:
        with pytest.raises(error):
            await wolkvox.add_interaction(**INTERACTION)
        assert (await wolkvox.add_interaction(**INTERACTION)).code == 201


async def test_hang_fault_is_a_timeout(app: WolkvoxApp, url: str) -> None:
    app.fake.add_fault(transport="hang", times=1)
    async with client(app, url, timeout=0.3) as wolkvox:
        try:
            with pytest.raises(WolkvoxTimeoutError):
                await wolkvox.add_interaction(**INTERACTION)
        finally:
            app.fake.release_hangs()
        assert (await wolkvox.add_interaction(**INTERACTION)).code == 201


async def test_injected_busy_answers_are_retried(app: WolkvoxApp, url: str) -> None:
    app.fake.add_fault(error="token_busy", times=2)
    delays: list[float] = []

    async def sleep(seconds: float) -> None:
        delays.append(seconds)

    async with client(app, url, retry=RetryPolicy(random=lambda: 0.0), sleep=sleep) as wolkvox:
        assert (await wolkvox.add_interaction(**INTERACTION)).agent_id == "1001"
    assert delays == [0.5, 1.0]


async def test_connection_refused_is_a_connection_error() -> None:
    async with AsyncWolkvoxClient(SERVER, TOKEN, base_url=closed_port_url()) as wolkvox:
        with pytest.raises(WolkvoxConnectionError):
            await wolkvox.add_interaction(**INTERACTION)


# -- answers the fake does not give: tiny apps -------------------------------------------------


@asynccontextmanager
async def tiny(app: Any, mode: str) -> AsyncIterator[AsyncWolkvoxClient]:
    with ExitStack() as stack:
        url = BASE_URL if mode == "in_process" else stack.enter_context(LiveServer(app)).url
        async with client(app, url) as wolkvox:
            yield wolkvox


@pytest.mark.parametrize("raw_code", [201, "201"])
async def test_code_may_be_a_string_or_an_int(mode: str, raw_code: object) -> None:
    async with tiny(answering(201, {"code": raw_code, "error": None, "msg": "done"}), mode) as wolkvox:
        result = await wolkvox.call("add_interaction", method="POST", json={})
    assert (result.code, result.raw_code) == (201, raw_code)


async def test_non_json_answer_is_an_unexpected_response(mode: str) -> None:
    body = b"<html><body>502 Bad Gateway</body></html>"
    async with tiny(answering(502, body, media_type="text/html"), mode) as wolkvox:
        with pytest.raises(UnexpectedResponseError) as caught:
            await wolkvox.call("add_interaction", method="POST", json={})
    assert (caught.value.status, caught.value.text, caught.value.body) == (502, body.decode(), None)


# -- fan-out -----------------------------------------------------------------------------------


async def test_fan_out_of_50_tasks_on_one_token_gets_50_answers(mode: str) -> None:
    app = create_app(demo_state(SERVER, TOKEN), Settings(concurrency_limit=1, latency=0.01))
    async with AsyncExitStack() as stack:
        url = BASE_URL if mode == "in_process" else stack.enter_context(LiveServer(app)).url
        wolkvox = await stack.enter_async_context(client(app, url, retry=NO_RETRY))
        results = await asyncio.gather(*(wolkvox.add_interaction(**INTERACTION) for _ in range(50)))
    assert [r.code for r in results] == [201] * 50
    assert statuses(app.fake, 50) == [201] * 50
    assert app.fake.peak_in_flight(TOKEN) == 1


async def test_tasks_and_threads_share_the_token_slots() -> None:
    # Async tasks on this loop and sync clients in threads, one token, no retries: the
    # process-wide slots keep them from ever being two in flight.
    app = create_app(demo_state(SERVER, TOKEN), Settings(concurrency_limit=1, latency=0.01))
    with LiveServer(app) as live, ThreadPoolExecutor(max_workers=4) as pool:
        async with client(app, live.url, retry=NO_RETRY) as wolkvox:
            with WolkvoxClient(SERVER, TOKEN, base_url=live.url, retry=NO_RETRY) as sync:
                loop = asyncio.get_running_loop()
                threaded = [
                    loop.run_in_executor(pool, lambda: sync.add_interaction(**INTERACTION)) for _ in range(10)
                ]
                tasks = [wolkvox.add_interaction(**INTERACTION) for _ in range(10)]
                results = await asyncio.gather(*threaded, *tasks)
    assert [r.code for r in results] == [201] * 20
    assert app.fake.peak_in_flight(TOKEN) == 1


async def test_unknown_api_refusal_keeps_the_raw_body(app: WolkvoxApp) -> None:
    async with client(app, BASE_URL) as wolkvox:
        with pytest.raises(WolkvoxAPIError) as caught:
            await wolkvox.call("no_such_api", method="GET")
    assert caught.value.body == {
        "code": 400,
        "error": "BAD REQUEST",
        "msg": "THE API YOU WANT TO CONSULT DOES NOT EXIST",
    }
    assert (
        caught.value.text
        == '{"code":400,"error":"BAD REQUEST","msg":"THE API YOU WANT TO CONSULT DOES NOT EXIST"}'
    )
