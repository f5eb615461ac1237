"""Grading an attempt at a Problem: parse, compare within tolerance, diagnose, explain."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

from quizapp.engine.answers import AnswerParseError, parse
from quizapp.engine.diagnosis import (
    NOT_WHOLE,
    STEP_ONLY,
    UNCHANGED,
    is_not_whole,
    is_step_only,
    is_unchanged,
    suspects,
)
from quizapp.engine.drills.catalog import get_kind
from quizapp.engine.drills.generation import solve_row
from quizapp.engine.drills.models import DrillError, FieldResult, Problem, Verdict
from quizapp.engine.grading import distinguishable, field_result, is_whole, shown_value
from quizapp.engine.numfmt import fmt

__all__ = [
    "grade_problem",
    "parse_answers",
    "variants_of",
    "named_variants",
    "named_mistakes",
    "display_value",
]


def parse_answers(
    problem: Problem, answers: str | float | Mapping[str, Any]
) -> dict[str, tuple[float, str]]:
    """field -> (parsed value, the text as typed). A bare string answers the primary field.
    Blank entries in a mapping count as unanswered. Unknown field → DrillError; unparsable →
    AnswerParseError whose message names the field."""
    if isinstance(answers, str | int | float) and not isinstance(answers, bool):
        answers = {problem.primary: answers}
    if not isinstance(answers, Mapping):
        raise DrillError("answers must be text (the primary field) or a mapping field -> text")
    out: dict[str, tuple[float, str]] = {}
    for name, text in answers.items():
        problem.field(name)  # DrillError naming the valid fields
        if text is None or (isinstance(text, str) and not text.strip()):
            continue
        if isinstance(text, int | float) and not isinstance(text, bool):
            out[name] = (float(text), repr(text))
            continue
        try:
            out[name] = (parse(str(text)), str(text).strip())
        except AnswerParseError as exc:
            prefix = "" if name == problem.primary and len(answers) == 1 else f"{name}: "
            raise AnswerParseError(prefix + exc.message, exc.position) from None
    if not out:
        raise AnswerParseError("type a number, e.g. 0.0123 or 1.2e-3")
    return out


def variants_of(problem: Problem) -> dict[str, dict[str, float]]:
    """mistake id -> field -> the value the engine gives under that mistake."""
    out: dict[str, dict[str, float]] = dict(problem._variants or {})
    k = get_kind(problem.kind)
    missing = [m for m in k.mistakes if m not in out]
    fields = [f.name for f in problem.fields]
    for m in missing:
        row = solve_row(k, problem.given, m)
        out[m] = {f: row.get(f, math.nan) for f in fields}
    if missing or problem._variants is None:
        object.__setattr__(problem, "_variants", out)  # a cache on the frozen problem
    return out


def named_variants(problem: Problem) -> dict[str, dict[str, float]]:
    """The variants ``problem`` names: those whose answers differ from the right ones, beyond
    both windows, in at least one field. One rule for every kind: a variant that leaves no
    trace here (ε inside the root with ε = 1e−8, floor vs ceil when N is a multiple of B, one
    step late on a flat stretch of a schedule) is not named, since typing its answers is
    typing the right ones. Nor is one whose only trace is a field's unchanged value (AdamW's
    forgotten decay leaves θ·(1−ηλ) = θ; where θ' shows no trace, the grade can only say
    "unchanged", which it checks first)."""

    def traced(value: float, field: str) -> bool:
        x, tol = problem.answers[field], problem.tolerance[field]
        return distinguishable(value, x, tol) and not is_unchanged(value, x, tol)

    return {
        key: vals
        for key, vals in variants_of(problem).items()
        if any(traced(v, f) for f, v in vals.items())
    }


def named_mistakes(problem: Problem) -> list[str]:
    """The stable mistake ids of :func:`named_variants`, in the kind's order."""
    return list(dict.fromkeys(key.split("@")[0] for key in named_variants(problem)))


