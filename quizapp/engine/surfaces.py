"""Two-dimensional loss surfaces for the trajectory lab: small pure functions with gradients.

Each surface maps points ``xy`` of shape (..., 2) to a loss of shape (...) and a gradient
of shape (..., 2); every value is multiplied by ``scale`` (a learner scales the surface
×1000 to see which optimizers care). The noisy quadratic adds minibatch noise to the
gradient — a fixed sequence drawn from its seed, the same for every optimizer at step k:

    bowl         f = s·½((x − 1)² + κ·(y − 1)²)                       minimum (1, 1)
    rosenbrock   f = s·((1 − x)² + 100·(y − x²)²)                     minimum (1, 1)
    saddle       f = s·(½x² + ¼(y² − 1)²)          saddle (0, 0), minima (0, ±1)
    cliff        f = s·(h·σ((x − c)/w) + ½q·(x − x₀)² + ½b·y² + r·y⁴)
                 a gently tilted plateau (x > c) that drops over a steep cliff into a
                 basin, all along a gully whose walls steepen like y⁴
    noisy        the bowl, with g̃ₖ = ∇f + s·σ·ξₖ,  ξₖ ~ N(0, I) drawn from the seed

Nothing here knows about optimizers: :mod:`quizapp.engine.trajectory` runs them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

import numpy as np

Pair = tuple[float, float]
View = tuple[float, float, float, float]  # x_min, x_max, y_min, y_max


class SurfaceError(ValueError):
    """Unknown surface name or a parameter out of range."""


# -- the functions: (xy, parameters) -> (loss, gradient), unscaled ---------------------------
def bowl(xy: np.ndarray, kappa: float = 10.0) -> tuple[np.ndarray, np.ndarray]:
    """f = ½((x − 1)² + κ·(y − 1)²),  ∇f = (x − 1, κ·(y − 1)); condition number κ."""
    dx, dy = xy[..., 0] - 1.0, xy[..., 1] - 1.0
    f = 0.5 * (dx * dx + kappa * dy * dy)
    return f, np.stack([dx, kappa * dy], axis=-1)


def bowl_grad(xy: np.ndarray, kappa: float = 10.0) -> np.ndarray:
    """∇f of :func:`bowl` alone, the same numbers in two NumPy calls (the trajectory loop's
    per-step gradient): (x − 1)·1 = x − 1 and (y − 1)·κ = κ·(y − 1) exactly."""
    return (xy - 1.0) * np.array([1.0, kappa])


def rosenbrock(xy: np.ndarray, a: float = 1.0, b: float = 100.0) -> tuple[np.ndarray, np.ndarray]:
    """f = (a − x)² + b·(y − x²)²,  ∇f = (−2(a − x) − 4b·x·(y − x²), 2b·(y − x²))."""
    x, y = xy[..., 0], xy[..., 1]
    r = y - x * x
    f = (a - x) ** 2 + b * r * r
    return f, np.stack([-2.0 * (a - x) - 4.0 * b * x * r, 2.0 * b * r], axis=-1)


def saddle(xy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """f = ½x² + ¼(y² − 1)²,  ∇f = (x, y·(y² − 1)): a saddle at the origin (f = ¼) between
    two minima at (0, ±1) (f = 0)."""
    x, y = xy[..., 0], xy[..., 1]
    u = y * y - 1.0
    f = 0.5 * x * x + 0.25 * u * u
    return f, np.stack([x, y * u], axis=-1)


@dataclass(frozen=True)
class CliffShape:
    """The plateau-then-cliff: a plateau of height h over the basin for x > c that drops over
    a cliff of width w; the basin's floor ½q·(x − x₀)² (which also tilts the plateau gently);
    across it a gully with steep walls ½b·y² + r·y⁴."""

    h: float = 4.0
    c: float = 1.0
    w: float = 0.1
    x0: float = -1.5
    q: float = 0.05
    b: float = 0.5
    r: float = 0.1


CLIFF = CliffShape()


def cliff(xy: np.ndarray, shape: CliffShape = CLIFF) -> tuple[np.ndarray, np.ndarray]:
    """f = h·σ(u) + ½q·(x − x₀)² + ½b·y² + r·y⁴,  u = (x − c)/w, σ the logistic;
    ∂f/∂x = h·σ(u)(1 − σ(u))/w + q·(x − x₀),  ∂f/∂y = b·y + 4r·y³."""
    x, y = xy[..., 0], xy[..., 1]
    s = _logistic((x - shape.c) / shape.w)
    d = x - shape.x0
    y2 = y * y
    f = shape.h * s + 0.5 * shape.q * d * d + y2 * (0.5 * shape.b + shape.r * y2)
    gx = shape.h * s * (1.0 - s) / shape.w + shape.q * d
    return f, np.stack([gx, y * (shape.b + 4.0 * shape.r * y2)], axis=-1)


def _cliff_formula(c: CliffShape) -> str:
    def n(v: float) -> str:
        return f"{v:g}".replace("-", "−")

    shift = f"x + {n(-c.x0)}" if c.x0 < 0 else f"x − {n(c.x0)}"
    return (
        f"f = {n(c.h)}·σ((x − {n(c.c)})/{n(c.w)}) + {n(c.q / 2)}·({shift})² "
        f"+ {n(c.b / 2)}·y² + {n(c.r)}·y⁴"
    )


def _logistic(u: np.ndarray) -> np.ndarray:
    """σ(u) = 1 / (1 + e^(−u)), without overflow warnings for large |u|."""
    return 0.5 * (1.0 + np.tanh(0.5 * u))


def minibatch_noise(seed: int, steps: int) -> np.ndarray:
    """ξ₀ … ξ_(steps−1) ~ N(0, I₂), shape (steps, 2). A longer run begins with the same
    draws as a shorter one (one generator, drawn in order)."""
    return np.random.default_rng(seed).standard_normal((steps, 2))


@lru_cache(maxsize=16)
def _noise_table(seed: int, steps: int) -> np.ndarray:
    table = minibatch_noise(seed, steps)
    table.flags.writeable = False
    return table


# -- the surfaces a learner picks ------------------------------------------------------------
Fn = Callable[[np.ndarray, "Surface"], tuple[np.ndarray, np.ndarray]]


@dataclass(frozen=True)
class Kind:
    """What is fixed about a surface: its name, formula, picture and defaults."""

    name: str
    title: str
    formula: str
    view: View
    start: Pair
    minima: tuple[Pair, ...]
    fn: Fn
    has_kappa: bool = False
    has_noise: bool = False
    saddle: Pair | None = None
    grad: Callable[[np.ndarray, Surface], np.ndarray] | None = None  # ∇f alone, if cheaper


KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind(
            "bowl",
            "Ill-conditioned bowl",
            "f = ½((x − 1)² + κ·(y − 1)²)",
            view=(-2.5, 3.5, -1.0, 3.0),
            start=(-2.0, 2.2),
            minima=((1.0, 1.0),),
            fn=lambda xy, s: bowl(xy, s.kappa),
            has_kappa=True,
            grad=lambda xy, s: bowl_grad(xy, s.kappa),
        ),
        Kind(
            "rosenbrock",
            "Rosenbrock valley",
            "f = (1 − x)² + 100·(y − x²)²",
            view=(-2.0, 2.0, -1.0, 3.0),
            start=(-1.5, 2.5),
            minima=((1.0, 1.0),),
            fn=lambda xy, s: rosenbrock(xy),
        ),
        Kind(
            "saddle",
            "Saddle",
            "f = ½x² + ¼(y² − 1)²",
            view=(-2.5, 2.5, -1.8, 1.8),
            start=(-2.0, 0.01),
            minima=((0.0, -1.0), (0.0, 1.0)),
            fn=lambda xy, s: saddle(xy),
            saddle=(0.0, 0.0),
        ),
        Kind(
            "cliff",
            "Plateau, then a cliff",
            _cliff_formula(CLIFF),
            view=(-3.5, 4.5, -2.5, 2.5),
            start=(4.0, 1.5),
            minima=((CLIFF.x0, 0.0),),
            fn=lambda xy, s: cliff(xy),
        ),
        Kind(
            "noisy",
            "Noisy quadratic",
            "f = ½((x − 1)² + κ·(y − 1)²),  g̃ = ∇f + σ·ξₖ",
            view=(-2.5, 3.5, -1.0, 3.0),
            start=(-2.0, 2.2),
            minima=((1.0, 1.0),),
            fn=lambda xy, s: bowl(xy, s.kappa),
            has_kappa=True,
            has_noise=True,
            grad=lambda xy, s: bowl_grad(xy, s.kappa),
        ),
    )
}


@dataclass(frozen=True)
class Surface:
    """One surface with its settings. ``loss``/``grad`` take points of shape (..., 2).

    ``grad(xy, k)`` is what an optimizer sees at step k (minibatch noise included);
    ``true_grad(xy)`` is ∇f. Values are multiplied by ``scale``.
    """

    name: str = "bowl"
    kappa: float = 10.0
    sigma: float = 1.0
    seed: int = 0
    scale: float = 1.0

    def __post_init__(self) -> None:
        if self.name not in KINDS:
            raise SurfaceError(f"unknown surface {self.name!r}; valid: {', '.join(KINDS)}")
        for label, value in (("kappa", self.kappa), ("scale", self.scale)):
            if not (np.isfinite(value) and value > 0):
                raise SurfaceError(f"surface {self.name!r}: {label} must be > 0, got {value!r}")
        if not (np.isfinite(self.sigma) and self.sigma >= 0):
            raise SurfaceError(f"surface {self.name!r}: sigma must be >= 0, got {self.sigma!r}")

    @property
    def kind(self) -> Kind:
        return KINDS[self.name]

    def with_(self, **changes: Any) -> Surface:
        """A copy with some settings changed."""
        return replace(self, **changes)

    @property
    def noisy(self) -> bool:
        return self.kind.has_noise and self.sigma > 0

    def loss(self, xy: Any) -> np.ndarray:
        """f(xy)·scale, shape xy.shape[:-1] (inf where the point has left the reals)."""
        with np.errstate(all="ignore"):
            f, _ = self.kind.fn(np.asarray(xy, dtype=np.float64), self)
            return f * self.scale

    def true_grad(self, xy: Any) -> np.ndarray:
        """∇f(xy)·scale, shape xy.shape."""
        with np.errstate(all="ignore"):
            _, g = self.kind.fn(np.asarray(xy, dtype=np.float64), self)
            return g * self.scale

    def unchecked_grad(self, xy: np.ndarray) -> np.ndarray:
        """:meth:`true_grad` of a float64 ndarray, called inside ``np.errstate`` (the
        trajectory loop's per-step call: no conversion, no context switch)."""
        kind = self.kind
        g = kind.fn(xy, self)[1] if kind.grad is None else kind.grad(xy, self)
        return g if self.scale == 1.0 else g * self.scale  # x·1 = x, bit for bit

    def grad(self, xy: Any, k: int = 0) -> np.ndarray:
        """The gradient an optimizer gets at step k: ∇f, plus σ·ξₖ on the noisy surface."""
        g = self.true_grad(xy)
        if self.noisy:
            g = g + (self.scale * self.sigma) * self.noise(k + 1)[k]
        return g

    def noise(self, steps: int) -> np.ndarray:
        """The minibatch noise ξ for steps 0 … steps−1, shape (steps, 2) (read-only)."""
        return _noise_table(self.seed, max(2048, 1 << max(steps - 1, 0).bit_length()))[:steps]

    def gradient_noise(self, steps: int) -> np.ndarray | None:
        """s·σ·ξ for steps 0 … steps−1, or None when the gradient is exact."""
        if not self.noisy:
            return None
        return (self.scale * self.sigma) * self.noise(steps)

    @property
    def title(self) -> str:
        kind = self.kind
        parts = [kind.title]
        if kind.has_kappa:
            parts.append(f"κ = {self.kappa:g}")
        if kind.has_noise:
            parts.append(f"σ = {self.sigma:g}, seed {self.seed}")
        if self.scale != 1:
            parts.append(f"×{self.scale:g}")
        return " · ".join(parts)

    @property
    def formula(self) -> str:
        text = self.kind.formula
        if self.scale != 1:
            text = f"{self.scale:g} × [{text.removeprefix('f = ')}]"
        return text


def get(name: str, **settings: Any) -> Surface:
    """The surface ``name`` (see :data:`KINDS`) with its settings (kappa, sigma, seed, scale)."""
    return Surface(name, **settings)


def names() -> tuple[str, ...]:
    return tuple(KINDS)
