from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from wolkvox_mock import Clock


def test_real_clock_runs_and_can_be_moved_forward() -> None:
    clock = Clock()
    before = clock.now()
    after = clock.advance(3600)
    assert after - before >= timedelta(hours=1)
    assert not clock.frozen


def test_frozen_clock_stands_still_until_advanced() -> None:
    at = datetime(2026, 1, 1, 12, tzinfo=UTC)
    clock = Clock(frozen_at=at)
    assert clock.now() == at
    assert clock.advance(minutes=5) == at + timedelta(minutes=5)
    clock.set(datetime(2027, 1, 1))  # naive means UTC
    assert clock.now() == datetime(2027, 1, 1, tzinfo=UTC)


def test_today_is_computed_in_the_time_zone() -> None:
    clock = Clock(frozen_at=datetime(2026, 11, 28, 3, 0, tzinfo=UTC))
    assert clock.today("America/Bogota") == date(2026, 11, 27)
    assert clock.today("UTC") == date(2026, 11, 28)


def test_set_on_a_running_clock_keeps_it_running_from_there() -> None:
    clock = Clock()
    clock.set(datetime(2030, 5, 1, tzinfo=UTC))
    assert clock.now().year == 2030 and not clock.frozen
    clock.unfreeze()
    assert clock.now().year < 2030


@pytest.mark.parametrize(
    ("zone", "start"),
    [
        ("America/Bogota", datetime(2026, 11, 27, 4, 50, tzinfo=UTC)),  # midnight there: 05:00 UTC
        ("Asia/Kathmandu", datetime(2026, 11, 26, 18, 5, tzinfo=UTC)),  # +05:45
        ("America/Santiago", datetime(2026, 9, 6, 3, 50, tzinfo=UTC)),  # DST starts at midnight
        ("Australia/Lord_Howe", datetime(2026, 10, 3, 13, 20, tzinfo=UTC)),  # a 30-minute DST step
        ("America/Bogota", datetime(1900, 1, 1, 4, 40, tzinfo=UTC)),  # local mean time, -4:56:16
    ],
)
def test_today_is_exact_minute_by_minute_across_a_day_boundary(zone: str, start: datetime) -> None:
    """today() reuses its answer within a 15-minute block of UTC: never across a day's start,
    whatever the zone's offset (local mean time included)."""
    clock = Clock(frozen_at=start)
    for _ in range(24 * 60):
        for step in (timedelta(microseconds=1), timedelta(seconds=59, microseconds=999_998)):
            clock.advance(step.total_seconds())
            assert clock.today(zone) == clock.now().astimezone(ZoneInfo(zone)).date(), clock.now()
