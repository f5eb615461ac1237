"""usertest4 D4: at 80×24 the guided lab's answer ran past the guide's box (experiment 1
lost its last sentence, the others the repeated question) and no key scrolled it. Every
experiment's question and answer now fit whole at 80×24 and 120×40 — the answer shown alone,
the question one space away — and a new text is read from its top."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from quizapp.study.lab import LabSession
from quizapp.study.lab_experiments import EXPERIMENTS
from quizapp.tui.app import QuizApp
from tests.sampling import sample


async def _settle(pilot: Any) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


# 80×24 is the tight case; 120×40 is a duplicate in kind, run in CI (slow)
@pytest.mark.parametrize("size", sample([(80, 24), (120, 40)], 2, ids=["80x24", "120x40"]))
async def test_every_guide_text_fits_whole(
    make_ctx: Callable[..., Any], size: tuple[int, int]
) -> None:
    app = QuizApp(make_ctx(), start="lab", lab=LabSession(experiment=EXPERIMENTS[0].id))
    async with app.run_test(size=size) as pilot:
        guide = app.screen.query_one("#lab-guide")
        for experiment in EXPERIMENTS:
            await _settle(pilot)
            state = app.screen.session.state
            assert state.experiment == experiment.id and state.looked
            text = str(app.screen.query_one("#lab-guide-text").render())
            assert experiment.question[:40] in text
            assert guide.max_scroll_y == 0, (experiment.id, "question")
            await pilot.press("space")
            await _settle(pilot)
            text = str(app.screen.query_one("#lab-guide-text").render())
            assert experiment.answer[-30:].replace("\n", " ") in text.replace("\n", " ")
            assert guide.max_scroll_y == 0, (experiment.id, "answer")
            await pilot.press("n")
