"""Shared machinery of the optimizer-step drills: every answer, intermediate and mistake
variant is one batched ``optim.get(...).step_trace(...)`` call on the drawn inputs."""

from __future__ import annotations

from abc import abstractmethod
from typing import Any, ClassVar

import numpy as np

from quizapp.engine import optim
from quizapp.engine.drills.base import Arrays, DrillKind, TolSpec, fmt
from quizapp.engine.drills.sampling import Param, Sampler, round_sig

__all__ = [
    "OptimizerDrill",
    "P",
    "THETA_TOL",
    "draw_grad_state",
    "par",
    "common_params",
]

THETA_TOL = TolSpec(origin="theta")  # a new θ is graded relative to the update Δθ
OPTIM_MISTAKES = frozenset(optim.Mistakes.ids())


def par(x: Any) -> str:
    """A number for an expression, parenthesised when negative or in e-notation:
    0.9·(−0.3), (4e−5)²."""
    s = fmt(x)
    return f"({s})" if s.startswith("−") or "e" in s else s


class P:
    """Parameter specs shared by the optimizer drills (default ranges for decks to override)."""

    theta = Param(
        "theta", "θ", "float", (-2.0, 2.0), (-1e6, 1e6), description="parameter before the step"
    )
    grad_scale = Param(
        "grad_scale",
        "|g|",
        "float",
        (1e-3, 1.0),
        (1e-8, 1e6),
        log=True,
        description="typical gradient magnitude (the gradient and the state are drawn around it)",
    )
    lr = Param("lr", "η", "float", (1e-3, 0.1), (0.0, 10.0), log=True, sig=1, open_low=True)
    beta1 = Param("beta1", "β₁", "float", (0.8, 0.95), (0.0, 1.0), open_high=True)
    beta2 = Param("beta2", "β₂", "float", (0.99, 0.999), (0.0, 1.0), sig=3, open_high=True)
    eps = Param("eps", "ε", "float", (1e-8, 1e-8), (0.0, 1.0), log=True, sig=1)
    t = Param("t", "t", "int", (1, 30), (0, 1_000_000), description="steps already taken")
    weight_decay = Param("weight_decay", "λ", "float", (0.01, 0.3), (0.0, 10.0), log=True, sig=1)
    momentum = Param(
        "momentum", "μ", "float", (0.8, 0.95), (0.0, 1.0), open_low=True, open_high=True
    )
    alpha = Param("alpha", "α", "float", (0.9, 0.99), (0.0, 1.0), open_high=True)


def common_params(*names: str) -> tuple[Param, ...]:
    """The shared parameter specs called ``names``, in that order."""
    return tuple(getattr(P, n) for n in names)


def draw_grad_state(s: Sampler) -> Arrays:
    """θ, g and a plausible prior state scale: g = ±|g|·u (u ∈ [0.3, 1]), with the magnitude
    rounded to two significant digits, so gradients and states have mixed signs."""
    scale = s.float("grad_scale")
    g = round_sig(scale * (0.3 + 0.7 * s.uniform("g_mag")), 2) * s.sign("g_sign")
    return {"theta": s.float("theta"), "grad": g, "grad_scale": scale}


def prior_moment(s: Sampler, scale: np.ndarray, stream: str) -> np.ndarray:
    """A first-moment-like prior state: ±scale·u, u ∈ [0.2, 1], two significant digits."""
    return round_sig(scale * (0.2 + 0.8 * s.uniform(stream)), 2) * s.sign(stream + "_sign")


def prior_second_moment(s: Sampler, scale: np.ndarray, stream: str) -> np.ndarray:
    """A second-moment-like prior state: scale²·u, u ∈ [0.3, 1.5], two significant digits."""
    return round_sig(scale**2 * (0.3 + 1.2 * s.uniform(stream)), 2)


