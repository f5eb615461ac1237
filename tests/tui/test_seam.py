"""The seam between sessions and screens: the keys a screen offers are exactly the intents
its session's snapshot allows, and what the snapshot leaves out (intervals a cram will not
apply) is not on screen."""

from __future__ import annotations

import pytest

from quizapp.study.context import StudyRequest
from quizapp.study.items import FlashcardView, TrapView
from quizapp.study.mock import MockConfig
from quizapp.study.rules import MOCK_ACTIONS, STUDY_ACTIONS
from quizapp.tui.app import QuizApp
from quizapp.tui.screens.mock import MockScreen
from quizapp.tui.screens.study import StudyScreen
from quizapp.tui.screens.summary import SummaryScreen
from tests.tui.test_flows import answer_current, trap_keys


def enabled_actions(screen) -> set[str]:
    """The session intents the screen's key bindings offer now (what its footer shows)."""
    intents = STUDY_ACTIONS | MOCK_ACTIONS
    return {
        action
        for node, binding, enabled, _ in screen.active_bindings.values()
        if node is screen and enabled and (action := binding.action.partition("(")[0]) in intents
    }


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
async def test_study_keys_are_the_allowed_intents(make_app) -> None:
    app = make_app(review=True)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, StudyScreen) and screen.app is app
        seen: list[str] = []
        while not screen.state.finished:
            state = screen.state
            view = state.view
            if isinstance(view, FlashcardView | TrapView):
                assert enabled_actions(screen) == state.allowed
            else:  # the answer box has the focus and takes enter (submit) and printable keys
                assert enabled_actions(screen) <= state.allowed
            if isinstance(view, FlashcardView):
                await pilot.press("space")
                assert enabled_actions(screen) == screen.state.allowed
                assert "rate" in screen.state.allowed
                await pilot.press("3")
            elif isinstance(view, TrapView):
                await pilot.press(trap_keys(view)[0])
                assert enabled_actions(screen) == screen.state.allowed
                await pilot.press("enter")
            else:
                await answer_current(pilot, app)
            seen.append(view.item_id)
        # the four new items, and those rated Good again for their learning step
        assert len(set(seen)) == 4 and len(seen) == 7
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)


async def test_cram_shows_no_intervals_and_no_next_due(make_ctx) -> None:
    app = QuizApp(make_ctx(), start="study", request=StudyRequest(mode="study", cram=True))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, StudyScreen) and screen.state.mode == "cram"
        while not isinstance(screen.state.view, FlashcardView):
            screen.session.skip()
            screen.render_session()
        await pilot.press("space")
        await pilot.pause()
        labels = [str(b.label) for b in screen.query("RatingBar Button.rate")]
        assert labels == ["1 Again", "2 Hard", "3 Good", "4 Easy"]  # no interval: not applied
        note = str(screen.query_one("#rating-note").render())
        assert "schedule is untouched" in note
        await pilot.press("3", "escape")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        figures = str(app.screen.query_one("#summary-figures").render())
        assert "Next due" not in figures and "Again" not in figures
        assert "untouched" in figures


async def test_review_buttons_show_the_intervals_of_the_snapshot(make_app) -> None:
    from quizapp.study.format import interval

    app = make_app(review=True)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        await pilot.press("space")
        await pilot.pause()
        want = [
            f"{int(r)} {name} · {interval(screen.state.intervals[r])}"
            for r, name in zip(
                sorted(screen.state.intervals), ("Again", "Hard", "Good", "Easy"), strict=True
            )
        ]
        assert [str(b.label) for b in screen.query("RatingBar Button.rate")] == want


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
async def test_quizapp_starts_a_mock_like_any_session(make_ctx) -> None:
    from quizapp.tui.screens.home import HomeScreen

    app = QuizApp(make_ctx(), start="mock", mock_config=MockConfig(questions=3, seed=4))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MockScreen)
        assert screen.state.total == 3 and screen.mock.seed == 4
        # an answer box has the focus: its keys (letters, page up/down) are the box's
        assert {"skip", "finish", "leave"} <= enabled_actions(screen) <= screen.state.allowed
        await pilot.press("escape", "y")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)  # home was built beneath


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
async def test_trap_letters_beyond_the_statements_do_nothing(make_app) -> None:
    app = make_app("trap")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        view = screen.state.view
        assert isinstance(view, TrapView)
        if view.mode == "pick":
            letter = "abcdef"[len(view.statements)]
            assert not screen.check_action("pick", (len(view.statements),))
            await pilot.press(letter)
            assert screen.state.outcome is None
        else:
            assert not screen.check_action("pick", (0,))
            await pilot.press("a")
            assert screen.state.outcome is None
