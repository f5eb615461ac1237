"""The queue's candidate order (``quizapp.study.start.candidates``): kinds advance through
the curriculum together, each in catalog order, ties in catalog order. Checked against
the plain definition (rank each item within its kind, sort by rank then position)."""

from __future__ import annotations

import random

import pytest

from quizapp.decks.catalog import Catalog, CatalogItem
from quizapp.study.queue import QueueCandidate
from quizapp.study.start import candidates


def _defined_order(catalog: Catalog) -> list[QueueCandidate]:
    """The definition, written plainly: the oracle."""
    entries = list(catalog.items.values())
    counts: dict[str, int] = {}
    for entry in entries:
        counts[entry.kind] = counts.get(entry.kind, 0) + 1
    seen: dict[str, int] = {}
    ranked = []
    for order, entry in enumerate(entries):
        index = seen.get(entry.kind, 0)
        seen[entry.kind] = index + 1
        ranked.append(((index + 0.5) / counts[entry.kind], order, entry))
    ranked.sort(key=lambda r: (r[0], r[1]))
    return [QueueCandidate(e.id, e.kind, e.deck, e.topic, e.tags) for _, _, e in ranked]


def _catalog(kinds: list[str]) -> Catalog:
    def never(entry: CatalogItem) -> object:  # the order needs no content
        raise AssertionError("a model was built")

    items = {}
    for n, kind in enumerate(kinds):
        row = (
            f"i{n:05d}",
            kind,
            f"t{n % 3}",
            (f"tag{n % 2}",),
            "adam" if kind == "drill" else None,
            n,
        )
        items[row[0]] = CatalogItem.lazy(row, f"d{n % 2}", "deck.toml", never)  # type: ignore[arg-type]
    return Catalog(items=items)


@pytest.mark.parametrize("seed", range(12))
def test_candidates_follow_the_definition(seed: int) -> None:
    rng = random.Random(seed)
    mix = rng.choice([("flashcard",), ("flashcard", "trap"), ("flashcard", "trap", "drill")])
    kinds = [rng.choice(mix) for _ in range(rng.randint(0, 400))]
    catalog = _catalog(kinds)
    assert candidates(catalog) == _defined_order(catalog)


def test_equal_ranks_keep_catalog_order() -> None:
    # 2 traps and 6 flashcards: ranks 0.25 and 0.75 occur in both kinds
    catalog = _catalog(["trap", "flashcard", "flashcard", "trap", *["flashcard"] * 4])
    order = [c.item_id for c in candidates(catalog)]
    assert order == [c.item_id for c in _defined_order(catalog)]
    assert order.index("i00000") < order.index("i00002")  # trap 0.25 before flashcard 0.25
    assert order.index("i00003") < order.index("i00006")  # trap 0.75 before flashcard 0.75
