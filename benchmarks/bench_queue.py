"""Build the due queue for 100,000 items with 1,000,000 review rows (goal <= 50 ms).

    PYTHONPATH=. python benchmarks/bench_queue.py [--items N] [--reviews N] [--repeat 15]

Baselines measured in the same run: a bare ``SELECT count(*)`` scan of the review log
and sorting 100,000 floats in Python.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_db_size import KINDS, NOW, TOPICS, build_db  # noqa: E402

from quizapp.srs.scheduler import SchedulerConfig  # noqa: E402
from quizapp.srs.store import Store  # noqa: E402
from quizapp.study.clock import FakeClock  # noqa: E402
from quizapp.study.queue import QueueCandidate, QueueFilter, build_queue  # noqa: E402


def timeit(fn: Callable[[], object], repeat: int) -> float:
    """Median wall time of ``fn`` in ms (after one warm-up call)."""
    fn()
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def catalog(items: int) -> list[QueueCandidate]:
    """The same ids as the benchmark db, plus 1,000 unseen items."""
    out = [
        QueueCandidate(f"deck.topic{i % 40}.item-{i:06d}", KINDS[i % 3], "deck", TOPICS[i % 40])
        for i in range(items)
    ]
    out += [QueueCandidate(f"deck.new.item-{i}", KINDS[i % 3], "deck", "new") for i in range(1000)]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--items", type=int, default=100_000)
    ap.add_argument("--reviews", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=15)
    args = ap.parse_args()
    path = build_db(args.items, args.reviews)
    cands = catalog(args.items)
    clock = FakeClock(NOW)
    store = Store.open(path)
    cfg = SchedulerConfig(timezone="UTC")
    big = SchedulerConfig(timezone="UTC", reviews_per_day=1_000_000, new_per_day=1000)
    drills = QueueFilter(kinds=frozenset({"drill"}), topics=frozenset(TOPICS[:20]))

    q = build_queue(store, cands, clock, cfg)
    q_all = build_queue(store, cands, clock, big)
    t_default = timeit(lambda: build_queue(store, cands, clock, cfg), args.repeat)
    t_all = timeit(lambda: build_queue(store, cands, clock, big), args.repeat)

    def cold() -> object:
        store._ids = None  # noqa: SLF001 - as on the first build after opening the store
        return build_queue(store, cands, clock, cfg)

    t_cold = timeit(cold, args.repeat)
    t_filter = timeit(lambda: build_queue(store, cands, clock, cfg, drills), args.repeat)

    conn = store._conn  # noqa: SLF001 - the baseline runs on the same connection
    t_count = timeit(lambda: conn.execute("SELECT count(*) FROM reviews").fetchone(), args.repeat)
    floats = [random.random() for _ in range(100_000)]
    t_sort = timeit(lambda: sorted(floats), args.repeat)
    store.close()

    due = sum(1 for e in q_all if e.status != "new")
    head = f"{args.items:,} items, {args.reviews:,} reviews; {due:,} due now"
    print(f"db: {head}; candidates {len(cands):,}")
    rows = [
        (f"build_queue, default limits (200/20), {len(q)} entries", t_default),
        ("  same, first build after open (known-id cache cold)", t_cold),
        (f"build_queue, no limits, {len(q_all):,} entries", t_all),
        ("build_queue, filtered (drills of 20 topics)", t_filter),
        ("baseline: SELECT count(*) FROM reviews", t_count),
        ("baseline: sorted(100,000 floats)", t_sort),
    ]
    for label, ms in rows:
        print(f"{label:<55} {ms:8.1f} ms")
    print("goal: default queue <= 50 ms")
    for label, ms in rows[:4]:
        print(
            f"ratio {label.strip()[:40]:<40} {ms / t_count:7.1f}x count(*)  {ms / t_sort:6.2f}x sort"
        )


if __name__ == "__main__":
    main()
