"""The home screen's overview: per deck and topic, how many items are new, due today
and there at all, and today's counts (memray style: computed here, rendered there).

Apart from :mod:`quizapp.study.context` (which gives it as ``ctx.overview()``) so that a
start straight into a review, which shows no home, does not build these classes.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from quizapp.decks.columns import item_columns
from quizapp.srs.records import NEW, DayCounts
from quizapp.study.context import AppContext, StudyRequest
from quizapp.study.format import topic_title

if TYPE_CHECKING:
    from quizapp.srs.stats import Accuracy

__all__ = ["Counts", "DeckRow", "Overview", "overview"]


@dataclass(frozen=True)
class Counts:
    """How many items of a deck or topic are new, due today, and there at all."""

    new: int = 0
    due: int = 0
    total: int = 0


@dataclass(frozen=True)
class DeckRow:
    """One line of the home screen's deck list: a deck (topic None) or one of its topics."""

    deck: str
    topic: str | None
    title: str
    counts: Counts


@dataclass(frozen=True)
class Overview:
    """A snapshot for the home screen (memray style: computed here, rendered there)."""

    rows: tuple[DeckRow, ...]
    today: DayCounts
    graded_today: Accuracy  # today's "% right": graded answers only, as stats counts them
    review_size: int
    due_total: int
    new_total: int


def overview(ctx: AppContext) -> Overview:
    """The home screen's snapshot of ``ctx``'s catalog and progress, now."""
    now = ctx.clock.now()
    today = ctx.config.today(now)
    day_end = ctx.config.day_bounds(today)[1]
    # Every item counts in its deck and topic, and is new unless the store has it
    # answered (or suspended); only the items with progress are looked at one by one,
    # so a large library costs one C-level count over the catalog's columns.
    items = ctx.catalog.items
    columns = item_columns(items)
    totals = Counter(zip(columns.decks, columns.topics, strict=True))
    seen: Counter[tuple[str, str]] = Counter()
    due: Counter[tuple[str, str]] = Counter()
    from quizapp.srs.marks import due_today

    due_ids = due_today(ctx.store, today, day_end)  # the stats' "due today" too
    for item_id, state in ctx.store.states().items():
        entry = items.get(item_id)
        if entry is None or (state.state == NEW and not state.suspended):
            continue  # not in the catalog, or still new
        key = (entry.deck, entry.topic)
        seen[key] += 1
        if item_id in due_ids:
            due[key] += 1
    per_deck: dict[str, list[int]] = {}
    per_topic: dict[tuple[str, str], list[int]] = {}
    for key, total in totals.items():
        tally = [total - seen[key], due[key], total]
        per_topic[key] = tally
        acc = per_deck.setdefault(key[0], [0, 0, 0])
        for i in range(3):
            acc[i] += tally[i]
    rows: list[DeckRow] = []
    for deck in ctx.catalog.decks.values():
        rows.append(DeckRow(deck.id, None, deck.title, Counts(*per_deck.get(deck.id, [0, 0, 0]))))
        for topic in deck.topics:
            counts = Counts(*per_topic.get((deck.id, topic), [0, 0, 0]))
            rows.append(DeckRow(deck.id, topic, topic_title(topic), counts))
    from quizapp.srs.stats import graded_on  # not on the first card's path

    return Overview(
        rows=tuple(rows),
        today=ctx.store.day_counts(today),
        graded_today=graded_on(ctx.store, today),
        review_size=ctx.queue_size(StudyRequest()),
        due_total=sum(c[1] for c in per_deck.values()),
        new_total=sum(c[0] for c in per_deck.values()),
    )
