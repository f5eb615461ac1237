"""Issue 10 item 7, the question card: in a mock interview traps answer with letters (and
y / n) as in study, drills get the study card's per-field boxes with the live "reads as"
preview, and practice feedback shows what was typed beside the exact value."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from textual.widgets import Input
from textual.widgets._footer import FooterKey

from quizapp.study.items import DrillView, TrapView
from quizapp.study.mock import MockInterview
from quizapp.tui.screens.mock import MockScreen
from quizapp.tui.screens.mock_question import QuestionBody
from quizapp.tui.widgets.trap.card import LETTERS
from quizapp.tui.widgets.trap.options import TrapOptions
from tests.tui.test_exact_values import text_of
from tests.tui.test_mock_app import mock_context, open_on, start_mock


@pytest.fixture
def ctx(tmp_path: Path):
    c = mock_context(tmp_path)
    yield c
    c.close()


def seed_for(ctx, item: str, wanted) -> int:
    """A mock seed whose view of ``item`` is ``wanted(view)``."""
    for seed in range(300):
        mock = start_mock(ctx, [item], seed=seed)
        if wanted(mock.current.view):
            return seed
    raise AssertionError("no such layout")


def footer(app) -> dict[str, str]:
    return {k.description: k.key_display for k in app.screen.query(FooterKey) if k.description}


async def test_a_pick_trap_answers_with_its_letter(ctx) -> None:
    seed = seed_for(ctx, "mock.trap.adamw", lambda v: v.mode == "pick")
    mock: MockInterview = start_mock(ctx, ["mock.trap.adamw", "mock.drill.bias"], seed=seed)
    app = open_on(ctx, lambda: MockScreen(mock))
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        view = mock.current.view
        assert isinstance(view, TrapView) and view.mode == "pick"
        n = len(view.statements)
        assert footer(app).get("Pick") == f"a–{LETTERS[n - 1]}"
        await pilot.press("pagedown")  # the list does not page: the screen's Next
        await pilot.pause()
        assert mock.position == 1
        await pilot.press("pageup")
        await pilot.pause()
        assert mock.position == 0 and isinstance(app.focused, TrapOptions)
        await pilot.press(LETTERS[n])  # a letter past the statements does nothing
        await pilot.pause()
        assert not mock.questions[0].answered
        await pilot.press(LETTERS[view.trap_index])
        await pilot.pause()
        assert mock.questions[0].status == "right"


async def test_a_holds_trap_answers_with_y_or_n(ctx) -> None:
    seed = seed_for(ctx, "mock.trap.momentum", lambda v: v.mode == "holds")
    mock = start_mock(ctx, ["mock.trap.momentum", "mock.drill.bias"], seed=seed)
    app = open_on(ctx, lambda: MockScreen(mock))
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        view = mock.current.view
        assert isinstance(view, TrapView) and view.mode == "holds"
        await pilot.press("a")  # letters are for pick traps
        await pilot.pause()
        assert not mock.questions[0].answered
        await pilot.press("y" if view.holds else "n")
        await pilot.pause()
        assert mock.questions[0].status == "right"


async def test_a_drill_has_the_study_boxes_preview_and_feedback(ctx) -> None:
    mock = start_mock(ctx, ["mock.drill.bias", "mock.trap.adamw"], practice=True)
    app = open_on(ctx, lambda: MockScreen(mock))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        view = mock.current.view
        assert isinstance(view, DrillView)
        problem = view.problem
        boxes = {f.name: screen.query_one(f"#answer-{f.name}", Input) for f in problem.fields}
        assert len(boxes) == len(problem.fields) > 1  # one box per field
        assert app.focused is boxes[problem.primary]
        await pilot.press(*"0.1*2")
        await pilot.pause()
        assert "reads as 0.1·2 = 0.2" in str(screen.query_one(".preview").render())
        boxes[problem.primary].value = ""
        await pilot.press("enter")  # the asked-for field is empty: nothing recorded
        await pilot.pause()
        body = screen.query_one(QuestionBody)
        assert "asked for" in str(body.query_one(".mock-error").render())
        assert ctx.store.review_count() == 0
        other = next(f for f in problem.fields if f.name != problem.primary)
        exact = problem.answers_text[problem.primary]
        boxes[other.name].value = "0"
        boxes[problem.primary].value = exact
        boxes[problem.primary].focus()
        await pilot.press("enter")
        await pilot.pause()
        question = mock.questions[0]
        assert question.answered and question.verdict is not None
        assert {f.field for f in question.verdict.fields} == {other.name, problem.primary}
        details = text_of(screen.query_one(".mock-details"))
        assert f"you {exact}" in details and f"exact {exact}" in details
        assert re.search(r"you +0 ", details)  # the typed numbers right-aligned (D8)
        assert f"= {exact}" in text_of(screen.query_one(".mock-solution"))


def test_a_logged_drill_answer_reads_with_the_field_labels() -> None:
    from quizapp.engine import drills
    from quizapp.tui.screens.mock_question import _labelled

    p = drills.generate("adam", 1)
    assert _labelled(p, "theta=0.5; m=0.1") == "θ' = 0.5 · m = 0.1"
    assert _labelled(p, "0.5") == "0.5" and _labelled(p, None) == ""
