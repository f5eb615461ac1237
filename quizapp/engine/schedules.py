"""Learning-rate schedules whose values equal torch.optim.lr_scheduler's (torch 2.13).

    f = schedules.get("cosine", base_lr=0.1, T_max=100, eta_min=0.0)
    f(k)     # k: int or int ndarray = number of scheduler.step() calls (torch's last_epoch)

``f(k)`` is the lr ``scheduler.get_last_lr()[0]`` reports after k calls of
``scheduler.step()``. torch computes most schedules *recursively* (each lr from the
previous one), which differs from the textbook closed form in the last bits and past the
end of a schedule; the engine replays the same recursion with the same Python-float
arithmetic (:mod:`quizapp.engine.schedule_models`), so values agree bit for bit. Where
torch raises (onecycle past total_steps), :class:`ScheduleError` is raised.
``describe(name)`` gives the closed-form formula. Schedules whose value depends on k only
(the LambdaLR recipes, cyclic, onecycle) are evaluated at k directly; the others replay
torch's steps once and extend the replay when a larger k is asked for. Steps where torch's
get_lr returns the lr unchanged (linear, constant and polynomial past total_iters, e.g. the
stable phase of a warmup-stable-decay SequentialLR) are counted at once, not replayed one
by one (``Model.extend``): the values are the same floats.

``sequential`` and ``chained`` compose schedules given as ``schedulers=[(name, kwargs), …]``
(the parts take the outer ``base_lr``), with torch's real behaviour: see ``describe``.
:func:`plateau` is ReduceLROnPlateau, a function of the metric values.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from quizapp.engine.schedule_builders import BUILDERS, Factory, complete
from quizapp.engine.schedule_models import Model, ScheduleError
from quizapp.engine.schedule_specs import SPECS as _SPECS

__all__ = ["Plateau", "Schedule", "ScheduleError", "describe", "get", "names", "plateau"]


def names() -> tuple[str, ...]:
    """The schedule names :func:`get` accepts."""
    return tuple(_SPECS)


def describe(name: str) -> str:
    """The closed-form formula of ``name`` in Unicode (k = scheduler.step() calls so far)."""
    if not isinstance(name, str) or name not in _SPECS:
        raise ScheduleError(f"unknown schedule {name!r}; valid: {', '.join(_SPECS)}")
    return _SPECS[name][2]


def check_keywords(name: str, kwargs: dict[str, Any]) -> dict[str, Any]:
    """The keywords of ``name`` with defaults filled in; ScheduleError for an unknown name,
    an unknown keyword or a missing one (values are checked when the schedule is built)."""
    return complete(name, kwargs)


class Schedule:
    """A schedule: ``f(k)`` = torch's lr after k ``scheduler.step()`` calls (vectorised)."""

    def __init__(self, name: str, kw: dict[str, Any], factory: Factory):
        self.name = name
        self.kwargs = dict(kw)
        self._factory = factory
        base = kw.get("base_lr")
        self._base = 0.0 if base is None else float(base)  # onecycle ignores it
        self._model: Model | None = None
        self._cache: list[float] = []
        self.__doc__ = f"{name}: {describe(name)}"

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.kwargs.items())
        return f"schedules.get({self.name!r}, {args})"

    def values(self, n: int) -> np.ndarray:
        """Lrs for k = 0..n−1."""
        return np.asarray(self(np.arange(n)), dtype=np.float64)

    def __call__(self, k: Any) -> Any:
        """The lr after k steps; float for an int k, float64 ndarray for an int array."""
        ks = np.asarray(k)
        if isinstance(k, bool) or (
            ks.dtype.kind not in "iu"
            and not (
                ks.dtype.kind == "f" and np.all(np.isfinite(ks)) and np.all(ks == np.floor(ks))
            )
        ):
            raise ScheduleError(f"{self.name}: k must be an int or int array, got {k!r}")
        if ks.size and np.min(ks) < 0:
            raise ScheduleError(f"{self.name}: k must be >= 0, got {k!r}")
        if ks.size > 1:  # one replay up to the largest k, then look-ups
            self._at(0)
            if self._model is not None and not self._model.closed_in_k:
                self._at(int(ks.max()))
        flat = [self._at(x) for x in ks.astype(np.int64).ravel().tolist()]
        if ks.ndim == 0:
            return flat[0]
        return np.asarray(flat, dtype=np.float64).reshape(ks.shape)

    def _at(self, k: int) -> float:
        try:
            if self._model is None:
                self._model = self._factory()
                if not self._model.closed_in_k:
                    self._cache = [self._model.construct(self._base)]
            if self._model.closed_in_k:
                return self._model.at(k)
            if len(self._cache) <= k:
                self._model.extend(self._cache, k + 1)
        except (ScheduleError, ZeroDivisionError) as exc:
            self._model = None  # the replay stopped mid-step: start afresh next time
            if isinstance(exc, ScheduleError):
                raise
            raise ScheduleError(
                f"{self.name}: torch divides by zero at step {len(self._cache)} here"
            ) from None
        return self._cache[k]


def get(name: str, **kwargs: Any) -> Schedule:
    """Schedule ``name`` with torch's keyword names (see :func:`names`, :func:`describe`)."""
    kw = complete(name, kwargs)
    try:
        factory = BUILDERS[name](kw)
    except ScheduleError as exc:
        raise ScheduleError(f"schedule {name!r}: {exc}") from None
    return Schedule(name, kw, factory)


