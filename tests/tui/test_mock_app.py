"""A small app for the mock and stats screen tests: ``app.ctx`` as the real app has it
(catalog, store, scheduler, clock, config), the test deck, a FakeClock, UTC study days."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.app import App
from textual.screen import Screen

from quizapp.decks.loader import Catalog
from quizapp.srs.scheduler import ReviewScheduler, SchedulerConfig
from quizapp.srs.store import Store
from quizapp.study.clock import FakeClock
from quizapp.study.mock import MockConfig, MockInterview
from quizapp.study.queue import QueueCandidate
from tests.unit.test_mock_deck import load_deck


class Ctx:
    """What the screens read from ``app.ctx``."""

    def __init__(self, folder: Path) -> None:
        self.catalog: Catalog = load_deck(folder / "deck")
        self.clock = FakeClock()
        self.store = Store.open(folder / "progress.sqlite3")
        self.config = SchedulerConfig(enable_fuzzing=False, timezone="UTC")
        self.scheduler = ReviewScheduler(self.store, self.config, self.clock)
        self.rng = random.Random(1)

    def candidates(self) -> list[QueueCandidate]:
        return [QueueCandidate(e.id, e.kind, e.deck, e.topic) for e in self.catalog.items.values()]

    def mock(self, item_ids: list[str] | None = None, **config: Any) -> MockInterview:
        cfg = MockConfig(**{"seed": 7, **config})
        return MockInterview.start(self.catalog, self.scheduler, self.clock, cfg, item_ids=item_ids)


class Harness(App[None]):
    """Pushes ``make_screen()`` on mount; the screen under it is Textual's default."""

    def __init__(self, ctx: Ctx, make_screen: Callable[[], Screen[Any]]) -> None:
        super().__init__()
        self.ctx = ctx
        self._make_screen = make_screen

    def on_mount(self) -> None:
        self.push_screen(self._make_screen())


def test_harness_exposes_the_context(tmp_path: Path) -> None:
    ctx = Ctx(tmp_path)
    assert len(ctx.candidates()) == 12
    assert ctx.mock(questions=4).total == 4
    ctx.store.close()
