"""The drill card's texts and what it scrolls to. A drill without working boxes (one field,
lr-exponential …) said "tab: your working" and "the working boxes are optional" all the same;
at 80×24 with the convention open, "Could not read that" was below the fold (nothing seemed
to happen until PgDn)."""

from __future__ import annotations

import pytest
from textual.containers import VerticalScroll
from textual.widgets import Static

from quizapp.engine import drills
from quizapp.tui.widgets.drill.card import KEYS_ASKED, KEYS_WORKING


def _text(widget: Static) -> str:
    return str(widget.render())


@pytest.mark.parametrize("kind", ["lr-exponential", "lr-cosine", "lr-warmup", "lr-warmup-cosine"])
async def test_a_drill_without_working_boxes_never_mentions_them(make_app, kind: str) -> None:
    assert len(drills.info(kind).fields) == 1  # what the tester saw: one box, no working
    app = make_app(drill=kind)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert not screen.query_one("#working").display
        keys = screen.query_one("#drill-keys", Static)
        assert _text(keys) == "enter submits · unreadable input costs nothing"
        await pilot.press("enter")  # the box is empty
        await pilot.pause()
        error = _text(screen.query_one("#drill-error", Static))
        assert error.startswith("Type ") and "Nothing was recorded" in error
        assert "working" not in error


async def test_a_drill_with_working_boxes_still_names_them(make_app) -> None:
    app = make_app(drill="adam")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        keys = screen.query_one("#drill-keys", Static)
        assert _text(keys) == KEYS_ASKED
        await pilot.press("enter")
        await pilot.pause()
        assert "the working boxes are optional" in _text(screen.query_one("#drill-error", Static))
        await pilot.press("tab", "enter", "tab")  # into the first working box
        await pilot.pause()
        assert _text(keys) == KEYS_WORKING


async def test_the_unreadable_line_is_scrolled_into_view(make_app) -> None:
    """At 80×24 with the convention open the error line was below the fold."""
    app = make_app(drill="adam")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("escape", "c")  # the convention opens (c is the screen's key)
        await pilot.pause()
        await pilot.press(*"1.2.3")  # a digit goes back into the box
        await pilot.press("enter")
        await pilot.pause()
        error = screen.query_one("#drill-error", Static)
        assert error.display and "Could not read that" in _text(error)
        scroll = screen.query_one("#card-scroll", VerticalScroll)
        assert scroll.max_scroll_y > 0  # the card is taller than the window
        assert scroll.content_region.contains_region(error.region)
        # scrolled away and enter again (the same message): in view again
        await pilot.press("pageup", "pageup")
        await pilot.pause()
        assert scroll.scroll_y == 0 and not scroll.content_region.contains_region(error.region)
        await pilot.press("enter")
        await pilot.pause()
        assert error.display and "Could not read that" in _text(error)
        assert scroll.content_region.contains_region(error.region)
