"""A numeric drill: prompt, givens, convention, answer boxes with a live parse preview,
and after submitting the verdict, the named mistake and the engine's worked solution."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import ScrollableContainer
from textual.widget import Widget
from textual.widgets import Collapsible, Static

from quizapp.engine.drills import Problem, Verdict
from quizapp.study.format import topic_title
from quizapp.study.items import DrillView
from quizapp.tui.widgets.drill.answers import (
    AnswerBoxes,
    AnswerHost,
    AnswerInput,
)
from quizapp.tui.widgets.drill.render import givens_table, solution_table, verdict_group
from quizapp.tui.widgets.study.text import markup, plain, source_line

__all__ = ["AnswerInput", "DrillCard"]


#: the hint under the boxes, true for the box being typed in: the asked-for box submits,
#: a working box's enter goes on to the next box
KEYS_ASKED = "enter submits · tab: your working · unreadable input costs nothing"
KEYS_WORKING = "enter: next box (the last goes back to the answer) · enter there submits"
#: the asked-for box of a drill without working boxes (lr-exponential: one field)
KEYS_ALONE = "enter submits · unreadable input costs nothing"


class DrillCard(AnswerHost):
    """Renders a :class:`DrillView`; with a verdict, :meth:`show` switches it to the
    answered state (inputs locked, verdict, marks, worked solution)."""

    _problem: Problem | None = None  # the problem the boxes were built for
    _answered: bool = False  # whether the boxes show a graded answer
    _source: str | None = None
    _verdict_due = False  # just answered: the verdict goes to the top once laid out
    _error_due = False  # "could not read that" just shown: in view once laid out

    def compose(self) -> ComposeResult:
        yield Static(id="drill-prompt", classes="question")
        yield Static(id="drill-note", classes="muted")
        yield Static(id="givens")
        with Collapsible(title="Convention (the exact equations)", id="convention"):
            yield Static(id="convention-text")
        yield AnswerBoxes(id="answers")
        yield Static(KEYS_ASKED, id="drill-keys", classes="action-hint")
        yield Static(id="drill-error", classes="error-line")
        yield Static(id="drill-verdict", classes="verdict")
        yield Static(id="drill-details")
        with Collapsible(title="Worked solution", id="solution", collapsed=False):
            yield Static(id="solution-text")
        yield Static(id="drill-source", classes="source")

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        box = event.widget
        self._show_keys(working=isinstance(box, AnswerInput) and not box.asked)

    def _show_keys(self, *, working: bool = False) -> None:
        """The keys of the box typed in (a working one's, or the asked-for one's, which
        mentions the working only when the drill has some)."""
        keys = self.query_one("#drill-keys", Static)
        asked = KEYS_ASKED if len(self.boxes.rows) > 1 else KEYS_ALONE
        text = KEYS_WORKING if working else asked
        if str(keys.content) != text:
            keys.update(text)

    @property
    def boxes(self) -> AnswerBoxes:
        return self.query_one(AnswerBoxes)

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
        self.boxes.show(problem)
        self._show_keys()  # its asked-for box takes the focus
        self.show_error("")

    def _set_verdict(self, problem: Problem, verdict: Verdict | None) -> None:
        answered = verdict is not None
        again = self._answered and not answered  # undone: shown again as it was first shown
        self._verdict_due = answered and not self._answered
        self._answered = answered
        self.boxes.set_locked(answered, clear=again)
        source = self.query_one("#drill-source", Static)
        source.display = answered and bool(self._source)
        headline = self.query_one("#drill-verdict", Static)
        details = self.query_one("#drill-details", Static)
        solution = self.query_one("#solution", Collapsible)
        headline.display = details.display = solution.display = answered
        self.query_one("#drill-keys").display = not answered
        if verdict is None:
            self.boxes.want_focus()
            return
        self.show_error("")
        headline.set_class(verdict.correct, "-right")
        headline.set_class(not verdict.correct, "-wrong")
        headline.update("✓ Correct" if verdict.correct else "✗ Not quite")
        details.update(verdict_group(problem, verdict))

    def on_resize(self, event: events.Resize) -> None:
        # The answer shows the verdict and the worked solution, so the card grows: its
        # Resize comes after the layout has placed them (a timer may fire before a busy
        # machine's layout and scroll to where the verdict was last time)
        if self._verdict_due:
            self._verdict_due = False
            self.verdict_to_top()
        elif self._error_due:
            self._error_due = False
            self._error_in_view()

    def verdict_to_top(self) -> None:
        """Scroll the card's verdict to the top of the view (when it is shown)."""
        verdict = self.query_one("#drill-verdict", Static)
        if verdict.display:
            verdict.scroll_visible(top=True, animate=False, immediate=True)

    def answer_box(self, focused: Widget | None = None) -> AnswerInput | None:
        return self.boxes.answer_box(focused)

    def focus_answer(self, box: AnswerInput | None = None) -> bool:
        return self.boxes.focus_answer(box)

    def show_error(self, message: str) -> None:
        """Explain in place why the answer could not be read (nothing was recorded), and
        scroll the line into view (with the convention open it was below the fold at
        80×24, and nothing seemed to happen)."""
        error = self.query_one("#drill-error", Static)
        shown = error.display
        # as shown: every key that leaves a box readable clears the line again
        if not (shown == bool(message) and str(error.content) == message):
            error.update(plain(message))
            error.display = bool(message)
        # A line just shown grows the card: in view once its Resize has laid it out. A
        # line already there (the same message again, or another): in view after the
        # refresh. One scroll, not both: the second would read the regions before the first.
        self._error_due = bool(message) and not shown
        if message and shown:
            self.call_after_refresh(self._error_in_view)

    def _error_in_view(self) -> None:
        """Scroll the card's scroll area the least that shows the whole error line (with
        the box above it). Not ``scroll_visible``: through the card's border it stopped a
        line short, and the line's end stayed below the fold."""
        error = self.query_one("#drill-error", Static)
        scroll = next((a for a in self.ancestors if isinstance(a, ScrollableContainer)), None)
        if not error.display or scroll is None:
            return
        view, line = scroll.scrollable_content_region, error.region
        below, above = line.bottom - view.bottom, view.y - line.y
        if below > 0 or above > 0:
            scroll.scroll_relative(y=below if below > 0 else -above, animate=False, immediate=True)
