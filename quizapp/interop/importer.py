"""Tables of cards in (TSV/CSV: Anki's text export, Quizlet's export, a spreadsheet) and a
user deck TOML out.

:func:`read_table` reads the rows: Anki's ``#`` headers (``#separator:``, ``#html:``,
``#columns:``, ``#tags column:``, ``#guid column:``, ``#notetype column:``, ``#deck column:``,
``#tags:``) when present, else the separator is sniffed (tab, comma, semicolon, pipe) and a
first row named like ``front,back`` / ``question,answer`` / ``term,definition`` is taken as
column names. Every row becomes a flashcard (front, back; a third column, or one named
hint/extra/notes, becomes the hint or the note shown after the answer; a column named
tags holds tags); a bad row is reported with its line and the good rows are kept.

:func:`build` turns the rows into a deck file that ``quizapp check`` accepts: ids stable
from the content (the Anki GUID when the file has one, else the question), Anki's HTML as
deck text (:func:`quizapp.interop.markup.from_html`), a literal ``[`` escaped for Rich.
:func:`write` puts it in the user's deck folder, backing up a file it replaces.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import tempfile
from collections.abc import Collection
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from quizapp.decks.controls import describe, find_control
from quizapp.decks.models import ID_PATTERN
from quizapp.interop.markup import from_html, styled

__all__ = [
    "DeckPlan",
    "ImportProblem",
    "ImportedCard",
    "Table",
    "TableError",
    "build",
    "deck_id_for",
    "item_id",
    "problems_of",
    "read_table",
    "write",
]

_SEPARATORS = {
    "tab": "\t",
    "comma": ",",
    "semicolon": ";",
    "space": " ",
    "pipe": "|",
    "colon": ":",
}
_FRONT = {"front", "question", "term", "text", "word", "prompt", "q"}
_BACK = {"back", "answer", "definition", "meaning", "a", "response"}
_HINT = {"hint", "clue"}
_TAGS = {"tags", "tag"}
_MORE = {"extra", "back extra", "notes", "note", "more", "explanation", "deeper", "comment"}
_LOOKS_HTML = re.compile(
    r"<\s*/?\s*(b|i|u|s|br|div|p|span|strong|em|ul|ol|li|sub|sup|font|img|a)\b[^>]*>|&(nbsp|amp|lt|gt|quot);",
    re.IGNORECASE,
)
MAX_BYTES = 50 * 1024 * 1024


class TableError(Exception):
    """The file cannot be imported at all (missing, not text, no rows); located message."""


@dataclass(frozen=True)
class ImportProblem:
    """One row that was not imported (or a note about the file): where and why."""

    path: str
    line: int | None
    message: str
    severity: str = "error"  # "error": the row is skipped; "warning": imported anyway

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{where}: {self.severity}: {self.message}"


@dataclass(frozen=True)
class ImportedCard:
    """One good row as deck text (Rich markup), with the line it starts on."""

    line: int
    front: str
    back: str
    hint: str | None = None
    deeper: str | None = None
    source: str | None = None
    tags: tuple[str, ...] = ()
    key: str = ""  # what the id is made from: the Anki GUID, else the question


@dataclass
class Table:
    """What :func:`read_table` found: the cards, the problems and how the file was read."""

    path: str
    cards: list[ImportedCard] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    separator: str = "\t"
    html: bool = False
    source: str = "table"  # "Anki text export" or "table"
    warned_extra: bool = False  # the "column N not imported" warning is given once


# ------------------------------------------------------------------------- reading
def read_table(path: Path) -> Table:
    """Read the rows of a TSV/CSV file. :class:`TableError` when nothing can be read."""
    where = str(path)
    if not path.exists():
        raise TableError(f"{where}: no such file")
    if path.is_dir():
        raise TableError(f"{where}: is a folder; give the exported .txt/.tsv/.csv file")
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise TableError(f"{where}: {size:,} bytes is more than a deck of cards (50 MB)")
        raw = path.read_bytes()
    except OSError as exc:
        raise TableError(f"{where}: cannot read the file: {exc.strerror or exc}") from exc
    if raw.startswith(b"PK\x03\x04"):
        raise TableError(
            f"{where}: is a zip file (an .apkg or a spreadsheet), not text; export the notes "
            "as plain text (Anki: Notes in Plain Text; a spreadsheet: Save as CSV UTF-8)"
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise TableError(
            f"{where}:{line}: byte 0x{raw[exc.start]:02x} is not UTF-8; save the file as "
            "UTF-8 (in a spreadsheet: CSV UTF-8) and import again"
        ) from None
    if "\x00" in text:
        raise TableError(f"{where}: holds NUL bytes: not a text export")
    table = Table(where)
    lines = text.splitlines(keepends=True)
    headers, body_start = _headers(lines)
    if headers:
        table.source = "Anki text export"
    body = "".join(lines[body_start:])
    table.separator = _separator(headers.get("separator"), body, table)
    html_header = headers.get("html")
    columns = _columns(headers, table)
    rows = list(_rows(body, table.separator, body_start, table))
    if not rows:
        raise TableError(f"{where}: no rows to import (an empty file, or only # headers)")
    names = headers.get("columns")
    if names is None and _is_header_row(rows[0][1]):
        names = rows[0][1]
        rows = rows[1:]
    if isinstance(names, list) and "tags" not in columns:
        # a column headed "tags" holds tags, as Anki's "#tags column:" does
        named = [i for i, name in enumerate(names) if name.strip().lower() in _TAGS]
        if named:
            columns["tags"] = named[0]
    fields = _field_roles(names, columns, table)
    table.html = html_header == "true" if html_header is not None else False
    seen: dict[str, int] = {}  # card key -> the line it was first read on
    answers: dict[str, str] = {}  # a question's key -> its first card's answer
    for line, values in rows:
        card = _card(table, line, values, columns, fields, headers, html_header is not None)
        if card is None:
            continue
        if card.key.startswith("front:") and card.key in answers:
            answer = _normalize(styled(card.back).plain)
            if answer != answers[card.key]:
                # The first card of a question keeps the id made from the question alone
                # (a card imported before keeps its id and progress); a later one with
                # another answer gets an id from question and answer.
                first = seen[card.key]
                card = replace(card, key=f"{card.key}\nback:{answer}")
                if card.key not in seen:
                    table.problems.append(
                        ImportProblem(
                            where,
                            line,
                            f"the same question as line {first} with another answer; "
                            "both kept as separate cards",
                            "warning",
                        )
                    )
        first = seen.get(card.key)
        if first is not None:
            table.problems.append(
                ImportProblem(where, line, f"the same card as line {first}; kept the first")
            )
            continue
        seen[card.key] = line
        if card.key.startswith("front:"):
            answers[card.key] = _normalize(styled(card.back).plain)
        table.cards.append(card)
    return table


def _headers(lines: list[str]) -> tuple[dict[str, object], int]:
    """Anki's ``#key:value`` lines at the top (lower-cased keys) and where the rows start."""
    found: dict[str, object] = {}
    index = 0
    for index, line in enumerate(lines):  # noqa: B007 - the index is the result
        stripped = line.strip()
        match = re.fullmatch(r"#([a-z ]+):(.*)", stripped, re.IGNORECASE)
        if not match:
            break
        key, value = match.group(1).strip().lower(), match.group(2)
        if key == "columns":
            found[key] = value  # split once the separator is known
        else:
            found[key] = value.strip().lower() if key in ("separator", "html") else value.strip()
    else:
        index = len(lines)
    return found, index


