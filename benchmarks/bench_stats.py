"""``compute_stats`` on 100,000 items with 1,000,000 review rows (goal <= 200 ms).

    PYTHONPATH=. python benchmarks/bench_stats.py [--items N] [--reviews N] [--repeat 9]

Baselines measured in the same run: a bare ``SELECT count(*)`` scan of the review log
and sorting 100,000 floats in Python. Also shown: what the naive alternative (true
retention straight from the log, one GROUP BY over every review) costs.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_db_size import NOW, build_db  # noqa: E402
from bench_queue import catalog, timeit  # noqa: E402

from quizapp.srs.scheduler import SchedulerConfig  # noqa: E402
from quizapp.srs.stats import compute_stats  # noqa: E402
from quizapp.srs.store import Store  # noqa: E402
from quizapp.study.clock import FakeClock  # noqa: E402

NAIVE = (
    "SELECT prev_ivl >= 21, rating = 1, count(*) FROM reviews "
    "WHERE prev_state = 2 AND first_of_day = 1 AND mode != 'cram' GROUP BY 1, 2"
)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--items", type=int, default=100_000)
    ap.add_argument("--reviews", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=9)
    args = ap.parse_args()
    path = build_db(args.items, args.reviews)
    cands = catalog(args.items)
    clock = FakeClock(NOW)
    cfg = SchedulerConfig(timezone="UTC")
    store = Store.open(path)

    def cold_with_catalog() -> object:
        store._ids = None  # noqa: SLF001 - as right after opening the store
        return compute_stats(store, clock, cfg, candidates=cands)

    t_plain = timeit(lambda: compute_stats(store, clock, cfg), args.repeat)
    t_cat = timeit(cold_with_catalog, args.repeat)
    conn = store._conn  # noqa: SLF001 - baselines on the same connection
    t_count = timeit(lambda: conn.execute("SELECT count(*) FROM reviews").fetchone(), args.repeat)
    t_naive = timeit(lambda: conn.execute(NAIVE).fetchall(), max(3, args.repeat // 3))
    floats = [random.random() for _ in range(100_000)]
    t_sort = timeit(lambda: sorted(floats), args.repeat)
    stats = compute_stats(store, clock, cfg, candidates=cands)
    store.close()

    print(f"db: {args.items:,} items, {args.reviews:,} reviews; due today {stats.due_today:,}")
    rows = [
        ("compute_stats (no catalog)", t_plain),
        (f"compute_stats with a {len(cands):,}-item catalog (new, orphans)", t_cat),
        ("for comparison: true retention by one GROUP BY over the log", t_naive),
        ("baseline: SELECT count(*) FROM reviews", t_count),
        ("baseline: sorted(100,000 floats)", t_sort),
    ]
    for label, ms in rows:
        print(f"{label:<62} {ms:8.1f} ms")
    print("goal: stats <= 200 ms")
    for label, ms in rows[:3]:
        print(f"ratio {label[:48]:<48} {ms / t_count:7.1f}x count(*)  {ms / t_sort:6.2f}x sort")


if __name__ == "__main__":
    main()
