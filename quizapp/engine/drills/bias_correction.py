"""Adam's bias correction: the factors 1−β₁ᵗ, 1−β₂ᵗ on a state a real run reaches
(bias-correction), and how far the uncorrected step overshoots (adam-overshoot).

The factors are read off the engine's Adam trace (``bias_correction1``/``2``), the overshoot
off the engine's update with and without ``Mistakes(no_bias_correction=True)``."""

from __future__ import annotations

import math

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
from quizapp.engine.drills.optim_common import adam_history
from quizapp.engine.drills.sampling import Param, Sampler

BETA1 = Param("beta1", "β₁", "float", (0.8, 0.95), (0.0, 1.0), open_high=True)
BETA2 = Param("beta2", "β₂", "float", (0.95, 0.999), (0.0, 1.0), sig=3, open_high=True)
LABELS = {"m": "m", "v": "v", "t": "t", "beta1": "β₁", "beta2": "β₂"}


def corrections(beta1: float, beta2: float, t: int, mistake: str | None) -> tuple[float, float]:
    """(1 − β₁ᵗ, 1 − β₂ᵗ) for the t-th step, from the trace of the engine's Adam taking that
    step (under ``mistake`` when it is one of the engine's knobs)."""
    opt = optim.get("adam", lr=0.0, betas=(beta1, beta2))
    knobs = optim.Mistakes.of(mistake) if mistake in optim.Mistakes.ids() else None
    zero = np.zeros(1)
    _, _, tr = opt.step_trace(zero, zero, optim.AdamState(m=zero, v=zero, t=t - 1), knobs)
    return as_float(tr["bias_correction1"]), as_float(tr["bias_correction2"])


class BiasCorrection(DrillKind):
    """1 − β₁ᵗ, 1 − β₂ᵗ, m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ) for the state after t steps."""

    id = "bias-correction"
    title = "Adam's bias correction"
    description = "The factors 1−β₁ᵗ, 1−β₂ᵗ and what they do to m̂ and v̂ early in training."
    topic = "adam"
    labels = LABELS
    params = (
        Param("t", "t", "int", (1, 10), (1, 5000), description="steps taken"),
        BETA1,
        BETA2,
        Param(
            "grad_scale",
            "|g|",
            "float",
            (0.01, 1.0),
            (1e-8, 1e6),
            log=True,
            description="typical gradient magnitude of the run",
        ),
    )
    fields = (
        FieldSpec(name="bias_correction1", label="1−β₁ᵗ", hint="first-moment correction factor"),
        FieldSpec(name="bias_correction2", label="1−β₂ᵗ", hint="second-moment correction factor"),
        FieldSpec(name="m_hat", label="m̂", hint="bias-corrected first moment", primary=True),
        FieldSpec(name="v_hat", label="v̂", hint="bias-corrected second moment"),
    )
    given_order = ("m", "v", "t", "beta1", "beta2")
    mistakes = ("no_bias_correction", "wrong_step_t")
    must_distinguish = ("no_bias_correction",)

    def sample(self, s: Sampler) -> Row:
        t, b1, b2 = s.int("t"), s.float("beta1"), s.float("beta2")
        m, v, _ = adam_history(s, s.float("grad_scale"), b1, b2, t)
        return {"m": m, "v": v, "t": t, "beta1": b1, "beta2": b2}

    def solve(self, g: Row, mistake: str | None = None) -> Row:
        bc1, bc2 = corrections(g["beta1"], g["beta2"], g["t"], mistake)
        with np.errstate(all="ignore"):  # t − 1 = 0 under wrong_step_t: 1 − β⁰ = 0
            m_hat, v_hat = np.divide(g["m"], bc1), np.divide(g["v"], bc2)
        return {
            "bias_correction1": bc1,
            "bias_correction2": bc2,
            "m_hat": float(m_hat),
            "v_hat": float(v_hat),
        }

    def acceptable(self, g: Row, a: Row) -> bool:
        return abs(g["m"]) > 0 and g["v"] > 0

    def prompt(self, g: Row) -> str:
        return (
            f"After t = {g['t']} steps, Adam holds m = {fmt(g['m'])} and v = {fmt(g['v'])} "
            f"(β₁ = {fmt(g['beta1'])}, β₂ = {fmt(g['beta2'])}, started from m = v = 0). Compute "
            "the bias-correction factors 1−β₁ᵗ and 1−β₂ᵗ, and the corrected moments m̂ and v̂."
        )

    def convention(self, g: Row) -> list[str]:
        return [
            "t = the number of steps taken (m and v are the values after step t; t = 1 after "
            "the first step)",
            "m̂ = m / (1 − β₁ᵗ)",
            "v̂ = v / (1 − β₂ᵗ)",
            "after the first step m = (1−β₁)·g₁ and v = (1−β₂)·g₁², so m̂ = g₁ and v̂ = g₁²",
        ]

    def solution(self, g: Row, a: Row) -> list[StepDict]:
        t = g["t"]
        out = [
            step("1−β₁ᵗ", f"1 − {fmt(g['beta1'])}^{t}", a["bias_correction1"]),
            step("1−β₂ᵗ", f"1 − {fmt(g['beta2'])}^{t}", a["bias_correction2"]),
            step("m̂", f"{par(g['m'])} / {fmt(a['bias_correction1'])}", a["m_hat"]),
            step("v̂", f"{fmt(g['v'])} / {fmt(a['bias_correction2'])}", a["v_hat"]),
        ]
        if t == 1:
            out.append(step("check", "t = 1: m̂ = g₁ and v̂ = g₁², so |m̂| = √v̂", None))
        return out


