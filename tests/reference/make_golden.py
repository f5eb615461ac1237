"""Write golden_optim.json, golden_schedules.json and golden_clip.json from torch 2.13.

    cd /work/main && PYTHONPATH=. /work/venv/bin/python tests/reference/make_golden.py

Floats are stored as ``float.hex`` strings so they round-trip exactly; tests/unit/test_golden.py
checks the engine against these files without torch.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import torch

from tests.reference._torch_ref import (
    run_torch,
    torch_clip_norm,
    torch_clip_value,
    torch_plateau,
    torch_schedule,
)
from tests.reference.cases import (
    clip_cases,
    near_overflow_cases,
    optim_cases,
    plateau_cases,
    schedule_cases,
)

HERE = Path(__file__).parent
NAMES = (
    "sgd",
    "adagrad",
    "rmsprop",
    "adam",
    "adamw",
    "nadam",
    "radam",
    "adamax",
    "adadelta",
    "lion",
    "rprop",
    "asgd",
    "adafactor",
    "muon",
)


def hexify(x: Any) -> Any:
    a = np.asarray(x, dtype=np.float64)
    if a.ndim == 0:
        return float(a).hex()
    return {"shape": list(a.shape), "hex": [float(v).hex() for v in a.reshape(-1)]}


def jsonable_hp(hp: dict[str, Any]) -> dict[str, Any]:
    return {k: (list(v) if isinstance(v, tuple) else v) for k, v in hp.items()}


def main() -> None:
    cases = []
    for name, hp, theta, grads in optim_cases(
        NAMES, per_name=25, seed=2026, max_steps=8, shapes=[(1,), (3,), (2, 3), (7,)]
    ) + near_overflow_cases(("sgd", "asgd", "lion", "adamax"), per_name=12, seed=302):
        tp, state = run_torch(name, hp, theta, grads)
        cases.append(
            {
                "name": name,
                "hp": jsonable_hp(hp),
                "theta": hexify(theta),
                "grads": [hexify(g) for g in grads],
                "expected_theta": hexify(tp),
                "expected_state": {k: (v if k == "t" else hexify(v)) for k, v in state.items()},
            }
        )
    meta = {"torch": torch.__version__, "cpu_capability": torch.backends.cpu.get_cpu_capability()}
    (HERE / "golden_optim.json").write_text(json.dumps({"meta": meta, "cases": cases}, indent=0))
    scheds = []
    for name, kw, n in schedule_cases():
        scheds.append(
            {"name": name, "kwargs": kw, "lrs": [v.hex() for v in torch_schedule(name, kw, n)]}
        )
    plateaus = [
        {
            "base_lr": base,
            "kwargs": kw,
            "metrics": m,
            "lrs": [v.hex() for v in torch_plateau(base, kw, m)],
        }
        for base, kw, m in plateau_cases()
    ]
    (HERE / "golden_schedules.json").write_text(
        json.dumps({"meta": meta, "cases": scheds, "plateau": plateaus}, indent=0)
    )
    clips = []
    for grads, limit, p in clip_cases(40, seed=2026, max_side=6):
        clipped, total = torch_clip_norm(grads, limit, p)
        clips.append(
            {
                "grads": [hexify(g) for g in grads],
                "max_norm": limit.hex(),
                "norm_type": p,
                "expected": [hexify(g) for g in clipped],
                "total_norm": total.hex(),
                "expected_value_clip": [hexify(g) for g in torch_clip_value(grads, limit / 10)],
            }
        )
    (HERE / "golden_clip.json").write_text(json.dumps({"meta": meta, "cases": clips}, indent=0))
    print(f"wrote {len(cases)} optimizer, {len(scheds)} schedule and {len(clips)} clip cases")


if __name__ == "__main__":
    main()