def _separator(declared: object, body: str, table: Table) -> str:
    if isinstance(declared, str) and declared:
        if declared in _SEPARATORS:
            return _SEPARATORS[declared]
        if len(declared) == 1:
            return declared
        table.problems.append(
            ImportProblem(
                table.path, 1, f"unknown #separator:{declared}; reading as tab", "warning"
            )
        )
        return "\t"
    sample = "\n".join(body.splitlines()[:50])
    if "\t" in sample:
        return "\t"
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;|").delimiter
    except csv.Error:
        return ","


def _columns(headers: dict[str, object], table: Table) -> dict[str, int]:
    """0-based positions of Anki's meta columns (guid, notetype, deck, tags)."""
    out: dict[str, int] = {}
    for name in ("guid", "notetype", "deck", "tags"):
        value = headers.get(f"{name} column")
        if value is None:
            continue
        if isinstance(value, str) and value.isdigit() and int(value) >= 1:
            out[name] = int(value) - 1
        else:
            table.problems.append(
                ImportProblem(
                    table.path,
                    None,
                    f"#{name} column:{value} is not a column number; ignored",
                    "warning",
                )
            )
    columns = headers.get("columns")
    if isinstance(columns, str):
        headers["columns"] = next(csv.reader([columns], delimiter=table.separator), [])
    return out


