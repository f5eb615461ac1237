"""A study session: a queue of items presented one at a time, each answer committed
the moment it is given.

Screens hold a :class:`StudySession`, render :attr:`StudySession.current` and call
``rate`` / ``answer_trap`` / ``answer_drill``; the session grades, picks the rating,
and records the review through the scheduler before returning. ``override`` changes
the rating of the answer just given (the old answer out and the new one in, in one
transaction);
``undo`` takes the last answer back and shows that item again.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

from fsrs import Rating

from quizapp.decks.loader import Catalog
from quizapp.engine.drills.models import Verdict
from quizapp.srs.ratings import rating_from_outcome
from quizapp.srs.scheduler import ReviewScheduler
from quizapp.study.clock import Clock
from quizapp.study.items import (
    DrillView,
    FlashcardView,
    ItemView,
    TrapView,
    ViewFactory,
    answer_text,
    elapsed_ms,
)

Mode = Literal["review", "study", "cram", "mock"]
RATINGS = (Rating.Again, Rating.Hard, Rating.Good, Rating.Easy)


class SessionError(Exception):
    """An action that does not fit the session's state (e.g. rating before revealing)."""


@dataclass(frozen=True)
class Outcome:
    """What happened to one answer: shown to the learner and kept for the summary."""

    item_id: str
    kind: str
    correct: bool | None  # None for a self-rated flashcard
    rating: Rating
    suggested: Rating
    duration_ms: int
    due: datetime | None
    verdict: Verdict | None = None
    answer_text: str | None = None
    leech: bool = False
    mistake: str | None = None


@dataclass(frozen=True)
class SessionSummary:
    answered: int
    correct: int
    graded: int
    again: int
    elapsed: timedelta
    leeches: tuple[str, ...]
    next_due: datetime | None

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.graded if self.graded else None


def summarize(outcomes: Sequence[Outcome], elapsed: timedelta) -> SessionSummary:
    """The end-of-session figures for ``outcomes`` (any session that yields Outcomes)."""
    graded = [o for o in outcomes if o.correct is not None]
    return SessionSummary(
        answered=len(outcomes),
        correct=sum(1 for o in graded if o.correct),
        graded=len(graded),
        again=sum(1 for o in outcomes if o.rating == Rating.Again),
        elapsed=elapsed,
        leeches=tuple(o.item_id for o in outcomes if o.leech),
        next_due=min((o.due for o in outcomes if o.due is not None), default=None),
    )


@dataclass
class _Answered:
    position: int
    view: ItemView
    outcome: Outcome
    meta: dict[str, object] = field(default_factory=dict)


