"""The exact floating-point primitives behind the torch-identical optimizers."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from quizapp.engine.optim import _fp
from tests.sampling import examples

FINITE = st.floats(min_value=-1e30, max_value=1e30, allow_nan=False, allow_infinity=False)


def _exact_fma(a: float, b: float, c: float) -> float:
    return float(Fraction(a) * Fraction(b) + Fraction(c))


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
@settings(max_examples=examples(400), deadline=None)
@given(FINITE, FINITE, FINITE)
def test_fma_is_correctly_rounded(a: float, b: float, c: float) -> None:
    # Documented limit of the emulation: products that fall into the subnormal range
    # (|a·b| < 2⁻⁹⁶⁹) may round differently. Optimizer-sized numbers never get there.
    product = abs(Fraction(a) * Fraction(b))
    assume(product == 0 or product > Fraction(2) ** -969)
    got = float(_fp.fma(np.array([a]), np.array([b]), np.array([c]))[0])
    assert got == _exact_fma(a, b, c) or (got == 0 and _exact_fma(a, b, c) == 0)


def _exact_or_inf(a: float, b: float, c: float) -> float:
    exact = Fraction(a) * Fraction(b) + Fraction(c)
    try:
        return float(exact)
    except OverflowError:  # the correctly rounded result overflows, as the hardware's does
        return float("inf") if exact > 0 else float("-inf")


WIDE = st.floats(allow_nan=False, allow_infinity=False)
NEAR_TOP = st.floats(min_value=2.0**990, max_value=1.7976931348623157e308).flatmap(
    lambda x: st.sampled_from([x, -x])
)


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
@settings(max_examples=examples(600), deadline=None)
@given(st.one_of(WIDE, NEAR_TOP), st.one_of(WIDE, NEAR_TOP), st.one_of(WIDE, NEAR_TOP))
def test_fma_is_correctly_rounded_up_to_overflow(a: float, b: float, c: float) -> None:
    """Over the whole finite range, near overflow included: a diverged run's θ ≈ 1e302
    (where the split's 134217729·x overflows), an a·b or a p + c that overflows while the
    exact result does not, and results that overflow to ±inf. Every path agrees."""
    product = abs(Fraction(a) * Fraction(b))
    assume(product == 0 or product > Fraction(2) ** -969)
    want = _exact_or_inf(a, b, c)
    for got in (
        _fp.fma(np.array([a]), np.array([b]), np.array([c]))[0],
        _fp.fma(a, np.array([b, b]), np.array([c, c]))[1],  # the small path, if it answers
        _fp._fma_general(np.array([a] * 30), np.array([b] * 30), c)[29],
    ):
        assert got == want or (got == 0 and want == 0), (a, b, c, got, want)


def test_fma_near_overflow_deterministic() -> None:
    """The cases seen in diverged SGD runs, and the edges of the scaled redo."""
    top = 1.7976931348623157e308
    cases = [
        (-0.1, 1.2345678901234567e302, 9.87654321e301),  # the split of 1e302 overflows
        (0.01, -3.3e306, 8.1e307),
        (2.0, 1.5e308, -top),  # a·b overflows, a·b + c does not
        (1.5 * 2.0**1022, 1 + 2.0**-52, 2.0**-1074),  # a midpoint near the top: c's sign counts
        (1.5 * 2.0**1022, 1 + 2.0**-52, -(2.0**-1074)),
        (top, 1.0, top),  # overflows: +inf
        (-top, 1.0, -top),
        (top, 0.5, top / 2),  # exactly top: no overflow
        (2.0**1000, 2.0**1000, -top),  # far beyond the top: +inf
    ]
    for a, b, c in cases:
        want = _exact_or_inf(a, b, c)
        assert float(_fp.fma(np.array([a]), np.array([b]), np.array([c]))[0]) == want
        assert float(_fp.fma(a, np.array([b]), np.array([c]))[0]) == want
        assert float(_fp._fma_general(np.array([a]), np.array([b]), np.array([c]))[0]) == want
        assert float(_fp.fma(a, b, c)) == want  # NumPy scalars (0-d)


def test_fma_random_arrays_and_cancellation() -> None:
    rng = np.random.default_rng(0)
    a = rng.standard_normal(3000)
    b = rng.standard_normal(3000) * 10.0 ** rng.integers(-8, 8, 3000)
    c = np.where(rng.random(3000) < 0.5, -(a * b), rng.standard_normal(3000))
    got = _fp.fma(a, b, c)
    want = np.array([_exact_fma(x, y, z) for x, y, z in zip(a, b, c, strict=True)])
    np.testing.assert_array_equal(got, want)
    assert not np.array_equal(a * b + c, want)  # the plain expression double-rounds


def test_fma_scalar_broadcast_and_large_arrays() -> None:
    rng = np.random.default_rng(1)
    b = rng.standard_normal(70_000)
    c = rng.standard_normal(70_000)
    big = _fp.fma(0.1, b, c)
    idx = rng.integers(0, 70_000, 200)
    np.testing.assert_array_equal(big[idx], [_exact_fma(0.1, b[i], c[i]) for i in idx])
    assert _fp.fma(np.array([[2.0], [3.0]]), np.ones((2, 3)), 1.0).shape == (2, 3)
    assert float(_fp.fma(0.1, 0.3, 0.7)) == _exact_fma(0.1, 0.3, 0.7)
    assert float(_fp.fma(1.0, 0.3, 0.7)) == 0.3 + 0.7


def test_fma_round_to_odd_branch() -> None:
    """Products with few significand bits make RN(r + e) land on midpoint offsets often, so
    the round-to-odd correction is exercised."""
    rng = np.random.default_rng(1)
    a = 1 + rng.integers(1, 2**20, 4000) * 2.0 ** -rng.integers(20, 40, 4000)
    b = 1 + rng.integers(1, 2**20, 4000) * 2.0 ** -rng.integers(20, 40, 4000)
    c = (
        rng.choice([-1, 1], 4000)
        * rng.integers(1, 2**53, 4000)
        * 2.0 ** -rng.integers(50, 60, 4000)
    )
    want = [_exact_fma(x, y, z) for x, y, z in zip(a, b, c, strict=True)]
    np.testing.assert_array_equal(_fp.fma(a, b, c), want)


def test_fma_non_finite() -> None:
    out = _fp.fma(
        np.array([np.inf, np.nan, 1e300, 2.0]),
        np.array([1.0, 1.0, 1e300, 3.0]),
        np.array([1.0, 0.0, 0.0, np.inf]),
    )
    assert np.isposinf(out[0]) and np.isnan(out[1]) and np.isposinf(out[2]) and np.isposinf(out[3])


def test_lerp_matches_torch_formula() -> None:
    rng = np.random.default_rng(2)
    s, e = rng.standard_normal(500), rng.standard_normal(500)
    for w in (0.1, 0.001, 0.7):
        want = [
            _exact_fma(w, float(Fraction(y) - Fraction(x)), x)
            if w < 0.5
            else _exact_fma(w - 1, float(Fraction(y) - Fraction(x)), y)
            for x, y in zip(s, e, strict=True)
        ]
        np.testing.assert_array_equal(_fp.lerp(s, e, w), want)
    np.testing.assert_array_equal(_fp.lerp(s, e, np.full(500, 0.7)), _fp.lerp(s, e, 0.7))


def test_pow_is_pythons() -> None:
    rng = np.random.default_rng(3)
    b = rng.uniform(0, 1, 1000)
    t = rng.integers(1, 5000, 1000).astype(float)
    np.testing.assert_array_equal(
        _fp.pow_(b, t), [x**y for x, y in zip(b.tolist(), t.tolist(), strict=True)]
    )
    assert _fp.pow_(0.9, 3.0) == 0.9**3.0


def test_f32_rounds() -> None:
    assert _fp.f32(0.1) == float(np.float32(0.1))
