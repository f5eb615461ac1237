"""The rating bar lies over the bottom of the card's scroll area (issue 16, eleventh pass):
showing it leaves the scroll area's size alone (a resize repainted every line of it in the
frame of each answer), and the room kept under the cards is as tall as the bar, so the end
of a long card still scrolls into view above the bar and nothing is hidden under it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.containers import VerticalScroll

from quizapp.tui.app import QuizApp
from quizapp.tui.widgets.study.rating_bar import RatingBar


@pytest.mark.parametrize("size", [(80, 24), (120, 26)], ids=["80x24", "120x26"])
async def test_the_bar_covers_nothing_that_cannot_scroll_into_view(
    make_app: Callable[..., QuizApp], size: tuple[int, int]
) -> None:
    app = make_app("drill")
    async with app.run_test(size=size) as pilot:
        scroll = app.screen.query_one("#card-scroll", VerticalScroll)
        before = scroll.region
        await pilot.pause()
        for key in ("0", ".", "5", "enter"):  # a wrong answer: the verdict and the solution
            await pilot.press(key)
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        bar = app.screen.query_one(RatingBar)
        assert bar.display and bar.region.height >= 2
        assert scroll.region == before  # the bar came without resizing the card's area
        room = app.screen.query_one("#ratings-room")
        assert room.display and room.region.height == bar.region.height
        # the bar sits on the footer's line's top, inside the scroll area's bottom rows
        assert bar.region.bottom == scroll.region.bottom
        scroll.scroll_end(animate=False)
        await pilot.pause()
        card = app.screen.query_one("#drill")
        assert scroll.max_scroll_y > 0  # a long card at either size: the test means something
        assert card.region.bottom <= bar.region.y  # its last line (the border) is above the bar
        # the scrollbar stays in view beside the bar
        assert bar.region.right <= scroll.region.right - scroll.styles.scrollbar_size_vertical
        await pilot.press("enter")  # the next item: bar and room go together
        await pilot.pause()
        assert bar.display == room.display
