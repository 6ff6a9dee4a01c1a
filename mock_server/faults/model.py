"""Faults in Wolkvox's own terms (docs/control-plane.md): what a fake can do to a call on purpose.

A :class:`Fault` says *which* calls it hits (an ``api``, a token, a server; the next ``times``
calls; each with a seeded ``probability``) and *what* it does to them:

- ``error``: answer with any error of the catalogue (by key, e.g. ``token_busy``), in Wolkvox's
  envelope, instead of running the operation;
- ``latency``: keep the call in flight for a fixed number of seconds, or a seeded random
  number between two bounds;
- ``transport``: ``reset`` (the connection is reset, nothing is answered and nothing is
  done), ``truncate`` (the operation runs; its answer stops half way), ``invalid_json`` (the
  operation runs; its answer is not JSON), ``hang`` (the call waits until the client gives
  up, the hang is released, or ``hang_seconds`` pass; then it goes on normally).

Where faults act: a fault is matched when a call is *admitted* (it passed every check up to
the token gate: known api, method, token, maintenance, quota, a free slot) and acts right
after, so the call holds its gate slot while it waits, and the slot is released when its
answer (or the broken connection) is done. Refused calls never consume a fault. An injected
error that Wolkvox gives before counting a call (token, maintenance, quota, concurrency...)
is not counted against the quota either.

Per request, the header ``x-wolkvox-mock-fault`` does the same (``wolkvox_mock.faults.header``).
"""

from __future__ import annotations

import asyncio
import itertools
import random
import threading
from collections.abc import Mapping
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any

from wolkvox_mock.contracts.catalogue import load_catalogue
from wolkvox_mock.contracts.protocol import mask_token

__all__ = [
    "DEFAULT_HANG_SECONDS",
    "TRANSPORTS",
    "Effect",
    "Fault",
    "FaultError",
    "FaultSet",
    "Latency",
]

TRANSPORTS = ("hang", "invalid_json", "reset", "truncate")
#: Wolkvox's documented time limit per call (docs/wolkvox-api.md#tokens-and-limits): a hang never lasts longer by default.
DEFAULT_HANG_SECONDS = 60.0
_MAX_SECONDS = 3600.0
_FIELDS = frozenset(
    {"api", "error", "family", "hang_seconds", "latency", "probability", "seed", "server", "times"}
    | {"token", "transport", "values"}
)

Latency = float | tuple[float, float]


class FaultError(ValueError):
    """A fault that cannot be set; the message says how to fix it."""


def _known_errors() -> list[str]:
    return sorted(load_catalogue().errors)


def _check_latency(latency: Any) -> Latency | None:
    if latency is None:
        return None
    if isinstance(latency, list | tuple):
        if len(latency) != 2:
            raise FaultError("a random latency is two numbers [min, max] in seconds")
        low, high = (_check_latency(v) for v in latency)
        assert isinstance(low, float) and isinstance(high, float)
        if low > high:
            raise FaultError(f"latency range [{low}, {high}] has its minimum above its maximum")
        return (low, high)
    if isinstance(latency, bool) or not isinstance(latency, int | float) or not 0 <= latency <= _MAX_SECONDS:
        raise FaultError(f"latency must be a number of seconds in [0, {_MAX_SECONDS:g}], not {latency!r}")
    return float(latency)


@dataclass
class Effect:
    """What a fault does to one admitted call (resolved: a random latency is drawn)."""

    fault_id: str
    error: str | None = None
    values: dict[str, str] = field(default_factory=dict)
    latency: float = 0.0
    transport: str | None = None
    hang_seconds: float = DEFAULT_HANG_SECONDS

    def describe(self) -> str:
        """A short description for the journal and the hint header, e.g. ``f1 error=token_busy``."""
        parts = [self.fault_id]
        if self.error:
            parts.append(f"error={self.error}")
        if self.latency:
            parts.append(f"latency={self.latency:g}")
        if self.transport:
            parts.append(f"transport={self.transport}")
        return " ".join(parts)


