"""The progress file's checkpoint policy while the app runs
(:meth:`~quizapp.srs.connection.Connection.checkpoint_on_idle`, :meth:`checkpoint`) and
the full garbage collections held for idle moments (:mod:`quizapp.collector`)."""

from __future__ import annotations

import gc
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from quizapp import collector
from quizapp.srs.connection import IDLE_BACKSTOP_PAGES
from quizapp.srs.scheduler import Rating, ReviewScheduler, SchedulerConfig
from quizapp.srs.store import Store
from quizapp.study.clock import FakeClock

CFG = SchedulerConfig(enable_fuzzing=False, timezone="UTC")


def _answer(store: Store, count: int, start: int = 0) -> None:
    sched = ReviewScheduler(store, CFG, FakeClock())
    for n in range(start, start + count):
        sched.answer(f"deck.item-{n % 40}", "flashcard", Rating.Good, answer=f"a{n}")


def _in_main_file(db: Path) -> int:
    """Reviews in the main file alone (immutable=1 reads no -wal)."""
    conn = sqlite3.connect(f"file:{quote(str(db.resolve()))}?mode=ro&immutable=1", uri=True)
    try:
        return int(conn.execute("SELECT count(*) FROM reviews").fetchone()[0])
    finally:
        conn.close()


def _wal_frames(db: Path) -> int:
    size = db.with_name(db.name + "-wal").stat().st_size
    page = sqlite3.connect(db).execute("PRAGMA page_size").fetchone()[0]
    return (size - 32) // (page + 24)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "progress.sqlite3") as s:
        side = sqlite3.connect(s.path)  # the schema into the main file, an empty -wal
        side.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        side.close()
        yield s


def test_no_commit_checkpoints_until_the_backstop(store: Store) -> None:
    store.checkpoint_on_idle()
    assert store._read_tuples("PRAGMA wal_autocheckpoint")[0][0] == IDLE_BACKSTOP_PAGES
    answers = 0
    while _wal_frames(store.path) <= 1000:  # past SQLite's default mark of 1000 pages
        _answer(store, 20, answers)
        answers += 20
    assert _in_main_file(store.path) == 0  # every answer is (only) in the -wal
    assert store.review_count() == answers
    assert store.checkpoint()
    assert _in_main_file(store.path) == answers
    assert not store.checkpoint()  # nothing new since


def test_by_default_a_commit_checkpoints_at_1000_pages(store: Store) -> None:
    answers = 0
    while _in_main_file(store.path) == 0:
        _answer(store, 20, answers)
        answers += 20
        assert answers < 2000, "no automatic checkpoint"
    assert _wal_frames(store.path) <= 1000 + 50  # the -wal restarted instead of growing


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
def test_a_checkpoint_in_a_thread_does_not_stop_answers(store: Store) -> None:
    store.checkpoint_on_idle()
    stop = threading.Event()
    ran: list[bool] = []

    def keep_checkpointing() -> None:
        while not stop.is_set():
            ran.append(store.checkpoint())

    thread = threading.Thread(target=keep_checkpointing)
    thread.start()
    try:
        _answer(store, 100)
    finally:
        stop.set()
        thread.join()
    assert any(ran)
    store.checkpoint()
    assert store.review_count() == 100
    assert store.integrity_check() == ["ok"]
    with Store.open(store.path) as again:
        assert again.review_count() == 100


def test_a_checkpoint_leaves_a_deleted_wal_to_the_rescue(store: Store) -> None:
    store.checkpoint_on_idle()
    wal = store.path.with_name(store.path.name + "-wal")
    _answer(store, 3)
    wal.unlink()  # deleted under us: the connection still appends to the deleted file
    store.checkpoint()
    assert not wal.exists()  # no new empty -wal that would hide the deletion
    _answer(store, 2, 3)  # the commit sees the -wal gone and copies everything in
    with Store.open(store.path) as again:
        assert again.review_count() == 5


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
def test_full_collections_wait_for_idle() -> None:
    before = gc.get_threshold()
    held = collector.hold_full_collections()
    try:
        assert held == before
        assert gc.get_threshold() == (
            before[0],
            before[1],
            max(before[2], collector.HELD_FULL_EVERY),
        )
        gc.collect()
        assert collector.collect_if_due() is False  # not due: nothing runs
        seen: list[int] = []

        def note(phase: str, info: dict[str, int]) -> None:
            if phase == "start":
                seen.append(info["generation"])

        gc.callbacks.append(note)
        try:
            for _ in range(collector.FULL_EVERY):
                gc.collect(1)  # each counts one middle collection towards a full one
            assert 2 not in seen
            assert collector.collect_if_due() is True
            assert seen[-1] == 2 and gc.get_count()[2] == 0
            gc.disable()
            try:
                for _ in range(collector.FULL_EVERY):
                    gc.collect(1)
                assert collector.collect_if_due() is False  # a paused collector stays paused
            finally:
                gc.enable()
        finally:
            gc.callbacks.remove(note)
    finally:
        gc.set_threshold(*held)
