"""The export as the real Anki client sees it: Anki's own importer (the ``anki`` package,
AGPL: installed in CI for this test only, never a dependency of quizapp).

A fresh collection imports the .apkg; the notes come back with their fields, tags, GUIDs and
Unicode; importing an edited, newer export updates the notes instead of adding copies; the
text export imports through Anki's CSV importer with its headers honoured.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from quizapp.decks.loader import load_paths
from quizapp.interop.anki_export import write_apkg
from quizapp.interop.cards import notes
from quizapp.interop.tsv import write_tsv

# ``anki`` is imported by the tests that use it, not at collection: every xdist worker
# collects this module, and the import costs ~0.3 s of CPU (protobuf, requests, …)
pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("anki") is None or importlib.util.find_spec("genanki") is None,
    reason="could not import 'anki' and 'genanki'",
)

DECK = """
deck = "anki-check"
title = "Anki check"
topic = "adam"

[[flashcard]]
id = "anki-check.bias"
tags = ["formula", "weight-decay"]
front = "Why does [b]Adam[/b] need bias correction? m̂ = m/(1 − β₁ᵗ)"
back = "m₀ = v₀ = 0, so early averages lean toward 0 — θ ← θ − η·m̂/(√v̂ + ε)."

[[trap]]
id = "anki-check.trap"
claim = "AdamW and Adam + L2 are the same."
why_wrong = "L2 is rescaled by √v̂; decoupled decay is not."
correct = "They differ for adaptive optimizers."
distractors = ["SGD + L2 equals decoupled decay up to η.", "AdamW subtracts ηλθ directly."]

[[drill]]
id = "anki-check.drill"
drill = "adam"
"""


def _catalog(tmp_path: Path, text: str = DECK):
    path = tmp_path / "deck" / "anki-check.toml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    catalog = load_paths([path])
    assert catalog.ok, catalog.problems
    return catalog


@pytest.fixture
def collection(tmp_path: Path):
    from anki.collection import Collection

    (tmp_path / "anki").mkdir()
    col = Collection(str(tmp_path / "anki" / "collection.anki2"))
    yield col
    col.close()


def _import_apkg(col, path: Path):  # type: ignore[no-untyped-def]
    from anki.import_export_pb2 import ImportAnkiPackageOptions, ImportAnkiPackageRequest

    request = ImportAnkiPackageRequest(
        package_path=str(path), options=ImportAnkiPackageOptions(with_scheduling=False)
    )
    return col.import_anki_package(request).log


def _by_guid(col) -> dict[str, object]:  # type: ignore[no-untyped-def]
    return {col.get_note(nid).guid: col.get_note(nid) for nid in col.find_notes("")}


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
def test_anki_imports_the_apkg_and_updates_on_reimport(tmp_path: Path, collection) -> None:
    exported = notes(_catalog(tmp_path))
    first = write_apkg(exported, tmp_path / "first.apkg", timestamp=1_800_000_000)
    log = _import_apkg(collection, first)
    assert len(log.new) == len(exported) == 4 and not log.updated
    found = _by_guid(collection)
    assert set(found) == {n.guid for n in exported}
    for note in exported:
        anki_note = found[note.guid]
        assert list(anki_note.keys()) == list(note.note_type.fields)
        assert [anki_note[f] for f in note.note_type.fields] == list(note.fields)
        assert sorted(anki_note.tags) == sorted(note.tags)
        assert anki_note["Id"] == note.item_id
    card = found[exported[0].guid]
    assert "m̂ = m/(1 − β₁ᵗ)" in card["Front"] and "<b>Adam</b>" in card["Front"]
    assert "√v̂ + ε" in card["Back"]
    names = {d.name for d in collection.decks.all_names_and_ids()}
    assert {"Anki check::Flashcards", "Anki check::Traps", "Anki check::Drill samples"} <= names

    # edit the deck, export again later: the same notes are updated, none is added
    edited = _catalog(tmp_path, DECK.replace("lean toward 0", "are biased toward 0"))
    again = write_apkg(notes(edited), tmp_path / "second.apkg", timestamp=1_800_000_600)
    log = _import_apkg(collection, again)
    assert not log.new and collection.note_count() == 4
    assert len(log.updated) == 4 and not log.duplicate
    assert "are biased toward 0" in _by_guid(collection)[exported[0].guid]["Back"]


def test_anki_imports_the_text_export_with_its_headers(tmp_path: Path, collection) -> None:
    from anki.import_export_pb2 import ImportCsvRequest

    exported = notes(_catalog(tmp_path))
    path = write_tsv(exported, tmp_path / "notes.txt")
    metadata = collection.get_csv_metadata(path=str(path), delimiter=None)
    assert metadata.is_html and metadata.guid_column == 1 and metadata.tags_column == 5
    log = collection.import_csv(ImportCsvRequest(path=str(path), metadata=metadata)).log
    assert len(log.new) == 4
    found = _by_guid(collection)
    assert set(found) == {n.guid for n in exported}
    flashcard = found[exported[0].guid]
    assert "m̂ = m/(1 − β₁ᵗ)" in flashcard["Front"]
    assert sorted(flashcard.tags) == sorted(exported[0].tags)
    # importing the same file again updates (same GUIDs), it does not duplicate
    collection.import_csv(ImportCsvRequest(path=str(path), metadata=metadata))
    assert collection.note_count() == 4
