"""Learning-rate schedules with one set of hyperparameters per row, in whole-array passes.

    from quizapp.engine import schedules_batch
    lr = schedules_batch.evaluate("cosine", k, base_lr=b, T_max=t, eta_min=e)

``evaluate(name, k, **kw)`` broadcasts k and every keyword (scalars or arrays) to one shape
and returns, element by element, exactly ``schedules.get(name, **kw_row)(k_row)`` — the lr
torch reports after k_row calls of ``scheduler.step()`` — bit for bit: the same IEEE
operations in the same order, only on arrays instead of Python floats (NumPy's elementwise
+ − × ÷ round exactly as Python's), and cosines from Python's ``math.cos`` (NumPy's SIMD cos
may differ from glibc's in the last bit).

- ``warmup_linear``, ``warmup_cosine`` (torch LambdaLR: closed form η₀·λ(k)):
  λ(k) = k / max(1, W) for k < W, else max(0, (N − k) / max(1, N − W)) resp.
  max(0, ½(1 + cos(π·c·2·p))), p = (k − W) / max(1, N − W).
- ``step`` (ηₖ = ηₖ₋₁·γ when k mod step_size = 0) and ``exponential`` (ηₖ = ηₖ₋₁·γ): torch's
  recursion, i.e. η₀ multiplied by γ one factor at a time, ⌊k/step_size⌋ resp. k times.
- ``cosine``: torch's recursion ηₖ = (1 + cos(πk/T)) / (1 + cos(π(k−1)/T))·(ηₖ₋₁ − η_min)
  + η_min (ηₖ₋₁ + (η₀ − η_min)(1 − cos(π/T))/2 when (k − 1 − T) mod 2T = 0), all rows
  advanced together one k at a time.
- every other schedule: rows grouped by hyperparameters, one ``schedules.get`` per group.

Invalid hyperparameters raise the same :class:`schedules.ScheduleError` as the scalar API.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

import numpy as np

from quizapp.engine import schedules
from quizapp.engine.schedules import ScheduleError

__all__ = ["evaluate"]

_TABLE_LIMIT = 1 << 22
_COSINE_MIN_ROWS = 64  # cos-table entries beyond which cosine falls back to per-group replays


def evaluate(name: str, k: Any, **kwargs: Any) -> np.ndarray:
    """Elementwise lr of schedule ``name`` at step counts ``k`` with per-row hyperparameters
    (see the module docstring for the equations); a float64 array of the broadcast shape."""
    required, optional, _ = schedules._spec(name)
    kw = {**optional, **kwargs}
    # list values (milestones) are one value shared by every row, not an axis to broadcast
    fixed = {x: v for x, v in kw.items() if isinstance(v, list | tuple)}
    keys = [x for x in kw if x not in fixed]
    arrays = np.broadcast_arrays(np.asarray(k), *(np.asarray(kw[x]) for x in keys))
    shape = arrays[0].shape
    cols = {x: a.ravel() for x, a in zip(keys, arrays[1:], strict=True)}
    if arrays[0].size == 0:
        if set(kwargs) - set(required) - set(optional) or set(required) - set(kwargs):
            schedules.get(name, **kwargs)  # raises the scalar API's message
        return np.empty(shape)
    fast = _FAST.get(name)
    if name == "cosine" and arrays[0].size < _COSINE_MIN_ROWS:
        fast = None  # a few rows: k Python steps each beat k array passes
    if fast is None or set(kwargs) - set(required) - set(optional) or set(required) - set(kwargs):
        # keyword names (and one row's values) checked, and worded, by the scalar API
        schedules.get(name, **fixed, **{x: a[:1].tolist()[0] for x, a in cols.items()})
    ks = _steps(name, arrays[0].ravel())
    out = None
    if fast is not None and _valid(name, cols):
        with np.errstate(all="ignore"):
            out = fast(ks, cols)
    if out is None:
        out = _grouped(name, ks, cols, fixed)
    return out.reshape(shape)


def _steps(name: str, ks: np.ndarray) -> np.ndarray:
    if ks.dtype.kind not in "iu" and not (
        ks.dtype.kind == "f" and np.all(np.isfinite(ks)) and np.all(ks == np.floor(ks))
    ):
        raise ScheduleError(f"{name}: k must be an int or int array, got {ks!r}")
    if ks.size and np.min(ks) < 0:
        raise ScheduleError(f"{name}: k must be >= 0, got {ks!r}")
    return ks.astype(np.int64)


# keyword -> ("lr" | "num" | ("int", low)) for the schedules with a vectorised path; every
# rule is per keyword (no cross-keyword checks), as in the scalar builders
_RULES: dict[str, dict[str, Any]] = {
    "step": {"base_lr": "lr", "step_size": ("int", 1), "gamma": "num"},
    "exponential": {"base_lr": "lr", "gamma": "num"},
    "cosine": {"base_lr": "lr", "T_max": ("int", None), "eta_min": "num"},
    "warmup_linear": {
        "base_lr": "lr",
        "num_warmup_steps": ("int", 0),
        "num_training_steps": ("int", 0),
    },
    "warmup_cosine": {
        "base_lr": "lr",
        "num_warmup_steps": ("int", 0),
        "num_training_steps": ("int", 0),
        "num_cycles": "num",
    },
}


def _valid(name: str, cols: dict[str, np.ndarray]) -> bool:
    """True when every row passes the scalar builder's checks; otherwise the first bad row
    is handed to the scalar API, which raises its own message (False if it does not)."""
    ok = np.ones(len(next(iter(cols.values()))), dtype=bool)
    for key, rule in _RULES[name].items():
        a = cols[key]
        if rule in ("lr", "num"):
            if a.dtype.kind not in "iuf":
                return False
            good = np.isfinite(a)
            if rule == "lr":
                good &= a >= 0
        else:
            if a.dtype.kind not in "iu":
                return False
            good = a != 0 if rule[1] is None else a >= rule[1]
        ok &= good
    if ok.all():
        return True
    i = int(np.argmin(ok))
    schedules.get(name, **{key: a[i : i + 1].tolist()[0] for key, a in cols.items()})
    return False


def _grouped(
    name: str, ks: np.ndarray, cols: dict[str, np.ndarray], fixed: dict[str, Any]
) -> np.ndarray:
    """One scalar Schedule per distinct hyperparameter row (the general path)."""
    out = np.empty(ks.shape)
    rows: dict[tuple, list[int]] = {}
    lists = [a.tolist() for a in cols.values()]
    for i, key in enumerate(zip(*lists, strict=True)):
        rows.setdefault(key, []).append(i)
    for key, idx in rows.items():
        f = schedules.get(name, **fixed, **dict(zip(cols, key, strict=True)))
        out[idx] = f(ks[idx])
    return out


def _max0(x: np.ndarray) -> np.ndarray:
    """Python's max(0.0, x): x only where x > 0.0 (so −0.0 and nan give 0.0)."""
    return np.where(x > 0.0, x, 0.0)


