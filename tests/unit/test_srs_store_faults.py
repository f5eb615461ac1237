"""Faults found by trying to break the store: each gets its own kind of StoreError and a
message that says what to do; a file we refuse stays byte-identical."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest

from quizapp.srs import opening
from quizapp.srs.errors import StoreError, kind_of
from quizapp.srs.scheduler import Rating, ReviewScheduler, SchedulerConfig
from quizapp.srs.store import Store
from quizapp.study.clock import FakeClock

T0 = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
CFG = SchedulerConfig(enable_fuzzing=False, timezone="UTC")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


#: The bytes of each filled file by answer count: the answers are the same every time, so
#: a second file of that size is a copy of the first (each fill is ~300 commits)
_FILLED: dict[int, tuple[bytes, int]] = {}


def filled(path: Path, n: int = 300) -> Path:
    if n in _FILLED:
        data, mode = _FILLED[n]
        path.write_bytes(data)
        path.chmod(mode)
        return path
    clock = FakeClock(T0)
    with Store.open(path) as store:
        store._conn.execute("PRAGMA synchronous = OFF")  # a test file: no fsync per answer
        sched = ReviewScheduler(store, CFG, clock)
        for i in range(n):
            sched.answer(f"deck.item-{i % 60}", "trap", Rating(1 + i % 4), answer="x" * 40)
            clock.advance(minutes=7)
    if not Path(f"{path}-wal").exists():  # closed whole: the file alone is the store
        _FILLED[n] = (path.read_bytes(), stat.S_IMODE(path.stat().st_mode))
    return path


def refused(path: Path, kind: str, *needles: str, full_check: bool | None = None) -> StoreError:
    before = digest(path)
    siblings = set(path.parent.iterdir())
    with pytest.raises(StoreError) as info:
        Store.open(path, full_check=full_check)
    assert info.value.kind == kind, str(info.value)
    for needle in needles:
        assert needle in str(info.value)
    assert digest(path) == before
    assert set(path.parent.iterdir()) == siblings  # not even a -wal/-shm beside it
    return info.value


# ------------------------------------------------------------------ F9: truncation
# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
@pytest.mark.parametrize("cut", [10, 1, 4095, 4096, 3 * 4096])
def test_a_truncated_file_is_refused(tmp_path: Path, cut: int) -> None:
    path = filled(tmp_path / "p.sqlite3")
    data = path.read_bytes()
    path.write_bytes(data[:-cut])
    error = refused(path, "corrupt", "truncated", "reset-progress")
    assert not error.retryable


@pytest.mark.parametrize("keep", [16, 99, 100, 512, 4000])
def test_a_file_cut_inside_its_first_page_is_refused(tmp_path: Path, keep: int) -> None:
    path = filled(tmp_path / "p.sqlite3")
    path.write_bytes(path.read_bytes()[:keep])
    refused(path, "corrupt", "truncated")


def test_a_bad_page_size_in_the_header_is_refused(tmp_path: Path) -> None:
    path = filled(tmp_path / "p.sqlite3", 20)
    data = bytearray(path.read_bytes())
    data[16:18] = (3000).to_bytes(2, "big")
    path.write_bytes(bytes(data))
    refused(path, "corrupt", "page size")


def test_the_size_check_leaves_a_file_completed_by_its_wal_alone(tmp_path: Path) -> None:
    path = filled(tmp_path / "p.sqlite3", 20)
    store = Store.open(path)
    store._conn.execute("PRAGMA wal_autocheckpoint = 0")
    ReviewScheduler(store, CFG, FakeClock(T0)).answer("deck.new", "trap", Rating.Good)
    wal = path.with_name(path.name + "-wal")
    assert wal.stat().st_size > 0
    Store.open(path).close()  # a second instance while the first has its -wal
    store.close()


def test_integrity_check_finds_an_index_out_of_step(tmp_path: Path) -> None:
    path = filled(tmp_path / "p.sqlite3", 50)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA writable_schema = ON")  # the index now claims to hold ts, not day
    conn.execute(
        "UPDATE sqlite_master SET sql = 'CREATE INDEX reviews_day ON reviews (ts)' "
        "WHERE name = 'reviews_day'"
    )
    conn.commit()
    conn.close()
    Store.open(path, full_check=False).close()  # quick_check alone misses it
    refused(path, "corrupt", "corrupt", full_check=True)


def test_the_full_check_runs_once_a_day(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = filled(tmp_path / "p.sqlite3", 5)
    ran: list[str] = []
    real = opening._run_check

    def spy(conn: sqlite3.Connection, where: Path, pragma: str) -> None:
        ran.append(pragma)
        real(conn, where, pragma)

    monkeypatch.setattr(opening, "_run_check", spy)
    Store.open(path).close()  # created just now: checked
    assert ran == ["quick_check"]
    ran.clear()
    monkeypatch.setattr(opening, "now_ms", lambda: 10**13 + opening.FULL_CHECK_EVERY_MS * 3)
    Store.open(path).close()
    assert ran == ["quick_check", "integrity_check"]
    ran.clear()
    Store.open(path).close()
    assert ran == ["quick_check"]


# ------------------------------------------------------- F8: schema that is not text
def test_invalid_utf8_in_the_schema_is_refused(tmp_path: Path) -> None:
    path = filled(tmp_path / "p.sqlite3", 50)
    data = bytearray(path.read_bytes())
    spot = data.index(b"reviews_day")
    data[spot + 8] = 0xFF
    path.write_bytes(bytes(data))
    refused(path, "corrupt", "not UTF-8")


def test_invalid_utf8_read_mid_session_is_a_store_error(tmp_path: Path) -> None:
    path = filled(tmp_path / "p.sqlite3", 5)
    with Store.open(path) as store:
        store._conn.execute("UPDATE reviews SET answer = CAST(X'61ff62' AS TEXT)")
        with pytest.raises(StoreError) as info:
            store.reviews()
    assert info.value.kind == "corrupt"


# -------------------------------------------------------------- F10: error kinds
def test_a_full_disk_says_so_and_nothing_is_half_written(tmp_path: Path) -> None:
    path = filled(tmp_path / "p.sqlite3", 5)
    with Store.open(path) as store:
        sched = ReviewScheduler(store, CFG, FakeClock(T0))
        pages = store._conn.execute("PRAGMA page_count").fetchone()[0]
        store._conn.execute(f"PRAGMA max_page_count = {pages}")  # SQLITE_FULL from now on
        before = (store.review_count(), store.states())
        with pytest.raises(StoreError) as info:
            for i in range(200):
                sched.answer(f"deck.more-{i}", "trap", Rating.Good, answer="y" * 500)
        error = info.value
        assert error.kind == "disk_full" and error.retryable
        assert "disk is full" in str(error) and "reset-progress" not in str(error)
        written = store.review_count()
        assert written >= before[0]
        assert all(s.answered == len(store.reviews(s.item_id)) for s in store.states().values())
        store._conn.execute("PRAGMA max_page_count = 1073741823")  # space is back
        i = written - before[0]
        result = sched.answer(f"deck.more-{i}", "trap", Rating.Good, answer="y" * 500)
        assert store.reviews()[-1] == result.review  # the same call, retried, is saved


def test_a_held_lock_says_so(tmp_path: Path) -> None:
    path = filled(tmp_path / "p.sqlite3", 3)
    with Store.open(path) as store:
        store._conn.execute("PRAGMA busy_timeout = 50")
        blocker = sqlite3.connect(path, timeout=0)
        blocker.execute("BEGIN IMMEDIATE")
        with pytest.raises(StoreError) as info:
            ReviewScheduler(store, CFG, FakeClock(T0)).answer("deck.x", "trap", Rating.Good)
        blocker.rollback()
        blocker.close()
    assert info.value.kind == "locked" and info.value.retryable
    assert "locked" in str(info.value)


def test_undo_that_fails_can_be_retried(tmp_path: Path) -> None:
    path = filled(tmp_path / "p.sqlite3", 3)
    with Store.open(path) as store:
        sched = ReviewScheduler(store, CFG, FakeClock(T0))
        mine = sched.answer("deck.x", "trap", Rating.Good)
        store._conn.execute("PRAGMA busy_timeout = 50")
        blocker = sqlite3.connect(path, timeout=0)
        blocker.execute("BEGIN IMMEDIATE")
        with pytest.raises(StoreError):
            sched.undo_last()
        blocker.rollback()
        blocker.close()
        undone = sched.undo_last()  # still this instance's own answer
        assert undone is not None and undone.review == mine.review


@pytest.mark.parametrize(
    ("code", "kind"),
    [(5, "locked"), (13, "disk_full"), (8, "read_only"), (11, "corrupt"), (26, "corrupt"),
     (1032, "moved"), (10, "io"), (266, "io")],
)  # fmt: skip
def test_sqlite_codes_are_classified(code: int, kind: str) -> None:
    exc = sqlite3.OperationalError("x")
    exc.sqlite_errorcode = code  # type: ignore[attr-defined]
    assert kind_of(exc) == kind


def test_os_errors_are_classified() -> None:
    import errno

    assert kind_of(OSError(errno.ENOSPC, "No space left on device")) == "disk_full"
    assert kind_of(OSError(errno.EROFS, "Read-only file system")) == "read_only"
    assert kind_of(UnicodeDecodeError("utf-8", b"\xff", 0, 1, "bad")) == "corrupt"


def test_a_read_only_file_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = filled(tmp_path / "p.sqlite3", 3)
    real = sqlite3.connect

    def read_only(database: object, *args: object, **kwargs: object) -> sqlite3.Connection:
        if kwargs.get("uri"):
            return real(database, *args, **kwargs)  # type: ignore[arg-type]
        uri = f"file:{database}?mode=ro"
        return real(uri, *args, **{**kwargs, "uri": True})  # type: ignore[arg-type]

    monkeypatch.setattr(sqlite3, "connect", read_only)  # as if the file were 0444
    before = digest(path)
    with pytest.raises(StoreError) as info:
        Store.open(path)
    assert info.value.kind == "read_only", str(info.value)
    assert "read-only" in str(info.value) and "reset-progress" not in str(info.value)
    assert digest(path) == before


# ------------------------------------------------------------ private by default
def test_new_files_and_folders_are_private(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        path = tmp_path / "a" / "b" / "progress.sqlite3"
        filled(path, 2)
        store = Store.open(path)  # -wal and -shm exist while open
        modes = {
            p.name: stat.S_IMODE(p.stat().st_mode)
            for p in (tmp_path / "a", tmp_path / "a" / "b", *path.parent.iterdir())
        }
        store.close()
    finally:
        os.umask(old)
    assert modes.pop("a") == 0o700 and modes.pop("b") == 0o700
    assert modes and all(mode == 0o600 for mode in modes.values()), modes


def test_ensure_dir_creates_private_folders(tmp_path: Path) -> None:
    from quizapp import paths

    existing = tmp_path / "shared"
    existing.mkdir(mode=0o755)
    os.chmod(existing, 0o755)
    made = paths.ensure_dir(existing / "x" / "y")
    assert made.is_dir()
    assert stat.S_IMODE((existing / "x").stat().st_mode) == 0o700
    assert stat.S_IMODE(made.stat().st_mode) == 0o700
    assert stat.S_IMODE(existing.stat().st_mode) == 0o755


def test_a_read_only_file_system_is_not_advised_chmod(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """D11: on a read-only mount `chmod` cannot help; the advice says what can."""
    import errno
    from types import SimpleNamespace

    from quizapp.srs import errors

    path = tmp_path / "progress.sqlite3"
    failure = OSError(errno.EROFS, "Read-only file system")
    text = str(errors.store_error(path, failure, "open the progress file"))
    assert "chmod" in text  # tmp_path is writable: permissions are the likely cause
    monkeypatch.setattr(os, "statvfs", lambda _: SimpleNamespace(f_flag=os.ST_RDONLY))
    error = errors.store_error(path, failure, "open the progress file")
    assert error.kind == "read_only"
    assert "read-only file system" in str(error) and "chmod" not in str(error)
    assert "quizapp --home DIR" in str(error)