class StudySession:
    """Presents ``item_ids`` in order and records every answer through ``scheduler``."""

    def __init__(
        self,
        catalog: Catalog,
        scheduler: ReviewScheduler,
        clock: Clock,
        item_ids: Sequence[str],
        *,
        mode: Mode = "review",
        rng: random.Random | None = None,
    ) -> None:
        self.catalog = catalog
        self.scheduler = scheduler
        self.clock = clock
        self.mode: Mode = mode
        self.item_ids = [i for i in item_ids if i in catalog.items]
        self.views = ViewFactory(rng or random.Random())
        self.started_at = clock.now()
        self.position = 0
        self.revealed = False
        self.history: list[_Answered] = []
        self._current: ItemView | None = None
        self._presented_at = self.started_at
        self._pending: Outcome | None = None
        self._intervals: dict[Rating, timedelta] | None = None
        self._present()

    # -- what to show -------------------------------------------------------------------
    @property
    def total(self) -> int:
        return len(self.item_ids)

    @property
    def finished(self) -> bool:
        return self.position >= self.total

    @property
    def current(self) -> ItemView | None:
        return self._current

    @property
    def last_outcome(self) -> Outcome | None:
        """The outcome of the answer just given to the current item (before ``next``)."""
        return self._pending

    def intervals(self) -> dict[Rating, timedelta]:
        """Next interval for each rating of the current item (Anki's button labels).

        Computed from the state the item had when it was shown, so after an answer the
        labels still tell what each override would do.
        """
        if self._current is None:
            return {}
        if self._intervals is None:
            self._intervals = self.scheduler.preview(self._current.item_id)
        return self._intervals

    def reveal(self) -> None:
        """Show a flashcard's answer."""
        self.revealed = True

    # -- answers ------------------------------------------------------------------------
    def rate(self, rating: Rating) -> Outcome:
        """Rate the current flashcard (after revealing it)."""
        view = self._require(FlashcardView)
        if not self.revealed:
            raise SessionError("reveal the answer before rating it")
        return self._record(
            view, rating, rating, correct=None, answer=None, seed=None, mistake=None
        )

    def answer_trap(self, choice: int | bool) -> Outcome:
        """Answer the current trap: an index (pick mode) or a bool (holds mode)."""
        view = self._require(TrapView)
        correct = view.judge(choice)
        duration = self._duration_ms()
        suggested = rating_from_outcome("trap", correct, duration)
        answer = str(choice) if view.mode == "pick" else ("holds" if choice else "does not hold")
        self.revealed = True
        return self._record(
            view,
            suggested,
            suggested,
            correct=correct,
            answer=answer,
            seed=None,
            mistake=None,
            duration=duration,
        )

    def answer_drill(self, answers: str | dict[str, str]) -> Outcome:
        """Grade typed answers. An unparsable answer raises ``AnswerParseError`` and
        records nothing."""
        view = self._require(DrillView)
        verdict = view.grade(answers)  # raises AnswerParseError before anything is recorded
        duration = self._duration_ms()
        suggested = rating_from_outcome("drill", verdict.correct, duration)
        self.revealed = True
        return self._record(
            view,
            suggested,
            suggested,
            correct=verdict.correct,
            answer=answer_text(answers),
            seed=view.seed,
            mistake=verdict.mistake,
            verdict=verdict,
            duration=duration,
        )

    def override(self, rating: Rating) -> Outcome:
        """Change the rating of the answer just given (before moving on)."""
        if self._pending is None or not self.history:
            raise SessionError("there is no answer to re-rate")
        last = self.history[-1]
        old = last.outcome
        return self._record(
            last.view,
            rating,
            old.suggested,
            correct=old.correct,
            answer=old.answer_text,
            seed=getattr(last.view, "seed", None),
            mistake=old.mistake,
            verdict=old.verdict,
            duration=old.duration_ms,
            replace=True,
        )

    def next(self) -> ItemView | None:
        """Move on to the next item (after answering the current one)."""
        if self._pending is None:
            raise SessionError("answer the current item first")
        self.position += 1
        self._present()
        return self._current

    def skip(self) -> ItemView | None:
        """Leave the current item unanswered and move it to the end of the queue."""
        if self._current is None or self._pending is not None:
            raise SessionError("nothing to skip")
        self.item_ids.append(self.item_ids.pop(self.position))
        self._present()
        return self._current

    def undo(self) -> ItemView | None:
        """Take back the last answer: the schedule and log are restored exactly and the
        same item (the same drill numbers) is shown again."""
        if not self.history:
            raise SessionError("nothing to undo")
        last = self.history[-1]
        if self.scheduler.undo_last() is None:
            raise SessionError(
                "the last answer cannot be undone: the item was answered elsewhere since"
            )
        self.history.pop()
        self.position = last.position
        self._pending = None
        self._intervals = None
        self.revealed = False
        self._current = last.view
        self._presented_at = self.clock.now()
        return self._current

    def summary(self) -> SessionSummary:
        return summarize([a.outcome for a in self.history], self.clock.now() - self.started_at)

    # -- internals ----------------------------------------------------------------------
    def _present(self) -> None:
        self._pending = None
        self._intervals = None
        self.revealed = False
        self._presented_at = self.clock.now()
        if self.finished:
            self._current = None
            return
        entry = self.catalog.items[self.item_ids[self.position]]
        self._current = self.views.build(entry)

    def _require(self, kind: type) -> ItemView:
        view = self._current
        if view is None:
            raise SessionError("the session is over")
        if self._pending is not None:
            raise SessionError("this item is already answered; move on or undo")
        if not isinstance(view, kind):
            raise SessionError(f"the current item is a {view.kind}")
        return view

    def _duration_ms(self) -> int:
        return elapsed_ms(self._presented_at, self.clock.now())

    def _record(
        self,
        view: ItemView,
        rating: Rating,
        suggested: Rating,
        *,
        correct: bool | None,
        answer: str | None,
        seed: int | None,
        mistake: str | None,
        verdict: Verdict | None = None,
        duration: int | None = None,
        replace: bool = False,
    ) -> Outcome:
        duration = self._duration_ms() if duration is None else duration
        if self._pending is None:
            self.intervals()  # keep the pre-answer labels for a later override
        # A re-rate swaps the last answer for the new one in one transaction.
        record = self.scheduler.rerate if replace else self.scheduler.answer
        result = record(
            view.item_id,
            view.kind,
            rating,
            mode=self.mode,
            answer=answer,
            seed=seed,
            mistake=mistake,
            correct=correct if correct is not None else rating != Rating.Again,
            duration_ms=duration,
            deck=view.deck,
            topic=view.topic,
            subkind=view.problem.kind if isinstance(view, DrillView) else None,
        )
        if result is None:
            raise SessionError(
                "this answer cannot be re-rated: the item was answered elsewhere since"
            )
        if replace:
            self.history.pop()
        outcome = Outcome(
            item_id=view.item_id,
            kind=view.kind,
            correct=correct,
            rating=rating,
            suggested=suggested,
            duration_ms=duration,
            due=result.due,
            verdict=verdict,
            answer_text=answer,
            leech=result.became_leech,
            mistake=mistake,
        )
        self.history.append(_Answered(self.position, view, outcome))
        self._pending = outcome
        return outcome
