"""The client's I/O-free parts: reading answers, retry policy, per-token slots."""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from wolkvox_mock.contracts import (
    InteractionResult,
    InvalidTokenError,
    RetryPolicy,
    TokenBusyError,
    TokenLimitExceededError,
    UnexpectedResponseError,
    WolkvoxConnectionError,
    WolkvoxTimeoutError,
)
from wolkvox_mock.contracts.client.answers import (
    message_values,
    parse_code,
    read_answer,
    transport_error,
)
from wolkvox_mock.contracts.client.results import narrow
from wolkvox_mock.contracts.client.slots import SlotRegistry, TokenSlots

REQUEST = httpx.Request("POST", "https://wv0001.wolkvox.com/api/v2/configuration.php?api=add_interaction")


def answer(status: int, body: Any, **headers: str) -> httpx.Response:
    content = body if isinstance(body, bytes) else httpx.Response(200, json=body).content
    return httpx.Response(status, content=content, headers=headers, request=REQUEST)


# -- reading answers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (201, 201),
        ("201", 201),
        (" 202 ", 202),
        (200.0, 200),
        ("XXX", None),
        ("", None),
        (None, None),
        (True, None),
    ],
)
def test_parse_code(raw: object, expected: int | None) -> None:
    assert parse_code(raw) == expected


def test_placeholder_code_of_a_success_falls_back_on_the_status() -> None:
    # Documented examples carry "XXX", "0" or "" as code (docs/wolkvox-api.md#the-code-field-string-or-integer): still a success.
    result = read_answer(
        answer(201, {"code": "XXX", "error": None, "msg": "Skill created"}), "create_skill", "configuration"
    )
    assert (result.code, result.raw_code, result.msg) == (201, "XXX", "Skill created")


def test_data_and_null_message_are_kept() -> None:
    body = {"code": "200", "error": None, "msg": None, "data": [{"a": "1"}]}
    result = read_answer(answer(200, body), "token_info", "information")
    assert (result.msg, result.data, result.raw) == ("", [{"a": "1"}], body)


def test_refusal_carries_status_code_error_body_text_and_hint() -> None:
    body = {"code": 403, "error": "FORBIDDEN", "msg": "PLEASE VALIDATE TOKEN"}
    response = answer(403, body, **{"x-wolkvox-mock-hint": "token of server 0002"})
    with pytest.raises(InvalidTokenError) as caught:
        read_answer(response, "add_interaction", "configuration")
    error = caught.value
    assert (error.status, error.code, error.raw_code, error.error, error.msg) == (
        403,
        403,
        403,
        "FORBIDDEN",
        "PLEASE VALIDATE TOKEN",
    )
    assert (error.body, error.text, error.hint) == (body, response.text, "token of server 0002")


def test_busy_message_with_any_limit_is_a_busy_error() -> None:
    body = {
        "code": 403,
        "error": "FORBIDDEN",
        "msg": "EXCEEDS THE LIMIT OF SIMULTANEOUS REQUESTS PER TOKEN (2)",
    }
    with pytest.raises(TokenBusyError):
        read_answer(answer(403, body), "add_interaction", "configuration")


def test_refusal_under_a_success_status_follows_the_body_code() -> None:
    with pytest.raises(TokenLimitExceededError):
        read_answer(
            answer(200, {"code": "403", "error": None, "msg": "TOKEN LIMIT EXCEEDED"}), "x", "configuration"
        )


@pytest.mark.parametrize("content", [b"\xff\xfe not utf-8", b"[" * 100_000, b'{"code": 201}', b"null"])
def test_odd_bodies_are_unexpected_responses_never_decode_errors(content: bytes) -> None:
    with pytest.raises(UnexpectedResponseError) as caught:
        read_answer(answer(200, content), "add_interaction", "configuration")
    assert caught.value.status == 200


# -- message values and typed results ------------------------------------------------------------


def test_message_values_read_the_template_back() -> None:
    template = "{rp_id} routing point was executed and assigned to agent ({agent_id}) "
    assert message_values(template, "Ventas routing point was executed and assigned to agent (1001) ") == {
        "rp_id": "Ventas",
        "agent_id": "1001",
    }
    # Outer whitespace is not significant (Wolkvox's trailing space may be trimmed by a proxy).
    assert (
        message_values(template, "7 routing point was executed and assigned to agent (9)")["agent_id"] == "9"
    )
    assert message_values(template, "something else") == {}


def test_narrow_fills_the_typed_fields_from_the_message() -> None:
    body = {"code": "201", "error": None, "msg": "1 routing point was executed and assigned to agent (1002) "}
    result = narrow(read_answer(answer(201, body), "add_interaction", "configuration"), InteractionResult)
    assert (result.agent_id, result.code, result.raw) == ("1002", 201, body)
    odd = {"code": "201", "error": None, "msg": "OK"}
    assert (
        narrow(read_answer(answer(201, odd), "add_interaction", "configuration"), InteractionResult).agent_id
        is None
    )


# -- transport failures ---------------------------------------------------------------------------


def test_httpx_timeouts_and_connection_failures_are_mapped() -> None:
    assert isinstance(transport_error(httpx.ReadTimeout("slow", request=REQUEST), 55), WolkvoxTimeoutError)
    assert isinstance(transport_error(httpx.ConnectTimeout("slow", request=REQUEST), 55), WolkvoxTimeoutError)
    reset = transport_error(httpx.ReadError("reset", request=REQUEST), 55)
    assert isinstance(reset, WolkvoxConnectionError)
    assert "wv0001.wolkvox.com" in str(reset)
    assert isinstance(transport_error(httpx.ConnectError("refused"), 55), WolkvoxConnectionError)


