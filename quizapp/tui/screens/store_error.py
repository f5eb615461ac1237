"""What a screen shows when the progress file refuses a write (issue 17, F1).

The session is unchanged after a failed write (``quizapp.srs.errors``: nothing is ever
half-written), so the screen keeps what the learner typed and the same intent can simply be
made again. :meth:`quizapp.tui.screens.base.QuizScreen.commit` is the one place that runs a
writing intent, catches :class:`StoreError` and shows this dialog.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from quizapp.study.context import StoreError
from quizapp.tui.screens.modal import QuizModal
from quizapp.tui.widgets.footer import QuizFooter

#: What the dialog adds to the store's message (which says what, where and what to do).
KEPT = "Everything you answered before is saved; this answer is kept on screen."


def sentence(text: str) -> str:
    """``text`` ending with a full stop (the store's messages end without one)."""
    text = text.rstrip()
    return text if text.endswith((".", "!", "?")) else text + "."


class StoreErrorModal(QuizModal[bool]):
    """The write failed: retry (True) or quit (False). The answer stays on screen."""

    DEFAULT_CSS = """
    StoreErrorModal { align: center middle; }
    StoreErrorModal > Vertical {
        width: 72; max-width: 100%; height: auto;
        border: round $error; border-title-color: $error; border-title-style: bold;
        background: $surface; padding: 1 2;
    }
    StoreErrorModal #store-error-advice { margin-top: 1; }
    StoreErrorModal #store-error-buttons { height: auto; margin-top: 1; align-horizontal: right; }
    StoreErrorModal Button { margin-left: 2; }
    """

    BINDINGS = [
        Binding("r", "retry", "Retry", id="store-error.retry"),
        Binding("q,escape", "quit_app", "Quit", id="store-error.quit"),
    ]

    def __init__(self, error: StoreError) -> None:
        super().__init__()
        self.error = error

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Your answer is not saved yet"
            # the store's message already says what to do: said once, as its own paragraph
            yield Static(sentence(str(self.error)), id="store-error-message", markup=False)
            yield Static(
                KEPT,
                id="store-error-advice",
                markup=False,
                classes="muted",
            )
            with Horizontal(id="store-error-buttons"):
                if self.error.retryable:
                    yield Button("Retry", id="retry", variant="primary")
                yield Button("Quit", id="quit", variant="error")
        yield QuizFooter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "retry":
            return self.error.retryable
        return True

    def action_retry(self) -> None:
        self.dismiss(True)

    def action_quit_app(self) -> None:
        self.dismiss(False)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "retry")
