"""Keyword checks and builders of the learning-rate schedules (the models of torch's
scheduler objects are in :mod:`quizapp.engine.schedule_models`).

``BUILDERS[name](kw)`` checks the keywords of schedule ``name`` (completed with torch's
defaults by :func:`complete`) and returns a zero-argument factory of fresh models, so a
schedule, or a part of a sequential/chained one, always starts from torch's initial state.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from quizapp.engine.schedule_models import (
    ChainedScheduler,
    ConstantLR,
    CosineAnnealingLR,
    CosineAnnealingWarmRestarts,
    CyclicLR,
    ExponentialLR,
    LambdaLR,
    LinearLR,
    Model,
    MultiplicativeLR,
    MultiStepLR,
    OneCycleLR,
    PolynomialLR,
    ScheduleError,
    SequentialLR,
    StepLR,
)
from quizapp.engine.schedule_specs import SPECS


# --- keyword checks ------------------------------------------------------------------------
def num(kw: dict[str, Any], key: str) -> float:
    v = kw[key]
    if isinstance(v, bool) or not isinstance(v, int | float | np.integer | np.floating):
        raise ScheduleError(f"{key} must be a number, got {v!r}")
    if not math.isfinite(float(v)):
        raise ScheduleError(f"{key} must be finite, got {v!r}")
    return float(v)


def integer(kw: dict[str, Any], key: str, low: int) -> int:
    v = kw[key]
    if isinstance(v, bool) or not isinstance(v, int | np.integer) or v < low:
        raise ScheduleError(f"{key} must be an integer >= {low}, got {v!r}")
    return int(v)


def lr_value(kw: dict[str, Any], key: str = "base_lr") -> float:
    v = num(kw, key)
    if v < 0:
        raise ScheduleError(f"{key} must be >= 0, got {v!r}")
    return v


def int_list(kw: dict[str, Any], key: str) -> list[int]:
    v = kw[key]
    if not isinstance(v, list | tuple) or not all(
        isinstance(m, int | np.integer) and not isinstance(m, bool) for m in v
    ):
        raise ScheduleError(f"{key} must be a list of integers, got {v!r}")
    return [int(m) for m in v]


Factory = Callable[[], Model]


def _b_step(kw: dict[str, Any]) -> Factory:
    base, size, gamma = lr_value(kw), integer(kw, "step_size", 1), num(kw, "gamma")
    return lambda: StepLR(base, size, gamma)


def _b_multistep(kw: dict[str, Any]) -> Factory:
    base, gamma, ms = lr_value(kw), num(kw, "gamma"), int_list(kw, "milestones")
    return lambda: MultiStepLR(base, ms, gamma)


def _b_exponential(kw: dict[str, Any]) -> Factory:
    base, gamma = lr_value(kw), num(kw, "gamma")
    return lambda: ExponentialLR(base, gamma)


def _b_cosine(kw: dict[str, Any]) -> Factory:
    base, eta_min, t_max = lr_value(kw), num(kw, "eta_min"), kw["T_max"]
    if isinstance(t_max, bool) or not isinstance(t_max, int | np.integer) or t_max == 0:
        raise ScheduleError(f"T_max must be a nonzero integer, got {t_max!r}")
    return lambda: CosineAnnealingLR(base, int(t_max), eta_min)


def _b_linear(kw: dict[str, Any]) -> Factory:
    base, s, e = lr_value(kw), num(kw, "start_factor"), num(kw, "end_factor")
    total = integer(kw, "total_iters", 0)
    if s > 1.0 or s <= 0:
        raise ScheduleError("start_factor must be in (0, 1] (torch's rule)")
    if e > 1.0 or e < 0:
        raise ScheduleError("end_factor must be in [0, 1] (torch's rule)")
    return lambda: LinearLR(base, s, e, total)


def _b_constant(kw: dict[str, Any]) -> Factory:
    base, factor, total = lr_value(kw), num(kw, "factor"), integer(kw, "total_iters", 0)
    if factor > 1.0 or factor < 0:
        raise ScheduleError("factor must be in [0, 1] (torch's rule)")
    return lambda: ConstantLR(base, factor, total)


def _b_polynomial(kw: dict[str, Any]) -> Factory:
    base, power, total = lr_value(kw), num(kw, "power"), integer(kw, "total_iters", 0)
    return lambda: PolynomialLR(base, total, power)


def _b_multiplicative(kw: dict[str, Any]) -> Factory:
    base, factor = lr_value(kw), num(kw, "factor")
    return lambda: MultiplicativeLR(base, factor)


def _b_onecycle(kw: dict[str, Any]) -> Factory:
    max_lr, total = lr_value(kw, "max_lr"), integer(kw, "total_steps", 1)
    pct = kw["pct_start"]
    if not isinstance(pct, float) or not 0 <= pct <= 1:
        raise ScheduleError(f"pct_start must be a float in [0, 1], got {pct!r}")
    div, final_div = num(kw, "div_factor"), num(kw, "final_div_factor")
    for key, value in (("div_factor", div), ("final_div_factor", final_div)):
        if value == 0:  # torch divides max_lr by it: ZeroDivisionError
            raise ScheduleError(f"{key} must not be 0 (the lr is divided by it; torch raises too)")
    strategy = kw["anneal_strategy"]
    if strategy not in ("cos", "linear"):
        raise ScheduleError(f"anneal_strategy must be 'cos' or 'linear', got {strategy!r}")
    if not isinstance(kw["three_phase"], bool):
        raise ScheduleError("three_phase must be True or False")
    if kw["base_lr"] is not None:
        lr_value(kw)
    initial = max_lr / div
    lrs = {"initial_lr": initial, "max_lr": max_lr, "min_lr": initial / final_div}
    if kw["three_phase"]:
        phases = [
            (float(pct * total) - 1, "initial_lr", "max_lr"),
            (float(2 * pct * total) - 2, "max_lr", "initial_lr"),
            (total - 1, "initial_lr", "min_lr"),
        ]
    else:
        phases = [(float(pct * total) - 1, "initial_lr", "max_lr"), (total - 1, "max_lr", "min_lr")]
    return lambda: OneCycleLR(max_lr, total, phases, strategy, lrs)


def _b_warm_restarts(kw: dict[str, Any]) -> Factory:
    base, eta_min = lr_value(kw), num(kw, "eta_min")
    t0, tmult = integer(kw, "T_0", 1), integer(kw, "T_mult", 1)
    return lambda: CosineAnnealingWarmRestarts(base, t0, tmult, eta_min)


def _b_cyclic(kw: dict[str, Any]) -> Factory:
    base, max_lr, gamma = lr_value(kw), lr_value(kw, "max_lr"), num(kw, "gamma")
    up = integer(kw, "step_size_up", 1)
    down = None if kw["step_size_down"] is None else integer(kw, "step_size_down", 0)
    mode = kw["mode"]
    if mode not in ("triangular", "triangular2", "exp_range"):
        raise ScheduleError(
            f"mode must be 'triangular', 'triangular2' or 'exp_range', got {mode!r}"
        )
    return lambda: CyclicLR(base, max_lr, up, down, mode, gamma)


def _warmup(kw: dict[str, Any]) -> tuple[float, int, int]:
    return lr_value(kw), integer(kw, "num_warmup_steps", 0), integer(kw, "num_training_steps", 0)


def _b_warmup_cosine(kw: dict[str, Any]) -> Factory:
    base, w, n = _warmup(kw)
    cycles = num(kw, "num_cycles")

    def lam(k: int) -> float:  # transformers' get_cosine_schedule_with_warmup
        if k < w:
            return float(k) / float(max(1, w))
        progress = float(k - w) / float(max(1, n - w))
        return max(0.0, 0.5 * (1.0 + math.cos(math.pi * float(cycles) * 2.0 * progress)))

    return lambda: LambdaLR(base, lam)


def _b_warmup_linear(kw: dict[str, Any]) -> Factory:
    base, w, n = _warmup(kw)

    def lam(k: int) -> float:  # transformers' get_linear_schedule_with_warmup
        if k < w:
            return float(k) / float(max(1, w))
        return max(0.0, float(n - k) / float(max(1, n - w)))

    return lambda: LambdaLR(base, lam)


def _b_inverse_sqrt(kw: dict[str, Any]) -> Factory:
    base, w = lr_value(kw), integer(kw, "num_warmup_steps", 0)
    timescale = (w or 10_000) if kw["timescale"] is None else integer(kw, "timescale", 1)
    shift = timescale - w

    def lam(k: int) -> float:  # transformers' get_inverse_sqrt_schedule
        if k < w:
            return float(k) / float(max(1, w))
        return 1.0 / math.sqrt((k + shift) / timescale)

    return lambda: LambdaLR(base, lam)


#: schedules that can be parts of sequential/chained (onecycle rewrites the optimizer's
#: initial_lr, which would change every other part's base; composites do not nest)
COMPOSABLE = (
    "step", "multistep", "exponential", "cosine", "linear", "constant", "polynomial",
    "cosine_warm_restarts", "warmup_cosine", "warmup_linear", "multiplicative", "cyclic",
    "inverse_sqrt",
)  # fmt: skip


def complete(name: str, kwargs: dict[str, Any]) -> dict[str, Any]:
    """The keywords of ``name`` with torch's defaults filled in; ScheduleError for an unknown
    name, an unknown keyword or a missing one (values are checked by the builders)."""
    if not isinstance(name, str) or name not in SPECS:
        raise ScheduleError(f"unknown schedule {name!r}; valid: {', '.join(SPECS)}")
    required, optional, _ = SPECS[name]
    unknown = sorted(set(kwargs) - set(required) - set(optional))
    if unknown:
        raise ScheduleError(
            f"schedule {name!r}: unknown keyword(s) {', '.join(unknown)}; "
            f"valid: {', '.join((*required, *optional))}"
        )
    missing = [r for r in required if r not in kwargs]
    if missing:
        raise ScheduleError(f"schedule {name!r}: missing keyword(s) {', '.join(missing)}")
    return {**optional, **kwargs}


def _parts(kw: dict[str, Any]) -> list[Factory]:
    """The factories of ``schedulers=[(name, kwargs), …]``, each with the outer base_lr."""
    base, items = lr_value(kw), kw["schedulers"]
    if not isinstance(items, list | tuple) or not items:
        raise ScheduleError("schedulers must be a non-empty list of (name, kwargs) pairs")
    out = []
    for i, item in enumerate(items):
        if not (
            isinstance(item, list | tuple)
            and len(item) == 2
            and isinstance(item[0], str)
            and isinstance(item[1], dict)
        ):
            raise ScheduleError(f"schedulers[{i}] must be a (name, kwargs) pair, got {item!r}")
        name, sub = item
        where = f"schedulers[{i}] ({name!r})"
        if name not in COMPOSABLE:
            raise ScheduleError(
                f"{where} cannot be part of sequential/chained; valid: {', '.join(COMPOSABLE)}"
            )
        if "base_lr" in sub:
            raise ScheduleError(f"{where}: a part takes the outer base_lr; remove its base_lr")
        try:
            out.append(BUILDERS[name](complete(name, {**sub, "base_lr": base})))
        except ScheduleError as exc:
            raise ScheduleError(f"{where}: {exc}") from None
    return out


def _b_sequential(kw: dict[str, Any]) -> Factory:
    base, parts = lr_value(kw), _parts(kw)
    milestones = int_list(kw, "milestones")
    if len(milestones) != len(parts) - 1:
        raise ScheduleError(
            f"milestones must have one entry fewer than schedulers ({len(parts)} schedulers, "
            f"{len(milestones)} milestones), as torch requires"
        )
    return lambda: SequentialLR(base, [f() for f in parts], milestones)


def _b_chained(kw: dict[str, Any]) -> Factory:
    base, parts = lr_value(kw), _parts(kw)
    return lambda: ChainedScheduler(base, [f() for f in parts])


BUILDERS: dict[str, Callable[[dict[str, Any]], Factory]] = {
    "step": _b_step,
    "multistep": _b_multistep,
    "exponential": _b_exponential,
    "cosine": _b_cosine,
    "linear": _b_linear,
    "constant": _b_constant,
    "polynomial": _b_polynomial,
    "onecycle": _b_onecycle,
    "cosine_warm_restarts": _b_warm_restarts,
    "warmup_cosine": _b_warmup_cosine,
    "warmup_linear": _b_warmup_linear,
    "multiplicative": _b_multiplicative,
    "cyclic": _b_cyclic,
    "inverse_sqrt": _b_inverse_sqrt,
    "sequential": _b_sequential,
    "chained": _b_chained,
}
