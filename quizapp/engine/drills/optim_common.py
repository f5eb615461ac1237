"""Shared machinery of the optimizer-step drills: every answer, intermediate and mistake
variant is read off ``optim.get(...).step_trace(...)`` on the drawn inputs."""

from __future__ import annotations

import math
from abc import abstractmethod
from typing import Any

import numpy as np

from quizapp.engine import optim
from quizapp.engine.drills.base import DrillKind, Row, TolSpec, as_float, carried
from quizapp.engine.drills.sampling import Param, Sampler, round_sig

__all__ = [
    "OptimizerDrill",
    "P",
    "THETA_TOL",
    "draw_grad",
    "adam_history",
    "prior_moment",
    "prior_second_moment",
]

THETA_TOL = TolSpec(origin="theta")  # a new θ is graded relative to the update Δθ
OPTIM_MISTAKES = frozenset(optim.Mistakes.ids())
FORGOT_DECAY = "forgot_weight_decay"  # any kind with a weight_decay input: the step without it


class P:
    """Parameter specs shared by the optimizer drills (default ranges for decks to override)."""

    theta = Param(
        "theta", "θ", "float", (-1.0, 1.0), (-1e6, 1e6), description="parameter before the step"
    )
    grad_scale = Param(
        "grad_scale",
        "|g|",
        "float",
        (1e-3, 0.5),
        (1e-8, 1e6),
        log=True,
        description="typical gradient magnitude (the gradient and the state are drawn around it)",
    )
    # Adam/AdamW: 1e-4 (large models) … 3e-3 (small ones); torch's default is 1e-3
    lr = Param("lr", "η", "float", (1e-4, 3e-3), (0.0, 10.0), log=True, sig=1, open_low=True)
    beta1 = Param("beta1", "β₁", "float", (0.8, 0.95), (0.0, 1.0), open_high=True)
    # 0.95 (LLM pretraining) … 0.999 (torch's default)
    beta2 = Param("beta2", "β₂", "float", (0.95, 0.999), (0.0, 1.0), sig=3, open_high=True)
    eps = Param("eps", "ε", "float", (1e-8, 1e-8), (0.0, 1.0), log=True, sig=1)
    t = Param(
        "t",
        "t",
        "int",
        (1, 10),
        (0, 5000),
        log=True,
        description="steps already taken (the state is what Adam holds after them)",
    )
    # AdamW's decoupled λ: 0.01 (torch's default) … 0.1 (LLMs)
    weight_decay = Param("weight_decay", "λ", "float", (0.01, 0.1), (0.0, 10.0), log=True, sig=1)
    momentum = Param(
        "momentum", "μ", "float", (0.8, 0.95), (0.0, 1.0), open_low=True, open_high=True
    )
    alpha = Param("alpha", "α", "float", (0.9, 0.99), (0.0, 1.0), open_high=True)


def draw_grad(s: Sampler, scale: float, stream: str = "g") -> float:
    """A gradient ±|g|·u (u ∈ [0.3, 1]) with the magnitude rounded to two significant digits."""
    return round_sig(scale * (0.3 + 0.7 * s.uniform(stream + "_mag")), 2) * s.sign(stream + "_sign")


def prior_moment(s: Sampler, scale: float, stream: str) -> float:
    """A first-moment-like prior state: ±scale·u, u ∈ [0.2, 1], two significant digits."""
    return round_sig(scale * (0.2 + 0.8 * s.uniform(stream)), 2) * s.sign(stream + "_sign")


def prior_second_moment(s: Sampler, scale: float, stream: str) -> float:
    """A second-moment-like prior state: scale²·u, u ∈ [0.3, 1.5], two significant digits."""
    return round_sig(scale**2 * (0.3 + 1.2 * s.uniform(stream)), 2)


HISTORY_STEPS = 64  # engine steps of a drawn gradient history, at most


