"""Drill generate+grade throughput, against baselines measured in the same run.

    PYTHONPATH=. python benchmarks/bench_drills.py [--n 20000] [--kinds adam,sgd,...]

Goals (issue 3): batched generate+grade ≥ 20,000 problems/s for every kind (all kinds are
measured unless --kinds says otherwise); one generate+grade < 1 ms.
Baselines: (a) a plain NumPy Adam step of one scalar written inline (the least work any
"compute the next Adam step" drill must do), (b) ``json.dumps`` of the same problem's JSON
(the cost of merely serialising what we hand out). Ratios > 1 mean slower than the baseline.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable

import numpy as np

from quizapp.engine import drills


def best_of(fn: Callable[[], object], repeat: int = 5) -> float:
    """Best wall time of ``repeat`` runs (seconds)."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def numpy_adam_scalar(n: int) -> None:
    theta, g, m, v = np.float64(0.5), np.float64(-0.3), np.float64(0.1), np.float64(0.01)
    for _ in range(n):
        m2 = 0.9 * m + 0.1 * g
        v2 = 0.999 * v + 0.001 * g * g
        mh = m2 / (1 - 0.9**5)
        vh = v2 / (1 - 0.999**5)
        theta - 1e-3 * mh / (np.sqrt(vh) + 1e-8)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=20_000, help="problems per batch")
    ap.add_argument("--kinds", default="", help="comma-separated kinds (default: every kind)")
    args = ap.parse_args()
    kinds = [k for k in args.kinds.split(",") if k] or drills.kinds()
    n = args.n

    # ---- baselines ----------------------------------------------------------------------
    reps = 20_000
    t_np = best_of(lambda: numpy_adam_scalar(reps), 3) / reps
    sample = drills.generate("adam", 1)
    payload = sample.model_dump(mode="json")
    t_json = best_of(lambda: [json.dumps(payload) for _ in range(2000)], 3) / 2000
    print(f"baseline  numpy scalar Adam step     {t_np * 1e6:8.2f} µs")
    print(f"baseline  json.dumps(problem)        {t_json * 1e6:8.2f} µs")
    print()

    # ---- one problem, end to end ----------------------------------------------------------
    print("single generate + grade (best of 5 × 200 calls, fresh seeds every call)")
    print(f"  {'kind':<18} {'µs/call':>9} {'vs numpy':>9} {'vs json':>8}   goal < 1000 µs")
    for kind in kinds:
        # new seeds in every repetition: nothing a cache kept from an earlier call helps
        batches = iter([range(10_000 + 200 * r, 10_200 + 200 * r) for r in range(5)])

        def one(kind: str = kind, batches=batches) -> None:  # noqa: ANN001
            for s in next(batches):
                p = drills.generate(kind, s)
                drills.grade(p, repr(p.answers[p.primary]))

        t = best_of(one) / 200
        ok = "ok" if t < 1e-3 else "SLOW"
        print(f"  {kind:<18} {t * 1e6:9.1f} {t / t_np:8.0f}× {t / t_json:7.1f}×   {ok}")
    print()

    # ---- batched --------------------------------------------------------------------------
    print(f"batched generate_many + grade, {n} problems per kind (best of 3, fresh seeds)")
    print(
        f"  {'kind':<18} {'gen/s':>10} {'grade/s':>10} {'both/s':>10} {'µs each':>8} {'vs json':>8}   goal ≥ 20,000/s"
    )
    totals = []
    for kind in kinds:
        # a fresh block of seeds per repetition (as for single problems)
        blocks = iter([range(r * n, (r + 1) * n) for r in range(1, 4)])
        gen_t = best_of(lambda kind=kind, b=blocks: drills.generate_many(kind, next(b)), 3)
        problems = drills.generate_many(kind, range(n))
        answers = [repr(p.answers[p.primary]) for p in problems]

        def grade_all(problems=problems, answers=answers) -> None:
            for p, a in zip(problems, answers, strict=True):
                drills.grade(p, a)

        grade_t = best_of(grade_all, 3)
        both = n / (gen_t + grade_t)
        totals.append(both)
        per = (gen_t + grade_t) / n
        ok = "ok" if both >= 20_000 else "below goal"
        print(
            f"  {kind:<18} {n / gen_t:10,.0f} {n / grade_t:10,.0f} {both:10,.0f} "
            f"{per * 1e6:8.1f} {per / t_json:7.1f}×   {ok}"
        )
    print()
    print(
        f"geometric mean generate+grade throughput: {float(np.exp(np.mean(np.log(totals)))):,.0f}/s"
    )


if __name__ == "__main__":
    main()
