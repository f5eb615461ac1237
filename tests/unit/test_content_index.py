"""The content index (issue 16): a start after no change parses nothing, a change re-parses
only the changed file, a broken or foreign index is rebuilt silently, and what comes out of
the index is exactly what a real parse gives (items, lines, decks, located problems)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from quizapp.decks import index as content_index
from quizapp.decks import loader
from quizapp.decks.catalog import Catalog
from quizapp.decks.index import INDEX_FILENAME, ContentIndex
from quizapp.decks.loader import load_paths
from quizapp.decks.locate import TomlIndex, array_header_lines

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "content"

HEAD = 'deck = "demo"\ntitle = "Demo"\ntopic = "basics"\n'
CARD = '\n[[flashcard]]\nid = "demo.{n}"\nfront = "Q{n}"\nback = "A{n}"\n'


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files the loader really parses (not taken from the index)."""
    seen: list[str] = []
    real = loader._parse

    def counting(where: str, text: str, raw: bytes):  # type: ignore[no-untyped-def]
        seen.append(Path(where).name)
        return real(where, text, raw)

    monkeypatch.setattr(loader, "_parse", counting)
    return seen


def _folder(tmp_path: Path, files: int = 3, cards: int = 2) -> Path:
    folder = tmp_path / "decks"
    folder.mkdir()
    for f in range(files):
        body = "".join(CARD.format(n=f"{f}-{i}") for i in range(cards))
        (folder / f"{f}.toml").write_text(HEAD + body, encoding="utf-8")
    return folder


def _age(folder: Path, seconds: int = 60) -> None:
    """Set every file's mtime back, so the index trusts size + mtime (not racily clean)."""
    for path in folder.rglob("*.toml"):
        st = path.stat()
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns - seconds * 1_000_000_000))


def _snapshot(catalog: Catalog) -> tuple[object, ...]:
    """Everything a catalog says, with every item's full model."""
    return (
        [(e.id, e.kind, e.topic, e.tags, e.drill, e.deck, e.path, e.line) for e in catalog.items.values()],
        [e.item for e in catalog.items.values()],
        [(d.id, d.title, d.description, d.files, d.topics, len(d.items)) for d in catalog.decks.values()],
        [str(p) for p in catalog.problems],
        catalog.files,
        catalog.skipped,
        catalog.notice,
    )  # fmt: skip


def test_a_start_after_no_change_parses_nothing(tmp_path: Path, parses: list[str]) -> None:
    folder = _folder(tmp_path)
    _age(folder)
    first = load_paths([folder])
    assert sorted(parses) == ["0.toml", "1.toml", "2.toml"]
    parses.clear()
    again = load_paths([folder])
    assert parses == []
    deck = again.decks["demo"]
    assert len(deck.items) == 6 and deck.topics == ["basics"]
    assert not any(e.loaded for e in again.items.values())  # counts need no model
    assert _snapshot(again) == _snapshot(first)


def test_a_change_reparses_only_that_file(tmp_path: Path, parses: list[str]) -> None:
    folder = _folder(tmp_path)
    _age(folder)
    load_paths([folder])
    parses.clear()
    path = folder / "1.toml"
    path.write_text(path.read_text() + CARD.format(n="new"), encoding="utf-8")
    catalog = load_paths([folder])
    assert parses == ["1.toml"]
    assert "demo.new" in catalog.items
    assert catalog.items["demo.new"].item.front == "Qnew"


def test_a_touched_file_is_hashed_not_parsed(tmp_path: Path, parses: list[str]) -> None:
    folder = _folder(tmp_path)
    _age(folder, 120)
    load_paths([folder])
    parses.clear()
    _age(folder, -30)  # mtime moves (a checkout, `touch`), the bytes do not
    load_paths([folder])
    assert parses == []


