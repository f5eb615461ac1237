"""Pilot tests of a whole mock interview: setup, answers right and wrong, skips, the clock
running out, the report's numbers, the saved result and the scheduling it feeds."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from fsrs import Rating
from textual.widgets import Input, OptionList

from quizapp.engine import drills
from quizapp.study.context import AppContext
from quizapp.study.items import DrillView, TrapView
from quizapp.study.mock_report import MockReport
from quizapp.tui.screens.mock import ConfirmScreen, MockScreen, MockSetupScreen
from quizapp.tui.screens.mock_question import QuestionBody
from quizapp.tui.screens.mock_report import MockReportScreen
from tests.tui.test_mock_app import clock_of, mock_context, open_on, reopen, start_mock

ITEMS = [
    "mock.adam.idea",  # 1 flashcard → right
    "mock.trap.adamw",  # 2 trap → wrong
    "mock.drill.bias",  # 3 drill → wrong, diagnosed
    "mock.sgd.batch",  # 4 flashcard → skipped, then time runs out
    "mock.drill.steps",  # 5 drill → right
    "mock.trap.momentum",  # 6 trap → never reached
]


@pytest.fixture
def ctx(tmp_path: Path):
    c = mock_context(tmp_path)
    yield c
    c.close()


async def _choose(pilot, index: int) -> None:
    """Highlight option ``index`` of the focused OptionList and select it."""
    options = pilot.app.focused
    assert isinstance(options, OptionList)
    options.highlighted = index
    await pilot.press("enter")
    await pilot.pause()


def _wrong_option(view: TrapView) -> int:
    if view.mode == "pick":
        return (view.trap_index + 1) % len(view.statements)
    return 1 if view.holds else 0  # options: "It holds", "It does not hold"


async def test_whole_mock_in_exam_style_until_time_runs_out(ctx: AppContext) -> None:
    mock = start_mock(ctx, ITEMS, minutes=6)
    app = open_on(ctx, lambda: MockScreen(mock))
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MockScreen)

        # 1: flashcard — type, enter reveals, 3 = right; exam style moves on
        assert isinstance(app.focused, Input)
        clock_of(ctx).advance(seconds=40)
        await pilot.press(*"m and v", "enter")
        await pilot.pause()
        assert mock.current.revealed and mock.current.typed == "m and v"
        await pilot.press("3")
        await pilot.pause()
        assert mock.position == 1

        # 2: trap — pick a wrong option; no feedback shown in exam style
        view = mock.current.view
        assert isinstance(view, TrapView)
        clock_of(ctx).advance(seconds=20)
        await _choose(pilot, _wrong_option(view))
        assert mock.questions[1].status == "wrong"
        assert mock.position == 2

        # 3: drill — unreadable text costs nothing, then the no-bias-correction value
        view = mock.current.view
        assert isinstance(view, DrillView)
        clock_of(ctx).advance(seconds=60)
        await pilot.press(*"0.1.2", "enter")
        await pilot.pause()
        error = screen.query_one(QuestionBody).query_one(".mock-error")
        assert "Nothing was recorded" in str(error.render())
        assert ctx.store.review_count() == 2
        p = view.problem
        wrong = drills.solve(p, "no_bias_correction")[p.primary]
        app.focused.value = ""  # type: ignore[union-attr]
        await pilot.press(*repr(wrong), "enter")
        await pilot.pause()
        assert (
            mock.questions[2].status == "wrong"
            and mock.questions[2].mistake == "no_bias_correction"
        )
        assert mock.position == 3

        # 4: flashcard — skip it (ctrl+s works while typing)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert mock.questions[3].state == "skipped" and mock.position == 4

        # 5: drill — right
        view = mock.current.view
        assert isinstance(view, DrillView)
        clock_of(ctx).advance(seconds=30)
        await pilot.press(*repr(view.problem.answers[view.problem.primary]), "enter")
        await pilot.pause()
        assert mock.questions[4].status == "right"

        # navigate back to 4 with pageup... then escape asks, and "n" keeps going
        await pilot.press("pageup")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is screen

        # the clock runs out: the countdown check ends the interview
        clock_of(ctx).advance(minutes=10)
        await screen.check_time()
        await pilot.pause()
        assert isinstance(app.screen, MockReportScreen)
        report = app.screen.report

    assert report.ended_by == "time"
    assert [q.status for q in report.questions] == [
        "right", "wrong", "wrong", "unanswered", "right", "unanswered",
    ]  # fmt: skip
    t = report.total
    assert (t.asked, t.answered, t.right, t.wrong, t.unanswered, t.points) == (6, 4, 2, 2, 2, 2.0)
    assert report.score == pytest.approx(2 / 6)
    assert report.accuracy == pytest.approx(2 / 4)
    assert [q.time_ms for q in report.questions[:3]] == [40_000, 20_000, 60_000]
    assert [m.mistake for m in report.mistakes] == ["no_bias_correction"]
    by_kind = {line.name: line for line in report.by_kind}
    assert (by_kind["flashcard"].right, by_kind["flashcard"].unanswered) == (1, 1)
    assert (by_kind["trap"].wrong, by_kind["trap"].unanswered) == (1, 1)
    assert (by_kind["drill"].right, by_kind["drill"].wrong) == (1, 1)

    # the app closed its store on exit; everything was committed when answered
    with reopen(ctx) as store:
        # persisted: the saved JSON redraws the same report
        saved = store.mocks()
        assert len(saved) == 1
        assert MockReport.model_validate(saved[0].result) == report

        # fed to scheduling: four answers in mock mode, the wrong ones due again in minutes
        log = store.reviews()
        assert [r.item_id for r in log] == [ITEMS[0], ITEMS[1], ITEMS[2], ITEMS[4]]
        assert {r.mode for r in log} == {"mock"}
        assert [r.rating for r in log] == [Rating.Good, Rating.Again, Rating.Again, Rating.Easy]
        for item in (ITEMS[1], ITEMS[2]):
            state = store.get(item)
            assert state is not None and state.due is not None
            assert state.due <= ctx.clock.now()  # the clock moved 10 min on: due now
        assert store.get(ITEMS[3]) is None and store.get(ITEMS[5]) is None


async def test_practice_style_shows_feedback_and_finish_early(ctx: AppContext) -> None:
    mock = start_mock(ctx, ITEMS[:3], practice=True)
    app = open_on(ctx, lambda: MockScreen(mock))
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press(*"momentum", "enter")
        await pilot.pause()
        await pilot.press("1")  # wrong
        await pilot.pause()
        assert mock.position == 0  # practice stays to show the feedback
        after = screen.query_one(".mock-after")
        assert "Wrong" in str(after.render())
        await pilot.press("n")
        await pilot.pause()
        assert mock.position == 1
        # finish early: f asks (2 unanswered), y finishes
        await pilot.press("ctrl+f")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, MockReportScreen)
        report = app.screen.report
        assert report.ended_by == "finished" and report.practice
        assert (report.total.wrong, report.total.unanswered) == (1, 2)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, MockReportScreen)
    with reopen(ctx) as store:
        assert len(store.mocks()) == 1


async def test_abandon_saves_no_report(ctx: AppContext) -> None:
    mock = start_mock(ctx, ITEMS[:2])
    app = open_on(ctx, lambda: MockScreen(mock))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("escape", "y")
        await pilot.pause()
        assert not isinstance(app.screen, MockScreen | ConfirmScreen)
    with reopen(ctx) as store:
        assert store.mocks() == []
    assert not mock.finished


async def test_setup_screen_starts_the_configured_interview(ctx: AppContext) -> None:
    app = open_on(ctx, MockSetupScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        setup = app.screen
        setup.query_one("#setup-minutes", Input).value = "0"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "minutes" in str(setup.query_one("#setup-error").render())
        setup.query_one("#setup-minutes", Input).value = "5"
        setup.query_one("#setup-questions", Input).value = "4"
        from textual.widgets import Select, Switch

        setup.query_one("#setup-topic", Select).value = "sgd"
        setup.query_one("#setup-practice", Switch).value = True
        await pilot.press("ctrl+s")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MockScreen)
        mock = screen.mock
        assert mock.total == 4 and mock.practice
        assert {q.entry.topic for q in mock.questions} == {"sgd"}
        assert mock.remaining() == timedelta(minutes=5)
        assert "05:00 left" in str(screen.query_one("#mock-clock").render())
        clock_of(ctx).advance(minutes=4, seconds=30)
        await screen.check_time()
        assert "00:30 left" in str(screen.query_one("#mock-clock").render())
        assert screen.query_one("#mock-clock").has_class("-low")


async def test_navigator_click_jumps_to_a_question(ctx: AppContext) -> None:
    mock = start_mock(ctx, ITEMS)
    app = open_on(ctx, lambda: MockScreen(mock))
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        # cells are " 1 ", " 2 ", ... one space apart: x = 17 is inside " 5 "
        await pilot.click("#mock-nav", offset=(17, 0))
        await pilot.pause()
        assert mock.position == 4
        assert mock.questions[0].state == "skipped"
        assert "Question 5 of 6" in str(app.screen.query_one("#mock-position").render())


async def test_time_up_while_a_dialog_is_open_ends_after_it_closes(ctx: AppContext) -> None:
    mock = start_mock(ctx, ITEMS[:2], minutes=1)
    app = open_on(ctx, lambda: MockScreen(mock))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        clock_of(ctx).advance(minutes=2)
        await screen.check_time()
        assert isinstance(app.screen, ConfirmScreen)  # the dialog is not yanked away
        await pilot.press("n")
        await pilot.pause()
        await screen.check_time()
        await pilot.pause()
        assert isinstance(app.screen, MockReportScreen)
        assert app.screen.report.ended_by == "time"
        assert app.screen.report.total.unanswered == 2


def _screen_text(screen) -> str:
    from textual.widgets import Static

    return "\n".join(str(w.render()) for w in screen.query(Static) if w.display)


async def test_report_questions_open_to_the_answer_and_never_show_raw_ids(
    ctx: AppContext,
) -> None:
    from quizapp.tui.screens.mock_report import QuestionDetail

    mock = start_mock(ctx, ITEMS[:3])
    mock.reveal("two moving averages")
    mock.grade_flashcard("wrong")
    report = mock.finish()  # the trap and the drill stay unanswered
    app = open_on(ctx, lambda: MockReportScreen(report))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        text = _screen_text(screen)
        for item_id in ITEMS[:3]:
            assert item_id not in text
        details = list(screen.query(QuestionDetail))
        assert len(details) == 3 and all(d.collapsed for d in details)
        # tab to the first question, enter opens it: your answer beside the model answer
        while not (app.focused and app.focused.parent is details[0]):
            await pilot.press("tab")
        await pilot.press("enter")
        await pilot.pause()
        assert not details[0].collapsed
        opened = _screen_text(screen)
        assert "two moving averages" in opened
        assert ctx.catalog.items[ITEMS[0]].item.back in opened.replace("\n", " ")
        # o opens them all: the unanswered drill shows the engine's exact values
        await pilot.press("o")
        await pilot.pause()
        assert not any(d.collapsed for d in details)
        drill = report.questions[2]
        assert drill.status == "unanswered" and drill.answer_lines
        opened = _screen_text(screen)
        for line in drill.answer_lines:
            assert line.expected in opened
        assert "not answered" in opened


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
@pytest.mark.parametrize("practice", [False, True])
async def test_progress_strip_marks_right_wrong_and_partly_truthfully(
    ctx: AppContext, practice: bool
) -> None:
    from quizapp.tui.screens.mock_question import Navigator

    mock = start_mock(ctx, ITEMS[:4], practice=practice)
    mock.reveal("x")
    mock.grade_flashcard("wrong")
    view = mock.goto(1).view
    assert isinstance(view, TrapView)
    mock.answer_trap(view.trap_index if view.mode == "pick" else view.holds)  # right
    mock.goto(2)
    mock.goto(3)  # question 3 was seen and left: skipped
    mock.reveal("y")
    mock.grade_flashcard("partly")
    app = open_on(ctx, lambda: MockScreen(mock))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        strip = str(app.screen.query_one(Navigator).render())
        cells = strip.split()[:4]
        if practice:
            assert cells == ["✗1", "✓2", "»3", "½4"]
        else:  # exam style: answered, with no verdict before the report
            assert cells == ["●1", "●2", "»3", "●4"]
            assert "✓" not in strip and "✗" not in strip


async def test_setup_form_has_focus_our_messages_and_fits_80_columns(ctx: AppContext) -> None:
    from textual.widgets import Static

    app = open_on(ctx, MockSetupScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        setup = app.screen
        minutes = setup.query_one("#setup-minutes", Input)
        assert app.focused is minutes  # type straight away
        style = setup.query_one("#setup-style", Static)
        assert style.size.height == 1
        assert style.size.width >= len(str(style.render()))  # "exam style…" not cut or wrapped
        await pilot.press("backspace", "backspace", "enter")
        await pilot.pause()
        message = str(setup.query_one("#setup-error").render())
        assert message == "Minutes: empty; type a whole number of minutes from 1 to 240."
        setup.query_one("#setup-questions", Input).value = "500"
        minutes.value = "30"
        await pilot.press("enter")
        await pilot.pause()
        message = str(setup.query_one("#setup-error").render())
        assert message.startswith("Questions: 500 is out of range")
        assert app.focused is setup.query_one("#setup-questions", Input)
        for raw in ("Input should be", "less than or equal", "validation error"):
            assert raw not in message  # never pydantic's words


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
async def test_mock_footer_fits_80_columns(ctx: AppContext) -> None:
    from textual.widgets._footer import FooterKey

    mock = start_mock(ctx, ITEMS[:3], practice=True)
    mock.reveal("x")
    app = open_on(ctx, lambda: MockScreen(mock))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        keys = list(app.screen.query(FooterKey))
        shown = {k.description for k in keys}
        assert {"Skip", "Prev", "Next", "Wrong", "Partly", "Right", "End", "Leave"} <= shown
        assert all(k.region.right <= 80 and k.region.width > 0 for k in keys)
