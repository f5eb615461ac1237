"""Time and study days.

All instants are stored as integer epoch milliseconds (UTC): they compare and index
fast in SQLite and round-trip exactly. A *study day* is a local calendar date that
starts at ``day_starts_at_hour`` (4 am by default, as in Anki), so a review at 01:30
counts for the previous day. Days are stored as proleptic ordinals
(:meth:`datetime.date.toordinal`) so per-day queries are integer comparisons.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Protocol, runtime_checkable


@runtime_checkable
class Clock(Protocol):
    """Something that tells the time: ``now()`` returns an aware UTC datetime."""

    def now(self) -> datetime: ...


class SystemClock:
    """The wall clock, in UTC."""

    def now(self) -> datetime:
        return datetime.now(UTC)


def to_ms(moment: datetime) -> int:
    """Epoch milliseconds of an aware datetime (truncates below the millisecond)."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: quizapp works with aware UTC datetimes")
    delta = moment - datetime(1970, 1, 1, tzinfo=UTC)
    return delta.days * 86_400_000 + delta.seconds * 1000 + delta.microseconds // 1000


def from_ms(ms: int) -> datetime:
    """The aware UTC datetime of epoch milliseconds ``ms``."""
    return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(milliseconds=ms)


def utc_now_ms(clock: Clock) -> datetime:
    """``clock.now()`` in UTC, truncated to the millisecond so it round-trips the store exactly."""
    now = clock.now()
    if now.tzinfo is None:
        raise ValueError("the clock returned a naive datetime; it must be aware UTC")
    return from_ms(to_ms(now))


def resolve_tz(name: str | None) -> tzinfo | None:
    """The IANA zone ``name``, or None for the system's local zone (zoneinfo, ~7 M
    instructions with the sysconfig it reads, is imported only for a named zone)."""
    if not name:
        return None
    from zoneinfo import ZoneInfo

    return ZoneInfo(name)


def local_time(moment: datetime, tz: tzinfo | None) -> datetime:
    """``moment`` in the study days' zone ``tz`` (None: the system's), with the offset that
    applies at that instant (astimezone() without an argument converts to the system zone)."""
    return moment.astimezone(tz) if tz is not None else moment.astimezone()


def study_day(moment: datetime, day_start_hour: int, tz: tzinfo | None = None) -> int:
    """Ordinal of the study day containing ``moment``: local date of (moment - day_start_hour h)."""
    return (local_time(moment, tz) - timedelta(hours=day_start_hour)).date().toordinal()


def day_start(day: int, day_start_hour: int, tz: tzinfo | None = None) -> datetime:
    """The UTC instant at which study day ``day`` begins (local ``day_start_hour``:00)."""
    naive = datetime.combine(date.fromordinal(day), time(day_start_hour))
    # astimezone() on a naive datetime interprets it as system-local time.
    local = naive.astimezone() if tz is None else naive.replace(tzinfo=tz)
    return local.astimezone(UTC)


def day_to_date(day: int) -> date:
    """The calendar date that names study day ``day``."""
    return date.fromordinal(day)