# -- retry policy ----------------------------------------------------------------------------------


def test_backoff_doubles_up_to_its_cap_and_jitter_only_shortens() -> None:
    fixed = RetryPolicy(backoff=0.5, backoff_max=3.0, random=lambda: 0.0)
    assert [fixed.delay(n) for n in range(5)] == [0.5, 1.0, 2.0, 3.0, 3.0]
    assert RetryPolicy(jitter=0.5, random=lambda: 0.999).delay(0) == pytest.approx(0.25, abs=0.001)
    assert RetryPolicy(random=lambda: 0.0).delay(10_000) == 8.0


def test_only_busy_tokens_are_retried_and_only_so_often() -> None:
    policy = RetryPolicy(retries=2)
    busy = TokenBusyError(403, "EXCEEDS THE LIMIT OF SIMULTANEOUS REQUESTS PER TOKEN (1)")
    assert [policy.should_retry(busy, n) for n in range(3)] == [True, True, False]
    assert not policy.should_retry(InvalidTokenError(403, "PLEASE VALIDATE TOKEN"), 0)
    assert not policy.should_retry(TokenLimitExceededError(403, "TOKEN LIMIT EXCEEDED"), 0)


@pytest.mark.parametrize("options", [{"retries": -1}, {"backoff": -1.0}, {"jitter": 1.5}])
def test_retry_policy_refuses_nonsense(options: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        RetryPolicy(**options)


# -- token slots ---------------------------------------------------------------------------------


class Meter:
    """Counts how many holders are inside at once."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.now = self.peak = 0

    def enter(self) -> None:
        with self.lock:
            self.now += 1
            self.peak = max(self.peak, self.now)

    def leave(self) -> None:
        with self.lock:
            self.now -= 1


def wait_until(condition: Any) -> bool:
    """Wait (bounded) for another thread to reach a state."""
    done = threading.Event()
    for _ in range(5000):
        if condition():
            return True
        done.wait(0.001)
    return False


@pytest.mark.parametrize("limit", [1, 3])
def test_threads_never_hold_more_slots_than_the_limit(limit: int) -> None:
    slots, meter = TokenSlots(limit), Meter()
    # Holders meet in groups of ``limit`` inside: the limit is reached, and never passed.
    inside = threading.Barrier(limit, timeout=5)

    def work(_: int) -> None:
        with slots.slot():
            meter.enter()
            inside.wait()
            meter.leave()

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(work, range(24)))
    assert meter.peak == limit
    assert slots.in_use == 0


def hold_in_a_thread(slots: TokenSlots) -> tuple[threading.Thread, threading.Event]:
    taken, free = threading.Event(), threading.Event()

    def hold() -> None:
        with slots.slot():
            taken.set()
            free.wait(5)

    thread = threading.Thread(target=hold)
    thread.start()
    assert taken.wait(5)
    return thread, free


async def use(slots: TokenSlots) -> int:
    async with slots.slot_async():
        return slots.in_use


@pytest.mark.anyio
async def test_a_task_gets_the_slot_a_thread_frees() -> None:
    slots = TokenSlots(1)
    thread, free = hold_in_a_thread(slots)
    waiter = asyncio.ensure_future(use(slots))
    await asyncio.sleep(0)  # one step: the task runs up to its wait
    assert slots.waiting == 1
    free.set()
    assert await asyncio.wait_for(waiter, 5) == 1
    thread.join(5)
    assert slots.in_use == 0


@pytest.mark.anyio
async def test_a_cancelled_task_leaks_no_slot_and_no_waiter() -> None:
    slots = TokenSlots(1)
    thread, free = hold_in_a_thread(slots)
    waiter = asyncio.ensure_future(use(slots))
    await asyncio.sleep(0)  # one step: the task runs up to its wait
    assert slots.waiting == 1
    waiter.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiter
    assert slots.waiting == 0
    free.set()
    thread.join(5)
    assert slots.in_use == 0
    assert await asyncio.wait_for(use(slots), 5) == 1


def test_a_thread_gets_the_slot_a_task_frees() -> None:
    slots, got = TokenSlots(1), threading.Event()
    started, free = threading.Event(), threading.Event()

    async def hold() -> None:
        async with slots.slot_async():
            started.set()
            await asyncio.get_running_loop().run_in_executor(None, free.wait, 5)

    holder = threading.Thread(target=lambda: asyncio.run(hold()))
    holder.start()
    assert started.wait(5)

    def take() -> None:
        with slots.slot():
            got.set()

    taker = threading.Thread(target=take)
    taker.start()
    assert wait_until(lambda: slots.waiting == 1)
    assert not got.is_set()
    free.set()
    taker.join(5)
    holder.join(5)
    assert got.is_set()
    assert slots.in_use == 0


def test_registry_shares_slots_per_key_and_forgets_unused_keys() -> None:
    registry = SlotRegistry()
    key = ("https://wv0001.wolkvox.com", "token")
    first = registry.checkout(key, 2)
    assert registry.checkout(key, 2) is first
    assert registry.users(key) == 2
    with pytest.raises(ValueError, match="max_in_flight=2"):
        registry.checkout(key, 1)
    assert registry.checkout(("https://wv0002.wolkvox.com", "token"), 1) is not first
    registry.checkin(key)
    registry.checkin(key)
    assert registry.users(key) == 0
    assert registry.checkout(key, 1).limit == 1
