"""Each mistake knob computes its named wrong variant with the same code."""

from __future__ import annotations

import numpy as np
import pytest

from quizapp.engine import optim

M = optim.Mistakes.of
THETA = np.array([0.8, -0.4, 0.25])
G = np.array([0.03, -0.05, 0.02])  # small gradients: v̂ < 1
ADAM_STATE = optim.AdamState(m=[0.01, -0.02, 0.005], v=[1e-4, 4e-4, 2e-5], t=3)


def _adam(mk=None, name="adam", **hp):  # noqa: ANN001, ANN003, ANN202
    opt = optim.get(name, **{"lr": 0.01, **hp})
    return opt.step_trace(THETA, G, ADAM_STATE, mistakes=mk)


def test_ids_and_of() -> None:
    assert set(optim.Mistakes.ids()) >= {
        "no_bias_correction", "eps_inside_sqrt", "no_sqrt", "ascent_sign",
        "l2_instead_of_decoupled", "decoupled_instead_of_l2", "decay_not_scaled_by_lr",
        "ema_momentum", "wrong_step_t",
    }  # fmt: skip
    with pytest.raises(optim.OptimError, match="unknown mistake"):
        optim.Mistakes.of("typo")


def test_none_means_correct() -> None:
    p, _, _ = _adam(None)
    q, _, _ = _adam(optim.Mistakes())
    np.testing.assert_array_equal(p, q)


def test_ascent_sign_flips_update() -> None:
    _, _, right = _adam()
    _, _, wrong = _adam(M("ascent_sign"))
    np.testing.assert_allclose(wrong["update"], -right["update"], rtol=1e-12)


def test_no_bias_correction() -> None:
    _, _, tr = _adam(M("no_bias_correction"))
    assert tr["bias_correction1"] == 1.0 and tr["bias_correction2"] == 1.0
    _, _, right = _adam()
    expected = -0.01 * right["m"] / (np.sqrt(right["v"]) + 1e-8)
    np.testing.assert_allclose(tr["update"], expected, rtol=1e-12)


def test_eps_inside_sqrt_shrinks_step_for_small_v() -> None:
    _, _, right = _adam(eps=1e-4)
    _, _, wrong = _adam(M("eps_inside_sqrt"), eps=1e-4)
    np.testing.assert_allclose(wrong["denom"], np.sqrt(right["v_hat"] + 1e-4), rtol=1e-15)
    assert np.all(np.abs(wrong["update"]) < np.abs(right["update"]))


def test_no_sqrt_grows_step_for_small_v() -> None:
    _, _, right = _adam()
    _, _, wrong = _adam(M("no_sqrt"))
    np.testing.assert_allclose(wrong["denom"], right["v_hat"] + 1e-8, rtol=1e-15)
    assert np.all(np.abs(wrong["update"]) > np.abs(right["update"]))


def test_wrong_step_t_uses_t_not_t_plus_1() -> None:
    _, _, wrong = _adam(M("wrong_step_t"))
    assert wrong["bias_correction1"] == 1 - 0.9**3
    _, _, right = _adam()
    assert right["bias_correction1"] == 1 - 0.9**4
    # from a zero state (t = 0) the wrong variant divides by 1 − β⁰ = 0: no exception
    opt = optim.get("adam")
    p, _, tr = opt.step_trace(THETA, G, opt.init(THETA), mistakes=M("wrong_step_t"))
    assert not np.all(np.isfinite(p))


def test_l2_instead_of_decoupled_equals_adam_with_l2() -> None:
    wrong, _, _ = _adam(M("l2_instead_of_decoupled"), name="adamw", weight_decay=0.1)
    l2, _, _ = _adam(None, name="adam", weight_decay=0.1)
    right, _, _ = _adam(None, name="adamw", weight_decay=0.1)
    np.testing.assert_array_equal(wrong, l2)
    assert not np.array_equal(wrong, right)


def test_decoupled_instead_of_l2_equals_adamw() -> None:
    wrong, _, _ = _adam(M("decoupled_instead_of_l2"), name="adam", weight_decay=0.1)
    adamw, _, _ = _adam(None, name="adamw", weight_decay=0.1)
    np.testing.assert_array_equal(wrong, adamw)


