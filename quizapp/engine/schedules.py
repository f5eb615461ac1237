"""Learning-rate schedules whose values equal torch.optim.lr_scheduler's (torch 2.13).

    f = schedules.get("cosine", base_lr=0.1, T_max=100, eta_min=0.0)
    f(k)     # k: int or int ndarray = number of scheduler.step() calls (torch's last_epoch)

``f(k)`` is the lr ``scheduler.get_last_lr()[0]`` reports after k calls of
``scheduler.step()``. torch computes most schedules *recursively* (each lr from the
previous one), which differs from the textbook closed form in the last bits and past the
end of a schedule; the engine replays the same recursion with the same Python-float
arithmetic, so values agree bit for bit. Where torch raises (onecycle past total_steps),
:class:`ScheduleError` is raised. ``describe(name)`` gives the closed-form formula.
Schedules torch itself evaluates in closed form (the LambdaLR recipes ``warmup_cosine`` and
``warmup_linear``: η₀·λ(k)) are evaluated at k directly; the recursive ones replay torch's
steps once and extend the replay when a larger k is asked for. For one set of
hyperparameters per row (a batch of drills) see :mod:`quizapp.engine.schedules_batch`.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from typing import Any

import numpy as np

from quizapp.engine.schedule_specs import SPECS as _SPECS


class ScheduleError(ValueError):
    """Bad schedule name, keyword or value, or a step torch would refuse."""


def names() -> tuple[str, ...]:
    """The schedule names :func:`get` accepts."""
    return tuple(_SPECS)


def describe(name: str) -> str:
    """The closed-form formula of ``name`` in Unicode (k = scheduler.step() calls so far)."""
    _spec(name)
    return _SPECS[name][2]


def _spec(name: str) -> tuple[tuple[str, ...], dict[str, Any], str]:
    if not isinstance(name, str) or name not in _SPECS:
        raise ScheduleError(f"unknown schedule {name!r}; valid: {', '.join(_SPECS)}")
    return _SPECS[name]


class Schedule:
    """A schedule: ``f(k)`` = torch's lr after k ``scheduler.step()`` calls (vectorised).

    Recursive schedules keep their replay: it is extended when a larger k is asked for
    (never restarted from 0). Closed-form ones (LambdaLR recipes, where torch itself
    computes η₀·λ(k)) are evaluated at k directly."""

    def __init__(self, name: str, kw: dict[str, Any], lr_fn: Replay | _Closed):
        self.name = name
        self.kwargs = dict(kw)
        self._closed = lr_fn.fn if isinstance(lr_fn, _Closed) else None
        self._extend = lr_fn  # extend(out, n): append lrs until out holds k = 0..n
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
        flat = [self._at(x) for x in ks.astype(np.int64).ravel().tolist()]
        if ks.ndim == 0:
            return flat[0]
        return np.asarray(flat, dtype=np.float64).reshape(ks.shape)

    def _at(self, k: int) -> float:
        if self._closed is not None:
            return self._closed(k)
        if k >= len(self._cache):
            self._extend(self._cache, k)  # type: ignore[operator]
        return self._cache[k]


def get(name: str, **kwargs: Any) -> Schedule:
    """Schedule ``name`` with torch's keyword names (see :func:`names`, :func:`describe`)."""
    kw = check_keywords(name, kwargs)
    builder = _BUILDERS[name]
    try:
        fn = builder(kw)
    except ScheduleError as exc:
        raise ScheduleError(f"schedule {name!r}: {exc}") from None
    return Schedule(name, kw, fn)


def check_keywords(name: str, kwargs: dict[str, Any]) -> dict[str, Any]:
    """The keywords of ``name`` with defaults filled in; ScheduleError for an unknown name,
    an unknown keyword or a missing one (values are checked by the builders)."""
    required, optional, _ = _spec(name)
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


# --- validation helpers -------------------------------------------------------------------
def _num(kw: dict[str, Any], key: str) -> float:
    v = kw[key]
    if isinstance(v, bool) or not isinstance(v, int | float | np.integer | np.floating):
        raise ScheduleError(f"{key} must be a number, got {v!r}")
    if not math.isfinite(float(v)):
        raise ScheduleError(f"{key} must be finite, got {v!r}")
    return float(v)


def _int(kw: dict[str, Any], key: str, low: int) -> int:
    v = kw[key]
    if isinstance(v, bool) or not isinstance(v, int | np.integer) or v < low:
        raise ScheduleError(f"{key} must be an integer >= {low}, got {v!r}")
    return int(v)


