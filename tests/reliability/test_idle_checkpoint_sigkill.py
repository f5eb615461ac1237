"""With the app's checkpoint policy (no checkpoint inside a commit; PASSIVE ones in a
thread meanwhile), a writer killed with SIGKILL loses no answer it confirmed: the
answers since the last checkpoint are in the -wal, which the next open recovers."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from quizapp.srs.store import Store
from tests.reliability.test_sigkill import kill_after

ROOT = Path(__file__).resolve().parents[2]
WRITER = """
import sys, threading
from quizapp.srs.scheduler import Rating, ReviewScheduler, SchedulerConfig
from quizapp.srs.store import Store
from tests.reliability.test_sigkill import kill_after
from quizapp.study.clock import FakeClock

store = Store.open(sys.argv[1])
store.checkpoint_on_idle()
if sys.argv[2] == "thread":  # the app's idle checkpoints, as often as they can run
    threading.Thread(target=lambda: [store.checkpoint() for _ in iter(int, 1)], daemon=True).start()
sched = ReviewScheduler(store, SchedulerConfig(enable_fuzzing=False, timezone="UTC"), FakeClock())
n = 0
while True:
    sched.answer(f"deck.item-{n % 40}", "flashcard", Rating.Good, answer=f"a{n}")
    print(f"committed a{n}", flush=True)
    n += 1
"""


def _run_and_kill(db: Path, checkpoints: str, after: int) -> list[str]:
    """The answers the writer confirmed ("committed aN") before it was killed."""
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db), checkpoints],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    return [line.split()[1] for line in kill_after(proc, after, "the writer")]


@pytest.mark.parametrize("checkpoints", ["none", "thread"])
def test_sigkill_keeps_every_confirmed_answer(tmp_path: Path, checkpoints: str) -> None:
    db = tmp_path / "progress.sqlite3"
    confirmed: set[str] = set()
    for run, after in enumerate((90, 40), 1):  # run 2 starts from run 1's recovered -wal
        confirmed |= set(_run_and_kill(db, checkpoints, after))
        with Store.open(db, full_check=True) as store:
            assert store.integrity_check() == ["ok"]
            recorded = {r.answer for r in store.reviews()}
            assert confirmed <= recorded
            assert len(recorded) <= len(confirmed) + run  # + the one being written at each kill
