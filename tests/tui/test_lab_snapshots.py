"""Snapshots of the lab at 80×24 and 120×40: free play, and a guided experiment with its
answer shown (the paths are computed before the picture is taken)."""

from __future__ import annotations

from typing import Any

from textual.app import App

from quizapp.study.lab import LabSession
from quizapp.tui.screens.lab import LabScreen


class LabApp(App[None]):
    TITLE = "quizapp"

    def __init__(self, experiment: str | None = None) -> None:
        super().__init__()
        self._experiment = experiment

    def on_mount(self) -> None:
        self.push_screen(LabScreen(LabSession(experiment=self._experiment)))


async def drawn(pilot: Any) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_lab_free_play_80x24(snap_compare) -> None:
    assert snap_compare(LabApp(), terminal_size=(80, 24), run_before=drawn)


def test_lab_free_play_120x40(snap_compare) -> None:
    assert snap_compare(LabApp(), terminal_size=(120, 40), run_before=drawn)


async def _answer(pilot: Any) -> None:
    await drawn(pilot)
    await pilot.press("space")
    await pilot.pause()


def test_lab_guided_80x24(snap_compare) -> None:
    assert snap_compare(LabApp("warmup"), terminal_size=(80, 24), run_before=_answer)


def test_lab_guided_120x40(snap_compare) -> None:
    assert snap_compare(LabApp("momentum-overshoot"), terminal_size=(120, 40), run_before=_answer)


async def _knobs(pilot: Any) -> None:
    await drawn(pilot)
    await pilot.press("tab", "down", "down", "down", "down", "down", "tab", "down")
    await drawn(pilot)


def test_lab_knob_panel_focused_120x40(snap_compare) -> None:
    assert snap_compare(LabApp(), terminal_size=(120, 40), run_before=_knobs)
