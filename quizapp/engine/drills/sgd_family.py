"""SGD-family drills: sgd, momentum / nesterov (one class), momentum-first-step (with
dampening) and momentum-steady-state.

Answers, worked solutions and mistake variants all come from ``optim`` traces."""

from __future__ import annotations

from typing import Any

import numpy as np

from quizapp.engine import optim
from quizapp.engine.drills.base import FieldSpec, Row, StepDict, TolSpec, as_float, fmt, par, step
from quizapp.engine.drills.optim_common import (
    FORGOT_DECAY,
    THETA_TOL,
    OptimizerDrill,
    P,
    draw_grad,
    prior_moment,
)
from quizapp.engine.drills.sampling import Param, Sampler

LABELS = {
    "theta": "θ",
    "grad": "g",
    "grad1": "g₁",
    "grad2": "g₂",
    "lr": "η",
    "weight_decay": "λ",
    "momentum": "μ",
    "dampening": "τ",
    "momentum_buffer": "b",
    "steps": "k",
}
THETA_HINT = "to 0.1 % of Δθ: keep digits (θ + Δθ works)"
#: the same where the decay is decoupled: θ' is the decayed θ plus the rule's step
THETA_HINT_DECOUPLED = "to 0.1 % of Δθ (θ·(1−ηλ) + Δθ works)"
F_THETA = FieldSpec(name="theta", label="θ'", hint=THETA_HINT, primary=True)
F_THETA_DECOUPLED = FieldSpec(name="theta", label="θ'", hint=THETA_HINT_DECOUPLED, primary=True)
F_BUF = FieldSpec(name="momentum_buffer", label="b", hint="momentum buffer after the step")
# plain SGD 0.01…0.2 (ResNet's 0.1 at batch 256); with momentum the buffer grows toward
# g/(1 − μ), so the lr is 0.01…0.1
SGD_LR = Param("lr", "η", "float", (0.01, 0.2), (0.0, 10.0), log=True, sig=1, open_low=True)
MOMENTUM_LR = Param("lr", "η", "float", (0.01, 0.1), (0.0, 10.0), log=True, sig=1, open_low=True)
SGD_GRAD = Param("grad_scale", "|g|", "float", (0.005, 0.5), (1e-8, 1e6), log=True)
# L2 with SGD: 1e-4 (ImageNet ResNets) … 5e-3
SGD_WD = Param("weight_decay", "λ", "float", (1e-4, 5e-3), (0.0, 10.0), log=True, sig=1)
DAMPENING = Param(
    "dampening", "τ", "float", (0.1, 0.9), (0.0, 1.0), sig=1, description="torch's dampening"
)


def final_steps(g: Row, a: Row) -> list[StepDict]:
    """Δθ = −η·d and θ' = θ + Δθ, from the trace of one SGD step."""
    return [
        step("Δθ", f"−{fmt(g['lr'])}·{par(a['tr_direction'])}", a["tr_delta_theta"]),
        step("θ'", f"{fmt(g['theta'])} + {par(a['tr_delta_theta'])}", a["theta"]),
    ]


class SGDStep(OptimizerDrill):
    """One torch SGD step: g ← g + λθ, θ' = θ − η·g."""

    id = "sgd"
    title = "One SGD step (L2 weight decay when λ > 0)"
    description = "Plain SGD: fold λθ into the gradient, then θ ← θ − η·g."
    topic = "sgd"
    optimizer = "sgd"
    labels = LABELS
    params = (P.theta, SGD_GRAD, SGD_LR, SGD_WD)
    fields = (
        FieldSpec(name="grad_eff", label="g + λθ", hint="the gradient with L2 folded in"),
        F_THETA,
    )
    given_order = ("theta", "grad", "lr", "weight_decay")
    hp_inputs = ("lr", "weight_decay")
    answer_map = {"grad_eff": "grad_eff", "theta": "theta"}
    tolerances = {"theta": THETA_TOL}
    mistakes = (FORGOT_DECAY, "ascent_sign")
    must_distinguish = ("ascent_sign",)

    def sample(self, s: Sampler) -> Row:
        scale = s.float("grad_scale")
        return {
            "theta": s.float("theta"),
            "grad": draw_grad(s, scale),
            "lr": s.float("lr"),
            "weight_decay": s.float("weight_decay"),
        }

    def state(self, g: Row) -> Any:
        return optim.SGDState()

    def acceptable(self, g: Row, a: Row) -> bool:
        return self.update_ok(g, a)

    def prompt(self, g: Row) -> str:
        return (
            f"torch.optim.SGD with η = {fmt(g['lr'])}, weight_decay λ = {fmt(g['weight_decay'])} "
            f"and no momentum. The parameter is θ = {fmt(g['theta'])} and its gradient "
            f"g = {fmt(g['grad'])}. What are g + λθ and θ after one step?"
        )

    def convention(self, g: Row) -> list[str]:
        return [
            "PyTorch torch.optim.SGD",
            "g ← g + λ·θ      (weight_decay is L2, added to the gradient)",
            "θ ← θ − η·g",
        ]

    def solution(self, g: Row, a: Row) -> list[StepDict]:
        l2 = step(
            "g + λθ",
            f"{par(g['grad'])} + {fmt(g['weight_decay'])}·{par(g['theta'])}",
            a["grad_eff"],
        )
        return [l2, *final_steps(g, a)]


