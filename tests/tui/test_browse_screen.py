"""The browser screen with Pilot, in the real app on the real context (`b` on home): live
search, located errors, the info pane, every action key (shown in the footer only when it
applies), escape (the search box first, then the screen), $EDITOR, "study these", and a
refused write (F1: a dialog, retry or quit with exit 1)."""

from __future__ import annotations

import contextlib
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.widgets import DataTable, Input, Static

from quizapp.srs.scheduler import Rating
from quizapp.study.context import AppContext
from quizapp.tui.app import QuizApp
from quizapp.tui.screens.browse import BrowseScreen
from quizapp.tui.screens.home import HomeScreen
from quizapp.tui.screens.store_error import StoreErrorModal
from quizapp.tui.screens.study import StudyScreen
from tests.reliability.faults import injected
from tests.sampling import sample


@pytest.fixture
def ctx(make_ctx: Callable[..., AppContext]) -> AppContext:
    ctx = make_ctx()
    for item_id, rating in (("t.card.bias", Rating.Good), ("t.trap.adam-lr", Rating.Again)):
        kind = ctx.catalog.items[item_id].kind
        ctx.scheduler.answer(item_id, kind, rating, duration_ms=4000, mistake=None)
    ctx.clock.advance(days=2)
    ctx.scheduler.answer("t.card.bias", "flashcard", Rating.Good, duration_ms=3000)
    return ctx


async def browse(pilot: Any) -> BrowseScreen:
    """From home, `b`: the browser (its search box has the focus)."""
    assert isinstance(pilot.app.screen, HomeScreen)
    await pilot.press("b")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, BrowseScreen)
    return screen


def shown(screen: BrowseScreen) -> list[str]:
    table = screen.query_one(DataTable)
    return [str(table.coordinate_to_cell_key((r, 0)).row_key.value) for r in range(table.row_count)]


def footer_keys(app: App[Any]) -> dict[str, str]:
    return {
        b.description: b.key
        for _, b, enabled, _ in app.screen.active_bindings.values()
        if b.show and enabled
    }


async def test_live_search_and_located_errors(ctx: AppContext) -> None:
    app = QuizApp(ctx)
    async with app.run_test() as pilot:
        screen = await browse(pilot)
        assert len(shown(screen)) == 4
        await pilot.press(*"kind:trap")
        assert shown(screen) == ["t.trap.adam-lr"]  # results follow each key
        status = screen.query_one("#browse-status", Static)
        await pilot.press("space", *"is:sleepy")
        assert "is:sleepy" in str(status.render()) and status.has_class("error")
        assert shown(screen) == ["t.trap.adam-lr"]  # a bad query keeps the last results
        for _ in "is:sleepy":
            await pilot.press("backspace")
        await pilot.press(*"is:review")
        assert shown(screen) == []  # a trap and an Again: learning, not review
        screen.query_one(Input).value = '"bias correction"'
        await pilot.pause()
        assert shown(screen) == ["t.card.bias"]
        info = str(screen.query_one("#browse-info-text", Static).render())
        assert "t.card.bias" in info and "D " in info and "S " in info and "R " in info
        assert "answers (2)" in info and "Good" in info and "test.toml:" in info


