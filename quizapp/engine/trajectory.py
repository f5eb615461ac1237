"""Optimizer trajectories on a 2-D surface, computed by :mod:`quizapp.engine.optim`.

    runs = [Run.of("sgd", lr=0.05, momentum=0.9), Run.of("adam", lr=0.1)]
    paths = simulate(surfaces.get("bowl"), (-2.0, 2.2), runs, steps=200)
    paths[0].points      # (201, 2): θ₀ … θ₂₀₀, exactly what optim.get("sgd", ...).step gives

Every run starts at the same point and sees the same gradient at step k (the noisy
surface draws its minibatch noise from the step number, not from the run), as in a
torch loop ``for k: opt.step(); scheduler.step()``: step k uses the schedule's lr after
k scheduler steps. No update rule is written here: runs of one optimizer family that
differ only in numbers (lr, momentum, betas, ...) are stacked along the engine's batch
axis and stepped by *one* ``opt.step`` call, with their hyperparameters as per-row
arrays — the engine guarantees each row equals the single-problem result bit for bit.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from quizapp.engine import optim, schedules
from quizapp.engine.surfaces import Surface

SCHEDULES = ("constant", "warmup_cosine", "step")
"""The lab's schedules: no scheduler, linear warmup (first 10 % of the steps) then cosine
to 0 (``warmup_cosine``), and ×0.1 every third of the run (``step``)."""

# Optimizers whose update is elementwise: rows of a batch never interact, so several runs
# can share one call. Others (factored or matrix updates) run one call per run.
ELEMENTWISE = frozenset(
    {"sgd", "adagrad", "rmsprop", "adam", "adamw", "nadam", "radam", "adamax", "adadelta"}
    | {"lion", "rprop", "asgd"}
)


class TrajectoryError(ValueError):
    """A run the engine refuses (bad hyperparameter) or an unknown schedule."""


@dataclass(frozen=True)
class Run:
    """One optimizer in the race: engine name, torch keyword arguments, lr schedule."""

    optimizer: str
    hyperparameters: tuple[tuple[str, Any], ...] = ()
    schedule: str = "constant"

    @classmethod
    def of(cls, optimizer: str, schedule: str = "constant", **hyperparameters: Any) -> Run:
        return cls(optimizer, tuple(sorted(hyperparameters.items())), schedule)

    @property
    def hp(self) -> dict[str, Any]:
        """The keyword arguments for ``optim.get`` (torch's names)."""
        return dict(self.hyperparameters)

    @property
    def lr(self) -> float:
        """The base learning rate (the optimizer's default when not given)."""
        return float(self.hp.get("lr", optim.defaults(self.optimizer)["lr"]))

    def replace(self, schedule: str | None = None, **hyperparameters: Any) -> Run:
        """A copy with some hyperparameters (or the schedule) changed."""
        hp = {**self.hp, **hyperparameters}
        return Run.of(self.optimizer, schedule or self.schedule, **hp)


def learning_rates(run: Run, steps: int) -> np.ndarray:
    """The lr used at steps 0 … steps−1 (torch's lr after k ``scheduler.step()`` calls)."""
    try:
        lr = run.lr
    except optim.OptimError as exc:
        raise TrajectoryError(str(exc)) from None
    if run.schedule == "constant":
        return np.full(steps, lr)
    if run.schedule == "warmup_cosine":
        sched = schedules.get(
            "warmup_cosine",
            base_lr=lr,
            num_warmup_steps=max(1, steps // 10),
            num_training_steps=max(1, steps),
        )
    elif run.schedule == "step":
        sched = schedules.get("step", base_lr=lr, step_size=max(1, -(-steps // 3)), gamma=0.1)
    else:
        raise TrajectoryError(f"unknown schedule {run.schedule!r}; valid: {', '.join(SCHEDULES)}")
    return sched.values(steps)


@dataclass(frozen=True)
class Trajectory:
    """θ₀ … θₙ of one run (n = ``done`` steps so far of ``steps``) and f at each point."""

    run: Run
    points: np.ndarray  # (done + 1, 2)
    losses: np.ndarray  # (done + 1,)
    lrs: np.ndarray  # (steps,) the lr of every step, including those not done yet
    steps: int

    @property
    def done(self) -> int:
        return len(self.points) - 1

    @property
    def complete(self) -> bool:
        return self.done == self.steps

    @property
    def diverged_at(self) -> int | None:
        """The first step whose loss is not a finite number (the run blew up), or None."""
        bad = np.flatnonzero(~np.isfinite(self.losses))
        return int(bad[0]) if bad.size else None

    @property
    def final_loss(self) -> float:
        return float(self.losses[-1])

    def step_lengths(self) -> np.ndarray:
        """‖θₖ₊₁ − θₖ‖ for every step done, shape (done,)."""
        return np.hypot(*np.diff(self.points, axis=0).T)


@dataclass
class _Group:
    """Runs stepped by one engine call: their rows (in the caller's order), the slice
    ``lo:hi`` they occupy in the loop's arrays (groups are laid out one after another, so a
    group's rows are a view, not a gather), the optimizer validated once (``opt``: its lr is
    replaced per step when a schedule changes it, ``constant``), and the engine state."""

    name: str
    rows: list[int]
    kwargs: dict[str, Any]
    batched: bool
    opt: Any = None
    constant: bool = True
    state: Any = None
    lrs: np.ndarray = field(default_factory=lambda: np.zeros(0))
    lo: int = 0
    hi: int = 0


def _numeric(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return True
    return isinstance(value, tuple) and all(_numeric(v) for v in value)


def _groups(runs: Sequence[Run], lrs: np.ndarray) -> list[_Group]:
    groups: dict[Any, _Group] = {}
    rows_hp: dict[int, list[dict[str, Any]]] = {}
    for i, run in enumerate(runs):
        try:
            defaults = optim.defaults(run.optimizer)
        except optim.OptimError as exc:
            raise TrajectoryError(str(exc)) from None
        merged = {**defaults, **run.hp}
        fixed = tuple(sorted((k, v) for k, v in merged.items() if not _numeric(v)))
        batched = run.optimizer in ELEMENTWISE
        key = (run.optimizer, fixed) if batched else i
        group = groups.get(key)
        if group is None:
            group = groups[key] = _Group(run.optimizer, [], {}, batched)
            rows_hp[id(group)] = []
        group.rows.append(i)
        rows_hp[id(group)].append(run.hp)
    out = list(groups.values())
    for g in out:
        per_row = rows_hp[id(g)]
        defaults = optim.defaults(g.name)
        # only keywords some run gives are passed (the rest keep torch's defaults)
        for k in sorted({k for hp in per_row for k in hp} - {"lr"}):
            values = [hp.get(k, defaults.get(k)) for hp in per_row]
            g.kwargs[k] = _column(values, g.batched) if _numeric(values[0]) else values[0]
        g.lrs = lrs[g.rows]
        first = g.lrs[:, 0] if g.lrs.shape[1] else [runs[i].lr for i in g.rows]
        lr0 = _column(list(first), g.batched)
        g.constant = bool(np.all(g.lrs == g.lrs[:, :1]))
        try:
            g.opt = optim.get(g.name, lr=lr0, **g.kwargs)
            if not g.constant:  # every scheduled lr passes the optimizer's checks too
                optim.get(g.name, lr=g.lrs, **g.kwargs)
        except optim.OptimError as exc:
            raise TrajectoryError(str(exc)) from None
    lo = 0
    for g in out:
        g.lo, g.hi = lo, lo + len(g.rows)
        lo = g.hi
    return out


def _column(values: list[Any], batched: bool) -> Any:
    """One value per row: a Python float when all rows agree (the engine's scalar path),
    else an (rows, 1) array; pairs (betas) become pairs of columns."""
    if isinstance(values[0], tuple):
        return tuple(_column([v[j] for v in values], batched) for j in range(len(values[0])))
    if not batched or all(v == values[0] for v in values):
        return float(values[0])
    return np.asarray(values, dtype=np.float64)[:, None]


def simulate(
    surface: Surface, start: Sequence[float], runs: Sequence[Run], steps: int
) -> tuple[Trajectory, ...]:
    """Run every optimizer ``steps`` steps from ``start``; see :func:`simulate_iter`."""
    *_, complete = simulate_iter(surface, start, runs, steps, chunk=max(steps, 1))
    return complete


def simulate_iter(
    surface: Surface,
    start: Sequence[float],
    runs: Sequence[Run],
    steps: int,
    chunk: int = 64,
    max_chunk: int = 512,
) -> Iterator[tuple[Trajectory, ...]]:
    """Yield the trajectories so far after the first ``chunk`` steps, then after chunks
    that double in size up to ``max_chunk`` (a screen draws something at once, and a
    cancelled computation stops soon), the last yield complete.

    Stop iterating to cancel. Raises :class:`TrajectoryError` for a run the engine refuses.
    """
    if steps < 0:
        raise TrajectoryError(f"steps must be >= 0, got {steps}")
    n = len(runs)
    lrs = np.stack([learning_rates(r, steps) for r in runs]) if n else np.zeros((0, steps))
    groups = _groups(runs, lrs)
    # the loop's row of run i: groups one after another, so each group is a slice
    row_of = [0] * n
    for g in groups:
        for j, i in enumerate(g.rows):
            row_of[i] = g.lo + j
    x0 = np.asarray(start, dtype=np.float64)
    points = np.empty((n, steps + 1, 2))
    losses = np.empty((n, steps + 1))
    points[:, 0] = x0
    losses[:, 0] = surface.loss(x0)
    current = np.tile(x0, (n, 1))
    for g in groups:
        try:
            g.state = g.opt.init(_rows(current, g))
        except optim.OptimError as exc:  # e.g. Muon, which steps matrices only
            raise TrajectoryError(str(exc)) from None
    noise = surface.gradient_noise(steps)
    grad = surface.unchecked_grad
    done = 0
    size = max(1, chunk)
    while True:
        upto = min(steps, done + size)
        with np.errstate(all="ignore"):  # the engine steps below rely on it
            for k in range(done, upto):
                grads = grad(current)
                if noise is not None:
                    grads += noise[k]
                for g in groups:
                    opt = g.opt
                    if not g.constant:
                        opt = opt.with_lr(_column(list(g.lrs[:, k]), g.batched))
                    try:
                        new, g.state = opt.step_unchecked(
                            _rows(current, g), _rows(grads, g), g.state
                        )
                    except (optim.OptimError, ValueError) as exc:  # e.g. Muon: matrices only
                        raise TrajectoryError(str(exc)) from None
                    current[g.lo : g.hi] = new
                points[:, k + 1] = current
            losses[:, done + 1 : upto + 1] = surface.loss(points[:, done + 1 : upto + 1])
        done = upto
        yield tuple(
            Trajectory(
                run,
                _frozen(points[row_of[i], : done + 1]),
                _frozen(losses[row_of[i], : done + 1]),
                _frozen(lrs[i]),
                steps,
            )  # fmt: skip
            for i, run in enumerate(runs)
        )
        if done >= steps:
            return
        size = max(size, min(2 * size, max_chunk))


def _rows(a: np.ndarray, g: _Group) -> np.ndarray:
    """The group's rows as a view: (rows, 2) when batched, a plain 2-vector otherwise."""
    return a[g.lo : g.hi] if g.batched else a[g.lo]


def _frozen(a: np.ndarray) -> np.ndarray:
    view = a.view()
    view.flags.writeable = False
    return view
