"""The engine against torch 2.13 (CPU, float64) on seeded random cases.

torch's CPU ``sqrt`` on float64 (MKL vdSqrt) is not correctly rounded: ~0.8 % of its results
are one ulp below the IEEE root that NumPy returns. So:

- with torch's sqrt injected into the engine (``_fp.set_sqrt``), every optimizer is
  bit-identical to torch over 1–30 steps: this proves the order of operations;
- with the engine's own (correctly rounded) sqrt, SGD, Adamax and Lion stay bit-identical;
  the others are within 4 ulps after one step and, over many steps (where one-ulp sqrt
  differences compound through the state, and near-zero entries make ulp counts
  meaningless), within 4 ulps of each array's largest magnitude;
- every schedule is bit-identical;
- Muon's Newton–Schulz runs in bfloat16 in torch and in float64 here: its momentum buffer
  is bit-identical, its parameters agree to a bfloat16-level tolerance (measured: ≤ ~5 %
  of the largest movement), and with torch's iteration forced to float64 they agree to
  1e-12.
"""

from __future__ import annotations

import numpy as np
import pytest

from quizapp.engine import optim, schedules
from tests.lazy_torch import needs_torch, torch, torch_ref, uses_torch
from tests.reference.cases import (
    _random_part,
    near_overflow_cases,
    optim_cases,
    plateau_cases,
    schedule_cases,
)

pytestmark = [needs_torch, uses_torch]

EXACT = {"sgd", "adamax", "lion", "rprop", "asgd", "adafactor"}
MAX_ULPS = 4


# Muon is compared at bfloat16 tolerance below; every other optimizer to the last bit
CASES = optim_cases(tuple(n for n in optim.names() if n != "muon"), per_name=30, seed=12345)


def run_engine(name, hp, theta, grads):  # noqa: ANN001, ANN201
    opt = optim.get(name, **hp)
    state = opt.init(theta)
    p = theta
    for g in grads:
        p, state = opt.step(p, g, state)
    return p, state


def _compare(name: str, ours: object, theirs: object, what: str, ulps: int) -> None:
    a = np.asarray(ours, dtype=np.float64)
    b = np.asarray(theirs, dtype=np.float64)
    assert a.shape == b.shape, what
    if ulps == 0:
        np.testing.assert_array_equal(a, b, err_msg=what)
    elif ulps < 0:
        # multi-step, own sqrt: one-ulp sqrt differences compound through the state, so
        # measure against the array's scale: |a − b| ≤ 4 ulp(max |b|)
        scale = np.spacing(np.max(np.abs(b))) if b.size else 0.0
        assert np.max(np.abs(a - b), initial=0.0) <= 4 * scale, what
    else:
        d = torch_ref.ulp_distance(a, b)
        assert d <= ulps, f"{what}: {d} ulps apart\n{a}\n{b}"


def _check(case, ulps: int) -> None:  # noqa: ANN001
    name, hp, theta, grads = case
    tp, tstate = torch_ref.run_torch(name, hp, theta, grads)
    p, state = run_engine(name, hp, theta, grads)
    _compare(name, p, tp, f"{name} {hp} theta", ulps)
    for key, val in tstate.items():
        if key == "t":
            assert state.t == val
        elif key == "mu_product":
            assert state.mu_product == val, (state.mu_product, val)
        else:
            _compare(name, getattr(state, key), val, f"{name} {hp} state.{key}", ulps)


IDS = [f"{c[0]}-{i}-{len(c[3])}steps" for i, c in enumerate(CASES)]
#: 10 random cases per optimizer (every third, as test_mostly_bit_identical reads) in the
#: default run; all 30 with the slow sweeps (CI)
SAMPLED = [
    pytest.param(c, id=i, marks=() if n % 3 == 0 else pytest.mark.slow)
    for n, (c, i) in enumerate(zip(CASES, IDS, strict=True))
]


