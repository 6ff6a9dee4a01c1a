"""The fake's clock: real time by default; tests can freeze it, set it and move it forward.

Only the quota (which day it is in the operation's time zone) and recorded times read it;
latency and holds use real time, since they are about sockets, not about days.
"""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

__all__ = ["Clock"]


class Clock:
    """A clock that can be frozen, set and advanced. Thread-safe."""

    def __init__(self, frozen_at: datetime | None = None) -> None:
        self._lock = threading.Lock()
        # (frozen at, offset): one attribute, replaced whole under the lock by every change,
        # so that ``now`` (read on every call) reads a consistent pair without taking it.
        # The offset is None when there is none (adding timedelta(0) has a cost too).
        self._state: tuple[datetime | None, timedelta | None] = (None, None)
        if frozen_at is not None:
            self.freeze(frozen_at)

    def now(self) -> datetime:
        """The current time, timezone-aware (UTC)."""
        frozen, offset = self._state
        if frozen is not None:
            return frozen
        return datetime.now(UTC) if offset is None else datetime.now(UTC) + offset

    def today(self, timezone: str, at: datetime | None = None) -> date:
        """Today's date in ``timezone`` (e.g. ``America/Bogota``): the quota's day; ``at``: a
        time already read from this clock (the caller's ``now``), instead of reading it again."""
        return _day_in(timezone, self.now() if at is None else at)

    @property
    def frozen(self) -> bool:
        """Whether the clock is frozen."""
        return self._state[0] is not None

    def freeze(self, at: datetime | None = None) -> datetime:
        """Stop the clock at ``at`` (default: now). Naive times are read as UTC."""
        at = _aware(at) if at is not None else self.now()
        with self._lock:
            self._state = (at, self._state[1])
        return at

    def set(self, at: datetime) -> datetime:
        """Jump to ``at``; a frozen clock stays frozen, a running one keeps running from there."""
        at = _aware(at)
        with self._lock:
            if self._state[0] is not None:
                self._state = (at, self._state[1])
            else:
                self._state = (None, at - datetime.now(UTC))
        return at

    def advance(self, seconds: float = 0.0, **delta: float) -> datetime:
        """Move the clock forward by ``seconds`` (and/or ``timedelta`` keyword arguments)."""
        step = timedelta(seconds=seconds, **delta)
        with self._lock:
            frozen, offset = self._state
            if frozen is not None:
                self._state = (frozen + step, offset)
            else:
                self._state = (None, (offset or timedelta(0)) + step)
        return self.now()

    def reading(self) -> tuple[datetime | None, timedelta]:
        """What the clock is set to: (frozen at or None, offset from real time); what
        ``restore`` takes (a shared store keeps a clock in step across processes with it)."""
        frozen, offset = self._state
        return frozen, offset or timedelta(0)

    def restore(self, frozen: datetime | None, offset: timedelta) -> None:
        """Set the clock to a ``reading()``."""
        with self._lock:
            self._state = (None if frozen is None else _aware(frozen), offset or None)

    def unfreeze(self) -> None:
        """Back to real time, with no offset."""
        with self._lock:
            self._state = (None, None)


# Every admitted call asks which day it is in its operation's time zone. The answer is the
# same for every instant of a 15-minute block of UTC unless a day starts inside the block
# (every UTC offset in use is a multiple of 15 minutes, so midnight falls on a block's edge):
# the day is computed once per block and zone, and blocks that hold a day's start (old
# local-mean-time offsets) are never cached, so the answer is always exact.
_BLOCK_SECONDS = 15 * 60
_BLOCK = timedelta(seconds=_BLOCK_SECONDS)
_TICK = timedelta(microseconds=1)
# timezone -> (block number, the day throughout that block); one entry per zone in use.
_days: dict[str, tuple[int, date]] = {}


def _day_in(timezone: str, now: datetime) -> date:
    block = int(now.timestamp() // _BLOCK_SECONDS)  # floor, also before 1970
    cached = _days.get(timezone)
    if cached is not None and cached[0] == block:
        return cached[1]
    zone = ZoneInfo(timezone)
    day = now.astimezone(zone).date()
    start = datetime.fromtimestamp(block * _BLOCK_SECONDS, UTC)
    if start.astimezone(zone).date() == day == (start + _BLOCK - _TICK).astimezone(zone).date():
        if len(_days) > 64:  # zones come from seeds and the control plane: keep it bounded
            _days.clear()
        _days[timezone] = (block, day)
    return day


def _aware(at: datetime) -> datetime:
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)
