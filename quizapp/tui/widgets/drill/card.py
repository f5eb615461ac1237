"""A numeric drill: prompt, givens, convention, answer inputs with a live parse preview,
and after submitting the verdict, the named mistake and the engine's worked solution."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Collapsible, Input, Static

from quizapp.engine import answers
from quizapp.engine.drills import AnswerField, Problem, Verdict
from quizapp.study.format import topic_title
from quizapp.study.items import DrillView
from quizapp.tui.widgets.drill.render import givens_table, solution_table, verdict_group
from quizapp.tui.widgets.study.messages import DrillSubmitted
from quizapp.tui.widgets.study.text import markup, plain, source_line


class AnswerInput(Input):
    """An answer box whose enter shows in the footer (Input's own binding is hidden).

    Escape leaves the box (the screen's one-letter keys work again; enter comes back).
    The first empty box of a freshly shown drill takes the focus as soon as it is
    mounted, so nothing typed right after the drill appears is lost.
    """

    BINDINGS = [
        Binding("enter", "submit", "Submit", id="drill.submit"),
        # a working box is optional: its enter goes on to the next box, never submits
        Binding("enter", "next_box", "Next box", id="drill.next-box"),
        Binding("escape", "leave_box", "Leave box", id="drill.leave-box"),
    ]

    def __init__(self, *, asked: bool, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.asked = asked  # the field the drill asks for (else a working box)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "submit":
            return self.asked
        if action == "next_box":
            return not self.asked
        return True

    def action_next_box(self) -> None:
        for card in self.ancestors:
            if isinstance(card, DrillCard):
                card.focus_after(self)
                return

    def on_mount(self) -> None:
        for card in self.ancestors:
            if isinstance(card, DrillCard):
                card.box_mounted(self)
                return

    def action_leave_box(self) -> None:
        self.screen.set_focus(None)


class AnswerRow(Vertical):
    """``label = [input]`` and, under it, how the typed text is being read."""

    def __init__(self, answer_field: AnswerField, *, asked: bool = False) -> None:
        super().__init__(classes="answer-row")
        self.answer_field = answer_field
        # Built here, not in compose, so the card can read and disable them at once.
        self.input = AnswerInput(
            asked=asked,
            placeholder=answer_field.hint or answer_field.name,
            id=f"answer-{answer_field.name}",
            classes="answer-input",
        )
        self.preview = Static("", classes="preview")

    def compose(self) -> ComposeResult:
        with Horizontal(classes="answer-line"):
            yield Static(plain(f"{self.answer_field.label} ="), classes="answer-label")
            yield self.input
        yield self.preview

    @on(Input.Changed)
    def _preview(self, event: Input.Changed) -> None:
        shown = answers.preview(event.value)
        preview = self.preview
        preview.set_class(shown.startswith("?"), "-bad")
        preview.update(f"reads as {shown}" if shown and not shown.startswith("?") else shown)


class DrillCard(Vertical):
    """Renders a :class:`DrillView`; with a verdict, :meth:`show` switches it to the
    answered state (inputs locked, verdict, marks, worked solution)."""

    _problem: Problem | None = None  # the problem the boxes were built for
    _answered: bool = False  # whether the boxes show a graded answer
    _source: str | None = None
    _focus_wanted: bool = False  # focus the first empty box once it is mounted
    _rows: list[AnswerRow]  # the boxes of the problem shown (old ones may still be leaving)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._rows = []

    def compose(self) -> ComposeResult:
        yield Static(id="drill-prompt", classes="question")
        yield Static(id="drill-note", classes="muted")
        yield Static(id="givens")
        with Collapsible(title="Convention (the exact equations)", id="convention"):
            yield Static(id="convention-text")
        yield Vertical(id="primary-answer")
        yield Collapsible(title="Your working (optional)", id="working")
        yield Static(
            "enter submits · tab moves between boxes · unreadable input costs nothing",
            id="drill-keys",
            classes="action-hint",
        )
        yield Static(id="drill-error", classes="error-line")
        yield Static(id="drill-verdict", classes="verdict")
        yield Static(id="drill-details")
        with Collapsible(title="Worked solution", id="solution", collapsed=False):
            yield Static(id="solution-text")
        yield Static(id="drill-source", classes="source")

    def show(self, view: DrillView, verdict: Verdict | None) -> None:
        problem = view.problem
        self.border_title = plain(view.title)
        self.border_subtitle = plain(f"drill · {topic_title(view.topic)}")
        if self._problem is not problem:
            self._problem = problem
            self._build(view)
        self._source = view.source
        self.query_one("#drill-source", Static).update(source_line(view.source))
        self._set_verdict(problem, verdict)

    def _build(self, view: DrillView) -> None:
        problem = view.problem
        self.query_one("#drill-prompt", Static).update(markup(problem.prompt))
        note = self.query_one("#drill-note", Static)
        note.update(markup(view.note) if view.note else "")
        note.display = bool(view.note)
        self.query_one("#givens", Static).update(givens_table(problem))
        self.query_one("#convention-text", Static).update(plain("\n".join(problem.convention)))
        self.query_one("#solution-text", Static).update(solution_table(problem))
        primary = self.query_one("#primary-answer", Vertical)
        working = self.query_one("#working", Collapsible)
        others = [f for f in problem.fields if f.name != problem.primary]
        primary.remove_children()
        asked = AnswerRow(problem.field(problem.primary), asked=True)
        self._rows = [asked, *map(AnswerRow, others)]
        primary.mount(self._rows[0])
        contents = working.query_one(Collapsible.Contents)
        contents.remove_children()
        contents.mount_all(self._rows[1:])
        working.title = "Your working (optional): " + ", ".join(f.label for f in others)
        working.display = bool(others)
        working.collapsed = True
        self.show_error("")

    def _set_verdict(self, problem: Problem, verdict: Verdict | None) -> None:
        answered = verdict is not None
        again = self._answered and not answered  # undone: shown again as it was first shown
        self._answered = answered
        for row in self._rows:
            row.input.disabled = answered
            if again:
                row.input.value = ""
        source = self.query_one("#drill-source", Static)
        source.display = answered and bool(self._source)
        headline = self.query_one("#drill-verdict", Static)
        details = self.query_one("#drill-details", Static)
        solution = self.query_one("#solution", Collapsible)
        headline.display = details.display = solution.display = answered
        self.query_one("#drill-keys").display = not answered
        if verdict is None:
            self._focus_wanted = True
            self.call_after_refresh(self.focus_answer)
            return
        self._focus_wanted = False
        self.show_error("")
        headline.set_class(verdict.correct, "-right")
        headline.set_class(not verdict.correct, "-wrong")
        headline.update("✓ Correct" if verdict.correct else "✗ Not quite")
        details.update(verdict_group(problem, verdict))

    def answer_box(self) -> AnswerInput | None:
        """The box to type in: the first empty one on show (the asked-for field comes
        first; the working boxes count once their section is open), else the asked-for
        one; None once the drill is answered."""
        rows = self._rows
        if not rows or rows[0].input.disabled:
            return None
        working = self.query_one("#working", Collapsible)
        shown = [row for row in rows if not (working.collapsed and working in row.ancestors)]
        return next((row.input for row in shown if not row.input.value), rows[0].input)

    def box_mounted(self, box: AnswerInput) -> None:
        if self._focus_wanted and self.answer_box() is box:
            self._focus_wanted = False
            box.focus()

    def focus_answer(self) -> bool:
        """Put the focus in :meth:`answer_box` (False when there is none to type in)."""
        box = self.answer_box()
        if box is None or not box.is_attached:
            return False
        self._focus_wanted = False
        box.focus()
        return True

    def focus_after(self, box: AnswerInput) -> None:
        """Enter in a working box: on to the next working box, after the last one to the
        asked-for box (which submits)."""
        order = [row.input for row in (*self._rows[1:], *self._rows[:1])]
        if box in order:
            order[(order.index(box) + 1) % len(order)].focus()

    def show_error(self, message: str) -> None:
        """Explain in place why the answer could not be read (nothing was recorded)."""
        error = self.query_one("#drill-error", Static)
        error.update(message)
        error.display = bool(message)

    def typed(self) -> dict[str, str]:
        return {
            row.answer_field.name: row.input.value for row in self._rows if row.input.value.strip()
        }

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        event.stop()
        typed = self.typed()
        asked = self._rows[0].answer_field
        if asked.name not in typed:
            self.show_error(
                f"Type {asked.label} first: it is the answer asked for (the working boxes "
                "are optional). Nothing was recorded."
            )
            self._rows[0].input.focus()
            return
        self.post_message(DrillSubmitted(typed))
