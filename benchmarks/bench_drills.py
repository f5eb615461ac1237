"""One drill, generated and graded, per kind: the latency a learner meets in the app.

    PYTHONPATH=. python benchmarks/bench_drills.py [--n 200] [--kinds adam,sgd,...]

Goal (issue 12): generate + grade one problem < 1 ms median for every kind. Each call uses a
fresh seed (nothing cached by an earlier call helps) and grades the exact answer as shown.
The "draws" column is the mean number of draws a problem took (generation redraws degenerate
problems, at most MAX_ATTEMPTS; counted outside the timing).
Baselines, measured in the same run: (a) a plain NumPy Adam step on one scalar written inline
(the least work any "compute the next Adam step" drill must do), (b) ``json.dumps`` of one
problem's JSON (the cost of merely serialising what we hand out). Ratios are medians over
medians; > 1 means slower than the baseline.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable

import numpy as np

from quizapp.engine import drills
from quizapp.engine.drills.catalog import get_kind
from quizapp.engine.drills.generation import draw


def median_time(fn: Callable[[], object], n: int) -> float:
    """Median wall time of ``n`` calls (seconds)."""
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def numpy_adam_scalar() -> None:
    theta, g, m, v = np.float64(0.5), np.float64(-0.3), np.float64(0.1), np.float64(0.01)
    m2 = 0.9 * m + 0.1 * g
    v2 = 0.999 * v + 0.001 * g * g
    mh = m2 / (1 - 0.9**5)
    vh = v2 / (1 - 0.999**5)
    theta - 1e-3 * mh / (np.sqrt(vh) + 1e-8)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=200, help="problems per kind (fresh seeds)")
    ap.add_argument("--kinds", default="", help="comma-separated kinds (default: every kind)")
    args = ap.parse_args()
    kinds = [k for k in args.kinds.split(",") if k] or drills.kinds()

    t_np = median_time(numpy_adam_scalar, 5000)
    payload = drills.generate("adam", 1).model_dump(mode="json")
    t_json = median_time(lambda: json.dumps(payload), 2000)
    print(f"baseline  NumPy scalar Adam step    {t_np * 1e6:8.2f} µs (median)")
    print(f"baseline  json.dumps(problem)       {t_json * 1e6:8.2f} µs (median)")
    print()
    print(f"generate + grade one problem, median of {args.n} fresh seeds per kind")
    print(f"  {'kind':<24} {'µs':>8} {'vs NumPy':>9} {'vs json':>8} {'draws':>6}   goal < 1000 µs")
    worst = 0.0
    for i, kind in enumerate(kinds):
        seeds = iter(range(1_000_000 * (i + 1), 1_000_000 * (i + 1) + args.n))

        def one(kind: str = kind, seeds=seeds) -> None:  # noqa: ANN001
            p = drills.generate(kind, next(seeds))
            drills.grade(p, p.answers_text[p.primary])

        t = median_time(one, args.n)
        worst = max(worst, t)
        ok = "ok" if t < 1e-3 else "SLOW"
        first = 1_000_000 * (i + 1)
        draws = statistics.mean(
            draw(get_kind(kind), s, {}).attempts for s in range(first, first + args.n)
        )
        print(
            f"  {kind:<24} {t * 1e6:8.1f} {t / t_np:8.0f}× {t / t_json:7.1f}× {draws:6.2f}   {ok}"
        )
    print()
    print(f"slowest kind: {worst * 1e6:.1f} µs median ({len(kinds)} kinds)")


if __name__ == "__main__":
    main()
