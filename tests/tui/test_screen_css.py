"""A start parses only the stylesheets of what it shows (issue 16): the mock interview's and
the stats' rules come with their screens (``CSS_PATH``); the home screen's, the summary's,
the dialogs' and the trap and drill cards' with their screens or cards (``STYLESHEETS``,
``QuizApp.use_styles``); and they style them as before (their snapshots are unchanged)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.widgets import Button

from quizapp.tui.app import STYLES, QuizApp
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


def _loaded(app: QuizApp, *names: str) -> set[str]:
    """Which of ``styles/<name>.tcss`` the app's stylesheet holds."""
    sources = _sources(app)
    return {name for name in names if str(STYLES / f"{name}.tcss") in sources}


LATER = ("home", "summary", "dialogs", "trap", "drill")


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
async def test_a_first_flashcard_parses_only_the_study_screens_rules(
    make_app: Callable[..., QuizApp],
) -> None:
    app = make_app("flashcard")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.screen.query_one(".card").id == "flashcard"
        assert _loaded(app, "app", "study", *LATER) == {"app", "study"}
        await pilot.press("question_mark")  # the help: a dialog
        await pilot.pause()
        assert _loaded(app, *LATER) == {"dialogs"}
        help_box = app.screen.query_one("#help")
        assert help_box.styles.width is not None and help_box.styles.width.value == 84
        await pilot.press("escape", "escape")  # back to the card, then home
        await pilot.pause()
        assert _loaded(app, *LATER) == {"dialogs", "home"}
        today = app.screen.query_one("#today")
        assert (today.styles.padding.left, today.styles.padding.right) == (2, 2)


async def test_the_trap_and_drill_rules_come_with_their_first_card(
    make_app: Callable[..., QuizApp],
) -> None:
    app = make_app("trap")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert _loaded(app, *LATER) == {"trap"}
        # a rule of trap.tcss applies: a choice has its padding and the gap below it
        choice = app.screen.query(".choice").first()
        assert (choice.styles.padding.left, choice.styles.margin.bottom) == (1, 1)
        # a theme change re-parses every sheet with the new colours: trap.tcss with them
        app.theme = "textual-light"
        await pilot.pause()
        choice = app.screen.query(".choice").first()
        assert (choice.styles.padding.left, choice.styles.margin.bottom) == (1, 1)
        assert _loaded(app, *LATER) == {"trap"}
    app = make_app(drill="adam")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert _loaded(app, *LATER) == {"drill"}
        # a rule of drill.tcss applies: an answer box is at most 52 columns wide
        box = app.screen.query(".answer-input").first()
        assert box.styles.max_width is not None and box.styles.max_width.value == 52


async def test_the_rating_buttons_rules_come_with_the_buttons(
    make_app: Callable[..., QuizApp],
) -> None:
    """ratings.tcss (the rating bar's note and buttons) is not parsed for a first card; it
    comes as the buttons are built, and its rules style them (issue 16, eleventh pass)."""
    app = make_app("flashcard")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.screen.query_one(".card").id == "flashcard"
        assert not app.screen.query(Button)  # the buttons come while the learner reads
        assert _loaded(app, "ratings") == set()
        await pilot.press("space")  # the answer: the bar shows (built now if not yet)
        await pilot.pause()
        assert _loaded(app, "ratings") == {"ratings"}
        good = app.screen.query_one("#rate-3", Button)
        assert good.styles.max_width is not None and good.styles.max_width.value == 22
        assert (good.styles.margin.left, good.styles.margin.right) == (1, 1)


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
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
