"""The tolerance policy and mistake diagnosis, on hand-made numbers."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizapp.engine import drills
from quizapp.engine.diagnosis import (
    MISTAKES,
    diagnose,
    distinguishable_mistakes,
    is_step_only,
    is_unchanged,
)
from quizapp.engine.drills import AnswerParseError, DrillError, Tolerance
from quizapp.engine.grading import accepted, distinguishable, field_result, rel_error, width

REQUIRED_IDS = {
    "no_bias_correction",
    "eps_inside_sqrt",
    "l2_instead_of_decoupled",
    "decoupled_instead_of_l2",
    "wrong_step_t",
    "ema_momentum",
    "ascent_sign",
    "no_sqrt",
    "schedule_off_by_one",
    "decay_not_scaled_by_lr",
    "unchanged_value",
    "step_not_new_value",
    "dampened_first_step",
}


def theta_tol(theta0: float, theta1: float) -> Tolerance:
    return Tolerance(rel=1e-3, abs=1e-9, reference=abs(theta1 - theta0), origin=theta0)


def test_window_is_relative_to_the_update_not_to_theta() -> None:
    tol = theta_tol(1.0, 0.999)  # Δθ = −0.001
    assert width(tol) == pytest.approx(1e-6)
    assert accepted(0.9990009, 0.999, tol)
    assert not accepted(0.999002, 0.999, tol)
    assert not accepted(1.0, 0.999, tol)  # the unchanged θ is off by the whole update


def test_absolute_floor_near_zero() -> None:
    tol = Tolerance(rel=1e-3, abs=1e-9, reference=0.0)
    assert accepted(5e-10, 0.0, tol)
    assert not accepted(2e-9, 0.0, tol)


def test_non_finite_answers_are_never_accepted() -> None:
    tol = Tolerance(rel=1e-3, abs=1e-9, reference=1.0)
    assert not accepted(float("nan"), 1.0, tol)
    assert not accepted(float("inf"), 1.0, tol)


def test_rel_error_and_field_result() -> None:
    tol = theta_tol(1.0, 0.99)
    assert rel_error(0.98, 0.99, tol) == pytest.approx(1.0)
    r = field_result("theta", 0.98, 0.99, tol)
    assert (r.correct, r.rel_error) == (False, pytest.approx(1.0))
    assert field_result("theta", None, 0.99, tol).given is None


def test_distinguishable_needs_disjoint_windows() -> None:
    tol = Tolerance(rel=1e-3, abs=1e-12, reference=1.0)
    assert distinguishable(1.01, 1.0, tol)
    assert not distinguishable(1.0015, 1.0, tol)  # windows of ±0.001 overlap
    assert not distinguishable(float("nan"), 1.0, tol)


def test_diagnose_picks_the_matching_variant_only_when_wrong() -> None:
    tol = Tolerance(rel=1e-3, abs=1e-12, reference=1.0)
    variants = {"ascent_sign": 1.2, "no_sqrt": 1.5, "eps_inside_sqrt": 1.0000001}
    assert diagnose(1.2001, 1.0, tol, variants) == "ascent_sign"
    assert diagnose(1.0, 1.0, tol, variants) is None  # right answers are never a mistake
    assert diagnose(1.3, 1.0, tol, variants) is None  # matches nothing
    # eps_inside_sqrt equals the right answer here: never reported
    assert distinguishable_mistakes(1.0, tol, variants) == ["ascent_sign", "no_sqrt"]


def test_diagnose_reports_the_stable_id_of_a_detailed_variant() -> None:
    tol = Tolerance(rel=1e-3, abs=1e-12, reference=0.5)
    variants = {"schedule_off_by_one@-1": 0.6, "schedule_off_by_one@+1": 0.4}
    assert diagnose(0.4, 0.5, tol, variants) == "schedule_off_by_one"


def test_every_required_mistake_id_has_an_explanation() -> None:
    assert set(MISTAKES) >= REQUIRED_IDS
    assert drills.MISTAKES is MISTAKES
    for text in MISTAKES.values():
        assert text.endswith(".") and len(text) < 200


# ---- grading a real problem --------------------------------------------------------------
@pytest.fixture(scope="module")
def adam():
    return drills.generate("adam", 11)


def test_exact_answer_is_correct_with_teaching_feedback(adam) -> None:
    v = drills.grade(adam, repr(adam.answers["theta"]))
    assert v.correct and v.mistake is None and v.score == 1.0
    assert v.feedback.startswith("Correct")
    assert v.expected == adam.answers["theta"] and v.given_answer == adam.answers["theta"]


def test_partial_credit_by_field(adam) -> None:
    ans = {"m": repr(adam.answers["m"]), "v": "0.5", "theta": repr(adam.answers["theta"])}
    v = drills.grade(adam, ans)
    assert not v.correct
    assert v.score == pytest.approx(2 / 3)
    assert [r.field for r in v.fields] == ["m", "v", "theta"]
    assert [r.correct for r in v.fields] == [True, False, True]
    assert "Right: m, θ'" in v.feedback


def test_intermediates_only_are_graded_but_not_correct(adam) -> None:
    v = drills.grade(adam, {"m": repr(adam.answers["m"])})
    assert v.fields[0].correct and not v.correct and v.given_answer is None
    assert "Also give θ'" in v.feedback


def test_diagnosed_mistake_is_named_not_repeated_in_the_feedback(adam) -> None:
    wrong = drills.solve(adam, "no_bias_correction")["theta"]
    v = drills.grade(adam, f"{wrong:.12g}")
    assert not v.correct and v.mistake == "no_bias_correction" and v.mistake_field == "theta"
    assert "m̂ = m/(1−β₁ᵗ)" in MISTAKES[v.mistake]
    # the screen shows MISTAKES[mistake] once; the feedback does not say it a second time
    assert MISTAKES[v.mistake] not in v.feedback and "θ' should be" in v.feedback


def test_mistake_found_in_an_intermediate(adam) -> None:
    wrong = drills.solve(adam, "no_bias_correction")
    v = drills.grade(adam, {"m_hat": repr(wrong["m_hat"])})
    assert v.mistake == "no_bias_correction" and v.mistake_field == "m_hat"


def test_two_mistakes_giving_the_same_number_are_not_guessed() -> None:
    tol = Tolerance(rel=1e-3, abs=1e-12, reference=16.0)
    variants = {"forgot_gradients": 12.0, "forgot_master_weights": 12.0, "bytes_not_gb": 9.0}
    assert diagnose(12.0, 16.0, tol, variants) is None
    assert diagnose(9.0, 16.0, tol, variants) == "bytes_not_gb"


def test_typing_the_value_before_the_step() -> None:
    tol = theta_tol(1.0, 0.99)
    assert is_unchanged(1.0, 0.99, tol) and is_unchanged(1.000005, 0.99, tol)
    assert not is_unchanged(0.99, 0.99, tol)  # right answers are never a mistake
    assert not is_unchanged(0.5, 0.99, tol)
    assert not is_unchanged(0.0, 0.5, Tolerance(rel=1e-3, abs=1e-9, reference=0.5))  # origin 0


def test_typing_the_step_is_its_own_mistake() -> None:
    tol = theta_tol(1.0, 0.99)  # Δθ = −0.01, window 1e−5
    assert is_step_only(-0.01, 0.99, tol) and is_step_only(0.010004, 0.99, tol)  # Δθ, −Δθ
    assert not is_step_only(0.99, 0.99, tol)  # right answers are never a mistake
    assert not is_step_only(-0.0102, 0.99, tol)  # outside the step's window
    assert not is_step_only(1.0, 0.99, tol)  # the unchanged θ is the other mistake
    assert not is_step_only(0.5, 0.5, Tolerance(rel=1e-3, abs=1e-9, reference=0.5))  # origin 0
    # θ ≈ 0: the step is the new value, so typing it is right, not a mistake
    tiny = theta_tol(1e-9, 0.01)
    assert not is_step_only(0.01, 0.01, tiny)


def test_bad_field_and_bad_text(adam) -> None:
    with pytest.raises(DrillError, match="no field 'x'.*fields: m, v, m_hat, v_hat, theta"):
        drills.grade(adam, {"x": "1"})
    with pytest.raises(AnswerParseError, match="^m: "):
        drills.grade(adam, {"m": "1 +", "theta": "1"})
    with pytest.raises(AnswerParseError):
        drills.grade(adam, "")
    with pytest.raises(AnswerParseError):
        drills.grade(adam, {"m": "  "})


def test_blank_fields_in_a_mapping_are_unanswered(adam) -> None:
    v = drills.grade(adam, {"m": "", "theta": repr(adam.answers["theta"])})
    assert [r.field for r in v.fields] == ["theta"] and v.correct


def test_grading_a_problem_rebuilt_from_json_recomputes_variants(adam) -> None:
    again = drills.Problem.model_validate(adam.model_dump(mode="json"))
    assert again.model_dump() == adam.model_dump()
    wrong = drills.solve(adam, "ascent_sign")["theta"]
    assert drills.grade(again, repr(wrong)).mistake == "ascent_sign"


@pytest.fixture(scope="module")
def adamw3() -> drills.Problem:
    return drills.generate("adamw", 3)  # once: a generation costs ~40 gradings


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=40))
def test_grading_any_text_gives_a_verdict_or_our_parse_error(
    adamw3: drills.Problem, text: str
) -> None:
    p = adamw3
    try:
        v = drills.grade(p, text)
    except AnswerParseError:
        return
    assert isinstance(v.correct, bool) and v.feedback
    assert v.mistake is None or v.mistake in MISTAKES