def test_decay_not_scaled_by_lr() -> None:
    _, _, tr = _adam(M("decay_not_scaled_by_lr"), name="adamw", weight_decay=0.1)
    np.testing.assert_array_equal(tr["theta_decayed"], THETA * (1 - 0.1))
    _, _, right = _adam(None, name="adamw", weight_decay=0.1)
    np.testing.assert_array_equal(right["theta_decayed"], THETA * (1 - 0.01 * 0.1))


def test_ema_momentum_damps_first_step() -> None:
    opt = optim.get("sgd", lr=0.1, momentum=0.9)
    s0 = opt.init(THETA)
    _, s_right, right = opt.step_trace(THETA, G, s0)
    _, s_wrong, wrong = opt.step_trace(THETA, G, s0, mistakes=M("ema_momentum"))
    np.testing.assert_array_equal(s_right.momentum_buffer, G)
    np.testing.assert_allclose(s_wrong.momentum_buffer, (1 - 0.9) * G, rtol=1e-15)
    assert np.all(np.abs(wrong["update"]) < np.abs(right["update"]))
    # later steps: b ← βb + (1 − β)g instead of βb + g
    s1 = optim.SGDState(momentum_buffer=[0.1, 0.1, 0.1])
    _, s2, _ = opt.step_trace(THETA, G, s1, mistakes=M("ema_momentum"))
    np.testing.assert_allclose(s2.momentum_buffer, 0.9 * 0.1 + 0.1 * G, rtol=1e-15)


def test_knobs_that_do_not_apply_are_ignored() -> None:
    opt = optim.get("sgd", lr=0.1)
    p, _, _ = opt.step_trace(THETA, G, opt.init(THETA), mistakes=M("no_sqrt", "no_bias_correction"))
    q, _ = opt.step(THETA, G, opt.init(THETA))
    np.testing.assert_array_equal(p, q)


@pytest.mark.parametrize("name", ["adagrad", "rmsprop", "nadam", "radam"])
def test_sqrt_knobs_change_other_optimizers(name: str) -> None:
    opt = optim.get(name, lr=0.01)
    s = opt.init(THETA)
    for _ in range(8):  # RAdam only uses the root once ρₜ > 5 (step 6 with β₂ = 0.999)
        _, s = opt.step(THETA, G, s)
    right, _ = opt.step(THETA, G, s)
    for knob in ("eps_inside_sqrt", "no_sqrt", "ascent_sign"):
        wrong, _, _ = opt.step_trace(THETA, G, s, mistakes=M(knob))
        assert not np.array_equal(wrong, right), knob


def test_radam_rectification_switch() -> None:
    opt = optim.get("radam", lr=0.01)
    s = opt.init(THETA)
    seen = []
    for _ in range(7):
        _, s, tr = opt.step_trace(THETA, G, s)
        seen.append(float(tr["rectified"]))
    assert seen == [0.0] * 5 + [1.0] * 2  # ρₜ > 5 first at step 6


def test_lion_ascent_and_decay() -> None:
    opt = optim.get("lion", lr=0.01, weight_decay=0.5)
    s = optim.LionState(m=[0.01, 0.01, -0.01])
    _, _, right = opt.step_trace(THETA, G, s)
    _, _, wrong = opt.step_trace(THETA, G, s, mistakes=M("decay_not_scaled_by_lr"))
    np.testing.assert_array_equal(wrong["theta_decayed"], THETA * 0.5)
    np.testing.assert_array_equal(right["theta_decayed"], THETA * (1 - 0.005))


def test_rmsprop_old_second_moment_divides_by_the_v_before_the_update() -> None:
    opt = optim.get("rmsprop", lr=0.01, alpha=0.9)
    s = optim.RMSpropState(v=[1e-4, 4e-4, 2e-5], t=3)
    _, new_s, right = opt.step_trace(THETA, G, s)
    _, old_s, wrong = opt.step_trace(THETA, G, s, mistakes=M("old_second_moment"))
    np.testing.assert_array_equal(wrong["v"], right["v"])  # v is still updated and kept
    np.testing.assert_array_equal(old_s.v, new_s.v)
    np.testing.assert_allclose(wrong["avg"], np.sqrt(s.v) + 1e-8, rtol=1e-15)
    assert not np.allclose(wrong["theta"], right["theta"])
