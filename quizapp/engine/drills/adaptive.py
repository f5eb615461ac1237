"""Adaptive-step drills without momentum: adagrad, adagrad-steps, rmsprop, rmsprop-first-step.

Answers, worked solutions and mistake variants all come from ``optim`` traces."""

from __future__ import annotations

from typing import Any

import numpy as np

from quizapp.engine import optim
from quizapp.engine.drills.base import FieldSpec, Row, StepDict, as_float, fmt, par, step
from quizapp.engine.drills.optim_common import (
    THETA_TOL,
    OptimizerDrill,
    P,
    draw_grad,
    prior_second_moment,
)
from quizapp.engine.drills.sampling import Param, Sampler, round_sig
from quizapp.engine.drills.sgd_family import F_THETA, SGD_GRAD, THETA_HINT

LABELS = {
    "theta": "θ",
    "grad": "g",
    "lr": "η",
    "sum": "G",
    "t": "t",
    "lr_decay": "lr_decay",
    "eps": "ε",
    "v": "v",
    "alpha": "α",
    "steps": "k",
}
# Adagrad: torch's default 0.01 … 0.1; RMSprop: 1e-3 … 1e-2 (torch's default 0.01)
ADAGRAD_LR = Param("lr", "η", "float", (0.01, 0.1), (0.0, 10.0), log=True, sig=1, open_low=True)
RMSPROP_LR = Param("lr", "η", "float", (1e-3, 1e-2), (0.0, 10.0), log=True, sig=1, open_low=True)
ADAGRAD_EPS = Param("eps", "ε", "float", (1e-10, 1e-10), (0.0, 1.0), log=True, sig=1)


def theta_steps(g: Row, a: Row, denom: str, lr: str) -> list[StepDict]:
    """Δθ = −lr·g / denom and θ' = θ + Δθ."""
    return [
        step("Δθ", f"−{fmt(a[lr])}·{par(g['grad'])} / {fmt(a[denom])}", a["tr_delta_theta"]),
        step("θ'", f"{fmt(g['theta'])} + {par(a['tr_delta_theta'])}", a["theta"]),
    ]


class AdagradStep(OptimizerDrill):
    """One torch Adagrad step: G ← G + g², θ' = θ − η_t·g/(√G + ε),
    η_t = η/(1 + (t − 1)·lr_decay) with t the step's number."""

    id = "adagrad"
    title = "One Adagrad step"
    description = "Accumulate G ← G + g², then θ ← θ − η·g/(√G + ε)."
    topic = "adaptive"
    optimizer = "adagrad"
    labels = LABELS
    params = (
        P.theta,
        SGD_GRAD,
        ADAGRAD_LR,
        Param("t", "t", "int", (1, 30), (0, 1_000_000), description="steps already taken"),
        # torch's default is 0, which leaves t out of the step: drawn in 0 … 0.1 so that the
        # step count matters (and wrong_step_t shows)
        Param("lr_decay", "lr_decay", "float", (0.0, 0.1), (0.0, 10.0), sig=1),
        ADAGRAD_EPS,
    )
    fields = (
        FieldSpec(name="sum", label="G", hint="accumulated squared gradients after the step"),
        F_THETA,
    )
    given_order = ("theta", "grad", "sum", "t", "lr", "lr_decay", "eps")
    hp_inputs = ("lr", "lr_decay", "eps")
    answer_map = {"sum": "sum", "theta": "theta"}
    tolerances = {"theta": THETA_TOL}
    # not eps_inside_sqrt: with ε = 1e-10 (torch's) ε inside the root never shows in θ'
    mistakes = ("no_sqrt", "wrong_step_t", "ascent_sign")
    must_distinguish = ("no_sqrt", "ascent_sign")

    def sample(self, s: Sampler) -> Row:
        scale, t = s.float("grad_scale"), s.int("t")
        return {
            "theta": s.float("theta"),
            "grad": draw_grad(s, scale),
            # G has summed the squares of the t earlier gradients: ≈ t·(0.3 … 1.5)·|g|²
            "sum": round_sig(t * prior_second_moment(s, scale, "sum"), 2),
            "t": t,
            "lr": s.float("lr"),
            "lr_decay": s.float("lr_decay"),
            "eps": s.float("eps"),
        }

    def state(self, g: Row) -> Any:
        return optim.AdagradState(sum=[g["sum"]], t=g["t"])

    def acceptable(self, g: Row, a: Row) -> bool:
        return self.update_ok(g, a)

    def prompt(self, g: Row) -> str:
        return (
            f"torch.optim.Adagrad with η = {fmt(g['lr'])}, lr_decay = {fmt(g['lr_decay'])}, "
            f"ε = {fmt(g['eps'])} has taken {g['t']} steps; its accumulator is "
            f"G = {fmt(g['sum'])}. The parameter is θ = {fmt(g['theta'])} and its gradient "
            f"g = {fmt(g['grad'])}. What are G and θ after the step?"
        )

    def convention(self, g: Row) -> list[str]:
        return [
            "PyTorch torch.optim.Adagrad",
            "t ← t + 1      (t counts the steps; the first step has t = 1)",
            "η_t = η / (1 + (t − 1)·lr_decay)",
            "G ← G + g²",
            "θ ← θ − η_t·g/(√G + ε)      (ε outside the square root)",
        ]

    def solution(self, g: Row, a: Row) -> list[StepDict]:
        return [
            step("η_t", f"{fmt(g['lr'])} / (1 + {g['t']}·{fmt(g['lr_decay'])})", a["tr_clr"]),
            step("G", f"{par(g['sum'])} + {par(g['grad'])}²", a["sum"]),
            step("√G + ε", f"√{par(a['sum'])} + {fmt(g['eps'])}", a["tr_std"]),
            *theta_steps(g, a, "tr_std", "tr_clr"),
        ]


