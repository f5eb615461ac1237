"""D3: at 80×24 no given's label wraps, on the study drill card and on a mock question:
the givens go three pairs to a row when they fit, else two, else one."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static

from quizapp.engine import drills
from quizapp.tui.screens.mock import MockScreen
from quizapp.tui.widgets.drill.render import givens_table
from tests import sampling
from tests.tui.test_exact_values import open_drill, text_of
from tests.tui.test_mock_app import mock_context, open_on, start_mock

SEEDS = (0, 3, 5)  # usertest3 saw the wrap at seeds 3 and 5; lr-onecycle wrapped at 0
#: The problems that wrapped before the fix: every default run checks them.
WRAPPED = (("effective-batch", 3), ("effective-batch", 5), ("lr-onecycle", 0))


def _problems() -> list[tuple[str, int]]:
    """Every kind × SEEDS in the full run (CI); by default the ones that wrapped and every
    fourth kind at one seed, the seed turning with the kind's place so the three seeds are
    all drawn. The mock question's sweep below draws the same problems."""
    kinds = drills.kinds()
    if sampling.FULL:
        return [(kind, seed) for kind in kinds for seed in SEEDS]
    rotated = [(kind, SEEDS[i % len(SEEDS)]) for i, kind in enumerate(kinds) if i % 4 == 0]
    return list(WRAPPED) + [p for p in rotated if p not in WRAPPED]


def _assert_pairs_whole(widget: Static, problem: drills.Problem) -> None:
    text = text_of(widget)
    lines = [ln for ln in text.splitlines() if ln.strip()]
    shown = "\n".join(lines)
    for name, label in problem.given_labels.items():
        # each pair on one line: "label = value", the label in one piece
        pair = f"{label} = "
        assert any(pair in ln for ln in lines), (problem.kind, problem.seed, name, shown)
    assert shown.count(" = ") == len(problem.given), (problem.kind, problem.seed, shown)


async def _sweep(pilot, widget: Static) -> None:
    for kind, seed in _problems():
        problem = drills.generate(kind, seed)
        widget.update(givens_table(problem))
        await pilot.pause()
        _assert_pairs_whole(widget, problem)


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
async def test_no_given_label_wraps_on_the_drill_card_at_80_columns(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_drill(app, pilot, "effective-batch", 3)  # usertest3 D3
        givens = screen.query_one("#givens", Static)
        _assert_pairs_whole(givens, drills.generate("effective-batch", 3))
        await _sweep(pilot, givens)


async def test_no_given_label_wraps_on_a_mock_question_at_80_columns(tmp_path: Path) -> None:
    ctx = mock_context(tmp_path)
    try:
        mock = start_mock(ctx, ["mock.drill.steps"])
        app = open_on(ctx, lambda: MockScreen(mock))
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            givens = app.screen.query_one(".mock-givens", Static)
            await _sweep(pilot, givens)
    finally:
        ctx.close()
