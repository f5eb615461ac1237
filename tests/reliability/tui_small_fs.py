"""Real file-system faults under the real app, run inside a private mount namespace
(see test_tui_faults)::

    unshare -rm sh -c 'mount -t tmpfs -o size=8m tmpfs DIR && python tui_small_fs.py full DIR'
    unshare -rm sh -c 'mount -t tmpfs -o size=8m tmpfs DIR && python tui_small_fs.py readonly DIR'

``full``: the app (``python -m quizapp review`` with the pipe driver) answers a few items
on an 8 MB tmpfs; the disk is filled to the last byte; the learner keeps answering until
the app shows the "not saved" dialog; the space is freed and the learner presses r
(retry); then quits from home. ``readonly``: progress is written, the tmpfs is remounted
read-only, and ``quizapp review`` is started on it. Prints one JSON object.
"""

from __future__ import annotations

import hashlib
import json
import random
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from quizapp.srs.store import Store  # noqa: E402
from tests.reliability.tui_app import AppProcess, Learner, answers  # noqa: E402


def fill(path: Path) -> None:
    """Write zeros until the file system has no byte left."""
    with path.open("wb", buffering=0) as fh:
        for size in (65536, 4096, 1):
            try:
                while fh.write(b"\0" * size):
                    pass
            except OSError:
                pass


def answer(app: AppProcess, learner: Learner, ack: dict) -> dict:
    """Steps until one answer is given (or refused: the dialog is up)."""
    for _ in range(12):
        intent, command = learner.step(ack, want="answer")
        ack = app.do(command)
        if intent == "answer" or "error" in ack:
            return ack
    raise AssertionError(f"no answer could be given: {ack}")


def full(root: Path) -> dict[str, object]:
    home = root / "home"
    learner = Learner(random.Random(5))
    result: dict[str, object] = {}
    with AppProcess(home) as app:
        ack = app.do("state")
        for _ in range(3):
            ack = answer(app, learner, ack)
        filler = root / "filler"
        fill(filler)
        confirmed = answers(ack)
        given_on_a_full_disk = 0
        for _ in range(60):  # SQLite may still have room in the -wal for a while
            ack = answer(app, learner, ack)
            if "error" in ack:
                break
            confirmed = answers(ack)
            given_on_a_full_disk += 1
        result["answers_before_full"] = given_on_a_full_disk
        result["error"] = ack.get("error")
        result["kept"] = answers(ack) == confirmed and ack["screens"][-1] == "StoreErrorModal"
        item = ack.get("item")
        filler.unlink()  # space is back: the same answer, saved
        ack = app.do("key r")
        result["retried"] = (
            ack["screens"][-1] != "StoreErrorModal"
            and len(answers(ack)) == len(confirmed) + 1
            and answers(ack)[-1][0] == item
        )
        confirmed = answers(ack)
        for key in ("escape", "escape", "escape"):
            ack = app.do(f"key {key}")
            if ack["screens"][-1] == "HomeScreen":
                break
        app.send("key q")
        result["exit"] = app.finish()
    with Store.open(home / "progress.sqlite3", full_check=True) as store:
        rows = [(r.item_id, int(r.rating)) for r in store.reviews()]
        result["integrity"] = store.integrity_check()
    result["confirmed"] = len(confirmed)
    result["recorded_as_confirmed"] = rows == [tuple(a) for a in confirmed]
    return result


def readonly(root: Path) -> dict[str, object]:
    home = root / "home"
    with AppProcess(home) as app:
        ack = app.do("state")
        learner = Learner(random.Random(6))
        for _ in range(3):
            ack = answer(app, learner, ack)
        for _ in range(4):  # out of an answer box, the session (its summary), then home
            ack = app.do("key escape")
            if ack["screens"][-1] == "HomeScreen":
                break
        app.send("key q")
        first_exit = app.finish()
    db = home / "progress.sqlite3"
    digest = hashlib.sha256(db.read_bytes()).hexdigest()
    subprocess.run(["mount", "-o", "remount,ro", str(root)], check=True)
    app = AppProcess(home)  # config.toml exists: nothing is written before the start
    code = app.finish()
    return {
        "first_exit": first_exit,
        "exit": code,
        "stderr": app.stderr,
        "acks": len(app.acks),
        "same_bytes": hashlib.sha256(db.read_bytes()).hexdigest() == digest,
    }


if __name__ == "__main__":
    scenario, folder = sys.argv[1], Path(sys.argv[2])
    print(json.dumps({"full": full, "readonly": readonly}[scenario](folder)))