def _rows(body: str, separator: str, offset: int, table: Table):  # type: ignore[no-untyped-def]
    reader = csv.reader(io.StringIO(body, newline=""), delimiter=separator, strict=False)
    previous = 0
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            table.problems.append(
                ImportProblem(table.path, offset + reader.line_num, f"unreadable row: {exc}")
            )
            previous = reader.line_num
            continue
        line = offset + previous + 1
        previous = reader.line_num
        if any(v.strip() for v in values):
            yield line, values


def _is_header_row(values: list[str]) -> bool:
    names = [v.strip().lower() for v in values if v.strip()]
    return len(names) >= 2 and names[0] in _FRONT and names[1] in _BACK


def _field_roles(names: object, columns: dict[str, int], table: Table) -> dict[str, int]:
    """Which column holds the front, back, hint and the note after the answer."""
    meta = {v for v in columns.values()}
    if isinstance(names, list) and names:
        roles: dict[str, int] = {}
        for index, name in enumerate(names):
            if index in meta:
                continue
            key = name.strip().lower()
            for role, words in (
                ("front", _FRONT),
                ("back", _BACK),
                ("hint", _HINT),
                ("deeper", _MORE),
            ):
                if key in words and role not in roles:
                    roles[role] = index
        free = [i for i in range(len(names)) if i not in meta and i not in roles.values()]
        for role in ("front", "back"):
            if role not in roles and free:
                roles[role] = free.pop(0)
        return roles
    free = [i for i in range(64) if i not in meta]
    return {"front": free[0], "back": free[1], "deeper": free[2]}


def _card(
    table: Table,
    line: int,
    values: list[str],
    columns: dict[str, int],
    roles: dict[str, int],
    headers: dict[str, object],
    html_declared: bool,
) -> ImportedCard | None:
    def cell(index: int | None) -> str:
        return values[index] if index is not None and index < len(values) else ""

    notetype = cell(columns.get("notetype"))
    if "cloze" in notetype.lower():
        table.problems.append(
            ImportProblem(table.path, line, f"a {notetype!r} note: cloze cards are not imported")
        )
        return None
    used = {*columns.values(), *roles.values()}
    given = [v for i, v in enumerate(values) if i not in columns.values() and v.strip()]
    if (
        len(given) < 2
        or not cell(roles.get("front")).strip()
        or not cell(roles.get("back")).strip()
    ):
        sep = {"\t": "a tab", ",": "a comma", ";": "a semicolon"}.get(
            table.separator, repr(table.separator)
        )
        table.problems.append(
            ImportProblem(
                table.path,
                line,
                f"needs a question and an answer separated by {sep}; found "
                f"{len(given)} non-empty field{'s' if len(given) != 1 else ''}",
            )
        )
        return None
    extra = [i for i, v in enumerate(values) if i not in used and v.strip()]
    if extra and not table.warned_extra:
        table.warned_extra = True
        table.problems.append(
            ImportProblem(
                table.path,
                line,
                f"column{'s' if len(extra) > 1 else ''} {', '.join(str(i + 1) for i in extra)} "
                "not imported (only the question, answer, hint and a note are)",
                "warning",
            )
        )

    def text(index: int | None) -> str:
        raw = cell(index)
        is_html = table.html if html_declared else bool(_LOOKS_HTML.search(raw))
        return from_html(raw, is_html=is_html)

    parts = _our_export(cell(roles.get("front")), cell(roles.get("back")))
    if parts is not None and (table.html or not html_declared):
        # quizapp's own --tsv export: its Basic sides hold the note's fields in divs
        front, back, hint, deeper, source = (from_html(v) if v else "" for v in parts)
    else:
        front, back = text(roles.get("front")), text(roles.get("back"))
        hint, deeper, source = text(roles.get("hint")), text(roles.get("deeper")), ""
    for name, value in (("question", front), ("answer", back)):
        if not styled(value).plain.strip():
            table.problems.append(
                ImportProblem(
                    table.path,
                    line,
                    f"the {name} is empty once HTML is removed (images and sounds are not imported)",
                )
            )
            return None
    for name, value in (
        ("question", front),
        ("answer", back),
        ("hint", hint),
        ("note", deeper),
        ("source", source),
    ):
        found = find_control(value or "")
        if found is not None:  # refused, not stripped: what an escape leaves is garbage text
            table.problems.append(
                ImportProblem(
                    table.path,
                    line,
                    f"the {name} holds the control character {describe(found[1])}, which "
                    "would act on the terminal; the row is not imported (remove the control "
                    f"character U+{ord(found[1]):04X})",
                )
            )
            return None
    tags = [*str(headers.get("tags", "")).split(), *cell(columns.get("tags")).split()]
    guid = cell(columns.get("guid")).strip()
    return ImportedCard(
        line=line,
        front=front,
        back=back,
        hint=hint or None,
        deeper=deeper or None,
        source=source or None,
        tags=tuple(dict.fromkeys(_tag(t) for t in tags if _tag(t))),
        key=f"guid:{guid}" if guid else f"front:{_normalize(styled(front).plain)}",
    )


