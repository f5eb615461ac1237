"""Backups: online copies, pruning to the newest 30, daily once, byte-identical restore."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from quizapp.cli import main
from quizapp.srs.backup import KEEP, backup, backup_dir, backups, daily_backup, restore
from quizapp.srs.records import StoreError
from quizapp.srs.scheduler import Rating, ReviewScheduler, SchedulerConfig
from quizapp.srs.store import Store
from quizapp.study.clock import FakeClock

T0 = datetime(2026, 3, 2, 12, tzinfo=UTC)
CFG = SchedulerConfig(enable_fuzzing=False, timezone="UTC")


def _answer(store: Store, clock: FakeClock, n: int, prefix: str = "d.") -> None:
    sched = ReviewScheduler(store, CFG, clock)
    for i in range(n):
        sched.answer(f"{prefix}{i % 7}", "trap", Rating(1 + i % 4))
        clock.advance(hours=13)


def _dump(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "progress.sqlite3"
    with Store.open(path) as store:
        _answer(store, FakeClock(T0), 40)
    return path


def test_backup_restore_round_trip_is_byte_identical(db: Path) -> None:
    before = _dump(db)
    copy = backup(db, now=T0)
    assert copy.parent == backup_dir(db) and copy.name.endswith("-manual.sqlite3")
    assert _dump(copy) == before  # the backup holds exactly the progress
    copy_bytes = copy.read_bytes()
    with Store.open(db) as store:  # progress moves on after the backup
        _answer(store, FakeClock(T0 + timedelta(days=30)), 10, prefix="later.")
    moved = restore(db, copy, now=T0 + timedelta(days=31))
    assert db.read_bytes() == copy_bytes  # the restored file is the backup, byte for byte
    assert copy.read_bytes() == copy_bytes  # and the backup is still there, untouched
    assert _dump(db) == before
    assert moved is not None and moved.exists()  # the replaced file is kept, never deleted
    assert any("later." in line for line in _dump(moved))
    with Store.open(db) as store:  # and quizapp opens it as usual
        assert store.integrity_check() == ["ok"]
        assert store.review_count() == 40


def test_restore_moves_wal_and_shm_aside_with_the_file(db: Path) -> None:
    copy = backup(db, now=T0)
    store = Store.open(db)  # keeps -wal/-shm while open
    _answer(store, FakeClock(T0 + timedelta(days=3)), 3, prefix="wal.")
    wal = db.with_name(db.name + "-wal")
    had_wal = wal.exists()
    moved = restore(db, copy, now=T0 + timedelta(days=4))
    store.close()
    assert moved is not None
    if had_wal:
        assert moved.with_name(moved.name + "-wal").exists()
    assert not wal.exists() or wal.stat().st_size == 0


def test_keeps_the_newest_thirty(db: Path) -> None:
    made = [backup(db, now=T0 + timedelta(minutes=i)) for i in range(KEEP + 5)]
    kept = backups(db)
    assert len(kept) == KEEP
    assert [b.path for b in kept] == made[::-1][:KEEP]
    assert not any(p.exists() for p in made[:5])
    assert not list(backup_dir(db).glob("*.partial"))


def test_daily_backup_once_per_study_day(db: Path) -> None:
    day_start = T0.replace(hour=4)
    first = daily_backup(db, day_start, now=T0)
    assert first is not None and first.name.endswith("-daily.sqlite3")
    assert daily_backup(db, day_start, now=T0 + timedelta(hours=5)) is None
    assert daily_backup(db, day_start + timedelta(days=1), now=T0 + timedelta(days=1)) is not None
    assert daily_backup(db.with_name("none.sqlite3"), day_start) is None


def test_restore_refuses_a_foreign_file_and_changes_nothing(db: Path, tmp_path: Path) -> None:
    foreign = tmp_path / "other.sqlite3"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    original = db.read_bytes()
    with pytest.raises(StoreError, match="another application"):
        restore(db, foreign)
    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"hello")
    with pytest.raises(StoreError, match="not a SQLite"):
        restore(db, garbage)
    with pytest.raises(StoreError, match="itself"):
        restore(db, db)
    assert db.read_bytes() == original
    assert not list(db.parent.glob("*.before-restore-*"))


@pytest.mark.parametrize(
    ("name", "body", "needle"),
    [
        ("p1.jsonl", b'{"format": "quizapp-progress"}\n', "it is not a SQLite database"),
        ("empty.sqlite3", b"", "(the file is empty)"),
        ("other.sqlite3", None, "it is a SQLite database of another application"),
    ],
)
def test_restoring_what_is_not_a_backup_says_so_and_advises_no_reset(
    quizapp_home: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    body: bytes | None,
    needle: str,
) -> None:
    """D21: it advised `quizapp reset-progress`, the advice for a damaged progress file."""
    db = quizapp_home / "progress.sqlite3"
    with Store.open(db) as store:
        _answer(store, FakeClock(T0), 2)
    original = db.read_bytes()
    source = tmp_path / name
    if body is None:
        conn = sqlite3.connect(source)
        conn.execute("CREATE TABLE t (x)")
        conn.commit()
        conn.close()
    else:
        source.write_bytes(body)
    assert main(["restore", str(source), "--yes"]) == 1
    err = capsys.readouterr().err
    assert f"{source}: is not a quizapp backup" in err and needle in err
    assert "Nothing was changed" in err and "quizapp backup --list" in err
    assert "reset-progress" not in err and "Traceback" not in err
    assert db.read_bytes() == original
    assert not list(db.parent.glob("*.before-restore-*"))


def test_backup_is_consistent_while_another_connection_writes(db: Path) -> None:
    with Store.open(db) as store:
        _answer(store, FakeClock(T0 + timedelta(days=40)), 5, prefix="live.")
        copy = backup(db, now=T0)  # the open store's committed answers are in the copy
        assert sum("live." in line for line in _dump(copy)) >= 5


def test_backup_and_restore_commands(
    quizapp_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["backup"]) == 1  # no progress yet
    assert "nothing to back up" in capsys.readouterr().err
    db = quizapp_home / "progress.sqlite3"
    with Store.open(db) as store:
        _answer(store, FakeClock(T0), 5)
    assert main(["backup"]) == 0
    made = backups(db)
    assert len(made) == 1 and str(made[0].path) in capsys.readouterr().out
    assert main(["backup", "--list"]) == 0
    assert made[0].path.name in capsys.readouterr().out
    assert main(["restore", made[0].path.name]) == 2  # no terminal to confirm
    assert main(["restore", "nope.sqlite3", "--yes"]) == 2
    assert "no such file" in capsys.readouterr().err
    assert main(["restore", made[0].path.name, "--yes"]) == 0
    out = capsys.readouterr().out
    assert "kept at" in out and db.read_bytes() == made[0].path.read_bytes()


def test_backup_list_shows_the_configured_zone_not_utc(
    quizapp_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The listing reads the learner's clock (config ``timezone``), as stats and the
    screens do: a backup taken at 12:00:05 UTC reads 17:30:05 IST in Asia/Kolkata."""
    (quizapp_home / "config.toml").write_text('[scheduling]\ntimezone = "Asia/Kolkata"\n')
    db = quizapp_home / "progress.sqlite3"
    with Store.open(db) as store:
        _answer(store, FakeClock(T0), 3)
    backup(db, now=T0 + timedelta(seconds=5))
    assert main(["backup", "--list"]) == 0
    out = capsys.readouterr().out
    assert "2026-03-02 17:30:05 IST" in out and "UTC" not in out, out


