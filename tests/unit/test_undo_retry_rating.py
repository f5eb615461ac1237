"""An answer given again after an undo is never rated Easy automatically: the learner has
seen the verdict and the worked solution of the same numbers (a tester undid a wrong drill,
typed the solution's value back in a second and got Easy, 8 days)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from fsrs import Rating

from quizapp.study.clock import FakeClock
from quizapp.study.items import DrillView
from quizapp.study.session import StudySession
from quizapp.study.start import start_session
from tests.unit.study_world import study_world, utc_scheduler
from tests.unit.test_session import DECK, show


def right(view: DrillView) -> str:
    return repr(view.problem.answers[view.problem.primary])


@contextmanager
def on_the_drill(tmp_path: Path) -> Iterator[tuple[StudySession, DrillView, FakeClock]]:
    """A session on the demo deck's drill, a second after it was shown."""
    with study_world(tmp_path, DECK) as (catalog, store, clock):
        session = start_session(catalog, utc_scheduler(store, clock), clock, rng=random.Random(2))
        show(session, "drill")
        view = session.current
        assert isinstance(view, DrillView)
        clock.advance(seconds=1)
        yield session, view, clock


def test_a_quick_right_answer_after_an_undo_is_good_not_easy(tmp_path: Path) -> None:
    with on_the_drill(tmp_path) as (session, view, clock):
        scheduler = session.scheduler
        assert session.answer_drill("0").rating == Rating.Again
        clock.advance(seconds=20)  # reading the worked solution
        session.undo()
        clock.advance(seconds=1)
        outcome = session.answer_drill(right(view))
        assert outcome.correct is True
        assert outcome.rating == Rating.Good
        assert scheduler.store.reviews()[-1].rating == Rating.Good
        # the learner's own key can still say Easy (a re-rate)
        assert session.override(Rating.Easy).rating == Rating.Easy


def test_the_same_quick_right_answer_first_time_is_easy(tmp_path: Path) -> None:
    """The cap is the undo's: a first answer as quick is Easy."""
    with on_the_drill(tmp_path) as (session, view, _clock):
        assert session.answer_drill(right(view)).rating == Rating.Easy
        session.next()
        # the next item after a move on is a fresh showing again
        assert session._answer_seen is False
