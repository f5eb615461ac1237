"""The frozen snapshots sessions hand to screens, and the outcome records inside them.

A screen holds a session (:class:`Session` for study, cram and drill practice; a
:class:`quizapp.study.mock.MockInterview`), asks it for ``state()`` after every intent,
renders that snapshot and enables exactly the intents in ``state.allowed``
(:mod:`quizapp.study.rules` decides them). Nothing on screen is computed from the
session's internals, so a screen can be tested by the snapshots it was given.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Literal, Protocol

from fsrs import Rating

from quizapp.study.items import ItemView, TrapView
from quizapp.study.rules import SessionMode

if TYPE_CHECKING:  # types only: the first card imports neither the engine nor the mock
    from quizapp.engine.drills.models import Verdict

__all__ = [
    "Outcome",
    "QueueCounts",
    "QuestionState",
    "Rating",
    "Session",
    "SessionSummary",
    "StudyState",
    "summarize",
]

QuestionState = Literal["new", "seen", "skipped", "answered"]


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
class QueueCounts:
    """Anki's three numbers above the card: new, learning and review items still to show
    in this session; ``current`` is the count the item on screen is in (None once it is
    answered)."""

    new: int
    learning: int
    review: int
    current: str | None = None

    @property
    def total(self) -> int:
        return self.new + self.learning + self.review


@dataclass(frozen=True)
class StudyState:
    """What the study screen shows now, and which intents the session accepts.

    ``intervals`` holds the time until the item is due again for each rating, as Anki
    labels its buttons; it is empty when ratings do not move the schedule (cram, drill
    practice), so no screen can show an interval that will not apply.
    """

    mode: SessionMode
    view: ItemView | None
    revealed: bool
    hint_shown: bool
    outcome: Outcome | None
    intervals: Mapping[Rating, timedelta]
    allowed: frozenset[str]
    position: int
    total: int  # 0: endless (drill practice)
    answered_count: int
    counts: QueueCounts | None = None  # None: endless (drill practice)
    experiment: str | None = None  # the lab experiment "see it" opens (once answered)

    @property
    def finished(self) -> bool:
        return self.view is None

    @property
    def answered(self) -> bool:
        return self.outcome is not None

    @property
    def scheduled(self) -> bool:
        return self.mode in ("review", "study")

    def allows(self, action: str, *parameters: object) -> bool:
        """Whether ``action`` (with its parameters, as a key binding passes them) applies."""
        if action not in self.allowed:
            return False
        if action == "pick":
            # pick(index) or pick(index, count): count, when given, is how many statements
            # the key binding is for (the footer's a–c … a–f)
            view = self.view
            index = parameters[0] if parameters else None
            count = parameters[1] if len(parameters) > 1 else None
            return (
                isinstance(view, TrapView)
                and isinstance(index, int)
                and not isinstance(index, bool)
                and 0 <= index < len(view.statements)
                and (count is None or count == len(view.statements))
            )
        if action == "rate" and parameters:
            return parameters[0] in (1, 2, 3, 4)
        return True


class Session(Protocol):
    """What a study screen drives: a study/review/cram session or free drill practice."""

    def state(self) -> StudyState: ...
    def reveal(self) -> None: ...
    def show_hint(self) -> None: ...
    def answer_trap(self, choice: int | bool) -> Outcome: ...
    def answer_drill(self, answers: str | dict[str, str]) -> Outcome: ...
    def choose(self, rating: Rating) -> None: ...
    def next(self) -> ItemView | None: ...
    def skip(self) -> ItemView | None: ...
    def undo(self) -> ItemView | None: ...
    def summary(self) -> SessionSummary: ...
