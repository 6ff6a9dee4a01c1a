"""``WolkvoxFake``: one fake Wolkvox, its state and the one Python API that drives it.

The Starlette app (``create_app``) serves a fake over HTTP; tests, the pytest plugin and the
control plane drive the same object directly: seed it, read what it recorded, hold a token's
requests, inject faults, move its clock. Verbs that take a server or a token take them as
optional keywords that default to the fake's *default operation* (``server``) and its token
(``token``). The pytest fixtures hand out ``WolkvoxMock``, a ``WolkvoxFake`` with clients and
assertions added. Everything here is safe to call from another thread than the server's.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Self

from wolkvox_mock.contracts.protocol import mask_token
from wolkvox_mock.fake_core import pick_server
from wolkvox_mock.fake_entities import EntitiesMixin
from wolkvox_mock.fake_schedule import ScheduleMixin
from wolkvox_mock.faults.model import FaultSet
from wolkvox_mock.settings import Settings
from wolkvox_mock.state import quota
from wolkvox_mock.state.clock import Clock
from wolkvox_mock.state.demo import DEMO_TOKEN, demo_state
from wolkvox_mock.state.gate import TokenGate
from wolkvox_mock.state.journal import Journal, JournalEntry
from wolkvox_mock.state.maintenance import MaintenanceSchedule
from wolkvox_mock.state.models import Interaction, State
from wolkvox_mock.state.seed import SeedError, load_seed, state_from_seed
from wolkvox_mock.store import MemoryStore, Store

__all__ = ["WolkvoxFake"]

SeedSource = State | dict[str, Any] | str | Path


class WolkvoxFake(EntitiesMixin, ScheduleMixin):
    """A fake Wolkvox: state, settings, clock, token gate, request journal, faults and
    maintenance windows, with a default operation (``server``) and token (``token``).

    ``reset()`` brings it back to the state it was created (or last ``seed``-ed) with.
    """

    def __init__(
        self,
        state: State | None = None,
        settings: Settings | None = None,
        clock: Clock | None = None,
        *,
        server: str | None = None,
        store: Store | None = None,
    ) -> None:
        self.settings = settings or Settings()
        self.clock = clock or Clock()
        self.state = state if state is not None else State()
        self.gate = TokenGate()
        self.journal = Journal(self.settings.journal_size)
        self.faults = FaultSet()
        self.maintenance = MaintenanceSchedule()
        self.lock = threading.RLock()
        self._preferred_token = None
        self._baseline = self.state.export()
        #: Where the shared parts live (wolkvox_mock.store): memory, or Redis for many processes
        #: (a Redis store that holds a fake already replaces the state with its own).
        self.store = store or MemoryStore()
        self.store.attach(self)
        self.server = pick_server(self.state, server, self.settings.default_server)

    # -- whole state -----------------------------------------------------------------------

    def reset(self) -> None:
        """Back to the baseline state; journal cleared, holds released, clock real again,
        faults and maintenance windows removed (hanging calls go on)."""
        with self.lock:
            self.state = State.from_dict(self._baseline)
            self.journal.clear()
            self.gate.reset()
            self.clock.unfreeze()
            self.faults.clear()
            self.maintenance.clear()

    def seed(self, source: SeedSource) -> None:
        """Replace the state with a seed (State, dict, or YAML/JSON file); it becomes the
        baseline that ``reset()`` returns to. The journal and the clock are left as they are."""
        if isinstance(source, State):
            state = source.copy()
        elif isinstance(source, dict):
            state = state_from_seed(source)
        else:
            state = load_seed(source)
        with self.lock:
            self.state = state
            self._baseline = state.export()
            if self.server not in state.operations:
                self.server = pick_server(state, None, self.settings.default_server)

    def load(self, seed: SeedSource | None, *, token: str | None = None, server: str | None = None) -> None:
        """What a fixture does before a test: replace the state with ``seed`` (the demo
        operation when None) as the baseline, make ``server`` the default operation and add
        ``token`` to it if it lacks it, then ``reset()``."""
        if seed is None:
            self.server = server or self.settings.default_server
            self.seed(demo_state(self.server, token or DEMO_TOKEN))
        else:
            self.seed(seed)
            operations = self.state.operations
            if server is not None and server not in operations:
                known = ", ".join(sorted(operations)) or "none"
                raise SeedError(f"the seed has no operation {server!r} (its server codes: {known})")
            self.server = pick_server(self.state, server, self.settings.default_server)
            if self.settings.default_server not in operations and self.server in operations:
                # Requests that name no server (no Host, no wolkvox_server) reach this operation.
                self.settings.default_server = self.server
            if token is not None and self.server in operations and token not in self.operation().tokens:
                self.add_token(token, description="added by the wolkvox marker")
                self.seed(self.state)
        self._preferred_token = token
        self.reset()

    def export(self) -> dict[str, Any]:
        """The whole state as a JSON-compatible dict (restore it with ``restore``)."""
        with self.lock:
            return self.state.export()

    def restore(self, data: dict[str, Any]) -> None:
        """Replace the state with an export; the baseline is kept."""
        state = state_from_seed(data, origin="restored state", check_references=False)
        with self.lock:
            self.state = state

    # -- what was received -----------------------------------------------------------------

    @property
    def interactions(self) -> list[Interaction]:
        """Interactions accepted by add_interaction, oldest first (a snapshot)."""
        with self.lock:
            return list(self.state.interactions)

    @property
    def requests(self) -> list[JournalEntry]:
        """The request journal (every answered request, refused ones included), oldest first
        (a snapshot)."""
        return self.journal.entries()

    def find_requests(
        self,
        *,
        token: str | None = None,
        api: str | None = None,
        status: int | str | None = None,
        limit: int | None = None,
    ) -> list[JournalEntry]:
        """Journal entries, oldest first, filtered by token (whole or masked), ``api`` and
        ``status`` (``403`` or a class such as ``"4xx"``); ``limit`` keeps the newest N."""
        masked = None if token is None else (token if "…" in token else mask_token(token))
        wanted = None if status is None else str(status).lower()
        found = [
            e
            for e in self.journal.entries()
            if (masked is None or e.token == masked)
            and (api is None or e.api == api)
            and (wanted is None or _status_matches(e.status, wanted))
        ]
        return found[-limit:] if limit else found

    def clear_requests(self) -> int:
        """Forget the request journal; returns how many entries it held."""
        count = len(self.journal)
        self.journal.clear()
        return count

    # -- holds and the gate (token defaults to ``token``) ----------------------------------

    def hold(self, token: str | None = None) -> None:
        """Keep the token's admitted requests in flight until ``release``."""
        self.gate.hold(self._token(token))

    def release(self, token: str | None = None) -> int:
        """Let ``token``'s held requests (every token's when None) go; returns how many."""
        return self.gate.release_held(token)

    @contextmanager
    def holding(self, token: str | None = None) -> Iterator[Self]:
        """``with fake.holding():`` hold inside the block, release on the way out."""
        token = self._token(token)
        self.hold(token)
        try:
            yield self
        finally:
            self.release(token)

    def wait_held(self, count: int = 1, *, token: str | None = None, timeout: float = 5.0) -> bool:
        """Block until ``count`` requests of the token wait at the hold (from another thread
        than the server's, e.g. with a live server); False on timeout."""
        token = self._token(token)
        return self.gate.wait_for(lambda g: g.held_count(token) >= count, timeout)

    async def wait_held_async(
        self, count: int = 1, *, token: str | None = None, timeout: float = 5.0
    ) -> bool:
        """``wait_held`` for code running on the fake's own event loop (in-process)."""
        token = self._token(token)
        return await self.gate.wait_for_async(lambda g: g.held_count(token) >= count, timeout)

    def in_flight(self, token: str | None = None) -> int:
        """Requests of the token admitted and not yet answered."""
        return self.gate.in_flight(self._token(token))

    def peak_in_flight(self, token: str | None = None) -> int:
        """The most requests of the token ever in flight at once since the last reset."""
        return self.gate.peak(self._token(token))

    # -- quota -----------------------------------------------------------------------------

    def token_usage(self, token: str | None = None) -> int:
        """How many calls the token made today (in its operation's time zone)."""
        token = self._token(token)
        with self.lock:
            found = self.state.find_token(token)
            if found is None:
                raise KeyError(f"unknown token {token!r}")
            op, record = found
            return State.uses_today(record, self.clock.today(op.timezone))

    def pool_usage(self, server: str | None = None) -> int:
        """Calls of every token of the operation counted today: the use of its shared daily
        pool (wolkvox_mock.state.quota)."""
        with self.lock:
            op = self.operation(server)
            return quota.pool_used(op, self.clock.today(op.timezone))


def _status_matches(status: int, wanted: str) -> bool:
    # "4xx" matches a class of statuses; anything else is one status.
    if len(wanted) == 3 and wanted.endswith("xx"):
        return str(status).startswith(wanted[0])
    return str(status) == wanted
