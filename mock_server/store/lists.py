"""Capped lists of the state (each operation's audit log) kept in Redis lists of their own.

Every successful call appends a row to its operation's audit log (at most ``AUDIT_SIZE`` rows,
the oldest dropped). Kept inside the state's document, those rows would be written and read
again on every call; here each operation's log is a Redis list: a save appends the rows added
since the last one (``RPUSH`` then ``LTRIM``), a reload fetches only the rows another process
added. ``seq`` (rows ever appended) and ``gen`` (bumped when the list is written anew: reset,
seed, restore) sit in the versions hash beside the parts'.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import orjson

from wolkvox_mock.state.audit import AUDIT_SIZE
from wolkvox_mock.state.models import Operation, State

__all__ = ["CAPPED", "ListSync", "ListWrite"]

#: The collections kept as capped lists, and their caps.
CAPPED: dict[str, int] = {"audit_log": AUDIT_SIZE}


@dataclass
class _Tracked:
    rows: list[Any]  # the replica's list
    last: Any  # its newest row known to be in Redis (None: none)
    seq: int  # Redis's ``seq`` then
    generation: int | None  # Redis's ``gen`` then (None: unknown: write it anew)


@dataclass(frozen=True)
class ListWrite:
    """What a save does to one list: its key, fields, ``append`` or ``rewrite``, the rows."""

    server: str
    name: str
    key: str
    mode: str
    rows: list[Any]
    items: list[str]


def _fields(server: str, name: str) -> tuple[str, str]:
    return f"list:{server}:{name}:seq", f"list:{server}:{name}:gen"


def without_capped(collections: dict[str, Any]) -> dict[str, Any]:
    """The collections as the state's document holds them (the capped lists left out)."""
    return {k: v for k, v in collections.items() if k not in CAPPED}


class ListSync:
    """The replica's capped lists against Redis's (see the module's docstring)."""

    def __init__(self, key: Callable[..., str]) -> None:
        self._key = key
        self._tracked: dict[tuple[str, str], _Tracked] = {}

    # -- saving ----------------------------------------------------------------------------

    def pending(self, state: State) -> list[ListWrite]:
        """The writes that bring Redis's lists up to the replica's."""
        writes = []
        for op in state.operations.values():
            for name in CAPPED:
                write = self._pending(op, name)
                if write is not None:
                    writes.append(write)
        return writes

    def _pending(self, op: Operation, name: str) -> ListWrite | None:
        rows = op.collections.get(name)
        tracked = self._tracked.get((op.server, name))
        key = self._key("list", op.server, name)
        if rows is None:
            # The list went away (a reset to a state without it): empty Redis's too.
            if tracked is not None and (tracked.generation is None or tracked.rows):
                return ListWrite(op.server, name, key, "rewrite", [], [])
            return None
        if tracked is not None and tracked.rows is rows and tracked.generation is not None:
            new = _after(rows, tracked.last)
            if not new:
                return None
            return ListWrite(op.server, name, key, "append", rows, [_text(r) for r in new])
        return ListWrite(op.server, name, key, "rewrite", rows, [_text(r) for r in rows])

    def args(self, writes: list[ListWrite]) -> tuple[list[str], list[object]]:
        """KEYS and ARGV of ``scripts.LISTS`` (after the lock and the versions)."""
        keys: list[str] = []
        args: list[object] = []
        for write in writes:
            seq, gen = _fields(write.server, write.name)
            keys.append(write.key)
            args += [seq, gen, write.mode, CAPPED[write.name], len(write.items), *write.items]
        return keys, args

    def committed(self, writes: list[ListWrite], versions: dict[str, int]) -> None:
        """The writes are in Redis: note where each list stands."""
        for write in writes:
            seq, gen = _fields(write.server, write.name)
            last = write.rows[-1] if write.rows else None
            self._tracked[(write.server, write.name)] = _Tracked(
                write.rows, last, versions.get(seq, 0), versions.get(gen, 0)
            )

    # -- loading ---------------------------------------------------------------------------

    def load(self, state: State, versions: dict[str, int], fetch: Callable[[str, int], list[Any]]) -> None:
        """Bring the replica's lists up to Redis's; ``fetch(key, start)`` reads a list from
        ``start`` (negative: from the end)."""
        for op in state.operations.values():
            for name in CAPPED:
                self._load(op, name, versions, fetch)

    def _load(
        self, op: Operation, name: str, versions: dict[str, int], fetch: Callable[[str, int], list[Any]]
    ) -> None:
        seq_field, gen_field = _fields(op.server, name)
        if seq_field not in versions:
            return  # Redis holds none: the next save writes the replica's
        seq, generation = versions[seq_field], versions.get(gen_field, 0)
        tracked = self._tracked.get((op.server, name))
        current = op.collections.get(name)
        key, cap = self._key("list", op.server, name), CAPPED[name]
        reusable = current is None or (tracked is not None and current is tracked.rows)
        if tracked is not None and tracked.generation == generation and reusable:
            rows, delta = tracked.rows, seq - tracked.seq
            if 0 < delta < cap:
                rows.extend(fetch(key, -delta))
                del rows[: max(len(rows) - cap, 0)]
            elif delta != 0:
                rows[:] = fetch(key, 0)
        else:
            rows = fetch(key, 0)
        if rows or current is not None:
            op.collections[name] = rows
        self._tracked[(op.server, name)] = _Tracked(rows, rows[-1] if rows else None, seq, generation)

    # -- failures --------------------------------------------------------------------------

    def roll_back(self, state: State) -> None:
        """Drop the rows Redis did not take, and give the (reloaded) state its lists back."""
        for (server, name), tracked in self._tracked.items():
            del tracked.rows[len(tracked.rows) - len(_after(tracked.rows, tracked.last)) :]
            op = state.operations.get(server)
            if op is not None:
                op.collections[name] = tracked.rows

    def forget(self) -> None:
        """Redis may have lost the lists: write them anew at the next save."""
        for tracked in self._tracked.values():
            tracked.generation = None


def _after(rows: list[Any], last: Any) -> list[Any]:
    """The rows added after ``last`` (all of them when ``last`` is None or was dropped)."""
    if last is None:
        return rows
    for index in range(len(rows) - 1, -1, -1):
        if rows[index] is last:
            return rows[index + 1 :]
    return rows


def _text(row: Any) -> str:
    return orjson.dumps(row, option=orjson.OPT_NON_STR_KEYS).decode()


def rows_of(raw: list[Any]) -> list[Any]:
    """Rows as read from Redis."""
    return [json.loads(item) for item in raw]
