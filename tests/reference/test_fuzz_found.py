"""Regressions for what a differential fuzz of the engine against torch 2.13 found.

The fuzz (random cases over every optimizer flag, schedule, clipping norm and drill, with
−0, subnormal, huge and non-finite entries) found these, now fixed:

- the emulated fma was not exact where a product falls near the subnormal range or the
  result is zero or subnormal: a moment of −0 came out +0 (−0 + +0 = +0 in its last
  step), and subnormal results were an ulp or more off (Lion, Adam, NAdam, RAdam, ASGD…);
- an fma with finite factors and an infinite addend gave nan where the hardware gives the
  addend (centered RMSprop: v = inf, v − ḡ² was nan, torch's is inf);
- a norm of one element squared it (1e200 → inf) where torch takes |x| (Adafactor's
  RMS(θ), clipping);
- clip_grad_value to 0 dropped the sign of negative gradients (torch keeps −0), and a
  p < 0 clipping norm with a zero entry raised ZeroDivisionError (torch: 0^p = inf);
- ASGD's η for a negative lambd or an infinite alpha raised a bare ZeroDivisionError or
  OverflowError; a None hyperparameter silently became nan.

Tests marked torch compare with torch itself (skipped without it); the golden tests compare
with golden_fuzz_found.json (written by make_fuzz_golden.py from torch), so the engine is
checked where torch is absent. One torch behaviour is *not* reproduced, on purpose: when
lerp's weight is ≥ ½ (β₁ ≤ ½) torch gives a zero result a sign that depends on the
element's position (its vector loop computes fma(w − 1, Δ, end), its scalar tail
end − Δ·(1 − w), which differ only in the sign of a zero), so the cases keep β₁ > ½.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from quizapp.engine import clip, optim
from quizapp.engine.optim import _fp
from tests.lazy_torch import needs_torch, torch_ref, uses_torch
from tests.reference.cases import edge_clip_cases, edge_optim_cases

HERE = Path(__file__).parent
GOLDEN = json.loads((HERE / "golden_fuzz_found.json").read_text())
EXACT = {"sgd", "adamax", "lion", "rprop", "asgd", "adafactor"}  # no sqrt: bit-identical
NAMES = tuple(n for n in optim.names() if n != "muon")
#: every eighth case in the default run (all of them in the slow sweep)
EDGE = edge_optim_cases(NAMES, per_name=20, seed=99)


def _bits(x: Any) -> np.ndarray:
    a = np.atleast_1d(np.asarray(x, dtype=np.float64))
    return np.where(np.isnan(a), np.nan, a).view(np.int64)  # any nan is the same nan


def _same_bits(got: Any, want: Any, what: str) -> None:
    got, want = np.asarray(got, dtype=np.float64), np.asarray(want, dtype=np.float64)
    assert got.shape == want.shape, what
    assert np.array_equal(_bits(got), _bits(want)), f"{what}\n{got!r}\n{want!r}"


def _run(name: str, hp: dict[str, Any], theta: np.ndarray, grads: list[np.ndarray]) -> Any:
    opt = optim.get(name, **hp)
    state = opt.init(theta)
    p = theta
    for g in grads:
        p, state = opt.step(p, g, state)
    return p, state


def _default(cases: list[Any]) -> list[Any]:
    """Every eighth case, parametrized in the default run; the rest run in one slow test."""
    return cases[::8]


def _rest(cases: list[Any]) -> list[Any]:
    return [c for n, c in enumerate(cases) if n % 8]


def _check_edge_vs_torch(case: Any) -> None:
    name, hp, theta, grads = case
    tp, tstate = torch_ref.run_torch(name, hp, theta, grads)
    with np.errstate(all="ignore"):
        p, state = _run(name, hp, theta, grads)
    _same_bits(p, tp, f"{name} {hp} theta")
    for key, val in tstate.items():
        if key != "t":
            _same_bits(getattr(state, key), val, f"{name} {hp} state.{key}")


@needs_torch
@uses_torch
@pytest.mark.parametrize(
    "case", _default(EDGE), ids=[f"{c[0]}-{8 * i}" for i, c in enumerate(_default(EDGE))]
)
def test_edge_values_bit_identical_with_torch_sqrt(case, torch_sqrt) -> None:  # noqa: ANN001
    """−0, subnormals, 1e200, ε = 0: every bit (signs of zero included) as torch's, with
    torch's sqrt injected (its MKL sqrt is an ulp low on ~1 % of inputs)."""
    _check_edge_vs_torch(case)


