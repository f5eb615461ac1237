"""The study queue: order, retrievability, limits, the 4 am day boundary, interleaving, cram."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizapp.srs.scheduler import Rating, ReviewScheduler, SchedulerConfig
from quizapp.srs.store import Store
from quizapp.study.clock import FakeClock
from quizapp.study.queue import QueueCandidate, QueueEntry, QueueFilter, build_queue, interleave

T0 = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
KINDS = ("flashcard", "trap", "drill")


def cfg(**kw: object) -> SchedulerConfig:
    return SchedulerConfig(enable_fuzzing=False, timezone="UTC", **kw)  # type: ignore[arg-type]


@pytest.fixture
def store(tmp_path: Path):  # noqa: ANN201
    s = Store.open(tmp_path / "p.db")
    yield s
    s.close()


def cands(n: int, kind: str | None = None, prefix: str = "d.i") -> list[QueueCandidate]:
    return [
        QueueCandidate(
            f"{prefix}{i:03d}", kind or KINDS[i % 3], "deck", f"t{i % 2}", (f"g{i % 4}",)
        )
        for i in range(n)
    ]


def ids(queue: list[QueueEntry]) -> list[str]:
    return [e.item_id for e in queue]


def test_new_items_in_catalog_order_up_to_limit(store: Store) -> None:
    clock = FakeClock(T0)
    q = build_queue(store, cands(50), clock, cfg(new_per_day=7))
    assert len(q) == 7 and {e.status for e in q} == {"new"}
    assert ids(q) == [f"d.i{i:03d}" for i in range(7)]  # kinds already alternate


def test_new_limit_counts_what_was_started_today(store: Store) -> None:
    clock = FakeClock(T0)
    c = cfg(new_per_day=5)
    sched = ReviewScheduler(store, c, clock)
    for e in build_queue(store, cands(20), clock, c)[:3]:
        sched.answer(e.item_id, e.kind, Rating.Good)
    clock.advance(minutes=1)
    q = build_queue(store, cands(20), clock, c)
    assert [e.status for e in q].count("new") == 2
    # learning items due later today come last (learn-ahead), still scheduled
    clock.advance(minutes=10)
    q = build_queue(store, cands(20), clock, c)
    assert [e.status for e in q[:3]] == ["learning"] * 3


def test_due_reviews_first_lowest_retrievability_first(store: Store) -> None:
    clock = FakeClock(T0)
    c = cfg()
    sched = ReviewScheduler(store, c, clock)
    items = cands(6, "trap")
    for k, item in enumerate(items[:4]):  # same stability, reviewed on different days
        clock.set(T0 + timedelta(days=k))
        sched.answer(item.item_id, "trap", Rating.Easy)
    clock.set(T0 + timedelta(days=40))
    q = build_queue(store, items, clock, c)
    reviews = [e for e in q if e.status == "review"]
    assert ids(reviews) == [i.item_id for i in items[:4]]  # oldest review = lowest R
    rs = [e.retrievability for e in reviews]
    assert rs == sorted(rs) and all(0 < r < 1 for r in rs)  # type: ignore[operator]
    assert [e.status for e in q] == ["review"] * 4 + ["new"] * 2


def test_review_limit(store: Store) -> None:
    clock = FakeClock(T0)
    c = cfg(reviews_per_day=3, new_per_day=0)
    sched = ReviewScheduler(store, c, clock)
    for item in cands(5):
        sched.answer(item.item_id, item.kind, Rating.Easy)
    clock.advance(days=30)
    q = build_queue(store, cands(5), clock, c)
    assert len(q) == 3
    sched.answer(q[0].item_id, q[0].kind, Rating.Good)
    assert len(build_queue(store, cands(5), clock, c)) == 2


def test_day_boundary_at_4am_local(store: Store) -> None:
    tz = ZoneInfo("America/New_York")
    c = SchedulerConfig(enable_fuzzing=False, timezone="America/New_York", new_per_day=2)
    clock = FakeClock(datetime(2026, 3, 2, 23, 0, tzinfo=tz))
    sched = ReviewScheduler(store, c, clock)
    for e in build_queue(store, cands(10), clock, c):
        sched.answer(e.item_id, e.kind, Rating.Easy)
    clock.set(datetime(2026, 3, 3, 3, 59, tzinfo=tz))  # still "yesterday" until 4 am
    assert [e for e in build_queue(store, cands(10), clock, c) if e.status == "new"] == []
    late = sched.answer("d.i009", "drill", Rating.Good)
    assert late.review.day == store.reviews("d.i000")[0].day  # 03:59 counts for the previous day
    clock.set(datetime(2026, 3, 3, 4, 1, tzinfo=tz))
    assert len([e for e in build_queue(store, cands(10), clock, c) if e.status == "new"]) == 2


def test_review_due_later_today_counts_as_due_today(store: Store) -> None:
    c = cfg(new_per_day=0)
    clock = FakeClock(T0)  # 12:00 UTC; the UTC study day ends at 04:00 tomorrow
    sched = ReviewScheduler(store, c, clock)
    sched.answer("d.i000", "flashcard", Rating.Easy)
    due = store.get("d.i000").due  # type: ignore[union-attr]
    clock.set(due - timedelta(hours=8))  # 04:00 on the due date: a new study day
    assert ids(build_queue(store, cands(1), clock, c)) == ["d.i000"]
    clock.set(due - timedelta(hours=8, minutes=1))  # 03:59: still the day before
    assert build_queue(store, cands(1), clock, c) == []


def test_suspended_and_orphans_never_queued(store: Store) -> None:
    clock = FakeClock(T0)
    c = cfg()
    sched = ReviewScheduler(store, c, clock)
    sched.answer("d.gone", "trap", Rating.Good)  # not in the catalog any more
    store.suspend("d.i001", "trap")
    clock.advance(days=2)
    q = build_queue(store, cands(4), clock, c)
    assert "d.gone" not in ids(q) and "d.i001" not in ids(q)
    store.unsuspend("d.i001")
    assert "d.i001" in ids(build_queue(store, cands(4), clock, c))


def test_filters(store: Store) -> None:
    clock = FakeClock(T0)
    c = cfg(new_per_day=100)
    all_ = cands(24)
    assert {
        e.kind for e in build_queue(store, all_, clock, c, QueueFilter(kinds=frozenset({"drill"})))
    } == {"drill"}
    q = build_queue(
        store, all_, clock, c, QueueFilter(topics=frozenset({"t1"}), tags=frozenset({"g1", "g3"}))
    )
    assert q and all(e.topic == "t1" and e.tags[0] in ("g1", "g3") for e in q)
    assert build_queue(store, all_, clock, c, QueueFilter(decks=frozenset({"other"}))) == []


def _max_run(kinds: list[str]) -> int:
    best = run = 0
    for i, k in enumerate(kinds):
        run = run + 1 if i and kinds[i - 1] == k else 1
        best = max(best, run)
    return best


def test_kinds_interleaved(store: Store) -> None:
    clock = FakeClock(T0)
    catalog = cands(12, "drill", "d.x") + cands(4, "flashcard", "d.y") + cands(4, "trap", "d.z")
    q = build_queue(store, catalog, clock, cfg(new_per_day=20))
    kinds = [e.kind for e in q]
    assert sorted(kinds) == sorted(c.kind for c in catalog)
    assert _max_run(kinds[:12]) <= 2  # while other kinds wait, no run longer than 2
    assert kinds[:6] == ["drill", "drill", "flashcard", "drill", "drill", "flashcard"]


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
@given(st.lists(st.sampled_from(KINDS), max_size=60), st.integers(1, 4))
def test_interleave_properties(kinds: list[str], max_run: int) -> None:
    entries = [QueueEntry(f"i{n}", k, "d", None, (), "new") for n, k in enumerate(kinds)]
    out, _ = interleave(entries, max_run)
    assert sorted(ids(out)) == sorted(ids(entries))
    for kind in KINDS:  # relative order within a kind is kept
        assert [e.item_id for e in out if e.kind == kind] == [
            e.item_id for e in entries if e.kind == kind
        ]
    out_kinds = [e.kind for e in out]
    for i in range(max_run, len(out)):
        window = out_kinds[i - max_run : i + 1]
        if len(set(window)) == 1:  # a long run only when nothing else was left
            assert all(k == window[0] for k in out_kinds[i:])


def test_cram_everything_matching_schedule_untouched(store: Store) -> None:
    clock = FakeClock(T0)
    c = cfg(new_per_day=1)
    sched = ReviewScheduler(store, c, clock)
    for item in cands(4):
        sched.answer(item.item_id, item.kind, Rating.Easy)
    store.suspend("d.i003")
    before = {k: (v.due, v.stability, v.state) for k, v in store.states().items()}
    q = build_queue(store, cands(9), clock, c, cram=True)
    assert sorted(ids(q)) == sorted(f"d.i{i:03d}" for i in range(9) if i != 3)
    assert [e.status for e in q][:3] == ["review"] * 3
    for e in q:
        sched.answer(e.item_id, e.kind, Rating.Again, mode="cram")
    after = {k: (v.due, v.stability, v.state) for k, v in store.states().items()}
    assert {k: v for k, v in after.items() if k in before} == before
    assert all(store.states()[e.item_id].is_new for e in q if e.status == "new")