def overshoot(beta1: float, beta2: float, steps: np.ndarray, mistake: str | None) -> np.ndarray:
    """The uncorrected ÷ corrected Adam update for m = v = g = 1 (what a constant gradient
    from zero state gives, up to the corrections), ε = 0, with ``steps`` steps already taken:
    one batched engine step (``no_sqrt``, ``wrong_step_t`` as the engine's knobs). For m = v
    = 1 the uncorrected update is exactly −η·m/√v = −1."""
    opt = optim.get("adam", lr=1.0, betas=(beta1, beta2), eps=0.0)
    extra = (mistake,) if mistake in ("no_sqrt", "wrong_step_t") else ()
    ones = np.ones(len(steps))
    state = optim.AdamState(m=ones, v=ones, t=steps.astype(np.float64))
    _, _, right = opt.step_trace(ones, ones, state, optim.Mistakes.of(*extra))
    with np.errstate(all="ignore"):
        return -1.0 / right["update"]


def steps_within(beta1: float, beta2: float, mistake: str | None, tol: float = 0.01) -> int:
    """The first step t from which |factor − 1| ≤ ``tol`` at every later step. Past the peak
    the factor falls monotonically to 1 (β₁ < β₂), and past the horizon where β₂ᵗ < 0.005 it
    is within 0.3 % of 1; so a grid every 32 steps finds the last step outside, and one more
    engine call over those 32 steps pins it."""
    horizon = math.ceil(math.log(0.005) / math.log(beta2)) + 1
    coarse = np.arange(0, horizon, 32)
    out = np.nonzero(~(np.abs(overshoot(beta1, beta2, coarse, mistake) - 1) <= tol))[0]
    if not out.size:
        return 1
    fine = np.arange(coarse[out[-1]], coarse[out[-1]] + 32)
    off = np.nonzero(~(np.abs(overshoot(beta1, beta2, fine, mistake) - 1) <= tol))[0]
    return int(fine[off[-1]]) + 2  # fine[i] steps taken → step fine[i] + 1 is off