class AdagradSteps(OptimizerDrill):
    """k torch Adagrad steps under a constant gradient from G = 0: Gₖ = k·g², so the k-th
    step is η·|g|/(√k·|g| + ε) ≈ η/√k — Adagrad's effective learning rate only shrinks."""

    id = "adagrad-steps"
    title = "Adagrad over several steps: the shrinking step"
    description = (
        "k Adagrad steps under the same gradient: G grows like k·g², so each step is "
        "η/√k — the effective learning rate decays even when nothing changes."
    )
    topic = "adaptive"
    optimizer = "adagrad"
    labels = LABELS
    params = (
        P.theta,
        SGD_GRAD,
        ADAGRAD_LR,
        Param("steps", "k", "int", (3, 12), (2, 500), description="steps taken"),
        ADAGRAD_EPS,
    )
    fields = (
        FieldSpec(name="sum", label="Gₖ", hint="the accumulator after k steps"),
        FieldSpec(
            name="last_step", label="|Δθₖ|", hint="how far step k moves θ (a positive number)"
        ),
        FieldSpec(name="theta", label="θₖ", hint=THETA_HINT, primary=True),
    )
    given_order = ("theta", "grad", "steps", "lr", "eps")
    hp_inputs = ("lr", "eps")
    tolerances = {"theta": THETA_TOL}
    mistakes = ("constant_effective_lr", "no_sqrt", "ascent_sign")
    must_distinguish = ("constant_effective_lr",)

    def sample(self, s: Sampler) -> Row:
        return {
            "theta": s.float("theta"),
            "grad": draw_grad(s, s.float("grad_scale")),
            "steps": s.int("steps"),
            "lr": s.float("lr"),
            "eps": s.float("eps"),
        }

    def state(self, g: Row) -> Any:
        return optim.AdagradState(sum=[0.0], t=0)

    def solve(self, g: Row, mistake: str | None = None) -> Row:
        opt = optim.get("adagrad", **self.hyperparameters(g, None))
        knobs = self.knobs(mistake)
        theta, grad, state = np.array([g["theta"]]), np.array([g["grad"]]), self.state(g)
        k = g["steps"]
        if mistake == "constant_effective_lr":
            # the slip: G forgets, so every step is the first one: θ₀ + k·Δθ₁
            theta, state, tr = opt.step_trace(theta, grad, state, knobs)
            theta = g["theta"] + k * tr["delta_theta"]
        else:
            for _ in range(k):
                theta, state, tr = opt.step_trace(theta, grad, state, knobs)
        return {
            "sum": as_float(state.sum),
            "last_step": abs(as_float(tr["delta_theta"])),
            "theta": as_float(theta),
            "tr_std": as_float(tr["std"]),
        }

    def acceptable(self, g: Row, a: Row) -> bool:
        return abs(a["theta"] - g["theta"]) >= 1e-5 * max(1.0, abs(g["theta"]))

    def prompt(self, g: Row) -> str:
        return (
            f"torch.optim.Adagrad with η = {fmt(g['lr'])} and ε = {fmt(g['eps'])} starts fresh "
            f"(G = 0) at θ = {fmt(g['theta'])} and sees the same gradient g = {fmt(g['grad'])} "
            f"for k = {g['steps']} steps. What are G after k steps, how far step k moves θ, "
            "and θ after k steps?"
        )

    def convention(self, g: Row) -> list[str]:
        return [
            "PyTorch torch.optim.Adagrad (lr_decay 0, initial_accumulator_value 0)",
            "G ← G + g²,  θ ← θ − η·g/(√G + ε)      (ε outside the square root)",
            "constant g: after step i, G = i·g², so step i moves θ by η·|g|/(√i·|g| + ε)",
        ]

    def solution(self, g: Row, a: Row) -> list[StepDict]:
        k, lr, grad = g["steps"], fmt(g["lr"]), par(g["grad"])
        return [
            step("Gₖ", f"{k}·{grad}²", a["sum"]),
            step("|Δθₖ|", f"{lr}·|{grad}| / (√{par(a['sum'])} + {fmt(g['eps'])})", a["last_step"]),
            step(
                "θₖ",
                f"{fmt(g['theta'])} − sign(g)·{lr}·(1/√1 + 1/√2 + … + 1/√{k})   (k engine steps)",
                a["theta"],
            ),
        ]


