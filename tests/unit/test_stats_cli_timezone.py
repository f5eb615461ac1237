"""usertest5 D4: `quizapp stats` lists mock interviews at the learner's clock (the configured
``timezone``, named), as the stats screen and the mock report do; it printed UTC."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

from quizapp.commands.stats import render
from quizapp.srs.stats import compute_stats
from quizapp.study.format import clock_time
from tests.tui.test_mock_app import mock_context
from tests.tui.test_stats_screen import save_mocks

KOLKATA = ZoneInfo("Asia/Kolkata")  # UTC+5:30 all year


def test_the_stats_command_lists_mocks_in_the_configured_zone(tmp_path: Path) -> None:
    ctx = mock_context(tmp_path)
    try:
        save_mocks(ctx)
        stats = compute_stats(ctx.store, ctx.clock, ctx.config)
        text = render(stats, KOLKATA)
    finally:
        ctx.close()
    lines = [line.strip() for line in text.splitlines() if "score" in line]
    assert len(lines) == 2, text
    for line, mock in zip(lines, stats.mocks, strict=True):
        assert line.startswith(f"{clock_time(mock.at, KOLKATA)}  score "), line
        assert " IST  score" in line and "UTC" not in line
