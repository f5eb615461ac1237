"""Mistake diagnosis: which named wrong method would have produced the learner's number.

Each drill kind recomputes its answers with the engine under named wrong variants
(``optim.Mistakes(...)``, a schedule evaluated one step off, a floor instead of a ceiling …).
A wrong answer a for field F is diagnosed as mistake M when

    |a − x_M| ≤ width(x_M)   and   M is distinguishable: |x_M − x| > width(x) + width(x_M)

where x is the correct value, x_M the variant's value and width() the field's tolerance window
(see ``quizapp.engine.grading``). When several variants match, the nearest (in units of its
window) wins. A variant that coincides with the correct answer for this problem is never
reported. Typing the field's unchanged value (θ before the step) is its own mistake,
``unchanged_value``; typing the step Δθ (or −Δθ) instead of the new value θ + Δθ is
``step_not_new_value`` (both read off the field's origin and exact value). A number that is not
whole for a count (steps per epoch, decays, T_cur, lr cuts: an integer field) is
``not_whole_number``, typically the quotient before rounding (N/B = 731.25 for ⌊N/B⌋ = 731).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from quizapp.engine.grading import accepted, distinguishable, is_whole, tolerance_for, width

if TYPE_CHECKING:
    from quizapp.engine.drills.models import Tolerance

__all__ = [
    "MISTAKES",
    "NOT_WHOLE",
    "STEP_ONLY",
    "UNCHANGED",
    "diagnose",
    "distinguishable_mistakes",
    "is_not_whole",
    "is_step_only",
    "is_unchanged",
    "suspects",
]

UNCHANGED = "unchanged_value"
STEP_ONLY = "step_not_new_value"
NOT_WHOLE = "not_whole_number"

MISTAKES: dict[str, str] = {
    UNCHANGED: (
        "That is the value before the step, unchanged: the answer is where the step takes it "
        "(θ + Δθ, or θ·(1−ηλ) + Δθ under decoupled weight decay; see the solution)."
    ),
    STEP_ONLY: (
        "You gave the step Δθ (or its negative), not the new value: θ′ = θ + Δθ, or "
        "θ·(1−ηλ) + Δθ under decoupled weight decay (see the solution)."
    ),
    NOT_WHOLE: (
        "The answer counts steps (or decays, lr cuts): it is a whole number. Round the "
        "quotient as the setup does: ⌈N/B⌉ with drop_last=False, ⌊N/B⌋ with drop_last=True."
    ),
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
    "old_second_moment": (
        "You divided by the old v: RMSprop first updates v ← α·v + (1−α)·g², then steps "
        "with √v + ε of the new v."
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
        "You applied the decay without the learning rate: torch's decoupled decay is "
        "θ ← θ·(1 − η·λ), not θ·(1 − λ)."
    ),
    "linear_decay": (
        "Decay compounds: after N steps θ is θ₀·(1 − ηλ)ᴺ ≈ θ₀·e^(−Nηλ), not θ₀·(1 − Nηλ)."
    ),
    "wrong_step_t": (
        "Your step count t is off by one: t is incremented before the update, so the first "
        "step uses t = 1 and a state that has taken t steps makes step t + 1."
    ),
    "ema_momentum": (
        "You used an exponential moving average, b ← μ·b + (1−μ)·g; PyTorch SGD momentum "
        "(dampening 0) accumulates b ← μ·b + g, which grows toward g/(1 − μ)."
    ),
    "dampened_first_step": (
        "torch's first momentum step copies the gradient, b₁ = g₁: no dampening and no μ·0 "
        "term; dampening applies from step 2 on, b ← μ·b + (1 − τ)·g."
    ),
    "plain_momentum": (
        "You took the classical momentum step θ ← θ − η·b; Nesterov (PyTorch form) steps "
        "along the look-ahead g + μ·b."
    ),
    "forgot_weight_decay": (
        "You left out the weight decay. L2 (weight_decay in torch's SGD and Adam) adds λθ to "
        "the gradient before anything else; decoupled decay (AdamW, Lion) first scales θ by "
        "(1 − η·λ)."
    ),
    "constant_effective_lr": (
        "Adagrad's G keeps summing g², so the step shrinks like η/√k under a constant "
        "gradient; you took the same step every time, as if G were reset."
    ),
    "bias_corrected_rmsprop": (
        "RMSprop has no bias correction: from v = 0 the first v is (1 − α)·g², so the first "
        "step is ≈ η/√(1 − α), not η."
    ),
    "eps_ignored": (
        "ε is not negligible here: with ε ≫ √v̂ the denominator is ≈ ε and the step is "
        "≈ η·m̂/ε, not a step of size ≈ η."
    ),
    "lion_betas_swapped": (
        "Lion takes the sign of c = β₁·m + (1−β₁)·g but stores m ← β₂·m + (1−β₂)·g: "
        "you swapped β₁ and β₂."
    ),
    "schedule_off_by_one": (
        "You are one scheduler step off: the lr after k calls of scheduler.step() is the "
        "schedule at k (the first epoch runs at k = 0)."
    ),
    "restart_period_not_multiplied": (
        "Each restart multiplies the cycle length by T_mult: the cycles last T₀, T₀·T_mult, "
        "T₀·T_mult² … steps."
    ),
    "decay_from_step_zero": (
        "The decay's own step count restarts at its milestone: after W + S steps it has taken "
        "j = k − (W + S) steps, not k."
    ),
    "plateau_patience_off_by_one": (
        "ReduceLROnPlateau cuts only when the bad epochs exceed patience: with patience p the "
        "cut comes at the (p + 1)-th bad epoch in a row."
    ),
    "plateau_threshold_ignored": (
        "An epoch only counts as better when the loss beats best·(1 − 1e−4): a smaller gain "
        "is a bad epoch (threshold 1e−4, mode 'rel')."
    ),
    "per_tensor_clipping": (
        "clip_grad_norm_ clips by one global norm over all tensors, √(Σ‖gᵢ‖²); you clipped "
        "each tensor by its own norm."
    ),
    "clip_coef_not_capped": (
        "The clip coefficient is capped at 1: a gradient smaller than max_norm is left alone, "
        "never scaled up."
    ),
    "adafactor_unfactored": (
        "For a matrix Adafactor keeps only row and column means of g²: V̂ = R·Cᵀ/mean(R), not "
        "each entry's own g²."
    ),
    "no_relative_step": (
        "Adafactor's step is relative to the weights: α = max(ε₂, RMS(W))·ρ, not ρ alone."
    ),
    "no_update_clipping": (
        "Adafactor clips the update: U is divided by max(1, RMS(U)/d), d = 1 by default."
    ),
    "floor_instead_of_ceil": (
        "You dropped the last partial batch: with drop_last=False an epoch has ⌈N/B⌉ steps."
    ),
    "ceil_instead_of_floor": (
        "You counted the last partial batch: with drop_last=True an epoch has ⌊N/B⌋ steps."
    ),
    "forgot_world_size": (
        "Each of the w GPUs processes its own micro-batches and DDP averages their gradients: "
        "the effective batch is b · a · w, not b · a."
    ),
    "forgot_accumulation": (
        "With gradient accumulation one optimizer step averages the gradients of a "
        "micro-batches (the loss is divided by a): the effective batch is b · a · w, not b · w."
    ),
    "inverse_scaling": (
        "You scaled the learning rate the wrong way: a bigger batch gets a bigger lr, "
        "η' = η·B'/B for SGD or η·√(B'/B) for Adam."
    ),
    "sqrt_scaling": (
        "You used square-root scaling η·√(B'/B); for SGD the rule is linear, η·B'/B (Goyal et al.)."
    ),
    "linear_scaling": (
        "You used the linear rule η·B'/B, which is SGD's; for Adam the usual heuristic is "
        "square-root scaling, η·√(B'/B)."
    ),
    "smallest_curvature": (
        "Stability is set by the largest curvature: η < 2/L, where L is the largest "
        "eigenvalue, not the smallest."
    ),
    "one_over_L": (
        "1/L is the step that lands on the minimum of the stiffest direction; gradient "
        "descent still converges up to η < 2/L."
    ),
    "forgot_gradients": (
        "You left out the gradients: backward stores one gradient per parameter, in the "
        "weights' dtype (4 B fp32, 2 B bf16)."
    ),
    "forgot_master_weights": (
        "Mixed precision keeps an fp32 master copy of the weights (4 B per parameter) for "
        "the optimizer to update, beside the bf16 weights."
    ),
    "wrong_state_dtype": (
        "The state's dtype depends on the setup: torch allocates it with zeros_like(p), so "
        "it is bf16 (2 B) in pure bf16; in mixed precision and fp32 it is fp32 (4 B)."
    ),
    "missing_second_moment": ("Adam keeps two state values per parameter (m and v), not one."),
    "zero_shards_everything": (
        "ZeRO-1 shards only the optimizer state (with the fp32 master copy), ZeRO-2 also the "
        "gradients; only ZeRO-3 shards the weights too."
    ),
    "gib_instead_of_gb": ("You used GiB (2³⁰ bytes); the drill asks for GB = 10⁹ bytes."),
    "bytes_not_gb": "That is the count in bytes; the drill asks for GB: divide by 10⁹.",
}


def is_unchanged(answer: float, expected: float, tol: Tolerance) -> bool:
    """True when ``answer`` is the field's "did nothing" value (θ before the step) within
    the field's window, while the right answer is clearly elsewhere."""
    if tol.origin == 0.0 or accepted(answer, expected, tol):
        return False
    w = width(tol)
    return abs(answer - tol.origin) <= w and abs(expected - tol.origin) > 2 * w


