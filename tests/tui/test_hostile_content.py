"""Issue 17, F3/F4 on screen: deck text with action markup, stray closing tags or
unbalanced tags in any field is shown as text on the study and mock question screens —
no action fires on a click, nothing crashes.

`quizapp check` refuses such a file (so the loader leaves it out); these tests load it
anyway, as a deck that reached the app by another road would, to prove the screens do
not rely on the checker.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from textual.content import Content
from textual.style import Style

from quizapp.decks import loader, validate
from quizapp.srs.scheduler import SchedulerConfig
from quizapp.study.clock import FakeClock
from quizapp.study.context import AppContext, StudyRequest
from quizapp.study.mock import MockConfig
from quizapp.tui.app import QuizApp
from quizapp.tui.screens.mock import MockScreen
from quizapp.tui.screens.mock_question import Navigator
from quizapp.tui.screens.study import StudyScreen
from tests import sampling

QUIT = "[@click=app.quit]"
HOSTILE = f"""
deck = "evil"
title = "[b]Evil deck[/"
topic = "[/]"

[[flashcard]]
id = "e.card"
tags = ["{QUIT}x[/]"]
front = "{QUIT}Click me[/] to [/] quit"
back = "[link=https://example.com]a link[/link] and {QUIT}quit now[/] [b]bold"
hint = "[red"
deeper = "deep [@click=app.bell]bell[/]"
source = "[/] the source"

[[trap]]
id = "e.trap"
claim = "{QUIT}claimed[/]"
why_wrong = "[/]wrong because"
correct = "[on red]corrected"
question = "[@click=screen.dismiss]asked[/]"
distractors = ["{QUIT}first true[/]", "second true [/]"]
why_true = ["{QUIT}w-one[/]", "[/]w-two"]
source = "{QUIT}trap source[/]"

[[drill]]
id = "e.drill"
drill = "sgd"
title = "{QUIT}Evil drill[/] [/]"
note = "{QUIT}a note[/] [/]"
"""


@pytest.fixture
def hostile_ctx(tmp_path: Path, quizapp_home: Path, monkeypatch: pytest.MonkeyPatch):
    folder = tmp_path / "evil"
    folder.mkdir()
    (folder / "evil.toml").write_text(HOSTILE, encoding="utf-8")
    monkeypatch.setattr(validate, "check_file", lambda *args: [])  # as if check let it through
    catalog = loader.load_paths([folder], index=False)
    assert len(catalog.items) == 3, catalog.problems

    def make() -> AppContext:
        return AppContext.open(
            catalog,
            quizapp_home / "progress.sqlite3",
            clock=FakeClock(),
            rng=random.Random(3),
            config=SchedulerConfig(enable_fuzzing=False),
        )

    return make


async def _click_everything(pilot, app) -> None:
    """Click every widget of the screen that shows text (a click on action markup would
    run it)."""
    screen = app.screen
    for widget in list(screen.query("Static")):
        if widget.is_attached and widget.display and widget.region.area:
            await pilot.click(widget)
            assert app.screen is screen, widget


def _assert_alive(app, screen) -> None:
    """Still running on the same screen, and no deck text on it carries an action."""
    assert app.is_running and app.return_value is None
    assert app.screen is screen
    for widget in screen.query("Static"):
        if isinstance(widget, Navigator):  # our own links between questions
            continue
        shown = widget.render()
        if isinstance(shown, Content):
            for span in shown.spans:
                style = span.style
                meta = style.meta if isinstance(style, Style) else {}
                assert "@click" not in meta and "@click" not in str(style), widget


# the flashcard by default, the trap and the drill under slow (CI): every kind's hostile text
# is also on screen by default in the mock below (its three questions are the three items)
@pytest.mark.parametrize("kind", sampling.sample(["flashcard", "trap", "drill"]))
async def test_study_screen_shows_hostile_text_as_text(hostile_ctx, kind: str) -> None:
    app = QuizApp(hostile_ctx(), start="study", request=StudyRequest(mode="study", kind=kind))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StudyScreen)
        if kind == "flashcard":
            await pilot.press("h")  # the hint, before a click reveals the card
            await pilot.pause()
            assert "[red" in app.export_screenshot()
        await _click_everything(pilot, app)
        _assert_alive(app, screen)
        # answer it, which shows the back, the explanations, the solution and sources
        if kind == "flashcard":  # a click on the card may have revealed it already
            if not screen.session.revealed:
                await pilot.press("space")
        elif kind == "trap":
            await pilot.press("a", "y")
        else:
            await pilot.press("1", "enter")
        await pilot.pause()
        assert app.screen is screen, kind
        await _click_everything(pilot, app)
        _assert_alive(app, screen)
        shot = app.export_screenshot().replace("&#160;", " ")
        texts = {
            "flashcard": ["Click me", "a link", "quit now", "bold", "bell"],
            "trap": ["claimed", "wrong because", "corrected"],
            "drill": ["Evil drill", "a note"],
        }[kind]
        for text in texts:
            assert text in shot, (kind, text)


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
async def test_mock_question_shows_hostile_text_as_text(hostile_ctx) -> None:
    config = MockConfig(minutes=20, questions=3, seed=1, practice=True)
    app = QuizApp(hostile_ctx(), start="mock", mock_config=config)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MockScreen)
        for _ in range(3):
            await _click_everything(pilot, app)
            _assert_alive(app, screen)
            await pilot.press("pagedown")
            await pilot.pause()
