"""Load balancing: the interval always stays inside FSRS's fuzz range, goes to the
least-loaded day, and respects easy days."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

import pytest
from fsrs import Scheduler
from hypothesis import given, settings
from hypothesis import strategies as st

from quizapp.srs.balance import WEEKDAYS, fuzz_range, pick_interval
from quizapp.srs.scheduler import Rating, ReviewScheduler, SchedulerConfig
from quizapp.srs.store import Store
from quizapp.study.clock import FakeClock

TODAY = date(2026, 3, 2).toordinal()  # a Monday


@settings(max_examples=60)
@given(st.integers(1, 40_000), st.integers(100, 36_500))
def test_our_fuzz_range_is_fsrs_own(interval: int, maximum: int) -> None:
    """py-fsrs draws round(U·(high - low + 1) + low), Anki floors it: so py-fsrs may also
    give high + 1 (capped at the maximum). Our range is Anki's [low, high]."""
    interval = min(interval, maximum)
    low, high = fuzz_range(interval, maximum)
    fsrs = Scheduler(maximum_interval=maximum)
    random.seed(interval)
    for _ in range(12):
        got = fsrs._get_fuzzed_interval(interval=timedelta(days=interval)).days
        assert low <= got <= min(high + 1, maximum) if interval >= 3 else got == interval


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
@given(
    st.integers(1, 5000),
    st.lists(st.integers(0, 500), min_size=1, max_size=400),
    st.dictionaries(st.sampled_from(WEEKDAYS), st.sampled_from([0.0, 0.5, 1.0])),
)
def test_never_leaves_the_fuzz_range(interval: int, loads: list[int], easy: dict) -> None:  # type: ignore[type-arg]
    def load(day: int) -> int:
        return loads[(day - TODAY) % len(loads)]

    low, high = fuzz_range(interval, 36500)
    picked = pick_interval(interval, 36500, TODAY, load, easy)
    assert low <= picked <= high
    best = min((load(TODAY + d) + 1) / (easy.get(WEEKDAYS[date.fromordinal(TODAY + d).weekday()], 1.0) or 1e-9) for d in range(low, high + 1))  # fmt: skip
    factor = easy.get(WEEKDAYS[date.fromordinal(TODAY + picked).weekday()], 1.0)
    if any(easy.get(WEEKDAYS[date.fromordinal(TODAY + d).weekday()], 1.0) for d in range(low, high + 1)):  # fmt: skip
        assert factor > 0 and (load(TODAY + picked) + 1) / factor <= best + 1e-9


def test_least_loaded_day_wins_and_ties_stay_near() -> None:
    counts = {TODAY + 8: 5, TODAY + 9: 4, TODAY + 10: 7, TODAY + 11: 1, TODAY + 12: 9}
    assert fuzz_range(10, 36500) == (8, 12)
    assert pick_interval(10, 36500, TODAY, lambda d: counts.get(d, 0)) == 11
    assert pick_interval(10, 36500, TODAY, lambda d: 3) == 10  # equal loads: FSRS's own
    assert pick_interval(2, 36500, TODAY, lambda d: 99) == 2  # short intervals never move


def test_easy_days_are_avoided() -> None:
    # TODAY + 5 is a Saturday, + 6 a Sunday
    assert WEEKDAYS[date.fromordinal(TODAY + 5).weekday()] == "sat"
    low, high = fuzz_range(6, 36500)
    assert (low, high) == (4, 8)
    assert pick_interval(6, 36500, TODAY, lambda d: 0, {"sun": 0.0}) == 5
    assert pick_interval(6, 36500, TODAY, lambda d: 1 if d == TODAY + 5 else 0, {"sun": 0.5}) == 7
    assert pick_interval(6, 36500, TODAY, lambda d: 0, {"sat": 0.0, "sun": 0.0}) == 7
    assert pick_interval(6, 36500, TODAY, lambda d: 0, dict.fromkeys(WEEKDAYS, 0.0)) == 6


def test_answers_spread_over_the_fuzz_range(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Items learned together land on different days instead of piling up on one."""
    config = SchedulerConfig(timezone="UTC")  # fuzzing + load balancing (the defaults)
    plain = SchedulerConfig(timezone="UTC", load_balance=False, enable_fuzzing=False)
    start = datetime(2026, 3, 2, 10, tzinfo=UTC)
    dues: dict[str, list[datetime]] = {}
    for name, cfg in (("balanced", config), ("plain", plain)):
        with Store.open(tmp_path / f"{name}.db") as store:
            clock = FakeClock(start)
            sched = ReviewScheduler(store, cfg, clock)
            for i in range(40):  # Easy straight away: a review interval of days
                sched.answer(f"d.{i}", "flashcard", Rating.Easy)
            clock.advance(days=8)
            dues[name] = [sched.answer(f"d.{i}", "flashcard", Rating.Good).due for i in range(40)]
    assert len({d.date() for d in dues["plain"]}) == 1
    spread = {d.date() for d in dues["balanced"]}
    assert len(spread) >= 3
    base = (dues["plain"][0] - (start + timedelta(days=8))).days
    low, high = fuzz_range(base, 36500)
    for due in dues["balanced"]:
        days = (due - (start + timedelta(days=8))).days
        assert low <= days <= high
    per_day = [sum(d.date() == day for d in dues["balanced"]) for day in spread]
    assert max(per_day) - min(per_day) <= 1  # evenly spread
