"""The line above a card: what is being studied, a progress bar and n of N."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import ProgressBar, Static

from quizapp.tui.widgets.study.text import plain


class StudyProgress(Horizontal):
    """``Review  ━━━━━━━──────  3 / 12`` (an endless practice shows only its count)."""

    def __init__(self, title: str) -> None:
        super().__init__()
        self._title = title

    def compose(self) -> ComposeResult:
        yield Static(plain(self._title), id="study-title")
        yield ProgressBar(show_eta=False, show_percentage=False, id="study-bar")
        yield Static("", id="study-count")

    def show(self, done: int, total: int, item_kind: str) -> None:
        bar = self.query_one(ProgressBar)
        count = self.query_one("#study-count", Static)
        if total:
            bar.update(total=total, progress=done)
            count.update(f"{min(done + 1, total)} of {total} · {item_kind}")
        else:
            bar.display = False
            count.update(f"{done} answered · {item_kind}")
