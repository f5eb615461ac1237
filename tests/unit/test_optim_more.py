"""Rprop, ASGD and Adafactor without torch: the rules a learner is asked about, state
shapes, batching and errors (torch agreement is in tests/reference)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from quizapp.engine import optim


# -- Rprop -------------------------------------------------------------------------------------
def test_rprop_first_step_moves_by_lr_against_the_sign() -> None:
    opt = optim.get("rprop", lr=0.05)
    theta = np.array([1.0, -1.0, 0.5])
    p, s = opt.step(theta, np.array([3.0, -0.001, 0.0]), opt.init(theta))
    np.testing.assert_array_equal(p, [0.95, -0.95, 0.5])  # |g| does not matter; g = 0: no step
    np.testing.assert_array_equal(s.step_size, [0.05, 0.05, 0.05])  # prev = 0: factor 1


def test_rprop_grows_on_agreement_and_shrinks_and_skips_on_a_sign_flip() -> None:
    opt = optim.get("rprop", lr=0.1, etas=(0.5, 1.2), step_sizes=(0.01, 0.11))
    s = optim.RpropState(prev=[1.0, 1.0, 1.0], step_size=[0.1, 0.1, 0.015], t=1)
    p, s2, tr = opt.step_trace(np.zeros(3), np.array([2.0, -2.0, -1.0]), s)
    np.testing.assert_array_equal(tr["factor"], [1.2, 0.5, 0.5])
    np.testing.assert_array_equal(s2.step_size, [0.11, 0.05, 0.01])  # clamped to [0.01, 0.11]
    np.testing.assert_array_equal(p, [-0.11, 0.0, 0.0])  # after a flip: no step
    np.testing.assert_array_equal(s2.prev, [2.0, 0.0, 0.0])  # ... and no flip next time
    assert s2.t == 2


def test_rprop_bad_etas() -> None:
    with pytest.raises(optim.OptimError, match="eta"):
        optim.get("rprop", etas=(1.5, 1.2))
    with pytest.raises(optim.OptimError, match="2 numbers"):
        optim.get("rprop", step_sizes=(1e-6,))


# -- ASGD ----------------------------------------------------------------------------------------
def test_asgd_average_is_the_iterate_until_t0_then_a_running_mean() -> None:
    opt = optim.get("asgd", lr=0.1, lambd=0.0, t0=2.0)
    theta = np.array([1.0])
    p, s = theta, opt.init(theta)
    iterates = []
    for _ in range(5):
        p, s = opt.step(p, np.array([1.0]), s)
        iterates.append(float(p[0]))
    # μ for step s is set after step s − 1: 1/max(1, s − 1 − t0), so ax = θ through step
    # t0 + 2 = 4; step 5 uses μ = 1/2: ax = mean(θ₄, θ₅); the next μ is 1/3
    assert float(s.ax[0]) == pytest.approx(np.mean(iterates[3:]), rel=1e-15)
    assert s.mu == np.float32(1 / 3)


def test_asgd_eta_schedule_and_float32_state() -> None:
    opt = optim.get("asgd", lr=0.1, lambd=0.01, alpha=0.75)
    s = opt.init(np.zeros(2))
    assert s.eta == float(np.float32(0.1)) and s.mu == 1.0
    _, s1, tr = opt.step_trace(np.ones(2), np.ones(2), s)
    assert tr["decay_factor"] == 1 - 0.01 * float(np.float32(0.1))
    assert s1.eta == float(np.float32(0.1 / (1 + 0.01 * 0.1 * 1.0) ** 0.75))


# -- Adafactor ---------------------------------------------------------------------------------
def test_adafactor_state_is_factored_for_matrices_and_full_for_vectors() -> None:
    opt = optim.get("adafactor")
    s = opt.init(np.zeros((4, 3)))
    assert s.row_var.shape == (4, 1) and s.col_var.shape == (1, 3) and s.v is None
    s = opt.init(np.zeros((2, 4, 3)))
    assert s.row_var.shape == (2, 4, 1) and s.col_var.shape == (2, 1, 3)
    s = opt.init(np.zeros(5))
    assert s.v.shape == (5,) and s.row_var is None
    s = optim.get("adafactor", batch_dims=1).init(np.zeros((6, 5)))
    assert s.v.shape == (6, 5)  # six vectors, not one matrix


def test_adafactor_first_step_equations() -> None:
    """Step 1: β̂ = 1 (the factors are the first means), ρ = min(lr, 1) and the update is
    clipped to RMS(U) ≤ d."""
    theta = np.array([[0.3, -0.4], [0.5, 0.1]])
    g = np.array([[0.2, -0.1], [0.05, 0.3]])
    opt = optim.get("adafactor", lr=0.01)
    p, s, tr = opt.step_trace(theta, g, opt.init(theta))
    assert tr["beta2_t"] == 1.0 and tr["rho"] == 0.01
    rms = math.sqrt(np.mean(theta**2))
    assert tr["alpha"] == pytest.approx(max(1e-3, rms) * 0.01, rel=1e-15)
    np.testing.assert_allclose(s.row_var[:, 0], np.mean(g**2, axis=1), rtol=1e-15)
    np.testing.assert_allclose(s.col_var[0], np.mean(g**2, axis=0), rtol=1e-15)
    v_hat = np.outer(s.row_var[:, 0], s.col_var[0]) / np.mean(s.row_var)
    np.testing.assert_allclose(tr["v_hat"], v_hat, rtol=1e-15)
    u = g / np.sqrt(v_hat)
    clip = max(1.0, math.sqrt(np.mean(u**2)))
    np.testing.assert_allclose(p, theta - tr["alpha"] / clip * u, rtol=1e-14)
    assert math.sqrt(np.mean(((theta - p) / tr["alpha"]) ** 2)) <= 1.0 + 1e-12


def test_adafactor_relative_step_uses_lr_as_cap_and_eps2_as_floor() -> None:
    opt = optim.get("adafactor", lr=0.5)
    s = optim.AdafactorState(v=[0.0], t=99)  # step 100: ρ = min(0.5, 1/10)
    _, _, tr = opt.step_trace(np.array([0.0]), np.array([1.0]), s)
    assert tr["rho"] == 0.1
    assert tr["alpha"] == 1e-3 * 0.1  # RMS(θ) = 0 < ε₂


def test_adafactor_batch_dims_equal_looping() -> None:
    rng = np.random.default_rng(3)
    theta = rng.standard_normal((3, 4, 2))
    grads = [rng.standard_normal((3, 4, 2)) for _ in range(3)]
    lr = np.array([0.5, 0.01, 0.1])[:, None, None]
    t0 = np.array([0, 4, 10])[:, None, None]
    opt = optim.get("adafactor", lr=lr, d=1.5, batch_dims=1)
    s = optim.AdafactorState(row_var=np.full((3, 4, 1), 0.1), col_var=np.full((3, 1, 2), 0.2), t=t0)
    p = theta
    for g in grads:
        p, s = opt.step(p, g, s)
    for i in range(3):
        o = optim.get("adafactor", lr=float(lr[i, 0, 0]), d=1.5)
        si = optim.AdafactorState(row_var=np.full((4, 1), 0.1), col_var=np.full((1, 2), 0.2),
                                  t=int(t0[i, 0, 0]))  # fmt: skip
        q = theta[i]
        for g in grads:
            q, si = o.step(q, g[i], si)
        np.testing.assert_array_equal(p[i], q)
        np.testing.assert_array_equal(s.col_var[i], si.col_var)


def test_adafactor_errors() -> None:
    with pytest.raises(optim.OptimError, match="beta2_decay"):
        optim.get("adafactor", beta2_decay=0.5)
    with pytest.raises(optim.OptimError, match="d"):
        optim.get("adafactor", d=0.5)
    with pytest.raises(optim.OptimError, match="epsilon1"):
        optim.get("adafactor", eps=(-1.0, 1e-3))
    with pytest.raises(optim.OptimError, match="batch_dims"):
        optim.get("adafactor", batch_dims=2).init(np.zeros(3))
    with pytest.raises(optim.OptimError, match="row_var"):
        opt = optim.get("adafactor")
        opt.step(np.zeros((2, 2)), np.zeros((2, 2)), optim.AdafactorState(v=np.zeros((2, 2))))