class AdamOvershoot(DrillKind):
    """Without bias correction, Adam's step under a constant gradient from m = v = 0 is the
    corrected step (≈ η) times (1 − β₁ᵗ)/√(1 − β₂ᵗ): read off the engine as the ratio of its
    uncorrected to its corrected update, at every t up to the horizon where β₂ᵗ < 10⁻⁴."""

    id = "adam-overshoot"
    title = "How far Adam overshoots without bias correction"
    description = (
        "The factor (1 − β₁ᵗ)/√(1 − β₂ᵗ) by which an uncorrected Adam step is too large, and "
        "how many steps pass before it is within 1 % of the corrected step."
    )
    topic = "adam"
    labels = LABELS
    params = (
        BETA1,
        Param("beta2", "β₂", "float", (0.99, 0.999), (0.5, 0.9999), sig=3, open_high=True),
        Param("t", "t", "int", (1, 100), (1, 100_000), log=True, description="the step asked"),
    )
    fields = (
        FieldSpec(
            name="factor",
            label="(1−β₁ᵗ)/√(1−β₂ᵗ)",
            hint="uncorrected step ÷ corrected step at step t",
            primary=True,
        ),
        FieldSpec(
            name="steps_within_1pct",
            label="steps to 1 %",
            hint="first step from which it stays within 1 %",
        ),
    )
    given_order = ("t", "beta1", "beta2")
    tolerances = {"steps_within_1pct": TolSpec(rel=0.01, abs=1.0)}
    mistakes = ("no_sqrt", "wrong_step_t")
    must_distinguish = ("no_sqrt",)

    def sample(self, s: Sampler) -> Row:
        return {"t": s.int("t"), "beta1": s.float("beta1"), "beta2": s.float("beta2")}

    def solve(self, g: Row, mistake: str | None = None) -> Row:
        b1, b2, t = g["beta1"], g["beta2"], g["t"]
        # the first steps, past the peak (near 2/(1 − β₁) steps at most), in one engine call
        n = max(100, math.ceil(5 / (1 - b1)))
        early = overshoot(b1, b2, np.arange(n), mistake)  # [i]: step i + 1
        at_t = early[t - 1] if t <= n else overshoot(b1, b2, np.array([t - 1]), mistake)[0]
        return {
            "factor": float(at_t),
            "steps_within_1pct": float(steps_within(b1, b2, mistake)),
            "first_factor": float(early[0]),
            "peak_factor": float(np.nanmax(early)),
            "peak_step": float(np.nanargmax(early) + 1),
        }

    def acceptable(self, g: Row, a: Row) -> bool:
        # a visible overshoot (a forgotten square root clearly elsewhere: must_distinguish)
        return g["beta1"] < g["beta2"] and abs(a["factor"] - 1) > 0.02

    def prompt(self, g: Row) -> str:
        return (
            f"Adam with β₁ = {fmt(g['beta1'])} and β₂ = {fmt(g['beta2'])} sees a constant "
            "gradient from m = v = 0. If you forgot bias correction, by what factor would step "
            f"t = {g['t']} be too large (uncorrected ÷ corrected step, ε ≈ 0)? From which step "
            "on does that factor stay within 1 % of 1?"
        )

    def convention(self, g: Row) -> list[str]:
        return [
            "constant gradient g from m = v = 0: m = (1−β₁ᵗ)·g, v = (1−β₂ᵗ)·g²",
            "corrected step: η·m̂/√v̂ = η·sign(g);  uncorrected: η·m/√v",
            "factor = uncorrected ÷ corrected = (1 − β₁ᵗ)/√(1 − β₂ᵗ)   (ε neglected)",
            "steps to 1 %: the first t from which |factor − 1| ≤ 0.01 at every later step "
            "(graded to ±1 %)",
        ]

    def solution(self, g: Row, a: Row) -> list[StepDict]:
        t, b1, b2 = g["t"], fmt(g["beta1"]), fmt(g["beta2"])
        return [
            step("factor at t", f"(1 − {b1}^{t}) / √(1 − {b2}^{t})", a["factor"]),
            step("at t = 1", f"(1 − {b1}) / √(1 − {b2})", a["first_factor"]),
            step("largest factor", f"at t = {fmt(a['peak_step'])}", a["peak_factor"]),
            step(
                "steps to 1 %",
                f"β₁ᵗ ≈ 0 by then: 1/√(1 − {b2}^t) ≤ 1.01 ⇔ t ≥ ln(1 − 1/1.01²)/ln {b2}",
                a["steps_within_1pct"],
            ),
        ]
