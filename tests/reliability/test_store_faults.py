"""A held write lock, a full disk, a read-only file and a deleted -wal: at the store and
study-session API, every failure is a StoreError of its own kind, the session keeps the
unsaved answer (the same call succeeds once the cause is gone) and nothing recorded is
lost; at the command line, every command that uses the file refuses with its message.

Faults are injected (the error SQLite raises, from a connection subclass) everywhere,
and made real — a 8 MB tmpfs filled to the last byte, a read-only remount, a lock held
by another connection — where the machine allows it.
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fsrs import Rating

from quizapp.decks import load_paths
from quizapp.srs import opening
from quizapp.srs.scheduler import ReviewScheduler, SchedulerConfig
from quizapp.srs.schema import SCHEMA_VERSION
from quizapp.srs.store import Store, StoreError
from quizapp.study.clock import FakeClock
from quizapp.study.session import StudySession
from tests.reliability.faults import (
    DB_COMMANDS,
    DECK,
    ROOT,
    SAMPLE,
    answer,
    injected,
    private_mounts,
    run_command,
)

CFG = SchedulerConfig(enable_fuzzing=False, timezone="UTC")
KINDS = {5: "locked", 13: "disk_full", 8: "read_only"}
WORDS = {"locked": "locked", "disk_full": "the disk is full", "read_only": "read-only"}
needs_mounts = pytest.mark.skipif(
    not private_mounts(), reason="no private mount namespace (unshare -rm) on this machine"
)


@pytest.fixture
def deck(tmp_path: Path) -> Path:
    path = tmp_path / "deck.toml"
    path.write_text(DECK, encoding="utf-8")
    return path


def session_on(store: Store, deck: Path) -> StudySession:
    catalog = load_paths([deck])
    clock = FakeClock(datetime(2026, 3, 2, 9, tzinfo=UTC))
    return StudySession(
        catalog, ReviewScheduler(store, CFG, clock), clock, sorted(catalog.items) * 10,
        rng=random.Random(4),
    )  # fmt: skip


# ------------------------------------------------------------ at the session API
@pytest.mark.parametrize("code", [5, 13, 8], ids=["locked", "disk_full", "read_only"])
def test_the_session_keeps_the_unsaved_answer_and_retries(
    tmp_path: Path, deck: Path, monkeypatch: pytest.MonkeyPatch, code: int
) -> None:
    with injected(monkeypatch) as faulty:
        store = Store.open(tmp_path / "p.sqlite3")
        session = session_on(store, deck)
        for _ in range(3):
            answer(session)
            session.next()
        recorded = store.reviews()
        shown = session.current

        faulty.fault = code
        for attempt in (answer, lambda s: s.undo()):
            with pytest.raises(StoreError) as info:
                attempt(session)
            assert info.value.kind == KINDS[code] and info.value.retryable
            assert WORDS[KINDS[code]] in str(info.value)
            assert "reset-progress" not in str(info.value)  # nothing is wrong with the file
            assert session.current is shown and session.last_outcome is None
            assert len(session.history) == 3
        faulty.fault = None
        assert store.reviews() == recorded  # nothing recorded was lost

        answer(session)  # the cause is gone: the same answer is saved
        assert len(store.reviews()) == 4 and session.last_outcome is not None
        faulty.fault = code
        with pytest.raises(StoreError):
            session.override(Rating.Hard)  # the re-rate fails whole: the answer stays
        faulty.fault = None
        assert store.reviews()[-1].rating == session.last_outcome.rating
        assert session.override(Rating.Hard).rating == Rating.Hard
        assert [r.rating for r in store.reviews()][-1] == Rating.Hard
        assert len(store.reviews()) == 4
        store.close()


def test_a_real_held_lock(tmp_path: Path, deck: Path) -> None:
    db = tmp_path / "p.sqlite3"
    store = Store.open(db)
    session = session_on(store, deck)
    answer(session)
    session.next()
    store._conn.execute("PRAGMA busy_timeout = 100")  # don't wait 10 s in a test
    blocker = sqlite3.connect(db, timeout=0)
    blocker.execute("BEGIN IMMEDIATE")
    with pytest.raises(StoreError) as info:
        answer(session)
    assert info.value.kind == "locked" and session.last_outcome is None
    blocker.rollback()
    blocker.close()
    answer(session)
    assert store.review_count() == 2
    store.close()


def test_a_deleted_wal_loses_nothing_even_when_killed(tmp_path: Path, deck: Path) -> None:
    db = tmp_path / "p.sqlite3"
    script = f"""
import os, signal, sys
sys.path.insert(0, {str(ROOT)!r})
from tests.reliability.test_store_faults import Store, session_on, answer  # noqa
from pathlib import Path
store = Store.open(Path({str(db)!r}))
session = session_on(store, Path({str(deck)!r}))
for i in range(10):
    answer(session); session.next()
