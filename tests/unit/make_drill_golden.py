"""Regenerate tests/unit/golden_drills.json: the problem every kind deals for a few seeds.

    PYTHONPATH=. python tests/unit/make_drill_golden.py

A learner's saved (kind, seed) must keep meaning the same problem, so a change in the file
must be deliberate (a kind whose draws were made more realistic, say): say so in the commit.
"""

from __future__ import annotations

import json
from pathlib import Path

from quizapp.engine import drills

SEEDS = (7, 2026)
OUT = Path(__file__).with_name("golden_drills.json")


def record() -> dict[str, list[dict]]:
    return {
        kind: [
            {
                "seed": seed,
                "given": (p := drills.generate(kind, seed)).given,
                "answers": {f: x.hex() for f, x in p.answers.items()},
                "answers_text": p.answers_text,
            }
            for seed in SEEDS
        ]
        for kind in drills.kinds()
    }


if __name__ == "__main__":
    OUT.write_text(json.dumps(record(), indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {OUT}")
