"""Where a fake keeps what must hold across processes (docs/store.md).

``MemoryStore`` (the default) keeps everything in the fake's own process, as it always did;
``RedisStore`` (``redis://HOST:PORT/DB``) shares the token gate, the quota, the state, the
journal, holds, faults, maintenance windows and the clock between processes. ``open_store``
builds either from a URL. The Redis parts are imported only when a Redis store is opened.
"""

from __future__ import annotations

from wolkvox_mock.store.base import DEFAULT_LEASE, STORE_ENV, Store, StoreUnavailable
from wolkvox_mock.store.memory import MemoryStore
from wolkvox_mock.store.opening import open_store

__all__ = ["DEFAULT_LEASE", "STORE_ENV", "MemoryStore", "Store", "StoreUnavailable", "open_store"]
