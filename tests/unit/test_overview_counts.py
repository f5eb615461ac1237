"""The home screen's counts (``AppContext.overview``) against their plain definition, item
by item: an item is new when it has no progress or is new and not suspended; due when it
is answered, not suspended, not buried and due before the study day ends; every item counts in its
deck's and its topic's total. Progress on items the catalog no longer has is ignored."""

from __future__ import annotations

import random
from datetime import timedelta
from pathlib import Path

import pytest

from quizapp.decks.catalog import Catalog, CatalogItem, Deck, DeckItems
from quizapp.srs import marks
from quizapp.srs.records import NEW
from quizapp.srs.scheduler import Rating, SchedulerConfig
from quizapp.study.clock import FakeClock
from quizapp.study.context import AppContext


def _catalog(n: int, rng: random.Random) -> Catalog:
    def never(entry: CatalogItem) -> object:
        raise AssertionError("a model was built")

    items: dict[str, CatalogItem] = {}
    topics: dict[str, list[str]] = {"alpha": [], "beta": []}
    entries: dict[str, list[CatalogItem]] = {"alpha": [], "beta": []}
    for i in range(n):
        deck = rng.choice(("alpha", "beta"))
        topic = rng.choice(("adam", "sgd", "schedules"))
        kind = rng.choice(("flashcard", "trap", "drill"))
        row = (f"{deck}.{i:04d}", kind, topic, (), "adam" if kind == "drill" else None, i)
        items[row[0]] = CatalogItem.lazy(row, deck, f"{deck}.toml", never)  # type: ignore[arg-type]
        entries[deck].append(items[row[0]])
        if topic not in topics[deck]:
            topics[deck].append(topic)
    catalog = Catalog(items=items)
    for deck, deck_topics in topics.items():
        catalog.decks[deck] = Deck(
            id=deck, title=deck.title(), items=DeckItems(entries[deck]), topics=deck_topics
        )
    return catalog


def _defined(ctx: AppContext) -> dict[tuple[str, str | None], tuple[int, int, int]]:
    """(new, due, total) per deck (topic None) and per (deck, topic), item by item."""
    today = ctx.config.today(ctx.now())
    day_end = ctx.config.day_bounds(today)[1]
    states = ctx.store.states()
    kept_out = marks.buried(ctx.store, today)
    out: dict[tuple[str, str | None], list[int]] = {}
    for entry in ctx.catalog.items.values():
        state = states.get(entry.id)
        new = due = 0
        if state is None or (state.state == NEW and not state.suspended):
            new = 1
        elif not state.suspended and state.due is not None and state.due < day_end:
            due = int(entry.id not in kept_out)
        for key in ((entry.deck, None), (entry.deck, entry.topic)):
            acc = out.setdefault(key, [0, 0, 0])
            acc[0] += new
            acc[1] += due
            acc[2] += 1
    return {key: (a, b, c) for key, (a, b, c) in out.items()}


@pytest.mark.parametrize("seed", range(4))
def test_overview_counts_follow_the_definition(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    clock = FakeClock()
    catalog = _catalog(160, rng)
    config = SchedulerConfig(enable_fuzzing=False, timezone="UTC")
    ctx = AppContext.open(catalog, tmp_path / "progress.sqlite3", clock=clock, config=config)
    try:
        ids = list(catalog.items)
        for item_id in rng.sample(ids, 60):  # answered over a few days: some due today
            kind = catalog.items[item_id].kind
            ctx.scheduler.answer(item_id, kind, rng.choice(list(Rating)))
            clock.advance(timedelta(hours=rng.choice((1, 6, 30))))
        for item_id in rng.sample(ids, 15):  # suspended: answered or never seen
            ctx.store.suspend(item_id, catalog.items[item_id].kind)
        ctx.scheduler.answer("gone.item", "flashcard", Rating.Good)  # not in the catalog
        before = ctx.overview().due_total
        today = ctx.config.today(ctx.now())
        due_now = [
            i
            for i, s in ctx.store.states().items()
            if i in catalog.items
            and s.due
            and not s.suspended
            and s.state != NEW
            and s.due < ctx.now()
        ]
        assert due_now
        marks.bury(ctx.store, due_now[:3], today)  # buried: out of today's due (tester2)
        overview = ctx.overview()
        assert overview.due_total == before - len(due_now[:3])
        shown = {
            (row.deck, row.topic): (row.counts.new, row.counts.due, row.counts.total)
            for row in overview.rows
        }
        want = _defined(ctx)
        assert shown == want
        assert overview.new_total == sum(v[0] for k, v in want.items() if k[1] is None)
        assert overview.due_total == sum(v[1] for k, v in want.items() if k[1] is None)
        assert overview.due_total > 0 and 0 < overview.new_total < len(ids)
        # stats' "due today" is the same figure: one definition (tester: home 10, stats 11
        # with one item buried)
        assert ctx.stats().due_today == overview.due_total
    finally:
        ctx.close()
