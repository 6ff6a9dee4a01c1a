"""The request journal: one entry per request the fake answered, newest last, bounded.

Each entry has a sequence number (``seq``, from 1, never reused, not even after ``clear``) so a
reader can ask for what came after the last entry it saw (the inspector's live stream does).
The newest ``EXCHANGES_KEPT`` entries also keep their whole exchange (``Exchange``): query,
headers and bodies in and out, each body cut at ``BODY_KEPT`` bytes, so memory stays bounded
whatever the traffic.
"""

from __future__ import annotations

import threading
from bisect import bisect_left
from collections import deque
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from wolkvox_mock.contracts.protocol import ADMIN_HEADER, TOKEN_HEADER, mask_token

__all__ = [
    "BODY_KEPT",
    "EXCHANGES_KEPT",
    "Exchange",
    "Journal",
    "JournalEntry",
    "PendingEntry",
    "RawExchange",
]

#: How many of the newest entries keep their whole exchange (headers and bodies).
EXCHANGES_KEPT = 1000
#: Bytes of each body kept in an exchange (the rest is cut, and ``*_size`` says how much there was).
BODY_KEPT = 16 * 1024
#: Headers whose value is a secret: shown masked in an exchange.
_SECRET_HEADERS = frozenset({TOKEN_HEADER.encode(), ADMIN_HEADER.encode(), b"authorization", b"cookie"})
_TOKEN_KEY = TOKEN_HEADER.encode()

RawHeaders = list[tuple[bytes, bytes]]
#: What the request path hands the journal: query, headers, body, answer headers (None when no
#: answer was sent) and answer body, as they are (a tuple: the cheapest thing to make per call).
RawExchange = tuple[bytes, RawHeaders, bytes, RawHeaders | None, bytes]
#: What the request path hands ``Journal.record``: an entry's fields as they are at hand, the
#: formatting left to the reader (most entries are never read): time (a datetime), method,
#: path, api, server, token (unmasked), status, duration in seconds, error, hint, fault.
PendingEntry = tuple[datetime, str, str, str, str, str, int, float, str | None, str | None, str | None]
# Kept per entry: seq, query, headers, body (cut), body size, answer headers, answer body (cut), size.
_Kept = tuple[int, bytes, RawHeaders, bytes, int, RawHeaders | None, bytes, int]


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


