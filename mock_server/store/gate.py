"""The token gate in Redis: in-flight slots with a lease, holds, peaks, across processes.

Each admitted call owns a slot: a member of the token's sorted set whose score is the time its
lease ends (Redis's clock, in ms). Admission (quota and gate) is one Lua script; releasing is
one ``ZREM``. A thread renews this process's slots every third of the lease, so a held or slow
call keeps its slot however long it lasts, and a slot of a process that died frees itself
within one lease.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from typing import TYPE_CHECKING

from wolkvox_mock.state.gate import TokenGate
from wolkvox_mock.store.errors import StoreUnavailable
from wolkvox_mock.store.shared import POLL, wait_until, wait_until_async

if TYPE_CHECKING:
    import redis

    from wolkvox_mock.store.backend import Backend

__all__ = ["Admission", "RedisGate"]

#: Seconds the day counters outlive their day (then Redis drops them: the day rollover).
DAY_TTL = 2 * 24 * 3600


@dataclass(frozen=True, slots=True)
class Admission:
    """What the admission script decided: ``quota``, ``busy`` or ``admitted``."""

    outcome: str
    held: bool = False
    token_uses: int = 0
    pool_uses: int = 0


class RedisGate(TokenGate):
    """``TokenGate``'s API over Redis (see the module's docstring)."""

    def __init__(self, store: Backend) -> None:
        super().__init__()
        self._store = store
        self._ids = itertools.count(1)
        self._mine: dict[str, list[str]] = {}
        self._mine_lock = threading.Lock()
        self._stop = threading.Event()
        self._renewer: threading.Thread | None = None

    # -- admission -------------------------------------------------------------------------

    def admit(
        self,
        token: str,
        limit: int,
        *,
        quota_keys: tuple[str, str],
        check_quota: bool = False,
        count: bool = False,
        token_cap: int = -1,
        pool_cap: int = -1,
    ) -> Admission:
        """Check the quota and take a slot in one step (``scripts.ADMIT``)."""
        store = self._store
        slot = f"{store.process_id}:{next(self._ids)}"
        keys = [store.key("slots", token), *quota_keys, store.key("held"), store.key("peak")]
        args = [slot, int(store.lease * 1000), limit, int(check_quota), int(count)]
        args += [token_cap, pool_cap, DAY_TTL, token]
        result = store.conn.run(lambda r: store.scripts["admit"](keys=keys, args=args, client=r))
        if result[0] == 0:
            return Admission("quota")
        if result[0] == 1:
            return Admission("busy")
        with self._mine_lock:
            self._mine.setdefault(token, []).append(slot)
        self._ensure_renewer()
        return Admission("admitted", bool(result[1]), int(result[2]), int(result[3]))

    def try_acquire(self, token: str, limit: int) -> bool:
        """Take a slot of ``token`` if fewer than ``limit`` are in flight (no quota)."""
        keys = (self._store.key("unused"), self._store.key("unused"))
        return self.admit(token, limit, quota_keys=keys).outcome == "admitted"

    def release(self, token: str) -> None:
        """Free one of this process's slots of ``token`` (any: they are alike). Never raises:
        when the store is gone, the slot frees itself at the end of its lease."""
        with self._mine_lock:
            slots = self._mine.get(token)
            if not slots:
                return
            slot = slots.pop()
            if not slots:
                del self._mine[token]
        key = self._store.key("slots", token)
        with suppress(StoreUnavailable):
            self._store.conn.run(lambda r: r.zrem(key, slot))

    def in_flight(self, token: str) -> int:
        """Calls of ``token`` in flight in every process (expired slots dropped)."""
        key = self._store.key("slots", token)
        store = self._store
        return int(store.conn.run(lambda r: store.scripts["in_flight"](keys=[key], client=r)))

    def peak(self, token: str) -> int:
        """The most calls of ``token`` in flight at once since the last reset."""
        key = self._store.key("peak")
        value = self._store.conn.run(lambda r: r.hget(key, token))
        return int(value or 0)

    # -- holds -----------------------------------------------------------------------------

    def hold(self, token: str) -> None:
        """Hold ``token``'s admitted calls, in every process."""
        key = self._store.key("held")
        self._store.conn.run(lambda r: r.sadd(key, token))

    def is_held(self, token: str) -> bool:
        """Whether ``token`` is on hold."""
        key = self._store.key("held")
        return bool(self._store.conn.run(lambda r: r.sismember(key, token)))

    def held_count(self, token: str) -> int:
        """Calls of ``token`` waiting at the hold, in every process."""
        key = self._store.key("waiting")
        return max(int(self._store.conn.run(lambda r: r.hget(key, token)) or 0), 0)

    def release_held(self, token: str | None = None) -> int:
        """Lift the hold on ``token`` (every token when None); how many calls were waiting."""
        held, waiting = self._store.key("held"), self._store.key("waiting")

        def lift(r: redis.Redis) -> int:
            counts = r.hgetall(waiting)
            if token is None:
                r.delete(held)
                return sum(max(int(v), 0) for v in counts.values())
            r.srem(held, token)
            return max(int(counts.get(token.encode(), 0)), 0)

        return self._store.conn.run(lift)

    async def wait_if_held(self, token: str) -> None:
        """Wait while ``token`` is on hold (polling the store)."""
        if not self.is_held(token):
            return
        await self.wait_held_call(token)

    async def wait_held_call(self, token: str) -> None:
        """Count this call as waiting at the hold, and wait until the hold is lifted."""
        store = self._store
        waiting = store.key("waiting")
        store.conn.run(lambda r: r.hincrby(waiting, token, 1))
        try:
            await wait_until_async(lambda: not self.is_held(token), float("inf"))
        finally:
            with suppress(StoreUnavailable):
                store.conn.run(lambda r: r.hincrby(waiting, token, -1))

    # -- waiting for the gate to reach a state (for tests) --------------------------------

    def wait_for(self, predicate: Callable[[TokenGate], bool], timeout: float = 5.0) -> bool:
        """Poll until ``predicate(gate)`` holds; False on timeout."""
        return wait_until(lambda: predicate(self), timeout)

    async def wait_for_async(self, predicate: Callable[[TokenGate], bool], timeout: float = 5.0) -> bool:
        """Await until ``predicate(gate)`` holds; False on timeout."""
        return await wait_until_async(lambda: predicate(self), timeout)

    def reset(self) -> None:
        """Release every hold and forget peaks (calls in flight keep their slots)."""
        self.release_held()
        key = self._store.key("peak")
        self._store.conn.run(lambda r: r.delete(key))

    # -- leases ----------------------------------------------------------------------------

    def _ensure_renewer(self) -> None:
        if self._renewer is None:
            with self._mine_lock:
                if self._renewer is None:
                    self._renewer = threading.Thread(
                        target=self._renew, name="wolkvox-mock-lease", daemon=True
                    )
                    self._renewer.start()

    def _renew(self) -> None:
        store = self._store
        while not self._stop.wait(max(store.lease / 3, POLL)):
            with self._mine_lock:
                mine = {token: list(slots) for token, slots in self._mine.items() if slots}
            for token, slots in mine.items():
                keys = [store.key("slots", token)]
                args = [int(store.lease * 1000), *slots]
                with suppress(StoreUnavailable):
                    store.conn.run(self._renewal(keys, args))

    def _renewal(self, keys: list[str], args: list[object]) -> Callable[[redis.Redis], object]:
        script = self._store.scripts["renew"]
        return lambda r: script(keys=keys, args=args, client=r)

    def stop(self) -> None:
        """Stop renewing leases."""
        self._stop.set()
