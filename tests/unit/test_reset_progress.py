from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from quizapp.cli import main
from quizapp.srs.store import Store

ROOT = Path(__file__).resolve().parents[2]
# A second quizapp: opens the store, says so, and keeps it open until stdin closes.
HOLD = """
import sys
from quizapp.srs.store import Store
store = Store.open(sys.argv[1])
store.review_count()
print("open", flush=True)
sys.stdin.read()
store.close()
"""


def test_reset_moves_the_file_aside(quizapp_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = quizapp_home / "progress.sqlite3"
    db.write_bytes(b"not a database at all")
    assert main(["reset-progress"]) == 2  # no terminal to confirm
    assert db.exists()
    assert main(["reset-progress", "--yes"]) == 0
    assert not db.exists()
    moved = list(quizapp_home.glob("progress.sqlite3.corrupt-*"))
    assert len(moved) == 1 and moved[0].read_bytes() == b"not a database at all"
    assert "kept at" in capsys.readouterr().out


def test_reset_without_a_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["reset-progress", "--yes"]) == 0
    assert "nothing to do" in capsys.readouterr().out


def test_reset_refuses_while_another_quizapp_has_the_file_open(
    quizapp_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = quizapp_home / "progress.sqlite3"
    Store.open(db).close()
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(db)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        assert main(["reset-progress", "--yes"]) == 1
        err = capsys.readouterr().err
        assert "has the progress file open" in err and "Traceback" not in err
        assert db.exists() and not list(quizapp_home.glob("*.corrupt-*"))
    finally:
        holder.communicate("", timeout=30)
    assert main(["reset-progress", "--yes"]) == 0  # closed: now it may move
    assert not db.exists()


def test_start_fresh_never_overwrites_a_leftover_wal(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    path.write_bytes(b"old database")
    path.with_name("p.db-wal").write_bytes(b"old wal")
    now = datetime(2026, 3, 2, 9, 30, 5, tzinfo=UTC)
    leftover = tmp_path / "p.db.corrupt-20260302T093005Z-wal"
    leftover.write_bytes(b"someone's earlier wal")
    moved = Store.start_fresh(path, now)
    assert moved is not None and moved.name == "p.db.corrupt-20260302T093005Z-1"
    assert leftover.read_bytes() == b"someone's earlier wal"
    assert moved.read_bytes() == b"old database"
    assert moved.with_name(moved.name + "-wal").read_bytes() == b"old wal"
    assert not path.exists() and not path.with_name("p.db-wal").exists()


def test_reset_progress_says_what_went_wrong_when_it_cannot_move(
    quizapp_home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = quizapp_home / "progress.sqlite3"
    db.write_bytes(b"x")

    def refuse(*args: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "link", refuse)
    monkeypatch.setattr(os, "rename", refuse)
    assert main(["reset-progress", "--yes"]) == 1
    err = capsys.readouterr().err
    assert "cannot move the file aside" in err and "Traceback" not in err
    assert db.read_bytes() == b"x"


def _answered(db: Path, n: int) -> None:
    from quizapp.srs.scheduler import Rating, ReviewScheduler, SchedulerConfig
    from quizapp.study.clock import FakeClock

    with Store.open(db) as store:
        sched = ReviewScheduler(store, SchedulerConfig(timezone="UTC"), FakeClock())
        for i in range(n):
            sched.answer(f"d.{i}", "trap", Rating(3))


def test_a_deliberate_reset_is_named_reset_and_restore_puts_it_back(
    quizapp_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A healthy file is set aside as .reset-<ts> (not .corrupt-: nothing is wrong with it),
    and the name the command prints is what `quizapp restore` takes back."""
    db = quizapp_home / "progress.sqlite3"
    _answered(db, 3)
    assert main(["reset-progress", "--yes"]) == 0
    assert not list(quizapp_home.glob("*.corrupt-*"))
    (moved,) = quizapp_home.glob("progress.sqlite3.reset-*")
    out = capsys.readouterr().out
    assert f"to undo: quizapp restore {moved.name}" in out, out
    assert main(["restore", moved.name, "--yes"]) == 0  # a bare name, found beside the file
    with Store.open(db) as store:
        assert store.review_count() == 3


def test_a_damaged_file_is_still_named_corrupt_and_not_offered_back(
    quizapp_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = quizapp_home / "progress.sqlite3"
    _answered(db, 3)
    data = bytearray(db.read_bytes())
    data[:16] = b"scribbled over.."  # the SQLite header is gone
    db.write_bytes(bytes(data))
    assert main(["reset-progress", "--yes"]) == 0
    assert len(list(quizapp_home.glob("progress.sqlite3.corrupt-*"))) == 1
    assert not list(quizapp_home.glob("*.reset-*"))
    out = capsys.readouterr().out
    assert "damaged" in out and "quizapp restore" not in out, out


def test_restoring_a_set_aside_file_keeps_the_answers_in_its_wal(tmp_path: Path) -> None:
    """A file reset after a crash carries its -wal along; restore folds it in."""
    import shutil
    import sqlite3

    from quizapp.srs.backup import restore

    live = tmp_path / "live.sqlite3"
    _answered(live, 2)
    conn = sqlite3.connect(live)
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    conn.execute("DELETE FROM reviews WHERE id = (SELECT min(id) FROM reviews)")
    conn.commit()  # in the -wal only, as when quizapp was killed
    db = tmp_path / "home" / "progress.sqlite3"
    db.parent.mkdir()
    shutil.copyfile(live, db)
    shutil.copyfile(live.with_name("live.sqlite3-wal"), db.with_name("progress.sqlite3-wal"))
    conn.close()
    moved = Store.start_fresh(db)
    assert moved is not None and ".reset-" in moved.name
    assert moved.with_name(moved.name + "-wal").exists()
    restore(db, moved)
    assert not db.with_name("progress.sqlite3-wal").exists()
    with Store.open(db) as store:
        assert store.review_count() == 1  # the delete in the -wal came back with it
