"""Grading an attempt at a Problem: parse, compare within tolerance, diagnose, explain."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from quizapp.engine.answers import AnswerParseError, parse
from quizapp.engine.diagnosis import MISTAKES, diagnose
from quizapp.engine.drills.base import fmt, get_kind
from quizapp.engine.drills.batch import solve_row
from quizapp.engine.drills.models import DrillError, FieldResult, Problem, Verdict
from quizapp.engine.grading import field_result

__all__ = ["grade_problem", "parse_answers", "variants_of", "display_value"]


def parse_answers(problem: Problem, answers: str | float | Mapping[str, Any]) -> dict[str, float]:
    """field -> parsed value. A bare string answers the primary field. Blank entries in a
    mapping count as unanswered. Unknown field → DrillError; unparsable → AnswerParseError
    whose message names the field."""
    if isinstance(answers, str | int | float) and not isinstance(answers, bool):
        answers = {problem.primary: answers}
    if not isinstance(answers, Mapping):
        raise DrillError("answers must be text (the primary field) or a mapping field -> text")
    out: dict[str, float] = {}
    for name, text in answers.items():
        problem.field(name)  # DrillError naming the valid fields
        if text is None or (isinstance(text, str) and not text.strip()):
            continue
        if isinstance(text, int | float) and not isinstance(text, bool):
            out[name] = float(text)
            continue
        try:
            out[name] = parse(str(text))
        except AnswerParseError as exc:
            prefix = "" if name == problem.primary and len(answers) == 1 else f"{name}: "
            raise AnswerParseError(prefix + exc.message, exc.position) from None
    if not out:
        raise AnswerParseError("type a number, e.g. 0.0123 or 1.2e-3")
    return out


def variants_of(problem: Problem) -> dict[str, dict[str, float]]:
    """mistake id -> field -> the value the engine gives under that mistake."""
    cached = problem._variants
    if isinstance(cached, dict):
        return cached
    out: dict[str, dict[str, float]] = {}
    if isinstance(cached, tuple):  # (variant columns of the generating batch, row)
        columns, i = cached
        out = {m: {f: float(arr[i]) for f, arr in fa.items()} for m, fa in columns.items()}
    k = get_kind(problem.kind)
    for m in k.mistakes:
        if m not in out:
            out[m] = solve_row(k, problem.given, m)
    problem._variants = out
    return out


def _label(problem: Problem, name: str) -> str:
    return problem.field(name).label


def grade_problem(problem: Problem, answers: str | float | Mapping[str, Any]) -> Verdict:
    """Grade ``answers`` against ``problem`` (see quizapp.engine.grading for the policy)."""
    parsed = parse_answers(problem, answers)
    results: list[FieldResult] = []
    for f in problem.fields:
        if f.name in parsed:
            results.append(
                field_result(
                    f.name, parsed[f.name], problem.answers[f.name], problem.tolerance[f.name]
                )
            )
    by_name = {r.field: r for r in results}
    primary = by_name.get(problem.primary)
    answered_ok = all(r.correct for r in results)
    correct = primary is not None and answered_ok
    score = sum(r.correct for r in results) / len(results)

    mistake: str | None = None
    mistake_field: str | None = None
    wrong = [r for r in results if not r.correct]
    if wrong:
        variants = variants_of(problem)
        # the primary first: it is the answer the learner committed to
        wrong.sort(key=lambda r: r.field != problem.primary)
        for r in wrong:
            assert r.given is not None
            table = {m: vals[r.field] for m, vals in variants.items() if r.field in vals}
            mistake = diagnose(r.given, r.expected, problem.tolerance[r.field], table)
            if mistake:
                mistake_field = r.field
                break

    return Verdict(
        correct=correct,
        expected=problem.answers[problem.primary],
        given_answer=primary.given if primary else None,
        mistake=mistake,
        feedback=_feedback(problem, results, correct, mistake, mistake_field),
        fields=results,
        score=score,
    )


def _feedback(
    problem: Problem,
    results: list[FieldResult],
    correct: bool,
    mistake: str | None,
    mistake_field: str | None,
) -> str:
    """A sentence that teaches: what was right, what was off, and why when we can tell."""
    parts: list[str] = []
    right = [r for r in results if r.correct]
    wrong = [r for r in results if not r.correct]
    p = problem.primary
    plabel = _label(problem, p)
    if correct:
        tol = problem.tolerance[p]
        within = (
            f"accepted within {tol.rel * 100:g} % of {_ref_words(problem, p)}"
            if tol.rel > 0
            else "exact"
        )
        parts.append(f"Correct: {plabel} = {_shown(problem, p)} ({within}).")
        if len(results) > 1:
            parts.append("Every intermediate you gave is right too.")
        return " ".join(parts)
    precision_hint = ""
    for r in wrong:
        lab = _label(problem, r.field)
        off = (
            f", off by {r.rel_error * 100:.3g} % of {_ref_words(problem, r.field)}"
            if r.rel_error is not None
            else ""
        )
        want, got = _distinct(r.expected, r.given)
        parts.append(f"{lab} should be {want}; you gave {got}{off}.")
        if not precision_hint and r.rel_error is not None and r.rel_error <= 0.05:
            precision_hint = _precision_hint(problem, r.field)
    if right:
        names = ", ".join(_label(problem, r.field) for r in right)
        parts.append(f"Right: {names}.")
    if all(r.field != p for r in results):
        parts.append(f"Also give {plabel}, the answer this drill asks for.")
    if mistake:
        where = "" if mistake_field == p else f" (in {_label(problem, mistake_field or p)})"
        parts.append(MISTAKES[mistake] + where)
    elif precision_hint:
        parts.append(precision_hint)
    elif wrong:
        parts.append("Compare your working with the solution step by step.")
    return " ".join(parts)


def display_value(problem: Problem, field: str, value: float | None = None) -> str:
    """``value`` (default: the exact answer of ``field``) with enough significant digits to
    show the part that is graded: for θ' next to θ, four digits of the update Δθ."""
    x = problem.answers[field] if value is None else value
    tol = problem.tolerance[field]
    sig = 6
    if tol.origin != 0.0 and tol.reference > 0 and x != 0:
        sig = min(12, 4 + max(2, math.ceil(math.log10(abs(x) / tol.reference))))
    return fmt(x, sig)


_shown = display_value


def _distinct(expected: float, given: float | None) -> tuple[str, str]:
    """Both numbers with just enough significant digits (6 to 12) to show they differ."""
    for sig in range(6, 13):
        a, b = fmt(expected, sig), fmt(given, sig)
        if a != b:
            return a, b
    return fmt(expected, 12), fmt(given, 12)


def _precision_hint(problem: Problem, field: str) -> str:
    """For an answer that is close but outside the window: say why, and how to type it."""
    tol = problem.tolerance[field]
    pct = f"{tol.rel * 100:g} %"
    if tol.origin != 0.0 and tol.rel > 0:
        delta = problem.answers[field] - tol.origin
        sign = "−" if delta < 0 else "+"
        return (
            f"Close: {_label(problem, field)} is graded to {pct} of the update "
            f"Δ = {fmt(delta, 3)}, so rounding the new value loses it. Keep more digits, or "
            f"type it as old value and update, e.g. {fmt(tol.origin)} {sign} {fmt(abs(delta), 4)}."
        )
    if tol.rel > 0:
        return f"Close, but outside the {pct} tolerance: carry more digits through the working."
    return "Close, but this answer must be exact."


def _ref_words(problem: Problem, field: str) -> str:
    tol = problem.tolerance[field]
    if tol.origin != 0.0:
        return "the update"
    return "the value"
