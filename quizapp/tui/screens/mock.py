"""Mock interview screens: setup → questions (with the countdown) → report.

``MockSetupScreen`` asks for minutes, questions, topic and style and starts the interview
through the app's context (``app.ctx.start_mock``); ``MockScreen`` renders the interview's
:class:`quizapp.study.mock_state.MockState` snapshot and sends the learner's intents to it (the
snapshot says which apply); when the learner finishes or the time runs out it switches to
:class:`quizapp.tui.screens.mock_report.MockReportScreen`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.timer import Timer
from textual.widgets import Button, Header, Static

from quizapp.engine.answers import AnswerParseError
from quizapp.engine.drills import DrillError
from quizapp.study.format import countdown, plural
from quizapp.study.mock import MockError, MockInterview
from quizapp.study.mock_report import MockReport
from quizapp.study.mock_state import MockState
from quizapp.study.rules import MOCK_ACTIONS
from quizapp.tui.screens.base import MOCK_CSS, QuizScreen
from quizapp.tui.screens.mock_question import (
    AnswerTyped,
    GradeChosen,
    Navigator,
    QuestionBody,
    TrapChosen,
)
from quizapp.tui.screens.mock_setup import MockSetupScreen
from quizapp.tui.screens.modal import QuizModal
from quizapp.tui.widgets.footer import QuizFooter
from quizapp.tui.widgets.render_caches import release_removed_widgets
from quizapp.tui.widgets.scroll import ScreenKeysScroll

#: the footer's word for finishing an interview (a message that names the key says it too)
FINISH_NAME = "End"

__all__ = ["ConfirmScreen", "MockScreen", "MockSetupScreen"]

LOW_TIME_S = 60
TICK_S = 0.5


class ConfirmScreen(QuizModal[bool]):
    """A yes/no question; y/enter = yes, n/escape = no."""

    CSS_PATH = MOCK_CSS

    BINDINGS = [
        Binding("y,enter", "answer(True)", "Yes", id="mock.confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="mock.confirm.no"),
    ]

    def __init__(self, question: str, yes: str = "Yes", no: str = "No") -> None:
        super().__init__()
        self.question = question
        self.yes, self.no = yes, no

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.question)
            with Horizontal():
                yield Button(f"{self.yes} (y)", id="confirm-yes", variant="warning")
                yield Button(f"{self.no} (n)", id="confirm-no")
        yield QuizFooter()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "confirm-yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class QuestionScroll(ScreenKeysScroll):
    """The question's scroll area: ↑↓ scroll it from anywhere on the screen (focusable,
    as before, for tab and End)."""


class MockScreen(QuizScreen[None]):
    """Renders a running :class:`MockInterview`: countdown, navigator, the question."""

    CSS_PATH = MOCK_CSS
    STYLESHEETS = ("trap", "drill")  # its questions are the study cards' traps and drills

    BINDINGS = [
        Binding("s,ctrl+s", "skip", "Skip", id="mock.skip"),
        Binding("p,pageup", "prev", "Prev", id="mock.prev"),
        Binding("n,pagedown", "next", "Next", id="mock.next"),
        Binding("1", "grade('wrong')", "Wrong", id="mock.grade.wrong"),
        Binding("2", "grade('partly')", "Partly", id="mock.grade.partly"),
        Binding("3", "grade('right')", "Right", id="mock.grade.right"),
        Binding("f,ctrl+f", "finish", FINISH_NAME, id="mock.finish"),
        Binding("escape", "leave", "Leave", id="mock.abandon"),
        # PgUp PgDn are Prev and Next (an answer box takes p and n): the arrows scroll a
        # question longer than the screen (a worked solution at 80x24), typing or not
        Binding("up", "scroll_question(-1)", "Scroll", key_display="↑↓", id="mock.scroll-up"),
        Binding("down", "scroll_question(1)", "Scroll", show=False, id="mock.scroll-down"),
    ]

    def __init__(self, mock: MockInterview) -> None:
        super().__init__()
        self.mock = mock
        self.state: MockState = mock.state()
        self._timer: Timer | None = None
        self._shown: tuple[int, str, bool] | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="mock-top"):
            yield Static(id="mock-position")
            yield Static(id="mock-clock")
        yield Navigator(id="mock-nav")
        yield QuestionScroll(id="mock-scroll")
        # the timed screen needs its width for its own keys (ctrl+p still opens the palette)
        yield QuizFooter(show_command_palette=False)

    async def on_mount(self) -> None:
        style = "practice" if self.state.practice else "exam style"
        self.sub_title = f"Mock interview · {style}"
        await self.render_mock()
        self._timer = self.set_interval(TICK_S, self.check_time)

    # -- rendering ----------------------------------------------------------------------
    async def render_mock(self) -> None:
        """Show the interview's current state (after every intent)."""
        state = self.state = self.mock.state()
        q = state.current
        self.query_one("#mock-position", Static).update(
            Content.assemble(
                (f"Question {q.number} of {state.total} · ", "bold"),
                (f"{state.answered_count} answered", "$text-muted"),
            )
        )
        self.query_one(Navigator).show(state)
        self._update_clock(state)
        key = (state.position, q.state, q.revealed)
        if key != self._shown:
            shown, self._shown = self._shown, key
            just_answered = shown is not None and shown[0] == state.position and shown[1] != q.state
            scroll = self.query_one("#mock-scroll", VerticalScroll)
            await scroll.remove_children()
            release_removed_widgets()
            await scroll.mount(QuestionBody(q, state.practice, just_answered=just_answered))
            scroll.scroll_home(animate=False)
            self._focus_answer()
        self.refresh_bindings()

    def _focus_answer(self) -> None:
        body = self.query_one(QuestionBody)
        for selector in ("Input", "OptionList"):
            found = body.query(selector)
            if found and not found.first().disabled:
                found.first().focus()
                return
        self.set_focus(None)

    def _update_clock(self, state: MockState) -> None:
        left = state.remaining.total_seconds()
        clock = self.query_one("#mock-clock", Static)
        clock.update(f"{countdown(left)} left")
        clock.set_class(left <= LOW_TIME_S, "-low")

    async def check_time(self) -> None:
        """Called by the timer (and tests): refresh the countdown; at zero, end the interview."""
        state = self.state = self.mock.state()
        if state.finished or not self.is_attached:
            return
        self._update_clock(state)
        if self.app.screen is not self:
            return  # a dialog is open: end the interview once it is closed (next tick)
        if state.time_up:
            self.show_report(
                notice="Time is up: unanswered questions count as unanswered.", title="Time"
            )

    def show_report(self, notice: str | None = None, title: str = "") -> None:
        """Finish the interview (its report is saved) and show the report, with ``notice``
        over it. A refused save leaves the interview running (the store's dialog offers a
        retry)."""
        from quizapp.tui.screens.mock_report import MockReportScreen

        def shown(report: MockReport) -> None:
            if self._timer is not None:
                self._timer.stop()
            # the interview's notices ("press f (End) to see the report") are about its keys
            self.app.clear_notifications()
            self.app.switch_screen(MockReportScreen(report))
            if notice:
                self.app.notify(notice, title=title)

        self.commit(self.mock.finish, shown)

    # -- which keys apply now -----------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in MOCK_ACTIONS:
            return self.state.allows(action, *parameters)
        if action == "scroll_question":  # offered only when there is more to see
            return self.query_one("#mock-scroll", VerticalScroll).max_scroll_y > 0
        return True

    def action_scroll_question(self, lines: int) -> None:
        self.query_one("#mock-scroll", VerticalScroll).scroll_relative(y=lines, animate=False)

    # -- intents ------------------------------------------------------------------------
    def _intent(self, call: Callable[..., object], *args: object, advance: bool = False) -> None:
        """Send an intent to the interview through :meth:`QuizScreen.commit` (an answer is
        written as it is given; a refused write keeps the question and the typed text on
        screen and offers a retry), then redraw. The interview's own refusals (time is up,
        an unreadable answer) come back as the outcome, never as an exception."""

        def run() -> BaseException | None:
            try:
                call(*args)
            except (MockError, AnswerParseError, DrillError) as exc:
                return exc
            return None

        self.commit(run, lambda refused: self.call_next(self._after_intent, refused, advance))

    async def _after_intent(self, refused: BaseException | None, advance: bool) -> None:
        if isinstance(refused, AnswerParseError):
            self.query_one(QuestionBody).show_error(
                f"Could not read that: {refused}. Nothing was recorded; fix it and press enter."
            )
            return
        if isinstance(refused, DrillError):
            self.query_one(QuestionBody).show_error(str(refused))
            return
        if isinstance(refused, MockError):
            if self.mock.time_up:
                await self.check_time()
                return
            self.notify(str(refused), severity="warning")
            return
        await self.render_mock()
        if advance:
            await self._advance()
        if self.state.answered_count == self.state.total and not self.state.finished:
            key = self.query_one(QuizFooter).key_for(self, "finish")
            press = f"press {key} ({FINISH_NAME})" if key else f"choose {FINISH_NAME}"
            self.notify(f"All questions answered: {press} to see the report.")

    async def _guarded(self, call: Any, *args: Any) -> None:
        """Navigation (writes nothing): the interview's refusals become a notice."""
        try:
            call(*args)
        except MockError as exc:
            if self.mock.time_up:
                await self.check_time()
                return
            self.notify(str(exc), severity="warning")
            return
        await self.render_mock()

    async def action_skip(self) -> None:
        await self._guarded(self.mock.skip)

    async def action_next(self) -> None:
        await self._guarded(self.mock.next)

    async def action_prev(self) -> None:
        await self._guarded(self.mock.prev)

    async def action_goto(self, index: int) -> None:
        await self._guarded(self.mock.goto, index)

    def action_grade(self, grade: str) -> None:
        self._intent(self.mock.grade_flashcard, grade, advance=True)

    def action_finish(self) -> None:
        left = self.state.total - self.state.answered_count
        if not left:
            self.show_report()
            return

        def decided(yes: bool | None) -> None:
            if yes:
                self.show_report()

        self.app.push_screen(
            ConfirmScreen(
                f"Finish now? {plural(left, 'question')} not answered yet; "
                f"{'it' if left == 1 else 'they'} will count as unanswered (not wrong).",
                yes="Finish",
                no="Keep going",
            ),
            decided,
        )

    def action_leave(self) -> None:
        def decided(yes: bool | None) -> None:
            if yes:
                if self._timer is not None:
                    self._timer.stop()
                self.dismiss()

        self.app.push_screen(
            ConfirmScreen(
                "Abandon this mock interview? No report is saved; the answers you gave stay "
                "in your review history.",
                yes="Abandon",
                no="Keep going",
            ),
            decided,
        )

    async def _advance(self) -> None:
        """Exam style moves on after an answer (practice stays to show the feedback)."""
        if self.state.practice or not self.state.current.answered:
            return
        nxt = self.mock.next_unanswered()
        if nxt is not None:
            await self._guarded(self.mock.goto, nxt)

    # -- messages from the question body ---------------------------------------------------
    @on(AnswerTyped)
    def _answer_typed(self, message: AnswerTyped) -> None:
        if self.state.allows("reveal"):
            self._intent(self.mock.reveal, message.text)
        elif self.state.allows("submit"):
            self._intent(self.mock.answer_drill, message.text, advance=True)
        else:
            self.call_next(self.check_time)

    @on(GradeChosen)
    def _grade_chosen(self, message: GradeChosen) -> None:
        if self.state.allows("grade"):
            self.action_grade(message.grade)

    @on(TrapChosen)
    def _trap_chosen(self, message: TrapChosen) -> None:
        if self.state.allows("answer"):
            self._intent(self.mock.answer_trap, message.choice, advance=True)