class MomentumStep(OptimizerDrill):
    """One torch SGD-momentum step from a given buffer, classical or Nesterov (PyTorch form):
    b ← μ·b + g, then θ' = θ − η·b, or θ' = θ − η·(g + μ·b) with ``nesterov``."""

    topic = "sgd"
    optimizer = "sgd"
    labels = LABELS
    params = (P.theta, SGD_GRAD, MOMENTUM_LR, P.momentum)
    given_order = ("theta", "grad", "momentum_buffer", "lr", "momentum")
    hp_inputs = ("lr", "momentum")
    answer_map = {"momentum_buffer": "momentum_buffer", "direction": "direction", "theta": "theta"}
    tolerances = {"theta": THETA_TOL}

    def __init__(self, nesterov: bool) -> None:
        self.nesterov = nesterov
        if nesterov:
            self.id = "nesterov"
            self.title = "One Nesterov-momentum step (PyTorch form)"
            self.description = "torch SGD nesterov=True: b ← μ·b + g, step along g + μ·b."
            self.fields = (
                F_BUF,
                FieldSpec(name="direction", label="g + μ·b", hint="the Nesterov direction"),
                F_THETA,
            )
            self.fixed_hp = {"nesterov": True}
            self.hp_mistakes = {"plain_momentum": {"nesterov": False}}
            self.mistakes = ("plain_momentum", "ema_momentum", "ascent_sign")
            self.must_distinguish = ("plain_momentum", "ascent_sign")
        else:
            self.id = "momentum"
            self.title = "One SGD-with-momentum step"
            self.description = "torch SGD momentum: b ← μ·b + g (no dampening), θ ← θ − η·b."
            self.fields = (F_BUF, F_THETA)
            self.mistakes = ("ema_momentum", "ascent_sign")
            self.must_distinguish = ("ema_momentum", "ascent_sign")

    def sample(self, s: Sampler) -> Row:
        scale = s.float("grad_scale")
        return {
            "theta": s.float("theta"),
            "grad": draw_grad(s, scale),
            # a buffer that has accumulated a few gradients: |b| up to ~3·|g|
            "momentum_buffer": prior_moment(s, 3 * scale, "buf"),
            "lr": s.float("lr"),
            "momentum": s.float("momentum"),
            "grad_scale": scale,
        }

    def state(self, g: Row) -> Any:
        return optim.SGDState(momentum_buffer=[g["momentum_buffer"]])

    def acceptable(self, g: Row, a: Row) -> bool:
        not_cancelled = abs(a["momentum_buffer"]) >= 0.1 * g["grad_scale"]
        return self.update_ok(g, a) and not_cancelled

    def prompt(self, g: Row) -> str:
        head = (
            f"torch.optim.SGD with η = {fmt(g['lr'])}, momentum μ = {fmt(g['momentum'])} and "
            + ("nesterov=True" if self.nesterov else "dampening 0")
        )
        ask = "b, the step direction g + μ·b and θ" if self.nesterov else "b and θ"
        return (
            f"{head}. The momentum buffer is b = {fmt(g['momentum_buffer'])}, the parameter "
            f"θ = {fmt(g['theta'])} and its gradient g = {fmt(g['grad'])}. What are {ask} "
            "after the step?"
        )

    def convention(self, g: Row) -> list[str]:
        if self.nesterov:
            return [
                "PyTorch torch.optim.SGD, nesterov=True (dampening 0, not the first step)",
                "b ← μ·b + g",
                "d = g + μ·b      (the look-ahead direction, with the new b)",
                "θ ← θ − η·d",
            ]
        return [
            "PyTorch torch.optim.SGD (dampening 0, not the first step)",
            "b ← μ·b + g",
            "θ ← θ − η·b",
        ]

    def solution(self, g: Row, a: Row) -> list[StepDict]:
        mu = fmt(g["momentum"])
        out = [
            step("b", f"{mu}·{par(g['momentum_buffer'])} + {par(g['grad'])}", a["momentum_buffer"])
        ]
        if self.nesterov:
            out.append(
                step(
                    "g + μ·b",
                    f"{par(g['grad'])} + {mu}·{par(a['momentum_buffer'])}",
                    a["direction"],
                )
            )
        return out + final_steps(g, a)


