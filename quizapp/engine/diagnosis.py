"""Mistake diagnosis: which named wrong method would have produced the learner's number.

Each drill kind recomputes its answers with the engine under named wrong variants
(``optim.Mistakes(...)``, a schedule evaluated one step off, a floor instead of a ceiling …).
A wrong answer a for field F is diagnosed as mistake M when

    |a − x_M| ≤ width(x_M)   and   M is distinguishable: |x_M − x| > width(x) + width(x_M)

where x is the correct value, x_M the variant's value and width() the field's tolerance window
(see ``quizapp.engine.grading``). When several variants match, the nearest (in units of its
window) wins. A variant that coincides with the correct answer for this problem is never
reported.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from quizapp.engine.grading import accepted, distinguishable, tolerance_for, width

if TYPE_CHECKING:
    from quizapp.engine.drills.models import Tolerance

__all__ = ["MISTAKES", "diagnose", "distinguishable_mistakes"]

MISTAKES: dict[str, str] = {
    "no_bias_correction": (
        "You forgot bias correction: m̂ = m/(1−β₁ᵗ) and v̂ = v/(1−β₂ᵗ); without it m and v are "
        "biased toward their zero start early in training."
    ),
    "eps_inside_sqrt": (
        "You put ε inside the square root: PyTorch divides by √v̂ + ε, not √(v̂ + ε)."
    ),
    "no_sqrt": (
        "You divided by the second-moment estimate itself instead of its square root "
        "(the denominator is √v̂ + ε, not v̂ + ε)."
    ),
    "ascent_sign": (
        "You added the step instead of subtracting it: descent moves against the gradient, "
        "θ ← θ − η·(…)."
    ),
    "l2_instead_of_decoupled": (
        "You folded weight decay into the gradient (g + λθ, Adam's L2), but AdamW decouples "
        "it: θ ← θ·(1 − η·λ) directly, outside m and v."
    ),
    "decoupled_instead_of_l2": (
        "You decayed θ directly (AdamW style), but this drill uses L2: λθ is added to the "
        "gradient, g ← g + λθ, and then passes through m and v."
    ),
    "decay_not_scaled_by_lr": (
        "You applied the decay without the learning rate: decoupled decay is "
        "θ ← θ·(1 − η·λ), not θ·(1 − λ)."
    ),
    "wrong_step_t": (
        "Your step count t is off by one: t is incremented before the update, so the first "
        "step uses t = 1 and a state that has taken t steps makes step t + 1."
    ),
    "ema_momentum": (
        "You used an exponential moving average, b ← μ·b + (1−μ)·g; PyTorch SGD momentum "
        "(dampening 0) accumulates b ← μ·b + g."
    ),
    "plain_momentum": (
        "You took the classical momentum step θ ← θ − η·b; Nesterov (PyTorch form) steps "
        "along the look-ahead g + μ·b."
    ),
    "forgot_weight_decay": (
        "You left out the weight decay: with L2 (torch's weight_decay) the gradient is "
        "g + λθ before anything else."
    ),
    "schedule_off_by_one": (
        "You are one scheduler step off: the lr after k calls of scheduler.step() is the "
        "schedule at k (the first epoch runs at k = 0)."
    ),
    "floor_instead_of_ceil": (
        "You dropped the last partial batch: with drop_last=False an epoch has ⌈N/B⌉ steps."
    ),
    "ceil_instead_of_floor": (
        "You counted the last partial batch: with drop_last=True an epoch has ⌊N/B⌋ steps."
    ),
    "inverse_scaling": (
        "You scaled the learning rate the wrong way: the linear scaling rule is η' = η·B'/B "
        "(a bigger batch gets a bigger lr)."
    ),
    "sqrt_scaling": (
        "You used square-root scaling η·√(B'/B); this drill asks for the linear rule η·B'/B."
    ),
    "state_in_param_dtype": (
        "You stored the optimizer state in the parameters' dtype; the convention keeps "
        "optimizer state in fp32 (4 bytes per value)."
    ),
    "missing_second_moment": ("Adam keeps two state values per parameter (m and v), not one."),
    "gib_instead_of_gb": ("You used GiB (2³⁰ bytes); the drill asks for GB = 10⁹ bytes."),
    "bytes_not_gb": "That is the count in bytes; the drill asks for GB: divide by 10⁹.",
}


def distinguishable_mistakes(
    expected: float, tol: Tolerance, variants: Mapping[str, float]
) -> list[str]:
    """The mistake ids whose value differs from ``expected`` by more than both windows."""
    found = [m.split("@")[0] for m, v in variants.items() if distinguishable(v, expected, tol)]
    return list(dict.fromkeys(found))


def diagnose(
    answer: float,
    expected: float,
    tol: Tolerance,
    variants: Mapping[str, float],
    order: Iterable[str] | None = None,
) -> str | None:
    """The mistake id whose variant value the (wrong) ``answer`` matches, or None.

    Returns None when the answer is accepted for the correct value, when no distinguishable
    variant matches, and for variants equal (within tolerance) to the correct answer.
    """
    if accepted(answer, expected, tol):
        return None
    best: tuple[float, str] | None = None
    for m in order if order is not None else variants:
        v = variants.get(m)
        if v is None or not distinguishable(v, expected, tol):
            continue
        vt = tolerance_for(v, tol)
        if accepted(answer, v, vt):
            score = abs(answer - v) / width(vt)
            if best is None or score < best[0]:
                best = (score, m)
    # variant keys may carry a detail after "@" (schedule_off_by_one@-1): report the stable id
    return best[1].split("@")[0] if best else None
