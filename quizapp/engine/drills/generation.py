"""Turning (kind, seed, overrides) into a Problem.

A degenerate draw (non-finite answers, a step too small to tell from "unchanged", a key mistake
indistinguishable from the right answer, or whatever the kind's ``acceptable`` rejects) is
redrawn from the next attempt stream of the same seed, so the result depends only on
(kind, seed, overrides). Redraws are bounded (:func:`draw`): a key mistake that stays hidden
for KEY_ATTEMPTS problems is relaxed rather than looped on.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from quizapp.engine.drills.base import DrillKind, Row, given_value
from quizapp.engine.drills.catalog import get_kind
from quizapp.engine.drills.errors import DrillError
from quizapp.engine.drills.sampling import MAX_SEED, Sampler, normalise_overrides
from quizapp.engine.grading import exact_text
from quizapp.engine.numfmt import fmt

if TYPE_CHECKING:
    from quizapp.engine.drills.models import Problem

__all__ = [
    "generate",
    "generate_json",
    "record",
    "draw",
    "Draw",
    "survey",
    "check_seed",
    "solve_row",
    "MAX_ATTEMPTS",
    "KEY_ATTEMPTS",
]

MAX_ATTEMPTS = 32  # draws tried for one problem, at most
KEY_ATTEMPTS = 8  # problems hiding a key mistake tried before that rule is relaxed
INVALID = "invalid"  # a rejection reason: non-finite answers, or inputs the engine refuses
DEGENERATE = "degenerate"  # a rejection reason: the kind's acceptable(), or no visible step
MOSTLY_REJECTED = 0.75  # share of rejected draws that makes an override check warn


def check_seed(seed: Any) -> int:
    """The seed as an int in [0, 2⁶³ − 1]; DrillError otherwise."""
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer):
        raise DrillError(f"seed must be a whole number in [0, {MAX_SEED}], not {seed!r}", "seed")
    if not 0 <= int(seed) <= MAX_SEED:
        raise DrillError(f"seed must be a whole number in [0, {MAX_SEED}], not {seed}", "seed")
    return int(seed)


def origin_of(k: DrillKind, field: str, g: Row, a: Row) -> float:
    """The value "doing nothing" gives for ``field`` (θ before the step, …), 0 by default."""
    name = k.tol(field).origin
    if name is None:
        return 0.0
    return float(g[name] if name in g else a[name])


def _width(k: DrillKind, field: str, x: float, origin: float) -> float:
    spec = k.tol(field)
    return max(spec.rel * abs(x - origin), spec.abs)


def _clearly_visible(k: DrillKind, mistake: str, g: Row, a: Row, variants: dict[str, Row]) -> bool:
    """The key ``mistake`` lands clearly away from the right answer in its field (the primary
    unless the kind's ``distinguish_on`` says otherwise): a margin of 4 windows, not merely
    disjoint windows, so a slightly sloppy calculation of the mistake is still recognised as
    that mistake."""
    p = k.key_field(mistake)
    x, v, origin = a[p], variants[mistake][p], origin_of(k, p, g, a)
    return math.isfinite(v) and abs(v - x) > 4 * (_width(k, p, x, origin) + _width(k, p, v, origin))


def _degenerate(k: DrillKind, g: Row, a: Row) -> str | None:
    """Why the draw is no problem at all (None when it is one): non-finite answers, what the
    kind's ``acceptable`` rejects, or a primary too close to its "did nothing" value."""
    if not all(math.isfinite(a[f.name]) for f in k.fields):
        return INVALID
    if not k.acceptable(g, a):
        return DEGENERATE
    p = k.primary
    x, origin, spec = a[p], origin_of(k, p, g, a), k.tol(p)
    if spec.rel > 0 and not abs(x - origin) * spec.rel > 10 * spec.abs:
        return DEGENERATE
    return None


@dataclass(frozen=True)
class Draw:
    """One problem's inputs ``g``, the engine's answers ``a`` and its key mistakes' variants,
    with how it was found: ``attempts`` (draws tried), ``rejected`` (reason -> draws: INVALID,
    DEGENERATE, or the id of a key mistake that was not clearly visible) and ``relaxed`` (key
    mistakes this problem could not show after KEY_ATTEMPTS tries: not required of it)."""

    g: Row
    a: Row
    variants: dict[str, Row]
    attempts: int
    rejected: dict[str, int]
    relaxed: tuple[str, ...] = ()


def draw(k: DrillKind, seed: int, ov: dict[str, Any]) -> Draw:
    """Draw a problem of ``k``: attempt streams 0, 1, 2 … of ``seed`` until one is a problem
    (not degenerate) whose key mistakes (``must_distinguish``) are all clearly visible.

    Bounded work: at most MAX_ATTEMPTS draws, each solved once plus once per key mistake. A
    draw that is a problem but hides a key mistake is kept as a candidate; after KEY_ATTEMPTS
    such candidates the rule is relaxed: the candidate showing the most key mistakes (the
    earliest among equals) is taken, and the mistakes it hides are its ``relaxed`` ones.
    When every draw is degenerate (fixed values a deck chose can do that), the first one with
    finite answers is taken, every key mistake relaxed; DrillError when none has."""
    rejected: dict[str, int] = {}
    best: Draw | None = None
    fallback: tuple[Row, Row] | None = None  # the first degenerate draw with finite answers
    candidates = 0
    attempts = 0
    for attempt in range(MAX_ATTEMPTS):
        attempts += 1
        try:
            with np.errstate(all="ignore"):
                g = k.sample(Sampler(k.id, k.param_map, seed, attempt, ov))
                a = k.solve(g, None)
                why = _degenerate(k, g, a)
                if why is None:
                    variants = {m: k.solve(g, m) for m in k.must_distinguish}
        except (ValueError, ArithmeticError):
            # only overrides can combine into inputs the engine refuses (a schedule whose
            # phase has no length, …): such a draw is as degenerate as any other
            why = INVALID
        if why is not None:
            rejected[why] = rejected.get(why, 0) + 1
            if why == DEGENERATE and fallback is None:
                fallback = (g, a)
            continue
        hidden = tuple(m for m in k.must_distinguish if not _clearly_visible(k, m, g, a, variants))
        if not hidden:
            return Draw(g, a, variants, attempts, rejected)
        for m in hidden:
            rejected[m] = rejected.get(m, 0) + 1
        candidates += 1
        if best is None or len(hidden) < len(best.relaxed):
            best = Draw(g, a, variants, attempts, {}, hidden)
        if candidates >= KEY_ATTEMPTS:
            break
    if best is None and fallback is not None:
        # fixed values a deck chose on purpose can make every draw one the kind would not
        # pick (N divisible by B for steps-per-epoch): the first such problem it is
        g, a = fallback
        try:
            with np.errstate(all="ignore"):
                variants = {m: k.solve(g, m) for m in k.must_distinguish}
            rejected[DEGENERATE] -= 1
            best = Draw(g, a, variants, attempts, {}, tuple(k.must_distinguish))
        except (ValueError, ArithmeticError):
            pass
    if best is None:
        fixed = ", ".join(f"{name} = {v!r}" for name, v in ov.items()) or "the default ranges"
        raise DrillError(
            f"drill {k.id!r}: no valid problem could be drawn with {fixed}; "
            "widen the ranges or change the fixed values",
            next(iter(ov), None),
        )
    for m in best.relaxed:  # the draw taken is not a rejected one
        if m in rejected:
            rejected[m] -= 1
    rejected = {why: n for why, n in rejected.items() if n}
    return Draw(best.g, best.a, best.variants, attempts, rejected, best.relaxed)


def survey(k: DrillKind, ov: dict[str, Any], seeds: range) -> tuple[list[str], list[str]]:
    """(errors, warnings) about drawing ``k`` with overrides ``ov``, from the problems of a few
    ``seeds``: an error when one of them cannot be drawn at all; a warning when most draws
    (MOSTLY_REJECTED) are rejected (generation stays bounded, but the ranges fight the kind's
    rules) or when a
    key mistake had to be relaxed (those problems do not check for it)."""
    fixed = ", ".join(f"{name} = {v!r}" for name, v in ov.items()) or "the default ranges"
    draws: list[Draw] = []
    for seed in seeds:
        try:
            draws.append(draw(k, seed, ov))
        except DrillError as exc:
            return [exc.message], []
    warnings: list[str] = []
    tried = sum(d.attempts for d in draws)
    rejected = tried - len(draws)
    reasons: dict[str, int] = {}
    relaxed: dict[str, int] = {}
    for d in draws:
        for why, n in d.rejected.items():
            reasons[why] = reasons.get(why, 0) + n
        for m in d.relaxed:
            relaxed[m] = relaxed.get(m, 0) + 1
    # (when the rejections are all about a mistake that got relaxed, that warning says it)
    if rejected >= MOSTLY_REJECTED * tried and not set(reasons) <= set(relaxed):
        top = sorted(reasons.items(), key=lambda item: -item[1])
        words = ", ".join(f"{n} {_REASON_WORDS.get(why, f'hid {why!r}')}" for why, n in top)
        warnings.append(
            f"drill {k.id!r}: with {fixed}, {rejected} of {tried} draws for {len(draws)} "
            f"sample problems were rejected ({words}); widen the ranges or change the fixed values"
        )
    for m, n in relaxed.items():
        warnings.append(
            f"drill {k.id!r}: with {fixed}, the mistake {m!r} this drill is about is not "
            f"clearly visible in {n} of {len(draws)} sample problems, so those problems do not "
            "check for it; widen the ranges or change the fixed values"
        )
    return [], warnings


_REASON_WORDS = {INVALID: "invalid (the engine refused them)", DEGENERATE: "degenerate"}


def generate(kind: str, seed: Any, overrides: dict[str, Any] | None = None) -> Problem:
    """The problem of ``kind`` for ``seed`` (and deck ``overrides``)."""
    k = get_kind(kind)
    seed = check_seed(seed)
    ov = normalise_overrides(k.param_map, overrides)
    d = draw(k, seed, ov)
    return build(k, seed, d.g, d.a, d.variants, ov)


def generate_json(kind: str, seed: Any, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """``generate(kind, seed, overrides).model_dump(mode="json")`` without building the
    Problem: the :func:`record` of the same draw (no pydantic, no variants' table)."""
    k = get_kind(kind)
    seed = check_seed(seed)
    ov = normalise_overrides(k.param_map, overrides)
    d = draw(k, seed, ov)
    return record(k, seed, d.g, d.a, ov)


def build(
    k: DrillKind, seed: int, g: Row, a: Row, variants: dict[str, Row], ov: dict[str, Any]
) -> Problem:
    """The Problem for drawn inputs ``g`` and the engine's answers ``a``: its
    :func:`record`, validated."""
    from quizapp.engine.drills.models import Problem

    p = Problem.model_validate(record(k, seed, g, a, ov))
    table = {m: {f.name: float(v[f.name]) for f in k.fields} for m, v in variants.items()}
    object.__setattr__(p, "_variants", table)  # frozen: set once, here
    return p


def record(k: DrillKind, seed: int, g: Row, a: Row, ov: dict[str, Any]) -> dict[str, Any]:
    """The Problem for drawn inputs ``g`` and the engine's answers ``a`` as plain data,
    exactly as ``Problem.model_dump(mode="json")`` gives it: the model's fields in its order,
    each value of the model's type (a float field holds a float), and the untyped
    ``overrides`` as pydantic's JSON mode writes any value (tuples as lists, a non-finite
    float as None)."""
    given = {name: given_value(g[name]) for name in k.given_order}
    answers = {f.name: float(a[f.name]) for f in k.fields}
    tolerance: dict[str, dict[str, float | bool]] = {}
    texts: dict[str, str] = {}
    for f in k.fields:
        spec, x = k.tol(f.name), answers[f.name]
        origin = float(origin_of(k, f.name, g, a))
        ref = abs(x - origin)
        tolerance[f.name] = {
            "rel": float(spec.rel),
            "abs": float(spec.abs),
            "reference": ref,
            "origin": origin,
            "integer": bool(spec.integer),
        }
        texts[f.name] = exact_text(x, max(spec.rel * ref, spec.abs))
    # a solution line whose value is an answer shows it with the digits its grade needs
    by_value = {x: texts[name] for name, x in answers.items()}
    solution = []
    for s in k.solution(given, a):
        v = s["value"]
        v = None if v is None else float(v)
        text = None if v is None else s.get("value_text") or by_value.get(v) or fmt(v)
        solution.append(
            {"label": s["label"], "expression": s["expression"], "value": v, "value_text": text}
        )
    return {
        "kind": k.id,
        "seed": seed,
        "title": k.title,
        "prompt": k.prompt(given),
        "given": given,
        "given_labels": {name: k.labels.get(name, name) for name in k.given_order},
        "answers": answers,
        "answers_text": texts,
        "fields": [f._asdict() for f in k.fields],
        "primary": k.primary,
        "tolerance": tolerance,
        "convention": k.convention(given),
        "solution": solution,
        "overrides": _json_any(ov),
    }


def _json_any(value: Any) -> Any:
    """A value of an untyped (``Any``) model field as pydantic's JSON mode dumps it."""
    if isinstance(value, dict):
        return {key: _json_any(v) for key, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_any(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def solve_row(k: DrillKind, given: dict[str, Any], mistake: str | None) -> dict[str, float]:
    """The engine's answers for one problem's ``given``, optionally under ``mistake``."""
    with np.errstate(all="ignore"):
        a = k.solve(dict(given), mistake)
    return {name: float(v) for name, v in a.items()}
