"""Pick a kind of numeric drill to practise (``d`` on the home screen)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from quizapp.engine import drills
from quizapp.tui.screens.base import QuizModal


class DrillPickScreen(QuizModal[str | None]):
    """A list of drill kinds; enter (or a click) returns the kind, escape returns None."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Back", id="drill-pick.back")]

    def compose(self) -> ComposeResult:
        options = []
        for kind in drills.kinds():
            info = drills.info(kind)
            prompt = Content.assemble((info.title, "bold"), "\n", (info.description, "$text-muted"))
            options.append(Option(prompt, id=kind))
        yield OptionList(*options, id="drill-kinds", classes="panel")

    def on_mount(self) -> None:
        kinds = self.query_one("#drill-kinds", OptionList)
        kinds.border_title = "Drill: pick a kind"
        kinds.border_subtitle = "enter starts · escape back"

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)