class MomentumFirstStep(OptimizerDrill):
    """The first two steps of a fresh torch SGD(momentum=μ, dampening=τ): b₁ = g₁ (a copy: no
    dampening on the first step), b₂ = μ·b₁ + (1 − τ)·g₂."""

    id = "momentum-first-step"
    title = "Momentum's first step in torch (with dampening)"
    description = (
        "A fresh torch SGD with momentum and dampening: the first step copies g into the "
        "buffer; dampening only starts at step 2."
    )
    topic = "sgd"
    optimizer = "sgd"
    labels = LABELS
    params = (P.theta, SGD_GRAD, MOMENTUM_LR, P.momentum, DAMPENING)
    fields = (
        FieldSpec(name="b1", label="b₁", hint="momentum buffer after step 1"),
        FieldSpec(name="theta1", label="θ₁", hint="θ after step 1"),
        FieldSpec(name="b2", label="b₂", hint="momentum buffer after step 2"),
        FieldSpec(name="theta2", label="θ₂", hint=THETA_HINT, primary=True),
    )
    given_order = ("theta", "grad1", "grad2", "lr", "momentum", "dampening")
    hp_inputs = ("lr", "momentum", "dampening")
    tolerances = {"theta1": TolSpec(origin="theta"), "theta2": TolSpec(origin="theta1")}
    mistakes = ("dampened_first_step", "ema_momentum", "ascent_sign")
    must_distinguish = ("dampened_first_step",)

    def sample(self, s: Sampler) -> Row:
        scale = s.float("grad_scale")
        return {
            "theta": s.float("theta"),
            "grad1": draw_grad(s, scale, "g1"),
            "grad2": draw_grad(s, scale, "g2"),
            "lr": s.float("lr"),
            "momentum": s.float("momentum"),
            "dampening": s.float("dampening"),
            "grad_scale": scale,
        }

    def state(self, g: Row) -> Any:
        return optim.SGDState()

    def solve(self, g: Row, mistake: str | None = None) -> Row:
        opt = optim.get("sgd", **self.hyperparameters(g, None))
        knobs = self.knobs(mistake)
        theta = np.array([g["theta"]])
        # the slip: treating step 1 like any later step, from a zero buffer, so it is dampened
        first = (
            optim.SGDState(momentum_buffer=[0.0])
            if mistake == "dampened_first_step"
            else self.state(g)
        )
        p1, s1, t1 = opt.step_trace(theta, np.array([g["grad1"]]), first, knobs)
        p2, _, t2 = opt.step_trace(p1, np.array([g["grad2"]]), s1, knobs)
        out = {f"tr1_{k}": as_float(v) for k, v in t1.items()}
        out |= {f"tr2_{k}": as_float(v) for k, v in t2.items()}
        out.update(
            b1=out["tr1_momentum_buffer"],
            theta1=as_float(p1),
            b2=out["tr2_momentum_buffer"],
            theta2=as_float(p2),
        )
        return out

    def acceptable(self, g: Row, a: Row) -> bool:
        moved = abs(a["theta2"] - a["theta1"]) >= 1e-5 * max(1.0, abs(a["theta1"]))
        return moved and abs(a["b2"]) >= 0.1 * g["grad_scale"]

    def prompt(self, g: Row) -> str:
        return (
            f"A fresh torch.optim.SGD with η = {fmt(g['lr'])}, momentum μ = {fmt(g['momentum'])} "
            f"and dampening τ = {fmt(g['dampening'])} starts at θ = {fmt(g['theta'])}. The first "
            f"gradient is g₁ = {fmt(g['grad1'])}, the second g₂ = {fmt(g['grad2'])}. What are "
            "b₁, θ₁, b₂ and θ₂?"
        )

    def convention(self, g: Row) -> list[str]:
        return [
            "PyTorch torch.optim.SGD(momentum=μ, dampening=τ), a fresh optimizer (no buffer yet)",
            "first step:  b ← g      (torch copies the gradient: no dampening, no μ·0 term)",
            "later steps: b ← μ·b + (1 − τ)·g",
            "θ ← θ − η·b",
        ]

    def solution(self, g: Row, a: Row) -> list[StepDict]:
        mu, tau, lr = fmt(g["momentum"]), fmt(g["dampening"]), fmt(g["lr"])
        theta1 = self.carried_theta1(g, a)
        return [
            step("b₁", "g₁   (first step: a copy)", a["b1"]),
            step("θ₁", f"{fmt(g['theta'])} − {lr}·{par(a['b1'])}", a["theta1"], theta1),
            step("b₂", f"{mu}·{par(a['b1'])} + (1 − {tau})·{par(g['grad2'])}", a["b2"]),
            step("θ₂", f"{theta1} − {lr}·{par(a['b2'])}", a["theta2"]),
        ]


