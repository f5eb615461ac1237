"""Where things are in a TOML file, since tomllib reports no positions.

:class:`TomlIndex` reads a file once — line by line, skipping strings, comments and
the inside of arrays and inline tables — and records the line of every table header
and of every key that starts a statement, and how deeply values nest. Every lookup
after that is a dictionary access and a bisection, so locating N problems costs
O(N log N), not N passes over the file.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left, bisect_right

#: Deeper nesting than this is refused before parsing (tomllib recurses per level).
MAX_DEPTH = 32

# A table header: [name] or [[name]]; the name's first part may be quoted.
_HEADER = re.compile(r"\s*(\[\[?)\s*(\"[^\"]*\"|'[^']*'|[A-Za-z0-9_\-]+)[^\]]*\]\]?\s*(?:#.*)?$")
# The key that starts a statement (its first dotted part), then '=' or '.'.
_KEY = re.compile(r"\s*(\"(?:[^\"\\]|\\.)*\"|'[^']*'|[A-Za-z0-9_\-]+)\s*[=.]")
# Inside a value: what changes the nesting or hides brackets.
_TOKEN = re.compile(r"\"\"\"|'''|\"(?:[^\"\\\n]|\\.)*\"|'[^'\n]*'|#|[\[\]{}]")
_NEWLINE = re.compile(r"\n")  # tomllib counts lines by "\n" alone
_CLOSE = {'"""': re.compile(r'(?<!\\)"""'), "'''": re.compile(r"'''")}
# An item's header line, e.g. [[flashcard]], found without the line-by-line pass: from
# the line break before it (a literal first: a fast scan), that break captured so that
# a split counts it, up to its line end (left for the next header's break).
_HEADER_LINE = re.compile(
    r"(\n)[ \t]*\[\[[ \t]*([A-Za-z0-9_\-]+)[ \t]*\]\][ \t]*(?:#[^\n]*)?\r?(?=\n|$)"
)


class TomlIndex:
    """The lines of a TOML text's headers and statement keys, from one pass.

    The pass runs on the first lookup, not at construction: a file that parses and
    validates cleanly is never scanned (only its problems need locating)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._scanned = False
        self._line_count = 0
        self._arrays: dict[str, list[int]] = {}
        self._tables: dict[str, list[int]] = {}
        self._keys: dict[str, list[int]] = {}
        self._headers: list[int] = []
        self._too_deep: tuple[int, int] | None = None
        self._offsets: list[int] | None = None  # where each line starts

    def _ensure(self) -> TomlIndex:
        if not self._scanned:
            self._scanned = True
            self._scan()
        return self

    @property
    def line_count(self) -> int:
        return self._ensure()._line_count

    @property
    def arrays(self) -> dict[str, list[int]]:
        """array-of-tables headers by table name: ``[[trap]]`` -> [lines]"""
        return self._ensure()._arrays

    @property
    def tables(self) -> dict[str, list[int]]:
        """every header by its first name part (``[card]``, ``[[card]]``, ``[card.x]``)"""
        return self._ensure()._tables

    @property
    def keys(self) -> dict[str, list[int]]:
        """every statement key by its first dotted part -> [lines]"""
        return self._ensure()._keys

    @property
    def headers(self) -> list[int]:
        """every header line, sorted"""
        return self._ensure()._headers

    @property
    def too_deep(self) -> tuple[int, int] | None:
        """(line, depth) of the first value nested deeper than MAX_DEPTH, if any"""
        return self._ensure()._too_deep

    # ------------------------------------------------------------------ lookups
    def key_line(self, key: str, start: int = 1, end: int | None = None) -> int | None:
        """1-based line of the statement ``key = ...`` in [start, end), or None."""
        lines = self.keys.get(key)
        if not lines:
            return None
        i = bisect_left(lines, start)
        if i < len(lines) and (end is None or lines[i] < end):
            return lines[i]
        return None

    def item_span(self, table: str, index: int) -> tuple[int | None, int | None]:
        """(header line, line of the next header or past the end) of the ``index``-th
        ``[[table]]`` (0-based); (None, None) when there is no such table."""
        starts = self.arrays.get(table, [])
        if index >= len(starts):
            return None, None
        start = starts[index]
        i = bisect_right(self.headers, start)
        end = self.headers[i] if i < len(self.headers) else self.line_count + 1
        return start, end

    def find_line(self, snippet: str, start: int = 1, end: int | None = None) -> int | None:
        """Line of the first ``snippet`` in lines [start, end), or None (e.g. when the
        file writes it with TOML escapes)."""
        if self._offsets is None:
            self._offsets = [0, *(m.end() for m in _NEWLINE.finditer(self.text))]
        offsets = self._offsets
        lo = offsets[min(start, len(offsets)) - 1]
        hi = offsets[end - 1] if end is not None and end - 1 < len(offsets) else len(self.text)
        found = self.text.find(snippet, lo, hi)
        return bisect_right(offsets, found) if found >= 0 else None

    def table_line(self, name: str) -> int | None:
        """Line of the first header whose name starts with ``name``, or None."""
        lines = self.tables.get(name)
        return lines[0] if lines else None

    # ------------------------------------------------------------------ the pass
    def _scan(self) -> None:
        depth = 0
        closing: re.Pattern[str] | None = None  # inside a multi-line string
        number = 0
        for number, line in enumerate(self.text.split("\n"), start=1):
            pos = 0
            if closing is not None:
                end = closing.search(line)
                if end is None:
                    continue
                closing, pos = None, end.end()
            elif depth == 0:
                header = _HEADER.match(line)
                if header:
                    name = _unquote(header.group(2))
                    self._headers.append(number)
                    self._tables.setdefault(name, []).append(number)
                    if header.group(1) == "[[":
                        self._arrays.setdefault(name, []).append(number)
                    continue
                key = _KEY.match(line)
                if key:
                    self._keys.setdefault(_unquote(key.group(1)), []).append(number)
                    pos = key.end()
            depth, closing = self._value(line, pos, depth, number)
        self._line_count = number - 1 if self.text.endswith("\n") else number

    def _value(
        self, line: str, pos: int, depth: int, number: int
    ) -> tuple[int, re.Pattern[str] | None]:
        """Nesting after the value part of ``line`` from ``pos``; and the pattern that
        closes a multi-line string left open at the end of the line."""
        while True:
            for token in _TOKEN.finditer(line, pos):
                text = token.group()
                if text == "#":
                    return depth, None
                if text in _CLOSE:
                    end = _CLOSE[text].search(line, token.end())
                    if end is None:
                        return depth, _CLOSE[text]
                    pos = end.end()  # the rest of the line after the string still counts
                    break
                if text in "[{":
                    depth += 1
                    if depth > MAX_DEPTH and self._too_deep is None:
                        self._too_deep = (number, depth)
                elif text in "]}":
                    depth = max(0, depth - 1)
            else:
                return depth, None