def is_not_whole(answer: float, tol: Tolerance) -> bool:
    """True when the field is a count (an integer field) and ``answer`` is not a whole
    number (beyond float noise): never right, whatever the window."""
    return tol.integer and math.isfinite(answer) and not is_whole(answer)


def is_step_only(answer: float, expected: float, tol: Tolerance) -> bool:
    """True when ``answer`` is the step Δθ = x − origin itself (or −Δθ, the update as it is
    subtracted) within the field's window — the window is already |Δθ|-relative — while the
    new value x is clearly elsewhere. Uses the problem's own x and origin: no maths redone."""
    if tol.origin == 0.0 or accepted(answer, expected, tol):
        return False
    step = expected - tol.origin
    w = width(tol)
    return any(
        abs(answer - s) <= w and abs(expected - s) > 2 * w and abs(tol.origin - s) > 2 * w
        for s in (step, -step)
    )


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
    variant matches, for variants equal (within tolerance) to the correct answer, and when
    two different mistakes give the same number here (forgetting the gradients or the master
    copy can both cost 4 B per parameter): naming one would be a guess (:func:`suspects`
    lists them).
    """
    found = suspects(answer, expected, tol, variants, order)
    return found[0] if len(found) == 1 else None


def suspects(
    answer: float,
    expected: float,
    tol: Tolerance,
    variants: Mapping[str, float],
    order: Iterable[str] | None = None,
) -> list[str]:
    """The mistake ids the (wrong) ``answer`` fits: the nearest matching variant (in units of
    its window), and every other mistake whose value is indistinguishable from that one at
    the grader's tolerance. One id is a diagnosis; several are slips this problem cannot tell
    apart (Adam with L2 when η·λ·θ is tiny: decayed θ directly, or left the decay out)."""
    if accepted(answer, expected, tol):
        return []
    matches: list[tuple[float, str, float]] = []
    for m in order if order is not None else variants:
        v = variants.get(m)
        if v is None or not distinguishable(v, expected, tol):
            continue
        vt = tolerance_for(v, tol)
        if accepted(answer, v, vt):
            matches.append((abs(answer - v) / width(vt), m, v))
    if not matches:
        return []
    matches.sort()
    # variant keys may carry a detail after "@" (schedule_off_by_one@-1): report the stable id
    best_v = matches[0][2]
    found = [matches[0][1].split("@")[0]]
    for _, m, v in matches[1:]:
        if accepted(v, best_v, tolerance_for(v, tol)):
            found.append(m.split("@")[0])
    return list(dict.fromkeys(found))