_DIV = re.compile(r"<div\b[^>]*>|</div\s*>", re.IGNORECASE)
_DIV_CLASS = re.compile(r"""<div\s+class=(["'])([\w-]+)\1\s*>""", re.IGNORECASE)
_HINT_WRAPPER = re.compile(
    r"^\s*<details>\s*<summary>Hint</summary>(.*)</details>\s*$", re.IGNORECASE | re.DOTALL
)


def _take_divs(html: str, names: Collection[str] | None = None) -> tuple[dict[str, str], str]:
    """Take the top-level ``<div class="name">…</div>`` blocks whose class is in ``names``
    (every classed one when None) out of ``html``: their inner HTML by class (the first of
    a class), and the HTML left."""
    blocks: dict[str, str] = {}
    rest: list[str] = []
    depth, kept, outer, start, name = 0, 0, 0, 0, ""
    for m in _DIV.finditer(html):
        if m.group(0).startswith("</"):
            if depth == 1 and name:
                blocks.setdefault(name, html[start : m.start()])
                rest.append(html[kept:outer])
                kept = m.end()
            depth = max(0, depth - 1)
            continue
        if depth == 0:
            opened = _DIV_CLASS.fullmatch(m.group(0))
            name = opened.group(2).lower() if opened else ""
            if names is not None and name not in names:
                name = ""
            outer, start = m.start(), m.end()
        depth += 1
    rest.append(html[kept:])
    return blocks, "".join(rest)


def _our_export(front: str, back: str) -> tuple[str, str, str, str, str] | None:
    """A row of ``quizapp export --tsv`` (Anki's Basic Front/Back filled from our note
    types, :mod:`quizapp.interop.tsv`) split back into front, back, hint, the note after
    the answer and the source (HTML). The item-id footer that ends every note's back
    identifies such a row; the id is not content (the GUID column keys the card).
    None for any other row."""
    back_divs, back_rest = _take_divs(back)
    if "id" not in back_divs:
        return None
    front_divs, front_rest = _take_divs(front)
    hint = front_divs.get("hint", "")
    wrapped = _HINT_WRAPPER.match(hint)
    if wrapped:
        hint = wrapped.group(1)
    if set(front_divs) <= {"question", "hint"} and not front_rest.strip():
        front_html = front_divs.get("question", "")  # a flashcard: the question alone
    else:  # a trap or a drill sample: the whole front but the hint
        front_html = _take_divs(front, {"hint"})[1]
    if set(back_divs) <= {"answer", "more", "source", "id"} and not back_rest.strip():
        back_html, deeper = back_divs.get("answer", ""), back_divs.get("more", "")
    else:
        back_html, deeper = _take_divs(back, {"source", "id"})[1], ""
    source = re.sub(r"^\s*Source:\s*", "", back_divs.get("source", ""))
    return front_html, back_html, hint, deeper, source


def _tag(text: str) -> str:
    # Anki's hierarchy (a::b) reads as a-b here; tags stay single words
    return re.sub(r"[^\w.\-]+", "-", text.replace("::", "-")).strip("-").lower()


def _normalize(text: str) -> str:
    return " ".join(text.lower().split())