def _unquote(name: str) -> str:
    if len(name) >= 2 and name[0] == name[-1] and name[0] in "\"'":
        return name[1:-1]
    return name


def key_line(text: str, key: str, start: int = 1, end: int | None = None) -> int | None:
    """1-based line of ``key = ...`` between lines ``start`` and ``end`` (exclusive).

    One-off lookups (settings); for many lookups in one file build a :class:`TomlIndex`.
    """
    return TomlIndex(text).key_line(key, start, end)


def array_header_lines(text: str) -> dict[str, list[int]]:
    """The lines of every ``[[name]]`` header line, by name, from one regular-expression
    split of the whole text (C speed, unlike :class:`TomlIndex`'s pass).

    It does not know about multi-line strings or quoted names, so the caller checks the
    counts against what the parser found (:func:`quizapp.decks.loader.load_file`) and
    falls back to a :class:`TomlIndex` when they differ.
    """
    # ["\n" + text before, break, name, text between, break, name, ...]: a header's line
    # is the number of line breaks before its name (the text starts with one more), from
    # counts chunk by chunk, with no Python loop per character.
    parts = _HEADER_LINE.split("\n" + text)
    lines = itertools.accumulate(map(str.count, parts, itertools.repeat("\n")), initial=0)
    found: dict[str, list[int]] = {}
    for name, line in zip(parts[2::3], itertools.islice(lines, 2, None, 3), strict=False):
        found.setdefault(name, []).append(line)
    return found
