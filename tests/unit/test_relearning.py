"""Issue 10 item 3: in-session relearning as in Anki. An item rated Again (or a wrong drill
or trap) comes back in the same session once its learning step is due; the session does
not end while a learning step falls due within the learn-ahead window; the session counts
new + learning + review. The FakeClock drives time."""

from __future__ import annotations

import random
from datetime import timedelta
from pathlib import Path

import pytest
from fsrs import Rating

from quizapp.settings import load_scheduler_config
from quizapp.srs.scheduler import ReviewScheduler
from quizapp.study.clock import FakeClock
from quizapp.study.items import DrillView, FlashcardView, TrapView
from quizapp.study.rules import comes_back
from quizapp.study.session import StudySession
from quizapp.study.start import start_session
from quizapp.study.state import QueueCounts
from tests.unit.study_world import study_world, utc_scheduler

DECK = """\
deck = "demo"
topic = "basics"

[[flashcard]]
id = "c1"
front = "one?"
back = "one."

[[flashcard]]
id = "c2"
front = "two?"
back = "two."

[[flashcard]]
id = "c3"
front = "three?"
back = "three."

[[trap]]
id = "t1"
claim = "Backprop updates the weights."
why_wrong = "Backprop only computes gradients."
correct = "The optimizer updates the weights."
distractors = ["The optimizer applies the update rule.", "Backprop fills the gradients."]

[[drill]]
id = "d1"
drill = "sgd"
"""


@pytest.fixture
def world(tmp_path: Path):
    with study_world(tmp_path, DECK) as (catalog, store, clock):

        def scheduler(**config: object) -> ReviewScheduler:
            return utc_scheduler(store, clock, **config)

        yield catalog, scheduler, clock


def rate_card(session: StudySession, rating: Rating) -> None:
    assert isinstance(session.current, FlashcardView)
    session.reveal()
    session.choose(rating)


def test_again_comes_back_when_its_step_is_due_before_the_rest(world) -> None:
    catalog, scheduler, clock = world
    session = StudySession(catalog, scheduler(), clock, ["c1", "c2", "c3"], mode="study")
    assert session.counts() == QueueCounts(3, 0, 0, "new")
    rate_card(session, Rating.Again)  # c1: learning step of 1 minute
    assert session.counts() == QueueCounts(2, 1, 0, "new")
    assert session.current.item_id == "c2"
    clock.advance(minutes=2)  # c1's step is due now: it goes before c3
    rate_card(session, Rating.Easy)
    assert session.current.item_id == "c1"
    assert session.counts() == QueueCounts(1, 1, 0, "learning")
    rate_card(session, Rating.Easy)  # out of learning
    assert session.current.item_id == "c3"
    rate_card(session, Rating.Easy)
    assert session.finished
    assert [r.item_id for r in scheduler().store.reviews()] == ["c1", "c2", "c1", "c3"]


def test_learn_ahead_shows_a_step_early_when_nothing_else_is_left(world) -> None:
    catalog, scheduler, clock = world
    session = StudySession(catalog, scheduler(), clock, ["c1"], mode="study")
    rate_card(session, Rating.Again)  # due in 1 minute: within the 20-minute window
    assert not session.finished and session.current.item_id == "c1"
    rate_card(session, Rating.Good)  # the 10-minute step: still inside the window
    assert not session.finished and session.current.item_id == "c1"
    rate_card(session, Rating.Good)  # graduated: due in days
    assert session.finished
    summary = session.summary()
    assert summary.answered == 3 and summary.learning_left == 0
    # next due is the graduated item's (days away), not a superseded learning step's
    state = scheduler().store.get("c1")
    assert state is not None and summary.next_due == state.due
    assert summary.next_due - clock.now() >= timedelta(days=1)


def test_the_session_ends_when_the_next_step_is_beyond_the_window(world) -> None:
    catalog, scheduler, clock = world
    sched = scheduler(learning_steps=(timedelta(minutes=30),), learn_ahead_minutes=20)
    session = StudySession(catalog, sched, clock, ["c1"], mode="study")
    rate_card(session, Rating.Again)
    assert session.finished  # 30 minutes away: Anki's "learning cards due later"
    summary = session.summary()
    assert summary.learning_left == 1
    assert summary.next_learning == clock.now() + timedelta(minutes=30)
    wider = StudySession(
        catalog,
        scheduler(learning_steps=(timedelta(minutes=30),), learn_ahead_minutes=45),
        clock,
        ["c2"],
        mode="study",
    )
    rate_card(wider, Rating.Again)
    assert wider.current.item_id == "c2"  # a wider window keeps it in the session


