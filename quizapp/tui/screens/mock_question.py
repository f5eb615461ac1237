"""The widgets of a mock interview's question screen: the navigator strip and the body of
one question (flashcard, trap or drill), before and after it is answered.

They only render the interview's snapshot (:class:`quizapp.study.mock_state.MockState`, one
:class:`quizapp.study.mock_state.QuestionSnapshot` per question); every intent goes back to the
screen as a message, and the screen calls the interview.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.widgets import Button, Collapsible, Input, OptionList, Static

from quizapp.engine.drills import Problem
from quizapp.study.format import mm_ss, topic_title
from quizapp.study.items import DrillView, FlashcardView, TrapView
from quizapp.study.mock_question import strip_mark
from quizapp.study.mock_state import MockState, QuestionSnapshot
from quizapp.tui.widgets.drill.answers import (
    AnswerBoxes,
    AnswerHost,
)
from quizapp.tui.widgets.drill.render import givens_table, solution_table, verdict_group
from quizapp.tui.widgets.study.messages import DrillSubmitted
from quizapp.tui.widgets.study.text import markup, plain
from quizapp.tui.widgets.text_input import InOrderInput
from quizapp.tui.widgets.trap.card import letter_range
from quizapp.tui.widgets.trap.options import TrapOptions

__all__ = ["AnswerTyped", "GradeChosen", "Navigator", "QuestionBody", "TrapChosen"]

GRADES = (
    ("wrong", "1 Wrong", "error"),
    ("partly", "2 Partly", "warning"),
    ("right", "3 Right", "success"),
)


class AnswerTyped(Message):
    """An answer given: a flashcard's typed text (for the reveal), or a drill's filled
    boxes, field name -> text (for the grade)."""

    def __init__(self, text: str | dict[str, str]) -> None:
        super().__init__()
        self.text = text


class GradeChosen(Message):
    """A self-grade button was pressed (right / partly / wrong)."""

    def __init__(self, grade: str) -> None:
        super().__init__()
        self.grade = grade


class TrapChosen(Message):
    """A trap option was selected: an index (pick) or True/False (holds)."""

    def __init__(self, choice: int | bool) -> None:
        super().__init__()
        self.choice = choice


class Navigator(Static):
    """The progress strip: one cell per question with its mark (✓ ½ ✗ in practice style,
    ● answered in exam style, » skipped), the current one highlighted; a click jumps
    there (``screen.goto``)."""

    def show(self, mock: MockState) -> None:
        parts: list[str | tuple[str, str] | Content] = []
        for i, q in enumerate(mock.questions):
            mark, tone = strip_mark(q, mock.practice)
            style = TONES[tone]
            if i == mock.position:
                style += " reverse"
            parts.append(
                Content.from_markup(
                    f"[@click=screen.goto({i})]$label[/]", label=f"{mark}{q.number} "
                ).stylize(style)
            )
            parts.append(" ")
        done = mock.answered_count
        parts.append((f" {done}/{mock.total} answered", "$text-muted"))
        self.update(Content.assemble(*parts))


#: The style of each tone of :func:`quizapp.study.mock_question.strip_mark`.
TONES = {
    "right": "bold $success",
    "partly": "bold $warning",
    "wrong": "bold $error",
    "answered": "bold $text",
    "skipped": "bold $warning",
    "open": "$text-muted",
}


def _labelled(problem: Problem, answer: str | None) -> str:
    """A logged drill answer (``lr=0.1; m=2``) with the fields' labels: ``η = 0.1 · m = 2``."""
    if not answer:
        return ""
    labels = {f.name: f.label for f in problem.fields}
    parts = []
    for part in answer.split("; "):
        name, equals, value = part.partition("=")
        parts.append(f"{labels[name]} = {value}" if equals and name in labels else part)
    return " · ".join(parts)


class TypedAnswer(InOrderInput):
    """A conceptual question's answer box: enter shows the model answer (said in the footer)."""

    BINDINGS = [Binding("enter", "submit", "Model answer", id="mock.model-answer")]


