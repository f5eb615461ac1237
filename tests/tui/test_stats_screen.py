"""The stats screen: its numbers against a review log built here, the table toggle, and
snapshots at 80×24 and 120×40."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from fsrs import Rating
from textual.widgets import DataTable

from quizapp.decks.models import DrillItem
from quizapp.engine.drills import MISTAKES
from quizapp.study.context import AppContext
from quizapp.study.format import drill_title, mistake_name
from quizapp.study.stats_view import Chart
from quizapp.tui.screens.stats import ChartPane, StatsScreen
from tests.tui.test_mock_app import ScreenApp, clock_of, mock_context, open_on, start_mock
from tests.unit.test_mock_deck import ITEM_IDS

DAYS = 10


def build_log(ctx: AppContext) -> dict[str, object]:
    """Ten days of answers by a fixed rule; returns the counts the charts must show."""
    per_day: Counter[date] = Counter()
    by_topic: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    by_drill: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    mistakes: Counter[str] = Counter()
    for d in range(DAYS):
        for i, item_id in enumerate(ITEM_IDS):
            if (d + i) % 3 == 0:
                continue
            entry = ctx.catalog.items[item_id]
            wrong = (d * (i + 1)) % 4 == 0
            drill = entry.item.drill if isinstance(entry.item, DrillItem) else None
            mistake = "no_bias_correction" if wrong and drill == "bias-correction" else None
            if wrong and drill == "steps-per-epoch":
                mistake = "floor_instead_of_ceil"
            ctx.scheduler.answer(
                item_id, entry.kind, Rating.Again if wrong else Rating.Good,
                topic=entry.topic, deck=entry.deck, subkind=drill, mistake=mistake,
            )  # fmt: skip
            per_day[ctx.clock.now().date()] += 1
            if entry.kind != "flashcard":  # % right counts graded answers only
                by_topic[entry.topic][0] += 1
                by_topic[entry.topic][1] += 0 if wrong else 1
            if drill:
                by_drill[drill][0] += 1
                by_drill[drill][1] += 0 if wrong else 1
            if mistake:
                mistakes[mistake] += 1
            clock_of(ctx).advance(minutes=1)
        clock_of(ctx).advance(days=1)
    return {"per_day": per_day, "topics": by_topic, "drills": by_drill, "mistakes": mistakes}


def save_mocks(ctx: AppContext, expected: dict[str, object] | None = None) -> None:
    """Two short mocks, so the trend has points: 1/2 right, then 2/2 (their four answers
    are reviews too: they are added to ``expected``; flashcards, so not to % right)."""
    if expected is not None:
        expected["per_day"][ctx.clock.now().date()] += 4  # type: ignore[index]
    for rights in (1, 2):
        mock = start_mock(ctx, ["mock.adam.idea", "mock.lr.warmup"])
        for n in range(2):
            mock.goto(n)
            mock.reveal("x")
            mock.grade_flashcard("right" if n < rights else "wrong")
        mock.finish()
        clock_of(ctx).advance(hours=2)


@pytest.fixture
def ctx(tmp_path: Path):
    c = mock_context(tmp_path)
    yield c
    c.close()


async def shown_table(app: ScreenApp, pilot: Any, tab: str) -> DataTable[str]:
    """Open the stats tab ``tab`` (its key: "mocks", "mistakes" …) and its table (t); the
    table, which has the focus."""
    app.screen.query_one("#stats-tabs").active = f"tab-{tab}"  # type: ignore[attr-defined]
    await pilot.pause()
    await pilot.press("t")
    await pilot.pause()
    return app.screen.query_one(f"#tab-{tab}").query_one(DataTable)


def _charts(app: ScreenApp) -> dict[str, Chart]:
    return {pane.chart.key: pane.chart for pane in app.screen.query(ChartPane)}


async def test_stats_numbers_match_the_log(ctx: AppContext) -> None:
    expected = build_log(ctx)
    save_mocks(ctx, expected)
    app = open_on(ctx, StatsScreen)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        charts = _charts(app)

        reviews = charts["reviews"]
        got = {label: v for label, v in zip(reviews.labels, reviews.values, strict=True) if v}
        per_day = expected["per_day"]
        assert got == {day.strftime("%m-%d"): float(n) for day, n in per_day.items()}  # type: ignore[union-attr]
        assert len(reviews.labels) == 30

        topics = charts["topics"]
        want = {t: 100 * c / n for t, (n, c) in expected["topics"].items()}  # type: ignore[union-attr]
        assert dict(zip(topics.labels, topics.values, strict=True)) == pytest.approx(want)
        assert list(topics.values) == sorted(topics.values)  # weakest first
        drills_chart = charts["drills"]
        want = {drill_title(k): 100 * c / n for k, (n, c) in expected["drills"].items()}  # type: ignore[union-attr]
        assert dict(zip(drills_chart.labels, drills_chart.values, strict=True)) == pytest.approx(
            want
        )
        rows = {r[0]: r for r in drills_chart.rows}
        for kind, (n, c) in expected["drills"].items():  # type: ignore[union-attr]
            assert rows[drill_title(kind)][1:3] == (str(n), str(c))

        mistakes = charts["mistakes"]
        want_m = expected["mistakes"]
        assert want_m  # the rule above does produce diagnosed mistakes
        assert {r[0]: int(r[1]) for r in mistakes.rows} == {
            mistake_name(m): n
            for m, n in want_m.items()  # type: ignore[union-attr]
        }
        for row in mistakes.rows:
            assert row[2] == MISTAKES[row[0].replace(" ", "_")]

        # the due forecast counts every scheduled item by study day (4 am, UTC here)
        forecast = charts["forecast"]
        today = (ctx.clock.now() - timedelta(hours=4)).date()
        due_days = Counter(
            (s.due - timedelta(hours=4)).date()
            for s in ctx.store.states().values()
            if s.due is not None and not s.suspended
        )
        want_f = [float(due_days.get(today + timedelta(days=k), 0)) for k in range(1, 31)]
        assert list(forecast.values) == want_f
        assert sum(want_f) > 0

        mocks = charts["mocks"]
        assert list(mocks.values) == [50.0, 100.0]

        retention = charts["retention"]
        assert all(0 <= v <= 100 for v in retention.values)
        assert retention.rows[-1][0] == "all time"

        # t shows the numbers behind the plot, t again the plot
        pane = app.screen.query_one("#tab-reviews").query_one(ChartPane)
        await pilot.press("right")
        await pilot.pause()
        assert not pane.query_one(DataTable).display
        await pilot.press("t")
        await pilot.pause()
        table = pane.query_one(DataTable)
        assert table.display and not pane.query_one(".chart-plot").display
        assert table.row_count == 30
        last = table.get_row_at(29)
        assert last[0] == reviews.rows[29][0] and last[1] == reviews.rows[29][1]
        await pilot.press("t")
        await pilot.pause()
        assert pane.query_one(".chart-plot").display


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
async def test_a_saved_mock_report_opens_from_the_mocks_table(ctx: AppContext) -> None:
    from quizapp.study.mock_report import MockReport
    from quizapp.tui.screens.mock_report import MockReportScreen

    save_mocks(ctx)
    saved = [MockReport.model_validate(m.result) for m in ctx.store.mocks()]
    app = open_on(ctx, StatsScreen)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        table = await shown_table(app, pilot, "mocks")
        assert app.focused is table and table.row_count == 2
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, MockReportScreen)
        assert app.screen.report == saved[1]
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, StatsScreen)


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
async def test_stats_with_no_progress_say_so(ctx: AppContext) -> None:
    app = open_on(ctx, StatsScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        charts = _charts(app)
        assert not any(c.has_data for c in charts.values())
        empty = app.screen.query_one("#tab-forecast").query(".chart-empty")
        assert "Nothing is scheduled" in str(empty.first().render())
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, StatsScreen)


def _snap_app(tmp_path: Path, tab: str) -> ScreenApp:
    ctx = mock_context(tmp_path)
    build_log(ctx)
    save_mocks(ctx)

    def make() -> StatsScreen:
        screen = StatsScreen()
        screen.call_after_refresh(lambda: setattr(screen.query_one("#stats-tabs"), "active", tab))
        return screen

    return open_on(ctx, make)


def test_stats_snapshot_forecast_80x24(snap_compare, tmp_path: Path) -> None:
    assert snap_compare(_snap_app(tmp_path, "tab-forecast"), terminal_size=(80, 24))


@pytest.mark.slow  # CI; by default the stats screen's snapshots are the forecast and the
# mistakes at 80x24; the topics' numbers are test_stats_numbers_match_the_log
def test_stats_snapshot_topics_120x40(snap_compare, tmp_path: Path) -> None:
    assert snap_compare(_snap_app(tmp_path, "tab-topics"), terminal_size=(120, 40))


@pytest.mark.slow  # CI; by default the forecast and mistakes snapshots; the reviews'
# numbers are test_stats_numbers_match_the_log
def test_stats_snapshot_reviews_table_120x40(snap_compare, tmp_path: Path) -> None:
    assert snap_compare(_snap_app(tmp_path, "tab-reviews"), press=["t"], terminal_size=(120, 40))


def test_stats_snapshot_mistakes_80x24(snap_compare, tmp_path: Path) -> None:
    assert snap_compare(_snap_app(tmp_path, "tab-mistakes"), terminal_size=(80, 24))


def test_stats_snapshot_forecast_120x40(snap_compare, tmp_path: Path) -> None:
    assert snap_compare(_snap_app(tmp_path, "tab-forecast"), terminal_size=(120, 40))
