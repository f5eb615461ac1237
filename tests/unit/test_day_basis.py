"""Study days follow the learner's zone and day start (tester's D20): answers given in one
zone count for the right day after the laptop travels or the settings change."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from quizapp.srs.day_basis import BASIS_KEY, day_basis, reconcile_days
from quizapp.srs.opening import connect_read_only
from quizapp.srs.scheduler import Rating, ReviewScheduler, SchedulerConfig
from quizapp.srs.store import Store
from quizapp.study.clock import FakeClock

# 04:26 UTC on 2 Dec is 20:26 on 1 Dec in Los Angeles: one evening's work
T0 = datetime(2026, 12, 2, 4, 26, tzinfo=UTC)
UTC_CFG = SchedulerConfig(enable_fuzzing=False, timezone="UTC")
LA_CFG = SchedulerConfig(enable_fuzzing=False, timezone="America/Los_Angeles")
DEC1, DEC2 = date(2026, 12, 1).toordinal(), date(2026, 12, 2).toordinal()


def answer_three(store: Store, config: SchedulerConfig) -> None:
    clock = FakeClock(T0)
    sched = ReviewScheduler(store, config, clock)
    for i in range(3):
        sched.answer(f"d.card-{i}", "flashcard", Rating.Good if i else Rating.Again)
        clock.advance(minutes=10)


def test_a_laptop_that_travels_counts_the_evening_for_its_own_day(tmp_path: Path) -> None:
    db = tmp_path / "p.sqlite3"
    with Store.open(db) as store:
        assert reconcile_days(store, UTC_CFG) == 0  # nothing answered yet: nothing moves
        answer_three(store, UTC_CFG)
        assert store.day_counts(DEC2).reviews == 3
        before = [(r.item_id, r.at, r.rating, r.correct) for r in store.reviews()]
        assert reconcile_days(store, UTC_CFG) == 0
    with Store.open(db) as store:  # opened again in Los Angeles
        assert reconcile_days(store, LA_CFG) == 3
        today = store.day_counts(DEC1)
        assert (today.reviews, today.correct, today.new_items) == (3, 2, 3)
        assert store.day_counts(DEC2).reviews == 0  # the rollup was rebuilt, not added to
        assert {r.day for r in store.reviews()} == {DEC1}
        # the answers themselves are untouched: same instants, ratings, outcomes
        assert [(r.item_id, r.at, r.rating, r.correct) for r in store.reviews()] == before
        assert store.meta_value(BASIS_KEY) == day_basis(LA_CFG)
        assert reconcile_days(store, LA_CFG) == 0  # done once, kept
        # undo after the move takes the answer off the day it now belongs to
        assert store.undo_last() is not None
        assert store.day_counts(DEC1).reviews == 2
    with Store.open(db) as store:  # and back home: the days come back
        assert reconcile_days(store, UTC_CFG) == 2
        assert store.day_counts(DEC2).reviews == 2 and store.day_counts(DEC1).reviews == 0


def test_a_new_day_start_hour_moves_early_morning_answers(tmp_path: Path) -> None:
    with Store.open(tmp_path / "p.sqlite3") as store:
        answer_three(store, UTC_CFG)  # 04:26–04:46 UTC: after 4 am, so 2 Dec
        later = UTC_CFG.model_copy(update={"day_starts_at_hour": 6})
        assert reconcile_days(store, later) == 3  # before 6 am: still 1 Dec's study day
        assert store.day_counts(DEC1).reviews == 3
        assert reconcile_days(store, later) == 0


def test_a_read_only_store_is_left_as_it_is(tmp_path: Path) -> None:
    db = tmp_path / "p.sqlite3"
    with Store.open(db) as store:
        answer_three(store, UTC_CFG)
        reconcile_days(store, UTC_CFG)
    before = db.read_bytes()
    store = Store(db, connect_read_only(db))
    try:
        assert reconcile_days(store, LA_CFG) == 0  # cannot write: reads the recorded days
        assert store.day_counts(DEC2).reviews == 3
    finally:
        store.close()
    assert db.read_bytes() == before


def test_the_system_zone_is_part_of_the_basis(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No zone configured: the machine's zone decides, so changing TZ moves the days."""
    system = SchedulerConfig(enable_fuzzing=False)
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    try:
        at_home = day_basis(system)
        with Store.open(tmp_path / "p.sqlite3") as store:
            answer_three(store, system)
            assert reconcile_days(store, system) == 0
            monkeypatch.setenv("TZ", "America/Los_Angeles")
            time.tzset()
            assert day_basis(system) != at_home
            assert reconcile_days(store, system) == 3
            assert store.day_counts(DEC1).reviews == 3
    finally:
        monkeypatch.undo()
        time.tzset()


def test_the_app_and_stats_open_in_the_current_zone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The tester's steps: answer in UTC, then `TZ=America/Los_Angeles quizapp stats` the
    same evening shows the answers as today's."""
    from quizapp import paths
    from quizapp.cli import main

    db = paths.db_path()
    db.parent.mkdir(parents=True, exist_ok=True)
    with Store.open(db) as store:
        answer_three(store, UTC_CFG)
    monkeypatch.setattr("quizapp.settings.load_scheduler_config", lambda: LA_CFG)

    class Evening:  # 20:50 in Los Angeles on 1 Dec
        def now(self) -> datetime:
            return T0 + timedelta(minutes=24)

    monkeypatch.setattr("quizapp.study.clock.SystemClock", Evening)
    assert main(["stats", "--json"]) == 0
    out = capsys.readouterr().out
    assert '"reviews_today": 3' in out and '"new_today": 3' in out


def test_the_app_context_opens_in_the_current_zone(tmp_path: Path) -> None:
    from quizapp.decks.catalog import Catalog
    from quizapp.study.context import AppContext

    db = tmp_path / "p.sqlite3"
    with Store.open(db) as store:
        answer_three(store, UTC_CFG)
    ctx = AppContext.open(Catalog(), db, clock=FakeClock(T0), config=LA_CFG)
    try:
        assert ctx.store.day_counts(DEC1).reviews == 3
        assert ctx.store.day_counts(DEC2).reviews == 0
    finally:
        ctx.close()