async def test_actions_and_their_keys(ctx: AppContext) -> None:
    app = QuizApp(ctx)
    async with app.run_test() as pilot:
        screen = await browse(pilot)
        browser = screen.browser
        assert "Suspend" not in footer_keys(app)  # typing: letters are text, not actions
        await pilot.press(*"id:t.card.bias", "enter")  # enter: to the results
        assert isinstance(app.focused, DataTable)
        keys = footer_keys(app)
        assert keys["Suspend"] == "s" and "Unsuspend" not in keys
        assert {"Bury", "Flag", "Reset", "Edit", "Study", "Back"} <= set(keys)
        await pilot.press("s")
        assert ctx.store.get("t.card.bias").suspended
        assert "Unsuspend" in footer_keys(app) and "Suspend" not in footer_keys(app)
        assert "suspended" in str(screen.query_one(DataTable).get_row_at(0)[1])
        await pilot.press("s")
        assert not ctx.store.get("t.card.bias").suspended
        await pilot.press("minus")
        assert browser.search("is:buried") == ["t.card.bias"] and "Unbury" in footer_keys(app)
        await pilot.press("f")
        assert browser.search("flag:1") == ["t.card.bias"] and "Unflag" in footer_keys(app)
        await pilot.press("f")
        assert browser.search("is:flagged") == []
        await pilot.press("r")  # the first r only asks
        assert ctx.store.get("t.card.bias").reps == 2
        await pilot.press("r")
        assert ctx.store.get("t.card.bias").state == 0
        assert "Reset" not in footer_keys(app)  # new again: nothing to reset
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await pilot.press("escape")  # from the search box: back to the results first
        assert isinstance(app.focused, DataTable)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_e_opens_the_editor_at_the_line(
    ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[list[str]] = []
    monkeypatch.setenv("EDITOR", "myeditor --wait")
    monkeypatch.setattr(subprocess, "run", lambda cmd, check: calls.append(cmd))
    app = QuizApp(ctx)
    monkeypatch.setattr(app, "suspend", contextlib.nullcontext)
    async with app.run_test() as pilot:
        await browse(pilot)
        await pilot.press(*"id:t.trap.adam-lr", "enter", "e")
    entry = ctx.catalog.items["t.trap.adam-lr"]
    assert calls == [["myeditor", "--wait", f"+{entry.line}", entry.path]]
    assert Path(entry.path).is_file()


@pytest.mark.parametrize("saves", [False, True], ids=["quit-unsaved", "saved"])
async def test_the_editor_note_says_saved_only_when_the_file_changed(
    ctx: AppContext, monkeypatch: pytest.MonkeyPatch, saves: bool
) -> None:
    """Quitting the editor without saving said "Saved changes show the next time quizapp
    starts" all the same: the note is only for a file that changed."""
    path = Path(ctx.catalog.items["t.trap.adam-lr"].path)

    def editor(cmd: list[str], check: bool) -> None:
        if saves:
            path.write_text(path.read_text() + "\n# edited\n")

    monkeypatch.setenv("EDITOR", "myeditor")
    monkeypatch.setattr(subprocess, "run", editor)
    app = QuizApp(ctx)
    monkeypatch.setattr(app, "suspend", contextlib.nullcontext)
    async with app.run_test() as pilot:
        await browse(pilot)
        await pilot.press(*"id:t.trap.adam-lr", "enter", "e")
        await pilot.pause()
        notices = [n.message for n in app._notifications]
    saved = [m for m in notices if "Saved changes" in m]
    assert saved if saves else not saved
    assert saves or any(f"No changes: {path.name}" in m for m in notices)


@pytest.mark.slow
async def test_study_these_from_home(make_app: Callable[..., App[int]], ctx: AppContext) -> None:
    """Slow (CI): by default test_study_these_counts_what_it_studies_and_comes_back studies a
    topic:adam search, and test_home.py::test_the_palette_reaches_browse_lab_and_stats finds
    "Browse items" in the palette and opens a screen from it."""
    ctx.close()
    app = make_app()
    async with app.run_test() as pilot:
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("ctrl+p", *"browse items")  # the palette's "Browse items"
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, BrowseScreen)
        await pilot.press(*"topic:adam", "enter", "t")
        screen = app.screen
        assert isinstance(screen, StudyScreen)
        topic_adam = {i for i, e in app.ctx.catalog.items.items() if e.topic == "adam"}
        assert set(screen.session.item_ids) == topic_adam  # due or not, as a filtered deck
        assert "from the browser" in screen.study_title


async def test_study_these_counts_what_it_studies_and_comes_back(ctx: AppContext) -> None:
    """Tester: 11 results with one buried gave "Study · 11 from the browser" over a
    counter of 10, and escape went home. The title counts what the session shows and
    names what it left out; escape (no answer) and the summary go back to the browser."""
    from quizapp.srs import marks

    adam = [i for i, e in ctx.catalog.items.items() if e.topic == "adam"]
    assert len(adam) >= 3
    marks.bury(ctx.store, adam[:1], ctx.config.today(ctx.now()))
    app = QuizApp(ctx)
    async with app.run_test() as pilot:
        await browse(pilot)
        await pilot.press(*"topic:adam", "enter", "t")
        await pilot.pause()
        study = app.screen
        assert isinstance(study, StudyScreen)
        n = len(adam) - 1
        assert study.session.total == n
        assert study.study_title == (f"Study · {n} of {len(adam)} found (1 suspended or buried)")
        await pilot.press("escape")  # nothing answered: straight back to the browser
        await pilot.pause()
        back = app.screen
        assert isinstance(back, BrowseScreen) and back.query_text == "topic:adam"
        assert back.results == app.ctx.browser().search("topic:adam")
        assert isinstance(app.screen_stack[-2], HomeScreen)


