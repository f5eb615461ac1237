"""Home as a launcher (issue 10 item 9, the shell brief): every way in has a key that the
footer shows and that does what it says, at 80 columns too; the buttons do the same; the
palette and help reach the same places; a learner's bad deck file is named on screen."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Button, Static
from textual.widgets._footer import FooterKey

from quizapp.decks.loader import load_paths
from quizapp.srs.scheduler import SchedulerConfig
from quizapp.study.clock import FakeClock
from quizapp.study.context import AppContext, StudyRequest
from quizapp.tui.app import QuizApp
from quizapp.tui.screens.browse import BrowseScreen
from quizapp.tui.screens.drill_pick import DrillPickScreen
from quizapp.tui.screens.help import HelpScreen
from quizapp.tui.screens.home import WAYS_IN, HomeScreen
from quizapp.tui.screens.lab import LabScreen
from quizapp.tui.screens.mock_setup import MockSetupScreen
from quizapp.tui.screens.stats import StatsScreen
from quizapp.tui.screens.study import StudyScreen
from tests import sampling
from tests.sampling import sample

#: What each way in opens.
OPENS = {
    "review": StudyScreen,
    "study": StudyScreen,
    "drill": DrillPickScreen,
    "mock": MockSetupScreen,
    "lab": LabScreen,
    "browse": BrowseScreen,
    "stats": StatsScreen,
}


def footer(app: QuizApp) -> list[FooterKey]:
    return list(app.screen.query(FooterKey))


async def back_home(pilot: Any) -> None:
    """Escape, once or twice (the browser's search box is left first)."""
    for _ in range(2):
        await pilot.press("escape")
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        if isinstance(pilot.app.screen, HomeScreen):
            return
    raise AssertionError(f"escape did not lead home from {pilot.app.screen}")


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
async def test_every_way_in_is_a_footer_key_that_fits(make_app: Callable[..., QuizApp], size):
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        keys = footer(app)
        labels = [f"{k.key_display} {k.description}" for k in keys]
        for _name, label, key, _action, _what in WAYS_IN:
            assert f"{key} {label}" in labels, labels
        assert "q Quit" in labels and "? Help" in labels and labels[-1] == "^p palette"
        palette = keys[-1].region
        assert palette.right <= size[0]
        assert all(k.region.right <= palette.x for k in keys[:-1]), labels  # nothing cut
        assert all(k.region.width >= len(k.key_display) + 1 + len(k.description) for k in keys)
        assert "ctrl+p" in str(app.screen.query_one("#more-hint", Static).render())


async def test_every_key_opens_its_screen_and_escape_comes_back(
    make_app: Callable[..., QuizApp],
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        for name, _label, key, _action, _what in WAYS_IN:
            await pilot.press(key)
            await pilot.pause()
            await pilot.app.workers.wait_for_complete()
            assert isinstance(app.screen, OPENS[name]), (key, app.screen)
            await back_home(pilot)


async def test_every_button_does_what_its_key_does(make_app: Callable[..., QuizApp]) -> None:
    """Every button's label and key; a click on every third button by default, on each in
    the full run (CI). Every screen a button opens is opened by its key by default above."""
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        for n, (name, label, key, _action, _what) in enumerate(WAYS_IN):
            button = app.screen.query_one(f"#go-{name}", Button)
            assert str(button.label) == label and key in (button.tooltip or "")
            if n % 3 and not sampling.FULL:
                continue
            await pilot.click(f"#go-{name}")
            await pilot.pause()
            await pilot.app.workers.wait_for_complete()
            assert isinstance(app.screen, OPENS[name]), (name, app.screen)
            await back_home(pilot)


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
async def test_s_studies_the_selected_row(make_app: Callable[..., QuizApp]) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("down", "down", "s")  # the second topic: basics (one card)
        screen = app.screen
        assert isinstance(screen, StudyScreen)
        assert screen.session.item_ids == ["t.card.eps"] and "basics" in screen.study_title


async def test_nothing_to_review_is_said_not_opened(make_app: Callable[..., QuizApp]) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        today = app.screen.query_one("#today", Static)
        assert today.border_subtitle == "r: 4 items to review now"
        for item_id, entry in app.ctx.catalog.items.items():
            app.ctx.scheduler.answer(item_id, entry.kind, 4)  # every item seen, none due
        app.screen.refresh_overview()
        assert today.border_subtitle == "nothing to review now"
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert any("Nothing is due" in n.message for n in app._notifications)


async def test_help_lists_every_way_in_and_the_browser_and_lab_keys(
    make_app: Callable[..., QuizApp],
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.keys_table()  # what the help's Static shows
        keys_column, what_column = (list(c.cells) for c in table.columns)
        rows = [(str(k), str(w)) for k, w in zip(keys_column, what_column, strict=True)]
        keys = {key for key, _ in rows}
        for _name, label, key, _action, what in WAYS_IN:
            assert (key, f"{label.lower()}: {what}") in rows
        for title in ("Browser", "Trajectory lab"):
            assert title in keys  # a section of its own
        for key in ("/", "-", "r r", "e", "1–8", "tab", "g", "x"):
            assert key in keys, key
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)


async def test_the_palette_reaches_browse_lab_and_stats(make_app: Callable[..., QuizApp]) -> None:
    from quizapp.tui.palette import QuizCommands

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        provider = QuizCommands(app.screen)
        discovered = [str(hit.text) async for hit in provider.discover()]
        for name in ("Browse items", "Trajectory lab", "Show stats", "Review due items"):
            assert name in discovered, discovered
        await pilot.press("ctrl+p", *"show stats")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, StatsScreen)


# ------------------------------------------------------------- a learner's bad deck file
BAD = 'deck = "mine"\n\n[[flashcard]]\nid = "mine.one"\nfront = 3\n'


@pytest.fixture
def ctx_with_a_bad_deck(deck_dir: Path, quizapp_home: Path) -> AppContext:
    (deck_dir / "zz-mine.toml").write_text(BAD, encoding="utf-8")
    catalog = load_paths([deck_dir])
    assert catalog.skipped and catalog.notice and catalog.items  # the good deck loaded
    return AppContext.open(
        catalog,
        quizapp_home / "progress.sqlite3",
        clock=FakeClock(),
        rng=random.Random(7),
        config=SchedulerConfig(enable_fuzzing=False),
    )


async def test_home_names_a_bad_deck_file_and_quizapp_check(ctx_with_a_bad_deck) -> None:
    app = QuizApp(ctx_with_a_bad_deck)
    async with app.run_test(size=(80, 24)):
        notice = str(app.screen.query_one("#deck-notice", Static).render())
        assert "zz-mine.toml" in notice and "quizapp check" in notice
        assert "left out" in notice


async def test_a_session_started_from_the_command_line_says_it_too(ctx_with_a_bad_deck) -> None:
    app = QuizApp(ctx_with_a_bad_deck, start="review", request=StudyRequest())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, StudyScreen)
        assert any("zz-mine.toml" in n.message for n in app._notifications)


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
async def test_no_notice_when_every_deck_loads(make_app: Callable[..., QuizApp]) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)):
        assert not app.screen.query("#deck-notice")
        assert not app._notifications


