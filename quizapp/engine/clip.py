"""Gradient clipping exactly as ``torch.nn.utils.clip_grad_norm_`` / ``clip_grad_value_``.

    from quizapp.engine import clip
    clipped, total_norm = clip.clip_grad_norm([g1, g2], max_norm=1.0, norm_type=2.0)
    clipped = clip.clip_grad_value([g1, g2], clip_value=0.5)

``grads`` is a list of float64 arrays, one per parameter tensor; the inputs are never
modified (torch clips in place; here the clipped copies are returned).

Norm clipping (torch 2.13, float64 on CPU):

    nᵢ = ‖gᵢ‖_p                             (each tensor viewed as one vector)
    total_norm = ‖(n₁, …, n_k)‖_p           (the norm of the norms = ‖all gradients‖_p)
    clip_coef = max_norm / (total_norm + 1e-6)
    gᵢ ← gᵢ · min(clip_coef, 1)

so the gradients are only ever scaled down, and the 1e-6 makes a gradient of norm exactly
max_norm shrink very slightly. ``p = inf`` uses max |g|. torch evaluates ``max_norm / x``
as ``x.reciprocal() * max_norm`` and sums in its own order; both are reproduced, so the
results are bit-identical to torch's (norms of up to 32,768 elements per tensor). A
non-finite total norm (an inf or nan gradient) gives nan/inf scaled gradients, as in
torch, unless ``error_if_nonfinite=True``, which raises :class:`ClipError` instead (torch
raises RuntimeError).

Value clipping: gᵢ ← clamp(gᵢ, −clip_value, clip_value) (clamp_min first, then clamp_max,
so a negative clip_value sets every entry to clip_value, as in torch; nan stays nan).

``batch_dims`` (an extension; torch has no batch): the first ``batch_dims`` axes of every
gradient index independent problems, each clipped on its own; ``max_norm`` may then be an
array broadcastable against those axes.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from quizapp.engine.optim._reduce import norm2_lastdim

__all__ = ["ClipError", "clip_grad_norm", "clip_grad_norm_trace", "clip_grad_value", "vector_norm"]


class ClipError(ValueError):
    """Bad clipping input (or a non-finite total norm with error_if_nonfinite=True)."""


def vector_norm(x: Any, norm_type: float | str = 2.0, batch_dims: int = 0) -> Any:
    """``torch.linalg.vector_norm(x, p)`` over all axes after the first ``batch_dims``.

    p = 2: √Σx² (torch's order of additions); p = inf: max |x|; p = −inf: min |x|;
    p = 0: the number of nonzero entries; p = 1: Σ|x|; other p: (Σ|x|ᵖ)^(1/p). A single
    entry gives |x| for every p ≠ 0 (torch's shortcut).
    """
    p = _norm_type(norm_type)
    a = np.asarray(x, dtype=np.float64)
    rows = a.reshape(*a.shape[:batch_dims], -1) if a.ndim > batch_dims else a[..., None]
    out = _norm_rows(rows, p)
    return float(out) if np.ndim(out) == 0 else out


def _norm_type(norm_type: Any) -> float:
    try:
        p = float(norm_type)
    except (TypeError, ValueError):
        raise ClipError(f"norm_type must be a number or 'inf', got {norm_type!r}") from None
    if math.isnan(p):
        raise ClipError("norm_type must not be nan")
    return p


def _norm_rows(rows: np.ndarray, p: float) -> np.ndarray:
    """The p-norm of each row (last axis) of ``rows``, as torch's CPU kernels compute it."""
    n = rows.shape[-1]
    if n == 0:
        if p < 0 or math.isinf(p):
            raise ClipError(f"the {p} norm of an empty gradient is undefined (torch raises too)")
        return np.zeros(rows.shape[:-1])
    with np.errstate(all="ignore"):
        if p == 0:
            return np.sum(rows != 0, axis=-1).astype(np.float64)
        if n == 1:
            return np.abs(rows[..., 0])
        if p == 2:
            return norm2_lastdim(rows)
        if p == math.inf:
            return np.max(np.abs(rows), axis=-1)
        if p == -math.inf:
            return np.min(np.abs(rows), axis=-1)
        if p == 1:
            return np.cumsum(np.abs(rows), axis=-1)[..., -1]
        powered = _pow(np.abs(rows), p)
        return _pow(np.cumsum(powered, axis=-1)[..., -1], 1.0 / p)


def _pow(x: np.ndarray, e: float) -> np.ndarray:
    """C's pow elementwise (NumPy's SIMD power can differ from it in the last bit)."""

    def one(v: float) -> float:
        try:
            return v**e
        except OverflowError:
            return math.inf
        except ZeroDivisionError:  # 0 ** negative: C's pow gives +inf (v = |x| ≥ 0 here)
            return math.inf

    flat = [one(v) for v in np.ravel(x).tolist()]
    return np.asarray(flat, dtype=np.float64).reshape(np.shape(x))


def _grads(grads: Any, batch_dims: int) -> list[np.ndarray]:
    if isinstance(grads, np.ndarray) or not isinstance(grads, list | tuple):
        raise ClipError("grads must be a list of arrays (one per parameter tensor)")
    if isinstance(batch_dims, bool) or not isinstance(batch_dims, int) or batch_dims < 0:
        raise ClipError(f"batch_dims must be an integer >= 0, got {batch_dims!r}")
    out = []
    for i, g in enumerate(grads):
        try:
            a = np.array(g, dtype=np.float64)
        except (TypeError, ValueError):
            raise ClipError(f"grads[{i}] must be a float array, got {g!r}") from None
        if a.ndim < batch_dims:
            raise ClipError(f"grads[{i}] has {a.ndim} axes, fewer than batch_dims={batch_dims}")
        out.append(a)
    shapes = {a.shape[:batch_dims] for a in out}
    if len(shapes) > 1:
        raise ClipError(f"the batch axes of the grads differ: {sorted(shapes)}")
    return out


def _scalar(x: Any, name: str) -> Any:
    if isinstance(x, bool) or x is None:  # np.asarray(None, float) would be a silent nan
        raise ClipError(f"{name} must be a number, got {x!r}")
    try:
        a = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError):
        raise ClipError(f"{name} must be a number, got {x!r}") from None
    return float(a) if a.ndim == 0 else a


def clip_grad_norm_trace(
    grads: Any,
    max_norm: Any,
    norm_type: float | str = 2.0,
    error_if_nonfinite: bool = False,
    *,
    batch_dims: int = 0,
) -> tuple[list[np.ndarray], Any, dict[str, Any]]:
    """Like :func:`clip_grad_norm`, also returning the named intermediates: ``norms`` (nᵢ,
    stacked on the last axis), ``total_norm``, ``clip_coef`` = max_norm/(total_norm + 1e-6)
    and ``clip_coef_clamped`` = min(clip_coef, 1)."""
    gs = _grads(grads, batch_dims)
    p = _norm_type(norm_type)
    max_norm = _scalar(max_norm, "max_norm")
    if not gs:
        return [], 0.0, {"norms": np.zeros(0), "total_norm": 0.0}
    norms = np.stack([vector_norm(g, p, batch_dims) for g in gs], axis=-1)
    total = _norm_rows(norms, p)
    if error_if_nonfinite and not np.all(np.isfinite(total)):
        raise ClipError(
            f"the total norm of order {p} of the gradients is non-finite, so it cannot be "
            "clipped (torch raises here with error_if_nonfinite=True)"
        )
    with np.errstate(all="ignore"):
        coef = (1.0 / (total + 1e-6)) * max_norm  # torch: max_norm / t = t.reciprocal() * max_norm
        clamped = np.minimum(coef, 1.0)  # nan stays nan, as torch.clamp
        clipped = [g * clamped.reshape(clamped.shape + (1,) * (g.ndim - batch_dims)) for g in gs]
    trace = {
        "norms": norms,
        "total_norm": _out(total),
        "clip_coef": _out(coef),
        "clip_coef_clamped": _out(clamped),
    }
    return clipped, trace["total_norm"], trace


def _out(x: np.ndarray) -> Any:
    return float(x) if np.ndim(x) == 0 else np.asarray(x, dtype=np.float64)


def clip_grad_norm(
    grads: Any,
    max_norm: Any,
    norm_type: float | str = 2.0,
    error_if_nonfinite: bool = False,
    *,
    batch_dims: int = 0,
) -> tuple[list[np.ndarray], Any]:
    """torch's ``clip_grad_norm_``: (clipped copies of ``grads``, total_norm); see the
    module docstring for the equations."""
    clipped, total, _ = clip_grad_norm_trace(
        grads, max_norm, norm_type, error_if_nonfinite, batch_dims=batch_dims
    )
    return clipped, total


def clip_grad_value(grads: Any, clip_value: Any) -> list[np.ndarray]:
    """torch's ``clip_grad_value_``: each gᵢ ← min(max(gᵢ, −clip_value), clip_value), with
    C++'s ``std::max``/``std::min``, which keep their first argument on a tie: clipping to
    0 keeps a negative gradient's sign (−0), and a nan stays nan."""
    v = _scalar(clip_value, "clip_value")
    out = []
    for g in _grads(grads, 0):
        low = np.where(g < -v, -v, g)
        out.append(np.where(low > v, v, low))
    return out
