"""Step-size limits and decay over a run: max-stable-lr (gradient descent on a quadratic) and
weight-decay-shrink (AdamW's decoupled decay compounded over N steps).

The per-step factors are read off the engine (one ``sgd`` step on the quadratic, the
``decay_factor`` of one ``adamw`` step); the limits are the small functions below."""

from __future__ import annotations

import math

import numpy as np

from quizapp.engine import optim
from quizapp.engine.drills.base import DrillKind, FieldSpec, Row, StepDict, as_float, fmt, par, step
from quizapp.engine.drills.sampling import Param, Sampler, round_sig


def max_stable_lr(curvature: float) -> float:
    """Gradient descent on a quadratic multiplies the coordinate along an eigenvector of
    curvature λ by (1 − η·λ) per step; it converges iff |1 − η·λ| < 1 for every λ, i.e.
    η < 2/L with L the largest curvature."""
    return 2.0 / curvature


def best_constant_lr(largest: float, smallest: float) -> float:
    """The η minimising max |1 − η·λ| over curvatures in [μ, L]: 2/(L + μ), which contracts
    every coordinate by at most (κ − 1)/(κ + 1), κ = L/μ."""
    return 2.0 / (largest + smallest)


class MaxStableLR(DrillKind):
    """η_max = 2/L, the factor 1 − η·L of one engine SGD step, and η* = 2/(L + μ)."""

    id = "max-stable-lr"
    title = "The largest stable learning rate on a quadratic"
    description = (
        "Gradient descent on f(x, y) = ½(L·x² + μ·y²): the stability limit 2/L, the per-step "
        "factor along the stiff direction, and the best constant step 2/(L + μ)."
    )
    topic = "convergence"
    params = (
        # sharpness 10…1000: η_max = 2/L from 0.2 down to 0.002, SGD's range
        Param("L", "L", "float", (10.0, 1000.0), (1e-6, 1e6), log=True),
        Param("kappa", "κ", "float", (2.0, 100.0), (1.0, 1e6), log=True, sig=1),
        Param(
            "lr_ratio", "η·L", "float", (0.3, 2.5), (0.0, 10.0), description="the η asked about, ×L"
        ),
    )
    fields = (
        FieldSpec(
            name="max_lr", label="η_max", hint="the largest η that still converges", primary=True
        ),
        FieldSpec(name="stiff_factor", label="1 − η·L", hint="per-step factor of x at the given η"),
        FieldSpec(name="best_lr", label="η*", hint="the best constant step 2/(L + μ)"),
    )
    given_order = ("L", "mu", "lr")
    labels = {"L": "L", "mu": "μ", "lr": "η"}
    mistakes = ("smallest_curvature", "one_over_L")
    must_distinguish = ("smallest_curvature", "one_over_L")

    def sample(self, s: Sampler) -> Row:
        big = s.float("L")
        mu = round_sig(big / s.float("kappa"), 2)
        return {"L": big, "mu": mu, "lr": round_sig(s.float("lr_ratio") / big, 2)}

    def solve(self, g: Row, mistake: str | None = None) -> Row:
        big, mu = g["L"], g["mu"]
        # one engine SGD step at (x, y) = (1, 1): the gradient is (L, μ)
        opt = optim.get("sgd", lr=g["lr"])
        new, _ = opt.step(np.ones(2), np.array([big, mu]), optim.SGDState())
        limit = {"smallest_curvature": mu, "one_over_L": 2.0 * big}.get(mistake or "", big)
        return {
            "max_lr": max_stable_lr(limit),
            "stiff_factor": float(new[0]),
            "flat_factor": float(new[1]),
            "best_lr": best_constant_lr(big, mu),
            "rate": (big / mu - 1) / (big / mu + 1),
        }

    def acceptable(self, g: Row, a: Row) -> bool:
        return g["mu"] < g["L"] and abs(abs(a["stiff_factor"]) - 1) > 0.05

    def prompt(self, g: Row) -> str:
        return (
            f"Gradient descent (torch.optim.SGD, no momentum) minimises f(x, y) = ½(L·x² + μ·y²) "
            f"with L = {fmt(g['L'])} and μ = {fmt(g['mu'])}. What is the largest learning rate "
            f"that still converges, by what factor 1 − η·L does x change per step at "
            f"η = {fmt(g['lr'])} (|factor| > 1 diverges), and which constant η is best?"
        )

    def convention(self, g: Row) -> list[str]:
        return [
            "one step: x ← x − η·L·x = (1 − η·L)·x,  y ← (1 − η·μ)·y",
            "converges iff |1 − η·λ| < 1 for every curvature λ  ⇔  η < 2/L (L the largest)",
            "best constant step η* = 2/(L + μ): every coordinate shrinks by ≤ (κ − 1)/(κ + 1)",
        ]

    def solution(self, g: Row, a: Row) -> list[StepDict]:
        big, mu = fmt(g["L"]), fmt(g["mu"])
        return [
            step("η_max", f"2/L = 2/{big}", a["max_lr"]),
            step(
                "1 − η·L",
                f"1 − {fmt(g['lr'])}·{big}   (one SGD step from x = 1)",
                a["stiff_factor"],
            ),
            step("η*", f"2/({big} + {mu})", a["best_lr"]),
            step("(κ − 1)/(κ + 1)", f"rate at η*, κ = {big}/{mu}", a["rate"]),
        ]


