"""Turning (kind, seeds, overrides) into Problems, a whole batch per NumPy pass.

Rows whose draw is degenerate (non-finite, a step too small to tell from "unchanged", a key
mistake indistinguishable from the right answer, or whatever the kind's ``acceptable`` rejects)
are redrawn from the next attempt stream of the same seed, so the result depends only on
(kind, seed, overrides).
"""

from __future__ import annotations

import gc
from typing import Any

import numpy as np

from quizapp.engine.drills.base import DrillKind, get_kind
from quizapp.engine.drills.models import DrillError, Problem
from quizapp.engine.drills.sampling import MAX_SEED, Sampler, normalise_overrides

__all__ = ["generate_many", "check_seed", "solve_row", "tolerance_arrays"]

MAX_ATTEMPTS = 64
EAGER_VARIANTS_MIN = 32  # batch size from which all mistake variants are solved up front


def check_seed(seed: Any) -> int:
    """The seed as an int in [0, 2⁶³ − 1]; DrillError otherwise."""
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer):
        raise DrillError(f"seed must be a whole number in [0, {MAX_SEED}], not {seed!r}", "seed")
    if not 0 <= int(seed) <= MAX_SEED:
        raise DrillError(f"seed must be a whole number in [0, {MAX_SEED}], not {seed}", "seed")
    return int(seed)


def _column(v: Any, shape: tuple[int, ...]) -> np.ndarray:
    """v as a float64 array of ``shape`` (np.broadcast_to only when it is not one already:
    it costs microseconds, and a batch copies dozens of trace columns per attempt)."""
    a = np.asarray(v, dtype=np.float64)
    if a.shape == shape:
        return a
    return np.full(shape, float(a)) if a.ndim == 0 else np.broadcast_to(a, shape)


def _take(arrays: dict[str, np.ndarray], idx: np.ndarray) -> dict[str, np.ndarray]:
    return {k: np.asarray(v)[idx] for k, v in arrays.items()}


def tolerance_arrays(
    k: DrillKind, g: dict[str, np.ndarray], a: dict[str, np.ndarray]
) -> dict[str, tuple[float, float, np.ndarray]]:
    """Per field: (rel, abs, origin array) of the tolerance rule, evaluated on a batch."""
    out = {}
    for f in k.fields:
        spec = k.tol(f.name)
        if spec.origin is None:
            origin = np.zeros_like(np.asarray(a[f.name], dtype=np.float64))
        else:
            origin = np.asarray(
                g[spec.origin] if spec.origin in g else a[spec.origin], dtype=np.float64
            )
        out[f.name] = (spec.rel, spec.abs, origin)
    return out


def _good_rows(k: DrillKind, g: dict, a: dict, variants: dict[str, dict]) -> np.ndarray:
    """Generic non-degeneracy: finite answers; the primary's reference well above its floor
    (so "unchanged" is far outside the window); key mistakes clearly distinguishable."""
    ok = np.asarray(k.acceptable(g, a), dtype=bool).copy()
    tols = tolerance_arrays(k, g, a)
    for f in k.fields:
        ok &= np.isfinite(np.asarray(a[f.name], dtype=np.float64))
    x = np.asarray(a[k.primary], dtype=np.float64)
    rel, ab, origin = tols[k.primary]
    if rel > 0:  # the change that matters is far above the absolute floor
        ok &= np.abs(x - origin) * rel > 10 * ab
    w = np.maximum(rel * np.abs(x - origin), ab)
    for m in k.must_distinguish:
        v = np.asarray(variants[m][k.primary], dtype=np.float64)
        wv = np.maximum(rel * np.abs(v - origin), ab)
        # a clear margin (4 windows), not merely disjoint windows, so a slightly sloppy
        # calculation of the mistake is still recognised as that mistake
        ok &= np.isfinite(v) & (np.abs(v - x) > 4 * (w + wv))
    return ok


