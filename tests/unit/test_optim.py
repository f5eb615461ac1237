"""Behaviour of quizapp.engine.optim without torch: API, purity, batching, states, traces."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from quizapp.engine import optim

NAMES = optim.names()
RNG = np.random.default_rng(0)


def _problem(shape=(4, 3), seed=0):  # noqa: ANN001, ANN202
    rng = np.random.default_rng(seed)
    return rng.standard_normal(shape), [rng.standard_normal(shape) for _ in range(3)]


def test_names_and_defaults() -> None:
    assert NAMES == (
        "sgd", "adagrad", "rmsprop", "adam", "adamw", "nadam", "radam", "adamax", "adadelta", "lion",
        "rprop", "asgd", "adafactor", "muon",
    )  # fmt: skip
    assert optim.defaults("rprop") == {
        "lr": 1e-2, "etas": (0.5, 1.2), "step_sizes": (1e-6, 50.0), "maximize": False,
    }  # fmt: skip
    assert optim.defaults("asgd") == {
        "lr": 1e-2, "lambd": 1e-4, "alpha": 0.75, "t0": 1e6, "weight_decay": 0.0, "maximize": False,
    }  # fmt: skip
    assert optim.defaults("adafactor") == {
        "lr": 1e-2, "beta2_decay": -0.8, "eps": (None, 1e-3), "d": 1.0, "weight_decay": 0.0,
        "maximize": False, "batch_dims": 0,
    }  # fmt: skip
    assert optim.defaults("sgd")["lr"] == 1e-3  # torch 2.13 default
    assert optim.defaults("adamw")["weight_decay"] == 1e-2
    assert optim.defaults("lion") == {
        "lr": 1e-4, "betas": (0.9, 0.99), "weight_decay": 0.0, "maximize": False,
    }  # fmt: skip
    assert optim.defaults("adam")["maximize"] is False


@pytest.mark.parametrize(
    ("name", "kwargs", "fragment"),
    [
        ("adamm", {}, "valid: sgd"),
        ("adam", {"beta1": 0.9}, "unknown keyword"),
        ("adam", {"lr": -1.0}, "invalid lr"),
        ("adam", {"betas": (0.9, 1.0)}, "beta parameter at index 1"),
        ("adam", {"betas": 0.9}, "pair"),
        ("adam", {"amsgrad": 1}, "True or False"),
        ("adam", {"lr": "fast"}, "number"),
        ("sgd", {"nesterov": True}, "Nesterov"),
        ("sgd", {"nesterov": True, "momentum": 0.9, "dampening": 0.1}, "Nesterov"),
        ("adadelta", {"rho": 1.5}, "rho"),
        ("adamw", {"decoupled_weight_decay": False}, "unknown keyword"),
    ],
)
def test_bad_names_and_kwargs(name: str, kwargs: dict, fragment: str) -> None:
    with pytest.raises(optim.OptimError, match=fragment) as info:
        optim.get(name, **kwargs)
    assert isinstance(info.value, ValueError)


def test_error_lists_valid_keywords() -> None:
    with pytest.raises(optim.OptimError, match="lr, betas, eps, weight_decay, amsgrad"):
        optim.get("adam", learning_rate=0.1)


@pytest.mark.parametrize("name", NAMES)
def test_step_is_pure(name: str) -> None:
    theta, grads = _problem()
    opt = optim.get(name)
    state = opt.init(theta)
    theta_c, g_c = theta.copy(), grads[0].copy()
    p1, s1 = opt.step(theta, grads[0], state)
    before = {f.name: (None if getattr(s1, f.name) is None else np.copy(getattr(s1, f.name)))
              for f in dataclasses.fields(s1)}  # fmt: skip
    p2, s2, trace = opt.step_trace(p1, grads[1], s1)
    np.testing.assert_array_equal(theta, theta_c)
    np.testing.assert_array_equal(grads[0], g_c)
    for k, v in before.items():
        got = getattr(s1, k)
        if v is None:
            assert got is None
        else:
            np.testing.assert_array_equal(got, v)
    assert p1 is not theta and not np.shares_memory(p1, theta)
    # the same inputs give the same outputs (no hidden state)
    p2b, _ = opt.step(p1, grads[1], s1)
    np.testing.assert_array_equal(p2, p2b)
    np.testing.assert_array_equal(trace["theta"], p2)
    np.testing.assert_array_equal(trace["update"], p2 - p1)


@pytest.mark.parametrize("name", NAMES)
def test_state_is_frozen(name: str) -> None:
    opt = optim.get(name)
    s = opt.init(np.zeros((3, 2) if name == "muon" else 3))
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.t = 5  # type: ignore[misc]


@pytest.mark.parametrize("name", NAMES)
def test_any_shape(name: str) -> None:
    opt = optim.get(name, lr=0.1) if name != "adadelta" else optim.get(name)
    shapes = [(1, 1), (5, 2), (2, 3, 4)] if name == "muon" else [(), (1,), (5,), (2, 3, 4)]
    for shape in shapes:
        theta = np.full(shape, 0.5)
        p, s = opt.step(theta, np.full(shape, 0.2), opt.init(theta))
        assert p.shape == theta.shape and p.dtype == np.float64
        assert np.all(p != theta)


def test_state_construction_by_hand() -> None:
    s = optim.AdamState(m=[0.1, -0.2], v=[0.01, 0.04], t=3)
    assert isinstance(s.m, np.ndarray) and s.t == 3 and s.v_max is None
    opt = optim.get("adam", lr=0.1)
    p, s2, tr = opt.step_trace(np.array([1.0, 2.0]), np.array([0.5, -0.5]), s)
    assert s2.t == 4
    np.testing.assert_array_equal(tr["t"], 4)
    assert tr["bias_correction1"] == 1 - 0.9**4
    with pytest.raises(optim.OptimError):
        optim.AdamState(m=[0.0], v=[0.0], t=-1)
    with pytest.raises(optim.OptimError, match="state must be AdamState"):
        opt.step(np.zeros(2), np.zeros(2), optim.SGDState())
    with pytest.raises(optim.OptimError, match="v_max"):
        optim.get("adam", amsgrad=True).step(np.zeros(2), np.zeros(2), s)
    with pytest.raises(optim.OptimError, match="shape"):
        opt.step(np.zeros(2), np.zeros(3), s)
    assert optim.SGDState().momentum_buffer is None
    assert optim.NAdamState(m=[0.0], v=[0.0]).mu_product == 1.0
    assert optim.AdagradState(sum=[0.1]).t == 0
    s3 = s.replace(t=7)
    assert s3.t == 7 and s.t == 3


def test_sgd_first_buffer_is_the_gradient() -> None:
    opt = optim.get("sgd", lr=0.1, momentum=0.9, dampening=0.5)
    theta, g = np.array([1.0]), np.array([2.0])
    p, s, tr = opt.step_trace(theta, g, opt.init(theta))
    np.testing.assert_array_equal(s.momentum_buffer, g)  # no dampening on step 1
    p, s = opt.step(p, g, s)
    np.testing.assert_array_equal(s.momentum_buffer, 0.9 * 2.0 + 0.5 * 2.0)


def test_momentum_zero_keeps_no_buffer() -> None:
    opt = optim.get("sgd", lr=0.1)
    _, s = opt.step(np.ones(2), np.ones(2), opt.init(np.ones(2)))
    assert s.momentum_buffer is None


TRACE_KEYS = {
    "sgd": {"grad_eff", "direction", "update", "delta_theta", "theta"},
    "adam": {"grad_eff", "m", "v", "t", "bias_correction1", "bias_correction2",
             "bias_correction2_sqrt", "step_size", "m_hat", "v_hat", "denom", "update", "delta_theta", "theta"},
    "adagrad": {"grad_eff", "clr", "sum", "std", "update", "delta_theta", "theta"},
    "rmsprop": {"grad_eff", "v", "avg", "update", "delta_theta", "theta"},
    "nadam": {"mu", "mu_next", "mu_product", "m", "v", "denom", "update", "delta_theta", "theta"},
    "radam": {"m", "v", "m_hat", "rho_inf", "rho_t", "rectified", "update", "delta_theta", "theta"},
    "adamax": {"m", "u", "clr", "update", "delta_theta", "theta"},
    "adadelta": {"v", "std", "delta", "acc_delta", "update", "delta_theta", "theta"},
    "lion": {"c", "sign_c", "m", "update", "delta_theta", "theta"},
    "rprop": {"grad_eff", "sign", "factor", "step_size", "grad_masked", "update", "delta_theta", "theta"},
    "asgd": {"grad_eff", "eta", "decay_factor", "mu", "ax", "eta_next", "mu_next", "update",
             "theta_decayed", "delta_theta", "theta"},
    "adafactor": {"grad_eff", "beta2_t", "rho", "rms_theta", "alpha", "row_mean", "col_mean",
                  "row_var", "col_var", "v_hat", "update_unclipped", "rms_update", "clip_denom",
                  "update", "delta_theta", "theta"},
    "muon": {"grad_eff", "momentum_buffer", "direction", "direction_norm", "ortho", "adjusted_lr",
             "theta_decayed", "decay_factor", "update", "delta_theta", "theta"},
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(TRACE_KEYS))
def test_trace_names(name: str) -> None:
    opt = optim.get(name)
    theta, grads = _problem()
    _, _, tr = opt.step_trace(theta, grads[0], opt.init(theta))
    assert TRACE_KEYS[name] <= set(tr), set(tr)
    assert all(isinstance(v, np.ndarray) for v in tr.values())


def test_adam_trace_is_consistent() -> None:
    opt = optim.get("adam", lr=0.01)
    s = optim.AdamState(m=[0.05, -0.02], v=[0.003, 0.001], t=4)
    theta, g = np.array([0.3, -0.7]), np.array([0.2, 0.1])
    p, s2, tr = opt.step_trace(theta, g, s)
    np.testing.assert_allclose(tr["m_hat"], s2.m / (1 - 0.9**5), rtol=1e-15)
    np.testing.assert_allclose(tr["v_hat"], s2.v / (1 - 0.999**5), rtol=1e-15)
    np.testing.assert_allclose(
        p, theta - 0.01 * tr["m_hat"] / (np.sqrt(tr["v_hat"]) + 1e-8), rtol=1e-14
    )


# -- batching --------------------------------------------------------------------------------
BATCH_HP = {
    "sgd": dict(lr=[0.1, 0.01, 0.5], momentum=[0.9, 0.0, 0.5], dampening=[0.0, 0.3, 0.1],
                weight_decay=[0.0, 0.1, 0.01]),
    "adagrad": dict(lr=[0.1, 0.01, 0.5], lr_decay=[0.0, 0.1, 0.01], eps=[1e-10, 1e-6, 1e-3],
                    initial_accumulator_value=[0.0, 0.1, 1.0]),
    "rmsprop": dict(lr=[0.1, 0.01, 0.5], alpha=[0.9, 0.99, 0.5], momentum=[0.0, 0.9, 0.5],
                    centered=True),
    "adam": dict(lr=[0.1, 0.01, 0.5], betas=([0.9, 0.5, 0.7], [0.999, 0.9, 0.99]),
                 weight_decay=[0.0, 0.1, 0.01], amsgrad=True),
    "adamw": dict(lr=[0.1, 0.01, 0.5], betas=([0.9, 0.5, 0.7], 0.95), weight_decay=[0.0, 0.1, 0.01]),
    "nadam": dict(lr=[0.1, 0.01, 0.5], momentum_decay=[4e-3, 0.0, 0.1], weight_decay=[0.0, 0.1, 0.01]),
    "radam": dict(lr=[0.1, 0.01, 0.5], betas=(0.9, [0.999, 0.6, 0.9])),
    "adamax": dict(lr=[0.1, 0.01, 0.5], betas=([0.9, 0.5, 0.7], [0.999, 0.9, 0.99])),
    "adadelta": dict(lr=[1.0, 0.5, 2.0], rho=[0.9, 0.5, 0.99], eps=[1e-6, 1e-3, 1e-6]),
    "lion": dict(lr=[0.1, 0.01, 0.5], betas=([0.9, 0.5, 0.7], [0.99, 0.9, 0.999]),
                 weight_decay=[0.0, 0.1, 0.01]),
    "rprop": dict(lr=[0.1, 0.01, 0.5], etas=([0.5, 0.3, 0.9], [1.2, 1.5, 1.01]),
                  step_sizes=([1e-6, 0.05, 1e-3], [50.0, 0.2, 1.0]), maximize=True),
    "asgd": dict(lr=[0.1, 0.01, 0.5], lambd=[1e-4, 0.1, 0.5], alpha=[0.75, 0.5, 1.0],
                 t0=[1e6, 0.0, 1.0], weight_decay=[0.0, 0.1, 0.01]),
}  # fmt: skip


def _row(v, i):  # noqa: ANN001, ANN202
    if isinstance(v, list):
        return v[i]
    if isinstance(v, tuple):
        return tuple(_row(x, i) for x in v)
    return v


def _col(v):  # noqa: ANN001, ANN202
    if isinstance(v, list):
        return np.array(v)[:, None]
    if isinstance(v, tuple):
        return tuple(_col(x) for x in v)
    return v


@pytest.mark.parametrize("name", sorted(BATCH_HP))
def test_batching_equals_looping(name: str) -> None:
    hp = BATCH_HP[name]
    theta, grads = _problem((3, 5), seed=1)
    opt = optim.get(name, **{k: _col(v) for k, v in hp.items()})
    p, s = theta, opt.init(theta)
    for g in grads:
        p, s = opt.step(p, g, s)
    for i in range(3):
        o = optim.get(name, **{k: _row(v, i) for k, v in hp.items()})
        q, st = theta[i], o.init(theta[i])
        for g in grads:
            q, st = o.step(q, g[i], st)
        np.testing.assert_array_equal(p[i], q, err_msg=f"{name} row {i}")


def test_batched_t() -> None:
    opt = optim.get("adam", lr=0.1)
    t = np.array([[0], [3], [10]])
    m = np.full((3, 2), 0.1)
    v = np.full((3, 2), 0.01)
    g = np.array([[0.2, -0.1]] * 3)
    p, s, tr = opt.step_trace(np.zeros((3, 2)), g, optim.AdamState(m=m, v=v, t=t))
    np.testing.assert_array_equal(s.t, t + 1)
    for i in range(3):
        q, _ = opt.step(np.zeros(2), g[i], optim.AdamState(m=m[i], v=v[i], t=int(t[i, 0])))
        np.testing.assert_array_equal(p[i], q)
    assert tr["bias_correction1"].shape == (3, 1)


def test_many_problems_in_one_call() -> None:
    rng = np.random.default_rng(5)
    n = 2000
    lr = 10 ** rng.uniform(-4, -1, (n, 1))
    opt = optim.get("adam", lr=lr, betas=(rng.uniform(0.5, 0.95, (n, 1)), 0.999))
    theta = rng.standard_normal((n, 3))
    p, s = opt.step(theta, rng.standard_normal((n, 3)), opt.init(theta))
    assert p.shape == (n, 3) and np.all(np.isfinite(p))


def test_state_arrays_are_read_only() -> None:
    opt = optim.get("adam")
    _, s = opt.step(np.ones(3), np.ones(3), opt.init(np.ones(3)))
    with pytest.raises(ValueError):
        s.m[0] = 1.0


def test_shape_mismatch_is_our_error() -> None:
    opt = optim.get("adam", lr=np.array([[0.1], [0.2]]))
    with pytest.raises(optim.OptimError, match="broadcast"):
        opt.step(np.zeros((3, 2)), np.zeros((3, 2)), opt.init(np.zeros((3, 2))))
    with pytest.raises(optim.OptimError, match="broadcast"):
        optim.get("adam").step(
            np.zeros(3), np.zeros(3), optim.AdamState(m=[0.0, 0.0], v=[0.0, 0.0])
        )


def test_torch_implementation_switches_are_accepted_and_change_nothing() -> None:
    import numpy as np

    from quizapp.engine import optim

    p = np.array([1.0, -2.0, 0.5])
    g = np.array([0.3, -0.1, 0.02])
    plain = optim.get("adam", lr=0.01)
    switched = optim.get(
        "adam", lr=0.01, foreach=True, fused=None, capturable=False, differentiable=False
    )
    a, _ = plain.step(p, g, plain.init(p))
    b, _ = switched.step(p, g, switched.init(p))
    np.testing.assert_array_equal(a, b)
    with pytest.raises(optim.OptimError, match="foreach must be None, True or False"):
        optim.get("sgd", foreach="yes")
