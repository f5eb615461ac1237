"""A count (steps per epoch, total steps, decays, T_cur, lr cuts) is graded as a whole number:
the exact one and nothing else (usertest: steps/epoch 4581.6 was ✓ for 4582 within abs = 0.5,
and in review, with drop_last=True and N/B = 731.25, typing 23400/32 was ✓ for ⌊N/B⌋ = 731 —
the rounding the field tests). A non-whole answer is wrong, diagnosed ``not_whole_number``,
and when it is the quotient before rounding the feedback says so and how the setup rounds."""

from __future__ import annotations

import pytest

from quizapp.engine import drills
from quizapp.engine.numfmt import fmt
from quizapp.study.items import DrillView

NOT_WHOLE = "not_whole_number"  # diagnosis.NOT_WHOLE
#: the kinds whose fields are counts, and those fields
COUNTS = {
    "steps-per-epoch": ("steps_per_epoch", "total_steps"),
    "effective-batch": ("effective_batch", "steps_per_epoch"),
    "lr-step": ("decays",),
    "lr-warm-restarts": ("t_cur", "t_i"),
    "lr-plateau": ("reductions",),
}


def is_whole(x: float) -> bool:
    return x == round(x)


def _field(verdict: drills.Verdict, name: str) -> drills.FieldResult:
    return next(f for f in verdict.fields if f.field == name)


def test_a_fraction_near_the_count_is_wrong() -> None:
    p = drills.generate("steps-per-epoch", 4)  # N/B = 73,300/16 = 4581.25, ⌈N/B⌉ = 4582
    assert p.answers["steps_per_epoch"] == 4582
    v = drills.grade(p, {"steps_per_epoch": "4581.6", "total_steps": "206190"})
    assert not _field(v, "steps_per_epoch").correct and not v.correct
    assert v.mistake == NOT_WHOLE and v.mistake_field == "steps_per_epoch"
    assert _field(v, "total_steps").correct
    # the whole number, however written, is right (float noise allowed)
    for typed in ("4582", "4582.0", "4,582", "73300/16 + 0.75", "4582.0000000000001"):
        assert _field(drills.grade(p, {"steps_per_epoch": typed}), "steps_per_epoch").correct


def _drop_last_problem() -> drills.Problem:
    for seed in range(200):
        p = drills.generate("steps-per-epoch", seed)
        n, b = p.given["dataset_size"], p.given["batch_size"]
        if p.given["drop_last"] and not is_whole(n / b):
            return p
    raise AssertionError("no drop_last=True problem in 200 seeds")


def test_the_quotient_before_rounding_is_wrong_and_says_why() -> None:
    p = _drop_last_problem()
    n, b = p.given["dataset_size"], p.given["batch_size"]
    typed = f"{n}/{b}"
    v = drills.grade(p, {"steps_per_epoch": typed})
    assert not v.fields[0].correct and v.mistake == NOT_WHOLE
    floor = fmt(n // b)
    assert (
        f"is not a whole number of steps: drop_last=True drops the last partial batch, "
        f"so ⌊N/B⌋ = {floor}." in v.feedback
    ), v.feedback
    assert f"N/B = {fmt(n / b, 12)} " in v.feedback
    # the review and mock screens grade through the same DrillView.grade
    view = DrillView("x.spe", "x", "x", p, p.title)
    assert not view.grade({"steps_per_epoch": typed}).fields[0].correct
    total = f"{p.given['epochs']}*{typed}"
    v = view.grade(total)
    assert not v.correct and v.mistake == NOT_WHOLE and "each epoch has ⌊N/B⌋" in v.feedback


def test_a_fraction_far_from_the_quotient_gets_the_general_words() -> None:
    p = drills.generate("lr-plateau", 3)
    v = drills.grade(p, {"reductions": "1.5"})
    assert not v.fields[0].correct and v.mistake == NOT_WHOLE
    assert "is a count, so the answer is a whole number; 1.5 is not." in v.feedback


def test_steplr_decays_typed_as_k_over_step_size() -> None:
    p = next(
        q
        for q in (drills.generate("lr-step", s) for s in range(100))
        if q.given["k"] % q.given["step_size"]
    )
    v = drills.grade(p, {"decays": f"{p.given['k']}/{p.given['step_size']}"})
    assert not v.fields[0].correct and v.mistake == NOT_WHOLE
    assert "is not a whole number of decays" in v.feedback


@pytest.mark.parametrize("kind", sorted(COUNTS))
def test_counts_are_integer_fields_and_their_shown_values_are_accepted(kind: str) -> None:
    for seed in range(10):
        p = drills.generate(kind, seed)
        for name in COUNTS[kind]:
            assert p.tolerance[name].integer, (kind, name)
            assert is_whole(p.answers[name])
            v = drills.grade(p, {name: p.answers_text[name]})
            assert _field(v, name).correct, (kind, seed, name, p.answers_text[name])
            v = drills.grade(p, {name: f"{p.answers[name]} + 0.4"})
            assert not _field(v, name).correct and v.mistake == NOT_WHOLE, (kind, seed, name)
        others = [n for n, tol in p.tolerance.items() if n not in COUNTS[kind]]
        assert not any(p.tolerance[n].integer for n in others), (kind, others)
