"""The frozen snapshots of a mock interview (:class:`quizapp.study.mock.MockInterview`)
that the mock screens render, as :mod:`quizapp.study.state` has the study session's.

A module of their own, imported with the mock: a review's first card does not build them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from quizapp.study.items import DrillView, ItemView
from quizapp.study.state import QuestionState

if TYPE_CHECKING:  # types only
    from quizapp.engine.drills.models import Verdict
    from quizapp.study.mock_report import Status

__all__ = ["MockState", "QuestionSnapshot"]


@dataclass(frozen=True)
class QuestionSnapshot:
    """One mock question as shown: what was asked and what has happened to it."""

    number: int
    kind: str
    topic: str
    title: str
    view: ItemView
    state: QuestionState
    revealed: bool
    typed: str | None
    status: Status
    answer: str | None
    verdict: Verdict | None
    target_ms: int

    @property
    def answered(self) -> bool:
        return self.state == "answered"

    @property
    def drill(self) -> DrillView | None:
        return self.view if isinstance(self.view, DrillView) else None


@dataclass(frozen=True)
class MockState:
    """A running mock interview as the mock screen shows it."""

    questions: tuple[QuestionSnapshot, ...]
    position: int
    practice: bool
    remaining: timedelta
    time_up: bool
    finished: bool
    allowed: frozenset[str]

    @property
    def current(self) -> QuestionSnapshot:
        return self.questions[self.position]

    @property
    def total(self) -> int:
        return len(self.questions)

    @property
    def answered_count(self) -> int:
        return sum(1 for q in self.questions if q.answered)

    def allows(self, action: str, *parameters: object) -> bool:
        """Whether ``action`` applies now (``goto`` needs a question number in range)."""
        if action not in self.allowed:
            return False
        if action == "goto" and parameters:
            index = parameters[0]
            return isinstance(index, int) and 0 <= index < self.total
        return True
