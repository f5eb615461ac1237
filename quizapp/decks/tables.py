"""An item's table as the content index kept it, read without pydantic.

The tables the index keeps were validated by the deck models
(:mod:`quizapp.decks.models`) when the file was read. The first card of a start is
shown from such a table: :func:`item_fields` checks its shape in plain Python (every
field known, each value of the type the model gives it, texts not blank, a trap's two
to five distractors) and fills in the models' defaults, so that no pydantic is imported
and no model is built before the first card is painted. A table that fails the check
(an index edited or corrupted by hand) gives None, and the caller builds the model
instead, which validates the table or reads the file again.

The models remain the definition: ``tests/unit/test_item_tables.py`` checks that the
fields, the required ones and the defaults here are theirs, and that every table this
check accepts the model accepts too, giving the same values.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

__all__ = ["FIELDS", "ID_MAX", "ID_PATTERN", "REQUIRED", "item_fields", "statement_key"]

#: An item id (the models' ``ItemId``): lowercase letters, digits, '.', '-', '_'.
ID_PATTERN = r"^[a-z0-9][a-z0-9_.\-]*$"
ID_MAX = 120
#: What marks a field without a default.
REQUIRED: Any = object()

_ID = re.compile(ID_PATTERN)
_WORD = re.compile(r"[a-z0-9]+")


def statement_key(text: str) -> str:
    """Lowercase words and numbers, one space apart: two statements of a trap with the
    same key say the same thing (the words are found rather than the gaps replaced,
    ~40 % faster)."""
    return " ".join(_WORD.findall(text.lower()))


Check = Callable[[Any], bool]


def _id(value: Any) -> bool:
    return isinstance(value, str) and len(value) <= ID_MAX and _ID.match(value) is not None


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


def _texts(low: int, high: int) -> Check:
    def check(value: Any) -> bool:
        return (
            isinstance(value, list | tuple) and low <= len(value) <= high and all(map(_text, value))
        )

    return check


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


def _kind(kind: str) -> tuple[Check, str]:
    return (lambda value: value == kind), kind


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
