"""The study screen: one item at a time from a session, rated or graded, then the next.

The screen owns no study logic: it renders the session's :class:`StudyState` snapshot
and turns keys and clicks into intents on the session (reveal, show_hint, answer_trap,
answer_drill, choose, next, undo, skip). Which keys apply is the snapshot's
``allowed`` set (:mod:`quizapp.study.rules`). The same screen serves review, study, cram
and free drill practice.
"""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Header, Static

from quizapp.study.items import DrillView, FlashcardView, TrapView
from quizapp.study.rules import STUDY_ACTIONS
from quizapp.study.session import SessionError
from quizapp.study.state import Session, StudyState
from quizapp.tui.screens.base import QuizScreen
from quizapp.tui.widgets.flashcard.card import FlashcardCard
from quizapp.tui.widgets.footer import QuizFooter
from quizapp.tui.widgets.render_caches import release_removed_widgets
from quizapp.tui.widgets.scroll import ScreenKeysScroll
from quizapp.tui.widgets.study.messages import (
    DrillSubmitted,
    NextRequested,
    RatingChosen,
    RevealRequested,
    TrapAnswered,
)
from quizapp.tui.widgets.study.progress import StudyProgress
from quizapp.tui.widgets.study.rating_bar import RATING_NAMES, RatingBar
from quizapp.tui.widgets.trap.keys import pick_bindings

if TYPE_CHECKING:
    from textual.css.query import DOMQuery
    from textual.widget import Widget

    from quizapp.study.outcome import Outcome
    from quizapp.tui.widgets.drill.card import DrillCard
    from quizapp.tui.widgets.trap.card import TrapCard


def _drill_card_type() -> type[DrillCard]:
    """The drill card, imported when a drill first shows: it brings the engine (and its
    models) with it, which a review that starts with a flashcard does not need yet."""
    from quizapp.tui.widgets.drill.card import DrillCard

    return DrillCard


def _trap_card_type() -> type[TrapCard]:
    """The trap card, imported when a trap first shows (its three widget classes are not
    needed for a first flashcard)."""
    from quizapp.tui.widgets.trap.card import TrapCard

    return TrapCard


class CardScroll(ScreenKeysScroll, can_focus=False):
    """The card's scroll area. Not focusable: its keys are the screen's (so a focused
    answer box keeps them too)."""


#: What a typed number starts with: such a key, pressed while a drill waits for its answer,
#: goes into the answer box (no study key is a digit while a drill is unanswered).
NUMBER_START = frozenset("0123456789.-+(")


