"""Two quizapp processes (and two threads) answering on the same file lose nothing."""

from __future__ import annotations

import subprocess
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest

from quizapp.srs.scheduler import Rating, ReviewScheduler, SchedulerConfig
from quizapp.srs.store import Store
from quizapp.study.clock import FakeClock

ANSWERER = Path(__file__).with_name("answerer.py")
CFG = SchedulerConfig(enable_fuzzing=False, timezone="UTC")


def _check(db: Path, expected_answers: int) -> None:
    with Store.open(db) as store:
        assert store.integrity_check() == ["ok"]
        reviews = store.reviews()
        assert len(reviews) == expected_answers
        assert len({r.id for r in reviews}) == expected_answers
        states = store.states()
        # each answer bumped its item's counter exactly once: no lost update
        assert sum(s.answered for s in states.values()) == expected_answers
        for s in states.values():
            logged = [r for r in reviews if r.item_id == s.item_id]
            assert s.answered == len(logged)
            assert s.reps == sum(r.mode != "cram" for r in logged)


def test_two_processes(tmp_path: Path) -> None:
    db = tmp_path / "progress.sqlite3"
    Store.open(db).close()
    n = 120
    procs = [
        subprocess.Popen([sys.executable, str(ANSWERER), str(db), str(seed), str(n), f"p{seed}"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for seed in (1, 2)
    ]  # fmt: skip
    outs = [p.communicate(timeout=120) for p in procs]
    for p, (out, err) in zip(procs, outs, strict=True):
        assert p.returncode == 0, err
        assert out.count("committed") == n
    _check(db, 2 * n)


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
def test_two_threads_separate_connections(tmp_path: Path) -> None:
    db = tmp_path / "progress.sqlite3"
    Store.open(db).close()
    n = 100
    errors: list[BaseException] = []

    def worker(tag: str) -> None:
        try:
            with Store.open(db) as store:
                sched = ReviewScheduler(store, CFG, FakeClock(datetime(2026, 3, 2, tzinfo=UTC)))
                for i in range(n):
                    sched.answer(f"deck.item-{i % 7}", "trap", Rating((i % 4) + 1), answer=tag)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(t,)) for t in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    _check(db, 2 * n)
