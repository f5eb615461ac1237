"""The catalog kept as columns (issue 16, home at 100k items): the loaded catalog's items
(:class:`~quizapp.decks.catalog.CatalogItems`) answer as the dict of entries they replace,
the queue's lazy candidate pool gives exactly the queue the full candidate list gives (the
list is the oracle), and the home screen's counts make no entry for an item without
progress."""

from __future__ import annotations

import random
from datetime import timedelta
from pathlib import Path

import pytest

from quizapp.decks.catalog import Catalog, CatalogItem
from quizapp.decks.columns import CatalogItems, FileColumns, item_columns
from quizapp.decks.loader import load_paths
from quizapp.srs import marks
from quizapp.srs.scheduler import Rating, SchedulerConfig
from quizapp.study.clock import FakeClock
from quizapp.study.context import AppContext, StudyRequest
from quizapp.study.queue import QueueFilter, build_queue
from quizapp.study.start import CandidatePool, candidates

KINDS = ("flashcard", "trap", "drill")


def _never(entry: CatalogItem) -> object:
    raise AssertionError("a model was built")


def _columns(rng: random.Random, prefix: str, n: int, mix: tuple[str, ...]) -> FileColumns:
    kinds = [rng.choice(mix) for _ in range(n)]
    return FileColumns(
        [f"{prefix}.{i:04d}" for i in range(n)],
        kinds,
        [rng.choice((None, "adam", "sgd")) for _ in range(n)],
        [" ".join(sorted(rng.sample(["a", "b", "c"], rng.randint(0, 2)))) for _ in range(n)],
        ["adam" if k == "drill" else None for k in kinds],
        [1 + 5 * i for i in range(n)],
    )


def _catalog(rng: random.Random, files: int = 3, per_file: int = 80) -> Catalog:
    mix = rng.choice([("flashcard",), ("flashcard", "trap"), KINDS])
    items = CatalogItems()
    for f in range(files):
        deck = f"d{f % 2}"
        added = items.add_file(
            deck, f"/decks/{f}.toml", _never, _columns(rng, f"f{f}", per_file, mix)
        )  # type: ignore[arg-type]
        assert isinstance(added, range)
    return Catalog(items=items)


def test_catalog_items_answer_as_a_dict_of_entries() -> None:
    rng = random.Random(1)
    catalog = _catalog(rng)
    items = catalog.items
    assert isinstance(items, CatalogItems)
    assert items.made == 0
    plain = dict(items)  # one lookup per id: every entry made
    assert items.made == len(items) == 240
    assert list(items) == list(plain) and list(items.values()) == list(plain.values())
    assert items == plain and "f1.0003" in items and "nope" not in items
    assert items.get("nope") is None and items["f2.0079"] is plain["f2.0079"]
    entry = items["f0.0001"]
    assert entry.topic in ("adam", "sgd", "general") and entry.deck == "d0"
    assert entry.path == "/decks/0.toml" and entry.line == 6
    columns, defined = item_columns(items), item_columns(plain)  # the entries' own values
    assert columns[:4] == defined[:4]
    assert [tuple(t) for t in columns.tags] == list(defined.tags)


def test_a_repeated_id_adds_nothing_and_names_the_first() -> None:
    rng = random.Random(2)
    items = CatalogItems()
    first = _columns(rng, "x", 5, KINDS)
    assert items.add_file("d", "/a.toml", _never, first) == range(0, 5)
    again = first._replace(ids=["y.0", "x.0003", "y.1", "y.1", "y.2"])
    repeats = items.add_file("d", "/b.toml", _never, again)
    assert [(row, e.id, e.path, e.line) for row, e in repeats] == [
        (1, "x.0003", "/a.toml", 16),
        (3, "y.1", "/b.toml", 11),  # a repeat inside the file names its first row
    ]
    assert len(items) == 5 and "y.0" not in items