def _lr(kw: dict[str, Any], key: str = "base_lr") -> float:
    v = _num(kw, key)
    if v < 0:
        raise ScheduleError(f"{key} must be >= 0, got {v!r}")
    return v


# --- the replays (each mirrors torch's get_lr(), step by step) ------------------------------
# A replay ``extend(out, n)`` appends to ``out`` (the lrs for k = 0..len(out)−1 so far) until
# it holds k = 0..n, continuing torch's recursion from the last value.
Replay = Callable[[list[float], int], None]


class _Closed:
    """A closed-form schedule k ↦ lr (torch evaluates these as η₀·λ(k), not recursively)."""

    def __init__(self, fn: Callable[[int], float]) -> None:
        self.fn = fn


def _recursive(
    base: float, first: Callable[[float], float], nxt: Callable[[int, float], float]
) -> Replay:
    """lr₀ = first(base); lrₖ = nxt(k, lrₖ₋₁) — torch's chainable form."""

    def run(out: list[float], n: int) -> None:
        if not out:
            out.append(first(base))
        lr = out[-1]
        for k in range(len(out), n + 1):
            lr = nxt(k, lr)
            out.append(lr)

    return run


def _closed(fn: Callable[[int], float]) -> _Closed:
    return _Closed(fn)


def _b_step(kw: dict[str, Any]) -> Replay:
    base, size, gamma = _lr(kw), _int(kw, "step_size", 1), _num(kw, "gamma")
    return _recursive(base, lambda b: b, lambda k, lr: lr * gamma if k % size == 0 else lr)


def _b_multistep(kw: dict[str, Any]) -> Replay:
    base, gamma = _lr(kw), _num(kw, "gamma")
    ms = kw["milestones"]
    if not isinstance(ms, list | tuple) or not all(
        isinstance(m, int | np.integer) and not isinstance(m, bool) for m in ms
    ):
        raise ScheduleError(f"milestones must be a list of integers, got {ms!r}")
    count = Counter(int(m) for m in ms)
    # torch's constructor step already applies a milestone at 0 (last_epoch 0 is checked too)
    return _recursive(
        base,
        lambda b: b * gamma ** count[0] if 0 in count else b,
        lambda k, lr: lr * gamma ** count[k] if k in count else lr,
    )


def _b_exponential(kw: dict[str, Any]) -> Replay:
    base, gamma = _lr(kw), _num(kw, "gamma")
    return _recursive(base, lambda b: b, lambda k, lr: lr * gamma)


def _b_cosine(kw: dict[str, Any]) -> Replay:
    base, eta_min, t_max = _lr(kw), _num(kw, "eta_min"), kw["T_max"]
    if isinstance(t_max, bool) or not isinstance(t_max, int | np.integer) or t_max == 0:
        raise ScheduleError(f"T_max must be a nonzero integer, got {t_max!r}")
    t_max = int(t_max)

    def nxt(k: int, lr: float) -> float:
        if (k - 1 - t_max) % (2 * t_max) == 0:
            return lr + (base - eta_min) * (1 - math.cos(math.pi / t_max)) / 2
        return (1 + math.cos(math.pi * k / t_max)) / (1 + math.cos(math.pi * (k - 1) / t_max)) * (
            lr - eta_min
        ) + eta_min

    return _recursive(base, lambda b: b, nxt)


def _b_linear(kw: dict[str, Any]) -> Replay:
    base, s, e = _lr(kw), _num(kw, "start_factor"), _num(kw, "end_factor")
    total = _int(kw, "total_iters", 0)
    if s > 1.0 or s <= 0:
        raise ScheduleError("start_factor must be in (0, 1] (torch's rule)")
    if e > 1.0 or e < 0:
        raise ScheduleError("end_factor must be in [0, 1] (torch's rule)")

    def nxt(k: int, lr: float) -> float:
        if k > total:
            return lr
        return lr * (1.0 + (e - s) / (total * s + (k - 1) * (e - s)))

    return _recursive(base, lambda b: b * s, nxt)


def _b_constant(kw: dict[str, Any]) -> Replay:
    base, factor, total = _lr(kw), _num(kw, "factor"), _int(kw, "total_iters", 0)
    if factor > 1.0 or factor < 0:
        raise ScheduleError("factor must be in [0, 1] (torch's rule)")

    def nxt(k: int, lr: float) -> float:
        if k != total:
            return lr
        if factor == 0:
            raise ScheduleError(f"constant: factor 0 makes torch divide by zero at step {total}")
        return lr * (1.0 / factor)

    return _recursive(base, lambda b: b * factor, nxt)


