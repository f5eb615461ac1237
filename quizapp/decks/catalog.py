"""The catalog: every deck and item found, with where each came from.

Importing this module costs nothing beyond the standard library (no pydantic): the
command line and the app's start read counts, ids, kinds, topics and tags from here,
and an item's full content (:attr:`CatalogItem.item`, a pydantic model) is built only
when something shows or grades it. Items read from the content index
(:mod:`quizapp.decks.index`) are such lazy entries; items parsed just now carry their
model from the start.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterator, Mapping, Sequence, ValuesView
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple, overload

from quizapp.decks.problems import ContentError, ContentProblem

if TYPE_CHECKING:
    from quizapp.decks.models import DrillItem, Flashcard, Trap

    AnyItem = Flashcard | Trap | DrillItem

#: Builds an item's model from its id (the content index's body loader).
ItemSource = Callable[["CatalogItem"], "AnyItem"]


class CatalogItem:
    """An item with where it came from.

    ``id``, ``kind``, ``topic`` (the file's default applied, ``"general"`` when none),
    ``tags`` and ``drill`` (the drill kind of a drill item, else None) are plain
    attributes; ``item`` is the full model, built on first use for an indexed entry.
    """

    __slots__ = ("_item", "_source", "deck", "drill", "id", "kind", "line", "path", "tags", "topic")

    def __init__(self, item: AnyItem, deck: str, path: str, line: int | None) -> None:
        self._item: AnyItem | None = item
        self._source: ItemSource | None = None
        self.id: str = item.id
        self.kind: str = item.kind
        self.topic: str = item.topic or "general"
        self.tags: tuple[str, ...] = tuple(item.tags)
        self.drill: str | None = item.drill if item.kind == "drill" else None  # type: ignore[union-attr]
        self.deck = deck
        self.path = path
        self.line = line

    @classmethod
    def lazy(
        cls,
        row: Sequence[Any],
        deck: str,
        path: str,
        source: ItemSource,
    ) -> CatalogItem:
        """An entry from an index row ``(id, kind, topic, tags, drill, line)`` whose model
        ``source(entry)`` builds when it is first needed."""
        self = cls.__new__(cls)
        self._item = None
        self._source = source
        self.id, self.kind, topic, tags, self.drill, self.line = row
        self.topic = topic or "general"
        self.tags = tuple(tags)
        self.deck = deck
        self.path = path
        return self

    @property
    def item(self) -> AnyItem:
        """The item's full content (built from the index on first use)."""
        if self._item is None:
            assert self._source is not None
            self._item = self._source(self)
        return self._item

    @property
    def loaded(self) -> bool:
        """Whether the full model has been built (tests, benchmarks)."""
        return self._item is not None

    def _key(self) -> tuple[object, ...]:
        return (self.id, self.kind, self.topic, self.tags, self.drill, self.deck, self.path)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, CatalogItem):
            return NotImplemented
        return self._key() == other._key() and self.line == other.line and self.item == other.item

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"CatalogItem({self.id!r}, kind={self.kind!r}, deck={self.deck!r}, path={self.path!r}, line={self.line})"


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
    lines: list[int | None]


