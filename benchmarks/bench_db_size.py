"""Size of the progress database per 1M reviews; also builds the shared benchmark db.

    PYTHONPATH=. python benchmarks/bench_db_size.py [--items 100000] [--reviews 1000000] [--fresh]

The benchmark database (100,000 items, 1,000,000 review rows spread over a year, in the
real schema) is bulk-generated once into the temp dir and reused by bench_queue.py and
bench_stats.py. Baseline for the size: the same review rows as a bare CSV-like text
dump (what the log would cost as a plain file).
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from quizapp.srs.days import study_day, to_ms  # noqa: E402
from quizapp.srs.schema import BACKFILL_DAILY, SCHEMA_VERSION  # noqa: E402
from quizapp.srs.store import Store  # noqa: E402

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
DAY_MS = 86_400_000
KINDS = ("flashcard", "trap", "drill")
TOPICS = tuple(f"topic-{i}" for i in range(40))
DRILLS = tuple(f"drill-{i}" for i in range(12))
MISTAKES = tuple(f"mistake-{i}" for i in range(30))


def bench_path(items: int, reviews: int) -> Path:
    return (
        Path(tempfile.gettempdir()) / f"quizapp-bench-v{SCHEMA_VERSION}-{items}-{reviews}.sqlite3"
    )


def build_db(items: int = 100_000, reviews: int = 1_000_000, fresh: bool = False) -> Path:
    """Generate (or reuse) the benchmark database; returns its path."""
    path = bench_path(items, reviews)
    if path.exists() and not fresh:
        return path
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    t0 = time.perf_counter()
    Store.open(path).close()  # the real schema, migrated to the current version
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("BEGIN")
    rng = random.Random(42)
    now_ms = to_ms(NOW)
    today = study_day(NOW, 4, UTC)
    item_rows = []
    for i in range(items):
        kind = KINDS[i % 3]
        # A learner in steady state: 100 items in (re)learning steps, minutes away;
        # a review item is due between a day ago and one interval from now.
        state = (1, 3)[i % 2] if i % 1000 == 7 else 2
        stability = rng.lognormvariate(3.0, 1.0)
        interval = max(1, round(stability)) * DAY_MS
        if state == 2:
            due = now_ms + rng.randrange(-DAY_MS, interval + 1)
            last = due - interval
        else:
            due = now_ms + rng.randrange(-3_600_000, 3_600_000)
            last = due - 600_000
        item_rows.append((
            i + 1, f"deck.topic{i % 40}.item-{i:06d}", kind, "deck", TOPICS[i % 40],
            DRILLS[i % 12] if kind == "drill" else None, state, None if state == 2 else 0,
            stability, rng.uniform(1, 10), due, last, last - 200 * DAY_MS, 10, rng.randrange(3),
            int(rng.random() < 0.01), 0, 10, 0,
        ))  # fmt: skip
    conn.executemany(
        "INSERT INTO items (id, item_id, kind, deck, topic, subkind, state, step, stability, "
        "difficulty, due, last_review, first_review, reps, lapses, suspended, leech, answered, "
        "n_correct) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        item_rows,
    )

    def review_rows():  # noqa: ANN202
        start = now_ms - 365 * DAY_MS
        for n in range(reviews):
            item = n % items + 1
            ts = start + (n * 365 * DAY_MS) // reviews + rng.randrange(0, 3_600_000)
            rating = rng.choices((1, 2, 3, 4), (12, 8, 70, 10))[0]
            drill = item % 3 == 0
            yield (
                item, ts, today - 365 + (ts - start) // DAY_MS, "review", rating, int(rating > 1),
                rng.randrange(1000, 60_000), f"{rng.random():.6g}" if drill else None,
                rng.randrange(2**31) if drill else None,
                MISTAKES[rng.randrange(30)] if rating == 1 and drill else None,
                2 if n >= items else 0, rng.uniform(1, 60), int(rng.random() < 0.95), None,
            )  # fmt: skip

    conn.executemany(
        "INSERT INTO reviews (item, ts, day, mode, rating, correct, duration_ms, answer, seed, "
        "mistake, prev_state, prev_ivl, first_of_day, meta) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        review_rows(),
    )
    conn.execute(
        "UPDATE items SET n_correct = answered - 1 - (id % 3)"
    )  # plausible accuracy counters; exact values do not matter for timing
    conn.execute(BACKFILL_DAILY)
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    print(f"generated {path} in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    return path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--items", type=int, default=100_000)
    ap.add_argument("--reviews", type=int, default=1_000_000)
    ap.add_argument("--fresh", action="store_true", help="regenerate the benchmark database")
    args = ap.parse_args()
    path = build_db(args.items, args.reviews, args.fresh)
    conn = sqlite3.connect(path)
    page = conn.execute("PRAGMA page_size").fetchone()[0]
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    per_table = (
        dict(conn.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name").fetchall())
        if _has_dbstat(conn)
        else {}
    )
    sample = conn.execute(
        "SELECT item, ts, day, mode, rating, correct, duration_ms, answer, seed, mistake, "
        "prev_state, prev_ivl, first_of_day FROM reviews LIMIT 10000"
    ).fetchall()
    conn.close()
    t = time.perf_counter()
    Store.open(path).close()  # includes the read-only PRAGMA quick_check of the whole file
    t_open = (time.perf_counter() - t) * 1000
    size = os.path.getsize(path)
    text_bytes = sum(len(",".join("" if v is None else str(v) for v in r)) + 1 for r in sample)
    text_per_m = text_bytes / len(sample) * 1_000_000
    log_bytes = sum(v for k, v in per_table.items() if k.startswith("reviews"))
    per_m = size / args.reviews * 1_000_000
    print(
        f"database: {args.items:,} items, {args.reviews:,} reviews, page size {page}, {pages:,} pages"
    )
    print(
        f"file size                  {size / 2**20:8.1f} MiB  ({per_m / 2**20:.1f} MiB per 1M reviews, items included)"
    )
    if log_bytes:
        print(
            f"review log + its indexes   {log_bytes / 2**20:8.1f} MiB  ({log_bytes / args.reviews * 1e6 / 2**20:.1f} MiB per 1M reviews)"
        )
        for name, b in sorted(per_table.items(), key=lambda kv: -kv[1])[:8]:
            print(f"  {name:<24} {b / 2**20:8.1f} MiB")
    print(f"Store.open (inspect + quick_check + migrate check): {t_open:.0f} ms")
    print(f"baseline: the same rows as CSV text  {text_per_m / 2**20:.1f} MiB per 1M reviews")
    if log_bytes:
        print(
            f"ratio log-in-SQLite / CSV text       {log_bytes / args.reviews * 1e6 / text_per_m:.2f}x"
        )


def _has_dbstat(conn: sqlite3.Connection) -> bool:
    try:
        conn.execute("SELECT 1 FROM dbstat LIMIT 1").fetchall()
        return True
    except sqlite3.DatabaseError:
        return False


if __name__ == "__main__":
    main()
