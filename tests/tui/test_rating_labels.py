"""The rating buttons show the intervals an answer stores, Easy a day past Good
(usertest2 D2: ``3 Good · 1d  4 Easy · 1d`` on a card back from its 10-minute step)."""

from __future__ import annotations

from collections.abc import Callable

from quizapp.srs.scheduler import Rating
from quizapp.study.context import AppContext, StudyRequest
from quizapp.tui.app import QuizApp
from quizapp.tui.screens.study import StudyScreen


async def test_easy_button_is_a_day_past_good_on_the_last_learning_step(
    make_ctx: Callable[..., AppContext],
) -> None:
    ctx = make_ctx()
    ctx.scheduler.answer("t.card.bias", "flashcard", Rating.Again)
    ctx.clock.advance(minutes=1)
    ctx.scheduler.answer("t.card.bias", "flashcard", Rating.Good)  # on the 10-minute step
    ctx.clock.advance(minutes=10)
    app = QuizApp(ctx, start="review", request=StudyRequest())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StudyScreen)
        await pilot.press("space")
        await pilot.pause()
        labels = [str(b.label) for b in screen.query("Button.rate")]
        assert labels == ["1 Again · 1m", "2 Hard · 10m", "3 Good · 1d", "4 Easy · 2d"]
        await pilot.press("4")
        await pilot.pause()
        state = ctx.store.get("t.card.bias")
        assert state is not None and state.due is not None and state.last_review is not None
        assert (state.due - state.last_review).days == 2
