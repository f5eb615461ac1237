"""The damaged-file matrix: truncations (sub-page too), bytes scribbled over the header,
b-tree pages and the schema, a newer schema, another application's SQLite file, a
folder. The store refuses every one with its message, every command that uses the
file refuses (exit 1, the message, never a traceback), and the file stays
byte-identical — not even a -wal or -shm appears beside it.

The default run opens every case through the store and runs a sample of commands on
each; the full cases × commands matrix runs under ``@pytest.mark.slow``.
"""

from __future__ import annotations

import hashlib
import random
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from quizapp.decks.index import INDEX_FILENAME
from quizapp.srs.scheduler import Rating, ReviewScheduler, SchedulerConfig
from quizapp.srs.schema import SCHEMA_VERSION
from quizapp.srs.store import Store, StoreError
from quizapp.study.clock import FakeClock
from tests.reliability.faults import DB_COMMANDS, run_command

PAGE = 4096
Damage = Callable[[Path], None]


def healthy(path: Path) -> None:
    """A real progress file of several pages (items, log, undo, rollups, a mock)."""
    clock = FakeClock(datetime(2026, 3, 2, 9, tzinfo=UTC))
    with Store.open(path) as store:
        store._conn.execute("PRAGMA synchronous = OFF")  # a test file: no fsync per answer
        sched = ReviewScheduler(store, SchedulerConfig(enable_fuzzing=False, timezone="UTC"), clock)
        for i in range(400):
            sched.answer(f"deck.item-{i % 70}", "trap", Rating(1 + i % 4), answer="x" * 30)
            clock.advance(timedelta(minutes=13))
        store.save_mock({"score": 7}, clock.now())


def cut(keep: Callable[[int], int]) -> Damage:
    def damage(path: Path) -> None:
        data = path.read_bytes()
        path.write_bytes(data[: keep(len(data))])

    return damage


def scribble(where: Callable[[bytes, random.Random], tuple[int, int]], seed: int) -> Damage:
    """Random bytes over [start, end) of the file, chosen by ``where``."""

    def damage(path: Path) -> None:
        data = bytearray(path.read_bytes())
        rng = random.Random(seed)
        start, end = where(bytes(data), rng)
        data[start:end] = bytes(rng.randrange(256) for _ in range(end - start))
        path.write_bytes(bytes(data))

    return damage


def header_field(offset: int, value: bytes) -> Damage:
    def damage(path: Path) -> None:
        data = bytearray(path.read_bytes())
        data[offset : offset + len(value)] = value
        path.write_bytes(bytes(data))

    return damage


