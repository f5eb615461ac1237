"""Store faults under the real app (issue 17, F1/F10 end to end): a held write lock, a full
disk, a read-only file and a deleted -wal while `python -m quizapp review` runs, driven
through the pipe driver as a learner would.

What must hold: the "not saved" dialog says what happened (StoreErrorModal, the store's
message); the answer being given stays on screen and is saved by retry (answers, re-rates
and undos alike); quitting there exits 1 with the message; where the app cannot work at
all (a read-only file system at start) it exits 1 before any screen; nothing already
recorded is lost and the file stays sound.

The lock and the -wal deletion are real; a full disk and a read-only file system are real
on a tmpfs in a private mount namespace where the machine allows it
(``tui_small_fs.py``), and injected — the error SQLite raises, through ``tui_run.py`` —
everywhere, which also covers mid-session read-only (a mounted file system cannot be
made read-only while the app holds the file open for writing).

Every test here runs under ``@pytest.mark.slow`` (CI): each fault kind keeps its in-process
check in the default run — the store and the commands in tests/reliability/test_store_faults.py
(a real held lock, a deleted -wal, a really full disk, a read-only file system), the app's
dialog, retry and exit 1 through Pilot in tests/tui/test_store_errors.py.
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from quizapp.srs.store import Store
from tests.reliability.faults import ROOT, private_mounts
from tests.reliability.tui_app import AppProcess, Learner, answers

LOCKED, READ_ONLY, DISK_FULL = 5, 8, 13
WORDS = {"locked": "locked", "disk_full": "the disk is full", "read_only": "read-only"}
needs_mounts = pytest.mark.skipif(
    not private_mounts(), reason="no private mount namespace (unshare -rm) on this machine"
)


def rows(db: Path) -> list[tuple[str, int]]:
    """The recorded answers, oldest first, read as another program would (read-only:
    it works while a writer holds the lock) after a full integrity check."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        return [
            (item, int(rating))
            for item, rating in conn.execute(
                "SELECT i.item_id, r.rating FROM reviews r JOIN items i ON i.id = r.item"
                " ORDER BY r.id"
            )
        ]
    finally:
        conn.close()


def reopened(db: Path) -> list[tuple[str, int]]:
    """The recorded answers as quizapp itself reopens the file (full check)."""
    with Store.open(db, full_check=True) as store:
        assert store.integrity_check() == ["ok"]
        return [(r.item_id, int(r.rating)) for r in store.reviews()]


Step = tuple[dict[str, Any], str]


def until(app: AppProcess, learner: Learner, ack: dict[str, Any], want: str) -> Step:
    """Step until ``want`` (answer, rerate, undo) is the next thing to do: that ack and the
    command that makes it."""
    for _ in range(15):
        intent, command = learner.step(ack, want=want)
        if intent == want:
            return ack, command
        ack = app.do(command)
    raise AssertionError(f"{want} never became possible: {ack}")


def make(app: AppProcess, learner: Learner, ack: dict[str, Any], want: str) -> dict[str, Any]:
    """Make ``want`` (when it becomes possible); the ack after it."""
    return app.do(until(app, learner, ack, want)[1])


def refused(app: AppProcess, step: Step, kind: str) -> dict[str, Any]:
    """Send the step's command while the store refuses: the dialog, nothing changed."""
    shown, command = step
    ack = app.do(command)
    assert ack["screens"][-1] == "StoreErrorModal", ack
    assert ack["error"]["kind"] == kind and WORDS[kind] in ack["error"]["message"]
    assert str(app.home) in ack["error"]["message"]  # which file
    assert answers(ack) == answers(shown) and ack["item"] == shown["item"]  # kept as it was
    assert ack["answered"] == shown["answered"]
    return ack


