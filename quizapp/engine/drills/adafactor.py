"""The adafactor-step drill: the first torch Adafactor step on a 2×2 weight — the factored
second moment (row and column means of g²), the relative step size and update clipping, all
read off the engine's ``adafactor`` trace."""

from __future__ import annotations

from typing import Any

import numpy as np

from quizapp.engine import optim
from quizapp.engine.drills.base import (
    DrillKind,
    FieldSpec,
    Row,
    StepDict,
    TolSpec,
    as_float,
    fmt,
    par,
    step,
)
from quizapp.engine.drills.sampling import Param, Sampler, round_sig

ENTRIES = ("11", "12", "21", "22")


def _sub(ij: str) -> str:
    return ij.translate(str.maketrans("12", "₁₂"))


class AdafactorStep(DrillKind):
    """A fresh torch Adafactor on W (2×2): R = row means of G², C = column means (β̂₂ = 0 at
    the first step), V̂ = R·Cᵀ/mean(R), U = G/√V̂, α = max(ε₂, RMS(W))·min(lr, 1/√1),
    W ← W − α·U/max(1, RMS(U)/d)."""

    id = "adafactor-step"
    title = "One Adafactor step (factored second moment)"
    description = (
        "Adafactor's first step on a 2×2 weight: row and column means of g² instead of a full "
        "v, a step relative to RMS(W), and update clipping."
    )
    topic = "adaptive"
    params = (
        Param("lr", "η", "float", (1e-3, 1e-2), (0.0, 1.0), log=True, sig=1, open_low=True),
        Param("grad_scale", "|g|", "float", (1e-3, 1.0), (1e-8, 1e6), log=True),
    )
    fields = (
        FieldSpec(name="row_var1", label="R₁", hint="row 1's mean of g²"),
        FieldSpec(name="col_var1", label="C₁", hint="column 1's mean of g²"),
        FieldSpec(name="v_hat11", label="V̂₁₁", hint="R₁·C₁/mean(R)"),
        FieldSpec(name="alpha", label="α", hint="max(ε₂, RMS(W))·ρ"),
        FieldSpec(name="rms_update", label="RMS(U)", hint="RMS of U = G/√V̂"),
        FieldSpec(name="theta11", label="W₁₁'", hint="to 0.1 % of ΔW₁₁: keep digits", primary=True),
    )
    given_order = (*(f"w{ij}" for ij in ENTRIES), *(f"g{ij}" for ij in ENTRIES), "lr")
    labels = {
        **{f"w{ij}": f"W{_sub(ij)}" for ij in ENTRIES},
        **{f"g{ij}": f"G{_sub(ij)}" for ij in ENTRIES},
        "lr": "η",
    }
    tolerances = {"theta11": TolSpec(origin="w11")}
    mistakes = ("adafactor_unfactored", "no_relative_step", "no_update_clipping", "ascent_sign")
    must_distinguish = ("no_relative_step",)

    def sample(self, s: Sampler) -> Row:
        scale = s.float("grad_scale")
        g: Row = {}
        for ij in ENTRIES:
            g[f"w{ij}"] = round_sig((0.1 + 0.9 * s.uniform(f"w{ij}")) * s.sign(f"ws{ij}"), 2)
        for ij in ENTRIES:
            mag = scale * (0.1 + 0.9 * s.uniform(f"g{ij}"))
            g[f"g{ij}"] = round_sig(mag, 2) * s.sign(f"gs{ij}")
        g["lr"] = s.float("lr")
        return g

    def solve(self, g: Row, mistake: str | None = None) -> Row:
        w = np.array([[g["w11"], g["w12"]], [g["w21"], g["w22"]]])
        grad = np.array([[g["g11"], g["g12"]], [g["g21"], g["g22"]]])
        hp: dict[str, Any] = {"lr": g["lr"]}
        if mistake == "no_relative_step":  # α = ρ: with ε₂ = 1 > RMS(W) the engine gives that
            hp["eps"] = (None, 1.0)
        if mistake == "no_update_clipping":
            hp["d"] = 1e12
        opt = optim.get("adafactor", **hp)
        knobs = optim.Mistakes.of("ascent_sign") if mistake == "ascent_sign" else None
        if mistake == "adafactor_unfactored":  # the same Adafactor on W as one vector: full v
            flat, state = w.reshape(-1), opt.init(w.reshape(-1))
            new, _, tr = opt.step_trace(flat, grad.reshape(-1), state, knobs)
            new, v_hat = new.reshape(2, 2), tr["v_hat"].reshape(2, 2)
            rows = cols = np.full((2, 1), np.nan)
        else:
            new, _, tr = opt.step_trace(w, grad, opt.init(w), knobs)
            v_hat, rows, cols = tr["v_hat"], tr["row_var"], tr["col_var"].reshape(2, 1)
        return {
            "row_var1": float(rows[0, 0]),
            "row_var2": float(rows[1, 0]),
            "col_var1": float(cols[0, 0]),
            "col_var2": float(cols[1, 0]),
            "v_hat11": float(v_hat[0, 0]),
            "alpha": as_float(tr["alpha"]),
            "rms_theta": as_float(tr["rms_theta"]),
            "rms_update": as_float(tr["rms_update"]),
            "clip_denom": as_float(tr["clip_denom"]),
            "u11": float(tr["update_unclipped"].reshape(2, 2)[0, 0]),
            "theta11": float(new[0, 0]),
        }

    def acceptable(self, g: Row, a: Row) -> bool:
        return abs(a["theta11"] - g["w11"]) > 1e-6 * max(1.0, abs(g["w11"]))

    def prompt(self, g: Row) -> str:
        w = f"({fmt(g['w11'])}, {fmt(g['w12'])}) and ({fmt(g['w21'])}, {fmt(g['w22'])})"
        gr = f"({fmt(g['g11'])}, {fmt(g['g12'])}) and ({fmt(g['g21'])}, {fmt(g['g22'])})"
        return (
            f"A fresh torch.optim.Adafactor (lr = {fmt(g['lr'])}, defaults otherwise: "
            "beta2_decay −0.8, eps (None, 1e−3), d = 1, no weight decay) takes its first step on "
            f"a 2×2 weight W with rows {w}; the gradient G has rows {gr}. What are R₁ and C₁ "
            "(row 1's and "
            "column 1's mean of g²), V̂₁₁, the step size α, RMS(U), and W₁₁ after the step?"
        )

    def convention(self, g: Row) -> list[str]:
        return [
            "PyTorch torch.optim.Adafactor, first step (s = 1): β̂₂ = 1 − s^−0.8 = 0, so R and C "
            "are the new means themselves",
            "R = mean of g² over each row, C = mean of g² over each column",
            "V̂ = R·Cᵀ / mean(R)      (a rank-1 estimate of g²: 2 + 2 numbers, not 4)",
            "U = G / √V̂,  RMS(U) = ‖U‖/√4",
            "ρ = min(lr, 1/√s),  α = max(ε₂, RMS(W))·ρ      (relative step size)",
            "W ← W − α·U / max(1, RMS(U)/d)      (update clipping, d = 1)",
        ]

    def solution(self, g: Row, a: Row) -> list[StepDict]:
        return [
            step("R₁", f"({par(g['g11'])}² + {par(g['g12'])}²)/2", a["row_var1"]),
            step("R₂", f"({par(g['g21'])}² + {par(g['g22'])}²)/2", a["row_var2"]),
            step("C₁", f"({par(g['g11'])}² + {par(g['g21'])}²)/2", a["col_var1"]),
            step("C₂", f"({par(g['g12'])}² + {par(g['g22'])}²)/2", a["col_var2"]),
            step(
                "V̂₁₁",
                f"{fmt(a['row_var1'])}·{fmt(a['col_var1'])}/(({fmt(a['row_var1'])} + "
                f"{fmt(a['row_var2'])})/2)",
                a["v_hat11"],
            ),
            step("U₁₁", f"{par(g['g11'])}/√{fmt(a['v_hat11'])}", a["u11"]),
            step("RMS(U)", "√(mean of U²) over the four entries", a["rms_update"]),
            step("RMS(W)", "√(mean of W²)", a["rms_theta"]),
            step("α", f"max(0.001, {fmt(a['rms_theta'])})·{fmt(g['lr'])}", a["alpha"]),
            step(
                "W₁₁'",
                f"{fmt(g['w11'])} − {fmt(a['alpha'])}·{par(a['u11'])}/{fmt(a['clip_denom'])}",
                a["theta11"],
            ),
        ]
