"""Bulk Adam step on 4M float64 parameters: engine vs torch's foreach Adam, same run.

    cd /work/main && PYTHONPATH=. /work/venv/bin/python benchmarks/bench_adam_bulk.py [N] [REPS]

Prints the median wall time of one step for each and the ratio engine / torch (lower is
better; the goal is ≤ 1.0×). Both start from the same nonzero state (t = 5). Also reports
whether the engine's result is bit-identical to torch's single-tensor (default CPU) Adam and
to the foreach one. The torch part is skipped if torch is not installed.
"""

from __future__ import annotations

import statistics
import sys
import time

import numpy as np

from quizapp.engine import optim


def median_time(fn, reps: int) -> float:  # noqa: ANN001
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 4_000_000
    reps = int(sys.argv[2]) if len(sys.argv) > 2 else 15
    rng = np.random.default_rng(0)
    theta = rng.standard_normal(n)
    grad = rng.standard_normal(n) * 0.1
    m = rng.standard_normal(n) * 0.01
    v = np.abs(rng.standard_normal(n)) * 1e-3
    hp = dict(lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0)
    opt = optim.get("adam", **hp)
    state = optim.AdamState(m=m, v=v, t=5)

    out = {}

    def engine() -> None:
        out["p"], _ = opt.step(theta, grad, state)

    engine()  # warm-up
    print(f"params: {n:,} float64, {reps} repetitions, median of one step")
    try:
        import torch
    except ImportError:
        t_engine = median_time(engine, reps)
        print(f"engine (NumPy, exact fma emulation): {t_engine * 1e3:8.2f} ms")
        print("torch not installed: baseline skipped")
        return
    torch.set_num_threads(torch.get_num_threads())

    def make(foreach: bool):  # noqa: ANN202
        p = torch.tensor(theta, dtype=torch.float64, requires_grad=True)
        p.grad = torch.tensor(grad, dtype=torch.float64)
        o = torch.optim.Adam([p], foreach=foreach, **hp)
        o.step()  # creates state; then overwrite it with the benchmark state
        st = o.state[p]
        return p, o, st

    def reset(p, st) -> None:  # noqa: ANN001
        with torch.no_grad():
            p.copy_(torch.from_numpy(theta))
        st["exp_avg"].copy_(torch.from_numpy(m))
        st["exp_avg_sq"].copy_(torch.from_numpy(v))
        st["step"].fill_(5.0)

    # interleave engine and torch repetitions so that machine noise hits both alike
    runs = {True: make(True), False: make(False)}
    times: dict[object, list[float]] = {"engine": [], True: [], False: []}
    for _ in range(reps):
        t0 = time.perf_counter()
        engine()
        times["engine"].append(time.perf_counter() - t0)
        for foreach, (p, o, st) in runs.items():
            reset(p, st)
            t0 = time.perf_counter()
            o.step()
            times[foreach].append(time.perf_counter() - t0)
    t_engine = statistics.median(times["engine"])
    results = {
        fe: (statistics.median(times[fe]), runs[fe][0].detach().numpy().copy()) for fe in runs
    }
    t_fe, p_fe = results[True]
    t_st, p_st = results[False]
    print(f"engine (NumPy, exact fma emulation): {t_engine * 1e3:8.2f} ms")
    print(
        f"torch Adam(foreach=True):            {t_fe * 1e3:8.2f} ms  (threads: {torch.get_num_threads()})"
    )
    print(f"torch Adam(foreach=False):           {t_st * 1e3:8.2f} ms")
    print(f"ratio engine / torch foreach:        {t_engine / t_fe:8.2f}x   (goal <= 1.0x)")
    print(f"ratio engine / torch single-tensor:  {t_engine / t_st:8.2f}x")
    for label, ref in (("single-tensor", p_st), ("foreach", p_fe)):
        same = float(np.mean(out["p"] == ref))
        print(f"bit-identical to torch {label}: {same * 100:.3f} % of elements")


if __name__ == "__main__":
    main()
