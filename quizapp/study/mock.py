"""A timed mock interview, UI-free: the screens render it and send the learner's intents.

::

    mock = MockInterview.start(catalog, scheduler, clock, MockConfig(minutes=20, questions=12))
    mock.state()                      # the frozen snapshot a screen renders (MockState)
    mock.current                      # the MockQuestion on screen (view = Flashcard/Trap/DrillView)
    mock.reveal("my typed answer")    # a flashcard: show the model answer ...
    mock.grade_flashcard("partly")    # ... and grade yourself right / partly / wrong
    mock.answer_trap(2)               # a trap: an index (pick) or a bool (holds)
    mock.answer_drill("0.0123")       # a drill: graded by the engine (AnswerParseError costs nothing)
    mock.skip(); mock.goto(4); mock.next(); mock.prev()
    mock.remaining()                  # time left, from the injected clock
    report = mock.finish()            # MockReport, saved with store.save_mock

Every answer is recorded the moment it is given, through
an :class:`quizapp.study.record.AnswerRecord` in ``mode="mock"`` with the automatic rating:
wrong → Again (so the item becomes due); a trap or drill answered right → Easy / Good /
Hard by the time taken against the kind's mock target
(:func:`quizapp.study.rules.auto_rating`; a trap is never Easy). A flashcard the learner
grades themself is right → Good, "partly" → Hard
(:func:`quizapp.study.rules.self_graded_rating`): the time measured is the time to the
reveal, not to an answer (it may have been said aloud, or not at all), so a self-graded
answer is never Easy, as in the study loop. An unanswered question is not recorded. When
the time is up no answer is accepted any more and the unanswered questions stay
unanswered (not wrong).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

from fsrs import Rating
from pydantic import BaseModel, ConfigDict, Field

from quizapp.decks.loader import Catalog
from quizapp.engine.drills import Verdict
from quizapp.srs.scheduler import ReviewScheduler
from quizapp.study.clock import Clock
from quizapp.study.items import (
    DrillView,
    FlashcardView,
    TrapView,
    ViewFactory,
    answer_text,
    elapsed_ms,
)
from quizapp.study.mock_question import (
    MOCK_TARGET_MS,
    FlashcardGrade,
    MockQuestion,
    question_result,
    split_fields,
)
from quizapp.study.mock_report import MockReport, Status
from quizapp.study.mock_scoring import build_report
from quizapp.study.mock_select import (
    MockPlanError,
    Weakness,
    load_weakness,
    plan_questions,
)
from quizapp.study.mock_state import MockState
from quizapp.study.record import AnswerRecord
from quizapp.study.rules import auto_rating, mock_actions, self_graded_rating
from quizapp.study.state import QuestionState

__all__ = [
    "MOCK_TARGET_MS",
    "FlashcardGrade",
    "MINUTES",
    "QUESTIONS",
    "MockConfig",
    "MockError",
    "MockFormError",
    "MockInterview",
    "MockPlanError",
    "MockQuestion",
    "QuestionState",
    "config_from_form",
]


class MockError(Exception):
    """An action that does not fit the interview's state (time is up, already answered...)."""


#: The allowed lengths of an interview (inclusive); the form, the command and the model
#: use the same bounds.
MINUTES = (1, 240)
QUESTIONS = (1, 100)


