"""What every store offers, the store's own error, and ``open_store``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from wolkvox_mock.store.errors import StoreUnavailable

if TYPE_CHECKING:
    from wolkvox_mock.store.backend import Replica

__all__ = ["DEFAULT_LEASE", "STORE_ENV", "Store", "StoreUnavailable"]

#: Seconds an in-flight slot lives in a shared store unless its process renews it: a slot of a
#: process that died (SIGKILL, power loss) frees itself after at most this long.
DEFAULT_LEASE = 10.0
#: Environment variable naming the store (``memory``, or ``redis://HOST:PORT/DB``).
STORE_ENV = "WOLKVOX_MOCK_STORE"


class Store:
    """A place for a fake's shared parts. The base class is the in-memory store's behaviour:
    nothing is shared, ``attach`` changes nothing."""

    #: Whether several processes share this store (the pipeline then admits through it).
    shared = False
    #: Seconds a slot lives without renewal (shared stores only).
    lease = DEFAULT_LEASE

    def attach(self, fake: Replica) -> None:
        """Bind the store to ``fake`` (called once, from ``WolkvoxFake.__init__``)."""

    def close(self) -> None:
        """Let go of connections and background work."""

    def describe(self) -> str:
        """A short description for banners and logs."""
        return "memory"