@needs_torch
@uses_torch
@pytest.mark.slow
def test_edge_values_bit_identical_with_torch_sqrt_all(torch_sqrt) -> None:  # noqa: ANN001
    for case in _rest(EDGE):
        _check_edge_vs_torch(case)


def _unhex(x: Any) -> np.ndarray:
    if isinstance(x, str):
        return np.array(float.fromhex(x))
    return np.array([float.fromhex(v) for v in x["hex"]], dtype=np.float64).reshape(x["shape"])


def _close_to_golden(name: str, steps: int, got: Any, want: np.ndarray, what: str) -> None:
    """Bitwise for the optimizers without a square root; else within torch's sqrt error
    (4 ulps after one step, 4 ulps of the largest entry after several), with the same
    non-finite entries and the same signs of zero."""
    got = np.atleast_1d(np.asarray(got, dtype=np.float64))
    want = np.atleast_1d(want)
    if name in EXACT:
        _same_bits(got, want, what)
        return
    assert got.shape == want.shape, what
    finite = np.isfinite(want)
    _same_bits(got[~finite], want[~finite], what)
    zeros = want == 0
    assert np.array_equal(np.signbit(got[zeros]), np.signbit(want[zeros])), what
    g, w = got[finite], want[finite]
    if steps == 1:
        assert torch_ref_free_ulps(g, w) <= 4, f"{what}\n{g!r}\n{w!r}"
    else:
        scale = np.spacing(np.max(np.abs(w), initial=0.0))
        assert np.max(np.abs(g - w), initial=0.0) <= 4 * scale, f"{what}\n{g!r}\n{w!r}"


def torch_ref_free_ulps(a: np.ndarray, b: np.ndarray) -> int:
    """Largest distance in ulps between two finite float64 arrays (−0 and +0 are 0 apart)."""
    ia = a.view(np.int64).astype(object)
    ib = b.view(np.int64).astype(object)
    ia = np.where(ia < 0, -(2**63) - ia, ia)
    ib = np.where(ib < 0, -(2**63) - ib, ib)
    return int(np.max(np.abs(ia - ib))) if a.size else 0


OPTIM_GOLDEN = GOLDEN["optim"]


def _check_optim_golden(case: dict[str, Any]) -> None:
    name = case["name"]
    hp = {k: (tuple(v) if isinstance(v, list) else v) for k, v in case["hp"].items()}
    grads = [_unhex(g) for g in case["grads"]]
    with np.errstate(all="ignore"):
        p, state = _run(name, hp, _unhex(case["theta"]), grads)
    _close_to_golden(name, len(grads), p, _unhex(case["expected_theta"]), f"{name} {hp} theta")
    for key, val in case["expected_state"].items():
        if key == "t":
            assert state.t == val
        else:
            got = getattr(state, key)
            _close_to_golden(name, len(grads), got, _unhex(val), f"{name} {hp} state.{key}")


@pytest.mark.parametrize(
    "case",
    _default(OPTIM_GOLDEN),
    ids=[f"{c['name']}-{8 * i}" for i, c in enumerate(_default(OPTIM_GOLDEN))],
)
def test_edge_values_golden(case: dict[str, Any]) -> None:
    _check_optim_golden(case)


@pytest.mark.slow
def test_edge_values_golden_all() -> None:
    for case in _rest(OPTIM_GOLDEN):
        _check_optim_golden(case)