class MockConfig(BaseModel):
    """What the learner asked for. ``seed=None`` draws one (kept in the report)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    minutes: int = Field(20, ge=MINUTES[0], le=MINUTES[1])
    questions: int = Field(12, ge=QUESTIONS[0], le=QUESTIONS[1])
    topic: str | None = None
    seed: int | None = Field(None, ge=0)
    practice: bool = False


class MockFormError(ValueError):
    """A value of the mock setup form that cannot be used: ``field`` names the box, the
    message says what to type (our words, never a validation library's)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def _whole(field: str, text: str, bounds: tuple[int, int], unit: str) -> int:
    lo, hi = bounds
    want = f"type a whole number of {unit} from {lo} to {hi}"
    text = text.strip()
    if not text:
        raise MockFormError(field, f"{field.capitalize()}: empty; {want}.")
    try:
        value = int(text)
    except ValueError:
        raise MockFormError(
            field, f"{field.capitalize()}: {text!r} is not a whole number; {want}."
        ) from None
    if not lo <= value <= hi:
        raise MockFormError(field, f"{field.capitalize()}: {value} is out of range; {want}.")
    return value


def config_from_form(
    minutes: str,
    questions: str,
    *,
    topic: str | None = None,
    practice: bool = False,
    seed: int | None = None,
) -> MockConfig:
    """The setup form's text as a :class:`MockConfig`, or :class:`MockFormError` naming
    the first box to fix and what to type there."""
    return MockConfig(
        minutes=_whole("minutes", minutes, MINUTES, "minutes"),
        questions=_whole("questions", questions, QUESTIONS, "questions"),
        topic=topic,
        practice=practice,
        seed=seed,
    )


@dataclass
class MockInterview:
    """A mock interview in progress (build it with :meth:`start`)."""

    catalog: Catalog
    scheduler: ReviewScheduler
    clock: Clock
    config: MockConfig
    seed: int
    questions: list[MockQuestion]
    weakness: Weakness
    started_at: datetime
    position: int = 0
    report: MockReport | None = None
    mock_id: int | None = None
    _shown_at: datetime = field(init=False)

    def __post_init__(self) -> None:
        if not self.questions:
            raise MockError("a mock interview needs at least one question")
        self._shown_at = self.started_at
        self.questions[0].state = "seen"

    # ------------------------------------------------------------------ building
    @classmethod
    def start(
        cls,
        catalog: Catalog,
        scheduler: ReviewScheduler,
        clock: Clock,
        config: MockConfig | None = None,
        *,
        item_ids: list[str] | None = None,
    ) -> MockInterview:
        """Pick the questions (weighted by the review log; ``item_ids`` fixes them instead)
        and start the clock. Raises :class:`MockPlanError` when nothing can be asked."""
        config = config or MockConfig()
        seed = config.seed if config.seed is not None else random.SystemRandom().randrange(2**31)
        now = clock.now()
        weakness = load_weakness(scheduler.store, catalog, now)
        if item_ids is not None:
            missing = [i for i in item_ids if i not in catalog.items]
            if missing:
                raise MockPlanError(f"unknown item ids: {', '.join(missing)}")
            entries = [catalog.items[i] for i in item_ids]
        else:
            entries = plan_questions(
                catalog, weakness, questions=config.questions, seed=seed, topic=config.topic
            )
        if not entries:
            raise MockPlanError("there are no items to ask")
        # Views get their own stream, so a drill's numbers do not depend on how the
        # selection consumed random numbers.
        views = ViewFactory(random.Random(seed ^ 0x5EED))
        questions = [MockQuestion(i + 1, e, views.build(e)) for i, e in enumerate(entries)]
        return cls(catalog, scheduler, clock, config, seed, questions, weakness, now)

    # -------------------------------------------------------------------- time
    @property
    def deadline(self) -> datetime:
        return self.started_at + timedelta(minutes=self.config.minutes)

    def remaining(self) -> timedelta:
        """Time left (never negative)."""
        return max(timedelta(0), self.deadline - self.clock.now())

    @property
    def time_up(self) -> bool:
        return self.clock.now() >= self.deadline

    @property
    def finished(self) -> bool:
        return self.report is not None

    @property
    def practice(self) -> bool:
        """Practice style: feedback after each answer (exam style: only in the report)."""
        return self.config.practice

    def state(self) -> MockState:
        """The snapshot the mock screen renders: every question, the time, allowed intents."""
        q = self.current
        unanswered = sum(1 for other in self.questions if not other.answered)
        return MockState(
            questions=tuple(question.snapshot() for question in self.questions),
            position=self.position,
            practice=self.practice,
            remaining=self.remaining(),
            time_up=self.time_up,
            finished=self.finished,
            allowed=mock_actions(
                q.kind,
                revealed=q.revealed,
                answered=q.answered,
                open_=not self.finished and not self.time_up,
                others_unanswered=unanswered - (0 if q.answered else 1),
            ),
        )

    # -------------------------------------------------------------- navigation
    @property
    def total(self) -> int:
        return len(self.questions)

    @property
    def current(self) -> MockQuestion:
        return self.questions[self.position]

    @property
    def answered_count(self) -> int:
        return sum(1 for q in self.questions if q.answered)

    def goto(self, index: int) -> MockQuestion:
        """Show question ``index`` (0-based); leaving an unanswered one marks it skipped."""
        if not 0 <= index < self.total:
            raise MockError(f"there is no question {index + 1} (1–{self.total})")
        if index != self.position:
            self._leave()
            self.position = index
            self._shown_at = self._now()
            if self.current.state == "new":
                self.current.state = "seen"
        return self.current

    def next(self) -> MockQuestion:
        return self.goto((self.position + 1) % self.total)

    def prev(self) -> MockQuestion:
        return self.goto((self.position - 1) % self.total)

    def skip(self) -> MockQuestion:
        """Leave this question for later and go to the next one not answered yet."""
        self._check_open()
        if not self.current.answered:
            self.current.state = "skipped"
        for step in range(1, self.total + 1):
            i = (self.position + step) % self.total
            if not self.questions[i].answered:
                return self.goto(i)
        return self.current

    def next_unanswered(self) -> int | None:
        """The index of the first unanswered question after the current one, wrapping."""
        for step in range(1, self.total + 1):
            i = (self.position + step) % self.total
            if not self.questions[i].answered:
                return i
        return None

    # ----------------------------------------------------------------- answers
    def reveal(self, typed: str | None = None) -> FlashcardView:
        """Show the current flashcard's model answer (after typing or saying one)."""
        q = self._open(FlashcardView)
        if not q.revealed:
            q.typed = typed.strip() if typed and typed.strip() else None
            q.spent_ms += self._since_shown()
            self._shown_at = self._now()
            q.revealed = True
        assert isinstance(q.view, FlashcardView)
        return q.view

    def grade_flashcard(self, grade: FlashcardGrade) -> MockQuestion:
        """Grade your own answer to the revealed flashcard: right, partly or wrong."""
        q = self._open(FlashcardView)
        if not q.revealed:
            raise MockError("reveal the model answer before grading yourself")
        if grade not in ("right", "partly", "wrong"):
            raise MockError(f"grade must be right, partly or wrong, not {grade!r}")
        assert isinstance(q.view, FlashcardView)
        # The time to answer is the time to the reveal; reading the model answer is free.
        rating = self_graded_rating(grade)
        self._record(
            q, grade, rating, spent_ms=q.spent_ms, correct=grade != "wrong",
            answer=q.typed, logged=q.typed or "(said aloud)", feedback=q.view.back,
        )  # fmt: skip
        return q

    def answer_trap(self, choice: int | bool) -> MockQuestion:
        """Answer the current trap: the index of the false statement, or holds / does not."""
        q = self._open(TrapView)
        view = q.view
        assert isinstance(view, TrapView)
        spent = q.spent_ms + self._since_shown()
        correct = view.judge(choice)
        if view.mode == "pick":
            index = int(choice)
            answer = view.statements[index] if 0 <= index < len(view.statements) else str(choice)
        else:
            answer = "holds" if choice else "does not hold"
        rating = auto_rating(view, correct, spent, q.target_ms)
        self._record(
            q, "right" if correct else "wrong", rating, spent_ms=spent, correct=correct,
            answer=answer, feedback=f"The trap: {view.claim} — {view.why_wrong} "
            f"Correct: {view.correct}", choice=choice,
        )  # fmt: skip
        return q

    def answer_drill(self, answers: str | dict[str, str]) -> MockQuestion:
        """Grade the typed answer with the engine. Text like ``m=0.1; theta=1.9`` answers
        several fields. Unparsable text raises ``AnswerParseError`` and records nothing."""
        q = self._open(DrillView)
        view = q.view
        assert isinstance(view, DrillView)
        parsed = split_fields(answers) if isinstance(answers, str) else answers
        verdict = view.grade(parsed)  # AnswerParseError / DrillError before anything changes
        spent = q.spent_ms + self._since_shown()
        rating = auto_rating(view, verdict.correct, spent, q.target_ms)
        self._record(
            q, "right" if verdict.correct else "wrong", rating, spent_ms=spent,
            correct=verdict.correct, answer=answer_text(answers), feedback=verdict.feedback,
            mistake=verdict.mistake, verdict=verdict,
        )  # fmt: skip
        return q

    # ------------------------------------------------------------------ finish
    def finish(self) -> MockReport:
        """End the interview (early, or because time is up), save and return the report.

        Idempotent: a second call returns the same report.
        """
        if self.report is not None:
            return self.report
        now = self._now()
        ended_by: Literal["finished", "time"] = "time" if now >= self.deadline else "finished"
        finished_at = min(now, self.deadline)
        spent = self.current.spent_ms
        if not self.current.answered:
            spent += self._since_shown()
        store = self.scheduler.store
        previous = [m.result for m in store.mocks()]
        results = [question_result(q) for q in self.questions]
        if not self.current.answered:  # the time on the question left open counts too
            i = self.position
            results[i] = results[i].model_copy(update={"time_ms": spent})
        report = build_report(
            results=results,
            catalog=self.catalog,
            weakness=self.weakness,
            previous=previous,
            started_at=self.started_at,
            finished_at=finished_at,
            ended_by=ended_by,
            minutes=self.config.minutes,
            practice=self.config.practice,
            topic=self.config.topic,
            seed=self.seed,
        )
        # Saved first: when the store refuses (StoreError) the interview is not finished
        # and finishing again retries the same save.
        self.mock_id = store.save_mock(report.model_dump(mode="json"), finished_at)
        self.current.spent_ms = spent
        self._shown_at = now
        self.report = report
        return report

    # --------------------------------------------------------------- internals
    def _now(self) -> datetime:
        return self.clock.now()

    def _since_shown(self) -> int:
        return elapsed_ms(self._shown_at, min(self._now(), self.deadline))

    def _leave(self) -> None:
        q = self.current
        if not q.answered:
            q.spent_ms += self._since_shown()
            if q.state in ("new", "seen"):
                q.state = "skipped"

    def _check_open(self) -> None:
        if self.report is not None:
            raise MockError("the interview is over")
        if self.time_up:
            raise MockError("time is up: finish to see the report")

    def _open(self, kind: type) -> MockQuestion:
        self._check_open()
        q = self.current
        if q.answered:
            raise MockError(f"question {q.number} is already answered")
        if not isinstance(q.view, kind):
            raise MockError(f"question {q.number} is a {q.kind}")
        return q

    def _record(
        self,
        q: MockQuestion,
        status: Status,
        rating: Rating,
        *,
        spent_ms: int,
        correct: bool,
        answer: str | None,
        feedback: str,
        logged: str | None = None,
        mistake: str | None = None,
        verdict: Verdict | None = None,
        choice: int | bool | None = None,
    ) -> None:
        """Write the answer, then mark the question answered. The write comes first: when
        the store refuses it (StoreError) the question is exactly as it was, so the same
        answer can be given again (the screen's retry)."""
        AnswerRecord.of(
            q.view,
            rating,
            mode="mock",
            duration_ms=spent_ms,
            correct=correct,
            answer=logged if logged is not None else answer,
            mistake=mistake,
            meta={
                "mock_started": self.started_at.isoformat(),
                "question": q.number,
                "grade": status,
            },
        ).commit(self.scheduler)
        q.spent_ms = spent_ms
        q.answer = answer
        q.feedback = feedback
        q.verdict = verdict
        q.choice = choice
        q.status = status
        q.rating = rating
        q.state = "answered"
        self._shown_at = self._now()
