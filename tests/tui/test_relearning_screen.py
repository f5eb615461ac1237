"""Issue 10 item 3 on screen: the header shows Anki's three counts (new + learning +
review) and a card rated Again comes back in the same session; the summary names the
learning steps left for later."""

from __future__ import annotations

from datetime import timedelta

import pytest

from quizapp.srs.scheduler import SchedulerConfig
from quizapp.study.context import AppContext, StudyRequest
from quizapp.study.items import FlashcardView
from quizapp.tui.app import QuizApp
from quizapp.tui.screens.study import StudyScreen
from quizapp.tui.screens.summary import SummaryScreen


def header_counts(screen: StudyScreen) -> str:
    return str(screen.query_one("#study-count").render())


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
async def test_again_comes_back_and_the_header_counts_it(make_app) -> None:
    app = make_app("flashcard")  # two new flashcards
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await pilot.pause()
        assert header_counts(screen) == "2 + 0 + 0"
        first = screen.session.current
        await pilot.press("space", "1")  # Again
        await pilot.pause()
        assert header_counts(screen) == "1 + 1 + 0"
        await pilot.press("space", "4")  # the other card, Easy: graduates
        await pilot.pause()
        assert header_counts(screen) == "0 + 1 + 0"
        assert screen.session.current.item_id == first.item_id  # back, learn-ahead
        assert isinstance(app.screen, StudyScreen)
        await pilot.press("space", "4")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        assert app.screen.summary.answered == 3


async def test_the_summary_names_steps_due_after_the_window(catalog, clock, quizapp_home) -> None:
    config = SchedulerConfig(
        enable_fuzzing=False, learning_steps=(timedelta(minutes=45),), learn_ahead_minutes=20
    )
    ctx = AppContext.open(catalog, quizapp_home / "progress.sqlite3", clock=clock, config=config)
    app = QuizApp(ctx, start="study", request=StudyRequest(mode="study", kind="flashcard"))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        for _ in range(2):
            assert isinstance(screen.session.current, FlashcardView)
            await pilot.press("space", "1")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        figures = str(app.screen.query_one("#summary-figures").render())
        assert "Still learning" in figures and "2 items, next in 45m" in figures
