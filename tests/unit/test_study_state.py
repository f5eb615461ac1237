"""The rules of a session (quizapp.study.rules) and the snapshots sessions hand to screens
(quizapp.study.state): what is allowed when, which intervals show, how answers are rated
and recorded. Screens only ask these; here they are checked without a terminal."""

from __future__ import annotations

import random
from datetime import timedelta
from pathlib import Path

import pytest
from fsrs import Rating

from quizapp.srs.ratings import EXPECTED_MS
from quizapp.study.items import DrillView, FlashcardView, TrapView
from quizapp.study.mock import MockConfig, MockInterview
from quizapp.study.practice import DrillPractice
from quizapp.study.record import AnswerRecord
from quizapp.study.rules import auto_rating, mock_actions, study_actions
from quizapp.study.session import SessionError, StudySession
from tests.unit.study_world import study_world, utc_scheduler

DECK = """\
deck = "demo"
title = "Demo"
topic = "basics"

[[flashcard]]
id = "demo.card"
front = "What is η?"
back = "The learning rate."
hint = "A Greek letter."

[[flashcard]]
id = "demo.bare"
front = "What is SGD?"
back = "Stochastic gradient descent."

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

IDS = ["demo.card", "demo.bare", "demo.trap", "demo.adam"]


@pytest.fixture
def world(tmp_path: Path):
    with study_world(tmp_path, DECK) as (catalog, store, clock):
        yield catalog, utc_scheduler(store, clock), clock


def session_on(world, ids: list[str], mode: str = "review", seed: int = 1) -> StudySession:
    catalog, scheduler, clock = world
    return StudySession(catalog, scheduler, clock, ids, mode=mode, rng=random.Random(seed))


def right_choice(view: TrapView) -> int | bool:
    return view.trap_index if view.mode == "pick" else view.holds


# -- the rules as a table -----------------------------------------------------------------
def test_flashcard_rules_reveal_then_rate(world) -> None:
    session = session_on(world, IDS)
    state = session.state()
    assert isinstance(state.view, FlashcardView)
    assert state.allowed == {"reveal", "hint", "skip", "leave"}
    session.show_hint()
    assert session.state().allowed == {"reveal", "skip", "leave"}  # the hint once
    assert session.state().hint_shown
    session.reveal()
    assert session.state().allowed == {"rate", "good", "skip", "leave"}
    session.choose(Rating.Good)  # rated and moved on
    state = session.state()
    assert state.position == 1 and state.answered_count == 1
    assert not state.revealed and not state.hint_shown  # a fresh card
    assert state.allowed == {"reveal", "skip", "undo", "leave"}  # no hint on this one


def test_trap_and_drill_rules(world) -> None:
    session = session_on(world, ["demo.trap", "demo.adam"])
    state = session.state()
    view = state.view
    assert isinstance(view, TrapView)
    answer_key = "pick" if view.mode == "pick" else "holds"
    assert state.allowed == {answer_key, "skip", "leave"}
    if view.mode == "pick":  # only as many letters as statements
        assert state.allows("pick", len(view.statements) - 1)
        assert not state.allows("pick", len(view.statements))
        assert not state.allows("pick", True)
    session.answer_trap(right_choice(view))
    state = session.state()
    assert state.allowed == {"next", "rate", "undo", "leave"}  # no skip once answered
    assert state.outcome is not None and state.outcome.choice == right_choice(view)
    assert state.allows("rate", 2) and not state.allows("rate", 5)
    session.next()
    state = session.state()
    assert isinstance(state.view, DrillView)
    # the right trap (Good) is in its 10-minute learning step: learn-ahead shows it after
    # the drill, so the drill can still be skipped
    assert state.allowed == {"submit", "convention", "undo", "skip", "leave"}
    session.answer_drill("0")  # wrong: Again, a 1-minute step
    session.next()  # nothing left but learning steps: the one due first is shown early
    assert session.state().view.item_id == "demo.adam"


def test_finished_session_allows_leaving_and_undo(world) -> None:
    session = session_on(world, ["demo.bare"])
    session.reveal()
    session.choose(Rating.Easy)  # straight out of the learning steps: not shown again
    state = session.state()
    assert state.finished and state.allowed == {"leave", "undo"}


def test_study_actions_are_pure() -> None:
    assert study_actions(
        None, mode="review", revealed=False, answered=False, hint_shown=False, undoable=False,
        remaining=0,
    ) == {"leave"}  # fmt: skip


# -- which intervals show ---------------------------------------------------------------
def test_review_shows_intervals_cram_and_practice_do_not(world) -> None:
    catalog, scheduler, clock = world
    review = session_on(world, IDS)
    intervals = review.state().intervals
    assert set(intervals) == set(Rating) and all(d > timedelta(0) for d in intervals.values())
    assert review.state().scheduled
    cram = session_on(world, IDS, mode="cram")
    state = cram.state()
    assert state.intervals == {} and not state.scheduled
    cram.reveal()
    assert "rate" in cram.state().allowed  # a cram still takes a self-rating (right/wrong)
    practice = DrillPractice("adam", clock, random.Random(1), scheduler=scheduler)
    state = practice.state()
    assert state.intervals == {} and state.mode == "practice" and state.total == 0
    assert state.allowed == {"submit", "convention", "leave"}


def test_cram_summary_has_no_next_due(world) -> None:
    cram = session_on(world, ["demo.card", "demo.bare"], mode="cram")
    cram.reveal()
    cram.choose(Rating.Again)  # comes back after the other card
    assert cram.current.item_id == "demo.bare"
    summary = cram.summary()  # left here
    assert not summary.scheduled and summary.next_due is None and summary.answered == 1
    # left with the Again card still to come back: no "still learning … next in" (D5)
    assert summary.learning_left == 0 and summary.next_learning is None
    review = session_on(world, ["demo.bare"])
    review.reveal()
    review.choose(Rating.Good)
    summary = review.summary()
    assert summary.scheduled and summary.next_due is not None


# -- drill practice ---------------------------------------------------------------------
def test_practice_logs_in_cram_mode_and_has_nothing_to_rate_or_skip(world) -> None:
    catalog, scheduler, clock = world
    practice = DrillPractice(
        "adam", clock, random.Random(2), scheduler=scheduler, item_id="demo.adam", deck="demo"
    )
    problem = practice.current.problem
    clock.advance(seconds=20)
    outcome = practice.answer_drill(repr(problem.answers[problem.primary]))
    assert outcome.correct and outcome.due is None
    state = practice.state()
    # see_it: the lab's Adam experiment, once answered
    assert state.allowed == {"next", "convention", "undo", "leave", "see_it"}
    assert state.experiment == "adam-scale"
    with pytest.raises(SessionError):
        practice.choose(Rating.Easy)
    with pytest.raises(SessionError):
        practice.skip()
    (review,) = scheduler.store.reviews()
    assert review.mode == "cram" and review.seed == problem.seed and review.mistake is None
    state_row = scheduler.store.get("demo.adam")
    assert state_row is not None and state_row.reps == 0 and state_row.due is None
    summary = practice.summary()
    assert not summary.scheduled and summary.next_due is None and summary.correct == 1


# -- ratings ------------------------------------------------------------------------------
def test_a_right_trap_is_never_easy(world) -> None:
    session = session_on(world, ["demo.trap"])
    view = session.state().view
    assert isinstance(view, TrapView)
    fast = int(0.1 * EXPECTED_MS["trap"])
    assert auto_rating(view, True, fast) == Rating.Good
    assert auto_rating(view, True, 3 * EXPECTED_MS["trap"]) == Rating.Hard
    assert auto_rating(view, False, fast) == Rating.Again
    outcome = session.answer_trap(right_choice(view))  # answered at once: fast
    assert outcome.rating == Rating.Good == outcome.suggested


def test_a_fast_right_drill_is_easy(world) -> None:
    session = session_on(world, ["demo.adam"])
    view = session.state().view
    assert isinstance(view, DrillView)
    assert auto_rating(view, True, 1_000) == Rating.Easy


def test_choose_overrides_an_automatic_rating_and_moves_on(world) -> None:
    catalog, scheduler, clock = world
    session = session_on(world, ["demo.trap", "demo.bare"])
    view = session.state().view
    assert isinstance(view, TrapView)
    wrong = (view.trap_index + 1) % len(view.statements) if view.mode == "pick" else not view.holds
    session.answer_trap(wrong)
    session.choose(Rating.Hard)
    (review,) = scheduler.store.reviews()
    assert review.rating == Rating.Hard and review.correct is False
    assert session.state().position == 1
    assert session.history[-1].outcome.suggested == Rating.Again


# -- the one answer record ---------------------------------------------------------------
def test_answer_record_reads_the_view(world) -> None:
    catalog, scheduler, clock = world
    session = session_on(world, ["demo.adam"])
    view = session.state().view
    assert isinstance(view, DrillView)
    record = AnswerRecord.of(
        view, Rating.Good, mode="study", duration_ms=1234, correct=True, answer="1.0"
    )
    assert (record.item_id, record.kind, record.deck, record.topic) == (
        "demo.adam", "drill", "demo", "adam",
    )  # fmt: skip
    assert record.seed == view.seed and record.subkind == "adam"
    result = record.commit(scheduler)
    (review,) = scheduler.store.reviews()
    assert review.seed == view.seed and review.duration_ms == 1234 and review.answer == "1.0"
    assert result.due is not None
    assert record.with_rating(Rating.Hard).rating == Rating.Hard


# -- mock interviews ----------------------------------------------------------------------
def test_mock_state_allows_per_question(world) -> None:
    catalog, scheduler, clock = world
    mock = MockInterview.start(
        catalog,
        scheduler,
        clock,
        MockConfig(seed=1, minutes=5),
        item_ids=["demo.card", "demo.trap"],
    )
    state = mock.state()
    assert state.current.kind == "flashcard" and state.current.title == "What is η?"
    assert state.allowed == {"reveal", "skip", "prev", "next", "goto", "finish", "leave"}
    assert state.allows("goto", 1) and not state.allows("goto", 2)
    mock.reveal("a rate")
    assert "grade" in mock.state().allowed and "reveal" not in mock.state().allowed
    mock.grade_flashcard("right")
    mock.goto(1)
    state = mock.state()
    assert state.allowed == {"answer", "prev", "next", "goto", "finish", "leave"}  # the last
    clock.advance(minutes=6)
    state = mock.state()
    assert state.time_up and state.allowed == {"prev", "next", "goto", "finish", "leave"}
    assert state.answered_count == 1 and state.remaining == timedelta(0)


def test_mock_actions_are_pure() -> None:
    common = {"prev", "next", "goto", "finish", "leave"}
    assert mock_actions(
        "drill", revealed=False, answered=False, open_=True, others_unanswered=2
    ) == common | {"submit", "skip"}
    assert (
        mock_actions("drill", revealed=False, answered=True, open_=True, others_unanswered=2)
        == common
    )


def test_a_mock_trap_answered_fast_and_right_is_good(world) -> None:
    catalog, scheduler, clock = world
    mock = MockInterview.start(
        catalog, scheduler, clock, MockConfig(seed=3), item_ids=["demo.trap"]
    )
    view = mock.current.view
    assert isinstance(view, TrapView)
    mock.answer_trap(right_choice(view))
    assert mock.current.rating == Rating.Good
    (review,) = scheduler.store.reviews()
    assert review.mode == "mock" and review.rating == Rating.Good


def test_see_it_needs_an_experiment_and_a_shown_answer(world) -> None:
    session = session_on(world, ["demo.card", "demo.adam"])
    assert "see_it" not in session.state().allowed  # the front only
    session.reveal()
    state = session.state()  # demo.card, topic basics: the lab has nothing for it
    assert state.experiment is None and "see_it" not in state.allowed
    session.choose(Rating.Easy)
    assert "see_it" not in session.state().allowed  # an unanswered drill
    session.answer_drill("0")
    state = session.state()
    assert state.experiment == "adam-scale" and "see_it" in state.allowed
