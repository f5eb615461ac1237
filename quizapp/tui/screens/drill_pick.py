"""Pick a kind of numeric drill to practise (``d`` on the home screen).

Some forty kinds: typing filters them (every word must appear in the kind's title,
description, topic or id), as Textual's command palette and Anki's deck chooser do; ↑ ↓
choose among the ones left, enter starts the highlighted one, a click starts a kind."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from quizapp.engine import drills
from quizapp.tui.screens.modal import QuizModal
from quizapp.tui.widgets.footer import QuizFooter
from quizapp.tui.widgets.text_input import InOrderInput


class KindFilter(InOrderInput):
    """The filter box; its enter starts the highlighted kind (and says so in the footer)."""

    BINDINGS = [
        Binding("down", "screen.move(1)", "Choose", key_display="↑↓", id="drill-pick.down"),
        Binding("up", "screen.move(-1)", "Choose", show=False, id="drill-pick.up"),
        Binding("pagedown", "screen.move(5)", show=False, id="drill-pick.page-down"),
        Binding("pageup", "screen.move(-5)", show=False, id="drill-pick.page-up"),
        Binding("enter", "submit", "Start", id="drill-pick.start"),
    ]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "submit":  # nothing to start when no kind matches
            return self.screen.query_one(OptionList).option_count > 0
        return True

    def watch_value(self, value: str) -> None:
        # filtered as the value changes, before the next key of a burst (a ↓ typed right
        # after the words moves in the filtered list, not in one about to be replaced)
        if self.is_attached and isinstance(self.screen, DrillPickScreen):
            self.screen.filter(value)


def matches(words: list[str], info: drills.DrillKindInfo) -> bool:
    """Every word (lower case) appears somewhere in the kind's title, description, topic or id."""
    text = f"{info.title} {info.description} {info.topic} {info.kind}".lower()
    return all(word in text for word in words)


def rank(words: list[str], info: drills.DrillKindInfo) -> int:
    """Where a matching kind goes (lower first): every word in its title, then in its title
    or id, then anywhere — ``adam`` lists "One Adam step" before RMSprop's card that only
    mentions Adam in its description. The order within a rank is the catalog's."""
    title = info.title.lower()
    if all(word in title for word in words):
        return 0
    return 1 if all(word in f"{title} {info.kind}" for word in words) else 2


def shown(words: list[str], infos: list[drills.DrillKindInfo]) -> list[drills.DrillKindInfo]:
    """The kinds matching every word, ranked (title matches first), catalog order within."""
    return sorted((i for i in infos if matches(words, i)), key=lambda i: rank(words, i))


class DrillPickScreen(QuizModal[str | None]):
    """A filterable list of drill kinds; enter (or a click) returns the kind, escape None."""

    STYLESHEETS = ("dialogs",)

    BINDINGS = [Binding("escape", "dismiss(None)", "Back", id="drill-pick.back")]

    def __init__(self) -> None:
        super().__init__()
        self.infos = [drills.info(kind) for kind in drills.kinds()]

    def compose(self) -> ComposeResult:
        with Vertical(id="drill-pick", classes="panel"):
            yield KindFilter(placeholder="type to filter: adam, clip, schedule…", id="drill-filter")
            kinds = OptionList(*self._options(self.infos), id="drill-kinds")
            kinds.can_focus = False  # the typing stays in the filter; a click still starts
            yield kinds
        yield QuizFooter()

    def on_mount(self) -> None:
        box = self.query_one("#drill-pick")
        box.border_title = "Drill: pick a kind"
        box.border_subtitle = f"{len(self.infos)} kinds · type to filter · enter starts"
        self.query_one(OptionList).highlighted = 0

    @staticmethod
    def _options(infos: list[drills.DrillKindInfo]) -> list[Option]:
        return [
            Option(
                Content.assemble((info.title, "bold"), "\n", (info.description, "$text-muted")),
                id=info.kind,
            )
            for info in infos
        ]

    def filter(self, value: str) -> None:
        """Show the kinds matching every word of ``value``; the cursor on the first."""
        words = value.lower().split()
        shown_kinds = shown(words, self.infos)
        kinds = self.query_one(OptionList)
        kinds.clear_options()
        kinds.add_options(self._options(shown_kinds))
        kinds.highlighted = 0 if shown_kinds else None
        box = self.query_one("#drill-pick")
        if not words:
            box.border_subtitle = f"{len(self.infos)} kinds · type to filter · enter starts"
        elif shown_kinds:
            box.border_subtitle = f"{len(shown_kinds)} of {len(self.infos)} kinds · enter starts"
        else:
            box.border_subtitle = "no kind matches · backspace widens"
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "move":  # (the filter's ↑↓) nothing to choose when no kind matches
            return self.query_one(OptionList).option_count > 0
        return True

    def action_move(self, step: int) -> None:
        kinds = self.query_one(OptionList)
        if not kinds.option_count:
            return
        now = kinds.highlighted if kinds.highlighted is not None else 0
        kinds.highlighted = max(0, min(kinds.option_count - 1, now + step))

    @on(InOrderInput.Submitted, "#drill-filter")
    def _start(self, event: InOrderInput.Submitted) -> None:
        event.stop()
        kinds = self.query_one(OptionList)
        if kinds.highlighted is not None:
            option = kinds.get_option_at_index(kinds.highlighted)
            self.dismiss(option.id)

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)