class QuestionBody(AnswerHost):
    """The current question; rebuilt by the screen whenever the question or its state changes."""

    def __init__(
        self, question: QuestionSnapshot, practice: bool, *, just_answered: bool = False
    ) -> None:
        super().__init__(classes="mock-body")
        self.question = question
        self.practice = practice
        # just answered: what came of it is scrolled into view once laid out (a drill's to
        # the top, as on the study card: its marks and worked solution follow)
        self._feedback_due = just_answered and question.answered

    def on_resize(self) -> None:
        # the first Resize comes once the layout has placed the new body; the scroll area's
        # size follows in the same refresh, so the scroll waits for it (a timer may fire
        # before a busy machine's layout)
        if self._feedback_due:
            self._feedback_due = False
            self.call_after_refresh(self.feedback_into_view)

    def feedback_into_view(self) -> None:
        """Scroll the answered question's feedback into view (a drill's to the top)."""
        after = self.query(".mock-after")
        if after:
            drill = isinstance(self.question.view, DrillView)
            after.first().scroll_visible(top=drill, animate=False, immediate=True)

    def compose(self) -> ComposeResult:
        q = self.question
        view = q.view
        yield Static(self._heading(), classes="mock-heading")
        if isinstance(view, FlashcardView):
            yield from self._flashcard(q, view)
        elif isinstance(view, TrapView):
            yield from self._trap(q, view)
        elif isinstance(view, DrillView):
            yield from self._drill(q, view)
        yield Static("", classes="mock-error")
        if q.answered:
            yield Static(self._after(), classes="mock-after")
            drill = q.drill
            if self.practice and drill is not None and q.verdict is not None:
                # as on the study card: feedback, you / exact per field, the worked solution
                yield Static(verdict_group(drill.problem, q.verdict), classes="mock-details")
                yield Static(Content("Worked solution").stylize("bold"), classes="mock-heading")
                yield Static(solution_table(drill.problem), classes="mock-solution")

    def _heading(self) -> Content:
        q = self.question
        kind = {"flashcard": "Conceptual", "trap": "Trap", "drill": "Numeric drill"}[q.kind]
        topic = topic_title(q.topic)
        return Content.assemble(
            (f"Question {q.number} · ", "bold $text-primary"),
            (f"{kind} · {topic}", "$text-muted"),
            (f" · target {mm_ss(q.target_ms)}", "$text-muted"),
        )

    # -- flashcards ------------------------------------------------------------------------
    def _flashcard(self, q: QuestionSnapshot, view: FlashcardView) -> ComposeResult:
        yield Static(markup(view.front), classes="mock-question")
        if not q.revealed:
            hint = "say it aloud" if view.say_aloud else "type your answer"
            yield TypedAnswer(
                placeholder=f"{hint}, then enter shows the model answer", classes="mock-input"
            )
            return
        typed = q.typed or "(said aloud)"
        yield Static(Content.assemble(("Your answer  ", "bold"), typed), classes="mock-typed")
        yield Static(
            Content.assemble(("Model answer\n", "bold $success"), markup(view.back)),
            classes="mock-model",
        )
        if not q.answered:
            yield Static("How did you do? 1 wrong · 2 partly · 3 right", classes="mock-muted")
            with Horizontal(classes="mock-grades"):
                for grade, label, variant in GRADES:
                    yield Button(label, id=f"grade-{grade}", variant=variant)  # type: ignore[arg-type]

    # -- traps -----------------------------------------------------------------------------
    def _trap(self, q: QuestionSnapshot, view: TrapView) -> ComposeResult:
        if view.question:
            yield Static(markup(view.question), classes="mock-question")
        if view.mode == "pick":
            yield Static(
                "Which statement is the trap (the one that is false)?", classes="mock-question"
            )
            keys = f"{letter_range(len(view.statements))} to answer"
        else:
            yield Static(
                Content.assemble(("Does this hold?  ", "bold"), markup(view.statements[0])),
                classes="mock-question",
            )
            keys = "y / n to answer"
        options = TrapOptions(view, classes="mock-options")
        options.disabled = q.answered
        yield options
        if not q.answered:
            yield Static(f"{keys} (or ↑ ↓ and enter, or click)", classes="mock-muted")
        if q.answered:
            yield Static(
                Content.assemble(("You chose  ", "bold"), markup(q.answer or "")),
                classes="mock-typed",
            )

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        view = self.question.view
        assert isinstance(view, TrapView)
        choice: int | bool = event.option_index if view.mode == "pick" else event.option_index == 0
        self.post_message(TrapChosen(choice))

    # -- drills ----------------------------------------------------------------------------
    def _drill(self, q: QuestionSnapshot, view: DrillView) -> ComposeResult:
        problem = view.problem
        yield Static(
            Content.assemble((view.title, "bold"), "\n", markup(problem.prompt)),
            classes="mock-question",
        )
        yield Static(givens_table(problem), classes="mock-givens")
        with Collapsible(
            title="Convention (the exact equations)", collapsed=True, classes="mock-convention"
        ):
            yield Static(plain("\n".join(problem.convention)))
        if not q.answered:
            # the study card's boxes: one per field, a live "reads as" preview under each
            yield AnswerBoxes(problem, classes="mock-answers")
        else:
            yield Static(
                Content.assemble(("Your answer  ", "bold"), plain(_labelled(problem, q.answer))),
                classes="mock-typed",
            )

    @on(DrillSubmitted)
    def _drill_submitted(self, message: DrillSubmitted) -> None:
        message.stop()
        self.show_error("")
        self.post_message(AnswerTyped(message.answers))

    # -- after answering -------------------------------------------------------------------
    def _after(self) -> Content:
        q = self.question
        if not self.practice:
            return Content.assemble(
                ("Answered. ", "bold"),
                ("You will see how it went in the report (exam style).", "$text-muted"),
            )
        verdict = {
            "right": ("Right. ", "bold $success"),
            "partly": ("Partly right. ", "bold $warning"),
            "wrong": ("Wrong. ", "bold $error"),
        }[q.status]
        parts: list[str | tuple[str, str] | Content] = [verdict]
        if isinstance(q.view, DrillView) and q.verdict is not None:
            return Content.assemble(*parts)  # the card's marks and solution follow it
        if isinstance(q.view, TrapView):
            view = q.view
            parts += [
                ("The trap: ", "bold"),
                markup(view.claim),
                "\n",
                markup(view.why_wrong),
                "\n",
                ("Correct: ", "bold"),
                markup(view.correct),
            ]
        return Content.assemble(*parts)

    # -- typed answers and buttons ---------------------------------------------------------
    @on(Input.Submitted, ".mock-input")
    def _typed(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(AnswerTyped(event.value))

    @on(Button.Pressed)
    def _graded(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id and event.button.id.startswith("grade-"):
            self.post_message(GradeChosen(event.button.id.removeprefix("grade-")))

    def show_error(self, text: str) -> None:
        self.query_one(".mock-error", Static).update(plain(text).stylize("$error"))
