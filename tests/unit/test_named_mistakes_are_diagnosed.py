"""Every mistake a problem lists (``drills.mistakes``: ``quizapp drill … --json`` and the
screens say which slips the drill recognises) is one its grade can name: typing the slip's
own value for some field is diagnosed as that slip, or named among the slips that give the
same number. usertest4 D6: AdamW listed forgot_weight_decay on problems where its only trace
was θ·(1−ηλ) = θ, which the grade calls "unchanged value"."""

from __future__ import annotations

import pytest

from quizapp.engine import drills
from quizapp.engine.drills.catalog import get_kind
from quizapp.engine.grading import distinguishable
from tests import sampling

SEEDS = range(200) if sampling.FULL else range(0, 200, 20)


def _named_by_grade(problem: drills.Problem, mistake: str) -> bool:
    variants = drills.variants(problem)
    for key in get_kind(problem.kind).mistakes:
        if key.split("@")[0] != mistake:
            continue
        for field, wrong in variants[key].items():
            x, tol = problem.answers[field], problem.tolerance[field]
            if not distinguishable(wrong, x, tol):
                continue
            verdict = drills.grade(problem, {field: repr(wrong)})
            if verdict.mistake == mistake:
                return True
            alike = "slips that give the same number" in verdict.feedback
            if verdict.mistake is None and alike and mistake.replace("_", " ") in verdict.feedback:
                return True
    return False


@pytest.mark.parametrize("kind", drills.kinds())
def test_every_listed_mistake_is_one_the_grade_names(kind: str) -> None:
    for seed in SEEDS:
        problem = drills.generate(kind, seed)
        for mistake in drills.mistakes(problem):
            assert _named_by_grade(problem, mistake), (kind, seed, mistake)


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
def test_adamw_lists_the_forgotten_decay_only_where_theta_prime_shows_it() -> None:
    shown = hidden = 0
    for seed in range(200):
        problem = drills.generate("adamw", seed)
        forgot = drills.variants(problem)["forgot_weight_decay"]["theta"]
        visible = distinguishable(forgot, problem.answers["theta"], problem.tolerance["theta"])
        assert ("forgot_weight_decay" in drills.mistakes(problem)) == visible, seed
        shown, hidden = shown + visible, hidden + (not visible)
    assert shown > 150 and hidden > 0  # both cases occur in the default draws
