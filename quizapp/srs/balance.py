"""Load balancing and easy days, as in Anki's FSRS: a review interval is placed on the
least-loaded study day inside its fuzz range, instead of a random day of that range.

The fuzz range is FSRS's (py-fsrs ``Scheduler._get_fuzzed_interval``, itself Anki's):
for an interval of ``n`` days (n ≥ 3; shorter ones are never moved)
``delta = 1 + 0.15·clip(n, 2.5, 7) - … + 0.1·… + 0.05·…`` over :data:`FUZZ_RANGES`, and the
range is ``[max(2, round(n - delta)), min(round(n + delta), maximum_interval)]``.

*Easy days* scale how much load a weekday may carry: 1 normal, 0.5 reduced, 0 none (a
day with 0 is used only when every day of the range is 0). The effective load of a day is
``due reviews / factor``; the lowest wins; ties go to the day nearest the unfuzzed
interval, then to the earlier one — so the choice is deterministic (a dry run shows
exactly what a reschedule will do) and cards learned together still spread out, since
each placement raises its day's load.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date

from fsrs.scheduler import FUZZ_RANGES

__all__ = ["WEEKDAYS", "easy_factor", "fuzz_range", "pick_in_range", "pick_interval"]

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def fuzz_range(interval_days: int, maximum_interval: int) -> tuple[int, int]:
    """The days FSRS's fuzz may give an interval of ``interval_days`` (inclusive)."""
    if interval_days < 2.5:
        return interval_days, interval_days
    delta = 1.0
    for r in FUZZ_RANGES:
        delta += r["factor"] * max(min(float(interval_days), r["end"]) - r["start"], 0.0)
    low = max(2, round(interval_days - delta))
    high = min(round(interval_days + delta), maximum_interval)
    return min(low, high), high


def easy_factor(easy_days: Mapping[str, float], day: int) -> float:
    """How much of a normal load study day ``day`` (a date ordinal) may carry."""
    return float(easy_days.get(WEEKDAYS[date.fromordinal(day).weekday()], 1.0))


def pick_interval(
    interval_days: int,
    maximum_interval: int,
    today: int,
    load: Callable[[int], float],
    easy_days: Mapping[str, float] | None = None,
) -> int:
    """The interval (days) inside the fuzz range whose study day is least loaded.

    ``today`` is the study day of the answer; ``load(day)`` the reviews already due on
    study day ``day``.
    """
    low, high = fuzz_range(interval_days, maximum_interval)
    return pick_in_range(interval_days, low, high, today, load, easy_days)


def pick_in_range(
    interval_days: int,
    low: int,
    high: int,
    today: int,
    load: Callable[[int], float],
    easy_days: Mapping[str, float] | None = None,
) -> int:
    """The interval in [low, high] whose study day is least loaded (ties: nearest to
    ``interval_days``, then the earlier)."""
    if low >= high:
        return low
    easy = easy_days or {}

    def cost(ivl: int) -> tuple[float, int, int]:
        factor = easy_factor(easy, today + ivl) if easy else 1.0
        n = load(today + ivl)
        effective = (n + 1) / factor if factor > 0 else float("inf")
        return effective, abs(ivl - interval_days), ivl

    return min(range(low, high + 1), key=cost)
