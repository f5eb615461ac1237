"""A learner killed with SIGKILL at random points loses no confirmed answer.

The learner (``learner.py``) drives the real study session — answers, re-rates and
undos — and announces each action before it starts and after it returns. Every
output byte is read straight from the pipe (no buffered reader whose lines could be
dropped at the kill), and an action killed between its ``begin`` and its ``done`` may
have either outcome — except a re-rate, which must leave exactly one of its two
answers. After every kill the file reopens, passes ``integrity_check``, and every
confirmed answer is recorded: confirmed answers ≤ recorded rows.
"""

from __future__ import annotations

import os
import random
import select
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from quizapp.srs.days import to_ms
from quizapp.srs.store import Store
from tests import sampling

LEARNER = Path(__file__).with_name("learner.py")
ROOT = Path(__file__).resolve().parents[2]
DECK = """\
deck = "kill"
topic = "adam"
"""
DECK += "".join(
    f'\n[[flashcard]]\nid = "kill.card-{i}"\nfront = "Q{i}"\nback = "A{i}"\n' for i in range(8)
)
DECK += "".join(
    f'\n[[trap]]\nid = "kill.trap-{i}"\nclaim = "Claim {i} is wrong."\n'
    f'why_wrong = "Because {i}."\ncorrect = "Fact {i}."\n'
    f'distractors = ["True {i}a.", "True {i}b.", "True {i}c."]\n'
    for i in range(6)
)
DECK += "".join(f'\n[[drill]]\nid = "kill.drill-{i}"\ndrill = "adam"\n' for i in range(4))


@dataclass
class Ledger:
    """What the learner confirmed, across every run on one file."""

    present: set[str] = field(default_factory=set)  # must be recorded
    absent: set[str] = field(default_factory=set)  # must not be recorded
    either: set[str] = field(default_factory=set)  # killed mid-action: may be either
    one_of: list[tuple[str, str]] = field(default_factory=list)  # killed mid-rerate
    known: set[str] = field(default_factory=set)  # every tag ever announced

    def read(self, lines: list[str]) -> None:
        pending: dict[tuple[str, ...], None] = {}
        for line in lines:
            word, action, *tags = line.split()
            self.known.update(tags)
            if word == "begin":
                pending[(action, *tags)] = None
                if action in ("undo", "rerate"):
                    self.present.discard(tags[0])
                    self.either.add(tags[0])
                else:
                    self.either.add(tags[0])
                continue
            del pending[(action, *tags)]
            if action == "answer":
                self.either.discard(tags[0])
                self.present.add(tags[0])
            elif action == "undo":
                self.either.discard(tags[0])
                self.absent.add(tags[0])
            else:  # rerate
                self.either.discard(tags[0])
                self.absent.add(tags[0])
                self.present.add(tags[1])
        for action, *tags in pending:  # killed between begin and done
            if action == "rerate":
                self.either.discard(tags[0])
                self.one_of.append((tags[0], tags[1]))

    def verify(self, recorded: set[str]) -> None:
        assert recorded <= self.known, f"rows nobody answered: {sorted(recorded - self.known)[:5]}"
        assert self.present <= recorded, f"confirmed but lost: {sorted(self.present - recorded)}"
        assert not self.absent & recorded, f"taken back but kept: {sorted(self.absent & recorded)}"
        for old, new in self.one_of:
            assert (old in recorded) != (new in recorded), f"re-rate {old} -> {new} not atomic"
        assert len(self.present) <= len(recorded)


def run_and_kill(db: Path, deck: Path, run: int, after_lines: int, delay: float) -> list[str]:
    """Start the learner, kill it after ``after_lines`` lines (+ ``delay``); every line."""
    proc = subprocess.Popen(
        [sys.executable, str(LEARNER), str(db), str(deck), str(run), "--mode",
         ("review", "study", "cram")[run % 3]],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    return kill_after(proc, after_lines, "the learner", delay)


def kill_after(
    proc: subprocess.Popen[bytes], after_lines: int, who: str, delay: float = 0.0
) -> list[str]:
    """SIGKILL ``proc`` once it has printed ``after_lines`` lines (then ``delay`` seconds);
    the complete lines it wrote before the kill (a torn last line confirms nothing)."""
    assert proc.stdout is not None and proc.stderr is not None
    fd = proc.stdout.fileno()
    data = b""
    deadline = time.monotonic() + 120
    try:
        while data.count(b"\n") < after_lines:
            ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
            assert ready, f"{who} printed nothing for 120 s"
            chunk = os.read(fd, 65536)
            if not chunk:
                pytest.fail(f"{who} died: {proc.stderr.read().decode()[-2000:]}")
            data += chunk
        if delay:
            time.sleep(delay)  # land somewhere inside a later transaction
    finally:
        os.kill(proc.pid, signal.SIGKILL)
    while chunk := os.read(fd, 65536):  # everything written before the kill
        data += chunk
    proc.wait(timeout=30)
    proc.stderr.close()
    proc.stdout.close()
    complete = data[: data.rfind(b"\n") + 1]
    return complete.decode().splitlines()


def kill_many(tmp_path: Path, kills: int, seed: int) -> int:
    db = tmp_path / "progress.sqlite3"
    deck = tmp_path / "deck.toml"
    deck.write_text(DECK, encoding="utf-8")
    rng = random.Random(seed)
    ledger = Ledger()
    for run in range(kills):
        lines = run_and_kill(db, deck, run, rng.randrange(2, 80), rng.choice((0, 0, 1e-4, 2e-3)))
        ledger.read(lines)
        with Store.open(db, full_check=True) as store:  # reopens cleanly after every kill
            assert store.integrity_check() == ["ok"]
            reviews = store.reviews()
            ledger.verify({f"{r.item_id}@{to_ms(r.at)}" for r in reviews})
            for state in store.states().values():  # every item row agrees with its log
                assert state.answered == sum(r.item_id == state.item_id for r in reviews)
    return len(ledger.present)


def test_sigkill_loses_no_confirmed_answer(tmp_path: Path) -> None:
    # three kills by default (six in CI, and test_sigkill_sweep's sixty)
    assert kill_many(tmp_path, kills=6 if sampling.FULL else 3, seed=20260302) > 0


@pytest.mark.slow
def test_sigkill_sweep(tmp_path: Path) -> None:
    assert kill_many(tmp_path, kills=60, seed=17) > 0


def test_ledger_treats_a_kill_inside_a_rerate_as_one_of_two() -> None:
    ledger = Ledger()
    ledger.read(["begin answer a@1", "done answer a@1", "begin rerate a@1 a@2"])
    assert ledger.one_of == [("a@1", "a@2")] and not ledger.present
    ledger.verify({"a@2"})
    ledger.verify({"a@1"})
    with pytest.raises(AssertionError, match="not atomic"):
        ledger.verify(set())
    ledger = Ledger()
    ledger.read(["begin answer b@1", "done answer b@1", "begin undo b@1"])
    ledger.verify(set())  # killed between the undo's COMMIT and its print: not a loss
    ledger.verify({"b@1"})