class MomentumSteadyState(OptimizerDrill):
    """A constant gradient g under torch SGD momentum: bₖ = g·(1 − μᵏ)/(1 − μ) after k steps
    (read off k engine steps), approaching b∞ = g/(1 − μ) — each step then moves θ by
    η·g/(1 − μ), momentum's effective learning rate η/(1 − μ)."""

    id = "momentum-steady-state"
    title = "Momentum's steady state under a constant gradient"
    description = (
        "How the torch momentum buffer grows under a constant gradient: b after k steps, "
        "its limit g/(1 − μ) and the effective learning rate η/(1 − μ)."
    )
    topic = "sgd"
    optimizer = "sgd"
    labels = LABELS
    params = (
        SGD_GRAD,
        MOMENTUM_LR,
        Param("momentum", "μ", "float", (0.8, 0.99), (0.0, 1.0), open_low=True, open_high=True),
        Param("steps", "k", "int", (2, 8), (1, 200), description="steps taken so far"),
    )
    fields = (
        FieldSpec(name="buffer_k", label="b after k steps", hint="the buffer after step k"),
        FieldSpec(name="buffer_limit", label="b∞", hint="the limit of b as k → ∞"),
        FieldSpec(
            name="effective_lr", label="η/(1 − μ)", hint="the steady-state step per unit gradient"
        ),
        FieldSpec(
            name="steady_step",
            label="|Δθ|∞",
            hint="how far θ moves per step once b has settled",
            primary=True,
        ),
    )
    given_order = ("grad", "lr", "momentum", "steps")
    hp_inputs = ("lr", "momentum")
    # (the EMA slip is off by the factor 1/(1 − μ) ≥ 2: always visible)
    mistakes = ("ema_momentum",)

    def sample(self, s: Sampler) -> Row:
        return {
            "grad": draw_grad(s, s.float("grad_scale")),
            "lr": s.float("lr"),
            "momentum": s.float("momentum"),
            "steps": s.int("steps"),
        }

    def state(self, g: Row) -> Any:
        return optim.SGDState()

    def solve(self, g: Row, mistake: str | None = None) -> Row:
        opt = optim.get("sgd", **self.hyperparameters(g, None))
        knobs = self.knobs(mistake)
        theta, grad, state = np.zeros(1), np.array([g["grad"]]), self.state(g)
        for _ in range(g["steps"]):
            theta, state, tr = opt.step_trace(theta, grad, state, knobs)
        mu = g["momentum"]
        # the fixed point of the engine's b ← μ·b + g (EMA convention: b ← μ·b + (1 − μ)·g)
        limit = g["grad"] if mistake == "ema_momentum" else g["grad"] / (1 - mu)
        return {
            "buffer_k": as_float(tr["momentum_buffer"]),
            "buffer_limit": limit,
            "effective_lr": g["lr"] * limit / g["grad"],
            "steady_step": g["lr"] * abs(limit),
        }

    def prompt(self, g: Row) -> str:
        return (
            f"torch.optim.SGD with η = {fmt(g['lr'])} and momentum μ = {fmt(g['momentum'])} "
            f"(dampening 0) sees the same gradient g = {fmt(g['grad'])} at every step, starting "
            f"fresh. What is the buffer b after k = {g['steps']} steps, its limit b∞, the "
            "effective learning rate η/(1 − μ), and how far θ moves per step once b has settled?"
        )

    def convention(self, g: Row) -> list[str]:
        return [
            "PyTorch torch.optim.SGD (dampening 0): first step b ← g, then b ← μ·b + g",
            "θ ← θ − η·b",
            "constant g: bₖ = g·(1 + μ + … + μᵏ⁻¹) → b∞ = g/(1 − μ)   (a sum, not an average)",
        ]

    def solution(self, g: Row, a: Row) -> list[StepDict]:
        mu, k = fmt(g["momentum"]), g["steps"]
        return [
            step(
                "b after k steps",
                f"{par(g['grad'])}·(1 − {mu}^{k})/(1 − {mu})   (k engine steps)",
                a["buffer_k"],
            ),
            step("b∞", f"{par(g['grad'])}/(1 − {mu})", a["buffer_limit"]),
            step("η/(1 − μ)", f"{fmt(g['lr'])}/(1 − {mu})", a["effective_lr"]),
            step("|Δθ|∞", f"{fmt(g['lr'])}·|b∞|", a["steady_step"]),
        ]
