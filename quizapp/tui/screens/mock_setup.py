"""The mock interview's setup form: minutes, questions, topic, exam or practice style.

It starts a :class:`quizapp.study.mock.MockInterview` through the app's context
(``app.ctx.start_mock``) and replaces itself with the question screen.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Horizontal, Vertical
from textual.widgets import Button, Header, Input, Label, Select, Static, Switch

from quizapp.study.format import topic_title
from quizapp.study.mock import (
    MINUTES,
    QUESTIONS,
    MockConfig,
    MockFormError,
    MockPlanError,
    config_from_form,
)
from quizapp.tui.screens.base import MOCK_CSS, QuizScreen
from quizapp.tui.widgets.footer import QuizFooter
from quizapp.tui.widgets.text_input import InOrderInput

__all__ = ["MockSetupScreen"]

STYLES = {
    False: "exam style: feedback only in the report",
    True: "practice: feedback after each answer",
}


class MockSetupScreen(QuizScreen[None]):
    """Choose the length, the topic and exam or practice style, then start. The minutes
    box has focus; enter in a box (or ctrl+s, or the button) starts."""

    CSS_PATH = MOCK_CSS

    BINDINGS = [
        Binding("ctrl+s", "start", "Start", id="mock.setup.start"),
        Binding("escape", "back", "Back", id="mock.setup.back"),
    ]

    def __init__(self, config: MockConfig | None = None) -> None:
        super().__init__()
        self.config = config or MockConfig()

    def compose(self) -> ComposeResult:
        topics = self.app.ctx.topics()
        c = self.config
        yield Header()
        with Center(), Vertical(id="mock-setup"):
            with Horizontal(classes="setup-row"):
                yield Label("Minutes")
                yield InOrderInput(str(c.minutes), id="setup-minutes", type="integer")
                yield Static(f"{MINUTES[0]}–{MINUTES[1]}", classes="setup-range")
            with Horizontal(classes="setup-row"):
                yield Label("Questions")
                yield InOrderInput(str(c.questions), id="setup-questions", type="integer")
                yield Static(f"{QUESTIONS[0]}–{QUESTIONS[1]}", classes="setup-range")
            with Horizontal(classes="setup-row"):
                yield Label("Topic")
                yield Select(
                    [(topic_title(t), t) for t in topics],
                    prompt="all topics",
                    value=c.topic if c.topic in topics else Select.NULL,
                    id="setup-topic",
                )
            with Horizontal(classes="setup-row"):
                yield Label("Practice")
                yield Switch(value=c.practice, id="setup-practice")
                yield Static(id="setup-style")
            yield Static("", id="setup-error")
            yield Button("Start the interview", id="setup-start", variant="primary")
        yield QuizFooter()

    def on_mount(self) -> None:
        self.sub_title = "Mock interview"
        self.query_one("#mock-setup").border_title = "Mock interview"
        self._describe_style(self.config.practice)
        self.query_one("#setup-minutes", Input).focus()

    @on(Switch.Changed)
    def _style_changed(self, event: Switch.Changed) -> None:
        self._describe_style(event.value)

    def _describe_style(self, practice: bool) -> None:
        self.query_one("#setup-style", Static).update(STYLES[practice])

    @on(Button.Pressed, "#setup-start")
    @on(Input.Submitted)
    def _start_pressed(self) -> None:
        self.action_start()

    @on(Input.Changed)
    def _edited(self) -> None:
        self.query_one("#setup-error", Static).update("")

    def read_config(self) -> MockConfig:
        """The form as a MockConfig (MockFormError naming the box to fix)."""
        topic = self.query_one("#setup-topic", Select).value
        return config_from_form(
            self.query_one("#setup-minutes", Input).value,
            self.query_one("#setup-questions", Input).value,
            topic=None if topic is Select.NULL else str(topic),
            practice=self.query_one("#setup-practice", Switch).value,
            seed=self.config.seed,
        )

    def action_start(self) -> None:
        error = self.query_one("#setup-error", Static)
        try:
            config = self.read_config()
        except MockFormError as exc:
            error.update(str(exc))
            self.query_one(f"#setup-{exc.field}", Input).focus()
            return
        try:
            mock = self.app.ctx.start_mock(config)
        except MockPlanError as exc:
            error.update(f"Nothing to ask: {exc}. Choose another topic.")
            return
        from quizapp.tui.screens.mock import MockScreen

        self.app.switch_screen(MockScreen(mock))

    def action_back(self) -> None:
        self.dismiss()
