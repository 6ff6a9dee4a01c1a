"""Per-token slots: how many calls of one Wolkvox token may be in flight in this process.

Wolkvox refuses a token's request while too many others of the same token are in flight
(403 EXCEEDS THE LIMIT OF SIMULTANEOUS REQUESTS PER TOKEN, docs/wolkvox-api.md#tokens-and-limits), and its docs ask
integrators to chain calls rather than fire them together. So every client of one token (one
``(base_url, token)`` pair) in this process draws from the same ``TokenSlots``: a counter of
``max_in_flight`` slots shared by every thread and every event loop, sync and async clients
alike. Threads wait on a condition; tasks wait on a future of their own loop, woken from
whichever thread frees a slot. In front of that, each event loop has an ``asyncio.Semaphore``
of the same size, so that a loop's tasks queue in order and only a few wait on the counter.
"""

from __future__ import annotations

import asyncio
import threading
import weakref
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager, suppress

__all__ = ["REGISTRY", "SlotRegistry", "TokenSlots"]

_Waiter = tuple[asyncio.AbstractEventLoop, "asyncio.Future[None]"]


class TokenSlots:
    """The ``limit`` in-flight slots of one token."""

    def __init__(self, limit: int) -> None:
        if limit < 1:
            raise ValueError("max_in_flight must be at least 1")
        self.limit = limit
        self._cond = threading.Condition()
        self._used = 0
        self._thread_waiters = 0
        self._async_waiters: list[_Waiter] = []
        self._loops: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = (
            weakref.WeakKeyDictionary()
        )

    @property
    def in_use(self) -> int:
        """Slots taken right now."""
        with self._cond:
            return self._used

    @property
    def waiting(self) -> int:
        """Threads and tasks waiting for a slot right now (not counting a loop's queue)."""
        with self._cond:
            return self._thread_waiters + len(self._async_waiters)

    @contextmanager
    def slot(self) -> Iterator[None]:
        """Hold one slot for the block (blocks the thread until one is free)."""
        with self._cond:
            self._thread_waiters += 1
            try:
                self._cond.wait_for(lambda: self._used < self.limit)
            finally:
                self._thread_waiters -= 1
            self._used += 1
        try:
            yield
        finally:
            self._release()

    @asynccontextmanager
    async def slot_async(self) -> AsyncIterator[None]:
        """Hold one slot for the block, waiting without blocking the event loop."""
        async with self._loop_semaphore():
            await self._acquire_async()
            try:
                yield
            finally:
                self._release()

    async def _acquire_async(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            with self._cond:
                if self._used < self.limit:
                    self._used += 1
                    return
                waiter: _Waiter = (loop, loop.create_future())
                self._async_waiters.append(waiter)
            try:
                await waiter[1]
            finally:
                with self._cond, suppress(ValueError):
                    self._async_waiters.remove(waiter)

    def _release(self) -> None:
        with self._cond:
            self._used -= 1
            # One thread and every waiting task try again; whoever loses waits again, so a
            # cancelled task cannot swallow the wake-up.
            self._cond.notify()
            waiters, self._async_waiters = self._async_waiters, []
        for loop, future in waiters:
            _wake(loop, future)

    def _loop_semaphore(self) -> asyncio.Semaphore:
        loop = asyncio.get_running_loop()
        with self._cond:
            semaphore = self._loops.get(loop)
            if semaphore is None:
                semaphore = self._loops[loop] = asyncio.Semaphore(self.limit)
            return semaphore


def _wake(loop: asyncio.AbstractEventLoop, future: asyncio.Future[None]) -> None:
    def resolve() -> None:
        if not future.done():
            future.set_result(None)

    # The waiter's loop may be closed already (its program ended): nobody to wake then.
    with suppress(RuntimeError):
        loop.call_soon_threadsafe(resolve)


class SlotRegistry:
    """The ``TokenSlots`` of every token in use in this process, shared by its clients.

    A client checks its token's slots out when it is built and back in when it is closed (or
    collected); the entry goes when its last client does. Two live clients of one token must
    agree on ``max_in_flight``: otherwise the limit would be ambiguous, and that is refused.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: dict[tuple[str, str], tuple[TokenSlots, int]] = {}

    def checkout(self, key: tuple[str, str], limit: int) -> TokenSlots:
        """The slots of ``key`` (``(base_url, token)``), created with ``limit`` if new."""
        with self._lock:
            slots, users = self._entries.get(key) or (TokenSlots(limit), 0)
            if slots.limit != limit:
                raise ValueError(
                    f"another client of this token is open with max_in_flight={slots.limit}; "
                    f"every client of one token in a process must use the same max_in_flight "
                    f"(got {limit})"
                )
            self._entries[key] = (slots, users + 1)
            return slots

    def checkin(self, key: tuple[str, str]) -> None:
        """One client of ``key`` is done with its slots."""
        with self._lock:
            slots, users = self._entries.get(key) or (None, 0)
            if slots is None:
                return
            if users <= 1:
                del self._entries[key]
            else:
                self._entries[key] = (slots, users - 1)

    def users(self, key: tuple[str, str]) -> int:
        """How many open clients share the slots of ``key``."""
        with self._lock:
            entry = self._entries.get(key)
            return 0 if entry is None else entry[1]


#: The process-wide registry used by ``WolkvoxClient`` and ``AsyncWolkvoxClient``.
REGISTRY = SlotRegistry()
