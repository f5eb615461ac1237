"""``quizapp progress export`` / ``import`` between two homes that diverged.

    PYTHONPATH=. python benchmarks/bench_progress.py [--items 10000] [--reviews 100000] [--each 1000]

Home A is the benchmark database (bench_db_size.py's generator at this size); home B is a copy.
Then each studies ``--each`` answers on its own (the real scheduler, a fake clock). Measured
(medians): B's export, reading and checking the file, and merging it into a fresh copy of A
(backup included, as the command does). Baseline in the same run: reading A's whole log as
records (``store.reviews()``), the least any merge must do.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_db_size import NOW, build_db  # noqa: E402

from quizapp.interop.progress_io import export_progress, import_progress, read_progress  # noqa: E402
from quizapp.srs.scheduler import Rating, ReviewScheduler, SchedulerConfig  # noqa: E402
from quizapp.srs.store import Store  # noqa: E402
from quizapp.study.clock import FakeClock  # noqa: E402

CFG = SchedulerConfig(enable_fuzzing=False, timezone="UTC")


def study(path: Path, items: int, n: int, seed: int, offset: timedelta) -> None:
    rng = random.Random(seed)
    clock = FakeClock(NOW + offset)
    with Store.open(path) as store:
        sched = ReviewScheduler(store, CFG, clock)
        for _ in range(n):
            item = rng.randrange(items)
            sched.answer(
                f"deck.topic{item % 40}.item-{item:06d}",
                "flashcard",
                Rating(rng.choice((1, 3, 3, 4))),
            )
            clock.advance(minutes=7)


def timed(fn, repeat: int) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--items", type=int, default=10_000)
    ap.add_argument("--reviews", type=int, default=100_000)
    ap.add_argument("--each", type=int, default=1_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    source = build_db(args.items, args.reviews)
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        a, b = root / "a" / "progress.sqlite3", root / "b" / "progress.sqlite3"
        a.parent.mkdir()
        b.parent.mkdir()
        shutil.copy(source, a)
        shutil.copy(source, b)
        study(a, args.items, args.each, 1, timedelta(days=1))
        study(b, args.items, args.each, 2, timedelta(days=1, minutes=3))
        file = root / "b.jsonl"
        with Store.open(b) as store:
            t_export, _ = timed(lambda: export_progress(store, file), args.repeat)
        t_read, data = timed(lambda: read_progress(file), args.repeat)
        with Store.open(a) as store:
            t_base, log = timed(lambda: store.reviews(), args.repeat)
        merges, report = [], None
        for n in range(args.repeat):
            fresh = root / f"m{n}" / "progress.sqlite3"
            fresh.parent.mkdir()
            shutil.copy(a, fresh)
            with Store.open(fresh) as store:
                t = time.perf_counter()
                report, _ = import_progress(store, data, CFG)  # type: ignore[arg-type]
                merges.append((time.perf_counter() - t) * 1000)
        t_merge = statistics.median(merges)
    assert report is not None
    print(
        f"homes: {args.items:,} items, {args.reviews:,} shared answers, {args.each:,} more on each; "
        f"file {file.name}: {len(data.reviews):,} answers"  # type: ignore[union-attr]
    )
    print(f"baseline: store.reviews() of A ({len(log):,} answers)   {t_base:8.0f} ms")  # type: ignore[arg-type]
    for name, ms in (
        ("export B", t_export),
        ("read + check the file", t_read),
        ("merge into A (backup included)", t_merge),
    ):
        print(f"{name:<32} {ms:8.0f} ms   {ms / t_base:5.2f}x baseline")
    print(
        f"merge: {report.reviews_added:,} answers added, {report.items_added} new items, "
        f"{report.items_taken} taken, {report.items_replayed} replayed"
    )


if __name__ == "__main__":
    main()