def _warmup_lambda(ks: np.ndarray, c: dict[str, np.ndarray]) -> tuple[np.ndarray, ...]:
    w, n = c["num_warmup_steps"].astype(np.int64), c["num_training_steps"].astype(np.int64)
    kf = ks.astype(np.float64)
    warm = kf / np.maximum(1, w).astype(np.float64)
    return ks < w, warm, (ks - w).astype(np.float64), np.maximum(1, n - w).astype(np.float64)


def _warmup_linear(ks: np.ndarray, c: dict[str, np.ndarray]) -> np.ndarray:
    """η₀·λ(k): k/max(1, W) for k < W, else max(0, (N − k)/max(1, N − W))."""
    in_warmup, warm, _, span = _warmup_lambda(ks, c)
    n = c["num_training_steps"].astype(np.int64)
    decay = _max0((n - ks).astype(np.float64) / span)
    return c["base_lr"].astype(np.float64) * np.where(in_warmup, warm, decay)


def _warmup_cosine(ks: np.ndarray, c: dict[str, np.ndarray]) -> np.ndarray:
    """η₀·λ(k): k/max(1, W) for k < W, else max(0, ½(1 + cos(π·c·2·p))), p = (k − W)/max(1, N − W)."""
    in_warmup, warm, done, span = _warmup_lambda(ks, c)
    progress = done / span
    arg = math.pi * c["num_cycles"].astype(np.float64) * 2.0 * progress
    cos = np.zeros_like(arg)
    cos[~in_warmup] = _cos(arg[~in_warmup])  # math.cos only where the cosine is used
    decay = _max0(0.5 * (1.0 + cos))
    return c["base_lr"].astype(np.float64) * np.where(in_warmup, warm, decay)


