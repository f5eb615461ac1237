"""Learning-rate schedules with one set of hyperparameters per row.

    from quizapp.engine import schedules_batch
    lr = schedules_batch.evaluate("cosine", k, base_lr=b, T_max=t, eta_min=e)

``evaluate(name, k, **kw)`` broadcasts k and every keyword (scalars or arrays) to one shape
and returns, element by element, ``schedules.get(name, **kw_row)(k_row)`` — the lr torch
reports after k_row calls of ``scheduler.step()``. It is a thin layer over
:func:`quizapp.engine.schedules.get`: rows with the same hyperparameters share one
schedule, so the values are those of the scalar API by construction. List values
(``milestones``, ``schedulers``) are one value shared by every row, not an axis.
Invalid hyperparameters raise the same :class:`schedules.ScheduleError` as the scalar API.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from quizapp.engine import schedules

__all__ = ["evaluate"]


def evaluate(name: str, k: Any, **kwargs: Any) -> np.ndarray:
    """Elementwise ηₖ = ``schedules.get(name, **row)(k)`` with per-row hyperparameters; a
    float64 array of the broadcast shape of k and the keywords."""
    fixed = {x: v for x, v in kwargs.items() if isinstance(v, list | tuple)}
    keys = [x for x in kwargs if x not in fixed]
    arrays = np.broadcast_arrays(np.asarray(k), *(np.asarray(kwargs[x]) for x in keys))
    ks = arrays[0]
    if ks.size == 0:
        schedules.check_keywords(name, kwargs)
        return np.empty(ks.shape)
    rows: dict[tuple, list[int]] = {}
    cols = [a.ravel().tolist() for a in arrays[1:]]
    for i, key in enumerate(zip(*cols, strict=True)):
        rows.setdefault(key, []).append(i)
    flat_k = ks.ravel()
    out = np.empty(flat_k.shape)
    for key, idx in rows.items():
        f = schedules.get(name, **fixed, **dict(zip(keys, key, strict=True)))
        out[idx] = f(flat_k[idx])
    return out.reshape(ks.shape)
