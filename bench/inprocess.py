"""In-process benchmark: one add_interaction through the real client, with no socket.

Rows (each a median over ``rounds`` batches of ``batch`` sequential calls, rows interleaved in
every round so that a busy machine slows them alike):

- ``client → ASGITransport → fake``: ``AsyncWolkvoxClient(transport=httpx.ASGITransport(app))``
- ``client → wolkvox_respx → fake``: the same client on its default transport, intercepted by
  ``WolkvoxRouter`` (what the ``wolkvox_respx`` fixture yields)
- ``client → respx static``: the same client, intercepted by a respx route that returns a
  fixed 201 answer: the floor (client + httpx + respx, no fake)
- ``httpx → ASGITransport → fake`` and ``→ bare``: a plain ``httpx.AsyncClient``, to tell the
  client's share from the fake's
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from typing import Any

import httpx
import respx

from bench.bare_app import create_bare_app
from bench.common import BODY, INTERACTION, PATH, SERVER, SUCCESS_BYTES, bench_state, token_name
from wolkvox_mock.app import create_app
from wolkvox_mock.contracts import AsyncWolkvoxClient
from wolkvox_mock.settings import Settings
from wolkvox_mock.testing.respx_router import WolkvoxRouter

__all__ = ["ASGI", "RESPX", "STATIC", "InProcessResult", "run_inprocess"]

ASGI = "client → ASGITransport → fake"
RESPX = "client → wolkvox_respx → fake"
STATIC = "client → respx static"
HTTPX_FAKE = "httpx → ASGITransport → fake"
HTTPX_BARE = "httpx → ASGITransport → bare"
BASE_URL = f"https://wv{SERVER}.wolkvox.com"

Call = Callable[[], Awaitable[Any]]


@dataclass(frozen=True)
class InProcessResult:
    """Median µs per call of each row, and how it was measured."""

    rounds: int
    batch: int
    median_us: dict[str, float]

    def ratio(self, row: str, floor: str = STATIC) -> float:
        """``row`` over ``floor``."""
        return self.median_us[row] / self.median_us[floor]


def _client_call(client: AsyncWolkvoxClient) -> Call:
    fields = {k: v for k, v in INTERACTION.items() if k != "from"}

    async def call() -> Any:
        return await client.add_interaction(from_=INTERACTION["from"], **fields)

    return call


def _httpx_call(http: httpx.AsyncClient) -> Call:
    headers = {"wolkvox-token": token_name(0), "content-type": "application/json"}

    async def call() -> Any:
        response = await http.post(PATH, content=BODY, headers=headers)
        if response.status_code != 201:
            raise RuntimeError(f"{response.status_code} {response.text}")
        return response

    return call


def _static_router() -> respx.MockRouter:
    router = respx.mock(assert_all_called=False)
    router.post(host=f"wv{SERVER}.wolkvox.com").respond(
        201, content=SUCCESS_BYTES, headers={"content-type": "application/json; charset=utf-8"}
    )
    return router


async def _batch(call: Call, batch: int, context: AbstractContextManager[Any]) -> float:
    with context:
        started = time.perf_counter_ns()
        for _ in range(batch):
            await call()
        return (time.perf_counter_ns() - started) / batch / 1000


async def _run(rounds: int, batch: int) -> InProcessResult:
    fake_app = create_app(bench_state(1), Settings())
    token = token_name(0)
    asgi = AsyncWolkvoxClient(SERVER, token, transport=httpx.ASGITransport(app=fake_app))
    intercepted = AsyncWolkvoxClient(SERVER, token)
    router = WolkvoxRouter(fake_app)
    plain_fake = httpx.AsyncClient(base_url=BASE_URL, transport=httpx.ASGITransport(app=fake_app))
    plain_bare = httpx.AsyncClient(base_url=BASE_URL, transport=httpx.ASGITransport(app=create_bare_app()))
    rows: dict[str, tuple[Call, Callable[[], AbstractContextManager[Any]]]] = {
        ASGI: (_client_call(asgi), nullcontext),
        RESPX: (_client_call(intercepted), lambda: router),
        STATIC: (_client_call(intercepted), _static_router),
        HTTPX_FAKE: (_httpx_call(plain_fake), nullcontext),
        HTTPX_BARE: (_httpx_call(plain_bare), nullcontext),
    }
    samples: dict[str, list[float]] = {row: [] for row in rows}
    try:
        for round_ in range(rounds + 1):
            for row, (call, context) in rows.items():
                per_call = await _batch(call, batch, context())
                if round_:  # round 0 warms every path up
                    samples[row].append(per_call)
    finally:
        router.close()
        for client in (asgi, intercepted):
            await client.aclose()
        for http in (plain_fake, plain_bare):
            await http.aclose()
    return InProcessResult(rounds, batch, {row: statistics.median(s) for row, s in samples.items()})


def run_inprocess(rounds: int = 15, batch: int = 200) -> InProcessResult:
    """Measure every row; ``rounds`` × ``batch`` calls each."""
    return asyncio.run(_run(rounds, batch))