def _cos(x: np.ndarray) -> np.ndarray:
    return np.fromiter(map(math.cos, x.tolist()), dtype=np.float64, count=x.size)


def _times_gamma(lr: np.ndarray, gamma: np.ndarray, count: np.ndarray) -> np.ndarray:
    """lr·γ·γ·…·γ (``count`` factors, each product rounded, as torch's recursion does)."""
    order = np.argsort(-count, kind="stable")  # rows still multiplying form a prefix
    cnt, x, g = count[order], lr[order].copy(), gamma[order]
    ends = np.searchsorted(-cnt, -np.arange(1, int(cnt[0]) + 1 if cnt.size else 1), "right")
    for end in ends.tolist():  # end = number of rows with count ≥ j, for j = 1, 2, …
        np.multiply(x[:end], g[:end], out=x[:end])
    out = np.empty_like(x)
    out[order] = x
    return out


def _step(ks: np.ndarray, c: dict[str, np.ndarray]) -> np.ndarray:
    """StepLR: η₀ times γ once per multiple of step_size in 1..k, i.e. ⌊k/step_size⌋ times."""
    size = c["step_size"].astype(np.int64)
    return _times_gamma(c["base_lr"].astype(np.float64), c["gamma"].astype(np.float64), ks // size)


def _exponential(ks: np.ndarray, c: dict[str, np.ndarray]) -> np.ndarray:
    """ExponentialLR: ηₖ = ηₖ₋₁·γ, i.e. η₀ times γ, k times."""
    return _times_gamma(c["base_lr"].astype(np.float64), c["gamma"].astype(np.float64), ks)


@lru_cache(maxsize=1024)
def _cos_row(t_max: int, n: int) -> np.ndarray:
    """cos(π·j/T_max) for j = 0..n−1, as Python computes math.cos(math.pi * j / t_max)."""
    return np.array([math.cos(math.pi * j / t_max) for j in range(n)], dtype=np.float64)


def _cosine(ks: np.ndarray, c: dict[str, np.ndarray]) -> np.ndarray | None:
    """CosineAnnealingLR's recursion, all rows advanced together (see module docstring)."""
    t = c["T_max"].astype(np.int64)
    base, eta = c["base_lr"].astype(np.float64), c["eta_min"].astype(np.float64)
    uniq, ti = np.unique(t, return_inverse=True)
    kmax = int(ks.max())
    if uniq.size * (kmax + 1) > _TABLE_LIMIT:
        return None
    # one cos table per distinct T_max (shared across calls), padded to kmax + 1 columns
    table = np.stack([_cos_row(int(u), _pow2(kmax + 1))[: kmax + 1] for u in uniq.tolist()])
    restart = (base - eta) * (1 - _cos_pi_over(uniq)[ti]) / 2
    order = np.argsort(-ks, kind="stable")
    kk, tt, ii = ks[order], t[order], ti[order]
    lr, e, rs = base[order].copy(), eta[order], restart[order]
    ends = np.searchsorted(-kk, -np.arange(1, kmax + 1), "right")
    for j, end in enumerate(ends.tolist(), start=1):
        sl = slice(0, end)
        row = ii[sl]
        ratio = (1 + table[row, j]) / (1 + table[row, j - 1])
        chained = ratio * (lr[sl] - e[sl]) + e[sl]
        jump = (j - 1 - tt[sl]) % (2 * tt[sl]) == 0
        lr[sl] = np.where(jump, lr[sl] + rs[sl], chained)
    out = np.empty_like(lr)
    out[order] = lr
    return out


def _cos_pi_over(t: np.ndarray) -> np.ndarray:
    return np.array([math.cos(math.pi / int(x)) for x in t.tolist()], dtype=np.float64)


def _pow2(n: int) -> int:
    """n rounded up to a power of two, so cached cos rows are reused by nearby k."""
    return 1 << max(0, n - 1).bit_length()


_FAST = {
    "step": _step,
    "exponential": _exponential,
    "cosine": _cosine,
    "warmup_linear": _warmup_linear,
    "warmup_cosine": _warmup_cosine,
}
