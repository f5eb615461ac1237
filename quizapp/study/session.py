"""A study session: a queue of items presented one at a time, each answer committed
the moment it is given.

Screens hold a :class:`StudySession`, render its :meth:`StudySession.state` snapshot and
send intents: ``reveal`` / ``show_hint``, ``answer_trap`` / ``answer_drill``, ``choose``
(rate a flashcard, or re-rate an automatic rating, then move on), ``next``, ``skip``,
``undo``. The session grades, picks the rating (:func:`quizapp.study.rules.auto_rating`)
and records the answer through the scheduler before returning. ``override`` changes the
rating of the answer just given (the old answer out and the new one in, in one
transaction); ``undo`` takes the last answer back and shows that item again.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

from fsrs import Rating

from quizapp.decks.loader import Catalog
from quizapp.engine.drills.models import Verdict
from quizapp.srs.scheduler import AnswerResult, ReviewScheduler
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
from quizapp.study.record import AnswerRecord
from quizapp.study.rules import auto_rating, schedules, study_actions
from quizapp.study.state import Outcome, SessionSummary, StudyState, summarize

__all__ = ["Mode", "Outcome", "SessionError", "SessionSummary", "StudySession", "summarize"]

Mode = Literal["review", "study", "cram"]


class SessionError(Exception):
    """An action that does not fit the session's state (e.g. rating before revealing)."""


@dataclass(frozen=True)
class _Answered:
    position: int
    view: ItemView
    record: AnswerRecord
    outcome: Outcome


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
        self.hint_shown = False
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

    def state(self) -> StudyState:
        """The snapshot a screen renders: the item, its answer, intervals, allowed intents."""
        view = self._current
        answered = self._pending is not None
        return StudyState(
            mode=self.mode,
            view=view,
            revealed=self.revealed,
            hint_shown=self.hint_shown,
            outcome=self._pending,
            intervals=self.intervals() if schedules(self.mode) else {},
            allowed=study_actions(
                view,
                mode=self.mode,
                revealed=self.revealed,
                answered=answered,
                hint_shown=self.hint_shown,
                undoable=bool(self.history),
                remaining=self.total - self.position,
            ),
            position=self.position,
            total=self.total,
            answered_count=len(self.history),
        )

    def reveal(self) -> None:
        """Show a flashcard's answer."""
        self.revealed = True

    def show_hint(self) -> None:
        """Show the current flashcard's hint (as in Anki, only when asked for)."""
        self.hint_shown = True

    # -- answers ------------------------------------------------------------------------
    def rate(self, rating: Rating) -> Outcome:
        """Rate the current flashcard (after revealing it)."""
        view = self._require(FlashcardView)
        if not self.revealed:
            raise SessionError("reveal the answer before rating it")
        record = AnswerRecord.of(
            view, rating, mode=self.mode, duration_ms=self._duration_ms(), correct=None
        )
        return self._record(view, record, suggested=rating)

    def answer_trap(self, choice: int | bool) -> Outcome:
        """Answer the current trap: an index (pick mode) or a bool (holds mode)."""
        view = self._require(TrapView)
        correct = view.judge(choice)
        duration = self._duration_ms()
        suggested = auto_rating(view, correct, duration)
        answer = str(choice) if view.mode == "pick" else ("holds" if choice else "does not hold")
        self.revealed = True
        record = AnswerRecord.of(
            view, suggested, mode=self.mode, duration_ms=duration, correct=correct, answer=answer
        )
        return self._record(view, record, suggested=suggested, choice=choice)

    def answer_drill(self, answers: str | dict[str, str]) -> Outcome:
        """Grade typed answers. An unparsable answer raises ``AnswerParseError`` and
        records nothing."""
        view = self._require(DrillView)
        verdict = view.grade(answers)  # raises AnswerParseError before anything is recorded
        duration = self._duration_ms()
        suggested = auto_rating(view, verdict.correct, duration)
        self.revealed = True
        record = AnswerRecord.of(
            view,
            suggested,
            mode=self.mode,
            duration_ms=duration,
            correct=verdict.correct,
            answer=answer_text(answers),
            mistake=verdict.mistake,
        )
        return self._record(view, record, suggested=suggested, verdict=verdict)

    def override(self, rating: Rating) -> Outcome:
        """Change the rating of the answer just given (before moving on)."""
        if self._pending is None or not self.history:
            raise SessionError("there is no answer to re-rate")
        last = self.history[-1]
        old = last.outcome
        return self._record(
            last.view,
            last.record.with_rating(rating),
            suggested=old.suggested,
            verdict=old.verdict,
            choice=old.choice,
            replace=True,
        )

    def choose(self, rating: Rating) -> None:
        """The learner's rating key: rate a revealed flashcard, or change the automatic
        rating of an answered item when it differs; then go on to the next item."""
        outcome = self._pending
        if outcome is None:
            self.rate(rating)
        elif rating != outcome.rating:
            self.override(rating)
        self.next()

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
        self.hint_shown = False
        self._current = last.view
        self._presented_at = self.clock.now()
        return self._current

    def summary(self) -> SessionSummary:
        return summarize(
            [a.outcome for a in self.history],
            self.clock.now() - self.started_at,
            scheduled=schedules(self.mode),
        )

    # -- internals ----------------------------------------------------------------------
    def _present(self) -> None:
        self._pending = None
        self._intervals = None
        self.revealed = False
        self.hint_shown = False
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
        record: AnswerRecord,
        *,
        suggested: Rating,
        verdict: Verdict | None = None,
        choice: int | bool | None = None,
        replace: bool = False,
    ) -> Outcome:
        if self._pending is None:
            self.intervals()  # keep the pre-answer labels for a later override
        # A re-rate swaps the last answer for the new one in one transaction.
        result = record.commit(self.scheduler, replace=replace)
        if result is None:
            raise SessionError(
                "this answer cannot be re-rated: the item was answered elsewhere since"
            )
        if replace:
            self.history.pop()
        outcome = outcome_of(record, result, suggested=suggested, verdict=verdict, choice=choice)
        self.history.append(_Answered(self.position, view, record, outcome))
        self._pending = outcome
        return outcome


def outcome_of(
    record: AnswerRecord,
    result: AnswerResult | None,
    *,
    suggested: Rating,
    verdict: Verdict | None = None,
    choice: int | bool | None = None,
) -> Outcome:
    """The outcome shown for a committed ``record`` (``result`` None: nothing scheduled)."""
    return Outcome(
        item_id=record.item_id,
        kind=record.kind,
        correct=record.correct,
        rating=record.rating,
        suggested=suggested,
        duration_ms=record.duration_ms,
        due=result.due if result is not None and record.mode != "cram" else None,
        verdict=verdict,
        answer_text=record.answer,
        leech=result.became_leech if result is not None else False,
        mistake=record.mistake,
        choice=choice,
    )
