"""The report of a mock interview: a frozen pydantic model that holds everything needed
to draw it again later (it is what ``Store.save_mock`` keeps, as JSON).

Scoring: a right answer is 1 point, a flashcard graded "partly" is ½, a wrong answer 0.
An unanswered question is neither right nor wrong: it earns no point and is counted apart.
``score`` = points / asked (what the interviewer saw); ``accuracy`` = points / answered
(how good the answers given were).
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "REPORT_VERSION",
    "MistakeLine",
    "MockReport",
    "QuestionResult",
    "ScoreLine",
    "Status",
    "TimeLine",
    "TrendPoint",
    "WeakArea",
]

REPORT_VERSION = 1
Status = Literal["right", "partly", "wrong", "unanswered"]
POINTS: dict[str, float] = {"right": 1.0, "partly": 0.5, "wrong": 0.0, "unanswered": 0.0}


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class QuestionResult(_Frozen):
    """One question as asked and answered."""

    number: int = Field(description="1-based position in the interview")
    item_id: str
    kind: str
    deck: str
    topic: str
    drill_kind: str | None = None
    prompt: str = Field(description="the question, shortened for tables")
    status: Status
    answer: str | None = Field(None, description="what the learner typed or chose")
    expected: str | None = Field(None, description="the model answer / the engine's value")
    time_ms: int = 0
    target_ms: int
    mistake: str | None = None
    mistake_explanation: str | None = None
    feedback: str | None = None
    seed: int | None = None
    rating: int | None = Field(None, description="the FSRS rating recorded (None: unanswered)")

    @property
    def points(self) -> float:
        return POINTS[self.status]

    @property
    def answered(self) -> bool:
        return self.status != "unanswered"

    @property
    def over_target(self) -> bool:
        return self.answered and self.time_ms > self.target_ms


class ScoreLine(_Frozen):
    """Counts and score of a group of questions (a topic, a kind, or all of them)."""

    name: str
    asked: int
    answered: int
    right: int
    partly: int
    wrong: int
    unanswered: int
    points: float

    @property
    def score(self) -> float:
        """points / asked, in [0, 1]."""
        return self.points / self.asked if self.asked else 0.0

    @property
    def accuracy(self) -> float | None:
        """points / answered, None when nothing was answered."""
        return self.points / self.answered if self.answered else None


class TimeLine(_Frozen):
    """Time spent on the answered questions of one kind against its per-question target."""

    kind: str
    answered: int
    mean_ms: int
    target_ms: int
    over_target: int


class MistakeLine(_Frozen):
    """A mistake the engine diagnosed, how often, and where."""

    mistake: str
    explanation: str
    count: int
    items: list[str]


class WeakArea(_Frozen):
    """One of the weakest areas, and what to review next."""

    area: Literal["topic", "drill kind"]
    name: str
    score: float = Field(description="smoothed accuracy of this mock and the review log")
    mock_points: float
    mock_answered: int
    review_items: list[str]


class TrendPoint(_Frozen):
    """One mock interview's score, for the trend line."""

    at: datetime
    score: float
    accuracy: float | None
    asked: int
    current: bool = False


class MockReport(_Frozen):
    """Everything about one finished mock interview."""

    version: int = REPORT_VERSION
    started_at: datetime
    finished_at: datetime
    ended_by: Literal["finished", "time"]
    minutes: int
    practice: bool
    topic: str | None
    seed: int
    questions: list[QuestionResult]
    score: float = Field(description="points / asked, in [0, 1] (kept flat for `quizapp stats`)")
    accuracy: float | None = Field(description="points / answered, None when nothing was answered")
    total: ScoreLine
    by_topic: list[ScoreLine]
    by_kind: list[ScoreLine]
    by_drill_kind: list[ScoreLine]
    time_by_kind: list[TimeLine]
    mistakes: list[MistakeLine]
    weakest: list[WeakArea]
    trend: list[TrendPoint]

    @property
    def elapsed_s(self) -> float:
        return (self.finished_at - self.started_at).total_seconds()

    def previous_score(self) -> float | None:
        """The score of the mock before this one, if any."""
        earlier = [p for p in self.trend if not p.current]
        return earlier[-1].score if earlier else None
