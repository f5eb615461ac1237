"""sampling.round_sig (array passes) equals its definition float(f"{x:.{sig}g}") bit for bit."""

from __future__ import annotations

import numpy as np
import pytest

from quizapp.engine.drills.sampling import round_sig


def _definition(x: np.ndarray, sig: int) -> np.ndarray:
    return np.array([float(f"{v:.{sig}g}") for v in x.tolist()], dtype=np.float64)


def _inputs(sig: int, rng: np.random.Generator) -> np.ndarray:
    n = 20_000
    digits = np.round(rng.uniform(10 ** (sig - 1), 10**sig, n))
    scale = 10.0 ** rng.integers(-8, 8, n)
    ties = (digits + 0.5) * scale  # exact or nearly exact decimal ties
    powers = 10.0 ** np.arange(-30, 30)
    return np.concatenate(
        [
            10 ** rng.uniform(-30, 30, n) * rng.choice([-1, 1], n),
            rng.uniform(-2, 2, n),
            ties,
            np.nextafter(ties, rng.choice([-np.inf, np.inf], n)),
            powers,
            np.nextafter(powers, 0),
            np.nextafter(powers, np.inf),
            [0.0, -0.0, np.inf, -np.inf, np.nan, 5e-324, 1e-300, 1.7e308, 0.125, 2.5, 0.25],
        ]
    )


@pytest.mark.parametrize("sig", [1, 2, 3, 6, 15, 17])
def test_round_sig_equals_the_decimal_string(sig: int) -> None:
    x = _inputs(min(sig, 6), np.random.default_rng(sig))
    got, want = round_sig(x, sig), _definition(x, sig)
    same = (got.view(np.int64) == want.view(np.int64)) | (np.isnan(got) & np.isnan(want))
    assert same.all(), x[~same][:5]


def test_round_sig_keeps_shape() -> None:
    x = np.arange(24, dtype=np.float64).reshape(2, 3, 4) / 7
    assert round_sig(x, 2).shape == (2, 3, 4)
    assert round_sig(np.float64(1 / 3), 2) == 0.33
