"""usertest5 D5: a mock question longer than the screen (a practice drill's worked solution
at 80×24) scrolls with ↑ ↓, which the footer shows as Scroll only while there is more to
see; PgUp PgDn stay Prev and Next (an answer box takes p and n)."""

from __future__ import annotations

from pathlib import Path

from tests.tui.test_footers import assert_footer_true
from tests.tui.test_mock_feedback_in_view import answer_the_drill, practice_mock


async def test_arrows_scroll_a_long_question_and_the_footer_says_so(tmp_path: Path) -> None:
    ctx, mock, app = practice_mock(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await answer_the_drill(pilot, mock)
        scroll = app.screen.query_one("#mock-scroll")
        assert scroll.max_scroll_y > 0
        assert "↑↓ Scroll" in assert_footer_true(app, "answered drill, 80x24")
        scroll.scroll_home(animate=False)
        await pilot.pause()
        await pilot.press("down", "down")
        await pilot.pause()
        assert scroll.scroll_y == 2
        await pilot.press("up")
        await pilot.pause()
        assert scroll.scroll_y == 1
        await pilot.press("n")  # the conceptual question fits: no Scroll key
        await pilot.pause()
        await pilot.pause()
        assert mock.state().position == 1 and scroll.max_scroll_y == 0
        assert "Scroll" not in assert_footer_true(app, "conceptual question")
        await pilot.press("pageup")  # still Prev
        await pilot.pause()
        assert mock.state().position == 0
    ctx.close()
