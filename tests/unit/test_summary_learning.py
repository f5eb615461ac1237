"""D4: the session summary's "Still learning" counts the item on screen when the learner
ends the session while a learning step is shown (it left the learning queue when shown)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fsrs import Rating

from quizapp.study.items import FlashcardView
from quizapp.study.session import StudySession
from quizapp.study.start import start_session
from tests.unit.study_world import study_world, utc_scheduler

DECK = """\
deck = "demo"
topic = "basics"
"""
DECK += "".join(
    f'\n[[flashcard]]\nid = "c{i}"\nfront = "q{i}?"\nback = "a{i}."\n' for i in range(1, 4)
)


@pytest.fixture
def world(tmp_path: Path):
    with study_world(tmp_path, DECK) as (catalog, store, clock):
        yield catalog, utc_scheduler(store, clock), clock


def _rate(session: StudySession, rating: Rating) -> None:
    assert isinstance(session.current, FlashcardView)
    session.reveal()
    session.choose(rating)  # rates and moves on


def test_ending_on_a_shown_learning_step_counts_it_still_learning(world) -> None:
    catalog, scheduler, clock = world
    session = StudySession(catalog, scheduler, clock, ["c1", "c2", "c3"], mode="study")
    _rate(session, Rating.Again)  # c1: a 1-minute step
    _rate(session, Rating.Again)  # c2: a 1-minute step
    clock.advance(minutes=2)
    _rate(session, Rating.Good)  # c3 (shown before the wait): its 10-minute step
    assert session.current is not None and session.current.item_id == "c1"
    assert session.counts().learning == 3  # c1 on screen, c2 due, c3 later
    summary = session.summary()  # the learner ends here
    assert summary.learning_left == 3
    assert summary.next_learning == clock.now()  # c1's step: due now, it was on screen
    assert summary.left == 3


def test_a_fresh_session_on_learning_steps_counts_the_one_shown(world) -> None:
    catalog, scheduler, clock = world
    first = StudySession(catalog, scheduler, clock, ["c1"], mode="study")
    _rate(first, Rating.Again)
    clock.advance(minutes=5)  # c1's step is due when the next session starts
    session = start_session(catalog, scheduler, clock)
    assert session.current is not None and session.current.item_id == "c1"
    assert session.summary().learning_left == 1


def test_an_answered_item_on_screen_counts_once_and_only_if_it_comes_back(world) -> None:
    catalog, scheduler, clock = world
    session = StudySession(catalog, scheduler, clock, ["c1", "c2"], mode="study")
    _rate(session, Rating.Again)  # c1 learning, due in 1 minute
    clock.advance(minutes=2)
    _rate(session, Rating.Easy)  # c2 graduates; c1 is shown again
    assert session.current is not None and session.current.item_id == "c1"
    session.reveal()
    session.rate(Rating.Easy)  # answered, still on screen: out of learning
    assert session.summary().learning_left == 0
    session.undo()  # shown again, unanswered, in its step
    assert session.summary().learning_left == 1
    session.reveal()
    session.rate(Rating.Again)  # answered and coming back: counted once, in the queue
    assert session.summary().learning_left == 1