@pytest.mark.parametrize("case", SAMPLED)
def test_bit_identical_with_torch_sqrt(case, torch_sqrt) -> None:  # noqa: ANN001
    _check(case, 0)


@pytest.mark.parametrize("case", SAMPLED)
def test_close_with_own_sqrt(case) -> None:  # noqa: ANN001
    name, _, _, grads = case
    if name in EXACT:
        ulps = 0
    elif len(grads) == 1:
        ulps = MAX_ULPS
    else:
        ulps = -1
    _check(case, ulps)


NEAR_OVERFLOW = near_overflow_cases(("sgd", "asgd", "lion", "adamax"), per_name=20, seed=7)


@pytest.mark.parametrize(
    "case", NEAR_OVERFLOW, ids=[f"{c[0]}-near-overflow-{i}" for i, c in enumerate(NEAR_OVERFLOW)]
)
def test_bit_identical_near_overflow(case) -> None:  # noqa: ANN001
    """A diverged run (θ, gradients ≈ 1e300–1e307): still bit-identical to torch, infs and
    nans included (the exact fma's intermediates are scaled where they would overflow)."""
    with np.errstate(all="ignore"):
        _check(case, 0)


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
def test_mostly_bit_identical() -> None:
    """Even with torch's inexact sqrt, the vast majority of results agree exactly."""
    same = total = 0
    for name, hp, theta, grads in CASES[::3]:
        tp, _ = torch_ref.run_torch(name, hp, theta, grads)
        p, _ = run_engine(name, hp, theta, grads)
        same += int(np.sum(tp == p))
        total += tp.size
    assert same / total > 0.97


def test_batched_hyperparameters_match_torch_per_row() -> None:
    """A (batch, n) problem with per-row hyperparameters equals torch row by row."""
    rng = np.random.default_rng(3)
    batch, n = 6, 5
    theta = rng.standard_normal((batch, n))
    grads = [rng.standard_normal((batch, n)) for _ in range(4)]
    lrs = 10 ** rng.uniform(-3, -1, size=(batch, 1))
    b1 = rng.uniform(0.5, 0.95, size=(batch, 1))
    wds = np.where(np.arange(batch)[:, None] % 2 == 0, 0.0, 0.05)
    opt = optim.get("adamw", lr=lrs, betas=(b1, 0.999), weight_decay=wds)
    st = opt.init(theta)
    p = theta
    for g in grads:
        p, st = opt.step(p, g, st)
    for i in range(batch):
        hp = dict(
            lr=float(lrs[i, 0]), betas=(float(b1[i, 0]), 0.999), weight_decay=float(wds[i, 0])
        )
        tp, _ = torch_ref.run_torch("adamw", hp, theta[i], [g[i] for g in grads])
        assert torch_ref.ulp_distance(p[i], tp) <= MAX_ULPS


SCHEDULES = schedule_cases()


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
@pytest.mark.parametrize("case", SCHEDULES, ids=[f"{c[0]}-{i}" for i, c in enumerate(SCHEDULES)])
def test_schedule_matches_torch(case) -> None:  # noqa: ANN001
    name, kw, n = case
    expected = np.array(torch_ref.torch_schedule(name, kw, n))
    f = schedules.get(name, **kw)
    got = f(np.arange(n + 1))
    np.testing.assert_array_equal(got, expected)
    assert f(n) == expected[-1]


def test_onecycle_past_total_raises_like_torch() -> None:
    with pytest.raises(ValueError):
        torch_ref.torch_schedule("onecycle", dict(max_lr=0.1, total_steps=10), 11)
    f = schedules.get("onecycle", max_lr=0.1, total_steps=10)
    assert f(10) == torch_ref.torch_schedule("onecycle", dict(max_lr=0.1, total_steps=10), 10)[-1]
    with pytest.raises(schedules.ScheduleError):
        f(11)