# ------------------------------------------------------------------------ the deck
def deck_id_for(name: str) -> str:
    """The deck id for a deck named ``name`` (lowercase words joined by '-')."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60].strip("-")
    if not slug or not re.fullmatch(ID_PATTERN, slug):
        slug = "imported-" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]
    return slug


def item_id(deck: str, card: ImportedCard) -> str:
    """A card's id, stable from its content: with an Anki GUID, ``<deck>.anki-<hash of the
    GUID>`` (editing the note in Anki keeps it); else the question's first words and a hash
    of the question (editing the answer keeps it) — of question and answer for a second
    card with the same question and another answer (:func:`read_table` keeps both)."""
    digest = hashlib.sha256(card.key.encode("utf-8")).hexdigest()
    if card.key.startswith("guid:"):
        return f"{deck}.anki-{digest[:10]}"
    words = re.sub(r"[^a-z0-9]+", "-", styled(card.front).plain.lower()).strip("-")
    words = words[:48].rstrip("-") or "card"
    return f"{deck}.{words}-{digest[:6]}"


@dataclass(frozen=True)
class DeckPlan:
    """The deck file an import would write, and what it would replace."""

    deck: str
    title: str | None
    target: Path
    text: str
    cards: int
    replaces: bool  # a file is there already (it is backed up before writing)
    unchanged: bool  # ... with exactly this text


def build(table: Table, name: str, folder: Path, *, title_taken: bool = False) -> DeckPlan:
    """The deck TOML for ``table``'s cards, named ``name``, in ``folder``.

    ``title_taken``: the deck id already has a title in another file (don't repeat it).
    """
    import tomlkit

    deck = deck_id_for(name)
    doc = tomlkit.document()
    doc.add(
        tomlkit.comment(
            f"Imported by `quizapp import` from {Path(table.path).name} "
            f"({table.source}, {len(table.cards)} cards)."
        )
    )
    doc.add(tomlkit.comment("Importing again replaces this file; the old one is kept as a .bak."))
    doc.add("deck", deck)
    title = None if title_taken else name
    if title is not None:
        doc.add("title", title)
    cards = tomlkit.aot()
    for card in table.cards:
        item = tomlkit.table()
        item.add("id", item_id(deck, card))
        if card.tags:
            item.add("tags", list(card.tags))
        item.add("front", _string(card.front))
        item.add("back", _string(card.back))
        if card.hint:
            item.add("hint", _string(card.hint))
        if card.deeper:
            item.add("deeper", _string(card.deeper))
        if card.source:
            item.add("source", _string(card.source))
        cards.append(item)
    doc.add("flashcard", cards)
    text = tomlkit.dumps(doc)
    target = folder / f"{deck}.toml"
    replaces = target.exists()
    unchanged = replaces and _same_text(target, text)
    return DeckPlan(deck, title, target, text, len(table.cards), replaces, unchanged)


def _string(value: str):  # type: ignore[no-untyped-def]
    import tomlkit

    return tomlkit.string(value, multiline="\n" in value)


def _same_text(path: Path, text: str) -> bool:
    try:
        return path.read_text(encoding="utf-8") == text
    except (OSError, UnicodeDecodeError):
        return False


def problems_of(plan: DeckPlan) -> list[str]:
    """What ``quizapp check`` would say about the planned file on its own (should be none)."""
    from quizapp.decks.loader import load_paths

    with tempfile.TemporaryDirectory() as scratch:
        probe = Path(scratch) / plan.target.name
        probe.write_text(plan.text, encoding="utf-8")
        catalog = load_paths([probe])
        return [str(p).replace(str(probe), str(plan.target)) for p in catalog.errors]


def write(plan: DeckPlan, *, now: datetime | None = None) -> Path | None:
    """Write the planned deck file; returns the backup of the file it replaced (or None).

    The old file is copied to ``<name>.toml.<UTC stamp>.bak`` (not a deck file, so never
    loaded) before the new text is renamed into place.
    """
    plan.target.parent.mkdir(parents=True, exist_ok=True)
    saved: Path | None = None
    if plan.replaces:
        stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
        saved = plan.target.with_name(f"{plan.target.name}.{stamp}.bak")
        n = 1
        while saved.exists():
            saved = plan.target.with_name(f"{plan.target.name}.{stamp}-{n}.bak")
            n += 1
        saved.write_bytes(plan.target.read_bytes())
    partial = plan.target.with_name(f".{plan.target.name}.{os.getpid()}.partial")
    try:
        partial.write_text(plan.text, encoding="utf-8")
        os.replace(partial, plan.target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return saved