os.unlink({str(db)!r} + "-wal")  # someone deletes the -wal under the running app
for i in range(5):
    answer(session); session.next()
print(len(session.history), flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)}, cwd=ROOT,
    )  # fmt: skip
    assert done.stdout.strip() == "15", done.stderr
    with Store.open(db, full_check=True) as store:
        assert store.review_count() == 15  # without the rescue: 0
        assert store.integrity_check() == ["ok"]


def test_a_deleted_wal_while_another_process_reads(
    tmp_path: Path, deck: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / "home"
    monkeypatch.setenv("QUIZAPP_HOME", str(home))
    store = Store.open(home / "progress.sqlite3")
    session = session_on(store, deck)
    for _ in range(4):
        answer(session)
        session.next()
    os.unlink(home / "progress.sqlite3-wal")
    answer(session)  # the store notices and moves everything into the main file
    session.next()
    code, out, _ = run_command(["stats", "--json"], monkeypatch, capsys)
    assert code == 0 and json.loads(out)["total_reviews"] == 5
    answer(session)
    store.close()
    with Store.open(home / "progress.sqlite3", full_check=True) as again:
        assert again.review_count() == 6


# --------------------------------------------------------------- at the command line
def _db_commands(sample: bool) -> list[list[str]]:
    return SAMPLE if sample else [c for c in DB_COMMANDS if c not in SAMPLE]


def _command_params() -> list[object]:
    params: list[object] = []
    for code in (5, 13, 8):
        for sample in (True, False):
            for args in _db_commands(sample):
                marks = () if sample else (pytest.mark.slow,)
                ident = f"{KINDS[code]}-{' '.join(args) or 'home'}"
                params.append(pytest.param(code, args, marks=marks, id=ident))
    return params


@pytest.mark.parametrize(("code", "args"), _command_params())
def test_every_command_refuses_with_its_message(
    quizapp_home: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    code: int,
    args: list[str],
) -> None:
    db = quizapp_home / "progress.sqlite3"
    with Store.open(db) as store:
        ReviewScheduler(store, CFG, FakeClock()).answer("faults.card-1", "flashcard", 3)
    before = db.read_bytes()
    with injected(monkeypatch) as faulty:
        faulty.fault = code
        status, out, err = run_command(args, monkeypatch, capsys)
    if args[:1] in (["stats"], ["check"]):
        # a command that only reads writes nothing when nothing needs writing: it reads a
        # read-only file (D11), a file whose lock another quizapp holds, a full disk's
        assert status == 0 and out and not err, err
        assert db.read_bytes() == before
    else:
        assert status == 1, err
        assert str(db) in err and WORDS[KINDS[code]] in err
    with Store.open(db) as store:
        assert store.review_count() == 1


#: Commands that only read the progress file: they read while another quizapp writes.
READERS = [  # beside SAMPLE's stats and check --orphans
    ["stats", "--json"],
    ["browse", "--json"],
    ["progress", "export", "{home}/out.jsonl"],
    ["reschedule", "--dry-run"],
]


@pytest.mark.parametrize(
    "args", [pytest.param(a, id=" ".join(a) or "home") for a in SAMPLE + READERS]
)
def test_commands_with_a_real_held_lock(
    quizapp_home: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
) -> None:
    """Another quizapp holds the write lock (it is saving an answer) past the busy timeout:
    a command that writes refuses with the lock named; one that only reads reads, what was
    committed before the lock, and leaves the file as it was (SQLite's WAL)."""
    db = quizapp_home / "progress.sqlite3"
    with Store.open(db) as store:
        ReviewScheduler(store, CFG, FakeClock()).answer("faults.card-1", "flashcard", 3)
    args = [a.format(home=quizapp_home) for a in args]
    monkeypatch.setattr(opening, "BUSY_TIMEOUT_MS", 100)
    blocker = sqlite3.connect(db, timeout=0, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    blocker.execute("INSERT INTO meta (key, value) VALUES ('uncommitted', 'x')")
    try:
        status, out, err = run_command(args, monkeypatch, capsys)
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    if args in (["review"], []):  # the app writes from its first answer: refused
        assert status == 1 and "locked" in err and str(db) in err
        return
    assert status == 0 and not err, err
    assert out
    if args == ["stats", "--json"]:
        assert json.loads(out)["total_reviews"] == 1
    with Store.open(db) as store:
        assert store.review_count() == 1 and store.meta_value("uncommitted") is None


def test_a_reader_that_must_upgrade_the_file_says_the_lock_stops_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A reader that truly cannot read without writing (the file needs its migrations)
    while the lock is held: refused as locked, with the file named and what to do."""
    from tests.unit.test_srs_migrations import make_v1

    db = tmp_path / "p.sqlite3"
    make_v1(db)
    monkeypatch.setattr(opening, "BUSY_TIMEOUT_MS", 100)
    blocker = sqlite3.connect(db, timeout=0, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StoreError) as info:
            Store.open(db, reading_only=True)
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert info.value.kind == "locked"
    assert str(info.value).startswith(f"{db}: cannot open the progress file: another program")
    with Store.open(db, reading_only=True) as store:  # free again: upgraded and read
        assert store.schema_version == SCHEMA_VERSION


# ------------------------------------------------------ real file systems (Linux)
def in_small_fs(tmp_path: Path, deck: Path, scenario: str, every: bool) -> dict[str, object]:
    mount = tmp_path / "mnt"
    mount.mkdir()
    script = Path(__file__).with_name("small_fs.py")
    done = subprocess.run(
        ["unshare", "-rm", "sh", "-c",
         f'mount -t tmpfs -o size=8m tmpfs "{mount}" && '
         f'exec "{sys.executable}" "{script}" {scenario} "{mount}" "{deck}"'
         + (" --all-commands" if every else "")],
        capture_output=True, text=True, timeout=300,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


every_command = pytest.mark.parametrize(
    "every", [False, pytest.param(True, marks=pytest.mark.slow)], ids=["stats", "all"]
)


@needs_mounts
@every_command
def test_a_really_full_disk(tmp_path: Path, deck: Path, every: bool) -> None:
    result = in_small_fs(tmp_path, deck, "full", every)
    assert result["kind"] == "disk_full", result
    assert "the disk is full" in str(result["message"])
    assert result["unchanged"] is True
    for command in result["commands"]:  # type: ignore[attr-defined]
        assert "Traceback" not in command["err"]
        assert command["code"] == 0 or "the disk is full" in command["err"], command
    assert result["recorded"] == result["confirmed"]  # the retried answer too
    assert result["integrity"] == ["ok"]


@needs_mounts
@every_command
def test_a_really_read_only_file_system(tmp_path: Path, deck: Path, every: bool) -> None:
    result = in_small_fs(tmp_path, deck, "readonly", every)
    assert result["kind"] == "read_only", result  # a writer is refused, as before
    assert "read-only file system" in str(result["message"])
    assert "chmod" not in str(result["message"])  # chmod cannot help on a read-only mount
    assert result["reviews"] == 5  # a reader sees every answer through a read-only store
    assert result["write_kind"] == "read_only"  # and cannot write through it
    for command in result["commands"]:  # type: ignore[attr-defined]
        assert command["code"] == 0 and command["out"], command  # readers read
        assert "Traceback" not in command["err"]
    assert "answered" in result["commands"][0]["out"]  # type: ignore[index]
    for command in result["writers"]:  # type: ignore[attr-defined]
        assert command["code"] == 1 and "read-only file system" in command["err"], command
        assert "Traceback" not in command["err"]
    export = result["export"]
    assert export["code"] == 0 and "exported 5 answers" in export["out"], export  # type: ignore[index]
    assert result["exported_lines"] > 5
    assert result["same_bytes"] is True
    assert result["side_files"] == ["progress.sqlite3"]  # no -wal or -shm left behind


@needs_mounts
def test_a_read_only_backups_folder(tmp_path: Path, deck: Path) -> None:
    """`quizapp backup`, a reschedule and a progress import (each backs up first) into a
    read-only backups folder: exit 1 with the folder named and the way out, no traceback,
    the progress file unchanged, nothing half-written left in the folder."""
    result = in_small_fs(tmp_path, deck, "backups_readonly", False)
    folder, db = result["folder"], result["db"]
    for command in result["writers"]:  # type: ignore[attr-defined]
        assert command["code"] == 1, command
        assert "Traceback" not in command["err"], command
        assert command["err"].startswith(  # type: ignore[union-attr]
            f"quizapp {command['args'][0]}: {folder}: cannot back up the progress file there: "
            "the folder is on a read-only file system"
        ), command
        assert f"Nothing was changed: {db} is as it was" in command["err"], command
        assert "quizapp --home DIR" in command["err"], command
    assert result["list"]["code"] == 0  # type: ignore[index]
    assert result["same_data"] is True
    assert result["backups"] == []


def test_a_reader_opens_a_read_only_file_read_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "p.sqlite3"
    with Store.open(db) as store:
        ReviewScheduler(store, CFG, FakeClock()).answer("faults.card-1", "flashcard", 3)
    before = db.read_bytes()
    with injected(monkeypatch) as faulty:
        faulty.fault = 8  # every write fails as on a read-only file
        with pytest.raises(StoreError) as refused:
            Store.open(db)  # a writer is refused, as before
        assert refused.value.kind == "read_only"
        with Store.open(db, reading_only=True) as store:
            assert store.review_count() == 1 and store.item_ids() == ["faults.card-1"]
            with pytest.raises(StoreError) as info:
                store.suspend("faults.card-1")
            assert info.value.kind == "read_only"
    assert db.read_bytes() == before
    wal = db.with_name(db.name + "-wal")  # mode=ro may leave an empty one in a writable folder
    assert not wal.exists() or wal.stat().st_size == 0
