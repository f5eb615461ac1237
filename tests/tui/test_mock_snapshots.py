"""Snapshots of the mock interview screens at 80×24 and 120×40 (report, a question)."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.engine import drills
from quizapp.study.items import DrillView, TrapView
from quizapp.tui.screens.mock import MockScreen
from quizapp.tui.screens.mock_report import MockReportScreen
from tests.tui.test_mock_app import ScreenApp, clock_of, mock_context, open_on, start_mock

ITEMS = [
    "mock.adam.idea",
    "mock.trap.adamw",
    "mock.drill.bias",
    "mock.sgd.batch",
    "mock.drill.steps",
    "mock.trap.momentum",
]


def _report_app(tmp_path: Path) -> ScreenApp:
    """An earlier mock (for the trend), then one with every kind of outcome."""
    ctx = mock_context(tmp_path)
    first = start_mock(ctx, ITEMS[:2])
    first.reveal("x")
    first.grade_flashcard("wrong")
    first.finish()
    clock_of(ctx).advance(days=2)

    mock = start_mock(ctx, ITEMS, minutes=10)
    clock_of(ctx).advance(seconds=45)
    mock.reveal("two moments")
    mock.grade_flashcard("right")
    q = mock.goto(1)
    assert isinstance(q.view, TrapView)
    clock_of(ctx).advance(seconds=50)
    mock.answer_trap(q.view.trap_index if q.view.mode == "pick" else q.view.holds)
    q = mock.goto(2)
    assert isinstance(q.view, DrillView)
    clock_of(ctx).advance(seconds=150)
    p = q.view.problem
    mock.answer_drill(repr(drills.solve(p, "no_bias_correction")[p.primary]))
    mock.goto(3)
    clock_of(ctx).advance(seconds=20)
    mock.reveal(None)
    mock.grade_flashcard("partly")
    mock.goto(4)
    clock_of(ctx).advance(seconds=30)
    mock.answer_drill("12")
    clock_of(ctx).advance(seconds=10)
    report = mock.finish()
    return open_on(ctx, lambda: MockReportScreen(report))


def _question_app(tmp_path: Path) -> ScreenApp:
    ctx = mock_context(tmp_path)
    mock = start_mock(ctx, ITEMS, minutes=20)
    mock.reveal("momentum and RMSProp")
    mock.grade_flashcard("right")
    mock.goto(2)  # the drill; question 2 is left skipped
    clock_of(ctx).advance(minutes=3, seconds=12)
    return open_on(ctx, lambda: MockScreen(mock))


def test_mock_report_snapshot_80x24(snap_compare, tmp_path: Path) -> None:
    assert snap_compare(_report_app(tmp_path), terminal_size=(80, 24))


def test_mock_report_snapshot_120x40(snap_compare, tmp_path: Path) -> None:
    assert snap_compare(_report_app(tmp_path), terminal_size=(120, 40))


@pytest.mark.slow  # CI; by default the report's top (test_mock_report_snapshot_80x24)
def test_mock_report_snapshot_scrolled_80x24(snap_compare, tmp_path: Path) -> None:
    assert snap_compare(_report_app(tmp_path), press=["end"], terminal_size=(80, 24))


def test_mock_question_snapshot_80x24(snap_compare, tmp_path: Path) -> None:
    assert snap_compare(_question_app(tmp_path), terminal_size=(80, 24))


def test_mock_question_snapshot_120x40(snap_compare, tmp_path: Path) -> None:
    assert snap_compare(_question_app(tmp_path), terminal_size=(120, 40))


async def _open_the_drill(pilot) -> None:
    """Open the report's drill question (3) and scroll it to the top."""
    from quizapp.tui.screens.mock_report import QuestionDetail

    await pilot.pause()
    screen = pilot.app.screen
    detail = list(screen.query(QuestionDetail))[2]
    detail.collapsed = False
    detail.query_one("CollapsibleTitle").focus()
    await pilot.pause()
    screen.query_one("#report-scroll").scroll_to_widget(detail, top=True, animate=False)
    await pilot.pause()


def _revealed_practice_app(tmp_path: Path) -> ScreenApp:
    ctx = mock_context(tmp_path)
    mock = start_mock(ctx, ITEMS, practice=True)
    mock.reveal("x")
    mock.grade_flashcard("wrong")
    mock.goto(3)
    mock.reveal("a noisy but cheap gradient")
    return open_on(ctx, lambda: MockScreen(mock))


@pytest.mark.slow  # CI; by default test_mock_report_snapshot_80x24; opening a
# question is test_mock_flow.py::test_report_questions_open_to_the_answer_and_never_show_raw_ids
def test_mock_report_question_opened_80x24(snap_compare, tmp_path: Path) -> None:
    assert snap_compare(_report_app(tmp_path), run_before=_open_the_drill, terminal_size=(80, 24))


@pytest.mark.slow  # CI; by default the question screen is test_mock_question_snapshot_80x24;
# practice feedback is test_mock_flow.py::test_practice_style_shows_feedback_and_finish_early
def test_mock_practice_revealed_80x24(snap_compare, tmp_path: Path) -> None:
    assert snap_compare(_revealed_practice_app(tmp_path), terminal_size=(80, 24))


def test_mock_setup_80x24(snap_compare, tmp_path: Path) -> None:
    from quizapp.tui.screens.mock_setup import MockSetupScreen

    assert snap_compare(open_on(mock_context(tmp_path), MockSetupScreen), terminal_size=(80, 24))