def grade_problem(problem: Problem, answers: str | float | Mapping[str, Any]) -> Verdict:
    """Grade ``answers`` against ``problem`` (see quizapp.engine.grading for the policy)."""
    parsed = parse_answers(problem, answers)
    results: list[FieldResult] = [
        field_result(
            f.name,
            parsed[f.name][0],
            problem.answers[f.name],
            problem.tolerance[f.name],
            given_text=parsed[f.name][1],
            expected_text=problem.answers_text[f.name],
        )
        for f in problem.fields
        if f.name in parsed
    ]
    by_name = {r.field: r for r in results}
    primary = by_name.get(problem.primary)
    correct = primary is not None and all(r.correct for r in results)

    mistake: str | None = None
    mistake_field: str | None = None
    alike: tuple[str, list[str]] | None = None  # a field whose answer fits several slips
    # the primary first: it is the answer the learner committed to
    wrong = sorted((r for r in results if not r.correct), key=lambda r: r.field != problem.primary)
    for r in wrong:
        assert r.given is not None
        tol = problem.tolerance[r.field]
        if is_unchanged(r.given, r.expected, tol):
            mistake = UNCHANGED
        elif is_not_whole(r.given, tol):
            mistake = NOT_WHOLE
        else:
            table = {
                m: vals[r.field] for m, vals in variants_of(problem).items() if r.field in vals
            }
            found = suspects(r.given, r.expected, tol, table)
            mistake = found[0] if len(found) == 1 else None
            if len(found) > 1 and alike is None:
                alike = (r.field, found)
            if mistake is None and not found and is_step_only(r.given, r.expected, tol):
                mistake = STEP_ONLY
        if mistake:
            mistake_field = r.field
            break

    return Verdict(
        correct=correct,
        expected=problem.answers[problem.primary],
        given_answer=primary.given if primary else None,
        mistake=mistake,
        mistake_field=mistake_field,
        feedback=_feedback(problem, results, correct, mistake, None if mistake else alike),
        fields=results,
        score=sum(r.correct for r in results) / len(results),
    )


def _label(problem: Problem, name: str) -> str:
    return problem.field(name).label


def _feedback(
    problem: Problem,
    results: list[FieldResult],
    correct: bool,
    mistake: str | None,
    alike: tuple[str, list[str]] | None = None,
) -> str:
    """Feedback that teaches: what was right, what was off, and why when we can tell. A
    diagnosed mistake is not explained here (``Verdict.mistake`` names it; a screen shows
    ``MISTAKES[mistake]`` once, beside this text). An answer that fits several slips which
    give the same number here (``alike``) names them all, and none as the diagnosis."""
    parts: list[str] = []
    right = [r for r in results if r.correct]
    wrong = [r for r in results if not r.correct]
    p = problem.primary
    plabel = _label(problem, p)
    if correct:
        tol = problem.tolerance[p]
        within = (
            f"accepted within {_percent(tol.rel)} of {_ref_words(problem, p)}"
            if tol.rel > 0
            else "exact"
        )
        parts.append(f"Correct: {plabel} = {problem.answers_text[p]} ({within}).")
        if len(results) > 1:
            parts.append("Every intermediate you gave is right too.")
        return " ".join(parts)
    precision_hint = ""
    for r in wrong:
        off = (
            f", off by {_percent(r.rel_error, 3)} of {_ref_words(problem, r.field)}"
            if r.rel_error is not None
            else ""
        )
        want, got = _distinct(r.expected_text, r.expected, r.given)
        parts.append(f"{_label(problem, r.field)} should be {want}; you gave {got}{off}.")
        if not precision_hint and _rounding_explains(r, problem.tolerance[r.field].origin):
            precision_hint = _precision_hint(problem, r.field)
    if right:
        parts.append(f"Right: {', '.join(_label(problem, r.field) for r in right)}.")
    if all(r.field != p for r in results):
        parts.append(f"Also give {plabel}, the answer this drill asks for.")
    if mistake == NOT_WHOLE:
        parts.append(_not_whole_words(problem, next(r for r in wrong if _not_whole(problem, r))))
    if not mistake:
        if alike is not None:
            field, ids = alike
            names = ", or ".join(m.replace("_", " ") for m in ids)
            parts.append(
                f"Your {_label(problem, field)} fits {len(ids)} slips that give the same number "
                f"here: {names}. Compare your working with the solution step by step."
            )
        elif precision_hint:
            parts.append(precision_hint)
        elif wrong:
            parts.append("Compare your working with the solution step by step.")
    return " ".join(parts)


# a plain number, or a sum of them ("−0.85 + 0.000815"): what rounding can be read off
_NUMBER = r"(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?"
_SUM_OF_NUMBERS = re.compile(rf"[+-]?{_NUMBER}(?:[+-]{_NUMBER})*")


def _digits(literal: str) -> tuple[int, float]:
    """(significant digits, place value of the last one) of a typed number: 0.0123 → (3,
    1e-4), 1.20e-3 → (3, 1e-5)."""
    mantissa, _, exponent = literal.lstrip("+-").lower().partition("e")
    decimals = len(mantissa.partition(".")[2])
    sig = len(mantissa.replace(".", "").lstrip("0"))
    return sig, 10.0 ** (int(exponent or 0) - decimals)


