"""The keys, in one place (``?`` from anywhere). The home entries come from the home
screen's own table (:data:`quizapp.tui.screens.home.WAYS_IN`), so they cannot drift."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from quizapp.tui.screens.home import WAYS_IN
from quizapp.tui.screens.modal import QuizModal
from quizapp.tui.widgets.footer import QuizFooter

SECTIONS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (
        "Everywhere",
        (
            ("?", "this help"),
            (
                "ctrl+p",
                "command palette: study any deck or topic, drill a kind, a lab experiment, "
                "browse, stats, the theme (kept for the next start)",
            ),
            ("escape", "back (ends a session and shows its summary)"),
            ("q", "quit (from home)"),
        ),
    ),
    (
        "Home",
        (
            ("enter", "study the selected deck or topic"),
            *((key, f"{label.lower()}: {what}") for _n, label, key, _a, what in WAYS_IN),
            ("↑ ↓", "choose a deck or topic"),
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
            ("↑ ↓", "scroll a question longer than the screen"),
            ("f, ctrl+f", "finish now (asks first if questions are unanswered)"),
            ("escape", "abandon (asks first; answers given stay recorded)"),
        ),
    ),
    (
        "Browser",
        (
            ("typing", "search as you type: adam tag:x is:due lapses>3 -deck:y (README)"),
            ("enter", "from the search box to the results"),
            ("/", "back to the search box"),
            ("escape", "leave the search box first, then the browser"),
            ("s", "suspend / unsuspend (unsuspending a leech clears its mark)"),
            ("-", "bury until tomorrow / unbury"),
            ("f", "flag / unflag"),
            ("r r", "reset the item's progress (asks with the first r; backed up first)"),
            ("e", "open the item's deck file in $EDITOR at its line"),
            ("t", "study every result now"),
        ),
    ),
    (
        "Trajectory lab",
        (
            ("1–8", "an optimizer on / off: 1–8 in free play, 1–n for an experiment's n"),
            ("tab", "next panel: plot · optimizers · knobs"),
            ("←↑↓→", "on the plot: move the start point (or click the plot)"),
            ("↑ ↓", "in a panel: choose an optimizer / a knob"),
            ("← →", "on a knob: change it (log steps for η and ε)"),
            ("g", "guided experiments; n / p next / previous, space shows the answer"),
            ("x", "scale the surface ×1000 (Adam's scale-freeness experiment)"),
            ("r", "reset the lab"),
            ("escape", "leave the guide, then the lab"),
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


class HelpScreen(QuizModal[None]):
    """A modal list of keys; any of escape, ? or q closes it."""

    STYLESHEETS = ("dialogs",)

    BINDINGS = [Binding("escape,question_mark,q", "close", "Close", id="help.close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help", classes="panel"):
            yield Static(self.keys_table())
        yield QuizFooter()

    def on_mount(self) -> None:
        self.query_one("#help").border_title = "Keys"
        self.query_one("#help").border_subtitle = "escape closes"

    def keys_table(self) -> Table:
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
