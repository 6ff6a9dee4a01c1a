"""The fake's lock and its faults, maintenance windows and clock, shared through a store.

``SharedLock`` replaces the fake's ``threading.RLock``: entering it (the outermost time, in a
thread) takes the store's lock and reloads the parts another process changed; leaving it writes
back the parts this process changed and unlocks. Every change the fake makes already happens
under its lock, so the handlers, the Python API and the control plane need no change. The
fault set, the schedule and the clock take the same lock around their own changes.
"""

from __future__ import annotations

import asyncio
import threading
import time
from contextlib import suppress
from datetime import datetime
from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol

from wolkvox_mock.faults.model import Effect, Fault, FaultSet
from wolkvox_mock.state.clock import Clock
from wolkvox_mock.state.maintenance import MaintenanceSchedule, MaintenanceWindow
from wolkvox_mock.store.errors import StoreUnavailable

if TYPE_CHECKING:
    from wolkvox_mock.store.backend import Backend

__all__ = ["SharedClock", "SharedFaultSet", "SharedLock", "SharedMaintenance"]

#: Seconds between two looks at the store while waiting for a condition across processes.
POLL = 0.02


class _Syncing(Protocol):
    def lock_and_load(self) -> str: ...
    def save_and_unlock(self, owner: str) -> None: ...


class SharedLock:
    """A re-entrant lock that is also the store's lock (see the module's docstring)."""

    def __init__(self, store: _Syncing) -> None:
        self._store = store
        self._local = threading.RLock()
        self._depth = 0
        self._owner = ""

    def __enter__(self) -> SharedLock:
        self.acquire()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.release()

    def acquire(self) -> bool:
        """Take the lock (and the store's, the outermost time)."""
        self._local.acquire()
        self._depth += 1
        if self._depth == 1:
            try:
                self._owner = self._store.lock_and_load()
            except BaseException:
                self._depth -= 1
                self._local.release()
                raise
        return True

    def release(self) -> None:
        """Leave the lock (writing back and unlocking the store, the outermost time)."""
        try:
            if self._depth == 1:
                self._store.save_and_unlock(self._owner)
        finally:
            self._depth -= 1
            self._local.release()

    @property
    def local(self) -> threading.RLock:
        """The in-process part only (to swap parts in without taking the store's lock)."""
        return self._local


class SharedFaultSet(FaultSet):
    """A fault set whose faults are shared; hangs are released in every process."""

    def __init__(self, store: Backend) -> None:
        super().__init__()
        self._store = store
        self.next_id = 1

    def add(self, fault: Fault) -> Fault:
        """Validate ``fault``, give it an id unique across processes, make it active."""
        fault.validate()
        with self._store.lock:
            fault.id = f"f{self.next_id}"
            self.next_id += 1
            with self._cond:
                self._faults.insert(0, fault)
        return fault

    def remove(self, fault_id: str) -> bool:
        """Remove the fault ``fault_id`` in every process."""
        with self._store.lock:
            return super().remove(fault_id)

    def clear(self) -> int:
        """Remove every fault, release every hanging call (in every process)."""
        with self._store.lock:
            return super().clear()

    def pick(self, family: str, api: str, token: str, server: str) -> Effect | None:
        """As ``FaultSet.pick``, with ``hits`` and ``times`` counted across processes."""
        if not self._faults:
            return None
        with self._store.lock:
            return super().pick(family, api, token, server)

    async def hang(self, bound: float) -> None:
        """Wait until ``release_hangs`` (from any process) or ``bound`` seconds."""
        store = self._store
        generation = store.counter("hang_generation")
        store.add_counter("hanging", 1)
        local = asyncio.ensure_future(super().hang(bound))
        loop = asyncio.get_running_loop()
        deadline = loop.time() + bound
        try:
            while not local.done() and loop.time() < deadline:
                await asyncio.wait({local}, timeout=POLL * 5)
                if store.counter("hang_generation") != generation:
                    break
        finally:
            local.cancel()
            with suppress(asyncio.CancelledError):
                await local
            with suppress(StoreUnavailable):
                store.add_counter("hanging", -1)

    def hanging(self) -> int:
        """Calls waiting on a ``hang`` fault right now, in every process."""
        return max(self._store.counter("hanging"), 0)

    def wait_hanging(self, count: int = 1, timeout: float = 5.0) -> bool:
        """Block until ``count`` calls hang (in any process); False on timeout."""
        return wait_until(lambda: self.hanging() >= count, timeout)

    def release_hangs(self) -> int:
        """Let every hanging call go on, in every process; returns how many there were."""
        count = self.hanging()
        self._store.add_counter("hang_generation", 1)
        return max(count, super().release_hangs())


class SharedMaintenance(MaintenanceSchedule):
    """Maintenance windows shared by every process."""

    def __init__(self, store: Backend) -> None:
        super().__init__()
        self._store = store
        self.next_id = 1

    def add(self, now: datetime, **options: Any) -> MaintenanceWindow:
        """Open a window in every process (``MaintenanceSchedule.add``'s options)."""
        with self._store.lock:
            return super().add(now, **options)

    def _next_id(self) -> str:
        # Called under the shared lock (from add): unique across processes.
        number, self.next_id = self.next_id, self.next_id + 1
        return f"m{number}"

    def remove(self, window_id: str) -> bool:
        """Close a window in every process."""
        with self._store.lock:
            return super().remove(window_id)

    def clear(self) -> int:
        """Close every window in every process."""
        with self._store.lock:
            return super().clear()


class SharedClock(Clock):
    """A clock frozen, set and moved in every process at once."""

    def __init__(self, store: Backend, clock: Clock) -> None:
        super().__init__()
        self._store = store
        self.restore(*clock.reading())

    def freeze(self, at: datetime | None = None) -> datetime:
        """Stop the clock (everywhere)."""
        with self._store.lock:
            return super().freeze(at)

    def set(self, at: datetime) -> datetime:
        """Jump the clock (everywhere)."""
        with self._store.lock:
            return super().set(at)

    def advance(self, seconds: float = 0.0, **delta: float) -> datetime:
        """Move the clock forward (everywhere)."""
        with self._store.lock:
            return super().advance(seconds, **delta)

    def unfreeze(self) -> None:
        """Back to real time (everywhere)."""
        with self._store.lock:
            super().unfreeze()


def wait_until(condition: Any, timeout: float) -> bool:
    """Poll ``condition()`` until it is true or ``timeout`` seconds pass (the store's state
    lives in another process: there is nothing local to wait on)."""
    deadline = time.monotonic() + timeout
    while True:
        if condition():
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(POLL)


async def wait_until_async(condition: Any, timeout: float) -> bool:
    """``wait_until`` for code on an event loop."""
    deadline = time.monotonic() + timeout
    while True:
        if condition():
            return True
        if time.monotonic() >= deadline:
            return False
        await asyncio.sleep(POLL)
