"""quizapp.engine.clip without torch: the equations, purity, batching and errors."""

from __future__ import annotations

import math

import numpy as np
import pytest

from quizapp.engine import clip


def test_clip_grad_norm_scales_down_by_max_norm_over_total() -> None:
    grads = [np.array([3.0, 0.0]), np.array([[4.0]])]
    clipped, total = clip.clip_grad_norm(grads, max_norm=1.0)
    assert total == 5.0
    coef = 1.0 / (5.0 + 1e-6)
    np.testing.assert_array_equal(clipped[0], grads[0] * coef)
    np.testing.assert_array_equal(clipped[1], grads[1] * coef)
    assert clipped[1].shape == (1, 1)
    assert math.hypot(*clipped[0], clipped[1][0, 0]) < 1.0


def test_never_scales_up_and_inputs_untouched() -> None:
    g = np.array([0.3, -0.4])
    before = g.copy()
    clipped, total = clip.clip_grad_norm([g], max_norm=10.0)
    assert total == 0.5
    np.testing.assert_array_equal(clipped[0], g)
    assert clipped[0] is not g
    clipped[0][0] = 99.0
    np.testing.assert_array_equal(g, before)


def test_norm_exactly_max_norm_still_shrinks_by_the_1e6() -> None:
    clipped, total = clip.clip_grad_norm([np.array([0.6, 0.8])], max_norm=1.0)
    assert total == 1.0
    assert np.all(np.abs(clipped[0]) < np.array([0.6, 0.8]))


def test_trace_names_and_values() -> None:
    grads = [np.array([3.0, 4.0]), np.array([12.0])]
    clipped, total, tr = clip.clip_grad_norm_trace(grads, max_norm=2.0)
    np.testing.assert_array_equal(tr["norms"], [5.0, 12.0])
    assert total == tr["total_norm"] == 13.0
    assert tr["clip_coef"] == (1.0 / (13.0 + 1e-6)) * 2.0
    assert tr["clip_coef_clamped"] == tr["clip_coef"]
    _, _, tr = clip.clip_grad_norm_trace(grads, max_norm=100.0)
    assert tr["clip_coef"] > 1.0 and tr["clip_coef_clamped"] == 1.0


@pytest.mark.parametrize(
    ("p", "want"),
    [
        (float("inf"), 12.0),
        ("inf", 12.0),
        (1.0, 19.0),
        (2, 13.0),
        (0.0, 2.0),
    ],  # p = 0: count of nonzero norms
)
def test_norm_types(p: object, want: float) -> None:
    _, total = clip.clip_grad_norm([np.array([3.0, -4.0]), np.array([12.0])], 1.0, p)
    assert total == pytest.approx(want, rel=1e-15)


def test_vector_norm_single_entry_is_abs() -> None:
    for p in (0.5, 2.0, 3.0, float("inf"), float("-inf")):
        assert clip.vector_norm(np.array([-2.5]), p) == 2.5


def test_empty_and_zero() -> None:
    assert clip.clip_grad_norm([], 1.0) == ([], 0.0)
    clipped, total = clip.clip_grad_norm([np.zeros(3)], 1.0)
    assert total == 0.0 and np.all(clipped[0] == 0.0)
    with pytest.raises(clip.ClipError, match="empty"):
        clip.clip_grad_norm([np.zeros(0)], 1.0, "inf")


def test_non_finite() -> None:
    clipped, total = clip.clip_grad_norm([np.array([np.inf, 1.0])], 1.0)
    assert math.isinf(total)
    assert np.isnan(clipped[0][0]) and clipped[0][1] == 0.0
    with pytest.raises(clip.ClipError, match="non-finite"):
        clip.clip_grad_norm([np.array([np.nan, 1.0])], 1.0, error_if_nonfinite=True)


def test_clip_grad_value() -> None:
    g = [np.array([-2.0, 0.3, 5.0, np.nan]), np.array(0.7)]
    out = clip.clip_grad_value(g, 0.5)
    np.testing.assert_array_equal(out[0], [-0.5, 0.3, 0.5, np.nan])
    assert out[1] == 0.5
    np.testing.assert_array_equal(clip.clip_grad_value([np.array([-1.0, 1.0])], -0.2)[0], -0.2)


def test_batch_dims_clip_each_problem_on_its_own() -> None:
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal((5, 3)), rng.standard_normal((5, 2, 2))
    max_norm = np.array([0.1, 1.0, 10.0, 0.5, 2.0])
    clipped, total = clip.clip_grad_norm([a, b], max_norm, batch_dims=1)
    assert total.shape == (5,)
    for i in range(5):
        ci, ti = clip.clip_grad_norm([a[i], b[i]], float(max_norm[i]))
        assert total[i] == ti
        np.testing.assert_array_equal(clipped[0][i], ci[0])
        np.testing.assert_array_equal(clipped[1][i], ci[1])


@pytest.mark.parametrize(
    ("args", "kwargs", "fragment"),
    [
        ((np.ones(3), 1.0), {}, "list of arrays"),
        (([np.ones(3)], "big"), {}, "max_norm"),
        (([np.ones(3)], 1.0, "two"), {}, "norm_type"),
        (([np.ones(3)], 1.0), {"batch_dims": -1}, "batch_dims"),
        (([np.ones((2, 3)), np.ones((3, 3))], 1.0), {"batch_dims": 1}, "batch axes"),
        ((["x"], 1.0), {}, r"grads\[0\]"),
    ],
)
def test_bad_input_is_our_error(args: tuple, kwargs: dict, fragment: str) -> None:
    with pytest.raises(clip.ClipError, match=fragment):
        clip.clip_grad_norm(*args, **kwargs)