@dataclass
class Fault:
    """A fault and the calls it hits. Build it with keywords; ``validate`` runs on ``add``."""

    error: str | None = None
    values: dict[str, str] = field(default_factory=dict)
    latency: Latency | None = None
    transport: str | None = None
    hang_seconds: float = DEFAULT_HANG_SECONDS
    api: str | None = None
    family: str | None = None
    token: str | None = None
    server: str | None = None
    times: int | None = None
    probability: float = 1.0
    seed: int = 0
    id: str = ""
    hits: int = 0
    _rng: random.Random = field(default_factory=random.Random, repr=False, compare=False)

    def validate(self) -> Fault:
        """Check every field (FaultError says what to change); returns self."""
        self._check_types()
        if self.error is None and self.latency is None and self.transport is None:
            raise FaultError("a fault needs at least one of error, latency or transport")
        if self.error is not None and self.error not in load_catalogue().errors:
            raise FaultError(f"unknown error {self.error!r}; catalogue keys: {', '.join(_known_errors())}")
        if self.transport is not None and self.transport not in TRANSPORTS:
            raise FaultError(f"unknown transport {self.transport!r}; use one of {', '.join(TRANSPORTS)}")
        if self.transport == "reset" and self.error is not None:
            raise FaultError("transport=reset sends no answer at all, so it takes no error")
        self.latency = _check_latency(self.latency)
        self._check_numbers()
        self._check_api()
        self.values = {str(k): str(v) for k, v in (self.values or {}).items()}
        _check_placeholders(self)
        self._rng = random.Random(self.seed)
        return self

    def _check_types(self) -> None:
        for name in ("error", "transport", "api", "family", "token", "server"):
            if not isinstance(getattr(self, name), str | None):
                raise FaultError(f"{name} must be a string")
        if not isinstance(self.values, dict):
            raise FaultError('values must be an object, e.g. {"limit": "2"}')
        wanted = {"times": int, "seed": int, "probability": float, "hang_seconds": float}
        for name, kind in wanted.items():
            value = getattr(self, name)
            ok = isinstance(value, int if kind is int else int | float) and not isinstance(value, bool)
            if not ok and not (name == "times" and value is None):
                raise FaultError(
                    f"{name} must be a {'whole number' if kind is int else 'number'}, not {value!r}"
                )

    def _check_numbers(self) -> None:
        if self.times is not None and self.times < 1:
            raise FaultError("times must be a whole number >= 1 (or null for every call)")
        if not 0 < self.probability <= 1:
            raise FaultError("probability must be in (0, 1]")
        if not 0 < self.hang_seconds <= _MAX_SECONDS:
            raise FaultError(f"hang_seconds must be in (0, {_MAX_SECONDS:g}]")

    def _check_api(self) -> None:
        if self.api is None:
            return
        operations = load_catalogue().operations
        known = {api for family, api in operations if self.family in (None, family)}
        if self.api not in known:
            raise FaultError(f"unknown api {self.api!r}; known: {', '.join(sorted(known))}")

    def targets(self, family: str, api: str, token: str, server: str) -> bool:
        """Whether a call of ``family.php?api=api`` with ``token`` on ``server`` is in scope."""
        wanted = ((self.family, family), (self.api, api), (self.token, token), (self.server, server))
        return all(want is None or want == got for want, got in wanted)

    def draw(self) -> bool:
        """Roll the fault's seeded dice (always True at probability 1)."""
        return self.probability >= 1 or self._rng.random() < self.probability

    def effect(self) -> Effect:
        """The effect on one call (a latency range is drawn from the seeded generator)."""
        latency = self.latency
        drawn = self._rng.uniform(*latency) if isinstance(latency, tuple) else (latency or 0.0)
        return Effect(self.id, self.error, dict(self.values), drawn, self.transport, self.hang_seconds)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-compatible description (the token masked)."""

        latency = list(self.latency) if isinstance(self.latency, tuple) else self.latency
        return {
            "id": self.id,
            "error": self.error,
            "values": dict(self.values),
            "latency": latency,
            "transport": self.transport,
            "hang_seconds": self.hang_seconds,
            "api": self.api,
            "family": self.family,
            "token": mask_token(self.token) if self.token else None,
            "server": self.server,
            "times": self.times,
            "probability": self.probability,
            "seed": self.seed,
            "hits": self.hits,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Fault:
        """A fault from a JSON object (the control plane's ``POST /faults`` body)."""
        unknown = set(data) - _FIELDS
        if unknown:
            raise FaultError(f"unknown fault fields {sorted(unknown)}; known: {', '.join(sorted(_FIELDS))}")
        try:
            return cls(**dict(data)).validate()
        except TypeError as exc:
            raise FaultError(f"bad fault field: {exc}") from None


class FaultSet:
    """The faults of one fake, newest first, and the calls hanging on a ``hang`` fault.

    Thread-safe: tests may add faults from another thread than the server's.
    """

    def __init__(self) -> None:
        self._cond = threading.Condition(threading.RLock())
        self._faults: list[Fault] = []
        self._ids = itertools.count(1)
        self._hanging: list[tuple[asyncio.AbstractEventLoop, asyncio.Future[None]]] = []
        # Draws for latency ranges given in the header: one seeded sequence per fake.
        self._header_rng = random.Random(0)

    def add(self, fault: Fault) -> Fault:
        """Validate ``fault``, give it an id and make it active (newest faults match first)."""
        fault.validate()
        with self._cond:
            fault.id = f"f{next(self._ids)}"
            self._faults.insert(0, fault)
        return fault

    def list(self) -> list[Fault]:
        """Active faults, newest first (a snapshot)."""
        with self._cond:
            return list(self._faults)

    def remove(self, fault_id: str) -> bool:
        """Remove the fault ``fault_id``; False if there is none."""
        with self._cond:
            kept = [f for f in self._faults if f.id != fault_id]
            removed = len(kept) != len(self._faults)
            self._faults = kept
        return removed

    def clear(self) -> int:
        """Remove every fault and release every hanging call; returns how many faults."""
        with self._cond:
            count, self._faults = len(self._faults), []
        self.release_hangs()
        return count

    @property
    def active(self) -> bool:
        """Whether any fault is active (read without the lock, as ``pick`` reads it)."""
        return bool(self._faults)

    def pick(self, family: str, api: str, token: str, server: str) -> Effect | None:
        """The effect on an admitted call: the newest fault in scope whose dice say yes.

        A fault with ``times`` is used up by the calls it hits, then removed.
        """
        if not self._faults:  # the usual case, on every call: no lock taken
            return None
        with self._cond:
            for fault in self._faults:
                if not fault.targets(family, api, token, server) or not fault.draw():
                    continue
                fault.hits += 1
                if fault.times is not None and fault.hits >= fault.times:
                    self._faults.remove(fault)
                return fault.effect()
        return None

    def header_effect(self, fault: Fault) -> Effect:
        """The effect of a fault given by the request header (latency drawn per fake)."""
        latency = fault.latency
        drawn = self._header_rng.uniform(*latency) if isinstance(latency, tuple) else (latency or 0.0)
        return Effect("header", fault.error, dict(fault.values), drawn, fault.transport, fault.hang_seconds)

    # -- hangs -----------------------------------------------------------------------------

    async def hang(self, bound: float) -> None:
        """Wait until ``release_hangs`` or ``bound`` seconds, whichever comes first."""
        loop = asyncio.get_running_loop()
        waiter: tuple[asyncio.AbstractEventLoop, asyncio.Future[None]] = (loop, loop.create_future())
        with self._cond:
            self._hanging.append(waiter)
            self._cond.notify_all()
        try:
            with suppress(TimeoutError):
                await asyncio.wait_for(waiter[1], bound)
        finally:
            with self._cond:
                if waiter in self._hanging:
                    self._hanging.remove(waiter)
                self._cond.notify_all()

    def hanging(self) -> int:
        """Calls waiting on a ``hang`` fault right now."""
        with self._cond:
            return len(self._hanging)

    def wait_hanging(self, count: int = 1, timeout: float = 5.0) -> bool:
        """Block until ``count`` calls hang; False on timeout (not from the server's loop:
        there, use ``await asyncio.to_thread(faults.wait_hanging, ...)``)."""
        with self._cond:
            return self._cond.wait_for(lambda: len(self._hanging) >= count, timeout)

    def release_hangs(self) -> int:
        """Let every hanging call go on; returns how many there were."""
        with self._cond:
            waiters, self._hanging = self._hanging, []
            self._cond.notify_all()
        for loop, fut in waiters:
            with suppress(RuntimeError):  # the loop may be closed: nothing left to wake
                loop.call_soon_threadsafe(_resolve, fut)
        return len(waiters)


def _resolve(fut: asyncio.Future[None]) -> None:
    if not fut.done():
        fut.set_result(None)


def _check_placeholders(fault: Fault) -> None:
    if not fault.values:
        return
    errors = load_catalogue().errors
    spec = errors.get(fault.error or "")
    names = set(spec.placeholders) if spec is not None else set()
    unknown = set(fault.values) - names
    if unknown:
        raise FaultError(
            f"{sorted(unknown)} fill no placeholder of the error's message"
            + (f" (its placeholders: {sorted(names)})" if names else " (it has none)")
        )
