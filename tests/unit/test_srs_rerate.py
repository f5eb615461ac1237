"""Re-rating an answer is one transaction: a failure in the middle keeps the old answer (F2)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from quizapp.decks import load_paths
from quizapp.srs.scheduler import Rating, ReviewScheduler, SchedulerConfig
from quizapp.srs.store import Store
from quizapp.study.clock import FakeClock
from quizapp.study.items import FlashcardView
from quizapp.study.session import SessionError, StudySession

CFG = SchedulerConfig(enable_fuzzing=False, timezone="UTC")
DECK = """\
deck = "demo"
[[flashcard]]
id = "demo.card"
front = "What is η?"
back = "The learning rate."
"""


class Interrupted(Exception):
    """Stands for a kill or a database error between taking back and recording."""


@pytest.fixture
def sched(tmp_path: Path):
    store = Store.open(tmp_path / "p.sqlite3")
    yield ReviewScheduler(store, CFG, FakeClock(datetime(2026, 3, 2, 12, tzinfo=UTC)))
    store.close()


def test_rerate_replaces_the_last_answer(sched: ReviewScheduler) -> None:
    sched.answer("d.a", "trap", Rating.Good, answer="x")
    state_before = sched.store.get("d.a")
    sched.clock.advance(minutes=1)  # type: ignore[attr-defined]
    again = sched.answer("d.b", "trap", Rating.Again, answer="y", correct=False)
    assert again.previous is None
    result = sched.rerate("d.b", "trap", Rating.Hard, answer="y", correct=False)
    assert result is not None and result.previous is None  # re-rated from the state before
    reviews = sched.store.reviews()
    assert [(r.item_id, r.rating, r.answer) for r in reviews] == [
        ("d.a", Rating.Good, "x"),
        ("d.b", Rating.Hard, "y"),
    ]
    assert sched.store.get("d.a") == state_before
    assert sched.store.get("d.b").answered == 1  # type: ignore[union-attr]
    # the re-rated answer is the one undo takes back
    undone = sched.undo_last()
    assert undone is not None and undone.review.rating == Rating.Hard
    assert sched.store.get("d.b") is None


def test_rerate_equals_answering_with_that_rating(tmp_path: Path) -> None:
    states = []
    for rerate in (False, True):
        with Store.open(tmp_path / f"{rerate}.sqlite3") as store:
            clock = FakeClock(datetime(2026, 3, 2, 12, tzinfo=UTC))
            sched = ReviewScheduler(store, CFG, clock)
            for day in range(3):
                clock.advance(timedelta(days=day))
                sched.answer("d.a", "trap", Rating.Again if rerate else Rating.Easy)
                if rerate:
                    sched.rerate("d.a", "trap", Rating.Easy)
            states.append((store.get("d.a"), [(r.rating, r.at) for r in store.reviews()]))
    assert states[0] == states[1]


def test_rerate_without_an_own_answer_changes_nothing(sched: ReviewScheduler) -> None:
    assert sched.rerate("d.a", "trap", Rating.Good) is None
    sched.answer("d.a", "trap", Rating.Good)
    with pytest.raises(ValueError, match="d.a"):
        sched.rerate("d.b", "trap", Rating.Good)


def test_rerate_refuses_when_answered_elsewhere(sched: ReviewScheduler, tmp_path: Path) -> None:
    sched.answer("d.a", "trap", Rating.Good)
    with Store.open(sched.store.path) as other_store:
        ReviewScheduler(other_store, CFG, sched.clock).answer("d.a", "trap", Rating.Again)
    assert sched.rerate("d.a", "trap", Rating.Easy) is None
    assert [r.rating for r in sched.store.reviews()] == [Rating.Good, Rating.Again]


def test_a_failure_inside_a_rerate_keeps_the_old_answer(
    sched: ReviewScheduler, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = sched.answer("d.a", "trap", Rating.Again, answer="x")

    def broken(*args: object, **kwargs: object) -> None:
        raise Interrupted

    monkeypatch.setattr(sched._fsrs, "review_card", broken)
    with pytest.raises(Interrupted):
        sched.rerate("d.a", "trap", Rating.Good, answer="x")
    assert sched.store.reviews() == [first.review]
    assert sched.store.get("d.a") == first.state
    monkeypatch.undo()
    # nothing was lost on the way: the re-rate can simply be given again
    assert sched.rerate("d.a", "trap", Rating.Good, answer="x") is not None
    assert [r.rating for r in sched.store.reviews()] == [Rating.Good]


def test_session_override_is_atomic(
    tmp_path: Path, sched: ReviewScheduler, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "deck.toml").write_text(DECK, encoding="utf-8")
    catalog = load_paths([tmp_path / "deck.toml"])
    session = StudySession(
        catalog, sched, sched.clock, ["demo.card"], mode="review", rng=random.Random(1)
    )
    assert isinstance(session.current, FlashcardView)
    session.reveal()
    session.rate(Rating.Again)
    recorded = sched.store.reviews()

    def broken(*args: object, **kwargs: object) -> None:
        raise Interrupted

    monkeypatch.setattr(sched._fsrs, "review_card", broken)
    with pytest.raises(Interrupted):
        session.override(Rating.Good)
    assert sched.store.reviews() == recorded  # the confirmed answer is still there
    assert [a.outcome.rating for a in session.history] == [Rating.Again]
    monkeypatch.undo()
    assert session.override(Rating.Good).rating == Rating.Good
    assert [r.rating for r in sched.store.reviews()] == [Rating.Good]
    assert len(session.history) == 1


def test_session_override_refused_when_answered_elsewhere(
    tmp_path: Path, sched: ReviewScheduler
) -> None:
    (tmp_path / "deck.toml").write_text(DECK, encoding="utf-8")
    catalog = load_paths([tmp_path / "deck.toml"])
    session = StudySession(catalog, sched, sched.clock, ["demo.card"], rng=random.Random(1))
    session.reveal()
    session.rate(Rating.Good)
    with Store.open(sched.store.path) as other_store:
        ReviewScheduler(other_store, CFG, sched.clock).answer("demo.card", "flashcard", 1)
    with pytest.raises(SessionError, match="answered elsewhere"):
        session.override(Rating.Easy)
    assert len(sched.store.reviews()) == 2