def btree_page_header(data: bytes, rng: random.Random) -> tuple[int, int]:
    """The page header and cell pointers of a random b-tree page after the first."""
    pages = [n for n in range(1, len(data) // PAGE) if data[n * PAGE] in (2, 5, 10, 13)]
    page = rng.choice(pages)
    return page * PAGE, page * PAGE + 24


def schema_text(data: bytes, rng: random.Random) -> tuple[int, int]:
    spot = data.index(b"CREATE TABLE reviews")
    return spot + 7, spot + 12  # the word TABLE


def invalid_utf8(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[data.index(b"reviews_day") + 8] = 0xFF
    path.write_bytes(bytes(data))


def newer_schema(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()


def foreign(path: Path) -> None:
    path.unlink()
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, flds TEXT)")
    conn.execute("INSERT INTO notes (flds) VALUES ('front\x1fback')")
    conn.commit()
    conn.close()


def folder(path: Path) -> None:
    path.unlink()
    path.mkdir()
    (path / "inside.txt").write_text("not a database")


def garbage(path: Path) -> None:
    path.write_bytes(b"this is not a database\n" * 300)


CASES: dict[str, tuple[Damage, str]] = {
    "cut-to-16-bytes": (cut(lambda n: 16), "truncated"),
    "cut-to-99-bytes": (cut(lambda n: 99), "truncated"),
    "cut-to-100-bytes": (cut(lambda n: 100), "truncated"),
    "cut-inside-page-1": (cut(lambda n: 1000), "truncated"),
    "cut-to-one-page": (cut(lambda n: PAGE), "truncated"),
    "cut-10-bytes": (cut(lambda n: n - 10), "truncated"),
    "cut-last-page": (cut(lambda n: n - PAGE), "truncated"),
    "cut-in-half": (cut(lambda n: n // 2 + 123), "truncated"),
    "header-page-size": (header_field(16, b"\x0b\xb8"), "page size"),
    "header-random-bytes": (scribble(lambda d, r: (16, 24), seed=1), "corrupt"),
    "header-size-too-big": (header_field(28, (10_000).to_bytes(4, "big")), "truncated"),
    "header-schema-format": (header_field(44, (99).to_bytes(4, "big")), "corrupt"),
    "btree-page-header-1": (scribble(btree_page_header, seed=1), "corrupt"),
    "btree-page-header-2": (scribble(btree_page_header, seed=2), "corrupt"),
    "btree-page-header-3": (scribble(btree_page_header, seed=3), "corrupt"),
    "schema-text": (scribble(schema_text, seed=4), "corrupt"),
    "schema-not-utf8": (invalid_utf8, "UTF-8"),
    "newer-schema": (newer_schema, "newer quizapp"),
    "another-application": (foreign, "another application"),
    "a-folder": (folder, "folder"),
    "not-sqlite": (garbage, "not a SQLite database"),
}


def fingerprint(path: Path) -> object:
    if path.is_dir():
        return sorted(p.name for p in path.iterdir())
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def healthy_bytes(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    path = tmp_path_factory.mktemp("healthy") / "progress.sqlite3"
    healthy(path)
    return path.read_bytes()


def damaged(folder_: Path, healthy_bytes: bytes, case: str) -> tuple[Path, str]:
    path = folder_ / "progress.sqlite3"
    path.write_bytes(healthy_bytes)
    damage, needle = CASES[case]
    damage(path)
    return path, needle


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
@pytest.mark.parametrize("case", CASES)
def test_the_store_refuses_and_touches_nothing(
    tmp_path: Path, healthy_bytes: bytes, case: str
) -> None:
    path, needle = damaged(tmp_path, healthy_bytes, case)
    before, siblings = fingerprint(path), set(tmp_path.iterdir())
    with pytest.raises(StoreError) as info:
        Store.open(path)
    error = info.value
    assert error.kind in ("corrupt", "refused") and not error.retryable
    assert needle in str(error) and str(path) in str(error)
    assert "--home DIR" in str(error)  # the way out
    assert fingerprint(path) == before
    assert set(tmp_path.iterdir()) == siblings


SAMPLE_CASES = ("cut-10-bytes", "cut-inside-page-1", "btree-page-header-1", "schema-not-utf8",
                "newer-schema", "a-folder")  # fmt: skip
SAMPLE_COMMANDS = (["stats"], ["check", "--orphans"], ["review"])


def _matrix() -> list[object]:
    params = []
    for case in CASES:
        for args in DB_COMMANDS:
            sample = case in SAMPLE_CASES and args in SAMPLE_COMMANDS
            params.append(
                pytest.param(
                    case, args, id=f"{case}:{' '.join(args) or 'home'}",
                    marks=() if sample else (pytest.mark.slow,),
                )
            )  # fmt: skip
    return params


@pytest.mark.parametrize(("case", "args"), _matrix())
def test_every_command_refuses_a_damaged_file(
    quizapp_home: Path,
    healthy_bytes: bytes,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    case: str,
    args: list[str],
) -> None:
    path, needle = damaged(quizapp_home, healthy_bytes, case)
    before, siblings = fingerprint(path), set(quizapp_home.iterdir())
    code, _, err = run_command(args, monkeypatch, capsys)
    assert code == 1, err
    assert str(path) in err and needle in err
    assert fingerprint(path) == before
    # nothing beside the progress file either, but the decks' content index (a cache of
    # the deck files, written by the catalog load that runs before the store is opened)
    assert set(quizapp_home.iterdir()) - {quizapp_home / INDEX_FILENAME} == siblings
