"""Print how far the engine is from torch 2.13, per optimizer, on the reference cases.

    cd <worktree> && PYTHONPATH=. /work/venv/bin/python tests/reference/accuracy.py [PER_NAME]

For each name: the number of cases, the share of bit-identical θ entries, the largest
distance in ulps and the largest absolute difference of θ after 1–30 steps (the engine's
own correctly rounded sqrt; torch's float64 sqrt is one ulp low on ~1 % of inputs). For
Muon (bfloat16 Newton–Schulz in torch) the largest difference relative to the movement.
"""

from __future__ import annotations

import sys

import numpy as np

from quizapp.engine import optim
from tests.reference._torch_ref import run_torch, ulp_distance
from tests.reference.cases import optim_cases


def main(per_name: int = 30) -> None:
    print(f"{'optimizer':<11}{'cases':>6}{'bit-identical':>15}{'max ulps':>10}{'max |Δθ|':>12}")
    for name in optim.names():
        same = total = worst_ulp = 0
        worst_abs = worst_rel = 0.0
        cases = optim_cases((name,), per_name=per_name, seed=12345)
        for _, hp, theta, grads in cases:
            tp, _ = run_torch(name, hp, theta, grads)
            opt = optim.get(name, **hp)
            p, s = theta, opt.init(theta)
            for g in grads:
                p, s = opt.step(p, g, s)
            same += int(np.sum(p == tp))
            total += tp.size
            worst_ulp = max(worst_ulp, ulp_distance(p, tp))
            worst_abs = max(worst_abs, float(np.max(np.abs(p - tp))))
            worst_rel = max(worst_rel, float(np.max(np.abs(p - tp)) / np.max(np.abs(tp - theta))))
        ulps, extra = str(worst_ulp), ""
        if name == "muon":
            ulps, extra = "—", f"   ({worst_rel:.1%} of the movement)"
        print(f"{name:<11}{len(cases):>6}{same / total:>15.2%}{ulps:>10}{worst_abs:>12.2e}{extra}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 30)
