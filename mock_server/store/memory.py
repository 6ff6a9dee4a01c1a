"""The in-memory store: the fake's state lives in its own process only (the default).

It adds nothing to a call's path: the fake and the pipeline work on their own objects exactly
as they do without a store, so the in-memory figures of bench/RESULTS.md hold.
"""

from __future__ import annotations

from wolkvox_mock.store.base import Store

__all__ = ["MemoryStore"]


class MemoryStore(Store):
    """Everything in this process (``Store``'s defaults)."""
