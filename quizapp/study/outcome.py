"""What an answer in a session leads to: the :class:`Outcome` shown for it (and kept for
the summary), what a study session keeps of it for undo and re-rate (:class:`Answered`,
:class:`Queues`) and the end-of-session :class:`SessionSummary`.

A module of their own, imported with the first answer, not at every start: a dataclass
costs some 4 M instructions to build (issue 16, the first card).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from fsrs import Rating

if TYPE_CHECKING:  # types only: the first card imports neither the engine nor the mock
    from quizapp.engine.drills.models import Verdict
    from quizapp.srs.answers import AnswerResult
    from quizapp.study.items import ItemView
    from quizapp.study.record import AnswerRecord

__all__ = ["Answered", "Outcome", "Queues", "SessionSummary", "outcome_of", "summarize"]


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
    choice: int | bool | None = None  # a trap's answer: a statement index, or holds / not


@dataclass(frozen=True)
class SessionSummary:
    """The end-of-session figures. ``scheduled`` is False for cram and drill practice:
    their answers were logged but no rating moved a schedule. ``learning_left`` items
    are still in a learning step due later than the learn-ahead window (the next at
    ``next_learning``): the session ended without them, as Anki's does.

    ``studied_ms`` is the time studied: the sum of the answers' durations (each from the
    item shown to the answer), the figure the review log keeps per answer and home sums
    for the day (``DayCounts.time_ms``), so the two agree. ``elapsed`` is the session's
    wall-clock length (start-up and pauses included), kept with the session's figures."""

    answered: int
    correct: int
    graded: int
    again: int
    elapsed: timedelta
    leeches: tuple[str, ...]
    next_due: datetime | None
    scheduled: bool = True
    learning_left: int = 0
    next_learning: datetime | None = None
    studied_ms: int = 0
    left: int = 0  # items still to show when the learner ended the session early (0: done)

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.graded if self.graded else None


def summarize(
    outcomes: Sequence[Outcome],
    elapsed: timedelta,
    *,
    scheduled: bool = True,
    learning_left: int = 0,
    next_learning: datetime | None = None,
    left: int = 0,
) -> SessionSummary:
    """The end-of-session figures for ``outcomes`` (any session that yields Outcomes)."""
    graded = [o for o in outcomes if o.correct is not None]
    # An item answered again in the session (relearnt, or shown early by learn-ahead) is
    # due when its latest answer says: the earlier steps were superseded.
    latest = {o.item_id: o for o in outcomes}
    return SessionSummary(
        answered=len(outcomes),
        correct=sum(1 for o in graded if o.correct),
        graded=len(graded),
        again=sum(1 for o in outcomes if o.rating == Rating.Again),
        elapsed=elapsed,
        leeches=tuple(o.item_id for o in outcomes if o.leech),
        next_due=min((o.due for o in latest.values() if o.due is not None), default=None)
        if scheduled
        else None,
        scheduled=scheduled,
        # a cram's Again only brings an item back within the session: nothing is left
        # "still learning" with a time to come back once it ends
        learning_left=learning_left if scheduled else 0,
        next_learning=next_learning if scheduled else None,
        studied_ms=sum(o.duration_ms for o in outcomes),
        left=left,
    )


@dataclass(frozen=True)
class Queues:
    """Where the items still to show stood when an item was on screen: the queue in order,
    the learning steps by due time, and the count that item was in (new / learning /
    review; an answer changes only its own, and answers are undone last first)."""

    queue: tuple[str, ...]
    learning: tuple[tuple[str, datetime], ...]
    item: str
    bucket: str


@dataclass(frozen=True)
class Answered:
    """One answer of a study session, as it keeps it for undo and re-rate."""

    position: int
    view: ItemView
    record: AnswerRecord
    outcome: Outcome
    before: Queues  # the queues as they were with this item on screen (undo, re-rate)


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
