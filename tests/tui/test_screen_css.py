"""A start parses only the stylesheets of what it shows (issue 16): the mock interview's and
the stats' rules come with their screens (``CSS_PATH``), and style them as before (their
snapshots are unchanged)."""

from __future__ import annotations

from collections.abc import Callable

from textual.widgets import Button

from quizapp.tui.app import QuizApp
from quizapp.tui.screens.base import MOCK_CSS, STATS_CSS
from quizapp.tui.screens.mock_setup import MockSetupScreen
from quizapp.tui.screens.stats import StatsScreen


def _sources(app: QuizApp) -> set[str]:
    return {str(path) for path, _ in app.stylesheet.source}


async def test_a_review_parses_neither_mock_nor_stats_rules(
    make_app: Callable[..., QuizApp],
) -> None:
    app = make_app(review=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.screen.query(".card")
        assert not {str(MOCK_CSS), str(STATS_CSS)} & _sources(app)


async def test_the_mock_and_stats_rules_come_with_their_screens(
    make_app: Callable[..., QuizApp],
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        app.action_stats()
        await pilot.pause()
        await app.workers.wait_for_complete()
        assert isinstance(app.screen, StatsScreen)
        assert str(STATS_CSS) in _sources(app) and str(MOCK_CSS) not in _sources(app)
        # a rule of stats.tcss applies: the tools' buttons are as wide as their labels
        button = app.screen.query_one("#stats-tools").query(Button).first()
        assert button.styles.width is not None and button.styles.width.is_auto
        app.pop_screen()
        await pilot.pause()
        app.action_mock()
        await pilot.pause()
        assert isinstance(app.screen, MockSetupScreen)
        assert str(MOCK_CSS) in _sources(app)
        # a rule of mock.tcss applies: the start button fills the row
        start = app.screen.query_one("#setup-start", Button)
        assert start.styles.width is not None and start.styles.width.value == 100
