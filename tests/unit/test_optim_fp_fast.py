"""The fast paths of ``_fp.fma`` against the formula they replaced, bit for bit.

``_old_fma`` below is the general fma as it was before the fast paths (TwoProduct, TwoSum,
RN(s + RN(r + e)) with the round-to-odd redo), frozen here as the oracle: the small
pure-Python path, the NumPy path with a Python-float scalar and the in-place NumPy path
must all give the same bits — including the cases where the result is *not* the correctly
rounded one, nan payload aside. Where that formula is not the hardware fma, the oracle is
the exact rational a·b + c, correctly rounded: where its intermediates overflow (a
non-finite result from finite operands: a split of |x| > 2⁹⁹⁶, an overflowing a·b or
p + c; torch's SGD was an ulp or more off near 1e302), ±inf when it overflows; where the
product is near the subnormal range or the result is zero or subnormal (TwoProduct's error
term rounded, −0 + +0 = +0: torch's Adam moments were +0 where torch has −0), with IEEE's
signs of zero. With finite factors and an infinite or nan addend the hardware gives the
addend (the product is never rounded, so inf − 1e396 is inf, not nan).
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from quizapp.engine.optim import _fp
from tests.sampling import examples

_LOW51 = (1 << 51) - 1


def _old_split(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    c = 134217729.0 * x
    hi = c - (c - x)
    return hi, x - hi


def _old_fma(a: object, b: object, c: object) -> np.ndarray:
    with np.errstate(all="ignore"):
        a = np.asarray(a, dtype=np.float64)
        b = np.asarray(b, dtype=np.float64)
        c = np.asarray(c, dtype=np.float64)
        ah, al = _old_split(a)
        bh, bl = _old_split(b)
        p = a * b
        e = ah * bh - p
        e += ah * bl
        e += al * bh
        e += al * bl
        s = p + c
        bb = s - p
        r = (p - (s - bb)) + (c - bb)
        if e.shape != s.shape:
            e = np.broadcast_to(e, s.shape)
        u = r + e
        out = np.asarray(s + u, dtype=np.float64)
        cand = ((u.view(np.int64) & _LOW51) == 0) & (u != 0)
        if np.count_nonzero(cand):
            ri, ei, ui = r[cand], e[cand], u[cand]
            ub = ui - ri
            w = (ri - (ui - ub)) + (ei - ub)
            bits = ui.view(np.int64).copy()
            odd_fix = (w != 0) & ((bits & 1) == 0)
            bits += np.where(odd_fix, np.where(np.signbit(w) == np.signbit(ui), 1, -1), 0)
            out[cand] = s[cand] + bits.view(np.float64)
        bad = ~np.isfinite(out)
        shape = out.shape
        ops = [np.broadcast_to(x, shape) for x in (a, b, c)]
        if np.count_nonzero(bad):
            out[bad] = s[bad]  # a non-finite factor: the plain expression, as the hardware
            for i in zip(*np.nonzero(bad), strict=True):
                x, y, z = (float(o[i]) for o in ops)
                if all(math.isfinite(v) for v in (x, y, z)):
                    out[i] = _exact(x, y, z)
                elif math.isfinite(x) and math.isfinite(y):
                    out[i] = z  # an infinite or nan addend plus an unrounded product
        tiny = ((np.abs(out) < 2.0**-1020) | (np.abs(p) < 2.0**-960)) & np.isfinite(out)
        for i in np.ndindex(shape):
            if tiny[i]:
                out[i] = _exact(*(float(o[i]) for o in ops))
        return out


def _exact(a: float, b: float, c: float) -> float:
    """a·b + c correctly rounded (round half to even), ±inf when that overflows, with
    IEEE's signs of zero (an exact zero is −0 only from −0 + −0; an underflow keeps the
    exact sum's sign)."""
    exact = Fraction(a) * Fraction(b) + Fraction(c)
    if exact == 0:
        both_negative = math.copysign(1.0, a * b) < 0 and math.copysign(1.0, c) < 0
        return -0.0 if both_negative and (a == 0 or b == 0) and c == 0 else 0.0
    try:
        return math.copysign(float(exact), 1.0 if exact > 0 else -1.0)
    except OverflowError:
        return math.inf if exact > 0 else -math.inf


def _same_bits(got: np.ndarray, want: np.ndarray) -> None:
    assert isinstance(got, np.ndarray) and got.dtype == np.float64
    assert got.shape == want.shape
    g, w = np.atleast_1d(got), np.atleast_1d(want)
    both_nan = np.isnan(g) & np.isnan(w)
    assert np.array_equal(g.view(np.int64)[~both_nan], w.view(np.int64)[~both_nan]), (got, want)


def _all_paths(a: object, b: object, c: object) -> None:
    """fma (whichever path it takes), the small path when it answers, the general path."""
    want = _old_fma(a, b, c)
    _same_bits(_fp.fma(a, b, c), want)
    _same_bits(_fp._fma_general(a, b, c), want)
    small = _fp._fma_small(a, b, c)
    if small is not None:
        _same_bits(small, want)


# values that stress every branch: signed zeros, inf/nan, huge/tiny exponents, subnormals,
# numbers with few significand bits (their products land on rounding midpoints)
SPECIAL = [
    0.0,
    -0.0,
    1.0,
    -1.0,
    0.5,
    1.5,
    3.0,
    1 + 2.0**-52,
    1 - 2.0**-53,
    1 + 2.0**-26,
    1 + 2.0**-27,
    2.0**-1074,
    -(2.0**-1074),
    2.0**-1022,
    2.0**-969,
    2.0**-500,
    2.0**500,
    1.7976931348623157e308,
    -1.7976931348623157e308,
    2.0**1000,
    np.inf,
    -np.inf,
    np.nan,
    0.1,
    0.9,
    0.999,
    1e-8,
    1e-3,
    134217729.0,
]
VALUES = st.one_of(
    st.sampled_from(SPECIAL),
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(min_value=-10, max_value=10),
    st.integers(1, 2**20).map(lambda k: 1 + k * 2.0**-20),  # few significand bits
)


