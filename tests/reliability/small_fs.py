"""Real file-system faults, run inside a private mount namespace (see test_store_faults).

    unshare -rm sh -c 'mount -t tmpfs -o size=8m tmpfs DIR && python small_fs.py full DIR DECK'
    unshare -rm sh -c 'mount -t tmpfs -o size=8m tmpfs DIR && python small_fs.py readonly DIR DECK'

``full``: answers through the study session on an 8 MB tmpfs, fills the disk, keeps
answering until the store says the disk is full, runs CLI commands (``stats``; all
three with ``--all-commands``), frees the space
and gives the same answer again. ``readonly``: writes progress, remounts the tmpfs
read-only, then opens the store and runs CLI commands. ``backups_readonly``: only the
backups folder is read-only (a bind mount); a backup and the bulk changes are refused.
Prints one JSON object.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from quizapp.decks import load_paths  # noqa: E402
from quizapp.decks.catalog import Catalog  # noqa: E402
from quizapp.srs.scheduler import ReviewScheduler, SchedulerConfig  # noqa: E402
from quizapp.srs.store import Store, StoreError  # noqa: E402
from quizapp.study.clock import FakeClock  # noqa: E402
from quizapp.study.session import StudySession  # noqa: E402
from tests.reliability.faults import answer  # noqa: E402

CFG = SchedulerConfig(enable_fuzzing=False, timezone="UTC")
ALL_COMMANDS = (
    ["stats"],
    ["stats", "--json"],
    ["check", "--orphans"],
    ["browse", "--", "-is:suspended"],
    ["reschedule", "--dry-run"],
)
COMMANDS = ALL_COMMANDS if "--all-commands" in sys.argv else ALL_COMMANDS[:1]
#: Commands that write progress: on a read-only file system they refuse, as before.
WRITERS = (["reschedule"], ["reschedule", "--undo"])


def cli(home: Path, args: list[str]) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-m", "quizapp", "--home", str(home), *args],
        capture_output=True, text=True, timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)}, cwd=ROOT,
    )  # fmt: skip
    return {"args": args, "code": done.returncode, "out": done.stdout, "err": done.stderr}


def full(root: Path, deck: Path) -> dict[str, object]:
    home = root / "home"
    catalog = load_paths([deck])
    clock = FakeClock(datetime(2026, 3, 2, 9, tzinfo=UTC))
    store = Store.open(home / "progress.sqlite3")
    session = StudySession(
        catalog, ReviewScheduler(store, CFG, clock), clock, sorted(catalog.items) * 200
    )
    for _ in range(20):
        answer(session)
        session.next()
        clock.advance(timedelta(minutes=1))
    confirmed = len(session.history)
    filler = root / "filler"
    with filler.open("wb", buffering=0) as fh:  # fill the disk to the last byte
        for size in (65536, 4096, 1):
            try:
                while fh.write(b"\0" * size):
                    pass
            except OSError:
                pass
    error: StoreError | None = None
    for _ in range(500):
        try:
            answer(session)
        except StoreError as exc:
            error = exc
            break
        session.next()
        clock.advance(timedelta(minutes=1))
        confirmed = len(session.history)
    result: dict[str, object] = {
        "kind": error and error.kind,
        "message": error and str(error),
        "unchanged": session.last_outcome is None and len(session.history) == confirmed,
        "commands": [cli(home, args) for args in COMMANDS],
    }
    filler.unlink()  # space is back: the same answer again
    answer(session)
    confirmed += 1
    result["recorded"] = store.review_count()
    result["confirmed"] = confirmed
    result["integrity"] = store.integrity_check()
    store.close()
    return result


def _five_answers(db: Path, deck: Path) -> tuple[Catalog, FakeClock]:
    """Five answers to ``deck``'s items, committed to a new progress file ``db``."""
    catalog = load_paths([deck])
    clock = FakeClock(datetime(2026, 3, 2, 9, tzinfo=UTC))
    with Store.open(db) as store:
        session = StudySession(
            catalog,
            ReviewScheduler(store, CFG, clock),
            clock,
            sorted(catalog.items) * 5,
            rng=random.Random(1),
        )
        for _ in range(5):
            answer(session)
            session.next()
    return catalog, clock


def readonly(root: Path, deck: Path) -> dict[str, object]:
    home = root / "home"
    db = home / "progress.sqlite3"
    catalog, clock = _five_answers(db, deck)
    digest = hashlib.sha256(db.read_bytes()).hexdigest()
    subprocess.run(["mount", "-o", "remount,ro", str(root)], check=True)
    try:
        Store.open(db).close()
        kind, message = None, None
    except StoreError as exc:
        kind, message = exc.kind, str(exc)
    with Store.open(db, reading_only=True) as store:  # a reader gets a read-only store
        reviews = len(store.reviews())
        try:
            store.suspend(sorted(catalog.items)[0])
            write_kind = None
        except StoreError as exc:
            write_kind = exc.kind
    export = root.parent / "export.jsonl"  # off the read-only disk: the way out
    return {
        "kind": kind,
        "message": message,
        "reviews": reviews,
        "write_kind": write_kind,
        "commands": [cli(home, args) for args in COMMANDS],
        "writers": [cli(home, args) for args in WRITERS],
        "export": cli(home, ["progress", "export", str(export)]),
        "exported_lines": len(export.read_text().splitlines()) if export.exists() else 0,
        "same_bytes": hashlib.sha256(db.read_bytes()).hexdigest() == digest,
        "side_files": sorted(p.name for p in home.iterdir()),
    }


def _dump(db: Path) -> str:
    """Every row of ``db`` as SQL (the data, wherever SQLite keeps it: file or -wal)."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return "\n".join(conn.iterdump())
    finally:
        conn.close()


def backups_readonly(root: Path, deck: Path) -> dict[str, object]:
    """The progress file is writable but its backups folder is on a read-only mount: a
    backup, and every bulk change (which backs up first), is refused with the folder's
    name; the progress file is not changed and no half-written backup is left."""
    home = root / "home"
    db = home / "progress.sqlite3"
    catalog, clock = _five_answers(db, deck)
    other = root.parent / "other"  # another machine's progress, with an answer of its own
    with Store.open(other / "progress.sqlite3") as store:
        ReviewScheduler(store, CFG, clock).answer(sorted(catalog.items)[0], "flashcard", 4)
    exported = cli(other, ["progress", "export", str(root.parent / "other.jsonl")])
    assert exported["code"] == 0, exported
    (home / "config.toml").write_text("[scheduling]\ndesired_retention = 0.8\n")
    folder = home / "backups"
    folder.mkdir()
    subprocess.run(["mount", "--bind", str(folder), str(folder)], check=True)
    subprocess.run(["mount", "-o", "remount,bind,ro", str(folder)], check=True)
    digest = _dump(db)
    writers = [
        ["backup"],
        ["reschedule"],
        ["progress", "import", str(root.parent / "other.jsonl")],
    ]
    return {
        "folder": str(folder),
        "db": str(db),
        "writers": [cli(home, args) for args in writers],
        "list": cli(home, ["backup", "--list"]),
        "same_data": _dump(db) == digest,
        "backups": sorted(p.name for p in folder.iterdir()),
    }


if __name__ == "__main__":
    scenario, folder, deck_file = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    run = {"full": full, "readonly": readonly, "backups_readonly": backups_readonly}[scenario]
    print(json.dumps(run(folder, deck_file)))
