"""The fake and the reference model (model.py), driven side by side by Hypothesis.

Rules send add_interaction with any token (valid, small cap, another server's, unknown,
missing) and any body, spend most of an operation's shared daily pool (so its tokens compete
for the last calls), move the frozen clock (across Bogota's midnight too), switch agents
on and off, and hold a token's requests in flight to send more concurrently. Every answer
of the fake must equal the model's; after every step the recorded interactions, each
token's usage today, each operation's pool usage and the in-flight counters must agree.

Concurrency is deterministic: a held request waits at the fake's hold until the rule
releases it (``wait_held_async``), all on one event loop, in-process.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from hypothesis import event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from tests.mock_server.state.model import Answer, Model, Routing, bogota_midnight_after
from wolkvox_mock import WolkvoxFake, create_app
from wolkvox_mock.contracts.strategies import add_interaction_payloads, invalid_add_interaction_payloads

MAIN = "6d61696e2d3230323630333130313030303030"  # hex of "main-20260310100000"
SMALL = "736d616c6c2d3230323630333130313030303030"
OTHER = "6f746865722d3230323630333130313030303030"
UNKNOWN = "756e6b6e6f776e2d3230323630333130313030303030"
SMALL_LIMIT = 3
AGENTS = ("1001", "1002", "1003")
START = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)
PATH = "/api/v2/configuration.php"

_VALID = add_interaction_payloads(rp_ids=st.sampled_from(["1", "1", "2", " 1 ", "3", "9"]), numbers=True)
_INVALID = invalid_add_interaction_payloads(rp_ids=st.just("1"))
# Three valid bodies for one invalid, so most calls reach round robin. (one_of would flatten
# the invalid strategy's own alternatives and outweigh the valid one.)
PAYLOADS = st.sampled_from([_VALID, _VALID, _VALID, _INVALID]).flatmap(lambda payloads: payloads)
# Mostly a token on its own server (admitted), sometimes on another (refused at once).
_OWN = [(MAIN, "0001"), (MAIN, "0001"), (SMALL, "0001"), (OTHER, "0002")]
TOKEN_SERVERS = st.sampled_from([*_OWN, (MAIN, "0002")])
CALLERS = st.sampled_from(
    [*_OWN, (MAIN, "0001"), (MAIN, "0002"), (OTHER, "0001"), (UNKNOWN, "0001"), (None, "0001")]
)


def _build(limit: int) -> tuple[WolkvoxFake, Model]:
    """The same operations in the fake and in the model."""
    fake = WolkvoxFake()
    fake.settings.concurrency_limit = limit
    fake.clock.freeze(START)
    model = Model(now=START, concurrency_limit=limit)
    fake.add_operation("0001", licenses=10)
    fake.add_operation("0002", licenses=1)
    model.pool_limits.update({"0001": 10_000, "0002": 1_000})
    for token, server, small in ((MAIN, "0001", False), (SMALL, "0001", True), (OTHER, "0002", False)):
        fake.add_token(token, limit=SMALL_LIMIT if small else None, server=server)
        model.token_servers[token] = server
        model.token_caps[token] = SMALL_LIMIT if small else None
    for agent in AGENTS:
        fake.add_agent(agent, server="0001")
        model.enabled[("0001", agent)] = True
    fake.add_agent("2001", server="0002")
    model.enabled[("0002", "2001")] = True
    fake.add_skill("1", agents=list(AGENTS), server="0001")
    fake.add_routing_point("1", skills=["1"], server="0001")
    fake.add_routing_point("2", agents=["1003", "1001"], server="0001")
    fake.add_routing_point("3", skills=["1"], interaction_active=False, server="0001")
    fake.add_routing_point("1", agents=["2001"], server="0002")
    model.routing.update(
        {
            ("0001", "1"): Routing(list(AGENTS)),
            ("0001", "2"): Routing(["1003", "1001"]),
            ("0001", "3"): Routing(list(AGENTS), active=False),
            ("0002", "1"): Routing(["2001"]),
        }
    )
    return fake, model


async def _post(client: httpx.AsyncClient, token: str | None, server: str, payload: Any) -> Answer:
    headers = {"content-type": "application/json"}
    if token is not None:
        headers["wolkvox-token"] = token
    url = f"https://wv{server}.wolkvox.com{PATH}"
    response = await client.post(
        url, params={"api": "add_interaction"}, content=json.dumps(payload), headers=headers
    )
    return Answer(response.status_code, json.loads(response.content))


async def _held_or_answered(fake: WolkvoxFake, token: str, count: int, task: asyncio.Task[Answer]) -> bool:
    """True once ``count`` calls of ``token`` wait at the hold, False once ``task`` is answered:
    whichever comes first, so a disagreement with the model fails at once, never hangs."""
    waiting = asyncio.ensure_future(fake.wait_held_async(count, token=token, timeout=5))
    done, _ = await asyncio.wait({waiting, task}, timeout=5, return_when=asyncio.FIRST_COMPLETED)
    waiting.cancel()
    assert done, f"call of {token} neither held nor answered within 5 s"
    return task not in done


class FakeAgainstModel(RuleBasedStateMachine):
    """Drives one fake and one model with the same calls."""

    def __init__(self) -> None:
        super().__init__()
        self.fake, self.model = _build(1)
        self.app = create_app(fake=self.fake)

    @initialize(limit=st.sampled_from([1, 2]))
    def choose_concurrency_limit(self, limit: int) -> None:
        self.fake.settings.concurrency_limit = limit
        self.model.concurrency_limit = limit

    def _run(self, coro_factory: Any) -> Any:
        async def main() -> Any:
            transport = httpx.ASGITransport(app=self.app)
            async with httpx.AsyncClient(transport=transport) as client:
                return await coro_factory(client)

        return asyncio.run(main())

    @rule(caller=CALLERS, payload=PAYLOADS)
    def call(self, caller: tuple[str | None, str], payload: Any) -> None:
        token, server = caller
        seen = self._run(lambda client: _post(client, token, server, payload))
        assert seen == self.model.call(token, server, payload)
        event(f"call: {seen.status} {seen.body['msg'][:24]}")

    @rule(token_server=TOKEN_SERVERS, payloads=st.lists(PAYLOADS, min_size=2, max_size=3))
    def concurrent_calls(self, token_server: tuple[str, str], payloads: list[Any]) -> None:
        """Hold the token, send the calls one after another, then release the held ones."""
        token, server = token_server
        predicted: list[Answer | None] = []

        async def burst(client: httpx.AsyncClient) -> list[tuple[int, Answer]]:
            held: list[tuple[int, asyncio.Task[Answer]]] = []
            self.fake.hold(token)
            try:
                for i, payload in enumerate(payloads):
                    task = asyncio.ensure_future(_post(client, token, server, payload))
                    refusal = self.model.admit(token, server)
                    predicted.append(refusal)
                    held_now = await _held_or_answered(self.fake, token, len(held) + 1, task)
                    assert held_now == (refusal is None), f"call {i}: the model expects {refusal}"
                    if held_now:
                        held.append((i, task))
                    else:
                        assert task.result() == refusal
            finally:
                self.fake.release(token)
            return [(i, await task) for i, task in held]

        finished = self._run(burst)
        event(f"concurrent: {len(finished)} held, {sum(p is not None for p in predicted)} refused at once")
        self._match_some_order(token, server, payloads, finished)

    def _match_some_order(
        self, token: str, server: str, payloads: list[Any], finished: list[tuple[int, Answer]]
    ) -> None:
        """Held calls resume together: their answers must match the model in some order."""
        for order in itertools.permutations(finished):
            trial = self.model.copy()
            if all(trial.finish(token, server, payloads[i]) == seen for i, seen in order):
                self.model = trial
                return
        expected = [(i, self.model.copy().finish(token, server, payloads[i])) for i, _ in finished]
        raise AssertionError(f"held calls answered {finished}, the model expects e.g. {expected}")

    @rule(seconds=st.integers(min_value=1, max_value=8 * 3600))
    def advance_clock(self, seconds: int) -> None:
        self.fake.clock.advance(seconds)
        self.model.now += timedelta(seconds=seconds)

    @rule(before=st.integers(min_value=0, max_value=2))
    def go_to_just_before_bogota_midnight(self, before: int) -> None:
        moment = bogota_midnight_after(self.model.now) - timedelta(seconds=before + 1)
        self.fake.clock.set(moment)
        self.model.now = moment

    @rule(server=st.sampled_from(["0001", "0002"]), left=st.integers(min_value=0, max_value=3))
    def nearly_spend_the_pool(self, server: str, left: int) -> None:
        """As if other calls had used the operation's pool until ``left`` remain today: the
        tokens of that operation then share those few calls."""
        with self.fake.lock:
            op = self.fake.operation(server)
            op.usage_day = self.fake.clock.today(op.timezone).isoformat()
            op.usage_count = op.licenses * 1000 - left
        self.model.spend_pool(server, left)

    @precondition(lambda self: self.model.uses_today(SMALL) >= SMALL_LIMIT)
    @rule()
    def small_token_is_spent_until_midnight(self) -> None:
        seen = self._run(lambda client: _post(client, SMALL, "0001", {}))
        assert seen == self.model.call(SMALL, "0001", {})
        assert seen.body["msg"] == "TOKEN LIMIT EXCEEDED"

    @rule(agent=st.sampled_from(AGENTS))
    def switch_agent(self, agent: str) -> None:
        with self.fake.lock:
            record = self.fake.operation("0001").agents[agent]
            record.enabled = not record.enabled
        self.model.enabled[("0001", agent)] = not self.model.enabled[("0001", agent)]

    @invariant()
    def same_interactions(self) -> None:
        seen = [(i.server, i.rp_id, i.agent_id, i.fields) for i in self.fake.interactions]
        assert seen == self.model.interactions

    @invariant()
    def same_usage_today(self) -> None:
        for token in (MAIN, SMALL, OTHER):
            assert self.fake.token_usage(token) == self.model.uses_today(token), token

    @invariant()
    def same_pool_usage_today(self) -> None:
        for server in ("0001", "0002"):
            assert self.fake.pool_usage(server) == self.model.pool_today(server), server

    @invariant()
    def nothing_left_in_flight(self) -> None:
        for token in (MAIN, SMALL, OTHER):
            assert self.fake.in_flight(token) == 0 == self.model.in_flight.get(token, 0)


FakeAgainstModel.TestCase.settings = settings(settings.default, stateful_step_count=20)
TestFakeAgainstModel = FakeAgainstModel.TestCase
