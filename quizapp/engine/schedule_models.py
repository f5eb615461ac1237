"""Models of torch.optim.lr_scheduler's classes (torch 2.13) driving a one-group optimizer.

Each :class:`Model` is one torch scheduler object: it keeps torch's ``last_epoch`` and
``_step_count`` and, like torch, reads and writes the optimizer's current lr, which is
passed in and returned (``lr = model.step(lr)``). The arithmetic is torch's own, in
Python floats, in the same order, so values agree bit for bit. Modelling the objects
rather than formulas is what lets SequentialLR and ChainedScheduler be reproduced with
their real behaviour: chainable schedulers multiply whatever lr they find, closed-form
ones (LambdaLR recipes, CyclicLR, CosineAnnealingWarmRestarts) overwrite it.

:mod:`quizapp.engine.schedule_builders` checks keywords and builds these models.
:class:`ScheduleError` is raised for values torch would refuse or divide by zero on.
"""

from __future__ import annotations

import bisect
import math
from collections import Counter
from collections.abc import Callable
from itertools import repeat


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

    def settled_after(self) -> int | None:
        """The last_epoch past which torch's get_lr returns the lr it finds unchanged (its
        "past total_iters" branch), for classes with one; None when it never settles."""
        return None

    def extend(self, lrs: list[float], n: int) -> None:
        """``scheduler.step()`` until ``len(lrs) == n``, each from ``lrs[-1]``, appending each
        lr (so ``lrs`` holds every lr up to a step that raises). Once :meth:`settled_after`
        is passed, a step only counts and leaves the lr as it is: those are appended at once."""
        todo = n - len(lrs)
        hold = self.settled_after()
        live = todo if hold is None else min(todo, max(hold - self.last_epoch, 0))
        step, append = self.step, lrs.append
        for _ in range(live):
            append(step(lrs[-1]))
        rest = todo - live
        if rest > 0:
            self.last_epoch += rest
            self.step_count += rest
            lrs.extend(repeat(lrs[-1], rest))

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


class StepLR(Model):
    """StepLR: ηₖ = ηₖ₋₁·γ when k is a nonzero multiple of step_size, else ηₖ₋₁."""

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


class MultiStepLR(Model):
    """MultiStepLR: ηₖ = ηₖ₋₁·γ^(times k appears in milestones)."""

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


class ExponentialLR(Model):
    """ExponentialLR: ηₖ = ηₖ₋₁·γ (η₀ unchanged at construction)."""

    has_closed_form = True

    def __init__(self, base: float, gamma: float) -> None:
        super().__init__(base)
        self.gamma = gamma

    def get_lr(self, lr: float, initial: bool) -> float:
        return lr if initial else lr * self.gamma

    def closed_form(self) -> float:
        return self.base * self.gamma**self.last_epoch


class CosineAnnealingLR(Model):
    """CosineAnnealingLR's recursion: ηₖ = (1 + cos(πk/T))/(1 + cos(π(k−1)/T))·(ηₖ₋₁ − η_min)
    + η_min, and ηₖ₋₁ + (η₀ − η_min)(1 − cos(π/T))/2 when (k − 1 − T) mod 2T = 0."""

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


class LinearLR(Model):
    """LinearLR: η₀·s at k = 0, then ηₖ = ηₖ₋₁·(1 + (e − s)/(T·s + (k − 1)(e − s))) up to T."""

    has_closed_form = True

    def __init__(self, base: float, start: float, end: float, total: int) -> None:
        super().__init__(base)
        self.start, self.end, self.total = start, end, total

    def settled_after(self) -> int:
        return self.total

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


class ConstantLR(Model):
    """ConstantLR: η₀·factor at k = 0, ηₖ₋₁/factor at k = total_iters, else unchanged."""

    has_closed_form = True

    def __init__(self, base: float, factor: float, total: int) -> None:
        super().__init__(base)
        self.factor, self.total = factor, total

    def settled_after(self) -> int:
        return self.total

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


class PolynomialLR(Model):
    """PolynomialLR: ηₖ = ηₖ₋₁·((1 − k/T)/(1 − (k − 1)/T))^power up to T."""

    has_closed_form = True

    def __init__(self, base: float, total: int, power: float) -> None:
        super().__init__(base)
        self.total, self.power = total, power

    def settled_after(self) -> int:
        return self.total

    def get_lr(self, lr: float, initial: bool) -> float:
        k, n = self.last_epoch, self.total
        if initial or k > n:
            return lr
        return lr * ((1.0 - k / n) / (1.0 - (k - 1) / n)) ** self.power

    def closed_form(self) -> float:
        n = self.total
        return self.base * (1.0 - min(n, self.last_epoch) / n) ** self.power


class MultiplicativeLR(Model):
    """MultiplicativeLR with a constant factor (torch's lr_lambda returning it)."""

    def __init__(self, base: float, factor: float) -> None:
        super().__init__(base)
        self.factor = factor

    def get_lr(self, lr: float, initial: bool) -> float:
        return lr if initial else lr * self.factor


class LambdaLR(Model):
    """LambdaLR: base_lr · λ(last_epoch) (the transformer recipes), overwriting the lr."""

    closed_in_k = True

    def __init__(self, base: float, lam: Callable[[int], float]) -> None:
        super().__init__(base)
        self.lam = lam

    def get_lr(self, lr: float, initial: bool) -> float:
        return self.base * self.lam(self.last_epoch)


class CyclicLR(Model):
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


class CosineAnnealingWarmRestarts(Model):
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


class OneCycleLR(Model):
    """OneCycleLR: cos or linear anneal between initial, max and min lr by phase (closed in k)."""

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


class SequentialLR(Model):
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

    def extend(self, lrs: list[float], n: int) -> None:
        """:meth:`step` until ``len(lrs) == n``: each stretch between milestones is the
        active model's own :meth:`Model.extend`, each milestone its restart (milestones out
        of order, which torch does not refuse, are stepped one by one)."""
        if self.milestones != sorted(self.milestones):
            super().extend(lrs, n)
            return
        while len(lrs) < n:
            epoch = self.last_epoch + 1
            idx = bisect.bisect_right(self.milestones, epoch)
            sub = self.subs[idx]
            if idx > 0 and self.milestones[idx - 1] == epoch:
                lrs.append(sub.restart(lrs[-1]))
                self.last_epoch = epoch
                continue
            last = self.last_epoch + n - len(lrs)  # the last_epoch asked for
            if idx < len(self.milestones):
                last = min(last, self.milestones[idx] - 1)
            sub.extend(lrs, len(lrs) + last - self.last_epoch)
            self.last_epoch = last


class ChainedScheduler(Model):
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
