"""Find the line of a TOML table or key, since tomllib reports no positions.

We only need good-enough locations for messages: the line of the N-th
``[[trap]]`` header, and the line of a key inside that table.
"""

from __future__ import annotations

import re
from functools import lru_cache


def header_lines(text: str, table: str) -> list[int]:
    """1-based lines of every ``[[table]]`` header, in order."""
    return list(_header_lines(text, table))


# A file's headers are looked up once per item; cache them per (text, table).
@lru_cache(maxsize=64)
def _header_lines(text: str, table: str) -> tuple[int, ...]:
    pattern = re.compile(r"^\s*\[\[\s*" + re.escape(table) + r"\s*\]\]")
    return tuple(i for i, line in enumerate(_lines(text), start=1) if pattern.match(line))


@lru_cache(maxsize=64)
def _lines(text: str) -> tuple[str, ...]:
    return tuple(text.splitlines())


def key_line(text: str, key: str, start: int = 1, end: int | None = None) -> int | None:
    """1-based line of ``key = ...`` between lines ``start`` and ``end`` (exclusive)."""
    pattern = re.compile(r"^\s*(\"?)" + re.escape(key) + r"\1\s*=")
    lines = _lines(text)
    stop = len(lines) if end is None else min(end - 1, len(lines))
    for number in range(start, stop + 1):
        if pattern.match(lines[number - 1]):
            return number
    return None


def item_span(text: str, table: str, index: int) -> tuple[int | None, int | None]:
    """(first line, line after the end) of the ``index``-th ``[[table]]`` (0-based)."""
    starts = _header_lines(text, table)
    if index >= len(starts):
        return None, None
    start = starts[index]
    next_header = re.compile(r"^\s*\[")
    lines = _lines(text)
    for number in range(start + 1, len(lines) + 1):
        if next_header.match(lines[number - 1]):
            return start, number
    return start, len(lines) + 1
