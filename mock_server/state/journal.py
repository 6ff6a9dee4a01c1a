"""The request journal: one entry per request the fake answered, newest last, bounded."""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import asdict, dataclass
from typing import Any

__all__ = ["Journal", "JournalEntry"]


# Slots: the journal keeps up to ``Settings.journal_size`` entries (10,000 by default).
@dataclass(frozen=True, slots=True)
class JournalEntry:
    """What the fake received and what it answered. The token is masked."""

    time: str
    method: str
    path: str
    api: str
    server: str
    token: str
    status: int
    duration_ms: float
    error: str | None = None
    hint: str | None = None
    #: The fault that acted on the call (``f1 error=token_busy``, ``header transport=reset``).
    fault: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-compatible copy."""
        return asdict(self)


class Journal:
    """A bounded, thread-safe log of answered requests (oldest dropped first)."""

    def __init__(self, maxlen: int = 10_000) -> None:
        self._lock = threading.Lock()
        self._entries: deque[JournalEntry] = deque(maxlen=maxlen)
        self.total = 0

    def append(self, entry: JournalEntry) -> None:
        """Add an entry, dropping the oldest when full."""
        with self._lock:
            self._entries.append(entry)
            self.total += 1

    def entries(self) -> list[JournalEntry]:
        """A snapshot of the entries kept, oldest first."""
        with self._lock:
            return list(self._entries)

    @property
    def maxlen(self) -> int:
        """How many entries are kept at most."""
        return self._entries.maxlen or 0

    def resize(self, maxlen: int) -> None:
        """Keep at most ``maxlen`` entries from now on (the newest ones survive)."""
        with self._lock:
            self._entries = deque(self._entries, maxlen=maxlen)

    def clear(self) -> None:
        """Forget every entry."""
        with self._lock:
            self._entries.clear()
            self.total = 0

    def __len__(self) -> int:
        return len(self._entries)
