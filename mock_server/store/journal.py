"""The request journal in Redis: one capped list shared by every process.

Each entry is JSON text ``[seq, entry]``, ``seq`` from a shared counter, newest last; the list
keeps ``Settings.journal_size`` entries (``RPUSH`` then ``LTRIM``, in one transaction). The
whole exchanges (headers and bodies, for the inspector) stay in the process that served the
call: an entry served by another worker shows without its exchange.
"""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING, Any

from wolkvox_mock.state.journal import Exchange, Journal, JournalEntry, RawExchange
from wolkvox_mock.store.errors import StoreUnavailable

if TYPE_CHECKING:
    import redis

    from wolkvox_mock.store.backend import Backend

__all__ = ["RedisJournal"]

log = logging.getLogger("wolkvox_mock")


class RedisJournal(Journal):
    """``Journal``'s API over a Redis list (see the module's docstring)."""

    def __init__(self, store: Backend, maxlen: int = 10_000) -> None:
        super().__init__(maxlen)
        self._store = store
        self._max = maxlen
        self._list, self._seq = store.key("journal"), store.key("journal_seq")
        self._total, self._generation = store.key("journal_total"), store.key("journal_generation")

    # The base class keeps these as attributes; here they live in Redis.
    @property
    def total(self) -> int:
        """Entries since the last ``clear``, in every process."""
        return int(self._store.conn.run(lambda r: r.get(self._total)) or 0)

    @total.setter
    def total(self, value: int) -> None:
        pass  # Journal.__init__ sets it; the shared counter is not reset by a new process

    @property
    def last_seq(self) -> int:
        """The ``seq`` of the newest entry ever appended (never reset)."""
        return int(self._store.conn.run(lambda r: r.get(self._seq)) or 0)

    @last_seq.setter
    def last_seq(self, value: int) -> None:
        pass

    @property
    def generation(self) -> int:
        """How many times the journal was cleared."""
        return int(self._store.conn.run(lambda r: r.get(self._generation)) or 0)

    @generation.setter
    def generation(self, value: int) -> None:
        pass

    def append(self, entry: JournalEntry, exchange: RawExchange | None = None) -> None:
        """Add an entry for every process to see. Never raises: with the store gone, the
        entry is lost (a warning is logged once per outage by the connection)."""
        text = json.dumps(entry.to_dict(), separators=(",", ":"))
        keys = [self._list, self._seq, self._total]
        store = self._store

        def push(r: redis.Redis) -> int:
            return int(store.scripts["journal"](keys=keys, args=[text, self._max], client=r))

        try:
            seq = self._store.conn.run(push)
        except StoreUnavailable:
            return
        if exchange is not None:
            self._keep_exchange(seq, exchange)

    def _keep_exchange(self, seq: int, exchange: RawExchange) -> None:
        from wolkvox_mock.state.journal import _keep

        with self._lock:
            self._exchanges.append(_keep(seq, exchange))

    def _read(self) -> list[tuple[int, JournalEntry]]:
        raw = self._store.conn.run(lambda r: r.lrange(self._list, 0, -1))
        found = []
        for item in raw:
            seq, data = json.loads(item)
            found.append((int(seq), JournalEntry(**data)))
        return found

    def entries(self) -> list[JournalEntry]:
        """The entries kept, oldest first."""
        return [entry for _, entry in self._read()]

    def since(self, seq: int, limit: int) -> tuple[int, int, list[tuple[int, JournalEntry]], int]:
        """As ``Journal.since``, over every process's entries."""
        generation, last = self.generation, self.last_seq
        newer = [(s, e) for s, e in self._read() if s > seq]
        taken = newer[-limit:] if limit > 0 else []
        skipped = max(0, last - seq) - len(taken)
        return generation, last, taken, max(skipped, 0)

    def find(self, seq: int) -> tuple[JournalEntry | None, Exchange | None]:
        """The entry ``seq`` and its exchange (None when another process served it)."""
        entry = next((e for s, e in self._read() if s == seq), None)
        if entry is None:
            return None, None
        with self._lock:
            kept = next((k for k in self._exchanges if k[0] == seq), None)
        return entry, Exchange._from_kept(kept) if kept is not None else None

    @property
    def maxlen(self) -> int:
        """How many entries are kept at most."""
        return self._max

    def resize(self, maxlen: int) -> None:
        """Keep at most ``maxlen`` entries from now on (in this process's appends)."""
        self._max = maxlen
        self._store.conn.run(lambda r: r.ltrim(self._list, -maxlen, -1))

    def clear(self) -> None:
        """Forget every entry, in every process."""

        def wipe(r: redis.Redis) -> Any:
            pipe = r.pipeline(transaction=True)
            pipe.delete(self._list)
            pipe.set(self._total, 0)
            pipe.incr(self._generation)
            return pipe.execute()

        self._store.conn.run(wipe)
        with self._lock:
            self._exchanges.clear()

    def __len__(self) -> int:
        return int(self._store.conn.run(lambda r: r.llen(self._list)))
