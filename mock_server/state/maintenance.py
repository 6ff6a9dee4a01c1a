"""Maintenance windows: while one is open, every call to a server gets 403 (docs/wolkvox-api.md#server-maintenance).

Wolkvox documents that API consumption is switched off during maintenance such as backups
and that calls then get HTTP 403 (docs/wolkvox-api.md#server-maintenance, [D]). The body and the schedule are not public:
the message (catalogue key ``maintenance``) and the windows below are ours ([I]).

A window is either *one-off* (from ``start`` to ``end`` on the fake's clock; no ``end`` means
until removed) or *daily* (``HH:MM`` to ``HH:MM`` in the operation's own time zone; a window
may cross midnight, e.g. 23:30-00:30). It covers one server, or every server when ``server``
is None. Windows read the fake's clock, so a frozen clock can put a test inside one.
"""

from __future__ import annotations

import itertools
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

__all__ = ["MaintenanceSchedule", "MaintenanceWindow", "WindowError", "parse_daily"]


class WindowError(ValueError):
    """A maintenance window that cannot be set; the message says how to fix it."""


def _parse_time(text: str | time) -> time:
    if isinstance(text, time):
        return text
    if not isinstance(text, str):
        raise WindowError(f"{text!r} is not a time of day; write it as HH:MM, e.g. 02:00")
    try:
        return time.fromisoformat(text.strip())
    except ValueError:
        raise WindowError(f"{text!r} is not a time of day; write it as HH:MM, e.g. 02:00") from None


def parse_daily(daily: str | tuple[str | time, str | time] | list[str]) -> tuple[time, time]:
    """A daily window from ``"02:00-03:00"`` or ``("02:00", "03:00")``."""
    if isinstance(daily, str):
        parts = daily.split("-")
        if len(parts) != 2:
            raise WindowError(f"daily window {daily!r} must look like 02:00-03:00 (start-end, local time)")
        daily = (parts[0], parts[1])
    if not isinstance(daily, tuple | list) or len(daily) != 2:
        raise WindowError("a daily window has a start and an end, e.g. ['02:00', '03:00']")
    start, end = _parse_time(daily[0]), _parse_time(daily[1])
    if start == end:
        raise WindowError("a daily window needs an end different from its start")
    return start, end


@dataclass(frozen=True)
class MaintenanceWindow:
    """One window during which calls to ``server`` (every server when None) get 403."""

    id: str
    server: str | None = None
    start: datetime | None = None
    end: datetime | None = None
    daily: tuple[time, time] | None = None
    message: str | None = None

    def covers(self, server: str, now: datetime, timezone: str) -> bool:
        """Whether a call to ``server`` at ``now`` falls inside this window."""
        if self.server is not None and self.server != server:
            return False
        if self.daily is not None:
            local = now.astimezone(ZoneInfo(timezone)).time()
            start, end = self.daily
            if start < end:
                return start <= local < end
            return local >= start or local < end  # crosses midnight
        if self.start is not None and now < self.start:
            return False
        return self.end is None or now < self.end

    def to_dict(self) -> dict[str, Any]:
        """A JSON-compatible description."""
        return {
            "id": self.id,
            "server": self.server,
            "kind": "daily" if self.daily else "one-off",
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
            "daily": [t.strftime("%H:%M") for t in self.daily] if self.daily else None,
            "message": self.message,
        }


def _aware(at: datetime | str) -> datetime:
    if not isinstance(at, datetime | str):
        raise WindowError(f"{at!r} is not an ISO 8601 time, e.g. 2026-11-27T02:00:00-05:00")
    if isinstance(at, str):
        try:
            at = datetime.fromisoformat(at)
        except ValueError:
            raise WindowError(f"{at!r} is not an ISO 8601 time, e.g. 2026-11-27T02:00:00-05:00") from None
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


class MaintenanceSchedule:
    """The maintenance windows of one fake. Thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._windows: list[MaintenanceWindow] = []
        self._ids = itertools.count(1)

    def add(
        self,
        now: datetime,
        *,
        server: str | None = None,
        start: datetime | str | None = None,
        end: datetime | str | None = None,
        seconds: float | None = None,
        daily: str | tuple[str | time, str | time] | list[str] | None = None,
        message: str | None = None,
    ) -> MaintenanceWindow:
        """Open a window: daily, or one-off from ``start`` (default ``now``) to ``end`` or for
        ``seconds`` (default: until removed)."""
        if message is not None and not isinstance(message, str):
            raise WindowError("message must be a string")
        if daily is not None:
            if start is not None or end is not None or seconds is not None:
                raise WindowError("a daily window takes no start, end or seconds")
            window = MaintenanceWindow(self._next_id(), server, daily=parse_daily(daily), message=message)
        else:
            window = self._one_off(now, server, start, end, seconds, message)
        with self._lock:
            self._windows.append(window)
        return window

    def _one_off(
        self,
        now: datetime,
        server: str | None,
        start: datetime | str | None,
        end: datetime | str | None,
        seconds: float | None,
        message: str | None,
    ) -> MaintenanceWindow:
        begin = _aware(start) if start is not None else now
        if end is not None and seconds is not None:
            raise WindowError("give either end or seconds, not both")
        if seconds is not None and seconds <= 0:
            raise WindowError("seconds must be a positive number")
        finish = _aware(end) if end is not None else None
        if seconds is not None:
            try:
                finish = begin + timedelta(seconds=seconds)
            except OverflowError:
                raise WindowError(f"seconds={seconds:g} goes past the year 9999") from None
        if finish is not None and finish <= begin:
            raise WindowError("the window ends before it starts")
        return MaintenanceWindow(self._next_id(), server, start=begin, end=finish, message=message)

    def _next_id(self) -> str:
        with self._lock:
            return f"m{next(self._ids)}"

    def remove(self, window_id: str) -> bool:
        """Close the window ``window_id``; False if there is none."""
        with self._lock:
            kept = [w for w in self._windows if w.id != window_id]
            removed = len(kept) != len(self._windows)
            self._windows = kept
        return removed

    def clear(self) -> int:
        """Close every window; returns how many there were."""
        with self._lock:
            count, self._windows = len(self._windows), []
        return count

    def windows(self) -> list[MaintenanceWindow]:
        """The windows, oldest first (a snapshot)."""
        with self._lock:
            return list(self._windows)

    @property
    def scheduled(self) -> bool:
        """Whether any window exists (read on every call: no lock, no copy)."""
        return bool(self._windows)

    def active(self, server: str, now: datetime, timezone: str) -> MaintenanceWindow | None:
        """The window (newest first) that covers a call to ``server`` at ``now``, if any."""
        if not self._windows:
            return None
        for window in reversed(self.windows()):
            if window.covers(server, now, timezone):
                return window
        return None