def _rounding_explains(r: FieldResult, origin: float) -> bool:
    """True when rounding the exact value to the digits the learner typed explains the miss:
    the typed number (two significant digits or more: "0.5" may be a guess) is the exact one
    rounded to as many significant digits, or cut off there. A typed sum ("−0.85 +
    0.00081", old value and update) may err by half a unit of each term's last digit, except
    a term that is the old value itself (given exactly). Anything else (a product, a
    function) says nothing about it."""
    if r.given is None or r.given_text is None or not math.isfinite(r.expected):
        return False
    text = "".join(r.given_text.split()).replace("−", "-").replace("–", "-")
    if not _SUM_OF_NUMBERS.fullmatch(text):
        return False
    terms = [t for t in re.findall(rf"[+-]?{_NUMBER}", text) if float(t) != origin]
    digits = [_digits(t) for t in terms]
    if not terms or any(sig < 2 for sig, _ in digits):
        return False
    x, miss = r.expected, abs(r.given - r.expected)
    if len(text) == len(terms[0]) and x != 0:  # one number: x to as many significant digits
        sig = digits[0][0]
        unit = 10.0 ** (math.floor(math.log10(abs(x))) - sig + 1)
        rounded = float(f"{x:.{sig - 1}e}")
        cut = math.trunc(x / unit) * unit
        return any(abs(r.given - v) <= 1e-9 * unit for v in (rounded, cut))
    return miss <= sum(0.5 * unit for _, unit in digits) * (1 + 1e-9)


def display_value(problem: Problem, field: str, value: float | None = None) -> str:
    """The exact answer of ``field`` as shown (with the digits its grade needs), or ``value``
    written with that many significant digits."""
    if value is None:
        return problem.answers_text[field]
    return _distinct(problem.answers_text[field], problem.answers[field], value)[1]


def _sig_of(text: str) -> int:
    mantissa = text.split("e")[0]
    digits = "".join(c for c in mantissa if c.isdigit()).lstrip("0")
    return max(len(digits), 6)


def _distinct(expected_text: str, expected: float, given: float | None) -> tuple[str, str]:
    """The exact value as shown (gradeable) and the learner's number with as many
    significant digits, more on both sides when they would print the same."""
    sig = _sig_of(expected_text)
    got = fmt(given, sig)
    if given is not None and not is_whole(given) and is_whole(shown_value(got)):
        # a fraction is shown as one (206156.25, not 206156 beside 206,190 steps): in full
        # when 12 digits hold it, else with the first digits that show it is not whole
        texts = [fmt(given, s) for s in range(sig + 1, 18)]
        exact = [t for t in texts[:6] if shown_value(t) == given]
        got = exact[0] if exact else next((t for t in texts if not is_whole(shown_value(t))), got)
    if got != expected_text:
        return expected_text, got
    for more in range(sig + 1, 18):
        want, got = fmt(expected, more), fmt(given, more)
        if want != got:
            return want, got
    return fmt(expected, 17), fmt(given, 17)


def _precision_hint(problem: Problem, field: str) -> str:
    """For an answer that is the exact value rounded to the digits typed: say why that
    misses, and how to type it."""
    tol = problem.tolerance[field]
    pct = _percent(tol.rel)
    label = _label(problem, field)
    if tol.origin != 0.0 and tol.rel > 0:
        delta = problem.answers[field] - tol.origin
        sign = "−" if delta < 0 else "+"
        return (
            f"That is {label} rounded to the digits you typed: it is graded to {pct} of the "
            f"update Δ = {fmt(delta, 3)}, so rounding the new value loses it. Keep more digits, "
            f"or type it as old value and update, e.g. {fmt(tol.origin)} {sign} "
            f"{fmt(abs(delta), 4)}."
        )
    if tol.rel > 0:
        return (
            f"That is {label} rounded to the digits you typed, outside the {pct} tolerance: "
            "keep more digits."
        )
    return f"That is {label} rounded; this answer must be exact."


def _not_whole(problem: Problem, r: FieldResult) -> bool:
    return r.given is not None and is_not_whole(r.given, problem.tolerance[r.field])


def _not_whole_words(problem: Problem, r: FieldResult) -> str:
    """What a non-whole answer for a count is: the kind's own sentence when it is the quotient
    before rounding (within half a unit of it: N/B = 731.25 typed as 731.25 or 23400/32),
    else that a count is a whole number."""
    assert r.given is not None
    k = get_kind(problem.kind)
    quotient = k.unrounded(dict(problem.given), solve_row(k, problem.given, None)).get(r.field)
    if quotient is not None and abs(r.given - quotient[0]) <= 0.5:
        return quotient[1]
    return (
        f"{_label(problem, r.field)} is a count, so the answer is a whole number; "
        f"{_distinct(problem.answers_text[r.field], r.expected, r.given)[1]} is not."
    )


def _percent(fraction: float, sig: int = 6) -> str:
    """A fraction as a percentage, written by the app's one number formatter to ``sig``
    significant digits: 0.001 → "0.1 %", 6652.3 → "665,000 %", 1e−9 → "1e−7 %" (not Python's
    "6.65e+05 %")."""
    pct = 100 * fraction
    return f"{fmt(float(f'{pct:.{sig}g}'), sig)} %"


def _ref_words(problem: Problem, field: str) -> str:
    return "the update" if problem.tolerance[field].origin != 0.0 else "the value"
