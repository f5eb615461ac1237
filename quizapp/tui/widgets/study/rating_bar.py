"""Again / Hard / Good / Easy, each with the interval it would schedule (as in Anki)."""

from __future__ import annotations

from datetime import timedelta

from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Button, Static

from quizapp.study.format import interval
from quizapp.tui.widgets.study.messages import NextRequested, RatingChosen

RATING_NAMES = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}


class RatingBar(Vertical):
    """Four buttons; the mouse clicks them, the keys 1–4 are bound on the screen.

    The bar is hidden until an answer is shown, so its widgets are not built with the
    screen: the screen calls :meth:`prepare` once the first card is painted (seven widgets
    and the Button styles, ~15 ms of the first card), and :meth:`show` builds them if that
    has not happened yet."""

    _note: Static | None = None
    _next: Button
    _rates: dict[int, Button]

    def __init__(self, *, room: Widget | None = None, id: str | None = None) -> None:
        super().__init__(id=id)
        self._room = room

    def on_resize(self) -> None:
        """The room kept under the card (see study.tcss) is as tall as the bar."""
        if self._room is not None:
            self._room.styles.height = self.outer_size.height

    def set_shown(self, shown: bool, width: int) -> None:
        """Show or hide the bar and the room under the card with it; shown, it spans
        ``width`` (the screen's) but for the card's scrollbar, which stays in view beside it
        (a docked widget's margin does not narrow it). Set only while shown, so a hidden bar
        costs no layout."""
        self.display = shown
        if self._room is not None:
            self._room.display = shown
        if shown and width:
            self.styles.width = width - 1

    def prepare(self) -> None:
        """Build the note and the buttons (once)."""
        if self._note is not None:
            return
        self._note = Static("", id="rating-note")
        self._next = Button("Next ›", id="next-item", classes="next", compact=True)
        self._next.can_focus = False
        self._next.display = False
        self._rates = {}
        for value, name in RATING_NAMES.items():
            button = Button(
                f"{value} {name}",
                id=f"rate-{value}",
                classes=f"rate rate-{value}",
                compact=True,
            )
            button.can_focus = False  # keys go to the screen; the mouse still clicks
            self._rates[value] = button
        self.mount(self._note, Horizontal(self._next, *self._rates.values(), id="rating-buttons"))

    def show(
        self,
        intervals: dict[int, timedelta],
        chosen: int | None = None,
        note: str = "",
        *,
        ratings: bool = True,
    ) -> None:
        """Label each button with its interval; mark ``chosen`` (the automatic rating).
        Without ``ratings`` (free practice) only a Next button shows."""
        self.prepare()
        assert self._note is not None
        self._next.display = not ratings
        self._note.update(note)
        self._note.display = bool(note)
        for value, name in RATING_NAMES.items():
            button = self._rates[value]
            button.display = ratings
            ivl = intervals.get(value)
            button.label = (
                f"{value} {name} · {interval(ivl)}" if ivl is not None else f"{value} {name}"
            )
            button.set_class(value == chosen, "-chosen")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "next-item":
            self.post_message(NextRequested())
        elif event.button.id and event.button.id.startswith("rate-"):
            self.post_message(RatingChosen(int(event.button.id.removeprefix("rate-"))))
