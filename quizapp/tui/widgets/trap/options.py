"""A trap's answers as a focusable list, for screens whose own keys must not change (the
mock interview): letters a–f pick a statement and y / n judge one, as in study; ↑ ↓ and
enter, and the mouse, work too."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.binding import Binding
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from quizapp.decks.text import safe_markup
from quizapp.study.items import TrapView
from quizapp.tui.widgets.trap.keys import LETTERS, pick_bindings

__all__ = ["TrapOptions", "pick_bindings"]


def _keyed(key: str, text: Text) -> Table:
    """``a)  statement`` with the key in its own column: a wrapped line keeps its indent."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True, style="bold")
    grid.add_column(ratio=1)
    grid.add_row(f"{key})", text)
    return grid


class TrapOptions(OptionList):
    """The statements (pick) or holds / does not hold, each with its key."""

    BINDINGS = [
        *pick_bindings("pick", "trap-options.pick"),
        Binding("y", "judge(True)", "Holds", id="trap-options.holds"),
        Binding("n", "judge(False)", "Doesn't", id="trap-options.not-holds"),
        # a few options need no paging: page up / down stay the screen's (prev / next)
        Binding("pageup,pagedown", "page_keys", show=False),
    ]

    def __init__(self, view: TrapView, **kwargs: object) -> None:
        if view.mode == "pick":
            options = [
                Option(_keyed(LETTERS[i], safe_markup(text)))
                for i, text in enumerate(view.statements)
            ]
        else:
            options = [
                Option(_keyed("y", Text("It holds"))),
                Option(_keyed("n", Text("It does not hold"))),
            ]
        super().__init__(*options, **kwargs)  # type: ignore[arg-type]
        self.mode = view.mode

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "pick":
            if self.mode != "pick" or self.disabled:
                return False
            index = parameters[0]
            count = parameters[1] if len(parameters) > 1 else None
            if count is not None and count != self.option_count:
                return False
            return isinstance(index, int) and index < self.option_count
        if action == "judge":
            return self.mode == "holds" and not self.disabled
        return action != "page_keys"  # page keys never: they go on to the screen

    def action_pick(self, index: int, count: int | None = None) -> None:
        self.highlighted = index
        self.action_select()

    def action_judge(self, holds: bool) -> None:
        self.highlighted = 0 if holds else 1
        self.action_select()
