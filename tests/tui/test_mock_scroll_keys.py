"""usertest5 D5: a mock question longer than the screen (a practice drill's worked solution
at 80×24) scrolls with ↑ ↓, which the footer shows as Scroll only while there is more to
see; PgUp PgDn stay Prev and Next (an answer box takes p and n)."""

from __future__ import annotations

from pathlib import Path

from quizapp.study.items import DrillView
from quizapp.tui.screens.mock import MockScreen
from tests.tui.test_footers import assert_footer_true
from tests.tui.test_mock_app import mock_context, open_on, start_mock


async def test_arrows_scroll_a_long_question_and_the_footer_says_so(tmp_path: Path) -> None:
    ctx = mock_context(tmp_path)
    mock = start_mock(ctx, ["mock.drill.bias", "mock.adam.idea"], practice=True)
    app = open_on(ctx, lambda: MockScreen(mock))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        view = mock.state().current.view
        assert isinstance(view, DrillView)
        await pilot.press(*"0.5")
        for _ in view.problem.fields:
            await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
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
