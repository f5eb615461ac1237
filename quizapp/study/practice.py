"""Free drill practice (``quizapp drill KIND``): endless fresh problems of one kind.

It quacks like :class:`quizapp.study.session.StudySession` for drills (``current``,
``answer_drill``, ``last_outcome``, ``next``, ``undo``, ``summary``) so the same study
screen renders it. Practice is not review: every answer is logged the moment it is
given (in cram mode, so accuracy, mistakes and streaks count it) but the schedule is
left alone. Grading is the engine's (through :class:`DrillView`); this keeps the state.
"""

from __future__ import annotations

import random
from datetime import timedelta

from fsrs import Rating

from quizapp.engine import drills
from quizapp.srs.ratings import rating_from_outcome
from quizapp.srs.scheduler import ReviewScheduler
from quizapp.study.clock import Clock
from quizapp.study.items import DrillView, answer_text, elapsed_ms
from quizapp.study.session import Outcome, SessionError, SessionSummary, summarize


class DrillPractice:
    """Fresh problems of ``kind`` drawn from ``rng``; answers are graded, never recorded."""

    mode = "practice"
    total = 0  # endless
    finished = False

    def __init__(
        self,
        kind: str,
        clock: Clock,
        rng: random.Random,
        *,
        scheduler: ReviewScheduler | None = None,
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
        self.revealed = False
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

    def intervals(self) -> dict[Rating, timedelta]:
        return {}

    def answer_drill(self, answers: str | dict[str, str]) -> Outcome:
        if self._pending is not None:
            raise SessionError("this problem is already answered; move on or undo")
        verdict = self._current.grade(answers)  # AnswerParseError: nothing happens
        duration = elapsed_ms(self._presented_at, self.clock.now())
        rating = rating_from_outcome("drill", verdict.correct, duration)
        text = answer_text(answers)
        if self.scheduler is not None:
            view = self._current
            self.scheduler.answer(
                self.item_id, "drill", rating, mode="cram", answer=text, seed=view.seed,
                mistake=verdict.mistake, correct=verdict.correct, duration_ms=duration,
                deck=self.deck, topic=view.topic, subkind=self.kind,
            )  # fmt: skip
        self._pending = Outcome(
            item_id=self.item_id, kind="drill", correct=verdict.correct, rating=rating,
            suggested=rating, duration_ms=duration, due=None, verdict=verdict,
            answer_text=text, mistake=verdict.mistake,
        )  # fmt: skip
        self.history.append((self._current, self._pending))
        self.revealed = True
        return self._pending

    def override(self, rating: Rating) -> Outcome:
        if self._pending is None:
            raise SessionError("there is no answer to re-rate")
        return self._pending  # practice is not scheduled: a rating changes nothing

    def next(self) -> DrillView:
        if self._pending is None:
            raise SessionError("answer the current problem first")
        self.position += 1
        self._current = self._draw()
        return self._current

    def skip(self) -> DrillView:
        self._current = self._draw()
        return self._current

    def undo(self) -> DrillView:
        if not self.history:
            raise SessionError("nothing to undo")
        view, _ = self.history[-1]
        if self.scheduler is not None and self.scheduler.undo_last() is None:
            raise SessionError("the last answer cannot be undone: it was answered elsewhere since")
        self.history.pop()
        if view is not self._current:
            self.position -= 1
        self._current = view
        self._pending = None
        self.revealed = False
        self._presented_at = self.clock.now()
        return self._current

    def summary(self) -> SessionSummary:
        return summarize([o for _, o in self.history], self.clock.now() - self.started_at)

    def _draw(self) -> DrillView:
        self._pending = None
        self.revealed = False
        self._presented_at = self.clock.now()
        seed = self._next_seed if self._next_seed is not None else self.rng.randrange(2**31)
        self._next_seed = None
        problem = drills.generate(self.kind, seed, overrides=self.overrides)
        return DrillView(self.item_id, self.deck, self.info.topic, problem, problem.title)