def column(x: Any) -> Any:
    """A hyperparameter column for ``optim.get``: a Python float when every row shares one
    value (a single problem, or a fixed override), else a float64 array (one per row)."""
    a = np.asarray(x, dtype=np.float64)
    if a.size and bool(np.all(a == a.flat[0])):
        return float(a.flat[0])
    return a


def steps_taken(t: Any) -> Any:
    """The state's t: an int when every row shares it, else a float64 array."""
    a = np.asarray(t)
    if a.size and bool(np.all(a == a.flat[0])):
        return int(a.flat[0])
    return a.astype(np.float64)


def _full(v: Any, shape: tuple[int, ...]) -> Any:
    if np.ndim(v) == 0:  # a trace value shared by all rows (scalar hyperparameters)
        return np.full(shape, float(v))
    return v if np.shape(v) == shape else np.broadcast_to(v, shape)


class OptimizerDrill(DrillKind):
    """A drill answered by one (or more) ``optim`` steps.

    Subclasses set ``optimizer`` (optim name), ``hp_inputs`` (given names passed as torch
    keywords; beta1/beta2 become ``betas``), ``fixed_hp`` (constant keywords such as
    nesterov=True), ``hp_mistakes`` (drill-level variants expressed as different keywords,
    e.g. forgetting weight decay = weight_decay 0), ``answer_map`` (answer field -> trace
    name) and implement ``state(g)``.
    """

    optimizer: ClassVar[str]
    hp_inputs: ClassVar[tuple[str, ...]] = ()
    fixed_hp: ClassVar[dict[str, Any]] = {}
    hp_mistakes: ClassVar[dict[str, dict[str, Any]]] = {}
    answer_map: ClassVar[dict[str, str]] = {}

    @abstractmethod
    def state(self, g: Arrays) -> Any:
        """The optimizer state record built from the drawn inputs."""

    def hyperparameters(self, g: Arrays, mistake: str | None) -> dict[str, Any]:
        """torch keyword arguments for the batch (arrays broadcast against θ)."""
        hp: dict[str, Any] = {}
        for name in self.hp_inputs:
            if name in ("beta1", "beta2"):
                continue
            hp[name] = column(g[name])
        if "beta1" in self.hp_inputs:
            hp["betas"] = (column(g["beta1"]), column(g["beta2"]))
        hp.update(self.fixed_hp)
        if mistake in self.hp_mistakes:
            hp.update(self.hp_mistakes[mistake])
        return hp

    def knobs(self, mistake: str | None) -> optim.Mistakes | None:
        """The ``optim.Mistakes`` knob for a mistake id the engine implements, else None."""
        return optim.Mistakes.of(mistake) if mistake in OPTIM_MISTAKES else None

    def trace(self, g: Arrays, mistake: str | None) -> dict[str, np.ndarray]:
        """One batched engine step: the trace of named intermediates."""
        opt = optim.get(self.optimizer, **self.hyperparameters(g, mistake))
        theta = np.asarray(g["theta"], dtype=np.float64)
        grad = np.asarray(g["grad"], dtype=np.float64)
        _, _, tr = opt.step_trace(theta, grad, self.state(g), mistakes=self.knobs(mistake))
        return tr

    def solve(self, g: Arrays, mistake: str | None = None) -> Arrays:
        """Answer fields from the engine's trace (``answer_map``), plus every trace entry as
        ``tr_<name>`` for the worked solution."""
        tr = self.trace(g, mistake)
        shape = np.shape(g["theta"])
        out = {name: _full(tr[src], shape) for name, src in self.answer_map.items() if src in tr}
        for name, v in tr.items():
            out.setdefault("tr_" + name, _full(v, shape))
        return out

    def update_ok(self, g: Arrays, a: Arrays) -> np.ndarray:
        """The step moves θ by a visible amount: |Δθ| ≥ 1e-5·max(1, |θ|)."""
        upd = np.abs(np.asarray(a["theta"]) - np.asarray(g["theta"]))
        return upd >= 1e-5 * np.maximum(1.0, np.abs(np.asarray(g["theta"])))