# s and l by default before the coverage-guided sample (a session, the lab), the others under slow
# (CI): the same race
@pytest.mark.parametrize("after", sample(["s", "r", "b", "l", "d", "question_mark"]))
async def test_a_key_typed_right_after_q_opens_nothing(make_app: Callable[..., QuizApp], after):
    """Typed fast ("qs"), the second key still arrives while the app closes; it used to
    build a study screen on the closing app and end with a traceback."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.simulate_key("q")
        app.simulate_key(after)
        await pilot.pause()
    assert app._exception is None and app.return_code == 0


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
async def test_home_says_the_graded_percent_right_stats_says(
    make_app: Callable[..., QuizApp],
) -> None:
    """D4: flashcards are self-rated, so home's "% right" counts traps and drills only, in
    the words and with the figure the stats summary uses."""
    from quizapp.srs.stats import compute_stats
    from quizapp.study.stats_view import summary_line

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        scheduler = app.ctx.scheduler
        scheduler.answer("t.card.bias", "flashcard", 3, duration_ms=5_000)  # self-rated Good
        scheduler.answer("t.card.eps", "flashcard", 3, duration_ms=5_000)
        scheduler.answer("t.trap.adam-lr", "trap", 1, correct=False, duration_ms=5_000)
        scheduler.answer("t.drill.bias", "drill", 3, correct=True, duration_ms=5_000)
        app.screen.refresh_overview()
        await pilot.pause()
        today = str(app.screen.query_one("#today", Static).render())
        assert "4 answered today · 50% right of 2 graded" in today
        stats = summary_line(compute_stats(app.ctx.store, app.ctx.clock, scheduler.config))
        assert "today 50% right of 2 graded · in all 50% right of 2 graded" in stats
        # D3: one duration format (format.duration) on home, in stats and in the summary
        assert today.endswith("· 20s studied") and "answered today 4 (4 new, 20s studied)" in stats