class RMSpropStep(OptimizerDrill):
    """One torch RMSprop step: v ← α·v + (1−α)·g², θ' = θ − η·g/(√v + ε)."""

    id = "rmsprop"
    title = "One RMSprop step"
    description = "v ← α·v + (1−α)·g², then θ ← θ − η·g/(√v + ε)."
    topic = "adaptive"
    optimizer = "rmsprop"
    labels = LABELS
    params = (P.theta, P.grad_scale, RMSPROP_LR, P.alpha, P.eps)
    fields = (FieldSpec(name="v", label="v", hint="running mean of g² after the step"), F_THETA)
    given_order = ("theta", "grad", "v", "lr", "alpha", "eps")
    hp_inputs = ("lr", "alpha", "eps")
    answer_map = {"v": "v", "theta": "theta"}
    tolerances = {"theta": THETA_TOL}
    mistakes = ("no_sqrt", "eps_inside_sqrt", "old_second_moment", "ascent_sign")
    must_distinguish = ("no_sqrt", "ascent_sign")

    def sample(self, s: Sampler) -> Row:
        scale = s.float("grad_scale")
        return {
            "theta": s.float("theta"),
            "grad": draw_grad(s, scale),
            "v": prior_second_moment(s, scale, "v"),
            "lr": s.float("lr"),
            "alpha": s.float("alpha"),
            "eps": s.float("eps"),
        }

    def state(self, g: Row) -> Any:
        return optim.RMSpropState(v=[g["v"]], t=0)

    def acceptable(self, g: Row, a: Row) -> bool:
        return self.update_ok(g, a) and g["eps"] <= 1e-2 * np.sqrt(a["v"])

    def prompt(self, g: Row) -> str:
        return (
            f"torch.optim.RMSprop with η = {fmt(g['lr'])}, α = {fmt(g['alpha'])}, "
            f"ε = {fmt(g['eps'])} (no momentum, not centered) holds v = {fmt(g['v'])}. The "
            f"parameter is θ = {fmt(g['theta'])} and its gradient g = {fmt(g['grad'])}. What "
            "are v and θ after the step?"
        )

    def convention(self, g: Row) -> list[str]:
        return [
            "PyTorch torch.optim.RMSprop (momentum 0, centered=False, no bias correction)",
            "v ← α·v + (1−α)·g²",
            "θ ← θ − η·g/(√v + ε)      (ε outside the square root)",
        ]

    def solution(self, g: Row, a: Row) -> list[StepDict]:
        al = fmt(g["alpha"])
        return [
            step("v", f"{al}·{par(g['v'])} + (1−{al})·{par(g['grad'])}²", a["v"]),
            step("√v + ε", f"√{par(a['v'])} + {fmt(g['eps'])}", a["tr_avg"]),
            step(
                "Δθ", f"−{fmt(g['lr'])}·{par(g['grad'])} / {fmt(a['tr_avg'])}", a["tr_delta_theta"]
            ),
            step("θ'", f"{fmt(g['theta'])} + {par(a['tr_delta_theta'])}", a["theta"]),
        ]


