"""The end of a session: answered, right, time, and what is due next (when scheduled)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.content import Content
from textual.widgets import Button, Header, Static

from quizapp.study.format import due_in, duration_ms, percent, plural, ratio, summary_title
from quizapp.study.outcome import SessionSummary
from quizapp.tui.screens.base import QuizScreen
from quizapp.tui.widgets.footer import QuizFooter
from quizapp.tui.widgets.study.text import plain


class SummaryScreen(QuizScreen[None]):
    """Renders a :class:`SessionSummary`; enter or escape goes back home."""

    STYLESHEETS = ("summary",)

    BINDINGS = [
        Binding("enter,escape", "done", "Home", id="summary.home"),
    ]

    returns = False  # True: back to the screen below (ReturningSummaryScreen)

    def __init__(self, summary: SessionSummary, title: str) -> None:
        super().__init__()
        self.summary = summary
        self.study_title = title

    def compose(self) -> ComposeResult:
        s = self.summary
        yield Header()
        with Center(), Vertical(id="summary", classes="panel"):
            heading = summary_title(self.study_title, s.answered, s.left)
            yield Static(plain(heading), id="summary-title")
            yield Static(self._figures(), id="summary-figures")
            if s.leeches:
                yield Static(
                    plain(
                        f"{plural(len(s.leeches), 'item')} keep slipping and were set aside "
                        "as leeches: " + ", ".join(s.leeches)
                    ),
                    classes="warning-line",
                )
            back = "Back to the browser" if self.returns else "Back home"
            yield Button(back, id="summary-home", variant="primary")
        yield QuizFooter()

    def on_mount(self) -> None:
        self.sub_title = "Summary"
        self.query_one("#summary-home", Button).can_focus = False  # enter is the screen's
        # the session's figures go in the store: a refused write is a message and a retry
        self.commit(lambda: self.app.ctx.finish_session(self.summary))

    def _figures(self) -> Content:
        s = self.summary
        rows: list[tuple[str, str]] = [
            ("Answered", str(s.answered)),
            (
                "Right",
                f"{s.correct} of {s.graded} graded ({percent(ratio(s.correct, s.graded))})"
                if s.graded
                else "— (flashcards are self-rated)",
            ),
        ]
        if s.scheduled:
            rows.append(("Again", str(s.again)))
        rows.append(("Time studied", duration_ms(s.studied_ms)))
        now = self.app.ctx.now()
        if s.learning_left:
            # Anki's "learning cards due later": the session ended before their step
            when = due_in(s.next_learning, now)
            rows.append(("Still learning", f"{plural(s.learning_left, 'item')}, next {when}"))
        if not s.scheduled:
            rows.append(("Schedule", "untouched (answers logged only)"))
        elif s.answered and not s.learning_left:
            rows.append(("Next due", due_in(s.next_due, now)))
        width = max(len(label) for label, _ in rows)
        parts: list[str | tuple[str, str]] = []
        for label, value in rows:
            parts += [(label.rjust(width), "$text-muted"), "   ", (value, "bold"), "\n"]
        return Content.assemble(*parts[:-1])

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_done()

    def action_done(self) -> None:
        if self.returns:
            self.app.pop_screen()
        else:
            self.app.go_home()


class ReturningSummaryScreen(SummaryScreen):
    """The summary of a session started from the browser: enter or escape goes back to it."""

    BINDINGS = [
        Binding("enter,escape", "done", "Back", id="summary.back"),
    ]
    returns = True
