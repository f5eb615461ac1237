"""The real app on the mock test deck, for the mock and stats screen tests: a real
:class:`AppContext` on a store in the test's folder, a FakeClock, a seeded rng and UTC study
days. ``open_on(ctx, make_screen)`` is the app with that screen pushed over home."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.screen import Screen

from quizapp.srs.scheduler import SchedulerConfig
from quizapp.srs.store import Store
from quizapp.study.clock import FakeClock
from quizapp.study.context import AppContext
from quizapp.study.mock import MockConfig, MockInterview
from quizapp.tui.app import QuizApp
from tests.unit.test_mock_deck import load_deck


def mock_context(folder: Path) -> AppContext:
    """The app's context on the mock test deck, with a store in ``folder``."""
    return AppContext.open(
        load_deck(folder / "deck"),
        folder / "progress.sqlite3",
        clock=FakeClock(),
        rng=random.Random(1),
        config=SchedulerConfig(enable_fuzzing=False, timezone="UTC"),
    )


def clock_of(ctx: AppContext) -> FakeClock:
    assert isinstance(ctx.clock, FakeClock)
    return ctx.clock


def start_mock(ctx: AppContext, item_ids: list[str] | None = None, **config: Any) -> MockInterview:
    """An interview on ``item_ids`` (or as planned), seed 7 unless given."""
    cfg = MockConfig(**{"seed": 7, **config})
    return MockInterview.start(ctx.catalog, ctx.scheduler, ctx.clock, cfg, item_ids=item_ids)


class ScreenApp(QuizApp):
    """The app as the learner gets it, with ``make_screen()`` pushed over home at start."""

    def __init__(self, ctx: AppContext, make_screen: Callable[[], Screen[Any]]) -> None:
        super().__init__(ctx)
        self._make_screen = make_screen

    def on_ready(self) -> None:  # after QuizApp's own on_mount has put home up
        self.push_screen(self._make_screen())


def reopen(ctx: AppContext) -> Store:
    """The progress file again (the app closes its context when it exits)."""
    return Store.open(ctx.store.path)


def open_on(ctx: AppContext, make_screen: Callable[[], Screen[Any]]) -> ScreenApp:
    return ScreenApp(ctx, make_screen)


def test_the_context_is_the_apps_own(tmp_path: Path) -> None:
    ctx = mock_context(tmp_path)
    assert len(ctx.candidates()) == 12
    assert start_mock(ctx, questions=4).total == 4
    assert ctx.topics() == ["adam", "schedules", "sgd"]
    ctx.close()
