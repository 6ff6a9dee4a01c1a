"""What every store offers, the store's own error, and ``open_store``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from wolkvox_mock.contracts.errors import WolkvoxAPIError

if TYPE_CHECKING:
    from wolkvox_mock.fake import WolkvoxFake

__all__ = ["DEFAULT_LEASE", "STORE_ENV", "Store", "StoreUnavailable", "open_store"]

#: Seconds an in-flight slot lives in a shared store unless its process renews it: a slot of a
#: process that died (SIGKILL, power loss) frees itself after at most this long.
DEFAULT_LEASE = 10.0
#: Environment variable naming the store (``memory``, or ``redis://HOST:PORT/DB``).
STORE_ENV = "WOLKVOX_MOCK_STORE"


class StoreUnavailable(WolkvoxAPIError):
    """The fake's shared store cannot be reached: the call is answered 503 in Wolkvox's
    envelope (ours [I]: a real Wolkvox has no such store), and nothing of it is recorded."""

    def __init__(self, detail: str = "the store is unreachable") -> None:
        msg, error = "WOLKVOX-MOCK STORE UNREACHABLE", "SERVICE UNAVAILABLE"
        body = {"code": 503, "error": error, "msg": msg}
        super().__init__(
            503,
            msg,
            error=error,
            body=body,
            hint=f"wolkvox-mock's shared store: {detail} (the fake answers again once it is back)",
        )
        self.detail = detail


class Store:
    """A place for a fake's shared parts. The base class is the in-memory store's behaviour:
    nothing is shared, ``attach`` changes nothing."""

    #: Whether several processes share this store (the pipeline then admits through it).
    shared = False
    #: Seconds a slot lives without renewal (shared stores only).
    lease = DEFAULT_LEASE

    def attach(self, fake: WolkvoxFake) -> None:
        """Bind the store to ``fake`` (called once, from ``WolkvoxFake.__init__``)."""

    def close(self) -> None:
        """Let go of connections and background work."""

    def describe(self) -> str:
        """A short description for banners and logs."""
        return "memory"


def open_store(url: str | None, *, lease: float = DEFAULT_LEASE, reseed: bool = False) -> Store:
    """The store named by ``url``: None, ``""`` or ``memory`` for the in-memory store,
    ``redis://HOST:PORT/DB`` (or ``rediss://``, ``unix://``) for Redis. ``reseed``: a Redis
    store takes the fake's state even when it already holds one."""
    from wolkvox_mock.store.memory import MemoryStore

    if not url or url in ("memory", "memory://"):
        return MemoryStore()
    if url.split("://", 1)[0] in ("redis", "rediss", "unix"):
        from wolkvox_mock.store.redis_store import RedisStore

        return RedisStore(url, lease=lease, reseed=reseed)
    raise ValueError(f"unknown store {url!r}; use 'memory' or redis://HOST:PORT/DB")
