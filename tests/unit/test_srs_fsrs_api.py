"""The private parts of py-fsrs that quizapp.srs leans on (fsrs is pinned in pyproject.toml;
py-fsrs has no public call for them). If a release renames or changes one, this fails and
says which, instead of the intervals going quietly wrong."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import pytest
from fsrs import Card, Rating, Scheduler, State

from quizapp.srs.balance import fuzz_range
from quizapp.srs.intervals import fsrs_interval

NOW = datetime(2026, 3, 2, 12, tzinfo=UTC)


@pytest.mark.parametrize("retention", [0.8, 0.9, 0.97])
@pytest.mark.parametrize("maximum", [36500, 30])
def test_next_interval_is_what_review_card_schedules_a_review_with(
    retention: float, maximum: int
) -> None:
    fsrs = Scheduler(desired_retention=retention, maximum_interval=maximum, enable_fuzzing=False)
    assert callable(getattr(fsrs, "_next_interval", None)), (
        "py-fsrs no longer has Scheduler._next_interval: quizapp.srs.intervals.fsrs_interval "
        "needs another way to get FSRS's interval for a stability"
    )
    card = Card(card_id=1)
    for rating, gap in [(Rating.Easy, 0), (Rating.Good, 3), (Rating.Hard, 9), (Rating.Good, 40)]:
        card, _ = fsrs.review_card(card, rating, NOW + timedelta(days=gap))
        assert card.state == State.Review and card.stability is not None
        scheduled = (card.due - card.last_review) / timedelta(days=1)
        assert fsrs_interval(fsrs, card.stability) == scheduled, (
            "py-fsrs's Scheduler._next_interval no longer gives the interval review_card "
            "schedules: quizapp.srs.intervals.fsrs_interval must follow it"
        )


def test_the_fuzz_ranges_are_ankis() -> None:
    """balance.fuzz_range reads py-fsrs's FUZZ_RANGES (Anki's fuzz.rs table)."""
    from fsrs.scheduler import FUZZ_RANGES

    table = [(r["start"], r["end"], r["factor"]) for r in FUZZ_RANGES]
    assert table == [(2.5, 7.0, 0.15), (7.0, 20.0, 0.1), (20.0, math.inf, 0.05)], (
        "py-fsrs's FUZZ_RANGES changed: quizapp.srs.balance.fuzz_range follows it"
    )
    assert fuzz_range(3, 36500) == (2, 4) and fuzz_range(100, 36500) == (93, 107)