# parts that settle (linear, constant, polynomial past total_iters leave the lr as they find
# it) and then idle for thousands of steps: the engine counts those steps without replaying
# them one by one, and must still agree with torch bit for bit, up to and after milestones
SETTLING = [
    ("sequential", dict(base_lr=2e-3, schedulers=[("linear", {"start_factor": 0.01, "total_iters": 300}), ("linear", {"start_factor": 1.0, "end_factor": 0.1, "total_iters": 700})], milestones=[2500]), 3400),
    ("sequential", dict(base_lr=0.1, schedulers=[("constant", {"factor": 0.3, "total_iters": 40}), ("polynomial", {"total_iters": 500, "power": 2.0}), ("cosine", {"T_max": 50})], milestones=[1500, 2600]), 2800),
    ("chained", dict(base_lr=0.1, schedulers=[("linear", {"start_factor": 0.1, "total_iters": 200}), ("polynomial", {"total_iters": 900, "power": 0.5})]), 2500),
    ("linear", dict(base_lr=0.1, start_factor=0.2, total_iters=1000), 3000),
]  # fmt: skip


@pytest.mark.parametrize("case", SETTLING, ids=[f"settling-{i}" for i in range(len(SETTLING))])
def test_settled_parts_skip_idle_steps_bit_identically(case) -> None:  # noqa: ANN001
    name, kw, n = case
    expected = np.array(torch_ref.torch_schedule(name, kw, n))
    f = schedules.get(name, **kw)
    assert f(n - 1) == expected[n - 1] and f(n) == expected[n]  # one jump to the end first
    np.testing.assert_array_equal(f(np.arange(n + 1)), expected)


PLATEAU = plateau_cases()


@pytest.mark.parametrize("case", PLATEAU, ids=[f"plateau-{i}" for i in range(len(PLATEAU))])
def test_plateau_matches_torch(case) -> None:  # noqa: ANN001
    base, kw, metrics = case
    got = schedules.plateau(base, **kw)(metrics)
    np.testing.assert_array_equal(got, torch_ref.torch_plateau(base, kw, metrics))


@pytest.mark.slow
def test_random_composites_sweep() -> None:
    """300 random sequential/chained schedules of 2–4 random parts, 60 steps each."""
    rng = np.random.default_rng(2027)
    for i in range(300):
        parts = [_random_part(rng) for _ in range(int(rng.integers(2, 5)))]
        base = float(10 ** rng.uniform(-4, 0))
        if i % 2:
            ms = sorted(rng.integers(0, 40, len(parts) - 1).tolist())
            name, kw = "sequential", dict(base_lr=base, schedulers=parts, milestones=ms)
        else:
            name, kw = "chained", dict(base_lr=base, schedulers=parts)
        f = schedules.get(name, **kw)
        try:
            want = np.array(torch_ref.torch_schedule(name, kw, 60))
        except ZeroDivisionError:  # e.g. a linear part with total_iters=0 at a milestone
            with pytest.raises(schedules.ScheduleError, match="divides by zero"):
                f(np.arange(61))
            continue
        np.testing.assert_array_equal(f(np.arange(61)), want, err_msg=f"{kw}")


ADAFACTOR_SHAPES = [(4, 1), (1, 6), (3, 5, 1), (2, 1, 4), (), (33, 17), (2, 3, 4, 5)]
ADAFACTOR_CASES = optim_cases(("adafactor",), per_name=21, seed=77, shapes=ADAFACTOR_SHAPES)


@pytest.mark.parametrize("case", ADAFACTOR_CASES, ids=[f"adafactor-shape-{i}" for i in range(21)])
def test_adafactor_shapes_bit_identical(case) -> None:  # noqa: ANN001
    _check(case, 0)


