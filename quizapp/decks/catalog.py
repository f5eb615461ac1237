"""The catalog: every deck and item found, with where each came from.

Importing this module costs nothing beyond the standard library (no pydantic): the
command line and the app's start read counts, ids, kinds, topics and tags from here,
and an item's full content (:attr:`CatalogItem.item`, a pydantic model) is built only
when something needs the model. Items read from the content index
(:mod:`quizapp.decks.index`) are such lazy entries; items parsed just now carry their
model from the start. What a card shows, :meth:`CatalogItem.fields`, comes from the
index's stored table without a model when it has the right shape.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol, overload

from quizapp.decks.problems import ContentError, ContentProblem
from quizapp.plain import Plain

if TYPE_CHECKING:
    from quizapp.decks.models import DrillItem, Flashcard, Trap

    AnyItem = Flashcard | Trap | DrillItem


class ItemSource(Protocol):
    """Where a lazy entry's content comes from (the content index's body loader)."""

    def __call__(self, entry: CatalogItem, /) -> AnyItem:
        """The entry's model, validated."""
        ...

    def fields(self, entry: CatalogItem, /) -> dict[str, Any] | None:
        """The entry's fields from a stored table that passed a shape check
        (:func:`quizapp.decks.tables.item_fields`), without building the model; None
        when there is none, or when its shape is off (then the model decides)."""
        ...


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

    def fields(self) -> dict[str, Any]:
        """Every field of the item by name, ``kind`` included, as plain values (a
        sequence may be a list or a tuple): what a card shows. From the model once it is
        built, else from the content index's stored table when its shape checks out
        (no pydantic), else from the model, built now."""
        if self._item is None and self._source is not None:
            found = self._source.fields(self)
            if found is not None:
                return found
        return dict(self.item)

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


class Catalog(Plain):
    """Every deck and item found, and every problem met on the way."""

    __slots__ = ("decks", "items", "problems", "files", "skipped")

    def __init__(
        self,
        decks: dict[str, Deck] | None = None,
        items: Mapping[str, CatalogItem] | None = None,
        problems: list[ContentProblem] | None = None,
        files: list[str] | None = None,
        skipped: list[str] | None = None,
    ) -> None:
        self.decks: dict[str, Deck] = decks if decks is not None else {}
        #: id → entry, in catalog order (a loaded catalog's is a
        #: :class:`~quizapp.decks.columns.CatalogItems`)
        self.items: Mapping[str, CatalogItem] = items if items is not None else {}
        self.problems: list[ContentProblem] = problems if problems is not None else []
        self.files: list[str] = files if files is not None else []
        #: files with errors, left out whole (their good items too), in load order
        self.skipped: list[str] = skipped if skipped is not None else []

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
