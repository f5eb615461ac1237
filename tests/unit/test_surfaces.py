"""The lab's loss surfaces: gradients against finite differences, minima, scale, noise."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizapp.engine import surfaces
from quizapp.engine.surfaces import CLIFF, KINDS, SurfaceError

SETTINGS = [
    ("bowl", {"kappa": 10.0}),
    ("bowl", {"kappa": 100.0, "scale": 1000.0}),
    ("rosenbrock", {}),
    ("saddle", {}),
    ("cliff", {}),
    ("noisy", {"kappa": 5.0, "sigma": 2.0, "seed": 3}),
]


def finite_difference(surface: surfaces.Surface, xy: np.ndarray, h: float = 1e-6) -> np.ndarray:
    out = np.empty(2)
    for i in range(2):
        e = np.zeros(2)
        e[i] = h
        out[i] = (surface.loss(xy + e) - surface.loss(xy - e)) / (2 * h)
    return out


@pytest.mark.parametrize(("name", "settings_"), SETTINGS)
@settings(max_examples=40, deadline=None)
@given(x=st.floats(-3, 3), y=st.floats(-2.5, 2.5))
def test_gradient_matches_finite_differences(
    name: str, settings_: dict[str, float], x: float, y: float
) -> None:
    surface = surfaces.get(name, **settings_)
    xy = np.array([x, y])
    analytic = surface.true_grad(xy)
    numeric = finite_difference(surface, xy)
    scale = max(1.0, float(np.abs(analytic).max()))
    assert np.allclose(analytic, numeric, rtol=1e-5, atol=1e-5 * scale)


@pytest.mark.parametrize("name", surfaces.names())
def test_the_marked_minima_and_saddle_are_stationary(name: str) -> None:
    surface = surfaces.get(name)
    kind = surface.kind
    points = [*kind.minima, *([kind.saddle] if kind.saddle else [])]
    for point in points:
        assert np.abs(surface.true_grad(np.array(point))).max() < 1e-8
    for point in kind.minima:  # and nothing nearby is lower
        around = np.array(point) + 0.01 * np.array([[1, 0], [-1, 0], [0, 1], [0, -1]])
        assert np.all(surface.loss(around) > surface.loss(np.array(point)))


def test_saddle_is_a_saddle() -> None:
    s = surfaces.get("saddle")
    assert s.loss(np.array([0.1, 0.0])) > s.loss(np.zeros(2)) > s.loss(np.array([0.0, 0.1]))


def test_cliff_has_a_plateau_then_a_cliff() -> None:
    s = surfaces.get("cliff")
    plateau = np.abs(s.true_grad(np.array([3.0, 0.0]))[0])
    cliff = np.abs(s.true_grad(np.array([CLIFF.c, 0.0]))[0])
    assert plateau < 0.3 < 5.0 < cliff
    assert s.loss(np.array([3.0, 0.0])) - s.loss(np.array([-1.5, 0.0])) > CLIFF.h
    # the formula a learner reads is the function that is computed
    assert s.formula == "f = 4·σ((x − 1)/0.1) + 0.025·(x + 1.5)² + 0.25·y² + 0.1·y⁴"


def test_scale_multiplies_loss_and_gradient() -> None:
    plain, scaled = surfaces.get("rosenbrock"), surfaces.get("rosenbrock", scale=1000)
    xy = np.array([[-1.2, 1.0], [0.5, 0.3]])
    assert np.array_equal(scaled.loss(xy), plain.loss(xy) * 1000)
    assert np.array_equal(scaled.true_grad(xy), plain.true_grad(xy) * 1000)
    assert "×1000" in scaled.title and "1000 ×" in scaled.formula


def test_noise_is_one_draw_per_step_shared_by_every_point() -> None:
    s = surfaces.get("noisy", sigma=0.5, seed=11, scale=2.0)
    xy = np.array([[0.0, 0.0], [2.0, -1.0]])
    for k in (0, 1, 7):
        extra = s.grad(xy, k) - s.true_grad(xy)
        assert np.allclose(extra[0], extra[1])
        assert np.allclose(extra[0], 2.0 * 0.5 * surfaces.minibatch_noise(11, k + 1)[k])
    assert np.array_equal(s.noise(5), surfaces.minibatch_noise(11, 3000)[:5])  # a prefix
    assert not np.array_equal(s.noise(5), surfaces.get("noisy", seed=12).noise(5))
    assert s.gradient_noise(4).shape == (4, 2)
    assert surfaces.get("noisy", sigma=0).gradient_noise(4) is None
    assert surfaces.get("bowl").gradient_noise(4) is None  # only the noisy surface is noisy


def test_bad_settings_are_refused() -> None:
    with pytest.raises(SurfaceError, match="unknown surface"):
        surfaces.get("valley")
    with pytest.raises(SurfaceError, match="kappa"):
        surfaces.get("bowl", kappa=0)
    with pytest.raises(SurfaceError, match="sigma"):
        surfaces.get("noisy", sigma=-1)


def test_far_points_give_inf_not_warnings() -> None:
    s = surfaces.get("rosenbrock")
    with np.errstate(all="raise"):
        assert np.isinf(s.loss(np.array([1e200, 1e200])))


def test_every_surface_is_listed_with_a_start_inside_its_view() -> None:
    for kind in KINDS.values():
        x0, x1, y0, y1 = kind.view
        assert x0 <= kind.start[0] <= x1 and y0 <= kind.start[1] <= y1