@dataclass(frozen=True, slots=True)
class Exchange:
    """The whole of one call as the fake saw it: raw, as received and as rendered.

    Kept raw so the request path pays nothing for it; ``to_dict`` masks the token (in the
    headers, and wherever the token's text appears in the query or a body) and other secrets.
    """

    query: bytes
    request_headers: RawHeaders
    request_body: bytes
    request_size: int
    response_headers: RawHeaders | None = None
    response_body: bytes = b""
    response_size: int = 0

    @classmethod
    def capture(
        cls,
        query: bytes,
        headers: RawHeaders,
        body: bytes,
        response_headers: RawHeaders | None = None,
        response_body: bytes = b"",
    ) -> Exchange:
        """An exchange keeping at most ``BODY_KEPT`` bytes of each body."""
        return cls._from_kept(_keep(0, (query, headers, body, response_headers, response_body)))

    @classmethod
    def _from_kept(cls, kept: _Kept) -> Exchange:
        _, query, headers, body, body_size, response_headers, response_body, response_size = kept
        return cls(query, headers, body, body_size, response_headers, response_body, response_size)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-compatible copy, secrets masked."""
        tokens = [v.decode("latin-1").strip() for k, v in self.request_headers if k.lower() == _TOKEN_KEY]
        secrets = sorted({t for t in tokens if t}, key=len, reverse=True)

        def text(raw: bytes) -> str:
            value = raw.decode("utf-8", errors="replace")
            for secret in secrets:
                value = value.replace(secret, mask_token(secret))
            return value

        return {
            "query": text(self.query),
            "request_headers": _headers(self.request_headers),
            "request_body": text(self.request_body),
            "request_size": self.request_size,
            "request_cut": self.request_size > len(self.request_body),
            "response_headers": None if self.response_headers is None else _headers(self.response_headers),
            "response_body": text(self.response_body),
            "response_size": self.response_size,
            "response_cut": self.response_size > len(self.response_body),
        }


def _keep(seq: int, raw: RawExchange) -> _Kept:
    # Slicing bytes shorter than the cut returns the same object: no copy in the common case.
    query, headers, body, response_headers, response_body = raw
    return (
        seq,
        query,
        headers,
        body[:BODY_KEPT],
        len(body),
        response_headers,
        response_body[:BODY_KEPT],
        len(response_body),
    )


def _headers(raw: RawHeaders) -> list[list[str]]:
    out = []
    for key, value in raw:
        name = key.decode("latin-1").lower()
        shown = value.decode("latin-1")
        out.append([name, mask_token(shown.strip()) if key.lower() in _SECRET_HEADERS else shown])
    return out


def _settle(pending: PendingEntry) -> JournalEntry:
    time, method, path, api, server, token, status, seconds, error, hint, fault = pending
    masked = mask_token(token) if token else ""
    return JournalEntry(
        time.isoformat(),
        method,
        path,
        api,
        server,
        masked,
        status,
        round(seconds * 1000, 3),
        error,
        hint,
        fault,
    )


def _seq_of(kept: _Kept) -> int:
    return kept[0]


class Journal:
    """A bounded, thread-safe log of answered requests (oldest dropped first)."""

    def __init__(self, maxlen: int = 10_000) -> None:
        self._lock = threading.Lock()
        # The newest ``_unsettled`` entries are still PendingEntry tuples (``record``): a
        # frozen dataclass and an ISO time cost more than the rest of journaling, so readers
        # build them, once, when they first read them (``_settled``).
        self._entries: deque[JournalEntry | PendingEntry] = deque(maxlen=maxlen)
        self._unsettled = 0
        # A subclass that overrides ``append`` (serve --verbose logs each entry) gets every
        # recorded entry through it, built at once.
        self._append_overridden = type(self).append is not Journal.append
        # Oldest first, seqs increasing: the deque drops the oldest by itself, and a lookup (a
        # click in the inspector) bisects it.
        self._exchanges: deque[_Kept] = deque(maxlen=EXCHANGES_KEPT)
        #: Entries since the last ``clear`` (the control plane's ``total``).
        self.total = 0
        #: The ``seq`` of the newest entry ever appended (never reset).
        self.last_seq = 0
        #: How many times the journal was cleared (readers of ``since`` start over when it moves).
        self.generation = 0

    def append(self, entry: JournalEntry, exchange: RawExchange | None = None) -> None:
        """Add an entry (and its whole exchange), dropping the oldest when full."""
        with self._lock:
            self._settled().append(entry)
            self.total += 1
            self.last_seq += 1
            if exchange is not None:
                self._exchanges.append(_keep(self.last_seq, exchange))

    def record(self, pending: PendingEntry, exchange: RawExchange | None = None) -> None:
        """``append`` for the request path: the entry is built when it is first read."""
        if self._append_overridden:
            self.append(_settle(pending), exchange)
            return
        with self._lock:
            entries = self._entries
            entries.append(pending)
            if self._unsettled < len(entries):
                self._unsettled += 1
            self.total += 1
            self.last_seq += 1
            if exchange is not None:
                self._exchanges.append(_keep(self.last_seq, exchange))

    def _settled(self) -> deque[JournalEntry]:
        # Under the lock: build the pending entries (always the newest ones), in place.
        entries = self._entries
        if self._unsettled:
            size = len(entries)
            for index in range(size - self._unsettled, size):
                entries[index] = _settle(entries[index])  # type: ignore[arg-type]
            self._unsettled = 0
        return entries  # type: ignore[return-value]

    def entries(self) -> list[JournalEntry]:
        """A snapshot of the entries kept, oldest first."""
        with self._lock:
            return list(self._settled())

    def since(self, seq: int, limit: int) -> tuple[int, int, list[tuple[int, JournalEntry]], int]:
        """Entries after ``seq``, oldest first, at most the newest ``limit`` of them.

        Returns ``(generation, last_seq, [(seq, entry), ...], skipped)`` where ``skipped``
        counts newer entries left out by ``limit`` or already dropped from the journal.
        """
        with self._lock:
            entries, last = self._settled(), self.last_seq
            new = max(0, min(last - seq, len(entries)))
            dropped = max(0, last - seq - len(entries))
            taken = min(new, limit)
            first = len(entries) - taken
            found = [(last - len(entries) + 1 + i, entries[i]) for i in range(first, len(entries))]
            return self.generation, last, found, dropped + new - taken

    def find(self, seq: int) -> tuple[JournalEntry | None, Exchange | None]:
        """The entry ``seq`` and its exchange, each None when no longer kept."""
        with self._lock:
            entries = self._settled()
            index = len(entries) - 1 - (self.last_seq - seq)
            entry = entries[index] if 0 <= index < len(entries) and seq > 0 else None
            if entry is None:
                return None, None
            kept = self._exchanges
            at = bisect_left(kept, seq, key=_seq_of)
            found = at < len(kept) and kept[at][0] == seq
            return entry, Exchange._from_kept(kept[at]) if found else None

    @property
    def exchanges_kept(self) -> int:
        """How many entries keep their whole exchange right now."""
        return len(self._exchanges)

    @property
    def maxlen(self) -> int:
        """How many entries are kept at most."""
        return self._entries.maxlen or 0

    def resize(self, maxlen: int) -> None:
        """Keep at most ``maxlen`` entries from now on (the newest ones survive)."""
        with self._lock:
            self._entries = deque(self._settled(), maxlen=maxlen)
            oldest = self.last_seq - len(self._entries)
            kept = (k for k in self._exchanges if k[0] > oldest)
            self._exchanges = deque(kept, maxlen=EXCHANGES_KEPT)

    def clear(self) -> None:
        """Forget every entry."""
        with self._lock:
            self._entries.clear()
            self._unsettled = 0
            self._exchanges.clear()
            self.total = 0
            self.generation += 1

    def __len__(self) -> int:
        return len(self._entries)
