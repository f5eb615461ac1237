"""Keys that arrive in a burst (a fast typist, a terminal under load, tmux send-keys) are
applied in the order they were typed in every text box of the app: Textual runs an Input's
own editing bindings (backspace, arrows …) after the characters that followed them
(Textualize/textual#6605), which turned `36261⌫9` into `3626` in a drill answer.
quizapp.tui.widgets.text_input.InOrderInput runs them in order."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.widgets import Input

from quizapp.study.context import AppContext
from quizapp.tui.app import QuizApp
from quizapp.tui.screens.browse import BrowseScreen
from quizapp.tui.widgets.text_input import InOrderInput
from tests.tui.test_study_keys import primary_box

NAMES = {" ": "space", "-": "minus", ".": "full_stop", "⌫": "backspace", "←": "left"}


def burst(app: Any, keys: str) -> None:
    """Post every key at once, as a terminal read of several keys does."""
    for key in keys:
        name = NAMES.get(key, key)
        app.post_message(events.Key(name, None if name in ("backspace", "left") else key))


@pytest.mark.slow  # its kind: the first box's burst and the every-box check
async def test_a_burst_after_undo_reads_as_typed(make_app: Callable[..., QuizApp]) -> None:
    app = make_app(drill="adam")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await pilot.press("1", "enter")  # a wrong answer …
        await pilot.pause()
        await pilot.press("u")  # … taken back: the box is empty and has the focus again
        await pilot.pause()
        box = primary_box(screen)
        assert screen.focused is box and box.value == ""
        burst(app, "⌫ ⌫-0.1004")
        await pilot.pause()
        assert box.value == "-0.1004"
        burst(app, "⌫⌫9←←7")  # cursor moves are bindings too
        await pilot.pause()
        assert box.value == "-0.1709"


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
async def test_a_burst_in_the_first_box_of_a_session(make_app: Callable[..., QuizApp]) -> None:
    app = make_app("drill")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        burst(app, "36261⌫9")
        await pilot.pause()
        assert primary_box(app.screen).value == "36269"


@pytest.mark.slow  # its kind by default: the first box's burst and the every-box check
async def test_a_burst_in_the_browser_search(make_ctx: Callable[..., AppContext]) -> None:
    app = QuizApp(make_ctx())
    async with app.run_test() as pilot:
        await pilot.press("b")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, BrowseScreen)
        box = screen.focused
        assert isinstance(box, InOrderInput)
        burst(app, "adamx⌫ ")
        await pilot.pause()
        assert box.value == "adam "


def test_every_text_box_of_the_app_keeps_the_order() -> None:
    """No plain Input left in the TUI: each one is an InOrderInput."""
    import quizapp.tui.screens.browse as browse
    import quizapp.tui.screens.mock_question as mock_question
    import quizapp.tui.screens.mock_setup as mock_setup
    import quizapp.tui.widgets.drill.answers as answers

    assert issubclass(answers.AnswerInput, InOrderInput)
    assert issubclass(browse.SearchBox, InOrderInput)
    for module in (mock_question, mock_setup):
        source = Path(module.__file__).read_text(encoding="utf-8")
        assert "yield Input(" not in source, module.__name__
    assert Input in InOrderInput.__mro__


async def test_a_burst_across_boxes_of_the_mock_form(make_app: Callable[..., QuizApp]) -> None:
    """tab is the app's binding, not the box's: '20', tab, '3' in one burst sets the
    question count, not the minutes."""
    from quizapp.tui.screens.mock_setup import MockSetupScreen

    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("m")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MockSetupScreen)
        minutes = screen.query_one("#setup-minutes", Input)
        questions = screen.query_one("#setup-questions", Input)
        assert screen.focused is minutes
        app.post_message(events.Key("tab", None))
        burst(app, "3")
        await pilot.pause()
        assert screen.focused is questions
        assert (minutes.value, questions.value) == ("20", "3")


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
async def test_a_burst_through_the_working_boxes(make_app: Callable[..., QuizApp]) -> None:
    """enter in a working box moves on at once: what follows it in the burst goes into the
    next box, not the one enter left."""
    app = make_app("drill")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        await pilot.pause()
        problem = screen.session.current.problem
        working = [f.name for f in problem.fields if f.name != problem.primary]
        await pilot.click("#working CollapsibleTitle")
        await pilot.pause()
        first = screen.query_one(f"#answer-{working[0]}", Input)
        first.focus()
        await pilot.pause()
        burst(app, "12")
        app.post_message(events.Key("enter", None))
        burst(app, "34")
        await pilot.pause()
        second = screen.query_one(f"#answer-{working[1]}", Input)
        assert (first.value, second.value) == ("12", "34")
        assert screen.focused is second
