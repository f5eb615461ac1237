"""Free drill practice (``quizapp drill KIND``): endless fresh problems of one kind.

It is a :class:`quizapp.study.state.Session` like a study session, so the same study screen
renders it. Practice is not review: every answer is logged the moment it is given (in
cram mode, so accuracy, mistakes and streaks count it) and the schedule is left alone;
there are no ratings to choose and nothing to skip (the next problem is a fresh draw).
Grading is the engine's (through :class:`DrillView`); this keeps the state.
"""

from __future__ import annotations

import random

from fsrs import Rating

from quizapp.engine import drills
from quizapp.srs.scheduler import ReviewScheduler
from quizapp.study.clock import Clock
from quizapp.study.items import DrillView, answer_text, elapsed_ms
from quizapp.study.outcome import Outcome, SessionSummary, outcome_of, summarize
from quizapp.study.record import AnswerRecord
from quizapp.study.rules import auto_rating, experiment_of, study_actions
from quizapp.study.session import SessionError
from quizapp.study.state import StudyState

__all__ = ["DrillPractice"]


class DrillPractice:
    """Fresh problems of ``kind`` drawn from ``rng``; every answer is graded and logged
    (cram mode, through ``scheduler``), none is scheduled."""

    mode = "practice"

    def __init__(
        self,
        kind: str,
        clock: Clock,
        rng: random.Random,
        *,
        scheduler: ReviewScheduler,
        item_id: str | None = None,
        deck: str = "practice",
        overrides: dict[str, object] | None = None,
        first_seed: int | None = None,
    ) -> None:
        self.kind = kind
        self.clock = clock
        self.rng = rng
        self.scheduler = scheduler
        self.item_id = item_id or f"practice.{kind}"
        self.deck = deck
        self.overrides = overrides or None
        self._next_seed = first_seed
        self.info = drills.info(kind)
        self.started_at = clock.now()
        self.position = 0
        self.history: list[tuple[DrillView, Outcome]] = []
        self._pending: Outcome | None = None
        self._presented_at = self.started_at
        self._current = self._draw()

    @property
    def current(self) -> DrillView:
        return self._current

    @property
    def last_outcome(self) -> Outcome | None:
        return self._pending

    def state(self) -> StudyState:
        """The snapshot the study screen renders (no intervals: nothing is scheduled)."""
        answered = self._pending is not None
        experiment = experiment_of(self._current) if answered else None
        return StudyState(
            mode="practice",
            view=self._current,
            revealed=answered,
            hint_shown=False,
            outcome=self._pending,
            intervals={},
            allowed=study_actions(
                self._current,
                mode="practice",
                revealed=answered,
                answered=answered,
                hint_shown=False,
                undoable=bool(self.history),
                remaining=None,
                experiment=experiment,
            ),
            position=self.position,
            total=0,
            answered_count=len(self.history),
            experiment=experiment,
        )

    # -- intents that practice does not have (only drills, no ratings) ---------------------
    def reveal(self) -> None:
        raise SessionError("drill practice has no flashcards to reveal")

    def show_hint(self) -> None:
        raise SessionError("drill practice has no hints")

    def answer_trap(self, choice: int | bool) -> Outcome:
        raise SessionError("drill practice has no traps")

    def choose(self, rating: Rating) -> None:
        raise SessionError("practice is not scheduled: there is nothing to rate")

    # -- answers --------------------------------------------------------------------------
    def answer_drill(self, answers: str | dict[str, str]) -> Outcome:
        if self._pending is not None:
            raise SessionError("this problem is already answered; move on or undo")
        view = self._current
        verdict = view.grade(answers)  # AnswerParseError: nothing happens
        duration = elapsed_ms(self._presented_at, self.clock.now())
        rating = auto_rating(view, verdict.correct, duration)
        record = AnswerRecord.of(
            view,
            rating,
            mode="cram",
            duration_ms=duration,
            correct=verdict.correct,
            answer=answer_text(answers),
            mistake=verdict.mistake,
        )
        result = record.commit(self.scheduler)
        self._pending = outcome_of(record, result, suggested=rating, verdict=verdict)
        self.history.append((view, self._pending))
        return self._pending

    def next(self) -> DrillView:
        if self._pending is None:
            raise SessionError("answer the current problem first")
        self.position += 1
        self._current = self._draw()
        return self._current

    def skip(self) -> DrillView:
        raise SessionError("practice draws a fresh problem after each answer: nothing to skip")

    def undo(self) -> DrillView:
        if not self.history:
            raise SessionError("nothing to undo")
        view, _ = self.history[-1]
        if self.scheduler.undo_last() is None:
            raise SessionError("the last answer cannot be undone: it was answered elsewhere since")
        self.history.pop()
        if view is not self._current:
            self.position -= 1
        self._current = view
        self._pending = None
        self._presented_at = self.clock.now()
        return self._current

    def summary(self) -> SessionSummary:
        return summarize(
            [o for _, o in self.history], self.clock.now() - self.started_at, scheduled=False
        )

    def _draw(self) -> DrillView:
        self._pending = None
        self._presented_at = self.clock.now()
        seed = self._next_seed if self._next_seed is not None else self.rng.randrange(2**31)
        self._next_seed = None
        problem = drills.generate(self.kind, seed, overrides=self.overrides)
        return DrillView(self.item_id, self.deck, self.info.topic, problem, problem.title)
