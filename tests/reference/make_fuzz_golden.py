"""Write golden_fuzz_found.json: torch 2.13's answers on the cases the differential fuzz
found wrong (tests/reference/cases.py: edge_optim_cases, edge_clip_cases).

    cd <worktree> && PYTHONPATH=. /work/venv/bin/python tests/reference/make_fuzz_golden.py

Floats are ``float.hex`` strings (signs of zero and subnormals round-trip exactly);
tests/reference/test_fuzz_found.py checks the engine against this file without torch.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import torch

from tests.reference._torch_ref import run_torch, torch_clip_norm, torch_clip_value
from tests.reference.cases import edge_clip_cases, edge_optim_cases
from tests.reference.make_golden import NAMES, hexify, jsonable_hp

HERE = Path(__file__).parent
EDGE_NAMES = tuple(n for n in NAMES if n != "muon")  # Muon: bfloat16 in torch, not bitwise
EDGE_PER_NAME = 20
EDGE_SEED = 99
CLIP_CASES = 60
CLIP_SEED = 4


def main() -> None:
    cases = []
    with np.errstate(all="ignore"):
        for name, hp, theta, grads in edge_optim_cases(EDGE_NAMES, EDGE_PER_NAME, EDGE_SEED):
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
    clips = []
    for grads, limit, p, value in edge_clip_cases(CLIP_CASES, CLIP_SEED):
        clipped, total = torch_clip_norm(grads, limit, p)
        clips.append(
            {
                "grads": [hexify(g) for g in grads],
                "max_norm": limit.hex(),
                "norm_type": p,
                "clip_value": value.hex(),
                "expected": [hexify(g) for g in clipped],
                "total_norm": total.hex(),
                "expected_value_clip": [hexify(g) for g in torch_clip_value(grads, value)],
            }
        )
    meta = {"torch": torch.__version__, "cpu_capability": torch.backends.cpu.get_cpu_capability()}
    out = {"meta": meta, "optim": cases, "clip": clips}
    (HERE / "golden_fuzz_found.json").write_text(json.dumps(out, indent=0))
    print(f"wrote {len(cases)} optimizer and {len(clips)} clip cases")


if __name__ == "__main__":
    main()