# --- ReduceLROnPlateau -------------------------------------------------------------------------
class Plateau:
    """torch's ReduceLROnPlateau on one param group: ``f(metrics)`` is the lr after each
    ``scheduler.step(metric)``, i.e. ``get_last_lr()[0]`` after 1, 2, … steps.

    Per step, with ``best`` starting at +inf (mode min) or −inf (mode max):

        better = m < best·(1 − threshold)   (min, rel)     m < best − threshold   (min, abs)
                 m > best·(1 + threshold)   (max, rel)     m > best + threshold   (max, abs)
        better → best = m, bad = 0;  else bad += 1
        in cooldown (counter > 0) → counter −= 1, bad = 0
        bad > patience → new = max(lr·factor, min_lr); lr = new if lr − new > eps;
                          counter = cooldown; bad = 0
    """

    def __init__(self, base_lr: float, **kw: Any) -> None:
        self.base_lr = base_lr
        self.kwargs = kw
        self.__doc__ = Plateau.__doc__

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.kwargs.items())
        return f"schedules.plateau(base_lr={self.base_lr!r}, {args})"

    def __call__(self, metrics: Sequence[float] | np.ndarray) -> np.ndarray:
        """The lr after each step(metric), as a float64 array of len(metrics)."""
        return np.array([row["lr"] for row in self.trace(metrics)], dtype=np.float64)

    def trace(self, metrics: Sequence[float] | np.ndarray) -> list[dict[str, Any]]:
        """Per step: ``metric``, ``best``, ``num_bad_epochs``, ``cooldown_counter``, whether
        the lr was ``reduced`` and the ``lr`` after the step (torch's state, step by step)."""
        kw = self.kwargs
        mode, factor, patience = kw["mode"], kw["factor"], kw["patience"]
        threshold, rel, cooldown = kw["threshold"], kw["threshold_mode"] == "rel", kw["cooldown"]
        min_lr, eps = kw["min_lr"], kw["eps"]
        best = math.inf if mode == "min" else -math.inf
        bad = counter = 0
        lr = self.base_lr
        rows = []
        for raw in _metric_list(metrics):
            current = float(raw)
            if mode == "min":
                better = current < (best * (1.0 - threshold) if rel else best - threshold)
            else:
                better = current > (best * (threshold + 1.0) if rel else best + threshold)
            if better:
                best, bad = current, 0
            else:
                bad += 1
            if counter > 0:
                counter -= 1
                bad = 0  # torch ignores bad epochs in cooldown
            reduced = False
            if bad > patience:
                new_lr = max(lr * factor, min_lr)
                if lr - new_lr > eps:
                    lr, reduced = new_lr, True
                counter, bad = cooldown, 0
            rows.append(
                {
                    "metric": current,
                    "best": best,
                    "num_bad_epochs": bad,
                    "cooldown_counter": counter,
                    "reduced": reduced,
                    "lr": lr,
                }
            )
        return rows


def _metric_list(metrics: Any) -> list[float]:
    try:
        arr = np.asarray(metrics, dtype=np.float64)
    except (TypeError, ValueError):
        raise ScheduleError(
            f"plateau: metrics must be a sequence of numbers, got {metrics!r}"
        ) from None
    if arr.ndim != 1:
        raise ScheduleError("plateau: metrics must be a 1-D sequence of numbers")
    return arr.tolist()


def plateau(
    base_lr: float,
    mode: str = "min",
    factor: float = 0.1,
    patience: int = 10,
    threshold: float = 1e-4,
    threshold_mode: str = "rel",
    cooldown: int = 0,
    min_lr: float = 0.0,
    eps: float = 1e-8,
    **unknown: Any,
) -> Plateau:
    """torch's ``ReduceLROnPlateau(optimizer with lr=base_lr, mode, factor, patience,
    threshold, threshold_mode, cooldown, min_lr, eps)`` (torch's defaults) as a function of
    the metric values; see :class:`Plateau` for the rule. factor must be < 1."""
    from quizapp.engine.schedule_builders import integer, lr_value, num

    if unknown:
        raise ScheduleError(
            f"plateau: unknown keyword(s) {', '.join(sorted(unknown))}; valid: base_lr, mode, "
            "factor, patience, threshold, threshold_mode, cooldown, min_lr, eps"
        )
    kw: dict[str, Any] = {
        "mode": mode,
        "factor": factor,
        "patience": patience,
        "threshold": threshold,
        "threshold_mode": threshold_mode,
        "cooldown": cooldown,
        "min_lr": min_lr,
        "eps": eps,
    }
    try:
        base = lr_value({"base_lr": base_lr})
        if mode not in ("min", "max"):
            raise ScheduleError(f"mode must be 'min' or 'max', got {mode!r}")
        if threshold_mode not in ("rel", "abs"):
            raise ScheduleError(f"threshold_mode must be 'rel' or 'abs', got {threshold_mode!r}")
        kw["factor"] = num(kw, "factor")
        if kw["factor"] >= 1.0:
            raise ScheduleError("factor must be < 1.0 (torch's rule)")
        kw["patience"] = integer(kw, "patience", 0)
        kw["cooldown"] = integer(kw, "cooldown", 0)
        kw["threshold"] = num(kw, "threshold")
        kw["min_lr"] = lr_value(kw, "min_lr")
        kw["eps"] = num(kw, "eps")
    except ScheduleError as exc:
        raise ScheduleError(f"plateau: {exc}") from None
    return Plateau(base, **kw)
