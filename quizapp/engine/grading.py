"""Grading numeric answers with a tolerance relative to the quantity that matters.

Policy (also in docs/grading.md)
--------------------------------
An answer a for the exact value x of a field is accepted when

    |a − x| ≤ max(rel · |x − origin|, abs)

* ``origin`` is the value a learner gets by "doing nothing". For a new parameter θ' it is θ
  before the step, so the reference |x − origin| is the size of the update |Δθ|: typing the
  unchanged θ is off by exactly |Δθ| > rel·|Δθ| and is never accepted, however small the
  step is relative to θ. For m, v, m̂, v̂, learning rates, byte counts … the origin is 0 and the
  reference is |x| itself.
* ``rel`` defaults to 1e-3 (0.1 %, WeBWorK's default): loose enough for a hand calculation
  carried to four significant digits, tight enough that every named mistake (forgotten bias
  correction, ε inside the root, t off by one, …) lands outside it whenever that mistake is
  numerically distinguishable at all.
* ``abs`` is a floor near zero (1e-12 by default) so that an exact value of 0 still has a
  non-empty acceptance window. Integer answers (steps per epoch, total steps) use rel = 0,
  abs = 0.5 and ``integer``: only the exact whole number is right (4581.6 is not 4582, and
  N/B = 731.25 is not ⌊N/B⌋ = 731, whatever the window).
* A drill kind may override rel/abs/origin per field (``DrillKind.tolerances``); the values
  used for a problem are in ``Problem.tolerance`` (rel, abs, reference, origin).

Shown values: ``exact_text`` writes an exact answer with as many significant digits (at least
6) as its grade needs — typed back, the shown text lands within a twentieth of the window — so
every value a screen calls exact is accepted, including θ' next to a tiny update.

Partial credit: each answered field is graded on its own; ``Verdict.score`` is the fraction
of answered fields that are right, and ``Verdict.correct`` requires the primary field to be
answered and right and every other answered field to be right.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from quizapp.engine.numfmt import fmt

if TYPE_CHECKING:  # the models live with the drills; imported lazily to avoid a cycle
    from quizapp.engine.drills.models import FieldResult, Tolerance

__all__ = [
    "width",
    "accepted",
    "is_whole",
    "rel_error",
    "field_result",
    "tolerance_for",
    "distinguishable",
    "exact_text",
    "shown_value",
]

_TINY = 1e-300


def width(tol: Tolerance) -> float:
    """Half-width of the acceptance window: max(rel·reference, abs)."""
    return max(tol.rel * tol.reference, tol.abs)


def is_whole(x: float) -> bool:
    """True when ``x`` is a whole number, up to float noise: |x − round(x)| ≤ 1e-9·max(1, |x|)
    (so 23400/32·32 or 1e4 typed as 10000.000000000002 still count)."""
    return math.isfinite(x) and abs(x - round(x)) <= 1e-9 * max(1.0, abs(x))


def accepted(answer: float, expected: float, tol: Tolerance) -> bool:
    """True when |answer − expected| ≤ max(rel·reference, abs), and for an integer field
    (a count) when the answer is a whole number too."""
    if tol.integer and not is_whole(answer):
        return False
    return math.isfinite(answer) and abs(answer - expected) <= width(tol)


def rel_error(answer: float, expected: float, tol: Tolerance) -> float:
    """|answer − expected| / reference (the error relative to the quantity that matters);
    relative to |expected| when the reference is 0."""
    ref = tol.reference if tol.reference > 0 else abs(expected)
    return abs(answer - expected) / max(ref, _TINY)


def shown_value(text: str) -> float:
    """The number a string printed by :func:`quizapp.engine.numfmt.fmt` stands for (what
    ``answers.parse`` reads it as: Unicode minus, e-notation and digit-group commas)."""
    return float(text.replace("−", "-").replace(",", ""))


def exact_text(value: float, window: float) -> str:
    """``value`` with the fewest significant digits (6 to 17) whose shown number is within
    ``window``/20 of it, ``window`` being the field's acceptance half-width: a learner who
    types the shown exact value back is always accepted."""
    need = window / 20
    start = 7
    if need > 0 and value != 0 and math.isfinite(value):
        # s digits err by at most ½·10^(e − s + 1) (e the decimal exponent): s = e − log₁₀ need
        # + 1 always suffices; a lucky rounding may need up to two fewer, so start there
        digits = math.floor(math.log10(abs(value))) - math.floor(math.log10(need)) + 1
        start = min(max(7, digits - 2), 17)
    for s in (6, *range(start, 18)):
        text = fmt(value, s)
        if abs(shown_value(text) - value) <= need:
            return text
    return fmt(value, 17)


def field_result(
    field: str,
    answer: float | None,
    expected: float,
    tol: Tolerance,
    given_text: str | None = None,
    expected_text: str = "",
) -> FieldResult:
    """The graded result of one field (answer None → unanswered, not correct)."""
    from quizapp.engine.drills.models import FieldResult

    shown = expected_text or exact_text(expected, width(tol))
    if answer is None:
        return FieldResult(
            field=field,
            given=None,
            expected=expected,
            correct=False,
            rel_error=None,
            expected_text=shown,
        )
    err = rel_error(answer, expected, tol)
    return FieldResult(
        field=field,
        given=answer,
        expected=expected,
        correct=accepted(answer, expected, tol),
        rel_error=err if math.isfinite(err) else None,
        given_text=given_text,
        expected_text=shown,
    )


def tolerance_for(value: float, like: Tolerance) -> Tolerance:
    """The tolerance rule of ``like`` applied to another value (a mistake variant's answer):
    same rel, abs, origin and integer, reference |value − origin|."""
    from quizapp.engine.drills.models import Tolerance

    return Tolerance(
        rel=like.rel,
        abs=like.abs,
        reference=abs(value - like.origin),
        origin=like.origin,
        integer=like.integer,
    )


def distinguishable(variant: float, expected: float, tol: Tolerance) -> bool:
    """True when the acceptance windows around the variant's value and the correct value do
    not overlap: |variant − expected| > width(expected) + width(variant). Only then can an
    answer be said to match the mistake and not the right result."""
    if not math.isfinite(variant):
        return False
    return abs(variant - expected) > width(tol) + width(tolerance_for(variant, tol))
