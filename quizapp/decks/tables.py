"""Deck files and items' tables checked in plain Python, without pydantic.

A parsed deck file is validated by :func:`file_tables`: the deck fields, then each
table column by column (every item's value of one field at a time, in C-level loops),
then the traps' rules across fields. ``quizapp check`` (and any parse of a file) asks
the deck models (:mod:`quizapp.decks.models`) only about a file this refuses, for
their located messages: a 100,000-item library is validated in about a seventh of
what parsing it costs, where the models' validation cost a third, plus their import.

The tables the index keeps were validated when the file was read. The first card of a
start is shown from such a table: :func:`item_fields` checks its shape in plain Python (every
field known, each value of the type the model gives it, texts not blank, a trap's two
to five distractors) and fills in the models' defaults, so that no pydantic is imported
and no model is built before the first card is painted. A table that fails the check
(an index edited or corrupted by hand) gives None, and the caller builds the model
instead, which validates the table or reads the file again.

The models remain the definition: ``tests/unit/test_item_tables.py`` checks that the
fields, the required ones and the defaults here are theirs, and that every table (and
every file, bent every way) this check accepts the model accepts too, giving the same
values.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from itertools import chain, repeat
from typing import Any, NamedTuple

__all__ = [
    "DECK_FIELDS",
    "FIELDS",
    "ID_MAX",
    "ID_PATTERN",
    "REQUIRED",
    "TABLES",
    "TEXT_LISTS",
    "FileTables",
    "file_tables",
    "item_fields",
    "statement_key",
]

#: An item id (the models' ``ItemId``): lowercase letters, digits, '.', '-', '_'.
ID_PATTERN = r"^[a-z0-9][a-z0-9_.\-]*$"
ID_MAX = 120
#: What marks a field without a default.
REQUIRED: Any = object()

_ID = re.compile(ID_PATTERN)
_ID_BODY = ID_PATTERN.removeprefix("^").removesuffix("$")
# compiled (and kept by re) when a file is first parsed: a warm start parses none
_IDS = f"(?:{_ID_BODY}\n)*{_ID_BODY}"
_WORD = re.compile(r"[a-z0-9]+")


def statement_key(text: str) -> str:
    """Lowercase words and numbers, one space apart: two statements of a trap with the
    same key say the same thing (the words are found rather than the gaps replaced,
    ~40 % faster)."""
    return " ".join(_WORD.findall(text.lower()))


Check = Callable[[Any], bool]


def _id(value: Any) -> bool:
    # fullmatch: the models' pattern is matched by pydantic's regex engine, whose '$' is the
    # end of the text (Python's would also match before a final line break)
    return isinstance(value, str) and len(value) <= ID_MAX and _ID.fullmatch(value) is not None


def _text(value: Any) -> bool:  # models.Text: a string that is not blank
    return isinstance(value, str) and bool(value.strip())


def _str(value: Any) -> bool:
    return isinstance(value, str)


def _optional_str(value: Any) -> bool:
    return value is None or isinstance(value, str)


def _bool(value: Any) -> bool:
    return isinstance(value, bool)


def _words(value: Any) -> bool:  # tags: each a non-empty word without spaces
    return isinstance(value, list | tuple) and all(
        isinstance(tag, str) and tag.split() == [tag] for tag in value
    )


class _Texts:
    """A sequence of ``low`` to ``high`` texts (the models' ``tuple[Text, ...]``)."""

    def __init__(self, low: int, high: int) -> None:
        self.low, self.high = low, high

    def __call__(self, value: Any) -> bool:
        return (
            isinstance(value, list | tuple)
            and self.low <= len(value) <= self.high
            and all(map(_text, value))
        )

    def column(self, values: list[Any]) -> bool:
        if not set(map(type, values)) <= _SEQUENCES:
            return False
        sizes = list(map(len, values))
        flat = list(chain.from_iterable(values))
        return (
            self.low <= min(sizes)
            and max(sizes) <= self.high
            and set(map(type, flat)) <= _STRING
            and all(map(str.strip, flat))
        )


_texts = _Texts


def _scalar(value: Any) -> bool:
    if isinstance(value, float):
        return math.isfinite(value)
    return isinstance(value, bool | int | str)


def _params(value: Any) -> bool:  # models.DrillItem.params: scalars or 1-50 of them
    return isinstance(value, dict) and all(
        isinstance(name, str)
        and (
            _scalar(v)
            or (isinstance(v, list | tuple) and 1 <= len(v) <= 50 and all(map(_scalar, v)))
        )
        for name, v in value.items()
    )


class _Kind:
    """The ``kind`` literal of a table's items (the default when the table names none)."""

    def __init__(self, kind: str) -> None:
        self.kind = kind

    def __call__(self, value: Any) -> bool:
        return bool(value == self.kind)

    def column(self, values: list[Any]) -> bool:
        return values.count(self.kind) == len(values)


def _kind(kind: str) -> tuple[Check, str]:
    return _Kind(kind), kind


# Whole columns at once (a table's values of one field, in C-level loops): each holds
# exactly when every value passes the one-value check beside it, except that a value of a
# subclass (never parsed from TOML) is refused; every one tests the values' types, so a
# missing required field (:data:`REQUIRED`, an ``object``) fails it.
_STRING: set[type] = {str}
_OPTIONAL_STRING: set[type] = {str, type(None)}
_SEQUENCES: set[type] = {list, tuple}


def _ids(values: list[Any]) -> bool:
    # the ids one per line, the pattern matched to all the lines at once
    if not set(map(type, values)) <= _STRING or max(map(len, values)) > ID_MAX:
        return False
    lines = "\n".join(values)
    return lines.count("\n") == len(values) - 1 and re.fullmatch(_IDS, lines) is not None


def _text_column(values: list[Any]) -> bool:
    return set(map(type, values)) <= _STRING and all(map(str.strip, values))


def _str_column(values: list[Any]) -> bool:
    return set(map(type, values)) <= _STRING


def _optional_str_column(values: list[Any]) -> bool:
    return set(map(type, values)) <= _OPTIONAL_STRING


def _bool_column(values: list[Any]) -> bool:
    return set(map(type, values)) <= {bool}


def _words_column(values: list[Any]) -> bool:
    # each tag a non-empty word without spaces, all at once: joined by spaces and split
    # again, the tags come back unchanged exactly when none is empty or holds a space
    if not set(map(type, values)) <= _SEQUENCES:
        return False
    flat = list(chain.from_iterable(values))
    return set(map(type, flat)) <= _STRING and " ".join(flat).split() == flat


_COLUMNS: dict[Check, Callable[[list[Any]], bool]] = {
    _id: _ids,
    _text: _text_column,
    _str: _str_column,
    _optional_str: _optional_str_column,
    _bool: _bool_column,
    _words: _words_column,
}


def _column_holds(check: Check, values: list[Any]) -> bool:
    column = getattr(check, "column", None) or _COLUMNS.get(check)
    if column is not None:
        return bool(column(values))
    return all(map(check, values))


_BASE: dict[str, tuple[Check, Any]] = {
    "id": (_id, REQUIRED),  # and the entry's id (checked first)
    "topic": (_optional_str, None),
    "tags": (_words, ()),
    "section": (_optional_str, None),
    "source": (_optional_str, None),
}

#: Each kind's fields: (the check of a stored value, the default or :data:`REQUIRED`).
FIELDS: dict[str, dict[str, tuple[Check, Any]]] = {
    "flashcard": {
        **_BASE,
        "kind": _kind("flashcard"),
        "front": (_text, REQUIRED),
        "back": (_text, REQUIRED),
        "hint": (_optional_str, None),
        "deeper": (_optional_str, None),
        "say_aloud": (_bool, False),
    },
    "trap": {
        **_BASE,
        "kind": _kind("trap"),
        "claim": (_text, REQUIRED),
        "why_wrong": (_text, REQUIRED),
        "correct": (_text, REQUIRED),
        "distractors": (_texts(2, 5), REQUIRED),
        "question": (_optional_str, None),
        "why_true": (_texts(0, 5), ()),
    },
    "drill": {
        **_BASE,
        "kind": _kind("drill"),
        "drill": (_str, REQUIRED),
        "params": (_params, {}),
        "title": (_optional_str, None),
        "note": (_optional_str, None),
    },
}


#: The fields of a deck file beside its item tables (the model ``DeckFile``'s).
DECK_FIELDS: dict[str, tuple[Check, Any]] = {
    "deck": (_id, REQUIRED),
    "title": (_optional_str, None),
    "description": (_optional_str, None),
    "topic": (_optional_str, None),
}
#: The item tables of a deck file, in catalog order (each a sequence of items, default ()).
TABLES = ("flashcard", "trap", "drill")
#: The fields that hold a sequence of texts (the models' tuple fields).
TEXT_LISTS = frozenset({"tags", "distractors", "why_true"})
_FILE_KEYS = frozenset({*DECK_FIELDS, *TABLES})


class FileTables(NamedTuple):
    """A parsed deck file that passed :func:`file_tables`: its deck-level fields (defaults
    filled in), each table's items as parsed (a missing field takes its default), and each
    table's columns as checked: {field: its value in every item, the default where
    missing} for the fields some item has."""

    deck: dict[str, Any]
    tables: dict[str, list[dict[str, Any]]]
    columns: dict[str, dict[str, list[Any]]]


def file_tables(data: Any) -> FileTables | None:
    """A parsed deck file checked in plain Python, column by column (a 100,000-item
    library in a fraction of what the models' validation costs), or None when anything
    is not the shape of a file the models accept: the caller then asks the models, which
    accept it or say what is wrong. Every file this accepts the models accept, with the
    same values (``tests/unit/test_item_tables.py``)."""
    if type(data) is not dict or not data.keys() <= _FILE_KEYS:
        return None
    deck: dict[str, Any] = {}
    for name, (check, default) in DECK_FIELDS.items():
        value = data.get(name, default)
        if value is REQUIRED or not check(value):
            return None
        deck[name] = value
    tables: dict[str, list[dict[str, Any]]] = {}
    columns: dict[str, dict[str, list[Any]]] = {}
    for kind in TABLES:
        rows = data.get(kind, [])
        if type(rows) is not list:
            return None
        found = _columns(kind, rows) if rows else {}
        if found is None:
            return None
        tables[kind], columns[kind] = rows, found
    return FileTables(deck, tables, columns)


def _columns(kind: str, rows: list[Any]) -> dict[str, list[Any]] | None:
    """The columns of ``rows`` when every one is a valid ``kind`` item
    (:func:`item_fields`), else None."""
    if set(map(type, rows)) != {dict}:
        return None
    fields = FIELDS[kind]
    present = set(chain.from_iterable(rows))
    if not present <= fields.keys():
        return None  # an unknown field: the model forbids it
    columns: dict[str, list[Any]] = {}
    for name, (check, default) in fields.items():
        if name not in present:
            if default is REQUIRED:
                return None
            continue
        column = list(map(dict.get, rows, repeat(name), repeat(default)))
        if not _column_holds(check, column):
            return None
        columns[name] = column
    if kind == "trap" and not _traps_hold(columns):
        return None
    return columns


# compiled (and kept by re) when statements are first compared (a file parsed)
_NOT_WORD = r"[^a-z0-9\x00]+"
_SPACES = rb"  +"
#: The characters that lowercase to an ASCII letter or digit (and more) without being
#: ASCII: the Turkish dotted capital I and the Kelvin sign (a test asks Unicode).
LOWER_TO_ASCII = ("\u0130", "\u212a")
# ASCII letters lowercased, digits and NUL kept, every other byte a space.
_KEY_BYTES = (
    bytes(
        b
        if chr(b).isdigit() or chr(b).islower() or b == 0
        else b | 0x20
        if chr(b).isupper()
        else 32
        for b in range(128)
    )
    + b" " * 128
)


def statement_keys(texts: list[str]) -> list[str] | list[bytes]:
    """What :func:`statement_key` gives each of ``texts`` (two keys are equal exactly when
    those are), found in one pass: joined by NUL, the ASCII letters lowercased and every
    other character a space, byte by byte, then the spaces made single and dropped beside
    a NUL (lowercasing a character outside ASCII gives one outside ASCII, but for
    :data:`LOWER_TO_ASCII`: with those, the whole text is lowercased and its other
    characters replaced instead)."""
    joined = "\x00".join(texts)
    if joined.count("\x00") != len(texts) - 1:  # a text holds a NUL itself: one by one
        return list(map(statement_key, texts))
    if any(char in joined for char in LOWER_TO_ASCII):
        return list(map(str.strip, re.sub(_NOT_WORD, " ", joined.lower()).split("\x00")))
    data = joined.encode("ascii", "replace").translate(_KEY_BYTES)
    data = re.sub(_SPACES, b" ", data).replace(b" \x00", b"\x00").replace(b"\x00 ", b"\x00")
    return data.strip(b" ").split(b"\x00")


def _traps_hold(columns: dict[str, list[Any]]) -> bool:
    """:func:`_trap_holds` of every trap at once, from the table's checked columns: one
    reason per distractor (or none), no two distractors of a trap with the same key, no
    distractor with the key of its claim."""
    claims, distractors = columns["claim"], columns["distractors"]
    sizes = list(map(len, distractors))
    why_true = columns.get("why_true")
    if why_true is not None and any(
        n and n != size for n, size in zip(map(len, why_true), sizes, strict=True)
    ):
        return False
    keys = statement_keys([*claims, *chain.from_iterable(distractors)])
    owner = list(chain.from_iterable(map(repeat, range(len(sizes)), sizes)))
    said = list(zip(owner, keys[len(claims) :], strict=True))  # (trap, a distractor's key)
    return len(set(said)) == len(said) and set(enumerate(keys[: len(claims)])).isdisjoint(said)


def _trap_holds(trap: dict[str, Any]) -> bool:
    """The rules of models.Trap across its fields: one reason per distractor (or none),
    no distractor repeating the claim or another distractor."""
    distractors = trap["distractors"]
    if trap["why_true"] and len(trap["why_true"]) != len(distractors):
        return False
    keys = {statement_key(d) for d in distractors}
    return len(keys) == len(distractors) and statement_key(trap["claim"]) not in keys


def item_fields(
    kind: str, item_id: str, table: Any, topic: str | None = None
) -> dict[str, Any] | None:
    """Every field of an item of ``kind`` from its stored ``table`` (defaults filled in,
    ``topic`` the file's when the item names none), or None when the table is not the
    shape of a valid ``kind`` item with this id."""
    fields = FIELDS.get(kind)
    if fields is None or not isinstance(table, dict) or table.get("id") != item_id:
        return None
    if not table.keys() <= fields.keys():
        return None  # an unknown field: the model forbids it
    out: dict[str, Any] = {}
    for name, (check, default) in fields.items():
        if name in table:
            value = table[name]
            if not check(value):
                return None
        elif default is REQUIRED:
            return None
        else:
            value = dict(default) if isinstance(default, dict) else default
        out[name] = value
    if kind == "trap" and not _trap_holds(out):
        return None
    if topic and not out["topic"]:
        out["topic"] = topic
    return out
