"""The token gate check: a second request of a token in flight is refused with 403.

Provoking it needs a request that stays in flight. Three ways, safest first:

- a *holder*: the target keeps the token's requests waiting until released. A wolkvox-mock
  fake offers it (``WolkvoxFake.hold`` in Python, ``/__wolkvox_mock__/holds/{token}`` over
  HTTP): the check is then deterministic. Each probe is add_interaction with an empty body,
  so once released it is refused with 400 and writes nothing.
- a *burst* (opt-in, ``gate_burst=N``): N such requests sent at once. When none is refused,
  the client's timings decide (``overlap``): more than the documented limit certainly in flight
  together at the target means the gate is missing (a failure); otherwise the calls may not have
  overlapped (real Wolkvox answers fast) and the result is "inconclusive", never a pass. The
  burst is not run by default, against any target: it costs N calls of the token's daily quota,
  and while it runs it fills the token's simultaneous-request slots, so a production process
  sharing the token could be refused (docs/contract-testing.md).
- neither: the check is skipped, and the report says why.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import quote

import httpx

from wolkvox_mock.contracts.catalogue import load_catalogue
from wolkvox_mock.contracts.conformance.base import Holder
from wolkvox_mock.contracts.conformance.overlap import CallTiming, Overlap, measure
from wolkvox_mock.contracts.conformance.probe import CheckResult, Exchange, Finding, Probe, refusal_findings
from wolkvox_mock.contracts.protocol import ADMIN_HEADER

__all__ = ["ControlPlaneHolder", "FakeHolder", "HoldRefused", "HoldsTokens", "check_token_gate"]

NAME = "token_gate"
SUMMARY = (
    "a second request of the token while one is in flight -> 403 EXCEEDS THE LIMIT OF SIMULTANEOUS REQUESTS"
)
#: Wolkvox documents 2 simultaneous requests; one more than that must be refused.
MOST_ADMITTED = 2
_WAIT = 5.0
_SLICE = 0.25


class HoldRefused(Exception):
    """The target will not hold the token's requests."""


class HoldsTokens(Protocol):
    """What ``FakeHolder`` needs: ``WolkvoxFake`` has it (no import of the fake here)."""

    def hold(self, token: str | None = None) -> None: ...

    def release(self, token: str | None = None) -> int: ...

    def wait_held_async(
        self, count: int = 1, *, token: str | None = None, timeout: float = 5.0
    ) -> Awaitable[bool]: ...


@dataclass
class FakeHolder:
    """A holder over a fake's Python API (in-process or a ``LiveServer`` in the same process)."""

    fake: HoldsTokens
    token: str

    async def hold(self) -> None:
        """Hold the token at the fake."""
        self.fake.hold(self.token)

    async def wait_held(self, count: int, timeout: float) -> bool:
        """Wait on the fake's gate."""
        return await self.fake.wait_held_async(count, token=self.token, timeout=timeout)

    async def release(self) -> None:
        """Release the token at the fake."""
        self.fake.release(self.token)


