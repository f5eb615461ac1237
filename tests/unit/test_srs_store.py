"""The progress store: creation, refusal of files it must not touch, sessions, mocks."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from quizapp.srs.scheduler import Rating, ReviewScheduler, SchedulerConfig
from quizapp.srs.schema import APP_ID, SCHEMA_VERSION
from quizapp.srs.store import Store, StoreError
from quizapp.study.clock import FakeClock

T0 = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
CFG = SchedulerConfig(enable_fuzzing=False, timezone="UTC")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def filled_store(path: Path, n: int = 300) -> None:
    """A real quizapp file with enough rows to span many pages."""
    clock = FakeClock(T0)
    with Store.open(path) as store:
        sched = ReviewScheduler(store, CFG, clock)
        for i in range(n):
            sched.answer(f"deck.item-{i % 60}", "trap", Rating.Good, answer="x" * 50, topic="adam")
            clock.advance(minutes=7)


def test_open_creates_file_and_parents(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "progress.sqlite3"
    with Store.open(path) as store:
        assert store.schema_version == SCHEMA_VERSION
        assert store.integrity_check() == ["ok"]
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APP_ID
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()


def test_reopen_keeps_progress(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    filled_store(path, 20)
    with Store.open(path) as store:
        assert store.review_count() == 20
        assert len(store.item_ids()) == 20


def test_empty_file_is_a_new_store(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    path.write_bytes(b"")
    with Store.open(path) as store:
        assert store.schema_version == SCHEMA_VERSION


def _assert_refused(path: Path, *needles: str) -> StoreError:
    before = digest(path)
    siblings = sorted(p.name for p in path.parent.iterdir())
    with pytest.raises(StoreError) as info:
        Store.open(path)
    message = str(info.value)
    assert str(path) in message
    assert "quizapp --home" in message and "reset-progress" in message
    for needle in needles:
        assert needle in message
    assert digest(path) == before, "a refused file must stay byte-identical"
    assert sorted(p.name for p in path.parent.iterdir()) == siblings
    return info.value


def test_refuses_garbage(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    path.write_bytes(b"this is not a database\n" * 100)
    _assert_refused(path, "not a SQLite database")


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
def test_refuses_corrupt_pages(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    filled_store(path)
    data = bytearray(path.read_bytes())
    assert len(data) > 6 * 4096
    page = 4096
    data[2 * page : 2 * page + 600] = b"\xde\xad\xbe\xef" * 150  # scribble over a b-tree page
    data[4 * page + 8 : 4 * page + 300] = b"\x00\xff" * 146
    path.write_bytes(bytes(data))
    _assert_refused(path, "corrupt")


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
def test_refuses_truncated_file(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    filled_store(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2 + 123])
    _assert_refused(path)


def test_refuses_foreign_sqlite(tmp_path: Path) -> None:
    path = tmp_path / "collection.anki2"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, flds TEXT)")
    conn.execute("INSERT INTO notes (flds) VALUES ('front\x1fback')")
    conn.commit()
    conn.close()
    _assert_refused(path, "another application", "notes")


def test_refuses_foreign_wal_database(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("CREATE TABLE t (x)")
    conn.execute("PRAGMA user_version = 7")
    conn.commit()
    conn.close()
    _assert_refused(path, "another application")


def test_refuses_newer_schema(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    filled_store(path, 5)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    _assert_refused(path, "newer quizapp", f"schema {SCHEMA_VERSION + 1}")


def test_refuses_a_folder(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="folder"):
        Store.open(tmp_path)


def test_start_fresh_moves_aside_never_overwrites(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    path.write_bytes(b"garbage")
    now = datetime(2026, 3, 2, 9, 30, 5, tzinfo=UTC)
    moved = Store.start_fresh(path, now)
    assert moved == tmp_path / "p.db.corrupt-20260302T093005Z"
    assert moved.read_bytes() == b"garbage"
    assert not path.exists()
    path.write_bytes(b"garbage 2")
    moved2 = Store.start_fresh(path, now)
    assert moved2 is not None and moved2 != moved
    assert moved.read_bytes() == b"garbage" and moved2.read_bytes() == b"garbage 2"
    with Store.open(path) as store:
        assert store.review_count() == 0
    assert Store.start_fresh(tmp_path / "missing.db") is None


def test_sessions_and_mocks(tmp_path: Path) -> None:
    with Store.open(tmp_path / "p.db") as store:
        sid = store.start_session("review", T0)
        store.end_session(sid, T0.replace(minute=30), {"answered": 12, "again": 2})
        (session,) = store.sessions()
        assert (session.id, session.mode, session.started) == (sid, "review", T0)
        assert session.ended == T0.replace(minute=30)
        assert session.summary == {"answered": 12, "again": 2}
        store.save_mock('{"score": 7, "questions": [{"id": "a", "ok": true}]}', T0)
        store.save_mock({"score": 9}, T0.replace(hour=13))
        mocks = store.mocks()
        assert [m.result["score"] for m in mocks] == [7, 9]
        assert mocks[0].at == T0
        with pytest.raises(ValueError):
            store.save_mock("{not json", T0)


def test_suspend_unseen_and_seen_items(tmp_path: Path) -> None:
    with Store.open(tmp_path / "p.db") as store:
        store.suspend("deck.never-seen", "flashcard")
        state = store.get("deck.never-seen")
        assert state is not None and state.suspended and state.is_new
        store.unsuspend("deck.never-seen")
        assert not store.get("deck.never-seen").suspended  # type: ignore[union-attr]
        assert store.item_ids() == ["deck.never-seen"]


def test_write_errors_become_store_errors_and_roll_back(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    filled_store(path, 3)
    with Store.open(path) as store:
        blocker = sqlite3.connect(path, timeout=0)
        blocker.execute("BEGIN IMMEDIATE")  # another writer holds the lock
        store._conn.execute("PRAGMA busy_timeout = 50")  # don't wait 10 s in a test
        sched = ReviewScheduler(store, CFG, FakeClock(T0))
        with pytest.raises(StoreError, match="cannot"):
            sched.answer("deck.item-1", "trap", Rating.Good)
        blocker.rollback()
        blocker.close()
        assert store.review_count() == 3
        sched.answer("deck.item-1", "trap", Rating.Good)  # usable again
        assert store.review_count() == 4
