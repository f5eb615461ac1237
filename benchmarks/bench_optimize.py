"""Fit FSRS to 20,000 reviews (fsrs-rs), and measure whether kinds should be fitted apart.

    PYTHONPATH=. python benchmarks/bench_optimize.py [--items 1900] [--days 200] [--repeat 3]

The review log is made by quizapp's own scheduler for a simulated learner
(tests/synthetic_learner.py) whose drills and traps are forgotten faster than flashcards.
Times are medians, with ratios against baselines measured in the same run: reading the
training items from the log, fsrs-rs's evaluation of the default parameters on them, and
sorting 100,000 floats in Python. The per-kind question is answered on held-out items (a
quarter of the items, by item): log loss and RMSE of (a) one fit of all kinds together and
(b) one fit per kind, each on the other three quarters.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fsrs.scheduler import DEFAULT_PARAMETERS  # noqa: E402

from quizapp.srs import optimize  # noqa: E402
from quizapp.srs.store import Store  # noqa: E402
from tests.synthetic_learner import KINDS, TRUE_PARAMETERS, generate  # noqa: E402

# drills: fast forgetting, low initial stability; traps: in between
DRILL_TRUTH = (0.05, 0.2, 0.5, 2.0, 7.5, 1.0, 2.6, 0.02, 1.3, 0.1, 1.0, 2.0, 0.06, 0.4, 1.2, 0.4, 2.0, 0.5, 0.1, 0.05, 0.3)  # fmt: skip
TRAP_TRUTH = (0.1, 0.6, 1.2, 5.0, 7.0, 0.9, 2.4, 0.01, 1.5, 0.12, 0.9, 1.8, 0.07, 0.35, 1.4, 0.45, 2.1, 0.5, 0.1, 0.05, 0.2)  # fmt: skip


def timeit(fn: Callable[[], object], repeat: int) -> float:
    fn()
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--items", type=int, default=1900)
    ap.add_argument("--days", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--seeds", type=int, default=3, help="held-out splits for the kind question")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(Path(tmp) / "progress.sqlite3")
        t = time.perf_counter()
        log = generate(
            store,
            items=args.items,
            days=args.days,
            new_per_day=max(10, args.items // (args.days // 2)),
            kind_parameters={"drill": DRILL_TRUTH, "trap": TRAP_TRUTH},
        )
        made = time.perf_counter() - t
        training = optimize.training_set(store)
        print(
            f"log: {log.reviews} reviews of {len(training.histories)} items in {args.days} days "
            f"({made:.1f} s to generate); {training.items} training items"
        )
        floats = [random.random() for _ in range(100_000)]
        base_sort = timeit(lambda: sorted(floats), 15)
        base_read = timeit(lambda: optimize.training_set(store), args.repeat)
        base_eval = timeit(lambda: optimize.evaluate(DEFAULT_PARAMETERS, training), args.repeat)
        fit_ms = timeit(lambda: optimize.fit(training), args.repeat)
        total = timeit(lambda: optimize.optimize(store), args.repeat)
        print(
            f"{'measure':<44} {'ms':>9} {'× read log':>10} {'× evaluate':>10} {'× sort 100k':>11}"
        )
        for name, ms in (
            ("read training items from the log", base_read),
            ("evaluate defaults (fsrs-rs)", base_eval),
            ("fit (fsrs-rs compute_parameters + evaluate)", fit_ms),
            ("quizapp optimize end to end (read + fit)", total),
            ("sorted(100k floats)", base_sort),
        ):
            print(
                f"{name:<44} {ms:>9.1f} {ms / base_read:>10.2f} {ms / base_eval:>10.2f} "
                f"{ms / base_sort:>11.2f}"
            )

        print("\nper kind or together? held-out log loss / RMSE (lower is better)")
        rows: dict[str, list[tuple[float, float, float, float, float, float]]] = {}
        for seed in range(args.seeds):
            train, test = training.split(0.25, seed=seed)
            together = optimize.fit(train).parameters
            for kind in KINDS:
                tr, te = train.of_kinds([kind]), test.of_kinds([kind])
                alone = optimize.fit(tr, min_items=1).parameters
                d = optimize.evaluate(DEFAULT_PARAMETERS, te)
                a = optimize.evaluate(together, te)
                b = optimize.evaluate(alone, te)
                rows.setdefault(kind, []).append(
                    (d.log_loss, a.log_loss, b.log_loss, d.rmse, a.rmse, b.rmse)
                )
        print(f"{'kind':<10} {'defaults':>18} {'together':>18} {'per kind':>18}")
        for kind, values in rows.items():
            m = [statistics.mean(v[k] for v in values) for k in range(6)]
            print(
                f"{kind:<10} {m[0]:>9.4f} {100 * m[3]:>6.2f}% {m[1]:>9.4f} {100 * m[4]:>6.2f}% "
                f"{m[2]:>9.4f} {100 * m[5]:>6.2f}%"
            )
        store.close()
    print(
        f"(truth: flashcards {TRUE_PARAMETERS[:4]}…, traps {TRAP_TRUTH[:4]}…, drills {DRILL_TRUTH[:4]}…)"
    )


if __name__ == "__main__":
    main()
