"""The per-element Python fma used for tiny arrays equals the array kernel bit for bit."""

from __future__ import annotations

import numpy as np

from quizapp.engine.optim import _fp


def _kernel(a: object, b: np.ndarray, c: object) -> np.ndarray:
    shape = np.broadcast_shapes(np.shape(a), np.shape(b), np.shape(c))
    out = np.empty(shape)
    af = a if _fp._is_scalar(a) else _fp._flat(a, shape)
    with np.errstate(all="ignore"):
        _fp._fma_kernel(af, _fp._flat_copy(b, shape), _fp._flat(c, shape), out.reshape(-1))
    return out


def _same(x: np.ndarray, y: np.ndarray) -> bool:
    return bool(np.all((x.view(np.int64) == y.view(np.int64)) | (np.isnan(x) & np.isnan(y))))


SPECIAL = np.array(
    [0.0, -0.0, np.inf, -np.inf, np.nan, 1e308, -1e308, 5e-324, 1.0, -1.0, 0.5, 1e154, 3e-160]
)


def test_small_fma_equals_kernel() -> None:
    rng = np.random.default_rng(0)
    for trial in range(3000):
        n = int(rng.integers(1, _fp._SMALL + 1))
        kind = trial % 4
        if kind == 0:
            a = rng.standard_normal(n) * 10.0 ** rng.integers(-5, 5, n)
            b = rng.standard_normal(n)
            c = rng.standard_normal(n) * 10.0 ** rng.integers(-10, 3, n)
        elif kind == 1:
            a, b, c = (rng.choice(SPECIAL, n) for _ in range(3))
        elif kind == 2:  # near-cancellation: c ≈ −a·b
            a, b = rng.standard_normal(n), rng.standard_normal(n)
            c = -(a * b) * (1 + rng.choice([0, 2.0**-52, -(2.0**-53)], n))
        else:
            a, b, c = float(rng.standard_normal()), rng.standard_normal(n), 0.25
        assert _same(_fp.fma(a, b, c), _kernel(a, b, c)), (a, b, c)


def test_small_fma_round_to_odd_branch() -> None:
    # products with few significand bits make RN(r + e) land on midpoint offsets often,
    # so the round-to-odd correction is exercised
    rng = np.random.default_rng(1)
    for _ in range(2000):
        a = 1 + rng.integers(1, 2**20, 4) * 2.0 ** -rng.integers(20, 40, 4)
        b = 1 + rng.integers(1, 2**20, 4) * 2.0 ** -rng.integers(20, 40, 4)
        c = rng.choice([-1, 1], 4) * rng.integers(1, 2**53, 4) * 2.0 ** -rng.integers(50, 60, 4)
        assert _same(_fp.fma(a, b, c), _kernel(a, b, c))
