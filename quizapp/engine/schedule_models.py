"""Models of torch.optim.lr_scheduler's classes (torch 2.13) driving a one-group optimizer.

Each :class:`Model` is one torch scheduler object: it keeps torch's ``last_epoch`` and
``_step_count`` and, like torch, reads and writes the optimizer's current lr, which is
passed in and returned (``lr = model.step(lr)``). The arithmetic is torch's own, in
Python floats, in the same order, so values agree bit for bit. Modelling the objects
rather than formulas is what lets SequentialLR and ChainedScheduler be reproduced with
their real behaviour: chainable schedulers multiply whatever lr they find, closed-form
ones (LambdaLR recipes, CyclicLR, CosineAnnealingWarmRestarts) overwrite it.

``BUILDERS[name](kw)`` checks the keywords of schedule ``name`` (already completed with
defaults by :mod:`quizapp.engine.schedules`) and returns a zero-argument factory of fresh
models. :class:`ScheduleError` is raised for values torch would refuse or divide by zero on.
"""

from __future__ import annotations

import bisect
import math
from collections import Counter
from collections.abc import Callable
from typing import Any

import numpy as np

from quizapp.engine.schedule_specs import SPECS


class ScheduleError(ValueError):
    """Bad schedule name, keyword or value, or a step torch would refuse."""


class Model:
    """One torch LRScheduler on a single param group (see the module docstring)."""

    #: True when torch's class has ``_get_closed_form_lr`` (used by SequentialLR milestones)
    has_closed_form = False
    #: True when get_lr depends on last_epoch only (then :meth:`at` skips the replay)
    closed_in_k = False

    def __init__(self, base: float) -> None:
        self.base = base  # torch's base_lrs[0] = the group's initial_lr
        self.last_epoch = -1
        self.step_count = 0

    def construct(self, lr: float) -> float:
        """torch's constructor: its initial step (some classes first preset the lr)."""
        return self.initial_step(lr)

    def initial_step(self, lr: float) -> float:
        """``_initial_step()``: step once in initial mode."""
        self.step_count = 0
        return self.step(lr, initial=True)

    def step(self, lr: float, initial: bool = False) -> float:
        """``scheduler.step()``: last_epoch += 1, then get_lr from the current lr."""
        self.step_count += 1
        self.last_epoch += 1
        return self.get_lr(lr, initial)

    def restart(self, lr: float) -> float:
        """``_update_lr(0)``, what SequentialLR does at a milestone: last_epoch = 0, then the
        closed form if the class has one, else get_lr (not in initial mode)."""
        self.last_epoch = 0
        return self.closed_form() if self.has_closed_form else self.get_lr(lr, False)

    def at(self, k: int) -> float:
        """The lr after k steps of a fresh scheduler, for ``closed_in_k`` classes."""
        self.last_epoch = k
        return self.get_lr(self.base, k == 0)

    def get_lr(self, lr: float, initial: bool) -> float:
        raise NotImplementedError

    def closed_form(self) -> float:
        raise NotImplementedError