def test_adafactor_batch_dims_equal_torch_per_problem() -> None:
    """batch_dims=1: each (n, m) matrix (or vector) is its own torch parameter, with its own
    lr and step count."""
    rng = np.random.default_rng(9)
    for shape in [(4, 3, 5), (3, 6)]:
        theta = rng.standard_normal(shape)
        grads = [rng.standard_normal(shape) for _ in range(3)]
        lr = np.array([0.5, 0.01, 0.002, 0.3][: shape[0]]).reshape((-1,) + (1,) * (len(shape) - 1))
        opt = optim.get("adafactor", lr=lr, weight_decay=0.1, batch_dims=1)
        p, s = theta, opt.init(theta)
        for g in grads:
            p, s = opt.step(p, g, s)
        for i in range(shape[0]):
            hp = dict(lr=float(lr.ravel()[i]), weight_decay=0.1)
            tp, ts = torch_ref.run_torch("adafactor", hp, theta[i], [g[i] for g in grads])
            np.testing.assert_array_equal(p[i], tp)
            if len(shape) == 3:
                np.testing.assert_array_equal(s.row_var[i], ts["row_var"])
                np.testing.assert_array_equal(s.col_var[i], ts["col_var"])
            else:
                np.testing.assert_array_equal(s.v[i], ts["v"])


@pytest.mark.slow
@pytest.mark.parametrize("name", ["rprop", "asgd", "adafactor"])
def test_new_optimizers_long_sweep(name: str) -> None:
    shapes = ADAFACTOR_SHAPES + [(5,), (3, 4)] if name == "adafactor" else None
    for case in optim_cases((name,), per_name=400, seed=31, shapes=shapes):
        _check(case, 0)


MUON_CASES = optim_cases(("muon",), per_name=30, seed=4242)
BF16_TOL = 0.08  # |θ − θ_torch| ≤ 8 % of max |θ_torch − θ₀| (measured worst: ~5 %)


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
@pytest.mark.parametrize(  # all in CI (every third ran by default before the sample)
    "case",
    [
        pytest.param(c, id=f"muon-{i}", marks=() if i % 3 == 0 else pytest.mark.slow)
        for i, c in enumerate(MUON_CASES)
    ],
)
def test_muon_matches_torch_at_bf16_tolerance(case) -> None:  # noqa: ANN001
    name, hp, theta, grads = case
    tp, ts = torch_ref.run_torch(name, hp, theta, grads)
    p, state = run_engine(name, hp, theta, grads)
    np.testing.assert_array_equal(state.momentum_buffer, ts["momentum_buffer"])
    moved = np.max(np.abs(tp - theta))
    assert np.max(np.abs(p - tp)) <= BF16_TOL * moved, (hp, np.max(np.abs(p - tp)) / moved)


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
def test_muon_is_torchs_algorithm_in_float64(monkeypatch: pytest.MonkeyPatch) -> None:
    """With torch's Newton–Schulz kept in float64, the engine agrees to 1e-12 (the
    remaining difference is the BLAS's order of additions in the matrix products)."""
    monkeypatch.setattr(torch.Tensor, "bfloat16", lambda self: self.clone())
    for name, hp, theta, grads in MUON_CASES:
        tp, _ = torch_ref.run_torch(name, hp, theta, grads)
        p, _ = run_engine(name, hp, theta, grads)
        moved = np.max(np.abs(tp - theta))
        assert np.max(np.abs(p - tp)) <= 1e-12 * max(moved, 1e-300), hp


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
def test_muon_batch_of_matrices_equals_torch_per_matrix() -> None:
    rng = np.random.default_rng(12)
    theta = rng.standard_normal((3, 4, 6))
    grads = [rng.standard_normal((3, 4, 6)) for _ in range(2)]
    opt = optim.get("muon", lr=0.02, adjust_lr_fn="match_rms_adamw")
    p, s = theta, opt.init(theta)
    for g in grads:
        p, s = opt.step(p, g, s)
    for i in range(3):
        tp, ts = torch_ref.run_torch(
            "muon", dict(lr=0.02, adjust_lr_fn="match_rms_adamw"), theta[i], [g[i] for g in grads]
        )
        np.testing.assert_array_equal(s.momentum_buffer[i], ts["momentum_buffer"])
        assert np.max(np.abs(p[i] - tp)) <= BF16_TOL * np.max(np.abs(tp - theta[i]))
