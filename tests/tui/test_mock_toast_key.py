"""D6: when every question is answered, the mock's notice names the key the footer shows
for ending the interview (it said ctrl+f while the footer showed "f End"), and that key
ends it."""

from __future__ import annotations

from pathlib import Path

from textual.widgets._footer import FooterKey

from quizapp.tui.screens.mock import MockScreen
from quizapp.tui.screens.mock_report import MockReportScreen
from tests.tui.test_mock_app import mock_context, open_on, start_mock


async def test_the_all_answered_notice_names_the_footers_end_key(tmp_path: Path) -> None:
    ctx = mock_context(tmp_path)
    try:
        mock = start_mock(ctx, ["mock.adam.idea"])  # one flashcard
        app = open_on(ctx, lambda: MockScreen(mock))
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await pilot.press(*"m and v", "enter")  # reveal
            await pilot.pause()
            await pilot.press("3")  # self-graded right: every question answered
            await pilot.pause()
            shown = {k.description: k.key_display for k in app.screen.query(FooterKey)}
            key = shown["End"]
            notices = [n.message for n in app._notifications]
            assert any(f"press {key} (End)" in n for n in notices), (key, notices)
            assert not any("ctrl+f" in n for n in notices if key != "ctrl+f")
            await pilot.press(key)  # the key named does what it says
            await pilot.pause()
            assert isinstance(app.screen, MockReportScreen) or mock.finished
    finally:
        ctx.close()
