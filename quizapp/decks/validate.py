"""Checks beyond the schema: drill kinds and their parameters, and what the text's
markup would do on screen.

Content is data: markup that could act (``[@click=…]``, links, ``on…=`` handlers)
is an error in every text field; plain fields (``topic``, the deck ``title``,
``tags``, ``section``) take no markup at all; markup that does not parse is an
error; text that Rich would swallow as a tag (``a[i]``, ``list[int]``) is a warning.
All of it is read by :func:`quizapp.decks.text.markup_tags`, the reading the screens use.
"""

from __future__ import annotations

import difflib
import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import chain, repeat
from typing import Any

from quizapp.decks.controls import CONTROL_CHARS, describe
from quizapp.decks.locate import TomlIndex
from quizapp.decks.problems import DUPLICATE_HINT, ContentProblem
from quizapp.decks.tables import DECK_FIELDS, FIELDS, TABLES, TEXT_LISTS

#: An item or the deck level as the checks read it: its fields by name, as parsed (a
#: missing field has its default) or a model's (``vars(model)``).
Fields = Mapping[str, Any]

#: Fields shown with their Rich markup applied (see quizapp.decks.text.safe_markup).
RICH_FIELDS = (
    "front", "back", "hint", "deeper", "claim", "why_wrong", "correct", "question", "note",
    "title", "distractors", "why_true", "description", "source",
)  # fmt: skip
#: Fields shown exactly as written (quizapp.decks.text.plain_text): no markup at all.
PLAIN_FIELDS = ("topic", "tags", "section")
# Parameters that can never be negative, whatever the drill kind says.
_NON_NEGATIVE = ("lr", "eps", "weight_decay", "momentum", "beta1", "beta2", "batch_size", "t")
# A control character in the file, or a TOML escape that may write one (\u, \U, \b,
# \f, \r, and TOML 1.1's \e, \x): a cheap test before every string is looked at (two
# searches: a single character class runs at C speed, an alternation does not).
ESCAPE = re.compile(r"\\[uUbfrex]")
_ESCAPE_HINT = r"write a literal '[' as '\[' (e.g. list\[int])"


def check_file(
    path: str,
    index: TomlIndex,
    deck: Fields,
    tables: Mapping[str, Sequence[Fields]],
    controls: bool | None = None,
    columns: Mapping[str, Mapping[str, Sequence[Any]]] | None = None,
) -> list[ContentProblem]:
    """Problems the schema cannot see, in the deck-level fields and every item, of a file
    the schema accepts: ``deck`` its deck-level fields, ``tables`` each item table's items
    (:func:`quizapp.decks.tables.file_tables`, or the models' fields), ``columns`` each
    table's {field: every item's value} when at hand (``file_tables`` gives them).

    ``index`` is asked for lines only when there is a problem to locate, so a clean file
    is never scanned line by line (:class:`TomlIndex` scans on its first lookup).
    ``controls``: whether the text holds a control character, when the caller knows
    (:func:`~quizapp.decks.controls.has_control_utf8` of the file's bytes)."""
    problems = list(_check_text(path, index, deck, "", None, None, deck_level=True))
    ids = [item["id"] for table in TABLES for item in tables.get(table, ())]
    if len(set(ids)) != len(ids):
        problems.extend(
            check_ids(
                path,
                index,
                [
                    (table, number, item["id"])
                    for table in TABLES
                    for number, item in enumerate(tables.get(table, ()))
                ],
            )
        )
    text = index.text
    if controls is None:
        controls = CONTROL_CHARS.search(text) is not None
    if controls or ESCAPE.search(text):
        problems.extend(check_controls(path, index, deck, tables))
    drill_items = tables.get("drill", ())
    kinds: list[str] = []
    if drill_items:
        from quizapp.engine import drills

        kinds = drills.kinds()  # once per file: a library has thousands of drill items
    for table in ("flashcard", "trap"):
        items = tables.get(table, ())
        found = None if columns is None else columns.get(table)
        if not _texts_hold_bracket(table, items, found):  # only text with a '[' can hold markup
            continue
        for number, item in enumerate(items):
            if _has_bracket(item):
                where = f"{table}[{number + 1}]"
                problems.extend(_check_text(path, index, item, where, table, number))
    for number, item in enumerate(drill_items):  # after the others: the problems' order
        where = f"drill[{number + 1}]"
        problems.extend(_check_drill(path, index, item, where, ("drill", number), kinds))
        if _has_bracket(item):
            problems.extend(_check_text(path, index, item, where, "drill", number))
    return problems


