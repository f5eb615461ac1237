"""The lab inside the app: `quizapp lab` opens it (home beneath), the palette lists it and
its experiments, and leaving returns to the screen it was opened from."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from quizapp.study.lab import LabSession
from quizapp.tui.app import QuizApp
from quizapp.tui.screens.home import HomeScreen
from quizapp.tui.screens.lab import LabScreen


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
async def test_the_lab_route_opens_it_and_escape_goes_home(make_ctx: Callable[..., Any]) -> None:
    session = LabSession(experiment="saddle-escape")
    app = QuizApp(make_ctx(), start="lab", lab=session)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, LabScreen) and app.screen.session is session
        await pilot.press("escape")  # guided -> free play
        assert isinstance(app.screen, LabScreen) and session.state.experiment is None
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


@pytest.mark.slow
async def test_from_home_and_back(make_ctx: Callable[..., Any]) -> None:
    """Slow (CI): by default test_home.py::test_every_key_opens_its_screen_and_escape_comes_back
    opens the lab from home (l) and escapes back; test_the_lab_route_opens_it_and_escape_goes_home
    escapes from the lab to home."""
    app = QuizApp(make_ctx())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.action_lab()
        await pilot.pause()
        assert isinstance(app.screen, LabScreen)
        assert app.screen_stack[-2].__class__ is HomeScreen
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen) and len(app.screen_stack) == 2


async def test_the_palette_lists_the_lab_and_each_experiment(make_ctx: Callable[..., Any]) -> None:
    from quizapp.study.lab_experiments import EXPERIMENTS
    from quizapp.tui.palette import QuizCommands

    app = QuizApp(make_ctx())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        provider = QuizCommands(app.screen)
        names = {name: callback for name, callback, _ in provider._commands()}
        assert "Trajectory lab" in names
        for e in EXPERIMENTS:
            assert f"Lab: {e.title}" in names
        discovered = [hit.text async for hit in provider.discover()]
        assert "Trajectory lab" in discovered
        names[f"Lab: {EXPERIMENTS[2].title}"]()
        await pilot.pause()
        assert isinstance(app.screen, LabScreen)
        assert app.screen.session.state.experiment == EXPERIMENTS[2].id


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
async def test_every_key_fits_in_the_footer_at_80_columns(make_ctx: Callable[..., Any]) -> None:
    """In the app (its ? Help included), in every panel, free play and guided."""
    from textual.widgets._footer import FooterKey

    app = QuizApp(make_ctx(), start="lab", lab=LabSession())
    async with app.run_test(size=(80, 24)) as pilot:
        for step in ("", "tab", "tab", "g", "shift+tab", "shift+tab"):
            if step:
                await pilot.press(step)
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            keys = list(app.screen.query(FooterKey))
            labels = [f"{k.key_display} {k.description}" for k in keys]
            assert "? Help" in labels and labels[-1] == "^p palette", labels
            palette = keys[-1].region.x  # docked right: the others must end before it
            assert all(k.region.right <= palette for k in keys[:-1]), (step, labels)


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
async def test_a_key_group_label_is_not_glued_to_the_next_key(
    make_ctx: Callable[..., Any],
) -> None:
    """At 80 columns the footer is compact; the knobs' group label ("↑↓←→ Knobs") still
    keeps one blank column before the next key (it read "Knobstab Panel")."""
    from textual.widgets._footer import FooterKey, FooterLabel

    from quizapp.tui.widgets.lab.panels import KnobPanel

    app = QuizApp(make_ctx(), start="lab", lab=LabSession())
    for size in ((80, 24), (120, 40)):
        async with app.run_test(size=size) as pilot:
            await pilot.press("tab", "tab")
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            assert isinstance(app.focused, KnobPanel)
            (label,) = app.screen.query(FooterLabel)
            assert str(label.render()) == "Knobs"
            after = [k for k in app.screen.query(FooterKey) if k.region.x >= label.region.right]
            nearest = min(after, key=lambda k: k.region.x)
            assert nearest.key_display == "tab"
            assert nearest.region.x > label.region.right, size  # a blank column between
        app = QuizApp(make_ctx(), start="lab", lab=LabSession())