def _b_polynomial(kw: dict[str, Any]) -> Replay:
    base, power, total = _lr(kw), _num(kw, "power"), _int(kw, "total_iters", 0)

    def nxt(k: int, lr: float) -> float:
        if k > total:
            return lr
        return lr * ((1.0 - k / total) / (1.0 - (k - 1) / total)) ** power

    return _recursive(base, lambda b: b, nxt)


def _b_onecycle(kw: dict[str, Any]) -> Replay:
    max_lr, total = _lr(kw, "max_lr"), _int(kw, "total_steps", 1)
    pct = kw["pct_start"]
    if not isinstance(pct, float) or not 0 <= pct <= 1:
        raise ScheduleError(f"pct_start must be a float in [0, 1], got {pct!r}")
    div, final_div = _num(kw, "div_factor"), _num(kw, "final_div_factor")
    strategy = kw["anneal_strategy"]
    if strategy not in ("cos", "linear"):
        raise ScheduleError(f"anneal_strategy must be 'cos' or 'linear', got {strategy!r}")
    if not isinstance(kw["three_phase"], bool):
        raise ScheduleError("three_phase must be True or False")
    if kw["base_lr"] is not None:
        _lr(kw)
    initial = max_lr / div
    min_lr = initial / final_div
    lrs = {"initial_lr": initial, "max_lr": max_lr, "min_lr": min_lr}
    if kw["three_phase"]:
        phases = [
            (float(pct * total) - 1, "initial_lr", "max_lr"),
            (float(2 * pct * total) - 2, "max_lr", "initial_lr"),
            (total - 1, "initial_lr", "min_lr"),
        ]
    else:
        phases = [(float(pct * total) - 1, "initial_lr", "max_lr"), (total - 1, "max_lr", "min_lr")]

    def anneal(start: float, end: float, p: float) -> float:
        if strategy == "cos":
            return end + (start - end) / 2.0 * (math.cos(math.pi * p) + 1)
        return (end - start) * p + start

    def at(k: int) -> float:
        start_step = 0.0
        for i, (end_step, a, b) in enumerate(phases):
            if k <= end_step or i == len(phases) - 1:
                try:
                    p = (k - start_step) / (end_step - start_step)
                except ZeroDivisionError:
                    raise ScheduleError(
                        f"onecycle: a phase has zero length (pct_start={pct}, total_steps={total}); "
                        "torch divides by zero here"
                    ) from None
                return anneal(lrs[a], lrs[b], p)
            start_step = end_step
        raise AssertionError("unreachable")

    def run(out: list[float], n: int) -> None:
        if n > total:
            raise ScheduleError(
                f"onecycle: tried to step {n} times; total_steps is {total} (torch raises too)"
            )
        out.extend(at(k) for k in range(len(out), n + 1))

    return run


def _b_warm_restarts(kw: dict[str, Any]) -> Replay:
    base, eta_min = _lr(kw), _num(kw, "eta_min")
    t0, tmult = _int(kw, "T_0", 1), _int(kw, "T_mult", 1)

    pos = [0, t0]  # torch's (T_cur, T_i) after the last replayed step

    def run(out: list[float], n: int) -> None:
        t_cur, t_i = pos
        for k in range(len(out), n + 1):
            if k > 0:
                t_cur += 1
                if t_cur >= t_i:
                    t_cur = t_cur % t_i
                    t_i = t_i * tmult
            out.append(eta_min + (base - eta_min) * (1 + math.cos(math.pi * t_cur / t_i)) / 2)
            pos[:] = t_cur, t_i

    return run


def _warmup(kw: dict[str, Any]) -> tuple[float, int, int]:
    return _lr(kw), _int(kw, "num_warmup_steps", 0), _int(kw, "num_training_steps", 0)


def _b_warmup_cosine(kw: dict[str, Any]) -> _Closed:
    base, w, n = _warmup(kw)
    cycles = _num(kw, "num_cycles")

    def lam(k: int) -> float:
        if k < w:
            return float(k) / float(max(1, w))
        progress = float(k - w) / float(max(1, n - w))
        return max(0.0, 0.5 * (1.0 + math.cos(math.pi * float(cycles) * 2.0 * progress)))

    return _closed(lambda k: base * lam(k))


def _b_warmup_linear(kw: dict[str, Any]) -> _Closed:
    base, w, n = _warmup(kw)

    def lam(k: int) -> float:
        if k < w:
            return float(k) / float(max(1, w))
        return max(0.0, float(n - k) / float(max(1, n - w)))

    return _closed(lambda k: base * lam(k))


_BUILDERS: dict[str, Callable[[dict[str, Any]], Replay | _Closed]] = {
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
}