@pytest.mark.parametrize("seed", range(8))
def test_the_pool_reads_in_the_order_of_the_list(seed: int) -> None:
    catalog = _catalog(random.Random(seed))
    assert list(CandidatePool(catalog)._in_order()) == candidates(catalog)
    pool = CandidatePool(catalog)
    pool.LAZY = 37  # read lazily, then from the whole list: the same order throughout
    assert list(pool) == candidates(catalog) and pool._all is not None
    plain = Catalog(items=dict(catalog.items))
    assert candidates(plain) == candidates(catalog)


@pytest.mark.parametrize("seed", range(6))
def test_a_queue_read_lazily_is_the_queue_of_the_whole_list(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    catalog = _catalog(rng, files=4, per_file=60)
    config = SchedulerConfig(
        enable_fuzzing=False,
        timezone="UTC",
        new_per_day=rng.choice((0, 5, 20, 500)),
        reviews_per_day=rng.choice((3, 200)),
    )
    clock = FakeClock()
    ctx = AppContext.open(catalog, tmp_path / "p.sqlite3", clock=clock, config=config)
    try:
        ids = list(catalog.items)
        for item_id in rng.sample(ids, 70):  # answered over a few days
            ctx.scheduler.answer(item_id, catalog.items[item_id].kind, rng.choice(list(Rating)))
            clock.advance(timedelta(hours=rng.choice((1, 6, 30))))
        for item_id in rng.sample(ids, 10):
            ctx.store.suspend(item_id, catalog.items[item_id].kind)
        marks.bury(ctx.store, rng.sample(ids, 10), config.today(clock.now()))
        ctx.scheduler.answer("gone.item", "flashcard", Rating.Again)  # an orphan
        clock.advance(timedelta(minutes=rng.choice((0, 5, 600))))
        lazy = build_queue(ctx.store, CandidatePool(catalog), clock, config)
        whole = build_queue(ctx.store, candidates(catalog), clock, config)
        assert lazy == whole and lazy
        switching = CandidatePool(catalog)
        switching.LAZY = 5  # past the answered items: lazily, then from the whole list
        assert build_queue(ctx.store, switching, clock, config) == whole
        assert ctx.queue_size(StudyRequest()) == len(whole)
        # a filter or a cram reads the pool's whole list: the same queue as the list's
        only = QueueFilter(decks=frozenset({"d1"}), tags=frozenset({"a"}))
        for kwargs in ({"filter": only}, {"cram": True}, {"filter": only, "cram": True}):
            pool_queue = build_queue(ctx.store, CandidatePool(catalog), clock, config, **kwargs)
            assert pool_queue == build_queue(
                ctx.store, candidates(catalog), clock, config, **kwargs
            )
    finally:
        ctx.close()


def test_home_makes_no_entry_for_an_item_without_progress(tmp_path: Path) -> None:
    folder = tmp_path / "decks"
    folder.mkdir()
    body = "".join(
        f'\n[[flashcard]]\nid = "big.{i}"\nfront = "Q{i}"\nback = "A{i}"\n' for i in range(300)
    )
    (folder / "big.toml").write_text('deck = "big"\ntopic = "adam"\n' + body, encoding="utf-8")
    catalog = load_paths([folder])
    assert isinstance(catalog.items, CatalogItems)
    clock = FakeClock()
    config = SchedulerConfig(enable_fuzzing=False, timezone="UTC")
    ctx = AppContext.open(catalog, tmp_path / "p.sqlite3", clock=clock, config=config)
    try:
        for i in range(3):
            ctx.scheduler.answer(f"big.{i}", "flashcard", Rating.Good)
        made = catalog.items.made
        overview = ctx.overview()
        assert catalog.items.made - made <= 3 + config.new_per_day
        assert overview.new_total == 297 and overview.review_size > 0
        assert [(r.topic, r.counts.total) for r in overview.rows] == [(None, 300), ("adam", 300)]
    finally:
        ctx.close()
