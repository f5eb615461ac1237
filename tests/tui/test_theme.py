"""Issue 10 item 13: a theme chosen in the palette is saved to config.toml (the learner's
comments and other settings kept) and used at the next start."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from quizapp.settings import load_scheduler_config
from quizapp.study.context import AppContext
from quizapp.tui.app import QuizApp

CONFIG = """\
# my settings
[scheduling]
new_per_day = 30   # a bit more
"""


async def choose_theme(pilot: Any, name: str) -> None:
    """ctrl+p → Theme → the name, as a learner does."""
    await pilot.press("ctrl+p", *"theme")
    await pilot.pause()
    await pilot.press("enter")  # Textual's "Theme" command opens the theme list
    await pilot.pause()
    await pilot.press(*name)
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
async def test_the_palettes_theme_is_saved_and_used_at_the_next_start(
    make_ctx: Callable[..., AppContext], quizapp_home: Path
) -> None:
    config = quizapp_home / "config.toml"
    config.write_text(CONFIG, encoding="utf-8")
    app = QuizApp(make_ctx())
    async with app.run_test(size=(80, 24)) as pilot:
        default = app.theme
        await choose_theme(pilot, "nord")
        assert app.theme == "nord" != default
    text = config.read_text(encoding="utf-8")
    assert text.startswith(CONFIG)  # comments and settings as they were
    assert text.rstrip().endswith('[ui]\ntheme = "nord"')
    assert load_scheduler_config(config).new_per_day == 30

    again = QuizApp(make_ctx())
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert again.theme == "nord"
        await choose_theme(pilot, "gruvbox")
    assert 'theme = "gruvbox"' in config.read_text(encoding="utf-8")
    assert config.read_text(encoding="utf-8").count("[ui]") == 1


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
async def test_starting_writes_nothing(make_ctx: Callable[..., AppContext], quizapp_home: Path):
    config = quizapp_home / "config.toml"
    config.write_text(CONFIG + '\n[ui]\ntheme = "dracula"\n', encoding="utf-8")
    before = config.stat().st_mtime_ns, config.read_bytes()
    app = QuizApp(make_ctx())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.theme == "dracula"
    assert (config.stat().st_mtime_ns, config.read_bytes()) == before


async def test_an_unknown_theme_is_a_notice_and_the_default(
    make_ctx: Callable[..., AppContext], quizapp_home: Path
) -> None:
    config = quizapp_home / "config.toml"
    config.write_text('# mine\n[ui]\ntheme = "solarized-pink"\n')
    app = QuizApp(make_ctx())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.theme == "textual-dark"  # Textual's default
        (notice,) = [n.message for n in app._notifications if "solarized-pink" in n.message]
        # D8: located, and it names the themes there are
        assert notice.startswith(f"{config}:3: ui.theme: 'solarized-pink' is not a theme")
        assert "Known themes: " in notice and "nord" in notice and "dracula" in notice


async def test_a_theme_that_cannot_be_saved_is_a_notice_not_a_crash(
    make_ctx: Callable[..., AppContext], quizapp_home: Path
) -> None:
    (quizapp_home / "config.toml").mkdir()  # not a file: it cannot be written
    app = QuizApp(make_ctx())
    async with app.run_test(size=(80, 24)) as pilot:
        await choose_theme(pilot, "nord")
        assert app.theme == "nord"  # used now, only not kept
        assert any("cannot save the theme" in n.message for n in app._notifications)
        assert app.return_code is None


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
async def test_no_settings_file_is_created_until_a_theme_is_chosen(
    make_ctx: Callable[..., AppContext], quizapp_home: Path
) -> None:
    app = QuizApp(make_ctx())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("question_mark", "escape")
    assert not (quizapp_home / "config.toml").exists()
