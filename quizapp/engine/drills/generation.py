"""Turning (kind, seed, overrides) into a Problem.

A degenerate draw (non-finite answers, a step too small to tell from "unchanged", a key mistake
indistinguishable from the right answer, or whatever the kind's ``acceptable`` rejects) is
redrawn from the next attempt stream of the same seed, so the result depends only on
(kind, seed, overrides).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from quizapp.engine.drills.base import DrillKind, Row, given_value
from quizapp.engine.drills.catalog import get_kind
from quizapp.engine.drills.models import DrillError, Problem
from quizapp.engine.drills.sampling import MAX_SEED, Sampler, normalise_overrides
from quizapp.engine.grading import exact_text
from quizapp.engine.numfmt import fmt

__all__ = ["generate", "check_seed", "solve_row", "MAX_ATTEMPTS"]

MAX_ATTEMPTS = 64


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


def _good(k: DrillKind, g: Row, a: Row, variants: dict[str, Row]) -> bool:
    """Generic non-degeneracy: finite answers; the primary's reference well above its floor
    (so "unchanged" is far outside the window); key mistakes clearly distinguishable."""
    if not all(math.isfinite(a[f.name]) for f in k.fields) or not k.acceptable(g, a):
        return False
    p = k.primary
    x, origin, spec = a[p], origin_of(k, p, g, a), k.tol(p)
    if spec.rel > 0 and not abs(x - origin) * spec.rel > 10 * spec.abs:
        return False
    w = _width(k, p, x, origin)
    for m in k.must_distinguish:
        v = variants[m][p]
        # a clear margin (4 windows), not merely disjoint windows, so a slightly sloppy
        # calculation of the mistake is still recognised as that mistake
        if not (math.isfinite(v) and abs(v - x) > 4 * (w + _width(k, p, v, origin))):
            return False
    return True


def generate(kind: str, seed: Any, overrides: dict[str, Any] | None = None) -> Problem:
    """The problem of ``kind`` for ``seed`` (and deck ``overrides``)."""
    k = get_kind(kind)
    seed = check_seed(seed)
    ov = normalise_overrides(k.param_map, overrides)
    g: Row = {}
    a: Row = {}
    variants: dict[str, Row] = {}
    for attempt in range(MAX_ATTEMPTS):
        try:
            with np.errstate(all="ignore"):
                g = k.sample(Sampler(k.id, k.param_map, seed, attempt, ov))
                a = k.solve(g, None)
                variants = {m: k.solve(g, m) for m in k.must_distinguish}
                if _good(k, g, a, variants):
                    break
        except (ValueError, ArithmeticError):
            # only overrides can combine into inputs the engine refuses (a schedule whose
            # phase has no length, …): such a draw is as degenerate as any other
            a = {}
    if not a or not all(math.isfinite(a[f.name]) for f in k.fields):
        fixed = ", ".join(f"{name} = {v!r}" for name, v in ov.items()) or "the default ranges"
        raise DrillError(
            f"drill {k.id!r}: no valid problem could be drawn with {fixed}; "
            "widen the ranges or change the fixed values",
            next(iter(ov), None),
        )
    return build(k, seed, g, a, variants, ov)


def build(
    k: DrillKind, seed: int, g: Row, a: Row, variants: dict[str, Row], ov: dict[str, Any]
) -> Problem:
    """The Problem for drawn inputs ``g`` and the engine's answers ``a``."""
    given = {name: given_value(g[name]) for name in k.given_order}
    answers = {f.name: float(a[f.name]) for f in k.fields}
    tolerance: dict[str, dict[str, float]] = {}
    texts: dict[str, str] = {}
    for f in k.fields:
        spec, x = k.tol(f.name), answers[f.name]
        origin = origin_of(k, f.name, g, a)
        ref = abs(x - origin)
        tolerance[f.name] = {"rel": spec.rel, "abs": spec.abs, "reference": ref, "origin": origin}
        texts[f.name] = exact_text(x, max(spec.rel * ref, spec.abs))
    # a solution line whose value is an answer shows it with the digits its grade needs
    by_value = {x: texts[name] for name, x in answers.items()}
    solution = []
    for s in k.solution(given, a):
        v = s["value"]
        v = None if v is None else float(v)
        text = None if v is None else by_value.get(v) or fmt(v)
        solution.append({**s, "value": v, "value_text": text})
    p = Problem.model_validate(
        {
            "kind": k.id,
            "seed": seed,
            "title": k.title,
            "prompt": k.prompt(given),
            "given": given,
            "given_labels": {name: k.labels.get(name, name) for name in k.given_order},
            "answers": answers,
            "answers_text": texts,
            "fields": list(k.fields),
            "primary": k.primary,
            "tolerance": tolerance,
            "convention": k.convention(given),
            "solution": solution,
            "overrides": ov,
        }
    )
    p._variants = {m: {f.name: float(v[f.name]) for f in k.fields} for m, v in variants.items()}
    return p


def solve_row(k: DrillKind, given: dict[str, Any], mistake: str | None) -> dict[str, float]:
    """The engine's answers for one problem's ``given``, optionally under ``mistake``."""
    with np.errstate(all="ignore"):
        a = k.solve(dict(given), mistake)
    return {name: float(v) for name, v in a.items()}