@settings(max_examples=examples(800), deadline=None)
@given(VALUES, VALUES, VALUES)
def test_every_path_equals_the_old_fma_on_single_values(a: float, b: float, c: float) -> None:
    x, y, z = (np.array([v]) for v in (a, b, c))
    _all_paths(x, y, z)
    _all_paths(a, y, z)  # a Python-float multiplier: split in Python
    _all_paths(x, b, z)
    _all_paths(x, y, c)
    _all_paths(a, b, z)


SHAPES = st.sampled_from([(2,), (1, 2), (3, 2), (8, 2), (12, 2), (25,), (5, 7)])


@settings(max_examples=examples(300), deadline=None)
@given(st.data(), SHAPES)
def test_every_path_equals_the_old_fma_on_arrays(data: st.DataObject, shape: tuple) -> None:
    elems = st.one_of(st.sampled_from(SPECIAL), st.floats(min_value=-1e6, max_value=1e6))
    arrays = hnp.arrays(np.float64, shape, elements=elems)
    a, b, c = data.draw(arrays), data.draw(arrays), data.draw(arrays)
    _all_paths(a, b, c)
    _all_paths(float(a.flat[0]), b, c)
    _all_paths(a, b, float(c.flat[0]))


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
def test_random_and_midpoint_heavy_arrays_of_lab_sizes() -> None:
    """The lab's shapes ((rows, 2), rows ≤ 8), many draws: random normals over wide
    exponents, exact cancellations (c = −a·b) and few-bit operands (midpoints)."""
    rng = np.random.default_rng(7)
    for rows in (1, 2, 3, 8, 9, 40):
        for _ in range(150):
            a = rng.standard_normal((rows, 2)) * 10.0 ** rng.integers(-30, 30, (rows, 2))
            b = rng.standard_normal((rows, 2)) * 10.0 ** rng.integers(-30, 30, (rows, 2))
            c = np.where(rng.random((rows, 2)) < 0.3, -(a * b), rng.standard_normal((rows, 2)))
            _all_paths(a, b, c)
            _all_paths(0.1, b, c)
            fa = 1 + rng.integers(1, 2**20, (rows, 2)) * 2.0 ** -rng.integers(20, 40, (rows, 2))
            fb = 1 + rng.integers(1, 2**20, (rows, 2)) * 2.0 ** -rng.integers(20, 40, (rows, 2))
            fc = rng.choice([-1, 1], (rows, 2)) * rng.integers(1, 2**53, (rows, 2)) * 2.0**-55
            _all_paths(fa, fb, fc)


def test_the_small_path_answers_the_common_case_and_declines_the_rest() -> None:
    v = np.array([0.3, -1.7])
    assert _fp._fma_small(0.05, v, v * 2) is not None  # a 2-vector: Python floats
    assert _fp._fma_small(v, v, np.ones(3)) is None  # shapes differ: broadcasting
    assert _fp._fma_small(0.1, 0.2, 0.3) is None  # no array at all
    assert _fp._fma_small(np.float32(0.5), v, v) is None  # not a Python float
    assert _fp._fma_small(0.5, np.ones(_fp._SMALL + 1), 1.0) is None  # too large
    assert _fp._fma_small(0.5, v.astype(np.float32), v) is None
    # finite operands whose intermediates overflow: the general path settles them exactly
    assert _fp._fma_small(1.0, np.array([1e308]), np.array([1e308])) is None
    assert _fp._fma_small(0.1, np.array([1e302]), np.array([1.0])) is None  # split overflows
    assert _fp._fma_small(np.array([np.nan]), v[:1], v[:1]) is not None  # a diverged run
    assert _fp._fma_small(1.0, np.array([np.inf]), v[:1]) is not None
    assert _fp._fma_small(1.0, np.array([2.0**-1040]), np.array([1.0])) is None  # subnormal u
    # a round-to-odd candidate (u = 2ᵏ with a nonzero remainder w) is settled in Python
    a, b, c = 1 + 2.0**-30, 1 + 2.0**-23, -1.0
    assert _fp._fma_small(np.array([a]), np.array([b]), np.array([c])) is not None


@pytest.mark.parametrize("shape", [(), (2,), (3, 2)])
def test_shapes_and_fresh_arrays(shape: tuple) -> None:
    b = np.full(shape, 0.3)
    c = np.full(shape, 0.7)
    for got in (_fp.fma(0.1, b, c), _fp.fma(np.full(shape, 0.1), b, c)):
        assert got.shape == shape and got.flags.writeable
        assert got is not b and got is not c
        _same_bits(got, _old_fma(0.1, b, c))


@pytest.mark.parametrize(
    "x",
    [0.0, -0.0, 0.5, 0, 3, np.float64(0.0), np.nan, np.array([[0.0], [0.9]])]
    + [np.array([[0.0], [-0.0]]), np.array([np.nan]), np.zeros((2, 1)), np.array([])]
    + [np.array([0, 2]), np.array(0.0)],
)
def test_nonzero_fast_paths_are_torchs_test(x: object) -> None:
    from quizapp.engine.optim._base import nonzero

    assert nonzero(x) == bool(np.any(np.asarray(x) != 0))
