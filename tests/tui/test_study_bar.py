"""The study progress line's bar (StudyBar) draws as Textual's Bar widget does for the same
share done and width: the same cells and styles, half-cell rounding included (issue 16:
the bar is drawn without importing Textual's progress-bar module before the first card)."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.widgets._progress_bar import Bar

from quizapp.tui.widgets.study.progress import StudyBar


class _Bars(App[None]):
    CSS = "Bar, StudyBar { width: 37; }"

    def compose(self) -> ComposeResult:
        yield Bar()
        yield StudyBar()


@pytest.mark.parametrize("share", [0.0, 0.013, 0.25, 1 / 3, 0.5, 0.999, 1.0])
async def test_study_bar_draws_as_textuals_bar(share: float) -> None:
    app = _Bars()
    async with app.run_test(size=(40, 4)) as pilot:
        ours, theirs = app.query_one(StudyBar), app.query_one(Bar)
        for bar in (ours, theirs):
            bar.percentage = share
        await pilot.pause()
        assert ours.percentage == theirs.percentage  # the same half-cell rounding
        assert ours.render_line(0) == theirs.render_line(0)
        assert ours.render_line(0).text.strip()  # something was drawn