def test_backups_and_restored_files_are_private(db: Path) -> None:
    copy = backup(db, now=T0)
    assert copy.stat().st_mode & 0o777 == 0o600
    assert backup_dir(db).stat().st_mode & 0o777 == 0o700
    restore(db, copy, now=T0 + timedelta(days=1))
    assert db.stat().st_mode & 0o777 == 0o600


def test_restore_never_replaces_a_leftover_side_file(db: Path) -> None:
    copy = backup(db, now=T0)
    stamp_now = T0 + timedelta(days=1)
    from quizapp.srs.backup import _stamp

    moved_name = f"{db.name}.before-restore-{_stamp(stamp_now)}"
    leftover = db.with_name(moved_name + "-wal")
    leftover.write_bytes(b"someone else's wal")
    db.with_name(db.name + "-wal").write_bytes(b"")  # a side file to move beside it
    moved = restore(db, copy, now=stamp_now)
    assert leftover.read_bytes() == b"someone else's wal"  # not replaced: another name taken
    assert moved is not None and moved.name == moved_name + "-1"
    assert moved.with_name(moved.name + "-wal").exists()


def test_restore_refuses_while_another_process_has_the_file_open(db: Path) -> None:
    import os
    import subprocess
    import sys

    copy = backup(db, now=T0)
    before = db.read_bytes()
    hold = (
        "import sqlite3, sys\n"
        "c = sqlite3.connect(sys.argv[1]); c.execute('select count(*) from sqlite_master')\n"
        "print('open', flush=True); sys.stdin.read()\n"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", hold, str(db)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=dict(os.environ),
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        with pytest.raises(StoreError, match="open in another quizapp"):
            restore(db, copy, now=T0 + timedelta(days=1))
        assert db.read_bytes() == before
    finally:
        holder.communicate("", timeout=30)


def test_a_backups_path_that_is_a_file_is_refused_and_named(
    quizapp_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`backups` beside the progress file is a file: `quizapp backup` and a reschedule that
    backs up first say so at that path, exit 1, and change nothing."""
    db = quizapp_home / "progress.sqlite3"
    with Store.open(db) as store:
        _answer(store, FakeClock(T0), 5)
    before = _dump(db)
    folder = backup_dir(db)
    folder.write_text("not a folder")
    with pytest.raises(StoreError) as info:
        backup(db, reason="reschedule", now=T0)
    assert info.value.path == folder
    assert main(["backup"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(
        f"quizapp backup: {folder}: cannot back up the progress file there: {folder} is not a "
        f"folder. Nothing was changed: {db} is as it was; move that file away"
    ), err
    assert "Traceback" not in err
    assert main(["backup", "--list"]) == 0  # no backups to list, no traceback
    assert _dump(db) == before and folder.read_text() == "not a folder"


def test_a_failed_copy_leaves_nothing_half_written(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The copy fails midway (disk full): the message says so at the folder, and no
    `.partial` file is left looking like a backup."""

    class Full:
        """The source connection, whose copy fails as on a full disk."""

        def __init__(self, conn: sqlite3.Connection) -> None:
            self.conn = conn

        def backup(self, target: sqlite3.Connection) -> None:
            raise sqlite3.OperationalError("database or disk is full")

        def close(self) -> None:
            self.conn.close()

    real = sqlite3.connect

    def connect(*args: object, **kwargs: object) -> object:
        conn = real(*args, **kwargs)  # type: ignore[arg-type]
        return Full(conn) if kwargs.get("uri") else conn

    monkeypatch.setattr(sqlite3, "connect", connect)
    with pytest.raises(StoreError) as info:
        backup(db, now=T0)
    assert info.value.kind == "disk_full"
    assert str(info.value).startswith(
        f"{backup_dir(db)}: cannot back up the progress file there: the disk is full."
    )
    assert list(backup_dir(db).iterdir()) == []


def test_an_unreadable_backups_folder_is_a_located_message(
    quizapp_home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = quizapp_home / "progress.sqlite3"
    with Store.open(db) as store:
        _answer(store, FakeClock(T0), 3)
    backup(db, now=T0)
    real = Path.iterdir

    def refused(self: Path) -> object:
        if self == backup_dir(db):
            raise PermissionError(13, "Permission denied")
        return real(self)

    monkeypatch.setattr(Path, "iterdir", refused)
    assert main(["backup", "--list"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"quizapp backup: {backup_dir(db)}: cannot list the backups"), err
