"""usertest4 D5: the stats screen's Mocks tab and a mock report's trend show when each mock
was taken at the learner's clock — the configured ``timezone``, the zone study days are
counted in, named — as browse does; they showed UTC with no zone."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

from quizapp.srs.scheduler import SchedulerConfig
from quizapp.study.format import clock_time
from quizapp.study.mock_report import MockReport
from quizapp.tui.screens.mock_report import MockReportScreen
from quizapp.tui.screens.stats import StatsScreen
from tests.tui.test_mock_app import mock_context, open_on
from tests.tui.test_stats_screen import save_mocks, shown_table

KOLKATA = "Asia/Kolkata"  # UTC+5:30 all year


def test_clock_time_is_the_configured_zone_s_clock_with_its_name() -> None:
    from datetime import UTC, datetime

    moment = datetime(2026, 12, 3, 8, 14, tzinfo=UTC)
    assert clock_time(moment, ZoneInfo(KOLKATA)) == "2026-12-03 13:44 IST"
    assert clock_time(moment, ZoneInfo("UTC")) == "2026-12-03 08:14 UTC"


async def test_mocks_tab_and_report_trend_use_the_configured_zone(tmp_path: Path) -> None:
    ctx = mock_context(tmp_path)
    ctx.use_config(SchedulerConfig(enable_fuzzing=False, timezone=KOLKATA))
    save_mocks(ctx)
    taken = [m.at for m in ctx.store.mocks()]
    shown = [clock_time(at, ZoneInfo(KOLKATA)) for at in taken]
    assert all(s.endswith(" IST") for s in shown) and shown[0] != f"{taken[0]:%Y-%m-%d %H:%M} IST"
    app = open_on(ctx, StatsScreen)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        table = await shown_table(app, pilot, "mocks")
        dates = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        assert sorted(dates) == sorted(shown), dates
        await pilot.press("down", "enter")  # the second mock: its trend lists the first
        await pilot.pause()
        assert isinstance(app.screen, MockReportScreen)
        saved = MockReport.model_validate(ctx.store.mocks()[1].result)
        assert app.screen.report == saved
        trend = _plain(app.screen._trend())  # noqa: SLF001
        assert shown[0] in trend and "this mock" in trend, trend
    ctx.close()


def _plain(renderable: object) -> str:
    from rich.console import Console

    console = Console(width=200, record=True, color_system=None)
    console.print(renderable)
    return console.export_text()
