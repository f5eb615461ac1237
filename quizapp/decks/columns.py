"""The loaded catalog's items kept as columns (issue 16: a 100,000-item library).

A start reads each deck file's index columns (ids, kinds, topics, tags, drill kinds,
lines) from the content index; :class:`CatalogItems` keeps them side by side and makes a
:class:`~quizapp.decks.catalog.CatalogItem` only when an id is looked up. Counts,
filters and the queue's order read :func:`item_columns` instead (home's counts make
entries only for the items with progress).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator, Mapping, Sequence, ValuesView
from typing import Any, NamedTuple, overload

from quizapp.decks.catalog import CatalogItem, ItemSource

__all__ = ["CatalogItems", "EntryView", "FileColumns", "ItemColumns", "item_columns"]


class ItemColumns(NamedTuple):
    """The catalog's items as parallel columns, in catalog order: what counts, filters and
    the queue's order need, without one object per item. ``topics`` are resolved
    (``"general"`` when none); ``tags`` are sequences."""

    ids: Sequence[str]
    kinds: Sequence[str]
    decks: Sequence[str]
    topics: Sequence[str]
    tags: Sequence[Sequence[str]]


def item_columns(items: Mapping[str, CatalogItem]) -> ItemColumns:
    """The columns of ``items`` (kept by a loaded catalog, built from any other mapping)."""
    if isinstance(items, CatalogItems):
        return items.columns
    entries = list(items.values())
    return ItemColumns(
        [e.id for e in entries],
        [e.kind for e in entries],
        [e.deck for e in entries],
        [e.topic for e in entries],
        [e.tags for e in entries],
    )


class FileColumns(NamedTuple):
    """One deck file's items as columns (the content index keeps them so)."""

    ids: list[str]
    kinds: list[str]
    topics: list[str | None]  # as in the file: None takes the file's topic, then "general"
    tags: list[str]  # each item's tags, space-separated (a tag is a word: no spaces)
    drills: list[str | None]
    lines: Sequence[int | None]  # worked out when first read (quizapp.decks.loader)


class CatalogItems(Mapping[str, CatalogItem]):
    """The loaded catalog's items, id → :class:`CatalogItem`, in catalog order.

    Kept as columns, one slot per item: an entry object is made when an item is first
    looked up, so counting, filtering and ranking a 100k-item library builds none
    (:func:`item_columns`). Iterating the values makes them all."""

    __slots__ = (
        "_decks", "_drills", "_entries", "_files", "_ids", "_kinds", "_lines", "_starts",
        "_tags", "_topics", "_where",
    )  # fmt: skip

    def __init__(self) -> None:
        self._where: dict[str, int] = {}
        self._starts: list[int] = []
        self._files: list[tuple[str, str, ItemSource]] = []  # deck, path, source
        self._entries: list[CatalogItem | None] = []
        self._ids: list[str] = []
        self._kinds: list[str] = []
        self._decks: list[str] = []
        self._topics: list[str] = []
        self._tags: list[str] = []
        self._drills: list[str | None] = []
        self._lines: list[Sequence[int | None]] = []  # per file: read when an entry is made

    @property
    def columns(self) -> ItemColumns:
        return ItemColumns(
            self._ids, self._kinds, self._decks, self._topics, _SplitTags(self._tags)
        )

    def add_file(
        self, deck: str, path: str, source: ItemSource, columns: FileColumns
    ) -> range | list[tuple[int, CatalogItem]]:
        """Add a file's items: the positions they took; or, when one of its ids is taken
        (by an earlier file or earlier in this one), nothing, and (row, first entry) for
        each repeated id."""
        ids = columns.ids
        where = self._where
        if not where.keys().isdisjoint(ids) or len(set(ids)) != len(ids):
            return self._repeats(deck, path, source, columns)
        start = len(self._entries)
        self._starts.append(start)
        self._files.append((deck, path, source))
        where.update(zip(ids, range(start, start + len(ids)), strict=True))
        self._ids.extend(ids)
        self._kinds.extend(columns.kinds)
        self._decks.extend([deck] * len(ids))
        self._topics.extend([t or "general" for t in columns.topics])
        self._tags.extend(columns.tags)
        self._drills.extend(columns.drills)
        self._lines.append(columns.lines)
        self._entries.extend([None] * len(ids))
        return range(start, start + len(ids))

    def _repeats(
        self, deck: str, path: str, source: ItemSource, columns: FileColumns
    ) -> list[tuple[int, CatalogItem]]:
        out: list[tuple[int, CatalogItem]] = []
        mine: dict[str, CatalogItem] = {}
        for row, item_id in enumerate(columns.ids):
            first = self.get(item_id) or mine.get(item_id)
            if first is not None:
                out.append((row, first))
            else:
                mine[item_id] = CatalogItem.lazy(_row(columns, row), deck, path, source)
        return out

    def entry(self, position: int) -> CatalogItem:
        """The entry at ``position`` in catalog order (made on first use)."""
        found = self._entries[position]
        if found is None:
            number = bisect_right(self._starts, position) - 1
            deck, path, source = self._files[number]
            found = CatalogItem.lazy(
                (
                    self._ids[position],
                    self._kinds[position],
                    self._topics[position],
                    self._tags[position].split(),
                    self._drills[position],
                    self._lines[number][position - self._starts[number]],
                ),
                deck,
                path,
                source,
            )
            self._entries[position] = found
        return found

    @property
    def made(self) -> int:
        """How many entries have been made so far (tests, benchmarks)."""
        return len(self._entries) - self._entries.count(None)

    def __getitem__(self, item_id: str) -> CatalogItem:
        return self.entry(self._where[item_id])

    def get(self, item_id: str, default: Any = None) -> Any:
        position = self._where.get(item_id)
        return default if position is None else self.entry(position)

    def __contains__(self, item_id: object) -> bool:
        return item_id in self._where

    def __iter__(self) -> Iterator[str]:
        return iter(self._where)

    def __len__(self) -> int:
        return len(self._where)

    def values(self) -> ValuesView[CatalogItem]:
        return _Values(self)

    def __repr__(self) -> str:
        return f"CatalogItems({len(self)} items)"


