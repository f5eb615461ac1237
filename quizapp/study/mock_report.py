"""The report of a mock interview: a frozen pydantic model that holds everything needed
to draw it again later (it is what ``Store.save_mock`` keeps, as JSON).

Each question keeps what is needed to open it again: your answer beside the model answer
(a flashcard), the statements with the trap marked and your choice (a trap), each field you
typed beside the engine's exact value and the worked solution (a drill). Values are the
engine's ``answers_text``/``value_text``, so every value shown as exact is gradeable.

Scoring: a right answer is 1 point, a flashcard graded "partly" is ½, a wrong answer 0.
An unanswered question is neither right nor wrong: it earns no point and is counted apart.
A flashcard whose model answer was shown but which was never graded (the time ran out)
is unanswered too, and keeps the typed text (``QuestionResult.unrated``).
``score`` = points / asked (what the interviewer saw); ``accuracy`` = points / answered
(how good the answers given were).
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "REPORT_VERSION",
    "AnswerLine",
    "MistakeLine",
    "MockReport",
    "QuestionResult",
    "ScoreLine",
    "Status",
    "StepLine",
    "StatementLine",
    "TimeLine",
    "TrendPoint",
    "WeakArea",
]

REPORT_VERSION = 2  # 2: titles, full answers and solutions per question
Status = Literal["right", "partly", "wrong", "unanswered"]
POINTS: dict[str, float] = {"right": 1.0, "partly": 0.5, "wrong": 0.0, "unanswered": 0.0}


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AnswerLine(_Frozen):
    """One answer field of a drill: what was typed beside the exact value."""

    label: str
    given: str | None = Field(None, description="as typed; None when left empty")
    expected: str = Field(description="the exact value as the engine shows it (gradeable)")
    correct: bool | None = Field(None, description="None: not graded (left empty)")


class StepLine(_Frozen):
    """One line of a drill's worked solution: ``label = expression = value``."""

    label: str
    expression: str
    value: str | None = None


class StatementLine(_Frozen):
    """One statement of a trap as it was shown: whether it is the false one, and chosen."""

    text: str
    false: bool
    chosen: bool = False


class QuestionResult(_Frozen):
    """One question as asked and answered."""

    number: int = Field(description="1-based position in the interview")
    item_id: str
    title: str = Field("", description="the item's title (study.format.item_title)")
    kind: str
    deck: str
    topic: str
    drill_kind: str | None = None
    prompt: str = Field(description="the question, shortened for tables")
    status: Status
    answer: str | None = Field(
        None,
        description="what the learner typed or chose; on an unanswered flashcard, the text "
        "typed before the reveal when it was never graded (see `unrated`)",
    )
    expected: str | None = Field(None, description="the model answer / the engine's value")
    time_ms: int = 0
    target_ms: int
    mistake: str | None = None
    mistake_explanation: str | None = None
    feedback: str | None = None
    seed: int | None = None
    rating: int | None = Field(None, description="the FSRS rating recorded (None: unanswered)")
    question: str = Field("", description="the question in full, as asked")
    answer_lines: list[AnswerLine] = Field(default_factory=list, description="a drill's fields")
    solution: list[StepLine] = Field(default_factory=list, description="a drill's worked steps")
    statements: list[StatementLine] = Field(default_factory=list, description="a trap's")
    explanation: str | None = Field(None, description="a trap's why-wrong and correction")

    @property
    def name(self) -> str:
        """What the question is called in lists: its title (reports before version 2: the
        shortened prompt)."""
        return self.title or self.prompt

    @property
    def points(self) -> float:
        return POINTS[self.status]

    @property
    def answered(self) -> bool:
        return self.status != "unanswered"

    @property
    def unrated(self) -> bool:
        """An answer was typed (and the model answer shown) but never graded: the time ran
        out or the interview ended first. It earns nothing and counts as unanswered, but
        the text is kept."""
        return self.status == "unanswered" and self.answer is not None

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
    unrated: int = Field(0, description="of the unanswered: typed but never graded")

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
    history_answered: int = Field(0, description="answers in this area before the mock")
    history_correct: int = Field(0, description="how many of those were right")
    review_items: list[str]
    review_titles: list[str] = Field(
        default_factory=list, description="the titles of review_items, in the same order"
    )


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