async def test_the_summary_of_a_browser_session_goes_back_to_the_browser(
    ctx: AppContext,
) -> None:
    from quizapp.tui.screens.summary import SummaryScreen

    app = QuizApp(ctx)
    async with app.run_test() as pilot:
        await browse(pilot)
        await pilot.press(*"id:t.card.bias", "enter", "t")
        await pilot.pause()
        assert isinstance(app.screen, StudyScreen)
        await pilot.press("space", "3")  # reveal, Good
        await pilot.pause()
        if isinstance(app.screen, StudyScreen):
            await pilot.press("escape")  # ends the session: its summary
            await pilot.pause()
        summary = app.screen
        assert isinstance(summary, SummaryScreen)
        keys = footer_keys(app)
        assert "Back" in keys and "Home" not in keys
        assert str(summary.query_one("#summary-home").label) == "Back to the browser"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, BrowseScreen)
        assert app.screen.query_text == "id:t.card.bias"
        assert isinstance(app.screen_stack[-2], HomeScreen)


async def test_escape_leaves_the_search_box_first_even_with_no_results(ctx: AppContext) -> None:
    app = QuizApp(ctx)
    async with app.run_test() as pilot:
        screen = await browse(pilot)
        await pilot.press(*"nothing-matches-this")
        assert shown(screen) == [] and isinstance(app.focused, Input)
        keys = footer_keys(app)  # what escape and enter do while typing, and only that
        assert keys["Leave search"] == "escape" and keys["Results"] == "enter"
        assert "Back" not in keys and "Search" not in keys  # "/" types a slash here
        await pilot.press("escape")  # out of the box: typed letters would now be keys
        assert not isinstance(app.focused, Input) and app.screen is screen
        keys = footer_keys(app)
        assert keys["Back"] == "escape" and keys["Search"] == "slash"
        assert "Leave search" not in keys and "Results" not in keys
        assert screen.query_one(Input).value == "nothing-matches-this"  # the search stays
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_a_refused_write_is_a_dialog_and_retry_applies_it(
    make_ctx: Callable[..., AppContext], ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx.close()
    with injected(monkeypatch) as faulty:
        app = QuizApp(make_ctx())
        async with app.run_test() as pilot:
            screen = await browse(pilot)
            await pilot.press(*"id:t.card.bias", "enter")
            faulty.fault = 13  # the disk is full
            await pilot.press("s")
            await pilot.pause()
            modal = app.screen
            assert isinstance(modal, StoreErrorModal) and modal.error.kind == "disk_full"
            assert "full" in str(modal.query_one("#store-error-message").render())
            assert not app.ctx.store.get("t.card.bias").suspended  # nothing half-done
            assert "suspended" not in str(screen.query_one(DataTable).get_row_at(0)[1])
            faulty.fault = None  # space is back
            await pilot.press("r")
            await pilot.pause()
            assert app.screen is screen and app.ctx.store.get("t.card.bias").suspended
            assert "suspended" in str(screen.query_one(DataTable).get_row_at(0)[1])
            faulty.fault = 8  # read-only: the learner gives up
            await pilot.press("f")
            await pilot.pause()
            assert isinstance(app.screen, StoreErrorModal)
            await pilot.press("q")
            await pilot.pause()
        assert app.return_code == 1
    again = make_ctx()
    assert again.store.get("t.card.bias").suspended  # what was saved stays saved
    assert again.browser().search("is:flagged") == []  # the refused flag was not half-set
    again.close()


# 80x24 (the tight one) by default before the coverage-guided sample, 120x40 under slow (CI)
# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
@pytest.mark.parametrize("size", sample([(80, 24), (120, 40)], 2, ids=["80x24", "120x40"]))
async def test_status_due_and_interval_show_without_scrolling(ctx: AppContext, size) -> None:
    app = QuizApp(ctx)
    async with app.run_test(size=size) as pilot:
        screen = await browse(pilot)
        await pilot.pause()
        table = screen.query_one(DataTable)
        widths = {str(c.key.value): c.get_render_width(table) for c in table.columns.values()}
        visible = table.scrollable_content_region.width
        upto_ivl = sum(widths[name] for name in ("question", "status", "due", "ivl"))
        assert upto_ivl <= visible, (widths, visible)
        assert widths["question"] >= 20 + 2  # the question stays readable (cell padding 2)
        first = str(table.get_row_at(0)[0])
        assert len(first) <= widths["question"] - 2


def assert_columns_fit(screen: BrowseScreen) -> list[str]:
    """Every column the table shows is wide enough for its label and every cell (only the
    question and a long status may end in "…"), and the columns together fit the table's
    width: nothing is clipped, nothing needs scrolling. Returns the columns' names."""
    from rich.cells import cell_len

    table = screen.query_one(DataTable)
    visible = table.scrollable_content_region.width
    total = 0
    names = [str(c.label) for c in table.ordered_columns]
    for column in table.ordered_columns:
        width = column.get_render_width(table) - 2 * table.cell_padding
        cells = [str(cell) for cell in table.get_column(column.key)]
        assert width >= max(map(cell_len, [str(column.label), *cells])), (column.label, cells)
        if str(column.label) not in ("question", "status"):
            assert not any(c.endswith("…") for c in cells), (column.label, cells)
        total += column.get_render_width(table)
    assert total <= visible, (total, visible, names)
    assert names[:2] == ["question", "status"]  # fewer columns drop from the end
    return names


# 80x24 (the tight one) by default, 120x40 under slow (CI)
@pytest.mark.parametrize("size", sample([(80, 24), (120, 40)], 2, ids=["80x24", "120x40"]))
async def test_columns_fit_and_follow_each_result_set(ctx: AppContext, size) -> None:
    app = QuizApp(ctx)
    async with app.run_test(size=size) as pilot:
        screen = await browse(pilot)
        await pilot.pause()
        names = assert_columns_fit(screen)
        assert names[:4] == ["question", "status", "due", "ivl"], names
        if size == (120, 40):  # more room: more columns
            assert names[:6] == ["question", "status", "due", "ivl", "R", "lapses"], names
        await pilot.press(*"id:t.trap.adam-lr", "enter")
        await pilot.press("s", "f", "minus")  # a wide status: learning suspended buried ⚑red
        await pilot.pause()
        table = screen.query_one(DataTable)
        assert str(table.get_row_at(0)[1]).startswith("learning susp")
        assert_columns_fit(screen)
        await pilot.press("slash")
        screen.query_one(Input).value = "is:review"  # the wide status is no longer shown
        await pilot.pause()
        assert shown(screen) == ["t.card.bias"]
        names = assert_columns_fit(screen)
        assert names[:4] == ["question", "status", "due", "ivl"], names
        status = table.ordered_columns[1]
        assert status.get_render_width(table) == len("status") + 2  # recomputed, not kept


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
async def test_errors_and_the_study_title_fit_80x24(ctx: AppContext) -> None:
    """usertest2 D6: at 80×24 the is:bogus error lost its last allowed values, and "Study ·
    8 from the browser (2 of 10 suspended or bu…" was cut."""
    from rich.cells import cell_len
    from textual.widgets._header import HeaderTitle

    from quizapp.srs import marks
    from quizapp.study.query import IS_VALUES

    adam = [i for i, e in ctx.catalog.items.items() if e.topic == "adam"]
    marks.bury(ctx.store, adam[:1], ctx.config.today(ctx.now()))
    app = QuizApp(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await browse(pilot)
        await pilot.press(*"is:bogus")
        await pilot.pause()
        status = screen.query_one("#browse-status", Static)
        said = str(status.render())
        assert all(value in said for value in IS_VALUES)
        assert status.size.height == status.get_content_height(status.size, status.size, 76)
        assert status.size.height >= 2  # wrapped, all of it on screen
        for _ in "is:bogus":
            await pilot.press("backspace")
        await pilot.press(*"topic:adam", "enter", "t")
        await pilot.pause()
        study = app.screen
        assert isinstance(study, StudyScreen) and "suspended or buried" in study.study_title
        header = study.query_one(HeaderTitle)
        assert cell_len(f"{app.title} — {study.study_title}") <= header.size.width