def adam_history(
    s: Sampler, scale: float, beta1: float, beta2: float, t: int
) -> tuple[float, float, float]:
    """(m, v, g): the state Adam holds after ``t`` steps of a noisy gradient, and the next
    gradient of the same run.

    The gradients are gᵢ = μ + σ·zᵢ (μ = ±|g|·[0.3, 1], σ = |g|·[0.2, 1.2], zᵢ uniform with
    unit variance), each rounded to two significant digits; m and v come from steps of the
    engine's Adam from m = v = 0, so the state is one a real run reaches (after one step
    m̂ = g₁ and v̂ = g₁² exactly). After more than one step m and v are shown to three
    significant digits (a rounding of 0.5 % at most: the state stays one a run reaches, to
    that precision).

    Bounded work: the engine takes the last HISTORY_STEPS steps one by one; the n = t − 64
    steps before them (when t > 64) enter as the state they leave on average, m = (1 − β₁ⁿ)·μ
    and v = (1 − β₂ⁿ)·(μ² + σ²) with the factors read off the engine's Adam at step n (v, an
    average over ≈ 1/(1 − β₂) steps, sits within a few % of that mean in a real run)."""
    mu = scale * (0.3 + 0.7 * s.uniform("g_mean")) * s.sign("g_sign")
    sigma = scale * (0.2 + 1.0 * s.uniform("g_noise"))
    root3 = math.sqrt(3.0)
    exact = min(t, HISTORY_STEPS)
    zs = [(2.0 * u - 1.0) * root3 for u in s.uniforms("g_history", exact + 1)]
    grads = [round_sig(mu + sigma * z, 2) for z in zs]
    opt = optim.get("adam", lr=0.0, betas=(beta1, beta2))
    theta = np.zeros(1)
    state = opt.init(theta)
    if t > exact:
        n = t - exact
        zero = np.zeros(1)
        _, _, tr = opt.step_trace(zero, zero, optim.AdamState(m=zero, v=zero, t=n - 1))
        m0 = as_float(tr["bias_correction1"]) * mu
        v0 = as_float(tr["bias_correction2"]) * (mu * mu + sigma * sigma)
        state = optim.AdamState(m=[m0], v=[v0], t=n)
    for g in grads[:exact]:
        _, state = opt.step(theta, np.array([g]), state)
    m, v = as_float(state.m), as_float(state.v)
    sig = 6 if t <= 1 else 3
    return round_sig(m, sig), round_sig(v, sig), grads[exact]


class OptimizerDrill(DrillKind):
    """A drill answered by one (or more) ``optim`` steps.

    Subclasses set ``optimizer`` (optim name), ``hp_inputs`` (given names passed as torch
    keywords; beta1/beta2 become ``betas``), ``fixed_hp`` (constant keywords such as
    nesterov=True), ``hp_mistakes`` (drill-level variants expressed as different keywords,
    e.g. plain momentum = nesterov False), ``answer_map`` (answer field -> trace name) and
    implement ``state(g)``.

    Every kind that takes ``weight_decay`` can name ``forgot_weight_decay`` among its
    mistakes: the same step with weight_decay 0 (L2 or decoupled alike).
    """

    optimizer: str
    hp_inputs: tuple[str, ...] = ()
    fixed_hp: dict[str, Any] = {}
    hp_mistakes: dict[str, dict[str, Any]] = {}
    answer_map: dict[str, str] = {}

    @abstractmethod
    def state(self, g: Row) -> Any:
        """The optimizer state record built from the drawn inputs."""

    def hyperparameters(self, g: Row, mistake: str | None) -> dict[str, Any]:
        """torch keyword arguments for this problem."""
        hp: dict[str, Any] = {n: g[n] for n in self.hp_inputs if n not in ("beta1", "beta2")}
        if "beta1" in self.hp_inputs:
            hp["betas"] = (g["beta1"], g["beta2"])
        hp.update(self.fixed_hp)
        if mistake == FORGOT_DECAY and "weight_decay" in hp:
            hp["weight_decay"] = 0.0
        if mistake in self.hp_mistakes:
            hp.update(self.hp_mistakes[mistake])
        return hp

    def knobs(self, mistake: str | None) -> optim.Mistakes | None:
        """The ``optim.Mistakes`` knob for a mistake id the engine implements, else None."""
        return optim.Mistakes.of(mistake) if mistake in OPTIM_MISTAKES else None

    def trace(self, g: Row, mistake: str | None) -> dict[str, float]:
        """One engine step on θ (a one-element parameter): the trace of named intermediates."""
        opt = optim.get(self.optimizer, **self.hyperparameters(g, mistake))
        _, _, tr = opt.step_trace(
            np.array([g["theta"]]), np.array([g["grad"]]), self.state(g), self.knobs(mistake)
        )
        return {name: as_float(v) for name, v in tr.items()}

    def solve(self, g: Row, mistake: str | None = None) -> Row:
        """Answer fields from the engine's trace (``answer_map``), plus every trace entry as
        ``tr_<name>`` for the worked solution."""
        tr = self.trace(g, mistake)
        out = {name: tr[src] for name, src in self.answer_map.items() if src in tr}
        out.update({"tr_" + name: v for name, v in tr.items()})
        return out

    def carried_theta1(self, g: Row, a: Row) -> str:
        """θ₁ of a two-step kind as its line shows it and the θ₂ line adds it up: with the
        digits both θ₁'s window (relative to θ₁ − θ) and θ₂'s (relative to θ₂ − θ₁) need.
        Six digits of a θ₁ near ±1 err by up to 5e−6, more than 0.1 % of a small second
        step, so ``fmt(θ₁)`` in the θ₂ line made the line, typed back, a wrong answer."""
        return carried(
            a["theta1"],
            self.tol("theta1").rel * abs(a["theta1"] - g["theta"]),
            self.tol("theta2").rel * abs(a["theta2"] - a["theta1"]),
        )

    def update_ok(self, g: Row, a: Row) -> bool:
        """The step moves θ by a visible amount: |Δθ| ≥ 1e-5·max(1, |θ|)."""
        return abs(a["theta"] - g["theta"]) >= 1e-5 * max(1.0, abs(g["theta"]))