def test_the_golden_cases_are_the_generated_ones() -> None:
    """The file was written from edge_optim_cases: same names, hyperparameters and inputs."""
    assert len(OPTIM_GOLDEN) == len(EDGE)
    for rec, (name, hp, theta, grads) in zip(OPTIM_GOLDEN, EDGE, strict=True):
        assert rec["name"] == name
        assert rec["hp"] == {k: (list(v) if isinstance(v, tuple) else v) for k, v in hp.items()}
        _same_bits(_unhex(rec["theta"]), theta, name)
        assert len(rec["grads"]) == len(grads)


CLIP_GOLDEN = GOLDEN["clip"]


def test_clip_edge_values_golden() -> None:
    for case in CLIP_GOLDEN:
        _check_clip_golden(case)


def _check_clip_golden(case: dict[str, Any]) -> None:
    grads = [_unhex(g) for g in case["grads"]]
    with np.errstate(all="ignore"):
        clipped, total = clip.clip_grad_norm(
            grads, float.fromhex(case["max_norm"]), case["norm_type"]
        )
    _same_bits(total, _unhex(case["total_norm"]), f"p={case['norm_type']} total norm")
    for got, want in zip(clipped, case["expected"], strict=True):
        _same_bits(got, _unhex(want), f"p={case['norm_type']} clipped")
    by_value = clip.clip_grad_value(grads, float.fromhex(case["clip_value"]))
    for got, want in zip(by_value, case["expected_value_clip"], strict=True):
        _same_bits(got, _unhex(want), f"clip_value={float.fromhex(case['clip_value'])}")


@needs_torch
@uses_torch
def test_clip_edge_values_vs_torch() -> None:
    for grads, limit, p, value in edge_clip_cases(60, seed=4):
        with np.errstate(all="ignore"):
            clipped, total = clip.clip_grad_norm(grads, limit, p)
        want, want_total = torch_ref.torch_clip_norm(grads, limit, p)
        _same_bits(total, want_total, f"p={p} total norm")
        for got, w in zip(clipped, want, strict=True):
            _same_bits(got, w, f"p={p} clipped")
        for got, w in zip(
            clip.clip_grad_value(grads, value),
            torch_ref.torch_clip_value(grads, value),
            strict=True,
        ):
            _same_bits(got, w, f"clip_value={value}")


# -- the individual findings, as plain facts about torch's arithmetic (no torch needed) --


def test_fma_gives_zeros_their_ieee_sign() -> None:
    """−0·1 + −0 is −0 (the two-step emulation gave +0), and a negative product that
    underflows to zero keeps its sign: torch's Lion/Adam moments of −5e-324·(1 − β)."""
    _same_bits(_fp.fma(np.full(3, -0.0), np.ones(3), np.full(3, -0.0)), np.full(3, -0.0), "-0")
    _same_bits(_fp.fma(np.full(40, -0.0), 1.0, np.full(40, -0.0)), np.full(40, -0.0), "-0, 40")
    _same_bits(_fp.fma(-5e-324, np.array([0.1]), np.array([0.0])), np.array([-0.0]), "underflow")
    _same_bits(_fp.fma(1.0, np.array([-1.5]), np.array([1.5])), np.array([0.0]), "x - x = +0")


def test_fma_is_exact_in_the_subnormal_range() -> None:
    """Products near 2⁻¹⁰⁷⁴ and subnormal results: the correctly rounded value, which the
    error-free transformations missed (TwoProduct's error term underflows)."""
    from fractions import Fraction

    rng = np.random.default_rng(11)
    a = rng.standard_normal(500) * 10.0 ** rng.uniform(-170, -150, 500)
    b = rng.standard_normal(500) * 10.0 ** rng.uniform(-170, -150, 500)
    c = np.where(rng.random(500) < 0.5, 0.0, rng.standard_normal(500) * 1e-310)
    want = [float(Fraction(x) * Fraction(y) + Fraction(z)) for x, y, z in zip(a, b, c, strict=True)]
    got = _fp.fma(a, b, c)
    nonzero = np.asarray(want) != 0
    np.testing.assert_array_equal(got[nonzero], np.asarray(want)[nonzero])