def test_wrong_drill_and_trap_come_back_with_fresh_numbers(world) -> None:
    catalog, scheduler, clock = world
    session = StudySession(
        catalog, scheduler(), clock, ["d1", "t1"], mode="review", rng=random.Random(4)
    )
    drill = session.current
    assert isinstance(drill, DrillView)
    assert session.answer_drill("123456").rating == Rating.Again
    session.next()
    trap = session.current
    assert isinstance(trap, TrapView)
    wrong = (trap.trap_index + 1) % len(trap.statements) if trap.mode == "pick" else not trap.holds
    session.answer_trap(wrong)
    session.next()
    assert session.counts() == QueueCounts(0, 2, 0, "learning")
    again = session.current
    assert isinstance(again, DrillView) and again.item_id == "d1"
    assert again.problem.seed != drill.problem.seed  # a fresh draw, as at every review


def test_undo_and_rerate_forget_a_comeback(world) -> None:
    catalog, scheduler, clock = world
    session = StudySession(catalog, scheduler(), clock, ["c1", "c2"], mode="study")
    rate_card(session, Rating.Again)
    assert session.counts().learning == 1
    session.undo()
    assert session.current.item_id == "c1" and session.counts() == QueueCounts(2, 0, 0, "new")
    session.reveal()
    session.rate(Rating.Again)
    assert session.counts() == QueueCounts(1, 1, 0, None)
    session.override(Rating.Easy)  # re-rated: no learning step, nothing comes back
    assert session.counts() == QueueCounts(1, 0, 0, None)
    session.next()
    rate_card(session, Rating.Easy)
    assert session.finished


def test_cram_relearns_again_without_scheduling(world) -> None:
    catalog, scheduler, clock = world
    sched = scheduler()
    session = StudySession(catalog, sched, clock, ["c1", "c2"], mode="cram")
    rate_card(session, Rating.Again)
    rate_card(session, Rating.Good)  # c2: a cram's Good lets it go
    assert session.current.item_id == "c1"  # Again comes back within the cram
    rate_card(session, Rating.Good)
    assert session.finished
    assert sched.store.get("c1") is None or sched.store.get("c1").reps == 0  # unscheduled


def test_a_learning_step_from_earlier_today_waits_for_its_due_time(world) -> None:
    catalog, scheduler, clock = world
    sched = scheduler()
    first = StudySession(catalog, sched, clock, ["c1"], mode="study")
    rate_card(first, Rating.Again)  # due in a minute; the learner leaves
    clock.advance(seconds=30)
    session = start_session(catalog, sched, clock, mode="study")
    assert session.counts().learning == 1 and session.counts().new == 4
    assert session.current.item_id == "c2"  # c1 is not due yet: new items first
    clock.advance(minutes=1)
    rate_card(session, Rating.Easy)
    assert session.current.item_id == "c1"  # due now: before the other new items


def test_comes_back_rule() -> None:
    now = FakeClock().now()
    end = now + timedelta(hours=10)
    step = timedelta(minutes=1)
    due = now + timedelta(minutes=10)
    common = {"leech": False, "now": now, "day_end": end, "first_step": step}
    assert comes_back("review", Rating.Again, 3, due, **common) == due  # relearning
    assert comes_back("study", Rating.Good, 1, due, **common) == due  # a learning step
    assert comes_back("review", Rating.Good, 2, due, **common) is None  # in review
    assert comes_back("review", Rating.Again, 1, end + step, **common) is None  # tomorrow
    assert comes_back("review", Rating.Again, 3, due, **{**common, "leech": True}) is None
    assert comes_back("cram", Rating.Again, None, None, **common) == now + step
    assert comes_back("cram", Rating.Hard, None, None, **common) is None
    assert comes_back("practice", Rating.Again, 1, due, **common) is None


def test_learn_ahead_minutes_is_a_setting(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[scheduling]\nlearn_ahead_minutes = 45\n", encoding="utf-8")
    assert load_scheduler_config(config).learn_ahead_minutes == 45
    assert load_scheduler_config(tmp_path / "missing.toml").learn_ahead_minutes == 20
