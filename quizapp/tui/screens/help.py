"""The keys, in one place (``?`` from anywhere)."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

SECTIONS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (
        "Everywhere",
        (
            ("?", "this help"),
            ("ctrl+p", "command palette: study a deck, drill a kind, mock interview, theme"),
            ("escape", "back (ends a session and shows its summary)"),
            ("q", "quit (from home)"),
        ),
    ),
    (
        "Home",
        (
            ("enter", "study the selected deck or topic"),
            ("r", "review everything due"),
            ("d", "drill: pick a kind of numeric problem"),
            ("m / t", "mock interview / stats"),
        ),
    ),
    (
        "Studying",
        (
            ("space, enter", "show the answer; then Good; after a graded answer, go on"),
            ("h", "show a flashcard's hint, when it has one"),
            ("1 2 3 4", "Again · Hard · Good · Easy (changes an automatic rating)"),
            ("a–f", "pick the trap among the statements"),
            ("y / n", "the statement holds / does not hold"),
            ("enter", "in an answer box: submit; in a working box: the next box"),
            ("escape", "in an answer box: leave it (enter or a digit goes back)"),
            ("c", "show or hide a drill's convention"),
            ("l", "see it: the trajectory lab on this idea, after the answer"),
            ("↑ ↓ pgup pgdn", "scroll a long card or its feedback"),
            ("u, ctrl+z", "undo the last answer"),
            ("s, ctrl+s", "skip: move the item to the end of the queue"),
            ("f1", "this help, also while typing"),
        ),
    ),
    (
        "Mock interview",
        (
            ("enter", "submit, or reveal a conceptual question's model answer"),
            ("1 2 3", "grade your conceptual answer: wrong · partly · right"),
            ("s, ctrl+s", "skip (come back to it later)"),
            ("n / p", "next / previous question (also pagedown / pageup)"),
            ("f, ctrl+f", "finish now (asks first if questions are unanswered)"),
            ("escape", "abandon (asks first; answers given stay recorded)"),
        ),
    ),
    (
        "Stats",
        (
            ("t", "switch a chart to the numbers behind it"),
            ("← → / h l", "previous / next chart"),
            ("enter", "on a saved mock interview: show its report"),
        ),
    ),
)


class HelpScreen(ModalScreen[None]):
    """A modal list of keys; any of escape, ? or q closes it."""

    BINDINGS = [Binding("escape,question_mark,q", "close", "Close", id="help.close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help", classes="panel"):
            yield Static(self._text())

    def on_mount(self) -> None:
        self.query_one("#help").border_title = "Keys"
        self.query_one("#help").border_subtitle = "escape closes"

    def _text(self) -> Table:
        # A grid keeps wrapped descriptions aligned under their column at 80 columns.
        table = Table.grid(padding=(0, 2))
        table.add_column(justify="right", style="bold yellow", no_wrap=True)
        table.add_column()
        for n, (title, keys) in enumerate(SECTIONS):
            if n:
                table.add_row("", "")
            table.add_row(Text(title, style="bold"), "")
            for key, what in keys:
                table.add_row(key, what)
        return table

    def action_close(self) -> None:
        self.dismiss()
