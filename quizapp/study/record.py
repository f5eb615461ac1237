"""One answer as the progress log keeps it, built in one place for every kind of session.

Study, cram, drill practice and mock interviews all record answers through
:meth:`AnswerRecord.commit`, which makes the one ``ReviewScheduler.answer(...)`` call:
the item, deck, topic, drill kind and seed are read off the view that was shown, so no
session spells the dozen keywords out again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, overload

from fsrs import Rating

from quizapp.srs.scheduler import ReviewScheduler
from quizapp.study.items import DrillView, ItemView
from quizapp.study.rules import RecordMode

if TYPE_CHECKING:
    from quizapp.srs.answers import AnswerResult

__all__ = ["AnswerRecord"]


@dataclass(frozen=True, slots=True)
class AnswerRecord:
    """What one answer writes to the log (and, unless ``mode`` is cram, to the schedule)."""

    item_id: str
    kind: str
    rating: Rating
    mode: RecordMode
    deck: str
    topic: str
    duration_ms: int
    correct: bool | None = None  # None: the scheduler's default, rating != Again (flashcards)
    answer: str | None = None
    seed: int | None = None
    mistake: str | None = None
    subkind: str | None = None  # the drill kind, for accuracy by drill
    meta: Mapping[str, Any] | None = None

    @classmethod
    def of(
        cls,
        view: ItemView,
        rating: Rating,
        *,
        mode: RecordMode,
        duration_ms: int,
        correct: bool | None = None,
        answer: str | None = None,
        mistake: str | None = None,
        meta: Mapping[str, Any] | None = None,
    ) -> AnswerRecord:
        """The record of an answer to ``view``: item, deck, topic, drill kind and seed come
        from the view (a drill's seed reproduces its numbers)."""
        drill = view if isinstance(view, DrillView) else None
        return cls(
            item_id=view.item_id,
            kind=view.kind,
            rating=rating,
            mode=mode,
            deck=view.deck,
            topic=view.topic,
            duration_ms=duration_ms,
            correct=correct,
            answer=answer,
            seed=drill.seed if drill else None,
            mistake=mistake,
            subkind=drill.problem.kind if drill else None,
            meta=meta,
        )

    def with_rating(self, rating: Rating) -> AnswerRecord:
        """The same answer with another rating (an override of the automatic one)."""
        return replace(self, rating=rating)

    @overload
    def commit(self, scheduler: ReviewScheduler) -> AnswerResult: ...
    @overload
    def commit(self, scheduler: ReviewScheduler, *, replace: bool) -> AnswerResult | None: ...

    def commit(self, scheduler: ReviewScheduler, *, replace: bool = False) -> AnswerResult | None:
        """Record it; the log row and the new state are committed before this returns.

        ``replace``: it takes the place of the scheduler's last answer (a re-rating), the
        old answer out and this one in, in one transaction; None, with nothing changed,
        when that answer can no longer be replaced (its item was answered elsewhere)."""
        record = scheduler.rerate if replace else scheduler.answer
        return record(
            self.item_id,
            self.kind,
            self.rating,
            mode=self.mode,
            answer=self.answer,
            seed=self.seed,
            mistake=self.mistake,
            correct=self.correct,
            duration_ms=self.duration_ms,
            deck=self.deck,
            topic=self.topic,
            subkind=self.subkind,
            meta=dict(self.meta) if self.meta is not None else None,
        )