class StudyScreen(QuizScreen[None]):
    """Renders a :class:`Session` (study, cram or drill practice) and sends the learner's
    intents to it."""

    BINDINGS = [
        Binding("space,enter", "reveal", "Show answer", id="study.reveal"),
        Binding("space,enter", "good", "Good", id="study.space-good"),
        Binding("enter,space", "next", "Next", id="study.next"),
        # One footer entry for the four ratings keeps the footer inside 80 columns; the
        # buttons above it name each rating and its interval.
        Binding("1", "rate(1)", "Rate", key_display="1–4", id="study.again"),
        Binding("2", "rate(2)", "Hard", show=False, id="study.hard"),
        Binding("3", "rate(3)", "Good", show=False, id="study.good"),
        Binding("4", "rate(4)", "Easy", show=False, id="study.easy"),
        *pick_bindings("pick", "study.pick"),  # the footer names a–c … a–f as there are
        Binding("y", "holds(True)", "Holds", id="study.holds"),
        Binding("n", "holds(False)", "Doesn't", id="study.not-holds"),
        Binding("h", "hint", "Hint", id="study.hint"),
        Binding("c", "convention", "Convention", id="study.convention"),
        Binding("l", "see_it", "See it", id="study.see-it"),
        # While an answer box has the focus it takes the printable keys (Textual drops
        # the one-letter bindings it would consume), so the footer shows the ctrl keys.
        Binding("u,ctrl+z", "undo", "Undo", id="study.undo"),
        Binding("s,ctrl+s", "skip", "Skip", id="study.skip"),
        Binding("enter", "type", "Type answer", id="study.type"),
        # The card scrolls without being focused first (an answer box keeps the focus).
        Binding("up", "scroll_card(-1)", "Scroll", key_display="PgUp/Dn", id="study.scroll-up"),
        Binding("down", "scroll_card(1)", "Scroll", show=False, id="study.scroll-down"),
        Binding("pageup", "scroll_card(-10)", "Page", show=False, id="study.page-up"),
        Binding("pagedown", "scroll_card(10)", "Page", show=False, id="study.page-down"),
        Binding("question_mark,f1", "app.help", "Help", id="study.help"),
        Binding("escape", "leave", "End", id="study.leave"),
    ]

    AUTO_FOCUS = ""  # the screen decides: the answer box of a drill, else nothing

    def __init__(self, session: Session, title: str, *, returns: bool = False) -> None:
        super().__init__()
        self.session = session
        self.study_title = title
        self.returns = returns  # leaving goes back to the screen below (the browser), not home
        self.state: StudyState = session.state()
        self._leech_told: Outcome | None = None
        self._on_screen: object | None = None  # the item view last shown (a new one: top)
        self._resumed = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield StudyProgress(self.study_title)
        view = self.state.view
        first = view.kind if view is not None else None
        # The first item's card comes with the screen (one layout to the first paint); a
        # card of another kind is mounted when an item of that kind first shows. One card
        # shows at a time (_show_card): the scroll area holds them itself (a ContentSwitcher
        # in between was one more widget and module: ~17 M instructions to the first card).
        with CardScroll(id="card-scroll"):
            if first is not None:
                yield self._new_card(first)
            # room under the cards for the bar, which lies over the scroll area's bottom
            room = Static(id="ratings-room")
            room.display = False
            yield room
        yield RatingBar(id="ratings", room=room)
        # compact and without the palette entry (ctrl+p still opens it): the study keys
        # must fit 80 columns
        yield QuizFooter(compact=True, show_command_palette=False, keys_at_compose=True)

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        # Runs before Screen's own handler. Pushed a moment ago, every widget was styled
        # as it was mounted: Textual's restyle of the whole screen on a resume changes
        # nothing the first time (~3 % of the first card's instructions). Later resumes
        # (back from the help, a dialog, the lab) restyle as Textual does.
        if not self._resumed:
            self._resumed = True
            event.refresh_styles = False

    def on_mount(self) -> None:
        self.sub_title = self.study_title
        self.render_session()
        # The rating buttons are built while the learner reads the first card (after its
        # first paint and the footer's); a reveal before then builds them itself.
        self.set_timer(0.25, self._prepare_ratings)

    # -- rendering ------------------------------------------------------------------------
    def render_session(self) -> None:
        """Show the session's current state (called after every intent)."""
        # As Textual does while scrolling: no garbage collection between an answer and the
        # next card on screen; the collector catches up while the learner reads.
        if gc.isenabled():
            gc.disable()
            self.call_after_refresh(lambda: gc.enable())  # not a builtin: see QuizApp.on_mount
        # the previous item's answer rows, choices and footer keys are gone by now
        release_removed_widgets()
        state = self.state = self.session.state()
        view = state.view
        if view is None:
            self.finish()
            return
        if not self._cards(view.kind):
            # Built on first use, so start-up composes only what the first item needs.
            self.call_later(self._add_card, view.kind)
            return
        self.query_one(StudyProgress).show(state)
        self._show_card(view.kind)
        outcome = state.outcome
        if isinstance(view, FlashcardView):
            self.query_one(FlashcardCard).show(view, state.revealed, hint_shown=state.hint_shown)
        elif isinstance(view, TrapView):
            choice = outcome.choice if outcome else None
            trap = self.query_one(_trap_card_type())
            trap.show(view, choice, outcome.correct if outcome else None)
        elif isinstance(view, DrillView):
            self._drill_card().show(view, outcome.verdict if outcome else None)
        self._show_ratings(state)
        if view is not self._on_screen:
            # a new item is read from its top, whatever the last one's feedback scrolled to
            self._on_screen = view
            self.query_one("#card-scroll", VerticalScroll).scroll_home(animate=False)
            # whether it scrolls is known once laid out: the footer's Scroll follows then
            self.call_after_refresh(self.refresh_bindings)
        if not self._typing(state):
            self.set_focus(None)  # keys are the screen's: nothing to type into
        self.refresh_bindings()

    @staticmethod
    def _typing(state: StudyState) -> bool:
        """Whether the learner has answer boxes to type in (an unanswered drill)."""
        return isinstance(state.view, DrillView) and not state.answered

    def _new_card(self, kind: str) -> FlashcardCard | TrapCard | DrillCard:
        if kind != "flashcard":
            self.app.use_styles(kind)  # trap.tcss, drill.tcss: with the first such card
        if kind == "drill":
            return _drill_card_type()(id=kind, classes="card")
        if kind == "trap":
            return _trap_card_type()(id=kind, classes="card")
        return FlashcardCard(id=kind, classes="card")

    def _cards(self, kind: str | None = None) -> DOMQuery[Widget]:
        """The cards built (of ``kind``): the scroll area's children of class ``card``."""
        return self.query_one("#card-scroll").query_children(f"#{kind}" if kind else ".card")

    def _show_card(self, kind: str) -> None:
        """Show the card of ``kind`` (built) and hide the others."""
        for card in self._cards():
            card.display = card.id == kind

    def _drill_card(self) -> DrillCard:
        return self.query_one(_drill_card_type())

    async def _add_card(self, kind: str) -> None:
        if not self._cards(kind):
            card = self._new_card(kind)
            # hidden until _show_card shows it: an undo pressed while it was being built
            # brings the previous item back, and this card is not that item's
            card.display = False
            # after the cards there, before the room kept under them for the rating bar
            await self.query_one("#card-scroll").mount(card, before="#ratings-room")
        self.render_session()

    def _prepare_ratings(self) -> None:
        """Build the rating bar's note and buttons (once), with their rules (ratings.tcss:
        nine rules a first card does without, ~6 M instructions)."""
        self.app.use_styles("ratings")
        self.query_one(RatingBar).prepare()

    def _show_ratings(self, state: StudyState) -> None:
        bar = self.query_one(RatingBar)
        flashcard_revealed = isinstance(state.view, FlashcardView) and state.revealed
        bar.set_shown(state.answered or flashcard_revealed, self.size.width)
        if not bar.display:
            return
        self._prepare_ratings()
        if "rate" not in state.allowed:
            bar.show({}, note="Practice is not scheduled · enter for a new problem", ratings=False)
            return
        intervals = {int(r): d for r, d in state.intervals.items()}
        untouched = "" if state.scheduled else "Cram · the schedule is untouched · "
        outcome = state.outcome
        if outcome is None:
            bar.show(intervals, note=f"{untouched}How well did you know it?")
            return
        name = RATING_NAMES[int(outcome.rating)]
        note = f"{untouched}Rated {name} automatically · 1–4 to change it · enter to go on"
        bar.show(intervals, chosen=int(outcome.rating), note=note)
        if outcome.leech and self._leech_told is not outcome:
            self._leech_told = outcome
            self.notify(
                "This one keeps slipping: it is set aside as a leech until you rework it.",
                title="Leech",
                severity="warning",
            )

    def finish(self) -> None:
        from quizapp.tui.screens.summary import ReturningSummaryScreen, SummaryScreen

        summary = ReturningSummaryScreen if self.returns else SummaryScreen
        self.app.switch_screen(summary(self.session.summary(), self.study_title))

    # -- which keys apply now: the session's rules ----------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in STUDY_ACTIONS:
            return self.state.allows(action, *parameters)
        if action == "scroll_card":  # offered only when there is more to see
            return self.query_one("#card-scroll", VerticalScroll).max_scroll_y > 0
        if action == "type":  # back into the answer box after escape
            if not self._typing(self.state):
                return False
            from quizapp.tui.widgets.drill.answers import AnswerInput

            return not isinstance(self.focused, AnswerInput)
        return True

    def on_resize(self, event: events.Resize) -> None:
        bar = self.query_one(RatingBar)
        if bar.display:
            bar.set_shown(True, event.size.width)
        # the card reflows at the new size: the verdict of the answer shown stays in view
        if isinstance(self.state.view, DrillView) and self.state.outcome is not None:
            self.call_after_refresh(self._drill_card().verdict_to_top)

    def on_key(self, event: events.Key) -> None:
        """A number typed while a drill waits for it goes into its box (after escape, on a
        section's title, or before the box had the focus): digits are never actions while a
        drill is open, and never lost."""
        if not (self._typing(self.state) and event.character is not None):
            return
        from textual.widgets import Input

        from quizapp.tui.widgets.drill.answers import type_into

        focused = self.focused
        if isinstance(focused, Input) and event.is_printable:
            # A box keeps the characters typed in it: one that reaches the screen while a
            # box has the focus was sent on before the focus moved there, in the same burst
            # as the key that moved it ("130" typed fast after escape kept only the 1).
            event.stop()
            event.prevent_default()
            type_into(focused, event.character)  # after the keys of the burst before it
            return
        if event.character not in NUMBER_START:
            return
        if not isinstance(focused, Input):  # in a box, the box takes it
            card = self._drill_card()
            box = card.answer_box(focused)
            if box is not None and box.is_mounted:
                event.stop()
                event.prevent_default()
                if card.focus_answer(box):
                    type_into(box, event.character)  # after what the box holds

    # -- intents --------------------------------------------------------------------------
    def action_hint(self) -> None:
        self.session.show_hint()
        self.render_session()

    def action_reveal(self) -> None:
        self.session.reveal()
        self.render_session()

    def action_next(self) -> None:
        self.session.next()
        self.render_session()

    def action_good(self) -> None:
        from quizapp.study.state import Rating  # fsrs's: imported with the first rating

        self.action_rate(int(Rating.Good))

    def action_rate(self, value: int) -> None:
        from quizapp.study.state import Rating

        self.commit(lambda: self.session.choose(Rating(value)), lambda _: self.render_session())

    def action_pick(self, index: int, count: int | None = None) -> None:
        self._answer_trap(index)

    def action_holds(self, holds: bool) -> None:
        self._answer_trap(holds)

    def action_see_it(self) -> None:
        """The trajectory lab on the experiment that shows this item; escape comes back."""
        from quizapp.tui.screens.lab import LabScreen

        if self.state.experiment is not None:
            self.app.push_screen(LabScreen(experiment=self.state.experiment, returns=True))

    def action_convention(self) -> None:
        from textual.widgets import Collapsible  # a drill's panel: not needed before one shows

        panel = self.query_one("#convention", Collapsible)
        panel.collapsed = not panel.collapsed

    def action_undo(self) -> None:
        def undone(_: object) -> None:
            self.notify("Took back the last answer", timeout=2)
            self.render_session()

        try:
            self.commit(self.session.undo, undone)
        except SessionError as exc:
            self.notify(str(exc), severity="warning")

    def action_scroll_card(self, lines: int) -> None:
        """↑ ↓ scroll a line, PgUp PgDn a page (``lines`` ±10 stands for a page)."""
        scroll = self.query_one("#card-scroll", VerticalScroll)
        if abs(lines) >= 10:
            (scroll.scroll_page_down if lines > 0 else scroll.scroll_page_up)(animate=False)
        else:
            scroll.scroll_relative(y=lines, animate=False)

    def action_type(self) -> None:
        """Back into the box left with escape, after what it holds (its focus would select
        the text, and the next digit would replace it)."""
        card = self._drill_card()
        box = card.answer_box()
        if box is not None and card.focus_answer(box):
            from quizapp.tui.widgets.drill.answers import type_into

            type_into(box, "")

    def action_skip(self) -> None:
        self.session.skip()
        self.render_session()

    def action_leave(self) -> None:
        if self.state.answered_count:
            self.finish()
        elif self.returns:
            self.app.pop_screen()
        else:
            self.app.go_home()

    def _answer_trap(self, choice: int | bool) -> None:
        self.commit(lambda: self.session.answer_trap(choice), lambda _: self.render_session())

    # -- messages from the cards (mouse and typed answers) --------------------------------
    @on(RevealRequested)
    def _on_reveal(self) -> None:
        if self.state.allows("reveal"):
            self.action_reveal()

    @on(RatingChosen)
    def _on_rating(self, message: RatingChosen) -> None:
        if self.state.allows("rate", message.rating):
            self.action_rate(message.rating)

    @on(NextRequested)
    def _on_next(self) -> None:
        if self.state.allows("next"):
            self.action_next()

    @on(TrapAnswered)
    def _on_trap(self, message: TrapAnswered) -> None:
        choice = message.choice
        action = "holds" if isinstance(choice, bool) else "pick"
        if self.state.allows(action, choice):
            self._answer_trap(choice)

    @on(DrillSubmitted)
    def _on_drill(self, message: DrillSubmitted) -> None:
        if not self.state.allows("submit"):
            return
        from quizapp.engine.answers import AnswerParseError
        from quizapp.engine.drills import DrillError

        card = self._drill_card()

        def answered(_: object) -> None:
            self.render_session()  # the card scrolls its verdict into view once laid out

        try:
            self.commit(lambda: self.session.answer_drill(message.answers), answered)
        except AnswerParseError as exc:
            card.show_error(
                f"Could not read that: {exc}. Nothing was recorded; fix it and press enter."
            )
        except (DrillError, SessionError) as exc:
            card.show_error(str(exc))
