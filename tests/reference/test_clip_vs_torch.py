"""quizapp.engine.clip against torch.nn.utils.clip_grad_norm_ / clip_grad_value_ (float64):
bit-identical clipped gradients and total norms on seeded random cases."""

from __future__ import annotations

import math

import numpy as np
import pytest

from quizapp.engine import clip
from tests.lazy_torch import needs_torch, torch_ref, uses_torch
from tests.reference.cases import clip_cases

pytestmark = [needs_torch, uses_torch]

CASES = clip_cases(60, seed=11)
IDS = [f"p{c[2]}-{i}" for i, c in enumerate(CASES)]


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_clip_grad_norm_bit_identical(case) -> None:  # noqa: ANN001
    grads, max_norm, p = case
    want, want_total = torch_ref.torch_clip_norm(grads, max_norm, p)
    got, total = clip.clip_grad_norm(grads, max_norm, p)
    assert total == want_total
    for a, b in zip(got, want, strict=True):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("case", CASES[:20], ids=IDS[:20])
def test_clip_grad_value_bit_identical(case) -> None:  # noqa: ANN001
    grads, limit, _ = case
    for v in (limit, -limit, 0.0):
        for a, b in zip(
            clip.clip_grad_value(grads, v), torch_ref.torch_clip_value(grads, v), strict=True
        ):
            np.testing.assert_array_equal(a, b)


@pytest.mark.slow
def test_clip_grad_norm_long_sweep() -> None:
    for grads, max_norm, p in clip_cases(2000, seed=99):
        want, want_total = torch_ref.torch_clip_norm(grads, max_norm, p)
        got, total = clip.clip_grad_norm(grads, max_norm, p)
        assert total == want_total, (p, [g.shape for g in grads])
        for a, b in zip(got, want, strict=True):
            np.testing.assert_array_equal(a, b)


def test_large_tensor_norm_is_bit_identical() -> None:
    rng = np.random.default_rng(4)
    grads = [rng.standard_normal((300, 101)), rng.standard_normal(7)]
    want, want_total = torch_ref.torch_clip_norm(grads, 1.0, 2.0)
    got, total = clip.clip_grad_norm(grads, 1.0)
    assert total == want_total
    np.testing.assert_array_equal(got[0], want[0])


def test_non_finite_like_torch() -> None:
    grads = [np.array([1.0, np.inf]), np.array([2.0])]
    want, want_total = torch_ref.torch_clip_norm(grads, 1.0, 2.0)
    got, total = clip.clip_grad_norm(grads, 1.0)
    assert math.isinf(total) and math.isinf(want_total)
    np.testing.assert_array_equal(got[0], want[0])  # inf·0 = nan, 1·0 = 0, as torch
    with pytest.raises(RuntimeError):
        torch_ref.torch_clip_norm(grads, 1.0, 2.0, error_if_nonfinite=True)
    with pytest.raises(clip.ClipError, match="non-finite"):
        clip.clip_grad_norm(grads, 1.0, error_if_nonfinite=True)
    nan = [np.array([np.nan, 1.0])]
    want, _ = torch_ref.torch_clip_norm(nan, 1.0, 2.0)
    np.testing.assert_array_equal(clip.clip_grad_norm(nan, 1.0)[0][0], want[0])
    np.testing.assert_array_equal(
        clip.clip_grad_value(nan, 0.5)[0], torch_ref.torch_clip_value(nan, 0.5)[0]
    )
