"""Write the notes of :mod:`quizapp.interop.cards` as an Anki package (``.apkg``), with
genanki (MIT; the optional extra ``quizapp[anki-export]``).

The package is written to a temporary file beside the target and renamed into place, so a
failed export never leaves half a file where an older export was.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from quizapp.interop.cards import Note, NoteType

__all__ = ["INSTALL_HINT", "GenankiMissing", "write_apkg"]

INSTALL_HINT = "python -m pip install 'quizapp[anki-export]'  (or: python -m pip install genanki)"


class GenankiMissing(Exception):
    """The optional genanki package is not installed."""


def _genanki():  # type: ignore[no-untyped-def]
    try:
        import genanki
    except ImportError as exc:
        raise GenankiMissing(f"writing .apkg files needs genanki: {INSTALL_HINT}") from exc
    return genanki


def write_apkg(
    notes: Sequence[Note],
    path: Path,
    *,
    descriptions: dict[str, str] | None = None,
    timestamp: float | None = None,
) -> Path:
    """Write ``notes`` to ``path`` (an ``.apkg``); ``descriptions``: Anki deck name → text.

    ``timestamp`` (epoch seconds, default now) is the notes' modification time: Anki updates
    an existing note on import only when the package's copy is newer."""
    genanki = _genanki()
    models: dict[str, object] = {}
    decks: dict[int, object] = {}
    for note in notes:
        model = models.get(note.note_type.key)
        if model is None:
            model = models[note.note_type.key] = _model(genanki, note.note_type)
        deck = decks.get(note.deck_id)
        if deck is None:
            deck = decks[note.deck_id] = genanki.Deck(
                note.deck_id, note.deck_name, (descriptions or {}).get(note.deck_name, "")
            )
        deck.add_note(  # type: ignore[attr-defined]
            genanki.Note(
                model=model, fields=list(note.fields), tags=list(note.tags), guid=note.guid
            )
        )
    package = genanki.Package(list(decks.values()))
    path = Path(path)
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        package.write_to_file(partial, timestamp=timestamp)
        os.replace(partial, path)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
    return path


def _model(genanki, note_type: NoteType):  # type: ignore[no-untyped-def]
    return genanki.Model(
        note_type.model_id,
        note_type.name,
        fields=[{"name": name} for name in note_type.fields],
        templates=[
            {"name": note_type.template_name, "qfmt": note_type.front, "afmt": note_type.back}
        ],
        css=note_type.css,
        sort_field_index=0,
    )
