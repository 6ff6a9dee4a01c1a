"""Which calls of a burst were in flight together, as the client can tell.

The client knows when it wrote each request and when it read the answer. The target held the
call somewhere inside that interval, but the interval also holds the network's share: a
request travelling out and its answer travelling back. Calls whose intervals share an instant
at the client may not have shared one at the target, when the network is slow and the target
fast. So each interval is trimmed at both ends by the network's share, bounded from above by
twice the longest TCP connect of the burst (a connect is one round trip and no work of the
target) plus a millisecond of clock slack: what remains is a time the target certainly held
the call. More calls than the gate's limit certainly held together, and all admitted, mean
the gate is missing; fewer prove nothing.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["CallTiming", "Overlap", "measure", "most_together"]

#: Clock slack added to the network's share (timestamps are taken in the client's event loop).
SLACK = 0.001


@dataclass
class CallTiming:
    """One call's moments on ``time.perf_counter``'s clock, fed by httpx's trace events."""

    started: float = 0.0
    ended: float = 0.0
    sent: float | None = None
    answered: float | None = None
    connect: float | None = None
    _connecting: float | None = None

    async def trace(self, event: str, info: dict[str, Any]) -> None:
        """httpx's ``trace`` extension: connect, request written, answer read."""
        now = time.perf_counter()
        if event == "connection.connect_tcp.started":
            self._connecting = now
        elif event == "connection.connect_tcp.complete" and self._connecting is not None:
            self.connect = now - self._connecting
        elif event.endswith(".send_request_headers.started"):
            self.sent = now
        elif event.endswith(".receive_response_headers.complete"):
            self.answered = now

    @property
    def interval(self) -> tuple[float, float]:
        """From the request's first byte written to the answer's headers read (around the
        whole call when the transport sends no trace events)."""
        start = self.sent if self.sent is not None else self.started
        end = self.answered if self.answered is not None else self.ended
        return start, end


def most_together(intervals: Iterable[tuple[float, float]]) -> int:
    """The most intervals that share one instant (intervals that only touch do not)."""
    events = sorted(
        [(start, 1) for start, end in intervals if end > start]
        + [(end, -1) for start, end in intervals if end > start]
    )
    # At equal times the ends (-1) sort before the starts (+1): touching is not sharing.
    best = current = 0
    for _, step in events:
        current += step
        best = max(best, current)
    return best


@dataclass(frozen=True)
class Overlap:
    """What a burst's timings show."""

    calls: int
    #: The most calls outstanding together, as the client saw them.
    outstanding: int
    #: The most calls the target certainly held together (None: no round trip was measured).
    certain: int | None
    #: The longest TCP connect of the burst, in seconds (None: every connection was reused).
    round_trip: float | None

    def describe(self) -> str:
        """One sentence for a report."""
        if self.certain is None:
            return (
                f"{self.outstanding} of {self.calls} calls were outstanding together at the client, but no "
                "network round trip was measured, so none was certainly in flight at the target"
            )
        return (
            f"{self.outstanding} of {self.calls} calls were outstanding together at the client; allowing "
            f"{1000 * self.margin:.1f} ms at each end for the network (round trip {1000 * self.round_trip_or_0:.1f} ms), "
            f"{self.certain} were certainly in flight together at the target"
        )

    @property
    def round_trip_or_0(self) -> float:
        """The round trip, 0 when unknown."""
        return self.round_trip or 0.0

    @property
    def margin(self) -> float:
        """What each interval loses at each end: the network's share, bounded from above."""
        return 2 * self.round_trip_or_0 + SLACK


def measure(timings: Sequence[CallTiming]) -> Overlap:
    """How many of the calls were in flight together, at the client and certainly at the target."""
    intervals = [t.interval for t in timings]
    connects = [t.connect for t in timings if t.connect is not None]
    outstanding = most_together(intervals)
    if not connects:
        return Overlap(len(timings), outstanding, None, None)
    overlap = Overlap(len(timings), outstanding, 0, max(connects))
    cores = [(start + overlap.margin, end - overlap.margin) for start, end in intervals]
    return Overlap(len(timings), outstanding, most_together(cores), overlap.round_trip)