class WeightDecayShrink(DrillKind):
    """AdamW's decoupled decay alone, compounded: θ_N/θ_0 = (1 − η·λ)ᴺ, time constant
    1/(η·λ) steps; the AdamW paper's λ (schedule multiplier 1) is torch's η·λ."""

    id = "weight-decay-shrink"
    title = "How much AdamW's weight decay shrinks a weight"
    description = (
        "Decoupled decay θ ← θ·(1 − η·λ) compounded over N steps, its time constant 1/(ηλ), "
        "and torch's λ versus the AdamW paper's."
    )
    topic = "adamw"
    params = (
        Param("lr", "η", "float", (1e-4, 1e-3), (0.0, 10.0), log=True, sig=1, open_low=True),
        Param(
            "weight_decay", "λ", "float", (0.01, 0.1), (0.0, 10.0), log=True, sig=1, open_low=True
        ),
        Param("steps", "N", "int", (10_000, 300_000), (1, 10**9), log=True),
    )
    fields = (
        FieldSpec(name="decay_factor", label="1 − ηλ", hint="the factor of one step"),
        FieldSpec(name="time_constant", label="1/(ηλ)", hint="steps to shrink by e"),
        FieldSpec(name="paper_lambda", label="λ (paper)", hint="the AdamW paper's λ"),
        FieldSpec(name="shrink", label="θ_N/θ₀", hint="after N steps of decay alone", primary=True),
    )
    given_order = ("lr", "weight_decay", "steps")
    labels = {"lr": "η", "weight_decay": "λ", "steps": "N"}
    mistakes = ("decay_not_scaled_by_lr", "linear_decay")
    must_distinguish = ("linear_decay",)

    def sample(self, s: Sampler) -> Row:
        n = s.int("steps")
        if not s.fixed("steps"):
            n = int(round_sig(n, 2))
        return {"lr": s.float("lr"), "weight_decay": s.float("weight_decay"), "steps": n}

    def solve(self, g: Row, mistake: str | None = None) -> Row:
        opt = optim.get("adamw", lr=g["lr"], weight_decay=g["weight_decay"])
        knobs = optim.Mistakes.of(mistake) if mistake == "decay_not_scaled_by_lr" else None
        zero = np.zeros(1)
        _, _, tr = opt.step_trace(np.ones(1), zero, opt.init(zero), knobs)
        factor = as_float(tr["decay_factor"])
        n = g["steps"]
        shrink = 1 - n * (1 - factor) if mistake == "linear_decay" else factor**n
        return {
            "decay_factor": factor,
            "time_constant": 1 / (1 - factor),
            "paper_lambda": g["lr"] * g["weight_decay"],
            "shrink": shrink,
            "exp_approx": math.exp(-n * g["lr"] * g["weight_decay"]),
        }

    def acceptable(self, g: Row, a: Row) -> bool:
        return 1e-3 < a["shrink"] < 0.95

    def prompt(self, g: Row) -> str:
        return (
            f"torch.optim.AdamW runs with η = {fmt(g['lr'])} and weight_decay λ = "
            f"{fmt(g['weight_decay'])}. Ignoring the gradient, what fraction of a weight is left "
            f"after N = {fmt(g['steps'])} steps? Also give the factor of one step, the time "
            "constant in steps, and the λ the AdamW paper would write for the same decay."
        )

    def convention(self, g: Row) -> list[str]:
        return [
            "torch.optim.AdamW: θ ← θ·(1 − η·λ) every step (torch multiplies λ by the lr)",
            "N steps: θ_N = θ₀·(1 − η·λ)ᴺ ≈ θ₀·e^(−N·η·λ);  time constant 1/(η·λ) steps",
            "AdamW paper (Loshchilov & Hutter): θ ← θ − η_t·λ·θ with η_t the schedule "
            "multiplier, not the lr: with η_t = 1, paper λ = torch's η·λ",
        ]

    def solution(self, g: Row, a: Row) -> list[StepDict]:
        lr, lam = fmt(g["lr"]), fmt(g["weight_decay"])
        return [
            step("1 − ηλ", f"1 − {lr}·{lam}", a["decay_factor"]),
            step("1/(ηλ)", f"1/({lr}·{lam})", a["time_constant"]),
            step("λ (paper)", f"{lr}·{lam}", a["paper_lambda"]),
            step("θ_N/θ₀", f"{par(a['decay_factor'])}^{fmt(g['steps'])}", a["shrink"]),
            step("≈", f"e^(−{fmt(g['steps'])}·{lr}·{lam})", a["exp_approx"]),
        ]
