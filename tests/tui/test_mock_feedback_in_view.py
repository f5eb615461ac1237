"""In a practice-style mock at 80×24, a just-answered drill's feedback (its verdict, marks and
worked solution) is scrolled into view, as on the study card; a question visited again opens
at its top."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from quizapp.study.items import DrillView
from quizapp.study.mock import MockInterview
from quizapp.tui.screens.mock import MockScreen
from tests.tui.test_mock_app import mock_context, open_on, start_mock


def _in_view(app, selector: str) -> bool:  # noqa: ANN001
    scroll = app.screen.query_one("#mock-scroll")
    region = app.screen.query_one(selector).region
    return bool(region) and scroll.region.contains_region(region)


def practice_mock(tmp_path: Path) -> tuple[Any, MockInterview, Any]:
    """A practice-style mock of a drill, then a conceptual question: its context,
    interview and app (not yet running)."""
    ctx = mock_context(tmp_path)
    mock = start_mock(ctx, ["mock.drill.bias", "mock.adam.idea"], practice=True)
    return ctx, mock, open_on(ctx, lambda: MockScreen(mock))


async def answer_the_drill(pilot: Any, mock: MockInterview) -> None:
    """Answer the first question, the drill, with 0.5 in its every box (wrong)."""
    await pilot.pause()
    view = mock.state().current.view
    assert isinstance(view, DrillView)
    await pilot.press(*"0.5")
    for _ in view.problem.fields:
        await pilot.press("enter")
    await pilot.pause()
    await pilot.pause()


async def test_a_just_answered_drill_s_feedback_is_in_view(tmp_path: Path) -> None:
    _ctx, mock, app = practice_mock(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await answer_the_drill(pilot, mock)
        assert mock.state().current.answered
        scroll = app.screen.query_one("#mock-scroll")
        assert scroll.max_scroll_y > 0  # at 80×24 the feedback does not fit under the question
        assert scroll.scroll_y > 0 and _in_view(app, ".mock-after")
        assert _in_view(app, ".mock-details")  # the marks, you / exact per field
        await pilot.press("n")
        await pilot.pause()
        assert mock.state().position == 1
        await pilot.press("pageup")  # back to the answered drill (p would be typed): its top
        await pilot.pause()
        await pilot.pause()
        assert mock.state().position == 0
        assert scroll.scroll_y == 0 and _in_view(app, ".mock-heading")