def generate_many(kind: str, seeds: Any, overrides: dict[str, Any] | None = None) -> list[Problem]:
    """One Problem per seed, identical to ``generate(kind, seed, overrides)`` for each seed,
    drawn and solved by the engine in vectorised batches."""
    k = get_kind(kind)
    ov = normalise_overrides(k.param_map, overrides)
    seed_list = [check_seed(s) for s in np.asarray(seeds, dtype=object).ravel().tolist()]
    n = len(seed_list)
    if n == 0:
        return []
    seeds_u = np.array(seed_list, dtype=np.uint64)
    attempt = np.zeros(n, dtype=np.uint64)
    pending = np.arange(n)
    # Every variant costs one engine call per batch: cheap per row for a big batch, but for a
    # single problem only the ones that decide non-degeneracy are worth computing up front;
    # the rest are computed when a wrong answer needs diagnosing.
    eager = k.mistakes if n >= EAGER_VARIANTS_MIN else k.must_distinguish
    g_all: dict[str, np.ndarray] | None = None
    a_all: dict[str, np.ndarray] = {}
    v_all: dict[str, dict[str, np.ndarray]] = {}
    for attempt_no in range(MAX_ATTEMPTS):
        s = Sampler(k.id, k.param_map, seeds_u[pending], attempt[pending], ov)
        g = k.sample(s)
        with np.errstate(all="ignore"):
            a = k.solve(g, None)
            variants = {m: k.solve(g, m) for m in eager}
            good = _good_rows(k, g, a, variants)
        if g_all is None:
            g_all = {name: np.empty(n, dtype=np.asarray(v).dtype) for name, v in g.items()}
            a_all = {name: np.empty(n, dtype=np.float64) for name in a}
            v_all = {m: {f.name: np.empty(n) for f in k.fields} for m in eager}
        last = attempt_no == MAX_ATTEMPTS - 1
        take = np.arange(len(pending)) if last else np.nonzero(good)[0]
        rows = pending[take]
        for name, v in g.items():
            g_all[name][rows] = np.asarray(v)[take]
        for name, v in a.items():
            a_all[name][rows] = _column(v, pending.shape)[take]
        for m, va in variants.items():
            for f in k.fields:
                v_all[m][f.name][rows] = _column(va[f.name], pending.shape)[take]
        pending = pending[~good]
        attempt[pending] += np.uint64(1)
        if pending.size == 0:
            break
    assert g_all is not None
    finite = np.ones(n, dtype=bool)
    for f in k.fields:
        finite &= np.isfinite(a_all[f.name])
    if not finite.all():
        # only fixed overrides can force this (default ranges never do): say which
        fixed = ", ".join(f"{name} = {v!r}" for name, v in ov.items()) or "the default ranges"
        raise DrillError(
            f"drill {k.id!r}: no valid problem could be drawn with {fixed}; "
            "widen the ranges or change the fixed values",
            next(iter(ov), None),
        )
    # Building thousands of small acyclic objects triggers the cyclic GC over and over (it
    # nearly halves batch throughput); nothing here can form a cycle, so pause it meanwhile.
    paused = gc.isenabled() and n > 256
    if paused:
        gc.disable()
    try:
        # Python lists index ~5× faster than ndarrays element by element; the columns are
        # converted once to the Python values the learner sees (DrillKind.row_value)
        g_rows = {name: _row_values(k, name, g_all[name]) for name in k.given_order}
        a_rows = {name: col.tolist() for name, col in a_all.items()}
        build = _Builder(k, g_rows, a_rows, v_all, ov).build
        return [build(seed_list[i], i) for i in range(n)]
    finally:
        if paused:
            gc.enable()


def _row_values(k: DrillKind, name: str, col: np.ndarray) -> list[Any]:
    """``[k.row_value(name, x) for x in col]``, without a method call per element where the
    column's ``tolist()`` already gives those values (ints from int64, floats from float64)."""
    values = col.tolist()
    if type(k).row_value is not DrillKind.row_value:
        return [k.row_value(name, x) for x in values]
    if name in k.str_inputs:
        return [str(x) for x in values]
    if name in k.bool_inputs:
        return [bool(x) for x in values]
    if name in k.int_inputs:
        return values if col.dtype.kind == "i" else [int(x) for x in values]
    return values if col.dtype == np.float64 else [float(x) for x in values]


def solve_row(k: DrillKind, given: dict[str, Any], mistake: str | None) -> dict[str, float]:
    """The engine's answers for one problem's ``given`` (1-row batch)."""
    g = {}
    for name in k.given_order:
        v = given[name]
        g[name] = np.array([v], dtype=object if isinstance(v, str) else None)
    with np.errstate(all="ignore"):
        a = k.solve(g, mistake)
    return {name: float(np.asarray(v, dtype=np.float64).ravel()[0]) for name, v in a.items()}


class _Builder:
    """Builds the Problems of one batch; what is the same for every row is computed once."""

    def __init__(
        self,
        k: DrillKind,
        g: dict[str, list[Any]],
        a: dict[str, list[float]],
        v: dict[str, dict[str, np.ndarray]],
        ov: dict[str, Any],
    ) -> None:
        self.k, self.g, self.a, self.v, self.ov = k, g, a, v, ov
        self.labels = {name: k.labels.get(name, name) for name in k.given_order}
        self.tols = [(f.name, k.tol(f.name)) for f in k.fields]

    def build(self, seed: int, i: int) -> Problem:
        k = self.k
        given = {name: col[i] for name, col in self.g.items()}
        trace = {name: col[i] for name, col in self.a.items()}
        answers = {f.name: trace[f.name] for f in k.fields}
        tolerance: dict[str, dict[str, float]] = {}
        for name, spec in self.tols:
            origin = (
                0.0
                if spec.origin is None
                else float(given.get(spec.origin, trace.get(spec.origin, 0.0)))
            )
            tolerance[name] = {
                "rel": spec.rel,
                "abs": spec.abs,
                "reference": abs(answers[name] - origin),
                "origin": origin,
            }
        # one validation of plain data for the whole problem (nested models are built in
        # Rust; validation copies the dicts, so sharing ``labels`` and ``ov`` is safe)
        p = Problem.model_validate(
            {
                "kind": k.id,
                "seed": seed,
                "title": k.title,
                "prompt": k.prompt(given),
                "given": given,
                "given_labels": self.labels,
                "answers": answers,
                "fields": list(k.fields),
                "primary": k.primary,
                "tolerance": tolerance,
                "convention": k.convention(given),
                "solution": k.solution(given, trace),
                "overrides": self.ov,
            }
        )
        # the batch's variant columns and this row: materialised only if a wrong answer
        # needs them
        p._variants = (self.v, i)
        return p
