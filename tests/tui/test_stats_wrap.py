"""usertest4 D4: the stats screen's Mistakes table cut each explanation mid-sentence (at 80
columns "… L2 (weight_decay in", at 120 "… adds λθ to the gra"). The explanation column now
takes the width the pane leaves and wraps, each row as tall as its text."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.engine.drills import MISTAKES
from quizapp.tui.screens.stats import StatsScreen
from tests.sampling import sample
from tests.tui.test_mock_app import mock_context, open_on
from tests.tui.test_stats_screen import build_log, shown_table


# 80×24 is the tight case; 120×40 is a duplicate in kind, run in CI (slow)
@pytest.mark.parametrize("size", sample([(80, 24), (120, 40)], 2, ids=["80x24", "120x40"]))
async def test_every_mistake_explanation_is_shown_whole(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    ctx = mock_context(tmp_path)
    mistakes = build_log(ctx)["mistakes"]
    assert mistakes
    app = open_on(ctx, StatsScreen)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        table = await shown_table(app, pilot, "mistakes")
        await pilot.pause()
        assert app.focused is table and table.row_count == len(mistakes)  # type: ignore[arg-type]
        assert table.virtual_size.width <= table.size.width  # no sideways scrolling
        lines = [
            "".join(seg.text for seg in table.render_line(y)) for y in range(table.size.height)
        ]
        shown = " ".join(" ".join(line.split()) for line in lines)
        for mistake in mistakes:  # type: ignore[union-attr]
            # wrapped at word boundaries: every word of the sentence, the last one included
            missing = [w for w in MISTAKES[mistake].split() if w not in shown]
            assert not missing, (mistake, missing, lines)
    ctx.close()
