"""Study days: local time, the configurable day start, DST, millisecond round trips."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from quizapp.srs.days import day_start, from_ms, study_day, to_ms, utc_now_ms
from quizapp.srs.scheduler import SchedulerConfig
from quizapp.study.clock import FakeClock, SystemClock

NY = ZoneInfo("America/New_York")


def test_day_starts_at_configured_local_hour() -> None:
    d = date(2026, 3, 2).toordinal()
    assert study_day(datetime(2026, 3, 3, 3, 59, tzinfo=NY), 4, NY) == d
    assert study_day(datetime(2026, 3, 3, 4, 0, tzinfo=NY), 4, NY) == d + 1
    assert study_day(datetime(2026, 3, 3, 0, 30, tzinfo=NY), 0, NY) == d + 1


def test_day_bounds_across_dst() -> None:
    # DST starts in New York on 2026-03-08 at 02:00: that study day is 23 hours long.
    day = date(2026, 3, 7).toordinal()
    start, end = day_start(day, 4, NY), day_start(day + 1, 4, NY)
    assert start == datetime(2026, 3, 7, 9, 0, tzinfo=UTC)
    assert end == datetime(2026, 3, 8, 8, 0, tzinfo=UTC)
    cfg = SchedulerConfig(timezone="America/New_York")
    assert cfg.day_bounds(day) == (start, end)
    assert cfg.today(end - timedelta(milliseconds=1)) == day and cfg.today(end) == day + 1


def test_ms_round_trip_and_truncation() -> None:
    moment = datetime(2026, 3, 2, 12, 0, 0, 123_987, tzinfo=UTC)
    assert from_ms(to_ms(moment)) == moment.replace(microsecond=123_000)
    assert utc_now_ms(FakeClock(moment)) == moment.replace(microsecond=123_000)
    other = moment.astimezone(timezone(timedelta(hours=5)))
    assert to_ms(other) == to_ms(moment)
    with pytest.raises(ValueError):
        to_ms(datetime(2026, 3, 2))


def test_clocks() -> None:
    clock = FakeClock(datetime(2026, 3, 2, tzinfo=UTC))
    assert clock.advance(days=1, hours=2) == datetime(2026, 3, 3, 2, tzinfo=UTC)
    assert clock.advance(timedelta(minutes=5)).minute == 5
    clock.set(datetime(2026, 1, 1, tzinfo=NY))
    assert clock.now().tzinfo == UTC
    with pytest.raises(ValueError):
        FakeClock(datetime(2026, 1, 1))
    assert SystemClock().now().tzinfo == UTC
