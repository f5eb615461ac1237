"""Every drill kind deals the recorded problem for its golden seeds (tests/unit/
golden_drills.json, written by make_drill_golden.py): the draws are a pure hash of (kind,
seed, attempt, stream) and the answers the engine's, so a change re-deals every learner's
saved (kind, seed) problems and must be deliberate."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from quizapp.engine import drills

GOLDEN = json.loads(Path(__file__).with_name("golden_drills.json").read_text())


def test_every_kind_is_pinned() -> None:
    assert sorted(GOLDEN) == sorted(drills.kinds())


@pytest.mark.parametrize("kind", sorted(GOLDEN))
def test_the_recorded_problem_comes_back(kind: str) -> None:
    for case in GOLDEN[kind]:
        p = drills.generate(kind, case["seed"])
        assert p.given == case["given"]
        for f, x in case["answers"].items():
            # the engine is exact; allow a few ulps for a different libm's pow/cos
            assert p.answers[f] == pytest.approx(float.fromhex(x), rel=1e-13, abs=1e-300)
        assert p.answers_text == case["answers_text"]
