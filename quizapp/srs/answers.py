"""What answering records: the logged review the store hands back (:class:`Review`), the
draft the scheduler asks it to log (:class:`ReviewDraft`) and what an answer or its undo did
(:class:`AnswerResult`, :class:`UndoResult`).

A module of their own, imported when the first answer is recorded or the log is read,
not at every start: a dataclass costs some 4 M instructions to build (issue 16, the
first card). Frozen slotted dataclasses, as :mod:`quizapp.srs.records`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from fsrs import Rating

from quizapp.srs.days import from_ms
from quizapp.srs.records import NEW, CardState

__all__ = ["AnswerResult", "Review", "ReviewDraft", "UndoResult"]


@dataclass(frozen=True, slots=True)
class Review:
    """One logged answer.

    ``prev_state``/``prev_interval_days`` describe the item just before this answer
    (for true retention: young/mature, review state); ``first_of_day`` says whether it
    was the item's first review of that study day; ``day`` is the study-day ordinal.
    """

    id: int
    item_id: str
    kind: str
    at: datetime
    day: int
    mode: str
    rating: Rating
    correct: bool
    duration_ms: int | None = None
    answer: str | None = None
    seed: int | None = None
    mistake: str | None = None
    prev_state: int = NEW
    prev_interval_days: float | None = None
    first_of_day: bool = True
    meta: dict[str, Any] | None = field(default=None)

    @classmethod
    def from_row(cls, row: Any) -> Review:
        return cls(
            id=row["id"],
            item_id=row["item_id"],
            kind=row["kind"],
            at=from_ms(row["ts"]),
            day=row["day"],
            mode=row["mode"],
            rating=Rating(row["rating"]),
            correct=bool(row["correct"]),
            duration_ms=row["duration_ms"],
            answer=row["answer"],
            seed=row["seed"],
            mistake=row["mistake"],
            prev_state=row["prev_state"],
            prev_interval_days=row["prev_ivl"],
            first_of_day=bool(row["first_of_day"]),
            meta=json.loads(row["meta"]) if row["meta"] else None,
        )


@dataclass(frozen=True, slots=True)
class ReviewDraft:
    """What the scheduler asks the store to log (the store adds ids and context)."""

    at: datetime
    day: int
    mode: str
    rating: Rating
    correct: bool
    duration_ms: int | None = None
    answer: str | None = None
    seed: int | None = None
    mistake: str | None = None
    first_of_day: bool = True
    meta: dict[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class AnswerResult:
    """What an answer did: the logged review, the new state and what to tell the learner."""

    review: Review
    state: CardState
    previous: CardState | None
    due: datetime | None
    interval: timedelta | None
    became_leech: bool
    lapsed: bool


@dataclass(frozen=True, slots=True)
class UndoResult:
    """The answer that was taken back and the state the item is in again (None = new)."""

    review: Review
    state: CardState | None