def test_fma_with_an_infinite_addend_is_the_addend() -> None:
    """The hardware never rounds the product: inf + (−1e198·1e198) is inf, not nan."""
    got = _fp.fma(np.array([-1e198, 1e300]), np.array([1e198, 1e300]), np.array([np.inf, -np.inf]))
    _same_bits(got, np.array([np.inf, -np.inf]), "inf addend")
    got = _fp.fma(-1e198, np.full(30, 1e198), np.full(30, np.inf))  # the NumPy path
    _same_bits(got, np.full(30, np.inf), "inf addend, 30")
    assert np.isnan(_fp.fma(np.array([np.inf]), np.array([0.0]), np.array([1.0]))[0])


def test_norm_of_one_element_is_its_magnitude() -> None:
    assert clip.vector_norm(np.array([-1e200])) == 1e200
    _same_bits(clip.clip_grad_norm([np.array([1e200])], 1.0)[1], 1e200, "one-element norm")
    with np.errstate(all="ignore"):
        p, _ = _run("adafactor", {"lr": 0.0}, np.array([-1e200]), [np.array([0.5])])
    _same_bits(p, np.array([-1e200]), "adafactor lr 0 keeps theta")


def test_clip_value_zero_keeps_the_sign_of_negative_gradients() -> None:
    g = np.array([3.0, -2.0, 0.0, -0.0, np.nan, -1e-310])
    _same_bits(
        clip.clip_grad_value([g], 0.0)[0],
        np.array([0.0, -0.0, 0.0, -0.0, np.nan, -0.0]),
        "clip_value 0",
    )


def test_negative_p_norm_with_a_zero_entry_is_zero() -> None:
    """(Σ|x|ᵖ)^(1/p) with p < 0 and a zero entry: 0ᵖ = inf, inf^(1/p) = 0 (C's pow)."""
    assert clip.vector_norm(np.array([0.0, 2.0, 3.0]), -1.0) == 0.0
    clipped, total = clip.clip_grad_norm([np.array([0.0, 2.0]), np.array([1.0])], 1.0, -2.0)
    assert total == 0.0
    _same_bits(clipped[0], np.array([0.0, 2.0]), "p = -2 leaves the grads")


@pytest.mark.parametrize(
    ("hp", "fragment"),
    [
        ({"lambd": -1.0, "lr": 1.0}, "is not a real number"),  # (1 − 1)^0.75 = 0: 1/0
        ({"lambd": 1.0, "lr": 10.0, "alpha": 1000.0}, "is not a real number"),  # 11^1000
        ({"alpha": -math.inf}, "is not a real number"),
        ({"lambd": -1.0, "lr": 0.5}, "is not a real number"),  # 1 − 0.5·2 … then negative
    ],
)
def test_asgd_refuses_an_eta_torch_cannot_compute(hp: dict[str, Any], fragment: str) -> None:
    opt = optim.get("asgd", **hp)
    p, state = np.zeros(2), opt.init(np.zeros(2))
    with pytest.raises(optim.OptimError, match=fragment) as err:
        for _ in range(4):
            p, state = opt.step(p, np.ones(2), state)
    assert "asgd" in str(err.value) and "lambd" in str(err.value)


@pytest.mark.parametrize(
    ("name", "hp"),
    [
        ("asgd", {"lambd": None}),
        ("asgd", {"t0": None}),
        ("muon", {"ns_coefficients": (None, -4.775, 2.0315)}),
        ("sgd", {"dampening": None}),
        ("adam", {"lr": None}),
    ],
)
def test_none_hyperparameter_is_refused_not_nan(name: str, hp: dict[str, Any]) -> None:
    key = next(iter(hp))
    with pytest.raises(optim.OptimError, match=f"{key}.*must be a number, got NoneType"):
        optim.get(name, **hp)


@pytest.mark.parametrize("key", ["div_factor", "final_div_factor"])
def test_onecycle_refuses_a_zero_divisor(key: str) -> None:
    """torch divides max_lr by these (ZeroDivisionError); the engine raised the same bare
    ZeroDivisionError instead of a ScheduleError naming the keyword."""
    from quizapp.engine import schedules

    with pytest.raises(schedules.ScheduleError, match=f"{key} must not be 0"):
        schedules.get("onecycle", max_lr=0.1, total_steps=20, **{key: 0.0})


