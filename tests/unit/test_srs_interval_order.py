"""Hard < Good < Easy as Anki orders FSRS's intervals (rslib/src/scheduler/states), and the
buttons' labels are the intervals an answer stores (usertest2 D2: a learning card showed
``3 Good · 1d  4 Easy · 1d`` and Easy stored 1 day)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from quizapp.srs.intervals import constrained_range
from quizapp.srs.scheduler import Rating, ReviewScheduler, SchedulerConfig
from quizapp.srs.store import Store
from quizapp.study.clock import FakeClock

T0 = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
CONFIGS = {
    "no fuzz": SchedulerConfig(enable_fuzzing=False, timezone="UTC"),
    "fuzz": SchedulerConfig(enable_fuzzing=True, load_balance=False, timezone="UTC"),
    "balanced": SchedulerConfig(enable_fuzzing=True, timezone="UTC"),
}
DAY = timedelta(days=1)


@pytest.fixture(params=list(CONFIGS))
def env(request: pytest.FixtureRequest, tmp_path: Path):  # noqa: ANN201
    clock = FakeClock(T0)
    store = Store.open(tmp_path / "p.db")
    yield store, ReviewScheduler(store, CONFIGS[request.param], clock), clock
    store.close()


def test_easy_is_a_day_past_good_when_a_learning_card_graduates(env) -> None:  # noqa: ANN001
    store, sched, clock = env
    for n in range(6):
        item = f"d.learn{n}"
        sched.answer(item, "flashcard", Rating.Again)
        clock.advance(minutes=1)
        sched.answer(item, "flashcard", Rating.Good)  # now on the 10-minute step
        clock.advance(minutes=10)
        shown = sched.preview(item)
        assert shown[Rating.Good] >= DAY
        assert shown[Rating.Easy] >= shown[Rating.Good] + DAY, shown
        stored = sched.answer(item, "flashcard", Rating.Easy)
        assert stored.interval == shown[Rating.Easy]


def test_review_intervals_are_ordered_and_stored_as_shown(env) -> None:  # noqa: ANN001
    store, sched, clock = env
    for n in range(4):
        item = f"d.rev{n}"
        sched.answer(item, "flashcard", Rating.Good)
        clock.advance(minutes=10)
        result = sched.answer(item, "flashcard", Rating.Good)
        for rating in (Rating.Hard, Rating.Good, Rating.Hard, Rating.Easy, Rating.Good):
            clock.advance(days=result.interval.days)
            shown = sched.preview(item)
            assert shown[Rating.Hard] >= DAY
            assert shown[Rating.Good] >= shown[Rating.Hard] + DAY, shown
            assert shown[Rating.Easy] >= shown[Rating.Good] + DAY, shown
            result = sched.answer(item, "flashcard", rating)
            assert result.interval == shown[rating]


def test_relearning_easy_is_a_day_past_good(env) -> None:  # noqa: ANN001
    store, sched, clock = env
    sched.answer("d.lapse", "flashcard", Rating.Good)
    clock.advance(minutes=10)
    result = sched.answer("d.lapse", "flashcard", Rating.Good)
    clock.advance(days=result.interval.days)
    sched.answer("d.lapse", "flashcard", Rating.Again)  # relearning, one 10-minute step
    clock.advance(minutes=10)
    shown = sched.preview("d.lapse")
    assert shown[Rating.Easy] >= shown[Rating.Good] + DAY, shown
    assert sched.answer("d.lapse", "flashcard", Rating.Easy).interval == shown[Rating.Easy]


def test_the_fuzz_range_respects_its_minimum() -> None:
    assert constrained_range(1, 2, 36500) == (2, 2)  # 2 days: never fuzzed
    low, high = constrained_range(3, 9, 36500)
    assert low == 9 < high  # the interval is raised to its minimum, then fuzzed above it
    assert constrained_range(3, 5, 5) == (5, 5)  # at the maximum: no room
    assert constrained_range(50, 60, 55) == (55, 55)  # the maximum wins
    low, high = constrained_range(30, 1, 36500)
    assert low < 30 < high


def test_one_ratings_card_is_the_one_all_four_give() -> None:
    """An answer (and a replay) asks next_cards for its rating only: the same card."""
    from fsrs import Card, State

    from quizapp.srs.intervals import next_cards

    fsrs = CONFIGS["fuzz"].fsrs_scheduler()
    fsrs.enable_fuzzing = False
    cards = [
        Card(card_id=1),  # new
        Card(card_id=1, state=State.Learning, step=1, stability=0.4, difficulty=6.0,
             due=T0, last_review=T0 - timedelta(minutes=10)),
        Card(card_id=1, state=State.Review, stability=30.0, difficulty=5.0, due=T0,
             last_review=T0 - timedelta(days=25)),
        Card(card_id=1, state=State.Review, stability=0.5, difficulty=7.0, due=T0,
             last_review=T0 - timedelta(days=1)),  # FSRS: Hard 2d, Good 2d; ordered: Good 3d
        Card(card_id=1, state=State.Relearning, step=0, stability=3.0, difficulty=8.0,
             due=T0, last_review=T0 - timedelta(minutes=10)),
    ]  # fmt: skip

    def busiest_first(interval: int, low: int, high: int) -> int:
        return high  # a load balancer that depends on the range it is handed

    for card in cards:
        for load in (None, busiest_first):
            for seed in ("a\x000", "b\x003"):
                every = next_cards(fsrs, card, T0, seed=seed, fuzz=True, load=load)
                for rating in Rating:
                    one = next_cards(fsrs, card, T0, seed=seed, fuzz=True, load=load, rating=rating)
                    assert one[rating].due == every[rating].due, (card.state, rating, load)
                    assert one[rating].stability == every[rating].stability
                    assert (one[rating].state, one[rating].step) == (
                        every[rating].state,
                        every[rating].step,
                    )