def check_refused(
    path: str, index: TomlIndex, deck: Fields, tables: Mapping[str, Sequence[Fields]]
) -> list[ContentProblem]:
    """The problems :func:`check_file` finds that are independent of what the schema refused
    in a file (its markup, its drill kinds and their parameters), so that the file's author
    sees every problem in one run: ``deck`` and ``tables`` as parsed, each read only where
    its values have the shape these checks need (a text is a string, ``drill`` a string,
    ``params`` a table); the schema's own messages say what is wrong with the rest."""
    problems: list[ContentProblem] = []
    if _has_bracket(deck):
        problems += _check_text(path, index, deck, "", None, None, deck_level=True)
    kinds: list[str] | None = None
    for table in TABLES:
        for number, item in enumerate(tables.get(table, ())):
            where = f"{table}[{number + 1}]"
            if table == "drill" and isinstance(item.get("drill"), str):
                params = item.get("params")
                if params is None or isinstance(params, dict):
                    if kinds is None:
                        from quizapp.engine import drills

                        kinds = drills.kinds()
                    problems += _check_drill(path, index, item, where, ("drill", number), kinds)
            if _has_bracket(item):
                problems += _check_text(path, index, item, where, table, number)
    return problems


def check_ids(
    path: str, index: TomlIndex, ids: list[tuple[str, int, str]]
) -> Iterator[ContentProblem]:
    """Each repeat of an id in this file, at its ``id = `` line, naming the line of the
    first (in file order). ``ids``: (table, number in it, id) of the items.
    A repeat across files is found when the decks are merged."""
    found: list[tuple[int, str, str]] = []  # (id line, label, id)
    for table, number, item_id in ids:
        start, end = index.item_span(table, number)
        line = index.key_line("id", start or 1, end) or start or 1
        found.append((line, f"{table}[{number + 1}].id", item_id))
    first: dict[str, int] = {}
    for line, label, item_id in sorted(found):
        if item_id not in first:
            first[item_id] = line
            continue
        yield ContentProblem(
            path,
            f"duplicate id {item_id!r}; first defined at {path}:{first[item_id]}",
            line=line,
            field=label,
            hint=DUPLICATE_HINT,
        )


