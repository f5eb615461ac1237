"""The study screen skips Textual's restyle of the whole screen on its first resume (issue
16, fifth pass): every widget was styled as it was mounted. Held here: after the first
card is shown, restyling the screen as Textual would have changes no widget's styles, for
a first card of each kind."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from quizapp.tui.app import QuizApp
from quizapp.tui.screens.study import StudyScreen

PROPERTIES = (
    "display",
    "visibility",
    "layout",
    "dock",
    "width",
    "height",
    "min_width",
    "max_width",
    "min_height",
    "max_height",
    "margin",
    "padding",
    "border",
    "outline",
    "color",
    "background",
    "text_style",
    "text_align",
    "content_align",
    "align",
    "overflow_x",
    "overflow_y",
    "scrollbar_size_vertical",
    "border_title_color",
    "border_title_style",
    "border_subtitle_color",
    "text_wrap",
)


def _styles(screen: StudyScreen) -> dict[int, tuple[str, ...]]:
    return {
        id(node): tuple(repr(getattr(node.styles, name)) for name in PROPERTIES)
        for node in screen.walk_children(with_self=True)
    }


@pytest.mark.parametrize("kind", ["flashcard", "trap", "drill"])
async def test_first_resume_restyle_would_change_nothing(
    make_app: Callable[..., QuizApp], kind: str
) -> None:
    app = make_app(kind)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StudyScreen)
        assert screen.query_one(".card").id == kind
        before = _styles(screen)
        assert len(before) > 20  # the whole screen: header, progress, card, footer keys
        app.stylesheet.update(screen)  # what the skipped restyle did
        assert _styles(screen) == before