def test_a_change_in_the_same_clock_tick_is_seen(tmp_path: Path, parses: list[str]) -> None:
    """Same size, same mtime, other bytes, written just after indexing: the hash decides."""
    folder = _folder(tmp_path, files=1)
    path = folder / "0.toml"
    load_paths([folder])
    stat = path.stat()
    path.write_text(path.read_text().replace("Q0-0", "X0-0"), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size
    parses.clear()
    catalog = load_paths([folder])
    assert parses == ["0.toml"]
    assert catalog.items["demo.0-0"].item.front == "X0-0"


@pytest.mark.parametrize("damage", ["garbage", "empty", "other-version", "not-our-table"])
def test_a_broken_or_foreign_index_is_rebuilt_silently(
    tmp_path: Path, quizapp_home: Path, parses: list[str], damage: str
) -> None:
    folder = _folder(tmp_path)
    _age(folder)
    expected = _snapshot(load_paths([folder]))
    location = quizapp_home / INDEX_FILENAME
    if damage == "garbage":
        location.write_bytes(b"\x00not sqlite\xff" * 500)
    elif damage == "empty":
        location.write_bytes(b"")
    elif damage == "other-version":
        with sqlite3.connect(location) as conn:
            conn.execute("UPDATE meta SET value = 'format=0' WHERE key = 'stamp'")
    else:
        with sqlite3.connect(location) as conn:
            conn.execute("DROP TABLE files")
            conn.execute("CREATE TABLE files (x)")
    parses.clear()
    assert _snapshot(load_paths([folder])) == expected
    assert len(parses) == 3 or damage == "empty"  # an empty file is a fresh index
    parses.clear()
    assert _snapshot(load_paths([folder])) == expected
    assert parses == []  # and it serves the next start


@pytest.mark.parametrize(
    "record",
    [
        "not json",
        '{"rows": 5}',
        '{"rows": [[1, 2]]}',
        '{"deck": "demo", "rows": [["demo.0-0", "flashcard", null, 7, null, 1]]}',
        '{"deck": "demo", "columns": [["demo.0-0"], ["flashcard"], [null], [[7]], [null], [1]]}',
        '{"deck": "demo", "columns": [["demo.0-0"], ["flashcard"], [null], [], [null], [1]]}',
        '{"deck": "demo", "columns": [[1], ["flashcard"], [null], [[]], [null], [1]]}',
    ],
    ids=[
        "not-json",
        "rows-not-a-list",
        "short-row",
        "tags-not-a-list",
        "a-tag-not-a-string",
        "columns-of-other-lengths",
        "an-id-not-a-string",
    ],
)
def test_a_record_we_did_not_write_is_replaced(
    tmp_path: Path, quizapp_home: Path, parses: list[str], record: str
) -> None:
    folder = _folder(tmp_path)
    _age(folder)
    expected = _snapshot(load_paths([folder]))
    with sqlite3.connect(quizapp_home / INDEX_FILENAME) as conn:
        conn.execute("UPDATE files SET record = ?", (record,))
    parses.clear()
    assert _snapshot(load_paths([folder])) == expected
    assert parses
    parses.clear()
    assert _snapshot(load_paths([folder])) == expected
    assert parses == []


def test_items_from_the_index_equal_a_real_parse_of_the_shipped_decks(
    parses: list[str],
) -> None:
    real = load_paths([SHIPPED], index=False)
    load_paths([SHIPPED])  # builds the index
    parses.clear()
    cached = load_paths([SHIPPED])
    assert parses == []
    assert _snapshot(cached) == _snapshot(real)
    # the topic of the file applies to items that have none, as in a real parse
    assert all(e.item.topic == real.items[e.id].item.topic for e in cached.items.values())


def test_files_with_errors_keep_their_located_messages(tmp_path: Path, parses: list[str]) -> None:
    folder = _folder(tmp_path)
    (folder / "bad.toml").write_text(HEAD + CARD.format(n=9) + "colour = 1\n", encoding="utf-8")
    (folder / "dup.toml").write_text(HEAD.replace("Demo", "Other") + CARD.format(n="0-0"))
    (folder / "markup.toml").write_text(
        HEAD + CARD.format(n="m").replace('"Am"', '"a[i] is x"'), encoding="utf-8"
    )
    _age(folder)
    real = load_paths([folder], index=False)
    assert real.errors and real.warnings
    load_paths([folder])
    parses.clear()
    cached = load_paths([folder])
    assert parses == []
    assert [str(p) for p in cached.problems] == [str(p) for p in real.problems]
    assert cached.skipped == real.skipped and cached.notice == real.notice


def test_nothing_is_written_without_a_data_dir(tmp_path: Path, monkeypatch) -> None:
    home = tmp_path / "not-yet"
    monkeypatch.setenv("QUIZAPP_HOME", str(home))
    catalog = load_paths([SHIPPED])
    assert catalog.items and not home.exists()


def test_a_lost_or_tampered_body_is_read_from_the_file(tmp_path: Path, quizapp_home: Path) -> None:
    folder = _folder(tmp_path, files=1)
    _age(folder)
    load_paths([folder])
    catalog = load_paths([folder])
    with sqlite3.connect(quizapp_home / INDEX_FILENAME) as conn:
        conn.execute("""UPDATE files SET bodies = '[{"id": "demo.0-0", "front": 5}]'""")
    assert catalog.items["demo.0-0"].item.front == "Q0-0"  # invalid: re-read
    with sqlite3.connect(quizapp_home / INDEX_FILENAME) as conn:
        conn.execute("DELETE FROM files")
    assert catalog.items["demo.0-1"].item.back == "A0-1"  # gone: re-read


def test_a_deleted_index_is_not_created_again_by_a_late_read(
    tmp_path: Path, quizapp_home: Path
) -> None:
    folder = _folder(tmp_path, files=1)
    _age(folder)
    load_paths([folder])
    catalog = load_paths([folder])
    (quizapp_home / INDEX_FILENAME).unlink()
    assert catalog.items["demo.0-0"].item.front == "Q0-0"
    assert not (quizapp_home / INDEX_FILENAME).exists()


def test_an_unusable_index_location_only_costs_the_parse(
    tmp_path: Path, quizapp_home: Path
) -> None:
    (quizapp_home / INDEX_FILENAME).mkdir()  # a folder where the file should be
    folder = _folder(tmp_path)
    assert ContentIndex.open() is None
    assert len(load_paths([folder]).items) == 6


def test_check_validates_for_real_unless_cache(tmp_path: Path, parses: list[str]) -> None:
    from quizapp.cli import main

    folder = _folder(tmp_path)
    _age(folder)
    load_paths([folder])
    parses.clear()
    assert main(["check", "--no-shipped", str(folder)]) == 0
    assert sorted(parses) == ["0.toml", "1.toml", "2.toml"]
    parses.clear()
    assert main(["check", "--no-shipped", "--cache", str(folder)]) == 0
    assert parses == []


def test_the_stamp_follows_the_deck_checking_code(monkeypatch: pytest.MonkeyPatch) -> None:
    stamp = content_index.code_stamp()
    monkeypatch.setattr(content_index, "FORMAT", content_index.FORMAT + 1)
    assert content_index.code_stamp() != stamp


@pytest.mark.parametrize(
    "text",
    [
        HEAD + CARD.format(n=1) + CARD.format(n=2),
        HEAD + '\n  [[ flashcard ]]  # indented, spaced\nid = "demo.1"\nfront = "Q"\nback = "A"\n',
        HEAD + 'description = """\n[[flashcard]]\n"""\n' + CARD.format(n=1),
        HEAD + CARD.format(n=1) + '\n[["flashcard"]]\nid = "demo.2"\nfront = "Q"\nback = "A"\n',
        HEAD + CARD.format(n=1).replace('"A1"', '"""\n[[trap]]\n"""') + CARD.format(n=2),
    ],
    ids=["plain", "spaced", "header-in-string", "quoted-name", "header-in-item-text"],
)
def test_item_lines_are_the_real_parse_lines(tmp_path: Path, text: str) -> None:
    path = tmp_path / "d.toml"
    path.write_text(text, encoding="utf-8")
    catalog = load_paths([path], index=False)
    assert not catalog.errors, catalog.errors
    full = TomlIndex(text)
    assert [e.line for e in catalog.items.values()] == full.arrays["flashcard"]


def test_the_quick_header_search_agrees_with_the_full_pass_on_the_shipped_decks() -> None:
    for path in sorted(SHIPPED.rglob("*.toml")):
        text = path.read_text(encoding="utf-8")
        assert array_header_lines(text) == TomlIndex(text).arrays, path


def test_a_changed_drill_kind_invalidates_the_index(tmp_path: Path) -> None:
    """An upgrade that changes a drill kind's parameters (engine/drills/<kind>.py, not the
    registry engine/drills/catalog.py) must not leave a warm index serving an item checked
    against the old ones. Run on a copy of the package, in fresh interpreters."""
    code = tmp_path / "code"
    ignore = shutil.ignore_patterns("__pycache__")
    shutil.copytree(ROOT / "quizapp", code / "quizapp", ignore=ignore)
    deck = tmp_path / "deck"
    deck.mkdir()
    drill = '\n[[drill]]\nid = "demo.sgd"\ndrill = "sgd"\nparams = { weight_decay = 0.0 }\n'
    (deck / "d.toml").write_text(HEAD + drill, encoding="utf-8")
    home = tmp_path / "home"
    home.mkdir()  # the index is written only where the data dir exists
    load = (
        "import sys; from pathlib import Path; from quizapp.decks.loader import load_paths; "
        "c = load_paths([Path(sys.argv[1])]); print(len(c.items), [p.field for p in c.errors])"
    )

    def run() -> str:
        result = subprocess.run(
            [sys.executable, "-c", load, str(deck)],
            cwd=code,
            capture_output=True,
            text=True,
            timeout=60,
            env={"QUIZAPP_HOME": str(home), "PATH": "/usr/bin:/bin", "PYTHONPATH": str(code)},
        )
        assert result.returncode == 0, result.stderr[-2000:]
        return result.stdout.strip().splitlines()[-1]

    assert run() == "1 []"
    assert (home / INDEX_FILENAME).is_file()
    kind = code / "quizapp" / "engine" / "drills" / "sgd_family.py"
    source = kind.read_text(encoding="utf-8")
    old = 'Param("weight_decay", "λ"'
    assert source.count(old) == 1
    kind.write_text(source.replace(old, 'Param("l2", "λ"'), encoding="utf-8")  # the upgrade
    assert run() == "0 ['drill[1].params']"