class _Step(Model):
    has_closed_form = True

    def __init__(self, base: float, size: int, gamma: float) -> None:
        super().__init__(base)
        self.size, self.gamma = size, gamma

    def get_lr(self, lr: float, initial: bool) -> float:
        if self.last_epoch == 0 or self.last_epoch % self.size != 0:
            return lr
        return lr * self.gamma

    def closed_form(self) -> float:
        return self.base * self.gamma ** (self.last_epoch // self.size)


class _MultiStep(Model):
    has_closed_form = True

    def __init__(self, base: float, milestones: list[int], gamma: float) -> None:
        super().__init__(base)
        self.count, self.gamma = Counter(milestones), gamma
        self.sorted = sorted(milestones)

    def get_lr(self, lr: float, initial: bool) -> float:
        if self.last_epoch not in self.count:
            return lr
        return lr * self.gamma ** self.count[self.last_epoch]

    def closed_form(self) -> float:
        return self.base * self.gamma ** bisect.bisect_right(self.sorted, self.last_epoch)


class _Exponential(Model):
    has_closed_form = True

    def __init__(self, base: float, gamma: float) -> None:
        super().__init__(base)
        self.gamma = gamma

    def get_lr(self, lr: float, initial: bool) -> float:
        return lr if initial else lr * self.gamma

    def closed_form(self) -> float:
        return self.base * self.gamma**self.last_epoch


class _Cosine(Model):
    has_closed_form = True

    def __init__(self, base: float, t_max: int, eta_min: float) -> None:
        super().__init__(base)
        self.t_max, self.eta_min = t_max, eta_min

    def get_lr(self, lr: float, initial: bool) -> float:
        k, t, eta = self.last_epoch, self.t_max, self.eta_min
        if initial:
            return lr
        if self.step_count == 1 and k > 0:
            return eta + (self.base - eta) * (1 + math.cos(k * math.pi / t)) / 2
        if (k - 1 - t) % (2 * t) == 0:
            return lr + (self.base - eta) * (1 - math.cos(math.pi / t)) / 2
        return (1 + math.cos(math.pi * k / t)) / (1 + math.cos(math.pi * (k - 1) / t)) * (
            lr - eta
        ) + eta

    def closed_form(self) -> float:
        eta = self.eta_min
        return eta + (self.base - eta) * (1 + math.cos(math.pi * self.last_epoch / self.t_max)) / 2


class _Linear(Model):
    has_closed_form = True

    def __init__(self, base: float, start: float, end: float, total: int) -> None:
        super().__init__(base)
        self.start, self.end, self.total = start, end, total

    def get_lr(self, lr: float, initial: bool) -> float:
        k, s, e = self.last_epoch, self.start, self.end
        if k == 0:
            return lr * s
        if initial or k > self.total:
            return lr
        return lr * (1.0 + (e - s) / (self.total * s + (k - 1) * (e - s)))

    def closed_form(self) -> float:
        k, s, e = self.last_epoch, self.start, self.end
        return self.base * (s + (e - s) * min(self.total, k) / self.total)


class _Constant(Model):
    has_closed_form = True

    def __init__(self, base: float, factor: float, total: int) -> None:
        super().__init__(base)
        self.factor, self.total = factor, total

    def get_lr(self, lr: float, initial: bool) -> float:
        if self.last_epoch == 0:
            return lr * self.factor
        if self.last_epoch != self.total:
            return lr
        if self.factor == 0:
            raise ScheduleError(
                f"constant: factor 0 makes torch divide by zero at step {self.total}"
            )
        return lr * (1.0 / self.factor)

    def closed_form(self) -> float:
        f = self.factor
        return self.base * (f + (self.last_epoch >= self.total) * (1 - f))


class _Polynomial(Model):
    has_closed_form = True

    def __init__(self, base: float, total: int, power: float) -> None:
        super().__init__(base)
        self.total, self.power = total, power

    def get_lr(self, lr: float, initial: bool) -> float:
        k, n = self.last_epoch, self.total
        if initial or k > n:
            return lr
        return lr * ((1.0 - k / n) / (1.0 - (k - 1) / n)) ** self.power

    def closed_form(self) -> float:
        n = self.total
        return self.base * (1.0 - min(n, self.last_epoch) / n) ** self.power


class _Multiplicative(Model):
    """MultiplicativeLR with a constant factor (torch's lr_lambda returning it)."""

    def __init__(self, base: float, factor: float) -> None:
        super().__init__(base)
        self.factor = factor

    def get_lr(self, lr: float, initial: bool) -> float:
        return lr if initial else lr * self.factor


class _Lambda(Model):
    """LambdaLR: base_lr · λ(last_epoch) (the transformer recipes), overwriting the lr."""

    closed_in_k = True

    def __init__(self, base: float, lam: Callable[[int], float]) -> None:
        super().__init__(base)
        self.lam = lam

    def get_lr(self, lr: float, initial: bool) -> float:
        return self.base * self.lam(self.last_epoch)


class _Cyclic(Model):
    """CyclicLR's lr (torch also cycles momentum inversely when cycle_momentum=True)."""

    closed_in_k = True

    def __init__(
        self, base: float, max_lr: float, up: int, down: int | None, mode: str, gamma: float
    ):
        super().__init__(base)
        up_f = float(up)
        down_f = float(down) if down is not None else up_f
        self.total = up_f + down_f
        self.ratio = up_f / self.total
        self.max_lr, self.mode, self.gamma = max_lr, mode, gamma

    def construct(self, lr: float) -> float:
        return self.initial_step(self.base)  # CyclicLR first sets the group's lr to base_lr

    def get_lr(self, lr: float, initial: bool) -> float:
        k = self.last_epoch
        cycle = math.floor(1 + k / self.total)
        x = 1.0 + k / self.total - cycle
        scale = x / self.ratio if x <= self.ratio else (x - 1) / (self.ratio - 1)
        height = (self.max_lr - self.base) * scale
        if self.mode == "triangular":
            return self.base + height * 1.0
        if self.mode == "triangular2":
            return self.base + height * (1 / (2.0 ** (cycle - 1)))
        return self.base + height * self.gamma**k  # exp_range scales per iteration


class _WarmRestarts(Model):
    """CosineAnnealingWarmRestarts: its own step() keeps T_cur and T_i."""

    def __init__(self, base: float, t0: int, tmult: int, eta_min: float) -> None:
        super().__init__(base)
        self.t0, self.tmult, self.eta_min = t0, tmult, eta_min
        self.t_cur, self.t_i = 0, t0

    def step(self, lr: float, initial: bool = False) -> float:
        self.step_count += 1
        if self.last_epoch < 0:  # torch: epoch = 0, the closed path (T_cur = 0 < T_0)
            self.t_cur, self.t_i = 0, self.t0
        else:
            self.t_cur += 1
            if self.t_cur >= self.t_i:
                self.t_cur = self.t_cur % self.t_i
                self.t_i = self.t_i * self.tmult
        self.last_epoch += 1
        return self.get_lr(lr, initial)

    def get_lr(self, lr: float, initial: bool) -> float:
        eta = self.eta_min
        return eta + (self.base - eta) * (1 + math.cos(math.pi * self.t_cur / self.t_i)) / 2


class _OneCycle(Model):
    closed_in_k = True

    def __init__(self, max_lr: float, total: int, phases: list, strategy: str, lrs: dict):
        super().__init__(lrs["initial_lr"])
        self.total, self.phases, self.strategy, self.lrs = total, phases, strategy, lrs

    def get_lr(self, lr: float, initial: bool) -> float:
        k = self.last_epoch
        if k > self.total:
            raise ScheduleError(
                f"onecycle: tried to step {k} times; total_steps is {self.total} (torch raises too)"
            )
        start_step = 0.0
        for i, (end_step, a, b) in enumerate(self.phases):
            if k <= end_step or i == len(self.phases) - 1:
                try:
                    pct = (k - start_step) / (end_step - start_step)
                except ZeroDivisionError:
                    raise ScheduleError(
                        f"onecycle: a phase has zero length (total_steps={self.total}); "
                        "torch divides by zero here"
                    ) from None
                start, end = self.lrs[a], self.lrs[b]
                if self.strategy == "cos":
                    return end + (start - end) / 2.0 * (math.cos(math.pi * pct) + 1)
                return (end - start) * pct + start
            start_step = end_step
        raise AssertionError("unreachable")


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
    return lambda: _Step(base, size, gamma)


def _b_multistep(kw: dict[str, Any]) -> Factory:
    base, gamma, ms = lr_value(kw), num(kw, "gamma"), int_list(kw, "milestones")
    return lambda: _MultiStep(base, ms, gamma)


def _b_exponential(kw: dict[str, Any]) -> Factory:
    base, gamma = lr_value(kw), num(kw, "gamma")
    return lambda: _Exponential(base, gamma)


def _b_cosine(kw: dict[str, Any]) -> Factory:
    base, eta_min, t_max = lr_value(kw), num(kw, "eta_min"), kw["T_max"]
    if isinstance(t_max, bool) or not isinstance(t_max, int | np.integer) or t_max == 0:
        raise ScheduleError(f"T_max must be a nonzero integer, got {t_max!r}")
    return lambda: _Cosine(base, int(t_max), eta_min)


def _b_linear(kw: dict[str, Any]) -> Factory:
    base, s, e = lr_value(kw), num(kw, "start_factor"), num(kw, "end_factor")
    total = integer(kw, "total_iters", 0)
    if s > 1.0 or s <= 0:
        raise ScheduleError("start_factor must be in (0, 1] (torch's rule)")
    if e > 1.0 or e < 0:
        raise ScheduleError("end_factor must be in [0, 1] (torch's rule)")
    return lambda: _Linear(base, s, e, total)


def _b_constant(kw: dict[str, Any]) -> Factory:
    base, factor, total = lr_value(kw), num(kw, "factor"), integer(kw, "total_iters", 0)
    if factor > 1.0 or factor < 0:
        raise ScheduleError("factor must be in [0, 1] (torch's rule)")
    return lambda: _Constant(base, factor, total)


def _b_polynomial(kw: dict[str, Any]) -> Factory:
    base, power, total = lr_value(kw), num(kw, "power"), integer(kw, "total_iters", 0)
    return lambda: _Polynomial(base, total, power)


def _b_multiplicative(kw: dict[str, Any]) -> Factory:
    base, factor = lr_value(kw), num(kw, "factor")
    return lambda: _Multiplicative(base, factor)


def _b_onecycle(kw: dict[str, Any]) -> Factory:
    max_lr, total = lr_value(kw, "max_lr"), integer(kw, "total_steps", 1)
    pct = kw["pct_start"]
    if not isinstance(pct, float) or not 0 <= pct <= 1:
        raise ScheduleError(f"pct_start must be a float in [0, 1], got {pct!r}")
    div, final_div = num(kw, "div_factor"), num(kw, "final_div_factor")
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
    return lambda: _OneCycle(max_lr, total, phases, strategy, lrs)


def _b_warm_restarts(kw: dict[str, Any]) -> Factory:
    base, eta_min = lr_value(kw), num(kw, "eta_min")
    t0, tmult = integer(kw, "T_0", 1), integer(kw, "T_mult", 1)
    return lambda: _WarmRestarts(base, t0, tmult, eta_min)


def _b_cyclic(kw: dict[str, Any]) -> Factory:
    base, max_lr, gamma = lr_value(kw), lr_value(kw, "max_lr"), num(kw, "gamma")
    up = integer(kw, "step_size_up", 1)
    down = None if kw["step_size_down"] is None else integer(kw, "step_size_down", 0)
    mode = kw["mode"]
    if mode not in ("triangular", "triangular2", "exp_range"):
        raise ScheduleError(
            f"mode must be 'triangular', 'triangular2' or 'exp_range', got {mode!r}"
        )
    return lambda: _Cyclic(base, max_lr, up, down, mode, gamma)


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

    return lambda: _Lambda(base, lam)


def _b_warmup_linear(kw: dict[str, Any]) -> Factory:
    base, w, n = _warmup(kw)

    def lam(k: int) -> float:  # transformers' get_linear_schedule_with_warmup
        if k < w:
            return float(k) / float(max(1, w))
        return max(0.0, float(n - k) / float(max(1, n - w)))

    return lambda: _Lambda(base, lam)


def _b_inverse_sqrt(kw: dict[str, Any]) -> Factory:
    base, w = lr_value(kw), integer(kw, "num_warmup_steps", 0)
    timescale = (w or 10_000) if kw["timescale"] is None else integer(kw, "timescale", 1)
    shift = timescale - w

    def lam(k: int) -> float:  # transformers' get_inverse_sqrt_schedule
        if k < w:
            return float(k) / float(max(1, w))
        return 1.0 / math.sqrt((k + shift) / timescale)

    return lambda: _Lambda(base, lam)


class _Sequential(Model):
    """SequentialLR over models built on the same optimizer."""

    def __init__(self, base: float, subs: list[Model], milestones: list[int]) -> None:
        super().__init__(base)
        self.subs, self.milestones = subs, milestones

    def construct(self, lr: float) -> float:
        for sub in self.subs:  # the user builds each scheduler first (each steps once)
            lr = sub.construct(lr)
        for sub in self.subs:  # SequentialLR "undoes" those steps ...
            sub.last_epoch -= 1
        self.last_epoch = 0
        idx = bisect.bisect_right(self.milestones, 0)
        # ... resets the lr to initial_lr and re-runs the initial step of the first one
        return self.subs[idx].initial_step(self.base)

    def step(self, lr: float, initial: bool = False) -> float:
        self.last_epoch += 1
        idx = bisect.bisect_right(self.milestones, self.last_epoch)
        sub = self.subs[idx]
        if idx > 0 and self.milestones[idx - 1] == self.last_epoch:
            return sub.restart(lr)  # at a milestone: _update_lr(0), from the lr it finds
        return sub.step(lr)


class _Chained(Model):
    """ChainedScheduler: every model steps, in order, on the lr the previous one left."""

    def __init__(self, base: float, subs: list[Model]) -> None:
        super().__init__(base)
        self.subs = subs

    def construct(self, lr: float) -> float:
        for sub in self.subs:
            lr = sub.construct(lr)
        return lr

    def step(self, lr: float, initial: bool = False) -> float:
        for sub in self.subs:
            lr = sub.step(lr)
        return lr


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
    return lambda: _Sequential(base, [f() for f in parts], milestones)


def _b_chained(kw: dict[str, Any]) -> Factory:
    base, parts = lr_value(kw), _parts(kw)
    return lambda: _Chained(base, [f() for f in parts])


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
