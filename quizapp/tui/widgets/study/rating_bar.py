"""Again / Hard / Good / Easy, each with the interval it would schedule (as in Anki)."""

from __future__ import annotations

from datetime import timedelta

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from quizapp.study.format import interval
from quizapp.tui.widgets.study.messages import NextRequested, RatingChosen

RATING_NAMES = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}


class RatingBar(Vertical):
    """Four buttons; the mouse clicks them, the keys 1–4 are bound on the screen."""

    def compose(self) -> ComposeResult:
        yield Static("", id="rating-note")
        with Horizontal(id="rating-buttons"):
            next_button = Button("Next ›", id="next-item", classes="next", compact=True)
            next_button.can_focus = False
            next_button.display = False
            yield next_button
            for value, name in RATING_NAMES.items():
                button = Button(
                    f"{value} {name}",
                    id=f"rate-{value}",
                    classes=f"rate rate-{value}",
                    compact=True,
                )
                button.can_focus = False  # keys go to the screen; the mouse still clicks
                yield button

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
        self.query_one("#next-item").display = not ratings
        for button in self.query(".rate"):
            button.display = ratings
        self.query_one("#rating-note", Static).update(note)
        self.query_one("#rating-note").display = bool(note)
        for value, name in RATING_NAMES.items():
            button = self.query_one(f"#rate-{value}", Button)
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
