"""Injectable clocks: the study code never calls ``datetime.now()`` itself.

``SystemClock`` is the real one; ``FakeClock`` (alias ``FixedClock``) stands still
until a test moves it with :meth:`FakeClock.advance` or :meth:`FakeClock.set`.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from quizapp.srs.days import Clock, SystemClock

__all__ = ["Clock", "FakeClock", "FixedClock", "SystemClock"]


class FakeClock:
    """A clock that only moves when told to (tests, replays)."""

    def __init__(self, start: datetime | None = None) -> None:
        start = start if start is not None else datetime(2026, 1, 5, 12, 0, tzinfo=UTC)
        if start.tzinfo is None:
            raise ValueError("FakeClock needs an aware datetime")
        self._now = start.astimezone(UTC)

    def now(self) -> datetime:
        return self._now

    def advance(self, delta: timedelta | None = None, **kwargs: float) -> datetime:
        """Move forward by ``delta`` or ``timedelta(**kwargs)`` (days=, hours=, minutes=, ...)."""
        step = (delta or timedelta()) + timedelta(**kwargs)
        self._now = self._now + step
        return self._now

    def set(self, moment: datetime) -> datetime:
        """Jump to ``moment`` (aware)."""
        if moment.tzinfo is None:
            raise ValueError("FakeClock needs an aware datetime")
        self._now = moment.astimezone(UTC)
        return self._now


FixedClock = FakeClock
