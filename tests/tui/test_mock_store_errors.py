"""F1 for mock interviews (issue 17, issue 10 item 7): every answer the mock records and the
report it saves go through ``QuizScreen.commit``. A refused write shows the store's dialog,
keeps the question unanswered with the typed text on screen, and retry records it once."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, OptionList

from quizapp.study.items import DrillView, TrapView
from quizapp.tui.screens.mock import MockScreen
from quizapp.tui.screens.mock_report import MockReportScreen
from quizapp.tui.screens.store_error import StoreErrorModal
from tests.reliability.faults import injected
from tests.sampling import sample
from tests.tui.test_mock_app import mock_context, open_on, reopen, start_mock

LOCKED, READ_ONLY, DISK_FULL = 5, 8, 13


async def test_a_refused_drill_answer_keeps_the_typed_text_and_retry_records_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with injected(monkeypatch) as faulty:
        ctx = mock_context(tmp_path)
        mock = start_mock(ctx, ["mock.drill.steps", "mock.adam.idea"])
        view = mock.current.view
        assert isinstance(view, DrillView)
        exact = view.problem.answers_text[view.problem.primary]
        app = open_on(ctx, lambda: MockScreen(mock))
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            screen = app.screen
            await pilot.press(*exact)
            faulty.fault = LOCKED
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, StoreErrorModal)
            assert ctx.store.reviews("mock.drill.steps") == []
            assert not mock.questions[0].answered and mock.position == 0
            assert screen.query_one(Input).value == exact  # the answer is still there
            faulty.fault = None
            await pilot.press("r")
            await pilot.pause()
            assert app.screen is screen
            assert mock.questions[0].status == "right"
            assert len(ctx.store.reviews("mock.drill.steps")) == 1
            assert mock.position == 1  # exam style moved on after the saved answer


# a full disk by default, read-only under slow (CI): the fault's kind only changes the message
@pytest.mark.parametrize("fault", sample([DISK_FULL, READ_ONLY], 2))
async def test_refused_trap_and_flashcard_answers_are_retried(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fault: int
) -> None:
    with injected(monkeypatch) as faulty:
        ctx = mock_context(tmp_path)
        mock = start_mock(ctx, ["mock.trap.adamw", "mock.adam.idea"], practice=True)
        view = mock.current.view
        assert isinstance(view, TrapView)
        right = view.trap_index if view.mode == "pick" else (0 if view.holds else 1)
        app = open_on(ctx, lambda: MockScreen(mock))
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            options = app.focused
            assert isinstance(options, OptionList)
            options.highlighted = right
            faulty.fault = fault
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, StoreErrorModal)
            assert not mock.questions[0].answered
            faulty.fault = None
            await pilot.press("r")
            await pilot.pause()
            assert mock.questions[0].status == "right"

            await pilot.press("n")  # practice style stays on the answered question
            await pilot.pause()
            await pilot.press(*"m and v", "enter")
            await pilot.pause()
            assert mock.current.revealed
            faulty.fault = fault
            await pilot.press("3")
            await pilot.pause()
            assert isinstance(app.screen, StoreErrorModal)
            assert not mock.questions[1].answered
            faulty.fault = None
            await pilot.press("r")
            await pilot.pause()
            assert mock.questions[1].status == "right"
    with reopen(ctx) as store:
        assert [r.item_id for r in store.reviews()] == ["mock.trap.adamw", "mock.adam.idea"]


async def test_a_refused_report_save_keeps_the_interview_and_retry_shows_the_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with injected(monkeypatch) as faulty:
        ctx = mock_context(tmp_path)
        mock = start_mock(ctx, ["mock.adam.idea"])
        app = open_on(ctx, lambda: MockScreen(mock))
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            screen = app.screen
            faulty.fault = LOCKED
            await pilot.press("ctrl+f", "y")
            await pilot.pause()
            assert isinstance(app.screen, StoreErrorModal)
            assert not mock.finished and ctx.store.mocks() == []
            faulty.fault = None
            await pilot.press("r")
            await pilot.pause()
            assert isinstance(app.screen, MockReportScreen)
            assert screen.mock.finished and len(ctx.store.mocks()) == 1


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
async def test_quitting_after_a_refused_answer_exits_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with injected(monkeypatch) as faulty:
        ctx = mock_context(tmp_path)
        mock = start_mock(ctx, ["mock.adam.idea", "mock.sgd.batch"])
        app = open_on(ctx, lambda: MockScreen(mock))
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await pilot.press("enter")  # said aloud: the model answer shows
            await pilot.pause()
            faulty.fault = READ_ONLY
            await pilot.press("1")
            await pilot.pause()
            assert isinstance(app.screen, StoreErrorModal)
            await pilot.press("q")
            await pilot.pause()
        assert app.return_code == 1