def test_clip_refuses_none_limits() -> None:
    """max_norm / clip_value None became nan (np.asarray(None, float)); torch raises."""
    with pytest.raises(clip.ClipError, match="max_norm must be a number, got None"):
        clip.clip_grad_norm([np.ones(2)], None)
    with pytest.raises(clip.ClipError, match="clip_value must be a number, got None"):
        clip.clip_grad_value([np.ones(2)], None)


# -- batched hyperparameters (one row per problem): each row as its own single problem --

_DIVERGED = np.array([[np.inf, -1.0, 2.0], [np.inf, -1.0, 2.0]])
_BATCHED = [
    # RAdam: a row with β₂ = 0.5 has ρ∞ = 3, unrectified; the unused rectification term of
    # that row was still computed, √ of a negative ratio: "math domain error"
    ("radam", {"betas": (0.9, np.array([[0.999], [0.5]])), "lr": 0.1}, None),
    # L2 decay λ = 0 in one row: torch skips the add there; the engine's 0·inf made it nan
    ("adam", {"weight_decay": np.array([[0.1], [0.0]]), "lr": 0.1}, _DIVERGED),
    ("nadam", {"weight_decay": np.array([[0.1], [0.0]])}, _DIVERGED),
    ("adamax", {"weight_decay": np.array([[0.0], [0.1]])}, _DIVERGED),
    ("sgd", {"weight_decay": np.array([[0.1], [0.0]]), "momentum": 0.9}, _DIVERGED),
    ("adagrad", {"weight_decay": np.array([[0.0], [0.1]])}, _DIVERGED),
    ("rmsprop", {"weight_decay": np.array([[0.1], [0.0]]), "centered": True}, _DIVERGED),
    ("adadelta", {"weight_decay": np.array([[0.1], [0.0]])}, _DIVERGED),
    ("asgd", {"weight_decay": np.array([[0.1], [0.0]])}, _DIVERGED),
]


def _row_hp(hp: dict[str, Any], i: int) -> dict[str, Any]:
    def pick(v: Any) -> Any:
        if isinstance(v, np.ndarray):
            return float(v[i, 0])
        if isinstance(v, tuple):
            return tuple(pick(x) for x in v)
        return v

    return {k: pick(v) for k, v in hp.items()}


@pytest.mark.parametrize(("name", "hp", "theta"), _BATCHED, ids=[c[0] for c in _BATCHED])
def test_batched_rows_equal_single_problems(name: str, hp: dict[str, Any], theta: Any) -> None:
    theta = np.array([[0.5, -1.0, 2.0], [0.5, -1.0, 2.0]]) if theta is None else theta
    grads = [np.array([[0.3, -0.2, 0.1], [0.3, -0.2, 0.1]]) * (k + 1) for k in range(3)]
    with np.errstate(all="ignore"):
        batched, _ = _run(name, hp, theta, grads)
        for i in range(2):
            single, _ = _run(name, _row_hp(hp, i), theta[i], [g[i] for g in grads])
            _same_bits(batched[i], single, f"{name} row {i}")


@needs_torch
@uses_torch
@pytest.mark.parametrize(("name", "hp", "theta"), _BATCHED, ids=[c[0] for c in _BATCHED])
def test_batched_rows_equal_torch(name: str, hp: dict[str, Any], theta: Any, torch_sqrt) -> None:  # noqa: ANN001
    theta = np.array([[0.5, -1.0, 2.0], [0.5, -1.0, 2.0]]) if theta is None else theta
    grads = [np.array([[0.3, -0.2, 0.1], [0.3, -0.2, 0.1]]) * (k + 1) for k in range(3)]
    with np.errstate(all="ignore"):
        batched, _ = _run(name, hp, theta, grads)
    for i in range(2):
        want, _ = torch_ref.run_torch(name, _row_hp(hp, i), theta[i], [g[i] for g in grads])
        _same_bits(batched[i], want, f"{name} row {i}")
