"""``RedisStore``: several fake processes acting as one Wolkvox (docs/store.md).

What lives where:

- the token gate (slots with a lease, holds, peaks) and the day counters of the quota:
  ``wolkvox_mock.store.gate``, admitted by one Lua script;
- the journal: ``wolkvox_mock.store.journal``;
- everything else (the state with its operations, tokens, agents, round-robin positions,
  campaigns, sessions and interactions; the seed ``reset`` returns to; faults; maintenance
  windows; the clock): *parts*, each a JSON text in its own key with a version. Each process
  keeps a replica; the fake's lock (``SharedLock``) reloads the parts whose version moved and
  writes back the ones it changed, under a Redis lock (``SET NX PX``, freed by
  compare-and-delete). A call reloads what moved before it is checked (one ``HGETALL``).
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import date
from typing import TYPE_CHECKING, Any

import orjson

from wolkvox_mock.state.models import Interaction, Operation, State, Token
from wolkvox_mock.store import scripts
from wolkvox_mock.store.base import DEFAULT_LEASE, Store
from wolkvox_mock.store.codec import PARTS, dump_part, load_part
from wolkvox_mock.store.connection import Connection
from wolkvox_mock.store.errors import StoreUnavailable
from wolkvox_mock.store.gate import RedisGate
from wolkvox_mock.store.journal import RedisJournal
from wolkvox_mock.store.lists import ListSync, rows_of
from wolkvox_mock.store.shared import SharedClock, SharedFaultSet, SharedLock, SharedMaintenance

if TYPE_CHECKING:
    from wolkvox_mock.store.backend import Replica

__all__ = ["KEY_PREFIX", "RedisStore"]

log = logging.getLogger("wolkvox_mock")

#: Every key of a store starts with this (one fake per Redis database).
KEY_PREFIX = "wolkvox-mock:"
#: Milliseconds the state lock lives if its holder dies while holding it.
_LOCK_MS = 5000
#: Seconds a process waits for the state lock before answering 503.
_LOCK_WAIT = 6.0


class RedisStore(Store):
    """The fake's shared parts in one Redis database (see the module's docstring)."""

    shared = True

    def __init__(
        self, url: str, *, lease: float = DEFAULT_LEASE, reseed: bool = False, timeout: float = 1.0
    ) -> None:
        if lease <= 0:
            raise ValueError("the lease must be a positive number of seconds")
        self.url = url
        self.lease = lease
        self.reseed = reseed
        self.conn = Connection(url, timeout)
        self.process_id = f"{os.getpid()}-{secrets.token_hex(4)}"
        self.scripts: dict[str, Any] = {
            name.lower(): self.conn.client.register_script(getattr(scripts, name)) for name in scripts.__all__
        }
        self._fake: Replica | None = None
        self._versions: dict[str, int] = {}
        self._texts: dict[str, str] = {}
        self._baseline: object = None
        self._pulled: dict[str, int] = {}
        # The state whose first ``_ix_count`` interactions Redis's list holds, and the list's
        # generation (bumped by each rewrite); None: unknown, rewrite it at the next save.
        self._ix_state: State | None = None
        self._ix_count = 0
        self._ix_generation: int | None = None
        # (server, token) of the call running under the lock in this thread: only its
        # counters are read and written (the Python API reads them all).
        self._scope = threading.local()
        self.lists = ListSync(self.key)
        self.lock = SharedLock(self)
        self.gate: RedisGate | None = None

    # -- keys and small counters -----------------------------------------------------------

    def key(self, *parts: str) -> str:
        """The Redis key of ``parts`` (``key("slots", token)``)."""
        return KEY_PREFIX + ":".join(parts)

    def counter(self, name: str) -> int:
        """A shared counter's value."""
        key = self.key("counter", name)
        return int(self.conn.run(lambda r: r.get(key)) or 0)

    def add_counter(self, name: str, step: int) -> int:
        """Add ``step`` to a shared counter; its new value."""
        key = self.key("counter", name)
        return int(self.conn.run(lambda r: r.incrby(key, step)))

    def describe(self) -> str:
        """The store's URL, without its password, and its lease."""
        return f"{self.conn.safe_url} (lease {self.lease:g} s)"

    def ping(self) -> None:
        """Check that Redis answers (``StoreUnavailable`` when it does not)."""
        self.conn.run(lambda r: r.ping())

    # -- binding to a fake -----------------------------------------------------------------

    def attach(self, fake: Replica) -> None:
        """Share ``fake``'s parts: load them from Redis when it holds a fake already (a
        restart keeps the state), else (or with ``reseed``) write ``fake``'s there."""
        self._fake = fake
        self.gate = RedisGate(self)
        fake.gate = self.gate
        fake.journal = RedisJournal(self, fake.settings.journal_size)
        fake.faults = SharedFaultSet(self)
        fake.maintenance = SharedMaintenance(self)
        fake.clock = SharedClock(self, fake.clock)
        fake.lock = self.lock  # a SharedLock, used as the RLock was
        self.ping()
        mine = {part: dump_part(fake, part) for part in PARTS}
        with self.lock:
            if self.reseed or "state" not in self._versions:
                self._versions.clear()  # write every part on the way out
                for part, text in mine.items():
                    load_part(fake, part, text)
                self._baseline = None
            self.reseed = False

    def close(self) -> None:
        """Stop renewing leases and close the connections."""
        if self.gate is not None:
            self.gate.stop()
        self.conn.close()

    # -- the lock and the parts (SharedLock calls these) -----------------------------------

    def lock_and_load(self) -> str:
        """Take the Redis lock, reload the parts that moved; the lock's owner value."""
        owner = f"{self.process_id}:{threading.get_ident()}:{secrets.token_hex(4)}"
        keys = [self.key("lock"), self.key("versions")]
        deadline = time.monotonic() + _LOCK_WAIT
        while True:
            found = self.conn.run(
                lambda r: self.scripts["acquire"](keys=keys, args=[owner, _LOCK_MS], client=r)
            )
            if found is not None:
                break
            if time.monotonic() > deadline:
                raise StoreUnavailable("its state lock stayed taken (another process holds it)")
            time.sleep(0.0005)
        try:
            self._load(_versions(found))
            self._pull_usage()
        except BaseException:
            self._unlock(owner)
            raise
        return owner

    def save_and_unlock(self, owner: str) -> None:
        """Write back the parts this process changed (bumping their versions), unlock."""
        fake = self._fake
        assert fake is not None
        try:
            self._push_usage()
        except BaseException:
            self._forget()
            self._unlock(owner)
            raise
        changed: list[tuple[str, str]] = []
        for part in PARTS:
            known = part in self._versions and part in self._texts
            if part == "baseline" and known and fake._baseline is self._baseline:
                continue  # the baseline is replaced, never changed in place: same object, same text
            text = dump_part(fake, part)
            if not known or self._texts.get(part) != text:
                changed.append((part, text))
        writes = self.lists.pending(fake.state)
        same = fake.state is self._ix_state and len(fake.state.interactions) == self._ix_count
        if not changed and not writes and same:
            self._unlock(owner)
            return
        mode, items = self._new_interactions()
        keys = [self.key("lock"), self.key("versions"), self.key("interactions")]
        keys += [self.key("part", p) for p, _ in changed]
        args = [owner, mode, len(items), *items, *(x for pair in changed for x in pair)]
        list_keys, list_args = self.lists.args(writes)

        def save(r: Any) -> Any:
            if not writes:
                return self.scripts["save"](keys=keys, args=args, client=r)
            pipe = r.pipeline(transaction=True)
            self.scripts["lists"](keys=[*keys[:2], *list_keys], args=[owner, *list_args], client=pipe)
            self.scripts["save"](keys=keys, args=args, client=pipe)
            lists_done, saved = pipe.execute()
            return -1 if lists_done == -1 else saved

        try:
            result = self.conn.run(save)
        except StoreUnavailable:
            self._roll_back(changed)
            raise
        if result == -1:
            self._roll_back(changed)
            raise StoreUnavailable("the state lock expired before the change was written")
        for part, text in changed:
            self._texts[part] = text
        self._baseline = fake._baseline
        versions = _versions(result)
        for part, _ in changed:
            self._versions[part] = versions.get(part, 0)
        self.lists.committed(writes, versions)
        self._versions.update({k: v for k, v in versions.items() if k.startswith("list:")})
        self._ix_state, self._ix_count = fake.state, len(fake.state.interactions)
        self._ix_generation = versions.get("interactions", 0)
        self._versions["interactions"] = self._ix_generation
        self._versions["interactions_len"] = versions.get("interactions_len", 0)

    def _new_interactions(self) -> tuple[str, list[str]]:
        """What the save does with the interactions list: append the new ones, or rewrite it
        (the state was replaced: reset, seed, restore; or Redis lost them)."""
        state = self._fake.state if self._fake is not None else None
        assert state is not None
        known = state is self._ix_state and self._ix_generation is not None
        if known and len(state.interactions) >= self._ix_count:
            new = state.interactions[self._ix_count :]
            return ("append" if new else "keep"), [_interaction_text(i) for i in new]
        return "rewrite", [_interaction_text(i) for i in state.interactions]

    def _load_interactions(self, versions: dict[str, int]) -> None:
        """Bring the replica's interactions up to Redis's list: fetch only those another
        process appended (a reloaded state takes over the list it already had)."""
        fake = self._fake
        assert fake is not None
        if "interactions_len" not in versions:
            return  # Redis holds none (empty, or it lost them): the next save writes ours
        state, length = fake.state, versions["interactions_len"]
        generation = versions.get("interactions", 0)
        previous = self._ix_state
        if previous is not None and generation == self._ix_generation:
            known = previous.interactions
            del known[self._ix_count :]  # nothing beyond what Redis took (a save that failed)
            start = self._ix_count
        else:
            known, start = [], 0
        if length > start:
            raw = self.conn.run(lambda r: r.lrange(self.key("interactions"), start, -1))
            known.extend(Interaction(**json.loads(item)) for item in raw)
        state.interactions = known
        self._ix_state, self._ix_count, self._ix_generation = state, len(known), generation
        self._versions["interactions"], self._versions["interactions_len"] = generation, length

    def refresh(self) -> None:
        """Reload the parts another process changed (without the Redis lock)."""
        found = self.conn.run(lambda r: r.hgetall(self.key("versions")))
        versions = _versions(found)
        if versions.keys() == self._versions.keys() and all(
            self._versions[p] == v for p, v in versions.items()
        ):
            return
        with self.lock.local:
            self._load(versions)

    def _load(self, versions: dict[str, int]) -> None:
        fake = self._fake
        assert fake is not None
        if any(p not in versions for p in self._versions):
            # Redis lost what this process wrote (it restarted empty): write it all again.
            self._forget()
        moved = [p for p in PARTS if p in versions and self._versions.get(p) != versions[p]]
        if moved:
            self._load_parts(moved, versions)
        self._load_interactions(versions)
        self.lists.load(fake.state, versions, self._fetch_rows)
        self._versions.update({k: v for k, v in versions.items() if k.startswith("list:")})

    def _fetch_rows(self, key: str, start: int) -> list[Any]:
        return rows_of(self.conn.run(lambda r: r.lrange(key, start, -1)))

    def _load_parts(self, moved: list[str], versions: dict[str, int]) -> None:
        fake = self._fake
        assert fake is not None
        keys = [self.key("part", p) for p in moved]
        texts = self.conn.run(lambda r: r.mget(keys))
        for part, raw in zip(moved, texts, strict=True):
            if raw is None:
                continue
            text = raw.decode() if isinstance(raw, bytes) else str(raw)
            load_part(fake, part, text)
            self._texts[part] = text
            self._versions[part] = versions[part]
        if "state" in moved and "ticks" not in moved and "ticks" in self._texts:
            load_part(fake, "ticks", self._texts["ticks"])  # the new objects get their ticks
        self._baseline = fake._baseline

    def _roll_back(self, changed: list[tuple[str, str]]) -> None:
        """Undo in the replica the changes that could not be written (a call answered 503
        must leave no trace, even if Redis comes back empty), then reload what Redis has."""
        fake = self._fake
        assert fake is not None
        interactions = fake.state.interactions[: self._ix_count]
        parts = {part for part, _ in changed}
        if "state" in parts:
            parts.add("ticks")  # the state document's new objects get their ticks back
        for part in (p for p in PARTS if p in parts):
            before = self._texts.get(part)
            if before is not None:
                load_part(fake, part, before)
        # The state's document holds no interactions: keep those Redis had taken.
        fake.state.interactions = interactions
        self._ix_state = fake.state
        self.lists.roll_back(fake.state)
        self._forget()

    def _forget(self) -> None:
        # Reload every part at the next lock (or write every part, when Redis lost them); the
        # texts stay: they are what the replica holds, to roll back to.
        self._versions.clear()
        self._ix_generation = None
        self.lists.forget()

    def _unlock(self, owner: str) -> None:
        key = self.key("lock")
        with suppress(StoreUnavailable):  # else it expires by itself
            self.conn.run(lambda r: self.scripts["unlock"](keys=[key], args=[owner], client=r))

    # -- the quota's day counters ----------------------------------------------------------

    def _usage_fields(self) -> list[tuple[str, Any, str]]:
        """(Redis key, object with usage_day/usage_count, day) of every token and pool today."""
        fake = self._fake
        assert fake is not None
        found: list[tuple[str, Any, str]] = []
        scope: tuple[str, str] | None = getattr(self._scope, "call", None)
        operations = fake.state.operations
        for op in operations.values() if scope is None else filter(None, [operations.get(scope[0])]):
            day = fake.clock.today(op.timezone)
            tokens = op.tokens.values() if scope is None else filter(None, [op.tokens.get(scope[1])])
            for token in tokens:
                token_key, _pool_key = self.quota_keys(op.server, token.token, day)
                found.append((token_key, token, day.isoformat()))
            found.append((self.quota_keys(op.server, "", day)[1], op, day.isoformat()))
        return found

    @contextmanager
    def for_call(
        self, server: str, token: str, counted: tuple[tuple[str, str], tuple[int, int]] | None = None
    ) -> Iterator[None]:
        """Inside, the lock reads and writes only the counters of ``token`` and of ``server``'s
        pool (a call's handler needs no other: token_info reads these two). ``counted``: the
        counters' keys and the values the admission script returned when it counted the call
        (then they are not read again)."""
        self._scope.call, self._scope.counted = (server, token), counted
        try:
            yield
        finally:
            self._scope.call = self._scope.counted = None

    def _pull_usage(self) -> None:
        """Today's counters from Redis into the replica (what token_info and
        ``fake.token_usage`` read): Redis's are the ones admission counts in."""
        fields = self._usage_fields()
        if not fields:
            self._pulled = {}
            return
        keys = [key for key, _, _ in fields]
        counted = getattr(self._scope, "counted", None)
        if counted is not None and tuple(keys) == counted[0]:
            raw: list[Any] = list(counted[1])  # as the admission script left them: no round trip
        else:
            raw = self.conn.run(lambda r: r.mget(keys))
        self._pulled = {}
        for (key, holder, day), value in zip(fields, raw, strict=True):
            count = int(value or 0)
            holder.usage_day, holder.usage_count = day, count
            self._pulled[key] = count

    def _push_usage(self) -> None:
        """Counters the replica changed under the lock (a test setting a token's use) go to
        Redis, so that admission counts from there."""
        from wolkvox_mock.store.gate import DAY_TTL

        pulled = self._pulled
        changes = {}
        for key, holder, day in self._usage_fields():
            count = holder.usage_count if holder.usage_day == day else 0
            if (key in pulled and pulled[key] != count) or (key not in pulled and count):
                changes[key] = count
        if changes:

            def write(r: Any) -> Any:
                pipe = r.pipeline(transaction=True)
                for key, count in changes.items():
                    pipe.set(key, count, ex=DAY_TTL)
                return pipe.execute()

            self.conn.run(write)

    def quota_keys(self, server: str, token: str, day: date) -> tuple[str, str]:
        """The day counters of ``token`` and of ``server``'s pool on ``day``."""
        stamp = day.isoformat()
        return self.key("quota", server, stamp, "token", token), self.key("quota", server, stamp, "pool")

    def uses(self, op: Operation, token: Token, day: date) -> tuple[int, int]:
        """Calls of ``token`` and of ``op``'s pool counted on ``day``."""
        keys = self.quota_keys(op.server, token.token, day)
        raw = self.conn.run(lambda r: r.mget(list(keys)))
        return int(raw[0] or 0), int(raw[1] or 0)

    def pool_uses(self, op: Operation, day: date) -> int:
        """Calls of ``op``'s pool counted on ``day``."""
        key = self.quota_keys(op.server, "", day)[1]
        return int(self.conn.run(lambda r: r.get(key)) or 0)

    def uncount(self, keys: tuple[str, str]) -> None:
        """Take back one counted call."""
        self.conn.run(lambda r: self.scripts["uncount"](keys=list(keys), client=r))


def _interaction_text(interaction: Interaction) -> str:
    # orjson writes a dataclass's fields in order, as json.dumps(asdict(...)) would, uncopied.
    return orjson.dumps(interaction).decode()


def _versions(raw: Any) -> dict[str, int]:
    # HGETALL through Lua is a flat list [k1, v1, ...]; through redis-py a dict.
    items = list(raw.items()) if isinstance(raw, dict) else list(zip(raw[::2], raw[1::2], strict=True))
    return {(k.decode() if isinstance(k, bytes) else str(k)): int(v) for k, v in items}
