"""One question of a mock interview (:class:`MockQuestion`) and its line in the report.

Kept apart from :mod:`quizapp.study.mock` so that the interview module holds only the
flow (time, navigation, answers, scheduling) and this one the per-question record.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from fsrs import Rating

from quizapp.decks.loader import CatalogItem
from quizapp.engine.drills import MISTAKES, Verdict
from quizapp.study.format import item_title, shorten
from quizapp.study.items import DrillView, FlashcardView, ItemView, TrapView
from quizapp.study.mock_report import (
    AnswerLine,
    QuestionResult,
    StatementLine,
    Status,
    StepLine,
)
from quizapp.study.mock_select import drill_kind_of
from quizapp.study.mock_state import QuestionSnapshot
from quizapp.study.state import QuestionState

__all__ = [
    "MOCK_TARGET_MS",
    "FlashcardGrade",
    "MockQuestion",
    "QuestionState",
    "question_result",
    "split_fields",
    "strip_mark",
]

#: Target time per question in a mock, by kind: an answer said or typed in full, so longer
#: than the recall times of a review session.
MOCK_TARGET_MS: dict[str, int] = {"flashcard": 60_000, "trap": 30_000, "drill": 120_000}

FlashcardGrade = Literal["right", "partly", "wrong"]


@dataclass
class MockQuestion:
    """One question of the interview and what has happened to it so far."""

    number: int
    entry: CatalogItem
    view: ItemView
    state: QuestionState = "new"
    revealed: bool = False
    typed: str | None = None
    status: Status = "unanswered"
    answer: str | None = None
    verdict: Verdict | None = None
    spent_ms: int = 0
    rating: Rating | None = None
    feedback: str | None = None
    choice: int | bool | None = None  # a trap's answer: a statement index, or holds / not

    @property
    def kind(self) -> str:
        return self.view.kind

    @property
    def answered(self) -> bool:
        return self.state == "answered"

    @property
    def target_ms(self) -> int:
        return MOCK_TARGET_MS[self.kind]

    @property
    def mistake(self) -> str | None:
        return self.verdict.mistake if self.verdict is not None else None

    def snapshot(self) -> QuestionSnapshot:
        """This question as the screen shows it now (a frozen copy)."""
        return QuestionSnapshot(
            number=self.number,
            kind=self.kind,
            topic=self.entry.topic,
            title=item_title(self.entry.item),
            view=self.view,
            state=self.state,
            revealed=self.revealed,
            typed=self.typed,
            status=self.status,
            answer=self.answer,
            verdict=self.verdict,
            target_ms=self.target_ms,
        )


def question_result(q: MockQuestion) -> QuestionResult:
    """The report line of a question: what was asked, the answer beside the model answer
    or the engine's exact values and worked solution, time, mistake, rating."""
    view = q.view
    expected: str | None
    answer_lines: list[AnswerLine] = []
    solution: list[StepLine] = []
    statements: list[StatementLine] = []
    explanation: str | None = None
    if isinstance(view, FlashcardView):
        question, expected = view.front, view.back
    elif isinstance(view, TrapView):
        question = view.question or ""
        if view.mode == "pick":
            question = (question + "\n" if question else "") + "Which statement is the trap?"
            statements = [
                StatementLine(text=s, false=i == view.trap_index, chosen=q.choice == i)
                for i, s in enumerate(view.statements)
            ]
            expected = view.claim
        else:
            question = (question + "\n" if question else "") + "Does this hold?"
            statements = [StatementLine(text=view.statements[0], false=not view.holds)]
            expected = "it holds" if view.holds else "it does not hold"
        explanation = f"The trap: {view.claim} — {view.why_wrong} Correct: {view.correct}"
    else:
        p = view.problem
        question = p.prompt
        expected = f"{p.field(p.primary).label} = {p.answers_text[p.primary]}"
        graded = {f.field: f for f in q.verdict.fields} if q.verdict is not None else {}
        for f in p.fields:
            result = graded.get(f.name)
            typed = result.given_text if result is not None else None
            answer_lines.append(
                AnswerLine(
                    label=f.label,
                    given=typed,
                    expected=p.answers_text[f.name],
                    correct=result.correct if result is not None and typed is not None else None,
                )
            )
        solution = [
            StepLine(label=s.label, expression=s.expression, value=s.value_text) for s in p.solution
        ]
    prompt = f"Trap: {view.claim}" if isinstance(view, TrapView) else question
    mistake = q.mistake
    return QuestionResult(
        number=q.number,
        item_id=q.entry.id,
        title=item_title(q.entry.item),
        kind=q.kind,
        deck=q.entry.deck,
        topic=q.entry.topic,
        drill_kind=drill_kind_of(q.entry),
        prompt=shorten(prompt),
        status=q.status,
        # A flashcard revealed but not graded before the end keeps what was typed: no grade,
        # so no points and no review, but the text is in the saved report (typed, unrated).
        answer=q.answer if q.answered else q.typed,
        expected=expected,
        time_ms=q.spent_ms,
        target_ms=q.target_ms,
        mistake=mistake,
        mistake_explanation=MISTAKES.get(mistake) if mistake else None,
        feedback=q.feedback if q.answered else None,
        seed=view.seed if isinstance(view, DrillView) else None,
        rating=int(q.rating) if q.rating is not None else None,
        question=question,
        answer_lines=answer_lines,
        solution=solution,
        statements=statements,
        explanation=explanation,
    )


#: How a question shows in the interview's progress strip: (mark, tone). Exam style never
#: tells right from wrong before the report, so an answered question is only "answered".
_MARKS: dict[str, tuple[str, str]] = {
    "right": ("✓", "right"),
    "partly": ("½", "partly"),
    "wrong": ("✗", "wrong"),
}


def strip_mark(q: QuestionSnapshot, practice: bool) -> tuple[str, str]:
    """The mark and tone of ``q`` in the progress strip: ✓ right, ½ partly, ✗ wrong (practice
    style, where the verdict was shown), ● answered (exam style: the verdict waits for the
    report), » skipped, a blank for a question not answered yet. Tones: right, partly,
    wrong, answered, skipped, open."""
    if q.answered:
        return _MARKS[q.status] if practice else ("●", "answered")
    if q.state == "skipped":
        return ("»", "skipped")
    return (" ", "open")


def split_fields(text: str) -> str | dict[str, str]:
    """``"m=0.1; theta=1.9"`` → {"m": "0.1", "theta": "1.9"}; plain text answers the primary."""
    if "=" not in text:
        return text
    out: dict[str, str] = {}
    for part in text.replace(",", ";").split(";"):
        if not part.strip():
            continue
        name, _, value = part.partition("=")
        out[name.strip()] = value.strip()
    return out