@pytest.mark.slow
def test_a_held_lock_is_a_dialog_retry_saves_and_read_only_quit_exits_1(tmp_path: Path) -> None:
    """A real lock held by another program: the dialog, then retry saves the same answer.
    Then the file turns read-only (injected) and the learner quits: exit 1, the message.
    Slow (CI); by default test_store_faults.py::test_a_real_held_lock and
    tests/tui/test_store_errors.py (the dialog, retry, quitting exits 1) cover its kinds."""
    db = tmp_path / "home" / "progress.sqlite3"
    control = tmp_path / "fault"
    control.write_text("")
    learner = Learner(random.Random(3))
    with AppProcess(tmp_path / "home", busy_ms=300, fault_file=control) as app:
        ack = app.do("state")
        for _ in range(2):
            ack = make(app, learner, ack, "answer")
        step = until(app, learner, ack, "answer")
        blocker = sqlite3.connect(db, timeout=0)  # another program takes the write lock
        blocker.execute("BEGIN IMMEDIATE")
        try:
            ack = refused(app, step, "locked")
            assert rows(db) == answers(ack)  # readers still read: nothing was half-written
        finally:
            blocker.rollback()
            blocker.close()
        given = len(answers(ack))
        ack = app.do("key r")  # the other program let go: the same answer, saved
        assert ack["screens"][-1] == "StudyScreen" and len(answers(ack)) == given + 1
        assert rows(db) == answers(ack)

        step = until(app, learner, ack, "answer")
        control.write_text(str(READ_ONLY))
        refused(app, step, "read_only")
        app.send("key q")  # the learner gives up
        assert app.finish() == 1
    assert "read-only" in app.stderr and "Traceback" not in app.stderr
    assert str(db) in app.stderr
    control.write_text("")
    assert reopened(db) == answers(ack)  # everything confirmed is there; the refused one not


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        # all slow (CI): the default run's answer, re-rate and undo under an injected fault
        # is tests/tui/test_store_errors.py::test_trap_drill_rerate_and_undo_survive_a_failed_write
        pytest.param(DISK_FULL, "disk_full", marks=pytest.mark.slow),
        pytest.param(READ_ONLY, "read_only", marks=pytest.mark.slow),
        pytest.param(LOCKED, "locked", marks=pytest.mark.slow),
    ],
    ids=["full", "ro", "locked"],
)
def test_an_injected_fault_keeps_answers_rerates_and_undos_for_retry(
    tmp_path: Path, code: int, kind: str
) -> None:
    control = tmp_path / "fault"
    control.write_text("")
    db = tmp_path / "home" / "progress.sqlite3"
    learner = Learner(random.Random(code))
    with AppProcess(tmp_path / "home", fault_file=control) as app:
        ack = app.do("state")
        for want in ("answer", "rerate", "undo"):
            step = until(app, learner, ack, want)
            control.write_text(str(code))
            ack = refused(app, step, kind)
            before = answers(ack)
            assert rows(db) == before
            control.write_text("")  # the cause is gone
            ack = app.do("key r")
            assert ack["screens"][-1] == "StudyScreen", ack
            after = answers(ack)
            if want == "answer":
                assert after[:-1] == before and len(after) == len(before) + 1
            elif want == "undo":
                assert after == before[:-1]
            else:
                assert len(after) == len(before) and after[:-1] == before[:-1]
            assert rows(db) == after
        step = until(app, learner, ack, "answer")
        control.write_text(str(code))
        refused(app, step, kind)
        app.send("key q")
        assert app.finish() == 1
    assert WORDS[kind] in app.stderr and "Traceback" not in app.stderr
    assert reopened(db) == after


@pytest.mark.slow
def test_a_deleted_wal_under_the_running_app_loses_nothing(tmp_path: Path) -> None:
    """Slow (CI); by default test_store_faults.py::test_a_deleted_wal_loses_nothing_even_when_killed
    deletes the -wal under a running session."""
    home = tmp_path / "home"
    db = home / "progress.sqlite3"
    learner = Learner(random.Random(9))
    with AppProcess(home) as app:
        ack = app.do("state")
        for _ in range(3):
            ack = make(app, learner, ack, "answer")
        os.unlink(f"{db}-wal")  # someone deletes the -wal under the running app
        for _ in range(3):
            ack = make(app, learner, ack, "answer")
        confirmed = answers(ack)
        stats = subprocess.run(
            [sys.executable, "-m", "quizapp", "--home", str(home), "stats", "--json"],
            capture_output=True, text=True, timeout=120, cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )  # fmt: skip
        assert json.loads(stats.stdout)["total_reviews"] == len(confirmed)  # another reader
        app.kill()
    assert len(confirmed) == 6 and reopened(db) == confirmed  # without the store's rescue: 3


def in_small_fs(tmp_path: Path, scenario: str) -> dict[str, Any]:
    mount = tmp_path / "mnt"
    mount.mkdir()
    script = Path(__file__).with_name("tui_small_fs.py")
    done = subprocess.run(
        ["unshare", "-rm", "sh", "-c",
         f'mount -t tmpfs -o size=8m tmpfs "{mount}" && '
         f'exec "{sys.executable}" "{script}" {scenario} "{mount}"'],
        capture_output=True, text=True, timeout=600,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


@pytest.mark.slow
@needs_mounts
def test_a_really_full_disk_under_the_real_app(tmp_path: Path) -> None:
    """Slow (CI); by default test_store_faults.py::test_a_really_full_disk fills a real disk."""
    result = in_small_fs(tmp_path, "full")
    assert result["error"]["kind"] == "disk_full", result
    assert "the disk is full" in result["error"]["message"]
    assert result["kept"] and result["retried"], result
    assert result["exit"] == 0  # the learner went on and quit from home as usual
    assert result["recorded_as_confirmed"] and result["integrity"] == ["ok"], result


@pytest.mark.slow
@needs_mounts
def test_a_read_only_file_system_stops_the_app_before_any_screen(tmp_path: Path) -> None:
    result = in_small_fs(tmp_path, "readonly")
    assert result["first_exit"] == 0
    assert result["exit"] == 1 and result["acks"] == 0, result
    assert "read-only" in result["stderr"] and "Traceback" not in result["stderr"]
    assert result["same_bytes"] is True
