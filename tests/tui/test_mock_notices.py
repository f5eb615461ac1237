"""usertest4 D6, the mock's keys and notices: a conceptual question's footer names what enter
does in its box (the box said "enter shows the model answer", the footer had no ⏎); the
"All questions answered: press f (End)" notice goes when the report comes, where f does
nothing; "Time is up" is said over the report."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.tui.screens.mock import MockScreen
from quizapp.tui.screens.mock_report import MockReportScreen
from tests.tui.test_mock_app import clock_of, mock_context, open_on, start_mock


def _footer(app) -> dict[str, str]:  # noqa: ANN001
    """key -> description of the bindings the footer shows now."""
    return {
        key: b.binding.description
        for key, b in app.screen.active_bindings.items()
        if b.binding.show and b.enabled
    }


def _notices(app) -> list[str]:  # noqa: ANN001
    return [n.message for n in app._notifications]  # noqa: SLF001


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
async def test_enter_is_in_the_footer_and_the_answered_notice_leaves_with_the_screen(
    tmp_path: Path,
) -> None:
    ctx = mock_context(tmp_path)
    mock = start_mock(ctx, ["mock.adam.idea"], practice=True)
    app = open_on(ctx, lambda: MockScreen(mock))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert _footer(app).get("enter") == "Model answer"
        await pilot.press(*"momentum", "enter")
        await pilot.pause()
        assert mock.state().current.revealed
        await pilot.press("3")  # right
        await pilot.pause()
        assert any("All questions answered" in n for n in _notices(app))
        await pilot.press("f")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, MockReportScreen)
        assert not any("All questions answered" in n for n in _notices(app)), _notices(app)
    ctx.close()


async def test_time_up_is_said_over_the_report(tmp_path: Path) -> None:
    ctx = mock_context(tmp_path)
    mock = start_mock(ctx, ["mock.adam.idea", "mock.sgd.batch"], minutes=1)
    app = open_on(ctx, lambda: MockScreen(mock))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MockScreen)
        clock_of(ctx).advance(minutes=2)
        await screen.check_time()
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, MockReportScreen)
        assert any(n.startswith("Time is up") for n in _notices(app)), _notices(app)
    ctx.close()
