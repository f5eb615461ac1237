"""A learner killed with SIGKILL at random points loses no committed review."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from quizapp.srs.store import Store

ANSWERER = Path(__file__).with_name("answerer.py")


def _run_and_kill(
    db: Path, seed: int, after_lines: int, extra_delay: float
) -> tuple[set[str], set[str]]:
    proc = subprocess.Popen(
        [sys.executable, str(ANSWERER), str(db), str(seed), "0", f"run{seed}", "--undo"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    committed: set[str] = set()
    undone: set[str] = set()
    assert proc.stdout is not None
    try:
        while len(committed) < after_lines:
            line = proc.stdout.readline()
            assert line, proc.stderr.read() if proc.stderr else "answerer died"
            word, rid, *_ = line.split()
            (committed if word == "committed" else undone).add(rid)
        if extra_delay:
            time.sleep(extra_delay)  # land somewhere inside a later transaction
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        out, _ = proc.communicate(timeout=30)
    for line in out.splitlines():  # lines written before the kill also count
        word, rid, *_ = line.split()
        (committed if word == "committed" else undone).add(rid)
    return committed, undone


def test_sigkill_loses_nothing_committed(tmp_path: Path) -> None:
    db = tmp_path / "progress.sqlite3"
    rng = random.Random(20260302)
    committed: set[str] = set()
    undone: set[str] = set()
    for round_ in range(6):
        c, u = _run_and_kill(db, round_, rng.randrange(3, 40), rng.choice((0, 0.001, 0.005, 0.02)))
        committed |= c
        undone |= u
        with Store.open(db) as store:  # reopens cleanly after every kill
            assert store.integrity_check() == ["ok"]
            ids = {r.answer for r in store.reviews()}
            assert committed - undone <= ids, sorted(committed - undone - ids)[:5]
            assert not (undone & ids)
            for state in store.states().values():  # every item row agrees with its log
                assert state.answered == len(store.reviews(state.item_id))
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
