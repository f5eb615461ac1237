"""The mock and stats screens inside the real app: the home screen's m and t keys, and
``quizapp mock`` opening straight into an interview (bad arguments exit 2 first)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from quizapp import cli
from quizapp.tui.screens.mock import ConfirmScreen, MockScreen, MockSetupScreen
from quizapp.tui.screens.stats import StatsScreen


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
async def test_home_m_opens_the_mock_setup_and_back(make_app) -> None:
    from quizapp.tui.screens.home import HomeScreen

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, MockSetupScreen)
        await pilot.press("ctrl+s")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MockScreen)
        assert screen.mock.total == 4  # the conftest deck has four items
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


@pytest.mark.slow
async def test_home_t_opens_stats(make_app) -> None:
    """Slow (CI): by default test_home.py::test_every_key_opens_its_screen_and_escape_comes_back
    presses t on home and sees stats."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, StatsScreen)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--minutes", "0"], "minutes must be between 1 and 240"),
        (["--questions", "many"], "questions must be a whole number"),
        (["--seed", "-3"], "--seed must be a whole number"),
        (["--topic", "adamm"], "unknown topic 'adamm'; did you mean 'adam'?"),
    ],
)
def test_bad_arguments_exit_2_before_any_screen(
    argv, message, deck_dir: Path, capsys, monkeypatch
) -> None:
    from quizapp.tui import app as app_module

    def no_screen(self, *args, **kwargs):  # pragma: no cover - reaching it is the failure
        raise AssertionError("a screen was opened")

    monkeypatch.setattr(app_module.QuizApp, "run", no_screen)
    with pytest.raises(SystemExit) as exc:
        code = cli.main(["mock", "--content", str(deck_dir), *argv])
        raise SystemExit(code)
    assert exc.value.code == 2
    assert message in capsys.readouterr().err


def test_quizapp_mock_opens_straight_into_the_interview(deck_dir: Path, monkeypatch) -> None:
    from quizapp.tui import app as app_module

    seen: dict[str, object] = {}

    def run_headless(self, *args, **kwargs) -> int:
        async def drive() -> None:
            async with self.run_test(size=(80, 24)) as pilot:
                await pilot.pause()
                seen["screen"] = self.screen
                await pilot.press("ctrl+f", "y")
                await pilot.pause()
                seen["after"] = type(self.screen).__name__

        asyncio.run(drive())
        return 0

    monkeypatch.setattr(app_module.QuizApp, "run", run_headless)
    code = cli.main(
        [
            "mock",
            "--content",
            str(deck_dir),
            "--questions",
            "3",
            "--minutes",
            "7",
            "--seed",
            "5",
            "--practice",
        ]
    )
    assert code == 0
    screen = seen["screen"]
    assert isinstance(screen, MockScreen)
    mock = screen.mock
    assert (mock.config.minutes, mock.config.questions, mock.seed, mock.practice) == (7, 3, 5, True)
    assert seen["after"] == "MockReportScreen"
    from quizapp.srs.store import Store

    with Store.open(mock.scheduler.store.path) as store:  # the app closed its own on exit
        assert len(store.mocks()) == 1


async def test_report_w_studies_the_weakest_topic(make_app) -> None:
    from quizapp.study.mock import MockConfig, MockInterview
    from quizapp.tui.screens.mock_report import MockReportScreen
    from quizapp.tui.screens.study import StudyScreen

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        ctx = app.ctx
        mock = MockInterview.start(
            ctx.catalog,
            ctx.scheduler,
            ctx.clock,
            MockConfig(seed=1),
            item_ids=["t.card.bias", "t.card.eps"],
        )
        mock.reveal("no idea")
        mock.grade_flashcard("wrong")
        report = mock.finish()
        assert report.weakest[0].name == "adam"
        app.push_screen(MockReportScreen(report))
        await pilot.pause()
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, StudyScreen)
        ids = app.screen.session.item_ids
        assert "t.card.bias" in ids  # missed in the mock, due again
        assert {ctx.catalog.items[i].topic for i in ids} == {"adam"}
