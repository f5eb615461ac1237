"""A one-deck study world for the session tests: the deck's catalog, a progress store and a
fake clock, and the scheduler the tests use (no fuzz, study days counted in UTC)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from quizapp.decks import load_paths
from quizapp.srs.scheduler import ReviewScheduler, SchedulerConfig
from quizapp.srs.store import Store
from quizapp.study.clock import FakeClock


@contextmanager
def study_world(folder: Path, deck: str) -> Iterator[tuple[Any, Store, FakeClock]]:
    """``deck`` written to ``folder/deck.toml`` and loaded (it must load cleanly), with a
    store at ``folder/progress.sqlite3`` (closed on exit) and a fake clock."""
    (folder / "deck.toml").write_text(deck, encoding="utf-8")
    catalog = load_paths([folder / "deck.toml"])
    assert catalog.ok, catalog.problems
    store = Store.open(folder / "progress.sqlite3")
    try:
        yield catalog, store, FakeClock()
    finally:
        store.close()


def utc_scheduler(store: Store, clock: FakeClock, **config: Any) -> ReviewScheduler:
    """The tests' scheduler: no fuzz, study days in UTC, ``config`` on top."""
    cfg = SchedulerConfig(enable_fuzzing=False, timezone="UTC", **config)
    return ReviewScheduler(store, cfg, clock)
