"""The study screen: one item at a time from a session, rated or graded, then the next.

The screen owns no study logic: it renders ``session.current`` and turns keys and
clicks into calls on the session (reveal, rate, answer_trap, answer_drill, override,
next, undo, skip). The same screen serves review, study, cram and free drill practice.
"""

from __future__ import annotations

import gc
from datetime import timedelta
from typing import Any

from fsrs import Rating
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Collapsible, ContentSwitcher, Header

from quizapp.engine.answers import AnswerParseError
from quizapp.engine.drills import DrillError
from quizapp.study.items import DrillView, FlashcardView, TrapView
from quizapp.study.session import SessionError
from quizapp.tui.widgets.drill.card import DrillCard
from quizapp.tui.widgets.flashcard.card import FlashcardCard
from quizapp.tui.widgets.footer import QuizFooter
from quizapp.tui.widgets.study.messages import (
    DrillSubmitted,
    NextRequested,
    RatingChosen,
    RevealRequested,
    TrapAnswered,
)
from quizapp.tui.widgets.study.progress import StudyProgress
from quizapp.tui.widgets.study.rating_bar import RATING_NAMES, RatingBar
from quizapp.tui.widgets.trap.card import LETTERS, TrapCard


class StudyScreen(Screen[None]):
    """Renders a StudySession (or a DrillPractice) and sends the learner's intents to it."""

    BINDINGS = [
        Binding("space,enter", "reveal", "Show answer", id="study.reveal"),
        Binding("enter,space", "next", "Next", id="study.next"),
        # One footer entry for the four ratings keeps the footer inside 80 columns; the
        # buttons above it name each rating and its interval.
        Binding("1", "rate(1)", "Again…Easy", key_display="1–4", id="study.again"),
        Binding("2", "rate(2)", "Hard", show=False, id="study.hard"),
        Binding("3", "rate(3)", "Good", show=False, id="study.good"),
        Binding("4", "rate(4)", "Easy", show=False, id="study.easy"),
        Binding("a", "pick(0)", "Pick", key_display="a–f", id="study.pick"),
        *[Binding(k, f"pick({i})", show=False) for i, k in enumerate(LETTERS) if i],
        Binding("y", "holds(True)", "Holds", id="study.holds"),
        Binding("n", "holds(False)", "Doesn't", id="study.not-holds"),
        Binding("h", "hint", "Hint", id="study.hint"),
        Binding("c", "convention", "Convention", id="study.convention"),
        Binding("u", "undo", "Undo", id="study.undo"),
        Binding("s", "skip", "Skip", id="study.skip"),
        Binding("escape", "leave", "End", id="study.leave"),
    ]

    def __init__(self, session: Any, title: str) -> None:
        super().__init__()
        self.session = session
        self.study_title = title
        self._intervals: dict[Rating, timedelta] = {}
        self._intervals_for: object = None
        self._trap_choice: int | bool | None = None
        self._leech_told: object = None
        self._hint_for: object = None  # the item whose hint the learner asked for

    def compose(self) -> ComposeResult:
        yield Header()
        yield StudyProgress(self.study_title)
        with VerticalScroll(id="card-scroll"):
            yield ContentSwitcher(id="cards")  # a card of each kind is mounted on first use
        yield RatingBar(id="ratings")
        yield QuizFooter()

    def on_mount(self) -> None:
        self.sub_title = self.study_title
        self.render_session()

    # -- rendering ------------------------------------------------------------------------
    def render_session(self) -> None:
        """Show the session's current state (called after every intent)."""
        # As Textual does while scrolling: no garbage collection between an answer and the
        # next card on screen; the collector catches up while the learner reads.
        if gc.isenabled():
            gc.disable()
            self.call_after_refresh(gc.enable)
        session = self.session
        if session.finished or session.current is None:
            self.finish()
            return
        view = session.current
        outcome = session.last_outcome
        if self._intervals_for is not view:
            # Before answering, so the labels show what each rating would do *now*.
            self._intervals = session.intervals()
            self._intervals_for = view
        switcher = self.query_one("#cards", ContentSwitcher)
        if not switcher.query_children(f"#{view.kind}"):
            # Built on first use, so start-up composes only what the first item needs.
            self.call_later(self._add_card, view.kind)
            return
        self.query_one(StudyProgress).show(session.position, session.total, view.kind)
        switcher.current = view.kind
        answered = outcome is not None
        if isinstance(view, FlashcardView):
            self.query_one(FlashcardCard).show(
                view, session.revealed, hint_shown=self._hint_for is view
            )
        elif isinstance(view, TrapView):
            choice = self._trap_choice if answered else None
            self.query_one(TrapCard).show(view, choice, outcome.correct if outcome else None)
        elif isinstance(view, DrillView):
            self.query_one(DrillCard).show(view, outcome.verdict if outcome else None)
        self._show_ratings(view, answered)
        if answered or (isinstance(view, FlashcardView) and session.revealed):
            self.set_focus(None)
        self.refresh_bindings()

    async def _add_card(self, kind: str) -> None:
        switcher = self.query_one("#cards", ContentSwitcher)
        if not switcher.query_children(f"#{kind}"):
            card_type = {"flashcard": FlashcardCard, "trap": TrapCard, "drill": DrillCard}[kind]
            await switcher.mount(card_type(id=kind, classes="card"))
        self.render_session()

    def _show_ratings(self, view: object, answered: bool) -> None:
        bar = self.query_one(RatingBar)
        practice = self.session.mode == "practice"
        flashcard_revealed = isinstance(view, FlashcardView) and self.session.revealed
        bar.display = answered or flashcard_revealed
        if not bar.display:
            return
        if practice:
            bar.show({}, note="Practice is not scheduled · enter for a new problem", ratings=False)
            return
        intervals = {int(r): d for r, d in self._intervals.items()}
        outcome = self.session.last_outcome
        if outcome is None:
            bar.show(intervals, note="How well did you know it?")
        else:
            name = RATING_NAMES[int(outcome.rating)]
            note = f"Rated {name} automatically · 1–4 to change it · enter to go on"
            bar.show(intervals, chosen=int(outcome.rating), note=note)
            if outcome.leech and self._leech_told is not outcome:
                self._leech_told = outcome
                self.notify(
                    "This one keeps slipping: it is set aside as a leech until you rework it.",
                    title="Leech",
                    severity="warning",
                )

    def finish(self) -> None:
        from quizapp.tui.screens.summary import SummaryScreen

        self.app.switch_screen(SummaryScreen(self.session.summary(), self.study_title))

    # -- which keys apply now -------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        session = self.session
        view = session.current
        answered = session.last_outcome is not None
        if view is None:
            return action == "leave"
        flashcard = isinstance(view, FlashcardView)
        trap = isinstance(view, TrapView)
        if action == "reveal":
            return flashcard and not session.revealed
        if action == "next":
            return answered
        if action == "rate":
            if session.mode == "practice":
                return False
            return answered if not flashcard else session.revealed and not answered
        if action == "pick":
            if not (trap and view.mode == "pick" and not answered):
                return False
            return True if parameters[0] < len(view.statements) else None  # type: ignore[operator]
        if action == "holds":
            return trap and view.mode == "holds" and not answered
        if action == "hint":
            return (
                flashcard
                and bool(view.hint)
                and not session.revealed
                and self._hint_for is not view
            )
        if action == "convention":
            return isinstance(view, DrillView)
        if action == "undo":
            return bool(session.history)
        if action == "skip":
            return (
                not answered and session.mode != "practice" and session.total - session.position > 1
            )
        return True

    # -- intents --------------------------------------------------------------------------
    def action_hint(self) -> None:
        self._hint_for = self.session.current
        self.render_session()

    def action_reveal(self) -> None:
        self.session.reveal()
        self.render_session()

    def action_next(self) -> None:
        self.session.next()
        self.render_session()

    def action_rate(self, value: int) -> None:
        self._rate(value)

    def action_pick(self, index: int) -> None:
        self._answer_trap(index)

    def action_holds(self, holds: bool) -> None:
        self._answer_trap(holds)

    def action_convention(self) -> None:
        panel = self.query_one("#convention", Collapsible)
        panel.collapsed = not panel.collapsed

    def action_undo(self) -> None:
        try:
            self.session.undo()
        except SessionError as exc:
            self.notify(str(exc), severity="warning")
            return
        self._intervals_for = None
        self.notify("Took back the last answer", timeout=2)
        self.render_session()

    def action_skip(self) -> None:
        self.session.skip()
        self.render_session()

    def action_leave(self) -> None:
        if self.session.history:
            self.finish()
        else:
            self.app.go_home()

    def _rate(self, value: int) -> None:
        session = self.session
        rating = Rating(value)
        outcome = session.last_outcome
        if outcome is None:
            if not (isinstance(session.current, FlashcardView) and session.revealed):
                return
            session.rate(rating)
        elif rating != outcome.rating:
            session.override(rating)
        session.next()
        self.render_session()

    def _answer_trap(self, choice: int | bool) -> None:
        if self.session.last_outcome is not None:
            return
        self._trap_choice = choice
        self.session.answer_trap(choice)
        self.render_session()

    # -- messages from the cards (mouse and typed answers) --------------------------------
    @on(RevealRequested)
    def _on_reveal(self) -> None:
        if self.check_action("reveal", ()):
            self.action_reveal()

    @on(RatingChosen)
    def _on_rating(self, message: RatingChosen) -> None:
        if self.check_action("rate", (message.rating,)):
            self._rate(message.rating)

    @on(NextRequested)
    def _on_next(self) -> None:
        if self.check_action("next", ()):
            self.action_next()

    @on(TrapAnswered)
    def _on_trap(self, message: TrapAnswered) -> None:
        self._answer_trap(message.choice)

    @on(DrillSubmitted)
    def _on_drill(self, message: DrillSubmitted) -> None:
        card = self.query_one(DrillCard)
        try:
            self.session.answer_drill(message.answers)
        except AnswerParseError as exc:
            card.show_error(
                f"Could not read that: {exc}. Nothing was recorded; fix it and press enter."
            )
            return
        except (DrillError, SessionError) as exc:
            card.show_error(str(exc))
            return
        self.render_session()
        # After the layout has placed the verdict (it was hidden until now).
        verdict = self.query_one("#drill-verdict")
        self.set_timer(0.02, lambda: verdict.scroll_visible(top=True, animate=False))
