"""The line above a card: what is being studied, a progress bar and Anki's three counts."""

from __future__ import annotations

from rich.style import Style
from textual.app import ComposeResult, RenderResult
from textual.containers import Horizontal
from textual.content import Content
from textual.geometry import clamp
from textual.reactive import reactive
from textual.renderables.bar import Bar as BarRenderable
from textual.widget import Widget
from textual.widgets import Static

from quizapp.study.format import fit
from quizapp.study.state import QueueCounts, StudyState
from quizapp.tui.widgets.study.text import plain

#: Anki's colours for its three numbers: new blue, learning red, review green.
COUNT_STYLES = {"new": "$text-primary", "learning": "$text-error", "review": "$text-success"}


def counts_text(counts: QueueCounts) -> Content:
    """``12 + 3 + 40`` (new + learning + review), coloured as Anki does; the count the
    item on screen belongs to is underlined."""
    parts: list[str | tuple[str, str]] = []
    for name in ("new", "learning", "review"):
        style = COUNT_STYLES[name] + (" bold underline" if counts.current == name else "")
        if parts:
            parts.append((" + ", "$text-muted"))
        parts.append((str(getattr(counts, name)), style))
    return Content.assemble(*parts)


class StudyBar(Widget, can_focus=False):
    """The share of the session done, drawn as Textual's ``Bar`` widget draws a known
    percentage (the same renderable, component styles and half-cell rounding). That
    widget's module also builds the ProgressBar and its percentage and ETA labels (~10 M
    instructions to import before the first card), and a bar without a percentage yet
    animates (a 15 Hz timer); this one always has one."""

    COMPONENT_CLASSES = {"bar--bar", "bar--complete"}

    DEFAULT_CSS = """
    StudyBar {
        width: 32;
        height: 1;

        &> .bar--bar {
            color: $primary;
            background: $surface;
        }
        &> .bar--complete {
            color: $success;
            background: $surface;
        }
    }
    """

    percentage: reactive[float] = reactive(0.0)
    """The share done, 0 to 1."""

    def _validate_percentage(self, percentage: float) -> float:
        """To the half cell the bar can draw, as Textual's Bar does (once it has a width)."""
        width = self.size.width * 2
        return int(percentage * width) / width if width else percentage

    def render(self) -> RenderResult:
        component = "bar--bar" if self.percentage < 1 else "bar--complete"
        bar_style = self.get_component_rich_style(component)
        return BarRenderable(
            highlight_range=(0, self.size.width * self.percentage),
            highlight_style=Style.from_color(bar_style.color),
            background_style=Style.from_color(bar_style.bgcolor),
        )


class StudyProgress(Horizontal):
    """``Review  ━━━━━━━──────  12 + 3 + 40`` (an endless practice shows its count).

    The bar is the share of the session done; it grows back when an item must be
    relearnt, as Anki's counts do.
    """

    def __init__(self, title: str) -> None:
        super().__init__()
        self._title = title

    def compose(self) -> ComposeResult:
        yield Static(plain(self._title), id="study-title")
        # Textual's ProgressBar without its percentage and ETA is its Bar inside a
        # container that keeps a clock and an ETA estimate: ~1.5 % of the first card's
        # instructions for the same cells; StudyBar draws as that Bar does.
        yield StudyBar(id="study-bar")
        yield Static("", id="study-count")

    def on_resize(self) -> None:
        # the title gets at most 40 % of the line, cut at a word, never mid-word
        width = max(8, min(40, self.size.width * 2 // 5))
        self.query_one("#study-title", Static).update(plain(fit(self._title, width)))

    def show(self, state: StudyState) -> None:
        bar = self.query_one(StudyBar)
        count = self.query_one("#study-count", Static)
        if state.counts is None:
            bar.display = False
            count.update(f"{state.answered_count} answered")
            return
        bar.percentage = clamp(state.position / max(state.total, 1), 0.0, 1.0)
        count.update(counts_text(state.counts))
        count.tooltip = "new + learning + review still to show in this session"
