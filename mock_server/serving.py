"""``wolkvox-mock serve`` for daily use: ready means listening, a clean stop, a call log.

- The banner (and its curl line) is printed from uvicorn's start-up, once the socket listens
  and the app serves: a script that acts on the banner at once is never refused.
- Stopping (SIGTERM, SIGINT/Ctrl-C) never answers a 5xx and logs no traceback: holds and
  hanging faults are released first, so held calls get their Wolkvox answer; connections still
  busy after ``STRAGGLER_SECONDS`` (a client stalled in its body, a long ``--latency``) are
  closed, so uvicorn never has to cancel a request (which it would answer with a plain-text
  500 and a traceback). The process then exits 0, SIGTERM included.
- ``--verbose`` logs each call with its status, masked token and the fake's hint.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import signal
import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

import uvicorn

from wolkvox_mock.fake import WolkvoxFake
from wolkvox_mock.state.journal import Journal, JournalEntry, RawExchange

__all__ = [
    "STRAGGLER_SECONDS",
    "CallLog",
    "FakeServer",
    "Stopped",
    "describe_call",
    "short_collections",
    "stop_on_sigterm",
]

#: Seconds after a stop signal before connections still busy are closed (the process exits
#: within about this plus a few tenths; uvicorn's own 3 s limit is never reached).
STRAGGLER_SECONDS = 2.0

call_log = logging.getLogger("wolkvox_mock.calls")


def _freeze_survivors(phase: str, info: dict[str, int]) -> None:
    if phase == "stop" and info["generation"] == 2:
        gc.freeze()


@contextmanager
def short_collections() -> Iterator[None]:
    """Keep the garbage collector's full passes short while a fake serves.

    A fake keeps everything it records (each interaction is an object the collector tracks),
    and a full collection walks every tracked object: with hundreds of thousands of them, a
    pass stopped every answer for 40 to 80 ms (bench/RESULTS.md, p99 at one connection).
    What start-up made, and what survives a full pass, is moved to the collector's permanent
    generation (``gc.freeze``), which later passes do not walk. The cost: a cycle among
    objects that were alive at a freeze is never collected. The fake's records hold none
    (plain data, freed by reference counting when dropped), so this is for ``serve``'s
    process only, never for a test process that imports the fixtures.
    """
    gc.freeze()
    gc.callbacks.append(_freeze_survivors)
    try:
        yield
    finally:
        gc.callbacks.remove(_freeze_survivors)
        gc.unfreeze()


class FakeServer(uvicorn.Server):
    """A uvicorn server that announces itself once listening and stops without a 5xx."""

    def __init__(self, config: uvicorn.Config, fake: WolkvoxFake, on_ready: Callable[[], None]) -> None:
        super().__init__(config)
        self.fake = fake
        self.on_ready = on_ready

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        """Start listening, then announce (unless start-up failed)."""
        await super().startup(sockets)
        if self.started and not self.should_exit:
            self.on_ready()

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        """Let held and hanging calls answer, close the connections that stay busy, stop."""
        self.fake.release()
        self.fake.release_hangs()
        closer = asyncio.get_running_loop().call_later(STRAGGLER_SECONDS, self._close_stragglers)
        try:
            await super().shutdown(sockets)
        finally:
            closer.cancel()

    def _close_stragglers(self) -> None:
        # The request's app sees http.disconnect (a client gone: journaled 499) and returns;
        # uvicorn then sends nothing and logs nothing.
        for connection in list(self.server_state.connections):
            transport: Any = getattr(connection, "transport", None)
            if transport is not None:
                transport.abort()


class Stopped(Exception):
    """SIGTERM arrived: stop as Ctrl-C does, and exit 0."""


def _raise_stopped(sig: int, frame: FrameType | None) -> None:
    raise Stopped


@contextmanager
def stop_on_sigterm() -> Iterator[None]:
    """Make SIGTERM end ``serve`` cleanly. Uvicorn stops gracefully on SIGTERM, then raises
    the signal again for the previous handler: the default one would kill the process (exit
    status 143); this one raises ``Stopped``, which the caller treats as a normal stop."""
    previous = signal.signal(signal.SIGTERM, _raise_stopped)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def describe_call(entry: JournalEntry) -> str:
    """One log line per call: method, api, server, masked token, status, time, hint, fault."""
    token = entry.token or "(no token)"
    line = (
        f"{entry.method} {entry.path}?api={entry.api} server={entry.server or '?'} token={token} "
        f"-> {entry.status} ({entry.duration_ms:.0f} ms)"
    )
    if entry.hint:
        line += f"  hint: {entry.hint}"
    if entry.fault:
        line += f"  fault: {entry.fault}"
    return line


class CallLog(Journal):
    """A journal that also logs each entry (``--verbose``) on ``wolkvox_mock.calls``."""

    def append(self, entry: JournalEntry, exchange: RawExchange | None = None) -> None:
        """Keep the entry (and its exchange, for the inspector) and log it."""
        super().append(entry, exchange)
        call_log.info("%s", describe_call(entry))
