"""The lion-step drill: one Lion step (Chen et al. 2023) — a sign update from the β₁
interpolation, momentum kept with β₂, decoupled weight decay. All values from the engine's
``lion`` trace."""

from __future__ import annotations

from typing import Any

from quizapp.engine import optim
from quizapp.engine.drills.base import FieldSpec, Row, StepDict, carried, fmt, par, step
from quizapp.engine.drills.optim_common import (
    FORGOT_DECAY,
    THETA_TOL,
    OptimizerDrill,
    P,
    draw_grad,
    prior_moment,
)
from quizapp.engine.drills.sampling import Param, Sampler
from quizapp.engine.drills.sgd_family import F_THETA_DECOUPLED


class LionStep(OptimizerDrill):
    """c = β₁·m + (1−β₁)·g, θ ← θ·(1 − η·λ) − η·sign(c), m ← β₂·m + (1−β₂)·g."""

    id = "lion-step"
    title = "One Lion step"
    description = (
        "Lion: a step of exactly η per coordinate in the direction of sign(β₁·m + (1−β₁)·g), "
        "decoupled decay, and momentum updated with the other β."
    )
    topic = "sign-methods"
    optimizer = "lion"
    labels = {
        "theta": "θ",
        "grad": "g",
        "m": "m",
        "lr": "η",
        "beta1": "β₁",
        "beta2": "β₂",
        "weight_decay": "λ",
    }
    params = (
        P.theta,
        P.grad_scale,
        Param("lr", "η", "float", (3e-5, 3e-4), (0.0, 10.0), log=True, sig=1, open_low=True),
        Param("beta1", "β₁", "float", (0.9, 0.9), (0.0, 1.0), open_high=True),
        Param("beta2", "β₂", "float", (0.98, 0.99), (0.0, 1.0), sig=3, open_high=True),
        Param("weight_decay", "λ", "float", (0.1, 1.0), (0.0, 10.0), log=True, sig=1),
    )
    fields = (
        FieldSpec(name="c", label="c", hint="β₁·m + (1−β₁)·g (its sign is the step)"),
        FieldSpec(name="m", label="m", hint="the momentum after the step"),
        F_THETA_DECOUPLED,
    )
    given_order = ("theta", "grad", "m", "lr", "beta1", "beta2", "weight_decay")
    hp_inputs = ("lr", "beta1", "beta2", "weight_decay")
    answer_map = {"c": "c", "m": "m", "theta": "theta"}
    tolerances = {"theta": THETA_TOL}
    mistakes = ("lion_betas_swapped", "decay_not_scaled_by_lr", FORGOT_DECAY, "ascent_sign")
    # swapped β's rarely flip sign(c), so θ' hides them; the stored m always shows them, by
    # (β₂ − β₁)·(m − g): a draw with m ≈ g would grade the swap correct, and is redrawn
    must_distinguish = ("lion_betas_swapped", "ascent_sign")
    distinguish_on = {"lion_betas_swapped": "m"}

    def sample(self, s: Sampler) -> Row:
        scale = s.float("grad_scale")
        return {
            "theta": s.float("theta"),
            "grad": draw_grad(s, scale),
            "m": prior_moment(s, scale, "m"),
            "lr": s.float("lr"),
            "beta1": s.float("beta1"),
            "beta2": s.float("beta2"),
            "weight_decay": s.float("weight_decay"),
            "grad_scale": scale,
        }

    def hyperparameters(self, g: Row, mistake: str | None) -> dict[str, Any]:
        hp = super().hyperparameters(g, mistake)
        if mistake == "lion_betas_swapped":
            hp["betas"] = (g["beta2"], g["beta1"])
        return hp

    def state(self, g: Row) -> Any:
        return optim.LionState(m=[g["m"]])

    def acceptable(self, g: Row, a: Row) -> bool:
        # c well away from 0, so its sign is not a rounding accident
        return self.update_ok(g, a) and abs(a["c"]) >= 0.05 * g["grad_scale"]

    def prompt(self, g: Row) -> str:
        return (
            f"Lion with η = {fmt(g['lr'])}, β₁ = {fmt(g['beta1'])}, β₂ = {fmt(g['beta2'])} and "
            f"weight decay λ = {fmt(g['weight_decay'])} holds momentum m = {fmt(g['m'])}. The "
            f"parameter is θ = {fmt(g['theta'])} and its gradient g = {fmt(g['grad'])}. What are "
            "the interpolation c, the new m and the new θ?"
        )

    def convention(self, g: Row) -> list[str]:
        return [
            "Lion (Chen et al., 2023; lion-pytorch)",
            "θ ← θ·(1 − η·λ)      (decoupled weight decay first)",
            "c = β₁·m + (1−β₁)·g      (not stored)",
            "θ ← θ − η·sign(c)      (every coordinate moves by exactly η)",
            "m ← β₂·m + (1−β₂)·g      (the momentum uses β₂)",
        ]

    def solution(self, g: Row, a: Row) -> list[StepDict]:
        b1, b2, lr = fmt(g["beta1"]), fmt(g["beta2"]), fmt(g["lr"])
        decayed = a["tr_theta_decayed"] if "tr_theta_decayed" in a else g["theta"]
        # θ' = θ·(1−ηλ) − η·sign(c), graded to 0.1 % of a step of η: the decayed θ carried
        # with the digits that needs
        text = carried(decayed, self.tol("theta").rel * abs(a["theta"] - g["theta"]))
        return [
            step(
                "θ·(1−ηλ)",
                f"{par(g['theta'])}·(1 − {lr}·{fmt(g['weight_decay'])})",
                decayed,
                text,
            ),
            step("c", f"{b1}·{par(g['m'])} + (1−{b1})·{par(g['grad'])}", a["c"]),
            step("θ'", f"{text} − {lr}·sign({fmt(a['c'])})", a["theta"]),
            step("m", f"{b2}·{par(g['m'])} + (1−{b2})·{par(g['grad'])}", a["m"]),
        ]
