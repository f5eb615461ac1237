"""The end of a session: answered, right, time, and what is due next."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Header, Static

from quizapp.study.format import due_in, duration, percent, ratio
from quizapp.study.session import SessionSummary
from quizapp.tui.widgets.footer import QuizFooter


class SummaryScreen(Screen[None]):
    """Renders a :class:`SessionSummary`; enter or escape goes back home."""

    BINDINGS = [
        Binding("enter,escape", "done", "Home", id="summary.home"),
    ]

    def __init__(self, summary: SessionSummary, title: str) -> None:
        super().__init__()
        self.summary = summary
        self.study_title = title

    def compose(self) -> ComposeResult:
        s = self.summary
        yield Header()
        with Center(), Vertical(id="summary", classes="panel"):
            yield Static(f"{self.study_title} done", id="summary-title")
            yield Static(self._figures(), id="summary-figures")
            if s.leeches:
                yield Static(
                    f"{len(s.leeches)} item(s) keep slipping and were set aside as leeches: "
                    + ", ".join(s.leeches),
                    classes="warning-line",
                )
            yield Button("Back home", id="summary-home", variant="primary")
        yield QuizFooter()

    def on_mount(self) -> None:
        self.sub_title = "Summary"
        self.query_one("#summary-home", Button).can_focus = False  # enter is the screen's
        if self.app.ctx is not None:
            self.app.ctx.finish_session(self.summary)

    def _figures(self) -> Content:
        s = self.summary
        now = self.app.ctx.now() if self.app.ctx is not None else None
        rows: list[tuple[str, str]] = [
            ("Answered", str(s.answered)),
            (
                "Right",
                f"{s.correct} of {s.graded} graded ({percent(ratio(s.correct, s.graded))})"
                if s.graded
                else "— (flashcards are self-rated)",
            ),
            ("Again", str(s.again)),
            ("Time", duration(s.elapsed)),
        ]
        if now is not None and s.answered:
            rows.append(("Next due", due_in(s.next_due, now)))
        width = max(len(label) for label, _ in rows)
        parts: list[str | tuple[str, str]] = []
        for label, value in rows:
            parts += [(label.rjust(width), "$text-muted"), "   ", (value, "bold"), "\n"]
        return Content.assemble(*parts[:-1])

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_done()

    def action_done(self) -> None:
        self.app.go_home()
