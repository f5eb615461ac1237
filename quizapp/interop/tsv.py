"""Anki's text format ("Notes in Plain Text"), written for Anki's own *Import File*.

Every note of :mod:`quizapp.interop.cards` becomes one row for Anki's built-in *Basic* note
type (Front, Back), its card templates filled in, so the file imports into any collection
without quizapp's note types::

    #separator:tab
    #html:true
    #notetype:Basic
    #columns:GUID	Deck	Front	Back	Tags
    #guid column:1
    #deck column:2
    #tags column:5
    qz3f…	Optimizers::Flashcards	<div class="question">What is…</div>	…	adam formula quizapp::flashcard

The GUID is the one the ``.apkg`` export gives the same note, so importing again updates the
notes. A field never holds a tab or a newline (HTML uses ``<br>``); a field that starts with a
quote is quoted as CSV does, which is how Anki reads it.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Sequence
from pathlib import Path

from quizapp.interop.cards import Note, NoteType

__all__ = ["basic_sides", "render_tsv", "write_tsv"]

HEADERS = (
    "#separator:tab",
    "#html:true",
    "#notetype:Basic",
    "#columns:GUID\tDeck\tFront\tBack\tTags",
    "#guid column:1",
    "#deck column:2",
    "#tags column:5",
)
_SECTION = re.compile(r"\{\{([#^])([^}]+)\}\}(.*?)\{\{/\2\}\}", re.S)
_FIELD = re.compile(r"\{\{([a-z]+:)?([^}#/^]+)\}\}")


def _fill(template: str, values: dict[str, str]) -> str:
    """A card template with the note's fields in (the subset of Anki's syntax we write)."""

    def section(m: re.Match[str]) -> str:
        present = bool(values.get(m.group(2), "").strip())
        return m.group(3) if present == (m.group(1) == "#") else ""

    def field(m: re.Match[str]) -> str:
        value = values.get(m.group(2), "")
        if m.group(1) == "hint:" and value:  # Anki's click-to-show hint, in plain HTML
            return f"<details><summary>Hint</summary>{value}</details>"
        return value

    text = _SECTION.sub(section, template)
    return _FIELD.sub(field, text)


def basic_sides(note: Note) -> tuple[str, str]:
    """The note as the Front and Back of Anki's *Basic* note type (HTML)."""
    note_type: NoteType = note.note_type
    values = dict(zip(note_type.fields, note.fields, strict=True))
    front = _fill(note_type.front, values)
    back = _fill(note_type.back, {**values, "FrontSide": ""})
    back = back.removeprefix('<hr id="answer">')
    return front, back


def _clean(field: str) -> str:
    return field.replace("\t", " ").replace("\r\n", "<br>").replace("\n", "<br>").replace("\r", "")


def render_tsv(notes: Sequence[Note]) -> str:
    """The whole file as text (headers, then one row per note)."""
    out = io.StringIO()
    out.write("\n".join(HEADERS) + "\n")
    writer = csv.writer(out, delimiter="\t", quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    for note in notes:
        front, back = basic_sides(note)
        writer.writerow(
            [note.guid, note.deck_name, _clean(front), _clean(back), " ".join(note.tags)]
        )
    return out.getvalue()


def write_tsv(notes: Sequence[Note], path: Path) -> Path:
    """Write :func:`render_tsv` to ``path`` (UTF-8), via a temporary file renamed into place."""
    path = Path(path)
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        partial.write_text(render_tsv(notes), encoding="utf-8")
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return path
