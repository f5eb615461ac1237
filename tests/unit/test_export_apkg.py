"""The .apkg genanki writes, read back with sqlite3: note types with fixed ids, fields,
tags, GUIDs and Unicode as exported (skipped without the anki-export extra)."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from pathlib import Path

import pytest

from quizapp.decks.loader import load_catalog
from quizapp.interop.cards import NOTE_TYPES, notes

genanki = pytest.importorskip("genanki")

from quizapp.interop.anki_export import write_apkg  # noqa: E402


def _read(apkg: Path, tmp_path: Path) -> sqlite3.Connection:
    with zipfile.ZipFile(apkg) as z:
        z.extract("collection.anki2", tmp_path)
    return sqlite3.connect(tmp_path / "collection.anki2")


def test_apkg_holds_every_note_as_exported(tmp_path: Path) -> None:
    exported = notes(load_catalog(), topic="adam")
    apkg = write_apkg(exported, tmp_path / "adam.apkg")
    db = _read(apkg, tmp_path)
    rows = {
        guid: (mid, flds.split("\x1f"), tags.split())
        for guid, mid, flds, tags in db.execute("SELECT guid, mid, flds, tags FROM notes")
    }
    assert len(rows) == len(exported)
    for note in exported:
        mid, fields, tags = rows[note.guid]
        assert mid == note.note_type.model_id
        assert fields == list(note.fields)  # HTML and Unicode (θ, β₁, √v̂) byte for byte
        assert set(tags) == set(note.tags)
    models = json.loads(db.execute("SELECT models FROM col").fetchone()[0])
    assert {int(m) for m in models} == {t.model_id for t in NOTE_TYPES.values()}
    by_id = {t.model_id: t for t in NOTE_TYPES.values()}
    for model_id, model in models.items():
        assert [f["name"] for f in model["flds"]] == list(by_id[int(model_id)].fields)
    decks = json.loads(db.execute("SELECT decks FROM col").fetchone()[0])
    names = {d["name"] for d in decks.values()}
    assert {"Optimizers::Flashcards", "Optimizers::Traps", "Optimizers::Drill samples"} <= names
    assert any("θ" in n.field("Back") for n in exported if n.note_type.key == "flashcard")
    db.close()


def test_a_failed_write_leaves_the_old_export(tmp_path: Path, monkeypatch) -> None:
    exported = notes(load_catalog(), topic="adam")
    target = write_apkg(exported, tmp_path / "a.apkg")
    before = target.read_bytes()

    def broken(self, file, timestamp=None):  # type: ignore[no-untyped-def]
        Path(file).write_bytes(b"half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(genanki.Package, "write_to_file", broken)
    with pytest.raises(OSError):
        write_apkg(exported, target)
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["a.apkg"]