class RMSpropFirstStep(OptimizerDrill):
    """The first torch RMSprop step from v = 0: v = (1 − α)·g², so the step is
    η·|g|/(√(1 − α)·|g| + ε) ≈ η/√(1 − α) — 10·η for α = 0.99: no bias correction."""

    id = "rmsprop-first-step"
    title = "RMSprop's first step (no bias correction)"
    description = (
        "From v = 0, RMSprop's first step is ≈ η/√(1 − α) — ten times η for α = 0.99 — "
        "because, unlike Adam, it has no bias correction."
    )
    topic = "adaptive"
    optimizer = "rmsprop"
    labels = LABELS
    params = (
        P.theta,
        P.grad_scale,
        RMSPROP_LR,
        Param("alpha", "α", "float", (0.9, 0.999), (0.0, 1.0), sig=3, open_high=True),
        P.eps,
    )
    fields = (
        FieldSpec(name="v", label="v₁", hint="v after the first step"),
        FieldSpec(name="ratio", label="|Δθ|/η", hint="the first step in units of η"),
        FieldSpec(name="theta", label="θ₁", hint=THETA_HINT, primary=True),
    )
    given_order = ("theta", "grad", "lr", "alpha", "eps")
    hp_inputs = ("lr", "alpha", "eps")
    answer_map = {"v": "v", "theta": "theta"}
    hp_mistakes = {"bias_corrected_rmsprop": {"alpha": 0.0}}
    tolerances = {"theta": THETA_TOL}
    mistakes = ("bias_corrected_rmsprop", "no_sqrt", "ascent_sign")
    must_distinguish = ("bias_corrected_rmsprop", "ascent_sign")

    def sample(self, s: Sampler) -> Row:
        return {
            "theta": s.float("theta"),
            "grad": draw_grad(s, s.float("grad_scale")),
            "lr": s.float("lr"),
            "alpha": s.float("alpha"),
            "eps": s.float("eps"),
        }

    def state(self, g: Row) -> Any:
        return optim.RMSpropState(v=[0.0], t=0)

    def solve(self, g: Row, mistake: str | None = None) -> Row:
        out = super().solve(g, mistake)
        if mistake == "bias_corrected_rmsprop":
            # v̂ = v/(1 − α) = g², i.e. the engine's RMSprop with α = 0 for the step; v itself
            # is still (1 − α)·g²
            out["v"] = super().solve(g, None)["v"]
        out["ratio"] = abs(out["tr_delta_theta"]) / g["lr"]
        return out

    def acceptable(self, g: Row, a: Row) -> bool:
        return self.update_ok(g, a) and g["eps"] <= 1e-2 * np.sqrt(a["v"])

    def prompt(self, g: Row) -> str:
        return (
            f"A fresh torch.optim.RMSprop with η = {fmt(g['lr'])}, α = {fmt(g['alpha'])} and "
            f"ε = {fmt(g['eps'])} (no momentum) takes its first step at θ = {fmt(g['theta'])} "
            f"with gradient g = {fmt(g['grad'])}. What are v₁, the step in units of η, and θ₁?"
        )

    def convention(self, g: Row) -> list[str]:
        return [
            "PyTorch torch.optim.RMSprop, a fresh optimizer: v starts at 0",
            "v ← α·v + (1−α)·g²      (no bias correction, unlike Adam)",
            "θ ← θ − η·g/(√v + ε)",
        ]

    def solution(self, g: Row, a: Row) -> list[StepDict]:
        al = fmt(g["alpha"])
        return [
            step("v₁", f"(1 − {al})·{par(g['grad'])}²", a["v"]),
            step("√v₁ + ε", f"√{par(a['v'])} + {fmt(g['eps'])}", a["tr_avg"]),
            step("|Δθ|/η", f"|g|/(√v₁ + ε) ≈ 1/√(1 − {al})", a["ratio"]),
            step("θ₁", f"{fmt(g['theta'])} + {par(a['tr_delta_theta'])}", a["theta"]),
        ]