class _Values(ValuesView[CatalogItem]):
    def __iter__(self) -> Iterator[CatalogItem]:
        items: CatalogItems = self._mapping  # type: ignore[assignment]
        return map(items.entry, range(len(items)))


def _row(columns: FileColumns, row: int) -> tuple[Any, ...]:
    return (
        columns.ids[row],
        columns.kinds[row],
        columns.topics[row],
        columns.tags[row].split(),
        columns.drills[row],
        columns.lines[row],
    )


class _SplitTags(Sequence[tuple[str, ...]]):
    """The tags column as tuples, from the space-separated strings kept (one string per
    item reads back from the index far faster than one list per item)."""

    __slots__ = ("_joined",)

    def __init__(self, joined: list[str]) -> None:
        self._joined = joined

    def __len__(self) -> int:
        return len(self._joined)

    @overload
    def __getitem__(self, index: int) -> tuple[str, ...]: ...
    @overload
    def __getitem__(self, index: slice) -> list[tuple[str, ...]]: ...
    def __getitem__(self, index: int | slice) -> tuple[str, ...] | list[tuple[str, ...]]:
        if isinstance(index, slice):
            return [tuple(t.split()) for t in self._joined[index]]
        return tuple(self._joined[index].split())

    def __iter__(self) -> Iterator[tuple[str, ...]]:
        return (tuple(t.split()) for t in self._joined)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence):
            return NotImplemented
        return list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]


class EntryView(Sequence[CatalogItem]):
    """Some of a catalog's entries (a deck's), by position; made when read."""

    __slots__ = ("_items", "_positions")

    def __init__(self, items: CatalogItems, positions: Sequence[int]) -> None:
        self._items = items
        self._positions = positions

    def __len__(self) -> int:
        return len(self._positions)

    @overload
    def __getitem__(self, index: int) -> CatalogItem: ...
    @overload
    def __getitem__(self, index: slice) -> list[CatalogItem]: ...
    def __getitem__(self, index: int | slice) -> CatalogItem | list[CatalogItem]:
        if isinstance(index, slice):
            return [self._items.entry(p) for p in self._positions[index]]
        return self._items.entry(self._positions[index])

    def __iter__(self) -> Iterator[CatalogItem]:
        return map(self._items.entry, self._positions)
