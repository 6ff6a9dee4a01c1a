"""``open_store``: a store from its URL."""

from __future__ import annotations

from wolkvox_mock.store.base import DEFAULT_LEASE, Store
from wolkvox_mock.store.memory import MemoryStore

__all__ = ["open_store"]


def open_store(url: str | None, *, lease: float = DEFAULT_LEASE, reseed: bool = False) -> Store:
    """The store named by ``url``: None, ``""`` or ``memory`` for the in-memory store,
    ``redis://HOST:PORT/DB`` (or ``rediss://``, ``unix://``) for Redis. ``reseed``: a Redis
    store takes the fake's state even when it already holds one."""
    if not url or url in ("memory", "memory://"):
        return MemoryStore()
    if url.split("://", 1)[0] in ("redis", "rediss", "unix"):
        # Imported only then: redis-py is an optional dependency (the ``redis`` extra).
        from wolkvox_mock.store.redis_store import RedisStore

        return RedisStore(url, lease=lease, reseed=reseed)
    raise ValueError(f"unknown store {url!r}; use 'memory' or redis://HOST:PORT/DB")