def _text_fields(table: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(string fields, sequence-of-strings fields) of a table's items that
    :func:`_check_text` reads, from the schema's field list (a field added to RICH_FIELDS
    or PLAIN_FIELDS is seen here too)."""
    found = _TEXT_FIELDS.get(table)
    if found is None:
        names = [name for name in (*RICH_FIELDS, *PLAIN_FIELDS) if name in FIELDS[table]]
        lists = tuple(n for n in names if n in TEXT_LISTS)
        found = _TEXT_FIELDS[table] = (tuple(n for n in names if n not in lists), lists)
    return found


_TEXT_FIELDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}


def _texts_hold_bracket(
    table: str, items: Sequence[Fields], columns: Mapping[str, Sequence[Any]] | None = None
) -> bool:
    """Whether a text that :func:`_check_text` reads, in any of ``items`` (one table's),
    holds a '[': every text joined into one string by C-level iterators, one membership
    test (a Python loop over 100,000 items' fields cost ~8 % of ``check``). ``columns``:
    the table's {field: every item's value}, where a field that no item has is missing.
    Conservative: anything unexpected answers True."""
    if not items:
        return False
    scalar, lists = _text_fields(table)
    parts: list[Iterable[object]]
    if columns is not None:
        parts = [columns[name] for name in scalar if name in columns]
        parts += [chain.from_iterable(columns[name]) for name in lists if name in columns]
    else:
        get = _getter(items)
        parts = [map(get, items, repeat(name)) for name in scalar]
        parts += [chain.from_iterable(map(get, items, repeat(name), repeat(()))) for name in lists]
    try:
        return "[" in "".join(filter(None, chain.from_iterable(parts)))  # type: ignore[arg-type]
    except TypeError:  # a value that is not a string (or None): look item by item
        return True


def _getter(items: Sequence[Fields]) -> Any:
    """``dict.get`` when every one of ``items`` is a dict (as parsed), else a mapping's."""
    if all(type(item) is dict for item in items):
        return dict.get
    return lambda item, name, default=None: item.get(name, default)


def _owners(
    deck: Fields, tables: Mapping[str, Sequence[Fields]]
) -> list[tuple[Fields, str, str | None, int | None]]:
    owners: list[tuple[Fields, str, str | None, int | None]] = [(deck, "", None, None)]
    for table in TABLES:
        items = tables.get(table, ())
        for number, item in enumerate(items):
            owners.append((item, f"{table}[{number + 1}]", table, number))
    return owners


def check_controls(
    path: str,
    index: TomlIndex,
    deck: Fields,
    tables: Mapping[str, Sequence[Fields]],
) -> Iterator[ContentProblem]:
    """Every text (deck fields, item fields, drill parameter values) that holds a
    character which must not reach the terminal: an error, so the file is left out.
    One problem per line of the file that writes such characters, naming each of them,
    so that one pass over the messages cleans the file. Read from fields the schema may
    refuse too (a file whose other fields are wrong): what is not a string is passed by."""
    source = _Source(index.text)
    for owner, where, table, number in _owners(deck, tables):
        cursors: dict[str, int] = {}  # where the next part of an array field is searched from
        for name, suffix, text in _strings(owner, table):
            chars = CONTROL_CHARS.findall(text)
            if not chars:
                continue
            start, end = _span(index, table, number)
            key = index.key_line(name, start or 1, end) or start or 1
            item_id = owner.get("id") if table else None
            if not isinstance(item_id, str):  # not readable in a file the schema refuses
                item_id = None
            label = f"{where}.{name}{suffix}" if where else f"{name}{suffix}"
            found, cursors[name] = source.lines_of(chars, cursors.get(name), key, end)
            for line, on_line in found.items():
                yield ContentProblem(
                    path,
                    f"{'item ' + repr(item_id) + ': ' if item_id else ''}"
                    + _controls_message(on_line),
                    line=line,
                    field=label,
                    hint=_controls_hint(on_line),
                )


def _controls_message(chars: list[str]) -> str:
    """What the text holds: one character as before; several counted, each named once."""
    if len(chars) == 1:
        return (
            f"the text holds the control character {describe(chars[0])}; it would act on "
            "the terminal (deck text is data)"
        )
    counts = {char: chars.count(char) for char in dict.fromkeys(chars)}
    named = ", ".join(
        describe(char) + (f" ×{count}" if count > 1 else "") for char, count in counts.items()
    )
    return (
        f"the text holds {len(chars)} control characters on this line: {named}; they would "
        "act on the terminal (deck text is data)"
    )


def _controls_hint(chars: list[str]) -> str:
    codes = ", ".join(f"U+{ord(char):04X}" for char in dict.fromkeys(chars))
    return f"remove the control character{'s' if len(chars) > 1 else ''} {codes}"


class _Source:
    """Where a parsed string's control characters are written in the file: each as itself
    or as one of TOML's escapes for it, found in order from the field's line on."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._starts: list[int] | None = None  # the offset where each line starts

    def _line_starts(self) -> list[int]:
        if self._starts is None:
            self._starts = [0, *(m.end() for m in re.finditer("\n", self.text))]
        return self._starts

    def lines_of(
        self, chars: list[str], cursor: int | None, key: int, end: int | None
    ) -> tuple[dict[int, list[str]], int]:
        """({line: the characters written on it}, where the search stopped) for ``chars``
        (in the string's order), searched from ``cursor`` (else line ``key``) to line
        ``end``. A character not found (written some other way) counts on the line of the
        one before it, or on ``key``."""
        starts = self._line_starts()
        pos = cursor if cursor is not None else starts[min(key, len(starts)) - 1]
        stop = starts[end - 1] if end is not None and end - 1 < len(starts) else len(self.text)
        found: dict[int, list[str]] = {}
        line = key
        for char in chars:
            hits = [
                (at, len(spelling))
                for spelling in _spellings(char)
                if (at := self.text.find(spelling, pos, stop)) >= 0
            ]
            if hits:
                at, length = min(hits)
                pos = at + length
                line = bisect_right(starts, at)
            found.setdefault(line, []).append(char)
        return found, pos


def _spellings(char: str) -> list[str]:
    """``char`` as itself and as each TOML escape that writes it."""
    code = ord(char)
    spellings = [char, f"\\u{code:04x}", f"\\u{code:04X}", f"\\U{code:08x}", f"\\U{code:08X}"]
    spellings += {8: ["\\b"], 12: ["\\f"], 13: ["\\r"], 27: ["\\e"]}.get(code, [])
    if code < 0x100:
        spellings += [f"\\x{code:02x}", f"\\x{code:02X}"]
    return spellings


def _strings(owner: Fields, table: str | None) -> Iterator[tuple[str, str, str]]:
    """(field, label suffix, text) of every string of an item (or of the deck level when
    ``table`` is None), params values included, in the schema's order of fields (then any
    the schema does not know, as written)."""
    known = DECK_FIELDS if table is None else FIELDS[table]
    names = [*(n for n in known if n in owner), *(n for n in owner if n not in known)]
    for name in names:
        if table is None and name in TABLES:
            continue
        value = owner[name]
        if isinstance(value, str):
            yield name, "", value
        elif isinstance(value, tuple | list):
            for number, part in enumerate(value):
                if isinstance(part, str):
                    yield name, f"[{number + 1}]", part
        elif isinstance(value, dict):
            for key, part in value.items():
                parts = part if isinstance(part, list) else [part]
                for text in (key, *parts):
                    if isinstance(text, str):
                        yield name, f".{key}", text


def _has_bracket(item: Fields) -> bool:
    """Whether any string of ``item`` (text fields and more) contains '[': a quick,
    conservative filter before :func:`_check_text` looks at each text field."""
    for value in item.values():
        if value.__class__ is str:
            if "[" in value:
                return True
        elif value.__class__ is tuple or value.__class__ is list:
            for part in value:
                if part.__class__ is str and "[" in part:
                    return True
    return False


def _span(index: TomlIndex, table: str | None, number: int | None) -> tuple[int | None, int | None]:
    """(first line, end) of the ``number``-th ``[[table]]``; (1, None) for the deck level."""
    if table is None or number is None:
        return 1, None
    return index.item_span(table, number)


#: validate_overrides is pure and costs three generated problems; a library repeats the
#: same (kind, params) in many items, so each combination is checked once per process.
_OVERRIDE_PROBLEMS: dict[tuple[str, str], tuple[list[str], list[str]]] = {}


def _override_problems(kind: str, params: dict[str, object]) -> tuple[list[str], list[str]]:
    """(errors, warnings) of a drill item's overrides, once per (kind, params) per process."""
    key = (kind, repr(sorted(params.items())))  # repr: 1, 1.0 and True stay apart
    found = _OVERRIDE_PROBLEMS.get(key)
    if found is None:
        from quizapp.engine import drills

        if len(_OVERRIDE_PROBLEMS) > 4096:
            _OVERRIDE_PROBLEMS.clear()
        errors, warnings = drills.check_overrides(kind, dict(params))
        found = _OVERRIDE_PROBLEMS[key] = (list(errors), list(warnings))
    return list(found[0]), list(found[1])


def _check_drill(
    path: str,
    index: TomlIndex,
    item: Fields,
    where: str,
    at: tuple[str, int],
    kinds: list[str],
) -> list[ContentProblem]:
    """``kinds``: the engine's drill kinds (``drills.kinds()``)."""

    def lines() -> tuple[int | None, int | None]:
        start, end = index.item_span(*at)
        line = index.key_line("drill", start or 1, end) or start
        return line, index.key_line("params", start or 1, end) or line

    kind: str = item["drill"]
    params: dict[str, Any] = item.get("params") or {}
    if kind not in kinds:
        close = difflib.get_close_matches(kind, kinds, n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        return [
            ContentProblem(
                path,
                f"unknown drill kind {kind!r}",
                line=lines()[0],
                field=f"{where}.drill",
                hint=hint + "valid kinds: " + ", ".join(kinds),
            )
        ]
    problems: list[ContentProblem] = []
    for name, value in params.items():
        values = value if isinstance(value, list) else [value]
        base = name.split("_")[-1] if name.endswith("_lr") else name
        if base in _NON_NEGATIVE and any(isinstance(v, int | float) and v < 0 for v in values):
            problems.append(
                ContentProblem(
                    path,
                    f"{name} must not be negative; found {value!r}",
                    line=lines()[1],
                    field=f"{where}.params.{name}",
                )
            )
    # no params: the kind's default ranges, which the engine never warns about (a test of
    # every kind: tests/unit/test_drill_generation.py); a library of plain drill items is
    # checked without drawing a problem (nor importing NumPy). The other parameters of an
    # item with a negative one are checked too (an unknown name, a range low > high): every
    # problem in one run; the negative ones are not reported twice.
    rest = {n: v for n, v in params.items() if f"{where}.params.{n}" not in _fields(problems)}
    if rest and problems:  # only the static checks: sample problems of a partial set say nothing
        from quizapp.engine.drills.catalog import get_kind
        from quizapp.engine.drills.sampling import override_problems

        errors, warnings = override_problems(get_kind(kind).param_map, rest), []
    elif rest:
        errors, warnings = _override_problems(kind, rest)
    else:
        errors, warnings = [], []
    for sentence, severity in [(e, "error") for e in errors] + [(w, "warning") for w in warnings]:
        problems.append(
            ContentProblem(
                path, sentence, line=lines()[1], field=f"{where}.params", severity=severity
            )
        )
    return problems


def _fields(problems: list[ContentProblem]) -> set[str | None]:
    return {p.field for p in problems}


def _values(owner: Fields, name: str) -> Iterator[tuple[str, str]]:
    """(field label suffix, text) of a string or sequence-of-strings field."""
    value = owner.get(name)
    if isinstance(value, str):
        yield "", value
    elif isinstance(value, tuple | list):
        for number, text in enumerate(value):
            if isinstance(text, str):
                yield f"[{number + 1}]", text


def _check_text(
    path: str,
    index: TomlIndex,
    owner: Fields,
    where: str,
    table: str | None,
    number: int | None,
    *,
    deck_level: bool = False,
) -> Iterator[ContentProblem]:
    fields = DECK_FIELDS if table is None else FIELDS[table]
    for name in (*RICH_FIELDS, *PLAIN_FIELDS):
        if name not in fields:
            continue
        plain = name in PLAIN_FIELDS or (deck_level and name == "title")
        for suffix, text in _values(owner, name):
            if "[" not in text:
                continue
            for message, snippet, hint, severity in _markup_problems(text, plain):
                start, end = _span(index, table, number)
                key = index.key_line(name, start or 1, end) or start or 1
                yield ContentProblem(
                    path,
                    message,
                    line=index.find_line(snippet, key, end) or key,
                    field=f"{where}.{name}{suffix}" if where else f"{name}{suffix}",
                    hint=hint,
                    severity=severity,
                )


def _markup_problems(text: str, plain: bool) -> Iterator[tuple[str, str, str, str]]:
    """(message, the tag as written, hint, severity) for each problem of ``text``."""
    from quizapp.decks.text import markup_tags  # Rich: only for text with a '['

    tags = markup_tags(text)
    acting = [t for t in tags if t.acts]
    for tag in acting:
        yield (
            f"{tag.markup!r} is markup that could make the app act; deck text is data",
            tag.markup,
            r"remove it, or write '\[' to show the bracket literally",
            "error",
        )
    if plain:  # one problem for the markup of a plain field (an acting tag is one already)
        if tags and not acting:
            yield (
                f"{tags[0].markup!r} would be read as markup, but this field is plain text",
                tags[0].markup,
                "leave the brackets out of topics, deck titles, tags and sections",
                "error",
            )
        return
    opened: list[str] = []
    for tag in tags:
        name = " ".join(tag.name.lstrip("/").lower().split())
        if not tag.is_closing:
            opened.append(name)
        elif (name and name not in opened) or not opened:
            what = "matches no open tag" if name else "has nothing to close"
            yield (
                f"Rich markup does not render: closing tag {tag.markup!r} {what}",
                tag.markup,
                _ESCAPE_HINT,
                "error",
            )
            return
        else:  # Rich closes the newest tag of that name (or the newest, for [/])
            del opened[len(opened) - 1 - opened[::-1].index(name) if name else -1]
    for tag in tags:
        if tag.acts:  # reported above
            continue
        if not tag.is_closing and (tag.style is None or tag.after_word or not tag.closed):
            yield (
                f"{tag.markup!r} would be read as Rich markup and vanish from the screen",
                tag.markup,
                _ESCAPE_HINT + ", or close it if it is meant as styling",
                "warning",
            )
