"""The token gate: how many requests of each token are in flight, and holds.

A request is in flight from its admission until its response has been sent, or until its
client is gone (docs/wolkvox-api.md#tokens-and-limits); the caller releases its slot in a ``finally``, so a slot never
leaks. A *hold* on a token keeps that token's admitted requests waiting, in flight, until the
test releases them: "the second concurrent request is refused" becomes a plain assertion.

The gate is shared between the server's event loop and test code that may run in another
thread (a live server) or in the same loop (in-process), so it uses a lock and wakes waiters
with ``call_soon_threadsafe``.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from contextlib import suppress

__all__ = ["TokenGate"]

_Waiter = tuple[asyncio.AbstractEventLoop, "asyncio.Future[None]"]
_Watcher = tuple[asyncio.AbstractEventLoop, "asyncio.Future[None]", Callable[[], bool]]


def _wake(loop: asyncio.AbstractEventLoop, fut: asyncio.Future[None]) -> None:
    def resolve() -> None:
        if not fut.done():
            fut.set_result(None)

    # The loop may be gone (a test finished while a request was held): nothing to wake then.
    with suppress(RuntimeError):
        loop.call_soon_threadsafe(resolve)


class TokenGate:
    """In-flight counters and holds, per token."""

    def __init__(self) -> None:
        # Re-entrant: test predicates read the gate through its locked accessors.
        self._lock = threading.RLock()
        self._cond = threading.Condition(self._lock)
        self._in_flight: dict[str, int] = {}
        self._peak: dict[str, int] = {}
        self._held: dict[str, list[_Waiter]] = {}
        self._watchers: list[_Watcher] = []
        # Threads blocked in wait_for: every admission and release notifies only when one is.
        self._sleepers = 0

    # -- admission -------------------------------------------------------------------------

    def try_acquire(self, token: str, limit: int) -> bool:
        """Admit one request of ``token`` if fewer than ``limit`` are in flight."""
        with self._lock:  # the Condition's own lock, without its Python-level wrapper
            current = self._in_flight.get(token, 0)
            if current >= limit:
                return False
            self._in_flight[token] = current + 1
            self._peak[token] = max(self._peak.get(token, 0), current + 1)
            self._changed()
            return True

    def release(self, token: str) -> None:
        """Free the slot of one admitted request of ``token``."""
        with self._lock:  # the Condition's own lock, without its Python-level wrapper
            left = self._in_flight.get(token, 0) - 1
            if left > 0:
                self._in_flight[token] = left
            else:
                self._in_flight.pop(token, None)
            self._changed()

    def in_flight(self, token: str) -> int:
        """Requests of ``token`` admitted and not yet answered."""
        with self._cond:
            return self._in_flight.get(token, 0)

    def peak(self, token: str) -> int:
        """The most requests of ``token`` ever in flight at once (since the last reset)."""
        with self._cond:
            return self._peak.get(token, 0)

    # -- holds -----------------------------------------------------------------------------

    def hold(self, token: str) -> None:
        """From now on, admitted requests of ``token`` wait until ``release_held``."""
        with self._cond:
            self._held.setdefault(token, [])

    def is_held(self, token: str) -> bool:
        """Whether ``token`` is on hold."""
        if not self._held:  # no hold at all, the usual case: no lock needed to say so
            return False
        with self._lock:
            return token in self._held

    def held_count(self, token: str) -> int:
        """Requests of ``token`` waiting at the hold right now."""
        with self._cond:
            return len(self._held.get(token, ()))

    def release_held(self, token: str | None = None) -> int:
        """Lift the hold on ``token`` (every token when None); returns how many were waiting."""
        with self._cond:
            tokens = list(self._held) if token is None else [token]
            waiters = [w for t in tokens for w in self._held.pop(t, [])]
            self._changed()
        for loop, fut in waiters:
            _wake(loop, fut)
        return len(waiters)

    async def wait_if_held(self, token: str) -> None:
        """Wait here while ``token`` is on hold (returns at once when it is not)."""
        loop = asyncio.get_running_loop()
        fut: asyncio.Future[None] = loop.create_future()
        with self._cond:
            waiters = self._held.get(token)
            if waiters is None:
                return
            waiters.append((loop, fut))
            self._changed()
        try:
            await fut
        finally:
            with self._cond:
                if (loop, fut) in self._held.get(token, []):
                    self._held[token].remove((loop, fut))
                self._changed()

    # -- waiting for the gate to reach a state (for tests) --------------------------------

    def wait_for(self, predicate: Callable[[TokenGate], bool], timeout: float = 5.0) -> bool:
        """Block the calling thread until ``predicate(gate)`` holds; False on timeout.

        Do not call it from the event loop that serves the fake: use ``wait_for_async``.
        """
        with self._cond:
            self._sleepers += 1
            try:
                return self._cond.wait_for(lambda: predicate(self), timeout)
            finally:
                self._sleepers -= 1

    async def wait_for_async(self, predicate: Callable[[TokenGate], bool], timeout: float = 5.0) -> bool:
        """Await until ``predicate(gate)`` holds; False on timeout."""
        loop = asyncio.get_running_loop()
        fut: asyncio.Future[None] = loop.create_future()
        watcher: _Watcher = (loop, fut, lambda: predicate(self))
        with self._cond:
            if predicate(self):
                return True
            self._watchers.append(watcher)
        try:
            await asyncio.wait_for(fut, timeout)
            return True
        except TimeoutError:
            return False
        finally:
            with self._cond:
                if watcher in self._watchers:
                    self._watchers.remove(watcher)

    def reset(self) -> None:
        """Release every hold and forget peaks; requests in flight keep their slots."""
        self.release_held()
        with self._cond:
            self._peak = dict(self._in_flight)

    def _changed(self) -> None:
        # Called with the lock held (re-entrant, so predicates may use the accessors).
        if self._sleepers:
            self._cond.notify_all()
        if not self._watchers:
            return
        ready = [w for w in self._watchers if w[2]()]
        for w in ready:
            self._watchers.remove(w)
            _wake(w[0], w[1])
