"""The study session: every answer is committed when given; undo and override are exact."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from fsrs import Rating

from quizapp.engine.answers import AnswerParseError
from quizapp.srs.scheduler import ReviewScheduler
from quizapp.srs.store import Store
from quizapp.study.context import RequestError, StudyRequest, check_request
from quizapp.study.format import summary_title
from quizapp.study.items import DrillView, FlashcardView, TrapView
from quizapp.study.session import SessionError
from quizapp.study.start import start_session
from tests.unit.study_world import study_world, utc_scheduler

DECK = """\
deck = "demo"
title = "Demo"
topic = "basics"

[[flashcard]]
id = "demo.card"
front = "What is η?"
back = "The learning rate."

[[trap]]
id = "demo.trap"
claim = "Backprop updates the weights."
why_wrong = "Backprop only computes gradients."
correct = "The optimizer updates the weights."
distractors = ["The optimizer applies the update rule.", "Backprop fills the gradients."]

[[drill]]
id = "demo.adam"
topic = "adam"
drill = "adam"
"""


@pytest.fixture
def world(tmp_path: Path):
    with study_world(tmp_path, DECK) as (catalog, store, clock):
        yield catalog, utc_scheduler(store, clock), clock, tmp_path / "progress.sqlite3"


def show(session, kind: str) -> None:
    """Skip until an item of ``kind`` is on screen."""
    for _ in range(len(session.item_ids)):
        if session.current.kind == kind:
            return
        session.skip()
    raise AssertionError(f"no {kind} in the session")


def test_flashcard_trap_and_drill_are_recorded_when_answered(world) -> None:
    catalog, scheduler, clock, db = world
    session = start_session(catalog, scheduler, clock, rng=random.Random(1))
    assert session.total == 3
    seen = set()
    for _ in range(3):  # the first pass; new items then come back for their learning steps
        view = session.current
        clock.advance(seconds=5)
        if isinstance(view, FlashcardView):
            with pytest.raises(SessionError):
                session.rate(Rating.Good)
            session.reveal()
            outcome = session.rate(Rating.Good)
            assert outcome.correct is None and outcome.rating == Rating.Good
        elif isinstance(view, TrapView):
            choice = view.trap_index if view.mode == "pick" else view.holds
            outcome = session.answer_trap(choice)
            assert outcome.correct is True
        else:
            assert isinstance(view, DrillView)
            with pytest.raises(AnswerParseError):
                session.answer_drill("1.2.3")
            # Nothing was recorded for the unparsable answer.
            assert len(scheduler.store.reviews()) == len(seen)
            outcome = session.answer_drill(str(view.problem.given["theta"]))
            assert outcome.correct is False and outcome.rating == Rating.Again
            review = scheduler.store.reviews()[-1]
            assert review.seed == view.seed
        # Committed before the call returned: a second connection sees it.
        with Store.open(db) as other:
            assert other.get(view.item_id) is not None
        seen.add(view.kind)
        session.next()
    assert seen == {"flashcard", "trap", "drill"}
    summary = session.summary()
    assert summary.answered == 3 and summary.graded == 2 and summary.correct == 1
    assert summary.again == 1
    # time studied: the answers' durations (5 s each), the figure home sums for the day
    assert summary.studied_ms == 15_000
    today = scheduler.store.day_counts(scheduler.config.today(clock.now()))
    assert today.time_ms == summary.studied_ms
    assert not session.finished  # still in their learning steps (1m, 10m): shown again


def test_a_session_left_early_says_ended_and_how_far(world) -> None:
    """Tester: esc after 1 of 3 still titled the summary "Review done"."""
    catalog, scheduler, clock, db = world
    session = start_session(catalog, scheduler, clock, rng=random.Random(1))
    show(session, "trap")
    view = session.current
    assert isinstance(view, TrapView)
    session.answer_trap(view.trap_index if view.mode == "pick" else view.holds)
    session.next()
    summary = session.summary()
    # two new items still to show, and the trap again for its learning step
    assert not session.finished and summary.left == session.counts().total == 3
    # answers and items to go, not "1 of 4" (an item in learning counts in both: 3 items)
    assert summary_title("Review", summary.answered, summary.left) == (
        "Review ended · 1 answered, 3 to go"
    )
    assert summary_title("Review", 3, 0) == "Review done"


def test_undo_restores_state_and_shows_the_same_problem(world) -> None:
    catalog, scheduler, clock, _ = world
    session = start_session(catalog, scheduler, clock, rng=random.Random(2))
    show(session, "drill")
    view = session.current
    assert isinstance(view, DrillView)
    before = scheduler.store.get(view.item_id)
    session.answer_drill("0")
    session.next()
    again = session.undo()
    assert isinstance(again, DrillView) and again.problem == view.problem
    assert scheduler.store.get(view.item_id) == before
    assert scheduler.store.reviews() == []
    with pytest.raises(SessionError):
        session.undo()


def test_override_rerecords_with_the_new_rating(world) -> None:
    catalog, scheduler, clock, _ = world
    session = start_session(catalog, scheduler, clock, rng=random.Random(3))
    show(session, "trap")
    view = session.current
    assert isinstance(view, TrapView)
    wrong = (view.trap_index + 1) % len(view.statements) if view.mode == "pick" else not view.holds
    outcome = session.answer_trap(wrong)
    assert outcome.rating == Rating.Again
    changed = session.override(Rating.Hard)
    assert changed.rating == Rating.Hard and changed.suggested == Rating.Again
    reviews = scheduler.store.reviews()
    assert len(reviews) == 1 and reviews[0].rating == Rating.Hard


def test_progress_survives_reopening(world, tmp_path: Path) -> None:
    catalog, scheduler, clock, db = world
    session = start_session(catalog, scheduler, clock, rng=random.Random(4))
    show(session, "flashcard")
    session.reveal()
    session.rate(Rating.Easy)
    scheduler.store.close()
    with Store.open(db) as reopened:
        state = reopened.get("demo.card")
        assert state is not None and state.reps == 1
        assert [r.rating for r in reopened.reviews()] == [Rating.Easy]


def test_filters_are_checked_against_the_catalog(world) -> None:
    catalog, scheduler, clock, _ = world
    with pytest.raises(RequestError, match="unknown topic 'nope'; known: adam, basics"):
        check_request(catalog, StudyRequest(mode="study", topic="nope"))
    with pytest.raises(RequestError, match="unknown topic 'adma'; did you mean 'adam'"):
        check_request(catalog, StudyRequest(mode="study", topic="adma"))
    request = StudyRequest(mode="study", topic="adam")
    check_request(catalog, request)
    session = start_session(catalog, scheduler, clock, filter=request.queue_filter())
    assert session.item_ids == ["demo.adam"]


def test_the_study_title_names_the_topic_as_the_table_does(world) -> None:
    """Tester: "Study · Optimizers · lr-tuning" while the home table and the card said
    "lr tuning": the title reads the topic as every other screen does."""
    catalog = world[0]
    request = StudyRequest(mode="study", deck="demo", topic="lr-tuning", tag="x", kind="drill")
    assert request.title(catalog) == "Study · Demo · lr tuning · #x · drills"
    assert StudyRequest(mode="study", topic="warm_up", cram=True).title(catalog) == (
        "Cram · warm up"
    )


def test_cram_does_not_touch_the_schedule(world) -> None:
    catalog, scheduler, clock, _ = world
    session = start_session(catalog, scheduler, clock, mode="cram", rng=random.Random(5))
    assert session.total == 3
    view = session.current
    if isinstance(view, FlashcardView):
        session.reveal()
        session.rate(Rating.Good)
    elif isinstance(view, TrapView):
        session.answer_trap(view.trap_index if view.mode == "pick" else view.holds)
    else:
        session.answer_drill("0")
    state = scheduler.store.get(view.item_id)
    assert state is None or state.reps == 0


def test_undo_refuses_when_another_instance_answered_since(world) -> None:
    catalog, scheduler, clock, db = world
    session = start_session(catalog, scheduler, clock, rng=random.Random(6))
    show(session, "flashcard")
    session.reveal()
    session.rate(Rating.Good)
    with Store.open(db) as other_store:
        other = ReviewScheduler(other_store, scheduler.config, clock)
        clock.advance(minutes=1)
        other.answer("demo.card", "flashcard", Rating.Again)
    with pytest.raises(SessionError, match="answered elsewhere"):
        session.undo()
    assert len(session.history) == 1
    assert len(scheduler.store.reviews()) == 2


def test_interval_labels_stay_those_of_the_state_before_the_answer(world) -> None:
    catalog, scheduler, clock, _ = world
    session = start_session(catalog, scheduler, clock, rng=random.Random(7))
    show(session, "flashcard")
    before = session.intervals()
    session.reveal()
    session.rate(Rating.Easy)
    assert session.intervals() == before
    assert scheduler.preview("demo.card") != before


def test_new_items_mix_kinds_in_curriculum_order() -> None:
    from quizapp.decks import load_catalog
    from quizapp.study.start import candidates

    catalog = load_catalog(user=False)
    first = candidates(catalog)[:20]
    kinds = {c.kind for c in first}
    assert kinds == {"flashcard", "trap", "drill"}
    flashcards = [c.item_id for c in candidates(catalog) if c.kind == "flashcard"]
    assert flashcards == [i for i, e in catalog.items.items() if e.kind == "flashcard"]
    assert first[0].topic == "foundations"