class CatalogItems(Mapping[str, CatalogItem]):
    """The loaded catalog's items, id → :class:`CatalogItem`, in catalog order.

    Kept as columns, one slot per item: an entry object is made when an item is first
    looked up, so counting, filtering and ranking a 100k-item library builds none
    (:func:`item_columns`). Iterating the values makes them all."""

    __slots__ = ("_entries", "_files", "_starts", "_tags", "_where", "columns", "drills", "lines")

    def __init__(self) -> None:
        self._where: dict[str, int] = {}
        self._starts: list[int] = []
        self._files: list[tuple[str, str, ItemSource]] = []  # deck, path, source
        self._entries: list[CatalogItem | None] = []
        self._tags: list[str] = []
        self.columns = ItemColumns([], [], [], [], _SplitTags(self._tags))
        self.drills: list[str | None] = []
        self.lines: list[int | None] = []

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
        cols = self.columns
        cols.ids.extend(ids)  # type: ignore[attr-defined]
        cols.kinds.extend(columns.kinds)  # type: ignore[attr-defined]
        cols.decks.extend([deck] * len(ids))  # type: ignore[attr-defined]
        cols.topics.extend([t or "general" for t in columns.topics])  # type: ignore[attr-defined]
        self._tags.extend(columns.tags)
        self.drills.extend(columns.drills)
        self.lines.extend(columns.lines)
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
            deck, path, source = self._files[bisect_right(self._starts, position) - 1]
            c = self.columns
            found = CatalogItem.lazy(
                (
                    c.ids[position],
                    c.kinds[position],
                    c.topics[position],
                    self._tags[position].split(),
                    self.drills[position],
                    self.lines[position],
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


class DeckItems(Sequence["AnyItem"]):
    """A deck's items as models, in catalog order; counting them builds none."""

    __slots__ = ("_entries",)

    def __init__(self, entries: Sequence[CatalogItem]) -> None:
        self._entries = entries

    def __len__(self) -> int:
        return len(self._entries)

    @overload
    def __getitem__(self, index: int) -> AnyItem: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[AnyItem, ...]: ...
    def __getitem__(self, index: int | slice) -> AnyItem | tuple[AnyItem, ...]:
        if isinstance(index, slice):
            return tuple(e.item for e in self._entries[index])
        return self._entries[index].item

    def __iter__(self) -> Iterator[AnyItem]:
        return (e.item for e in self._entries)

    @property
    def entries(self) -> Sequence[CatalogItem]:
        return self._entries


class Deck:
    """A whole deck, merged from its files, with every item's topic resolved."""

    __slots__ = ("_topics", "description", "files", "id", "items", "title")

    def __init__(
        self,
        *,
        id: str,
        title: str,
        items: Sequence[AnyItem],
        files: tuple[str, ...] | Sequence[str] = (),
        description: str | None = None,
        topics: Sequence[str] | None = None,
    ) -> None:
        self.id = id
        self.title = title
        self.description = description
        self.items = items
        self.files = tuple(files)
        self._topics = list(topics) if topics is not None else None

    @property
    def topics(self) -> list[str]:
        """The deck's topics in order of first appearance."""
        if self._topics is None:
            seen: dict[str, None] = {}
            for item in self.items:
                seen.setdefault(item.topic or "general", None)
            self._topics = list(seen)
        return list(self._topics)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Deck):
            return NotImplemented
        return (self.id, self.title, self.description, self.files, tuple(self.items)) == (
            other.id,
            other.title,
            other.description,
            other.files,
            tuple(other.items),
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Deck(id={self.id!r}, title={self.title!r}, items={len(self.items)}, files={len(self.files)})"


@dataclass
class Catalog:
    """Every deck and item found, and every problem met on the way."""

    decks: dict[str, Deck] = field(default_factory=dict)
    #: id → entry, in catalog order (a loaded catalog's is a :class:`CatalogItems`)
    items: Mapping[str, CatalogItem] = field(default_factory=dict)
    problems: list[ContentProblem] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    #: files with errors, left out whole (their good items too), in load order
    skipped: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[ContentProblem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[ContentProblem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def notice(self) -> str | None:
        """One line for the app's start and every command when decks had errors:
        which files were left out and where to see why; None when all is well."""
        errors = self.errors
        if not errors:
            return None
        # a path that gave no deck file (missing, a broken link): the problem is the notice
        read = set(self.files)
        found = [p for p in errors if p.path not in read]
        errors = [p for p in errors if p.path in read]
        paths = "; ".join(
            f"{p.path}: {p.message}" + (f" ({p.hint})" if p.hint else "") for p in found[:2]
        )
        if len(found) > 2:
            paths += f"; and {len(found) - 2} more such paths"
        if not errors:
            return paths
        bad = list(dict.fromkeys(p.path for p in errors))
        count = f"{len(errors)} error{'s' if len(errors) != 1 else ''}"
        if len(bad) == 1:
            what = f"{bad[0]} has {count}"
            left = " and was left out" if bad[0] in self.skipped else ""
        else:
            shown = ", ".join(bad[:2]) + (f" and {len(bad) - 2} more" if len(bad) > 2 else "")
            what = f"{len(bad)} deck files have {count} ({shown})"
            left = "; those files were left out" if set(bad) <= set(self.skipped) else ""
        files = f"{what}{left}; `quizapp check` shows where and how to fix them"
        return f"{paths}; {files}" if paths else files

    @property
    def ok(self) -> bool:
        return not self.errors

    def raise_for_errors(self) -> None:
        if self.errors:
            raise ContentError(self.errors)
