"""What the first screen builds (issue 16, second pass): the study screen composes its first
card and its footer keys in one go (no recompose of the footer while nothing changed), a
flashcard's hidden lines and the rating bar are built when first needed and works either way, and home reads its overview
once when it opens and again whenever it shows."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Button, Static

from quizapp.study.context import AppContext
from quizapp.tui.app import QuizApp
from quizapp.tui.screens.help import HelpScreen
from quizapp.tui.screens.home import HomeScreen
from quizapp.tui.screens.study import StudyScreen
from quizapp.tui.widgets.footer import QuizFooter
from quizapp.tui.widgets.study.rating_bar import RatingBar


@pytest.fixture
def recomposes(monkeypatch: pytest.MonkeyPatch) -> list[QuizFooter]:
    """Every QuizFooter recompose, in order."""
    calls: list[QuizFooter] = []
    real = QuizFooter.recompose

    async def counted(self: QuizFooter) -> None:
        calls.append(self)
        await real(self)

    monkeypatch.setattr(QuizFooter, "recompose", counted)
    return calls


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
async def test_study_footer_is_built_with_the_screen(
    make_app: Callable[..., QuizApp], recomposes: list[QuizFooter]
) -> None:
    app = make_app(review=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StudyScreen)
        shown = [str(key.description) for key in screen.query("FooterKey")]
        assert shown[:2] == ["Show answer", "Hint"] and shown[-1] == "End"
        assert not recomposes  # the keys composed with the screen were the right ones
        await pilot.press("space")  # now the keys change: the footer follows
        await pilot.pause()
        assert recomposes
        shown = [str(key.description) for key in screen.query("FooterKey")]
        assert "Show answer" not in shown and "Good" in shown


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
async def test_first_card_is_composed_with_the_screen(make_app: Callable[..., QuizApp]) -> None:
    app = make_app(review=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        cards = app.screen.query(".card")
        assert [card.id for card in cards] == ["flashcard"]
        front = app.screen.query_one("#front", Static)
        assert "bias correction" in str(front.render())


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
async def test_a_flashcards_hidden_lines_are_built_when_first_shown(
    make_app: Callable[..., QuizApp],
) -> None:
    """The hint, answer, deeper note and source lines of a flashcard are not built for its
    first paint; the reveal builds them (in their places) and the next card reuses them."""
    app = make_app("flashcard")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        card = app.screen.query_one("#flashcard")
        assert [child.id for child in card.children] == ["front", "reveal-hint"]
        await pilot.press("space")
        await pilot.pause()
        order = ["front", "hint", "reveal-hint", "back", "deeper", "flashcard-source"]
        assert [child.id for child in card.children] == order
        shown = [child.id for child in card.children if child.display]
        assert shown[:2] == ["front", "back"] and "reveal-hint" not in shown
        parts = list(card.children)
        await pilot.press("3")
        await pilot.pause()
        assert list(card.children) == parts  # the next card's lines are the same widgets
        assert [child.id for child in card.children if child.display] == ["front", "reveal-hint"]


class _BarApp(App[None]):
    def compose(self) -> ComposeResult:
        yield RatingBar(id="ratings")


@pytest.mark.parametrize("prepared", [False, True], ids=["built-by-show", "prepared"])
async def test_rating_bar_builds_its_buttons_once(prepared: bool) -> None:
    from datetime import timedelta

    app = _BarApp()
    async with app.run_test() as pilot:
        bar = app.query_one(RatingBar)
        assert not bar.query(Button)  # nothing until it is needed
        if prepared:
            bar.prepare()
            await pilot.pause()
        bar.show({1: timedelta(minutes=1), 3: timedelta(days=2)}, chosen=3, note="How well?")
        bar.prepare()  # again: nothing more is built
        await pilot.pause()
        labels = [str(b.label) for b in bar.query("Button.rate")]
        assert labels == ["1 Again · 1m", "2 Hard", "3 Good · 2d", "4 Easy"]
        assert [b.id for b in bar.query(Button) if b.has_class("-chosen")] == ["rate-3"]
        assert len(bar.query(Button)) == 5
        assert not bar.query_one("#next-item").display
        bar.show({}, note="Practice", ratings=False)
        await pilot.pause()
        assert bar.query_one("#next-item").display
        assert not any(b.display for b in bar.query("Button.rate"))


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
async def test_home_reads_its_overview_once_per_showing(
    make_app: Callable[..., QuizApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    real = AppContext.overview

    def counted(self: AppContext):  # type: ignore[no-untyped-def]
        calls.append(1)
        return real(self)

    monkeypatch.setattr(AppContext, "overview", counted)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert len(calls) == 1
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert len(calls) == 2  # shown again: the counts are read again
