"""The frozen snapshots sessions hand to screens (the outcome of an answer, inside them
once one is given, is in :mod:`quizapp.study.outcome`).

A screen holds a session (:class:`Session` for study, cram and drill practice; a
:class:`quizapp.study.mock.MockInterview`), asks it for ``state()`` after every intent,
renders that snapshot and enables exactly the intents in ``state.allowed``
(:mod:`quizapp.study.rules` decides them). Nothing on screen is computed from the
session's internals, so a screen can be tested by the snapshots it was given.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Literal, Protocol

from quizapp.plain import Frozen
from quizapp.study.items import ItemView, TrapView
from quizapp.study.rules import SessionMode

if TYPE_CHECKING:  # types only: the first card imports neither the engine nor the mock,
    # nor the records an answer makes (quizapp.study.outcome), nor fsrs (the ratings)
    from fsrs import Rating

    from quizapp.study.outcome import Outcome, SessionSummary

__all__ = ["QueueCounts", "QuestionState", "Rating", "Session", "StudyState"]

QuestionState = Literal["new", "seen", "skipped", "answered"]


class QueueCounts(Frozen):
    """Anki's three numbers above the card: new, learning and review items still to show
    in this session; ``current`` is the count the item on screen is in (None once it is
    answered)."""

    __slots__ = ("new", "learning", "review", "current")
    new: int
    learning: int
    review: int
    current: str | None

    def __init__(
        self,
        new: int,
        learning: int,
        review: int,
        current: str | None = None,
    ) -> None:
        setattr_ = object.__setattr__
        setattr_(self, "new", new)
        setattr_(self, "learning", learning)
        setattr_(self, "review", review)
        setattr_(self, "current", current)

    @property
    def total(self) -> int:
        return self.new + self.learning + self.review


class StudyState(Frozen):
    """What the study screen shows now, and which intents the session accepts.

    ``intervals`` holds the time until the item is due again for each rating, as Anki
    labels its buttons; it is empty when ratings do not move the schedule (cram, drill
    practice), so no screen can show an interval that will not apply.
    """

    __slots__ = (
        "mode",
        "view",
        "revealed",
        "hint_shown",
        "outcome",
        "intervals",
        "allowed",
        "position",
        "total",
        "answered_count",
        "counts",
        "experiment",
    )
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
    counts: QueueCounts | None  # None: endless (drill practice)
    experiment: str | None  # the lab experiment "see it" opens (once answered)

    def __init__(
        self,
        mode: SessionMode,
        view: ItemView | None,
        revealed: bool,
        hint_shown: bool,
        outcome: Outcome | None,
        intervals: Mapping[Rating, timedelta],
        allowed: frozenset[str],
        position: int,
        total: int,
        answered_count: int,
        counts: QueueCounts | None = None,
        experiment: str | None = None,
    ) -> None:
        setattr_ = object.__setattr__
        setattr_(self, "mode", mode)
        setattr_(self, "view", view)
        setattr_(self, "revealed", revealed)
        setattr_(self, "hint_shown", hint_shown)
        setattr_(self, "outcome", outcome)
        setattr_(self, "intervals", intervals)
        setattr_(self, "allowed", allowed)
        setattr_(self, "position", position)
        setattr_(self, "total", total)
        setattr_(self, "answered_count", answered_count)
        setattr_(self, "counts", counts)
        setattr_(self, "experiment", experiment)

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


def __getattr__(name: str) -> Any:
    if name == "Rating":  # re-exported for the screens; fsrs is imported when first asked
        from fsrs import Rating

        return Rating
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
