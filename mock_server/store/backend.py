"""What the Redis store's parts (gate, journal, shared lock, faults...) need of the store."""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from wolkvox_mock.faults.model import FaultSet
    from wolkvox_mock.settings import Settings
    from wolkvox_mock.state.clock import Clock
    from wolkvox_mock.state.gate import TokenGate
    from wolkvox_mock.state.journal import Journal
    from wolkvox_mock.state.maintenance import MaintenanceSchedule
    from wolkvox_mock.state.models import State
    from wolkvox_mock.store.connection import Connection

__all__ = ["Backend", "Replica"]


class Backend(Protocol):
    """The store as its parts see it (``RedisStore`` is one)."""

    conn: Connection
    scripts: dict[str, Any]
    lease: float
    process_id: str

    @property
    def lock(self) -> AbstractContextManager[Any]:
        """The fake's lock, which is also the store's (``SharedLock``)."""
        ...

    def key(self, *parts: str) -> str:
        """The Redis key of ``parts``."""
        ...

    def counter(self, name: str) -> int:
        """A shared counter's value."""
        ...

    def add_counter(self, name: str, step: int) -> int:
        """Add ``step`` to a shared counter."""
        ...


class Replica(Protocol):
    """A fake as a store sees it (``WolkvoxFake`` is one; the store sits below the fake)."""

    settings: Settings
    state: State
    _baseline: dict[str, Any]
    gate: TokenGate
    journal: Journal
    faults: FaultSet
    maintenance: MaintenanceSchedule
    clock: Clock
    lock: Any
