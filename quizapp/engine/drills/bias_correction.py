"""The bias-correction drill: Adam's factors 1−β₁ᵗ, 1−β₂ᵗ and what they do to m̂ and v̂.

A small engine function of its own (``bias_correction``); the mistake variants call it with
t − 1 or with the correction left out."""

from __future__ import annotations

import numpy as np

from quizapp.engine.drills.base import Arrays, DrillKind, Row, StepDict, fmt, register, step
from quizapp.engine.drills.models import AnswerField
from quizapp.engine.drills.sampling import Param, Sampler


def bias_correction(beta: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Adam's bias-correction factor 1 − βᵗ (t = the 1-based number of the step)."""
    return 1.0 - np.asarray(beta, dtype=np.float64) ** np.asarray(t, dtype=np.float64)


# ---- bias correction --------------------------------------------------------------------
@register
class BiasCorrection(DrillKind):
    """1 − β₁ᵗ, 1 − β₂ᵗ, m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ)."""

    id = "bias-correction"
    title = "Adam's bias correction"
    description = "The factors 1−β₁ᵗ, 1−β₂ᵗ and what they do to m̂ and v̂ early in training."
    topic = "adam"
    params = (
        Param("t", "t", "int", (1, 10), (1, 100_000)),
        Param("beta1", "β₁", "float", (0.8, 0.95), (0.0, 1.0), open_high=True),
        Param("beta2", "β₂", "float", (0.99, 0.999), (0.0, 1.0), sig=3, open_high=True),
        Param("m", "m", "float", (0.01, 0.5), (-1e6, 1e6)),
        Param("v", "v", "float", (1e-4, 1e-2), (0.0, 1e12), log=True),
    )
    fields = (
        AnswerField(name="bias_correction1", label="1−β₁ᵗ", hint="first-moment correction factor"),
        AnswerField(name="bias_correction2", label="1−β₂ᵗ", hint="second-moment correction factor"),
        AnswerField(name="m_hat", label="m̂", hint="bias-corrected first moment", primary=True),
        AnswerField(name="v_hat", label="v̂", hint="bias-corrected second moment"),
    )
    primary = "m_hat"
    given_order = ("m", "v", "t", "beta1", "beta2")
    labels = {"m": "m", "v": "v", "t": "t", "beta1": "β₁", "beta2": "β₂"}
    int_inputs = frozenset({"t"})
    mistakes = ("no_bias_correction", "wrong_step_t")
    must_distinguish = ("no_bias_correction",)

    def sample(self, s: Sampler) -> Arrays:
        return {
            "m": s.float("m") * s.sign("m_sign"),
            "v": s.float("v"),
            "t": s.int("t"),
            "beta1": s.float("beta1"),
            "beta2": s.float("beta2"),
        }

    def solve(self, g: Arrays, mistake: str | None = None) -> Arrays:
        t = np.asarray(g["t"], dtype=np.float64)
        if mistake == "wrong_step_t":
            t = t - 1  # t = 0 gives 1 − β⁰ = 0: a division by zero, never "distinguishable"
        bc1, bc2 = bias_correction(g["beta1"], t), bias_correction(g["beta2"], t)
        if mistake == "no_bias_correction":
            bc1, bc2 = np.ones_like(bc1), np.ones_like(bc2)
        return {
            "bias_correction1": bc1,
            "bias_correction2": bc2,
            "m_hat": np.asarray(g["m"]) / bc1,
            "v_hat": np.asarray(g["v"]) / bc2,
        }

    def prompt(self, g: Row) -> str:
        return (
            f"After step t = {g['t']}, Adam holds m = {fmt(g['m'])} and v = {fmt(g['v'])} "
            f"(β₁ = {fmt(g['beta1'])}, β₂ = {fmt(g['beta2'])}). Compute the bias-correction "
            "factors 1−β₁ᵗ and 1−β₂ᵗ, and the corrected moments m̂ and v̂."
        )

    def convention(self, g: Row) -> list[str]:
        return [
            "t counts steps from 1 (m and v are the values after step t)",
            "m̂ = m / (1 − β₁ᵗ)",
            "v̂ = v / (1 − β₂ᵗ)",
        ]

    def solution(self, g: Row, a: Row) -> list[StepDict]:
        t = g["t"]
        return [
            step(
                label="1−β₁ᵗ", expression=f"1 − {fmt(g['beta1'])}^{t}", value=a["bias_correction1"]
            ),
            step(
                label="1−β₂ᵗ", expression=f"1 − {fmt(g['beta2'])}^{t}", value=a["bias_correction2"]
            ),
            step(
                label="m̂",
                expression=f"{fmt(g['m'])} / {fmt(a['bias_correction1'])}",
                value=a["m_hat"],
            ),
            step(
                label="v̂",
                expression=f"{fmt(g['v'])} / {fmt(a['bias_correction2'])}",
                value=a["v_hat"],
            ),
        ]
