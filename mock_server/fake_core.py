"""What every part of ``WolkvoxFake`` shares: its parts (state, settings, clock, gate, journal,
faults, maintenance) and its *default operation*.

Most tests talk about one operation with one token. The fake remembers which (``server`` and
``token``), so every verb that takes a server or a token takes it as an optional keyword and
defaults to those: ``fake.add_agent("1003")``, ``fake.hold()``, ``fake.add_agent("7", server="0002")``.
"""

from __future__ import annotations

import threading
from typing import Any

from wolkvox_mock.faults.model import FaultSet
from wolkvox_mock.settings import Settings
from wolkvox_mock.state.clock import Clock
from wolkvox_mock.state.gate import TokenGate
from wolkvox_mock.state.journal import Journal
from wolkvox_mock.state.maintenance import MaintenanceSchedule
from wolkvox_mock.state.models import Agent, Operation, RoutingPoint, Skill, State

__all__ = ["FakeCore", "pick_server"]


def pick_server(state: State, wanted: str | None, default: str) -> str:
    """The operation a fake talks about: ``wanted``, else ``default`` if the state has it,
    else the first operation of the state, else ``default``."""
    if wanted is not None:
        return wanted
    if default in state.operations or not state.operations:
        return default
    return next(iter(state.operations))


class FakeCore:
    """The parts of a fake and its default operation (``server``) and token (``token``)."""

    settings: Settings
    clock: Clock
    state: State
    gate: TokenGate
    journal: Journal
    faults: FaultSet
    maintenance: MaintenanceSchedule
    #: Held while the state changes; the server's handlers and test threads share it.
    lock: threading.RLock
    #: Server code of the default operation.
    server: str
    #: The token asked for (a marker's, ``build(token=...)``), preferred by ``token``.
    _preferred_token: str | None
    _baseline: dict[str, Any]

    # -- the default operation -------------------------------------------------------------

    def operation(self, server: str | None = None) -> Operation:
        """The operation with server code ``server`` (the default one when None); KeyError
        names the known server codes."""
        code = self.server if server is None else server
        with self.lock:
            try:
                return self.state.operations[code]
            except KeyError:
                raise KeyError(self._no_operation(code)) from None

    @property
    def token(self) -> str:
        """The token tests use: the one asked for, else the default operation's first token."""
        tokens = self.operation().tokens
        if self._preferred_token in tokens:
            return str(self._preferred_token)
        if not tokens:
            raise LookupError(
                f"operation {self.server} has no token; add one with add_token() (in a test: wolkvox.add_token())"
            )
        return next(iter(tokens))

    @property
    def base_url(self) -> str:
        """``https://wv{server}.wolkvox.com``, as the code under test would address Wolkvox."""
        return f"https://wv{self.server}.wolkvox.com"

    @property
    def agents(self) -> dict[str, Agent]:
        """The default operation's agents by id (live objects: change them to change the fake)."""
        return self.operation().agents

    @property
    def routing_points(self) -> dict[str, RoutingPoint]:
        """The default operation's routing points by id."""
        return self.operation().routing_points

    @property
    def skills(self) -> dict[str, Skill]:
        """The default operation's skills by id."""
        return self.operation().skills

    @property
    def tokens(self) -> list[str]:
        """The default operation's tokens."""
        return list(self.operation().tokens)

    def _no_operation(self, server: str) -> str:
        known = ", ".join(sorted(self.state.operations)) or "none"
        return f"no operation {server!r}; known server codes: {known}"

    def _server(self, server: str | None) -> str:
        return self.server if server is None else server

    def _token(self, token: str | None) -> str:
        return self.token if token is None else token
