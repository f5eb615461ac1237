"""The line above a card: what is being studied, a progress bar and Anki's three counts."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.geometry import clamp
from textual.widgets import Static
from textual.widgets._progress_bar import Bar

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
        # Textual's ProgressBar without its percentage and ETA is this Bar inside a
        # container that keeps a clock and an ETA estimate: ~1.5 % of the first card's
        # instructions for the same cells.
        yield Bar(id="study-bar")
        yield Static("", id="study-count")

    def on_resize(self) -> None:
        # the title gets at most 40 % of the line, cut at a word, never mid-word
        width = max(8, min(40, self.size.width * 2 // 5))
        self.query_one("#study-title", Static).update(plain(fit(self._title, width)))

    def show(self, state: StudyState) -> None:
        bar = self.query_one(Bar)
        count = self.query_one("#study-count", Static)
        if state.counts is None:
            bar.display = False
            count.update(f"{state.answered_count} answered")
            return
        bar.percentage = clamp(state.position / max(state.total, 1), 0.0, 1.0)
        count.update(counts_text(state.counts))
        count.tooltip = "new + learning + review still to show in this session"
