"""Snapshots of the lab at 80×24 and 120×40: free play, and a guided experiment with its
answer shown (the paths are computed before the picture is taken). The real app, opened
on the lab as `quizapp lab` does, on the real context."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from quizapp.study.context import AppContext
from quizapp.study.lab import LabSession
from quizapp.tui.app import QuizApp


@pytest.fixture
def lab_app(make_ctx: Callable[..., AppContext]) -> Callable[..., QuizApp]:
    def make(experiment: str | None = None) -> QuizApp:
        return QuizApp(make_ctx(), start="lab", lab=LabSession(experiment=experiment))

    return make


async def drawn(pilot: Any) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_lab_free_play_80x24(snap_compare, lab_app) -> None:
    assert snap_compare(lab_app(), terminal_size=(80, 24), run_before=drawn)


def test_lab_free_play_120x40(snap_compare, lab_app) -> None:
    assert snap_compare(lab_app(), terminal_size=(120, 40), run_before=drawn)


async def _answer(pilot: Any) -> None:
    await drawn(pilot)
    await pilot.press("space")
    await pilot.pause()


def test_lab_guided_80x24(snap_compare, lab_app) -> None:
    assert snap_compare(lab_app("warmup"), terminal_size=(80, 24), run_before=_answer)


def test_lab_guided_120x40(snap_compare, lab_app) -> None:
    assert snap_compare(lab_app("momentum-overshoot"), terminal_size=(120, 40), run_before=_answer)


async def _knobs(pilot: Any) -> None:
    await drawn(pilot)
    await pilot.press("tab", "down", "down", "down", "down", "down", "tab", "down")
    await drawn(pilot)


@pytest.mark.slow  # CI; by default the lab's snapshots are free play and guided at 80x24;
# the knob panel's keys are test_lab_screen.py::test_every_knob_changes_with_left_and_right
def test_lab_knob_panel_focused_120x40(snap_compare, lab_app) -> None:
    assert snap_compare(lab_app(), terminal_size=(120, 40), run_before=_knobs)
