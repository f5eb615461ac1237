"""Browser queries on 100,000 items with progress on 40,000 (goal: within a frame, 16 ms).

    PYTHONPATH=. python benchmarks/bench_browse.py [--items 100000] [--answered 40000] [--repeat 15]

Medians, with ratios against baselines measured in the same run: sorting 100,000 floats
in Python, and a plain Python scan testing one substring in each item's text.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from quizapp.srs.records import CardState  # noqa: E402
from quizapp.srs.scheduler import SchedulerConfig  # noqa: E402
from quizapp.srs.store import Store  # noqa: E402
from quizapp.study.browse import Browser  # noqa: E402
from quizapp.study.clock import FakeClock  # noqa: E402
from tests.synthetic_catalog import make_catalog  # noqa: E402

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
QUERIES = (
    "tag:warmup is:due",
    "gradient bias",
    '"learning rate" -deck:extra',
    "prop:d>0.7 lapses>3",
    "(topic:adam or topic:sgd) is:review prop:r<0.9",
    "id:optimizers.adam.0*",
    "due:7 -is:suspended kind:trap",
)


def timeit(fn: Callable[[], object], repeat: int) -> float:
    fn()
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def progress(store: Store, ids: list[str], kinds: dict[str, str], n: int) -> None:
    """Review-state progress on ``n`` items, written in one transaction."""
    rng = random.Random(1)
    chosen = rng.sample(ids, n)
    for item_id in chosen:
        store.suspend(item_id, kinds[item_id])
    states = []
    for item_id in chosen:
        last = NOW - timedelta(days=rng.uniform(0, 60))
        stability = rng.lognormvariate(2, 1)
        states.append(
            CardState(item_id=item_id, kind=kinds[item_id]).replace(
                state=2,
                stability=stability,
                difficulty=rng.uniform(1, 10),
                due=last + timedelta(days=max(1.0, stability)),
                last_review=last,
                first_review=last - timedelta(days=30),
                reps=rng.randint(1, 20),
                lapses=rng.choice((0, 0, 0, 1, 2, 5)),
                suspended=rng.random() < 0.02,
            )
        )
    store.write_states(states)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--items", type=int, default=100_000)
    ap.add_argument("--answered", type=int, default=40_000)
    ap.add_argument("--repeat", type=int, default=15)
    args = ap.parse_args()
    t = time.perf_counter()
    catalog = make_catalog(args.items, seed=5)
    made = time.perf_counter() - t
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(Path(tmp) / "progress.sqlite3")
        ids = list(catalog.items)
        progress(store, ids, {i: e.kind for i, e in catalog.items.items()}, args.answered)
        config = SchedulerConfig(timezone="UTC")
        t = time.perf_counter()
        browser = Browser(catalog, store, config, FakeClock(NOW))
        opened = (time.perf_counter() - t) * 1000
        floats = [random.random() for _ in range(100_000)]
        texts = browser._text  # the baseline scans the same strings
        base_sort = timeit(lambda: sorted(floats), args.repeat)
        base_scan = timeit(lambda: [t for t in texts if "gradient" in t], args.repeat)
        print(
            f"{args.items} items ({made:.1f} s to make), {args.answered} with progress; "
            f"Browser() built in {opened:.0f} ms (once per screen)"
        )
        print(f"{'query':<50} {'hits':>7} {'ms':>7} {'× scan':>7} {'× sort 100k':>11}")
        worst = 0.0
        for query in QUERIES:
            ms = timeit(lambda q=query: browser.search(q), args.repeat)
            worst = max(worst, ms)
            hits = browser.count(query)
            print(
                f"{query:<50} {hits:>7} {ms:>7.2f} {ms / base_scan:>7.2f} {ms / base_sort:>11.2f}"
            )
        refresh = timeit(browser.refresh, 3)
        print(f"{'(baseline) one substring over every text':<50} {'':>7} {base_scan:>7.2f}")
        print(f"{'(baseline) sorted(100k floats)':<50} {'':>7} {base_sort:>7.2f}")
        print(f"{'(full state re-read, Browser.refresh)':<50} {'':>7} {refresh:>7.1f}")
        print(f"slowest query {worst:.1f} ms (goal 16 ms)")
        store.close()


if __name__ == "__main__":
    main()
