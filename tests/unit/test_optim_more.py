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


# -- Muon --------------------------------------------------------------------------------------
def test_newton_schulz_pushes_singular_values_toward_one() -> None:
    from quizapp.engine.optim.muon import NS_COEFFICIENTS, newton_schulz

    rng = np.random.default_rng(0)
    for shape in [(4, 7), (9, 3), (6, 6)]:
        g = rng.standard_normal(shape) * 100.0
        o = newton_schulz(g, NS_COEFFICIENTS, 5, 1e-7)
        assert o.shape == shape
        sv = np.linalg.svd(o, compute_uv=False)
        assert np.all((sv > 0.5) & (sv < 1.3)), sv  # ≈ U·Vᵀ, not exactly orthogonal
        u, _, vt = np.linalg.svd(g, full_matrices=False)
        assert np.sum(o * (u @ vt)) > 0.8 * min(shape)  # aligned with U·Vᵀ
    zero = newton_schulz(np.zeros((2, 3)), NS_COEFFICIENTS, 5, 1e-7)
    np.testing.assert_array_equal(zero, 0.0)  # eps keeps 0/0 away


def test_muon_step_equations() -> None:
    from quizapp.engine.optim.muon import NS_COEFFICIENTS, newton_schulz

    rng = np.random.default_rng(1)
    theta, g = rng.standard_normal((4, 2)), rng.standard_normal((4, 2))
    buf0 = rng.standard_normal((4, 2))
    opt = optim.get("muon", lr=0.02, weight_decay=0.1, momentum=0.9)
    p, s, tr = opt.step_trace(theta, g, optim.MuonState(momentum_buffer=buf0, t=3))
    np.testing.assert_allclose(s.momentum_buffer, 0.9 * buf0 + 0.1 * g, rtol=1e-14)
    direction = 0.1 * g + 0.9 * s.momentum_buffer  # nesterov (default): lerp(g, B, μ)
    np.testing.assert_allclose(tr["direction"], direction, rtol=1e-14, atol=1e-16)
    assert tr["adjusted_lr"] == 0.02 * math.sqrt(4 / 2)  # "original": √max(1, A/B)
    o = newton_schulz(tr["direction"], NS_COEFFICIENTS, 5, 1e-7)
    np.testing.assert_allclose(p, theta * (1 - 0.02 * 0.1) - tr["adjusted_lr"] * o, rtol=1e-14)
    assert s.t == 4
    plain = optim.get("muon", nesterov=False, momentum=0.9)
    _, _, tr = plain.step_trace(theta, g, optim.MuonState(momentum_buffer=buf0))
    np.testing.assert_array_equal(tr["direction"], tr["momentum_buffer"])


def test_muon_adjust_lr_fn() -> None:
    theta = np.zeros((3, 12))
    for fn, ratio in [(None, 1.0), ("original", 1.0), ("match_rms_adamw", 0.2 * math.sqrt(12))]:
        opt = optim.get("muon", lr=0.1, adjust_lr_fn=fn)
        _, _, tr = opt.step_trace(theta, np.ones((3, 12)), opt.init(theta))
        assert tr["adjusted_lr"] == 0.1 * ratio
    tall = optim.get("muon", lr=0.1)
    _, _, tr = tall.step_trace(np.zeros((12, 3)), np.ones((12, 3)), tall.init(np.zeros((12, 3))))
    assert tr["adjusted_lr"] == 0.1 * 2.0  # √(12/3)


def test_muon_batch_of_matrices_equals_looping() -> None:
    rng = np.random.default_rng(2)
    theta, g = rng.standard_normal((3, 5, 2)), rng.standard_normal((3, 5, 2))
    lr = np.array([0.1, 0.01, 0.05])[:, None, None]
    opt = optim.get("muon", lr=lr)
    p, s = opt.step(theta, g, opt.init(theta))
    for i in range(3):
        o = optim.get("muon", lr=float(lr[i, 0, 0]))
        q, si = o.step(theta[i], g[i], o.init(theta[i]))
        np.testing.assert_allclose(p[i], q, rtol=1e-15)
        np.testing.assert_array_equal(s.momentum_buffer[i], si.momentum_buffer)


def test_muon_errors() -> None:
    with pytest.raises(optim.OptimError, match="matrices"):
        optim.get("muon").init(np.zeros(4))
    with pytest.raises(optim.OptimError, match="adjust_lr_fn"):
        optim.get("muon", adjust_lr_fn="sqrt")
    with pytest.raises(optim.OptimError, match="ns_steps"):
        optim.get("muon", ns_steps=100)
    with pytest.raises(optim.OptimError, match="3 numbers"):
        optim.get("muon", ns_coefficients=(3.4, -4.7))