class ControlPlaneHolder:
    """A holder over a wolkvox-mock control plane (``/__wolkvox_mock__/holds/{token}``)."""

    PREFIX = "/__wolkvox_mock__"

    def __init__(self, probe: Probe, admin_token: str | None = None) -> None:
        self.probe = probe
        self.headers = {ADMIN_HEADER: admin_token} if admin_token else {}
        self.path = f"{self.PREFIX}/holds/{quote(probe.target.token, safe='')}"

    async def _call(self, method: str, **params: str) -> httpx.Response:
        self.probe.control_calls += 1
        timeout = _WAIT + 5
        return await self.probe.client.request(
            method, self.path, params=params, headers=self.headers, timeout=timeout
        )

    async def available(self) -> bool:
        """Whether the target answers the control plane (a wolkvox-mock fake does)."""
        try:
            response = await self._call("GET")
        except httpx.TransportError:
            return False
        return response.status_code == 200 and "on_hold" in response.text

    async def hold(self) -> None:
        """POST the hold (``HoldRefused`` when the fake will not, e.g. for a token it lacks)."""
        response = await self._call("POST")
        if response.status_code != 200:
            raise HoldRefused(f"HTTP {response.status_code} {response.text[:160]}")

    async def wait_held(self, count: int, timeout: float) -> bool:
        """GET with ``?wait=`` in short slices (the control plane answers 408 when a slice
        ends), so that an abandoned wait never lingers at the fake."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while (left := deadline - loop.time()) > 0:
            response = await self._call("GET", wait=str(count), timeout=f"{min(left, _SLICE):.3f}")
            if response.status_code == 200:
                return True
            if response.status_code != 408:
                return False
        return False

    async def release(self) -> None:
        """DELETE the hold."""
        await self._call("DELETE")


async def _empty_call(probe: Probe) -> Exchange:
    # An empty body: admitted (so it occupies the slot), then refused with 400, writing nothing.
    return await probe.send("add_interaction", body={})


async def _held_or_answered(holder: Holder, count: int, call: asyncio.Task[Exchange]) -> bool | None:
    """True when ``count`` requests wait at the hold, False when ``call`` was answered
    instead, None when neither happened in time."""
    waiting = asyncio.ensure_future(holder.wait_held(count, _WAIT))
    done, _ = await asyncio.wait({waiting, call}, timeout=_WAIT + 1, return_when=asyncio.FIRST_COMPLETED)
    if call in done:
        waiting.cancel()
        return False
    if waiting in done and waiting.result():
        return True
    waiting.cancel()
    return None


def _limit_finding(admitted: int) -> Finding:
    return Finding(
        "limit",
        "1 or 2 requests of one token in flight (old docs: 1; new docs: 2)",
        f"{admitted} admitted",
        "D",
        1 <= admitted <= MOST_ADMITTED,
    )


def _refused(result: CheckResult, exchange: Exchange, admitted: int) -> CheckResult:
    """The call that found the gate closed: the documented refusal, naming the limit."""
    busy = load_catalogue().error("token_busy")
    result.findings += refusal_findings(exchange, busy)
    result.findings.append(_limit_finding(admitted))
    body = exchange.body if isinstance(exchange.body, dict) else {}
    named = busy.render(limit=admitted)
    result.findings.append(
        Finding("limit in msg", f'msg "{named}"', f"msg {body.get('msg')!r}", "I", body.get("msg") == named)
    )
    return result


async def _with_holder(probe: Probe, holder: Holder, result: CheckResult) -> CheckResult:
    held: list[asyncio.Task[Exchange]] = []
    try:
        await holder.hold()
    except HoldRefused as exc:
        result.skipped = f"the fake's control plane would not hold the token's requests: {exc}"
        return result
    try:
        for _ in range(MOST_ADMITTED + 1):
            call = asyncio.ensure_future(_empty_call(probe))
            state = await _held_or_answered(holder, len(held) + 1, call)
            if state is True:
                held.append(call)
                continue
            if state is None or not held:
                call.cancel()
                why = "timed out" if state is None else f"answered at once ({call.result().show()})"
                result.skipped = f"the hold did not keep a request in flight: the first call {why}"
                return result
            return _refused(result, call.result(), len(held))
        result.findings.append(
            Finding(
                "refusal",
                "the third request in flight refused with 403",
                f"{len(held)} requests of the token admitted at once",
                "D",
                False,
            )
        )
        return result
    finally:
        await holder.release()
        await asyncio.gather(*held, return_exceptions=True)


async def _timed_call(probe: Probe, timing: CallTiming) -> Exchange:
    timing.started = time.perf_counter()
    try:
        return await probe.send("add_interaction", body={}, trace=timing.trace)
    finally:
        timing.ended = time.perf_counter()


def _all_admitted(result: CheckResult, overlap: Overlap) -> CheckResult:
    """Every call admitted: the gate is missing when more than the documented limit were
    certainly in flight together; otherwise nothing is shown either way."""
    if overlap.certain is not None and overlap.certain > MOST_ADMITTED:
        result.findings.append(
            Finding(
                "gate",
                f"at most {MOST_ADMITTED} requests of the token in flight at once, one more refused with "
                "403 EXCEEDS THE LIMIT OF SIMULTANEOUS REQUESTS PER TOKEN",
                f"all {overlap.calls} calls admitted while {overlap.describe()}: the token gate is missing",
                "D",
                False,
            )
        )
        return result
    result.skipped = (
        f"inconclusive: all {overlap.calls} concurrent calls were admitted, but {overlap.describe()}, "
        f"not more than the documented {MOST_ADMITTED}: they may not have overlapped at the target "
        "(a target that answers fast cannot be provoked this way)"
    )
    return result


async def _by_burst(probe: Probe, count: int, result: CheckResult) -> CheckResult:
    timings = [CallTiming() for _ in range(count)]
    answers = await asyncio.gather(*(_timed_call(probe, timing) for timing in timings))
    busy = load_catalogue().error("token_busy")
    refused = [
        a
        for a in answers
        if a.status == 403 and isinstance(a.body, dict) and busy.matches(403, str(a.body.get("msg")))
    ]
    if refused:
        result.findings += refusal_findings(refused[0], busy)
        return result
    others = [a for a in answers if a.status != 400]
    if others:
        result.findings.append(
            Finding(
                "answer", "400 (admitted) or 403 EXCEEDS THE LIMIT... (refused)", others[0].show(), "D", False
            )
        )
        return result
    return _all_admitted(result, measure(timings))


async def check_token_gate(probe: Probe, holder: Holder | None, gate_burst: int) -> CheckResult:
    """The token gate, with a holder if there is one, else by an opt-in burst, else skipped."""
    result = CheckResult(NAME, SUMMARY)
    if holder is not None:
        return await _with_holder(probe, holder, result)
    if gate_burst > 1:
        return await _by_burst(probe, gate_burst, result)
    result.skipped = (
        "no way to keep a request in flight at this target: real Wolkvox answers too fast to "
        "provoke the gate safely. Against a wolkvox-mock fake on this machine the control plane "
        "is used automatically; elsewhere, --gate-burst 3 sends 3 concurrent read-only calls "
        "(3 uses of the quota; they fill the token's simultaneous-request slots meanwhile, so it is "
        "not run unasked). All admitted while certainly in flight together: the gate is missing"
    )
    return result
