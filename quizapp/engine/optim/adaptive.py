"""Adagrad, RMSprop and Adadelta (torch.optim, single-tensor CPU path)."""

from __future__ import annotations

import numpy as np

from quizapp.engine.optim._base import (
    Mistakes,
    OptimError,
    Optimizer,
    Param,
    Trace,
    div,
    neg_if,
    nonzero,
    put,
    step_of,
)
from quizapp.engine.optim._common import l2, sqrt_plus_eps
from quizapp.engine.optim._fp import fma, lerp, sqrt
from quizapp.engine.optim._states import AdadeltaState, AdagradState, RMSpropState

_NONNEG = "must be >= 0"


def _nonneg(default: float) -> Param:
    return Param(default, check=lambda x: x >= 0, rule=_NONNEG)


class Adagrad(Optimizer):
    """Adagrad, exactly as ``torch.optim.Adagrad`` (torch 2.13, CPU, float64).

    With s = t + 1 the 1-based step and g the gradient (−g if maximize):

        g ← g + λ·θ                                  (weight_decay λ ≠ 0)
        clr = η / (1 + (s − 1)·lr_decay)
        G ← G + g²                                   (state field ``sum``; starts at
                                                      initial_accumulator_value)
        std = √G + ε
        θ ← θ − clr · g / std

    Trace names: grad_eff, clr, sum, std, update (Δθ), theta.
    ``wrong_step_t`` uses clr = η / (1 + s·lr_decay).
    """

    name = "adagrad"
    params_spec = {
        "lr": _nonneg(1e-2),
        "lr_decay": _nonneg(0.0),
        "weight_decay": _nonneg(0.0),
        "initial_accumulator_value": _nonneg(0.0),
        "eps": _nonneg(1e-10),
        "maximize": Param(False, kind="bool"),
    }
    state_cls = AdagradState

    def _init(self, p: np.ndarray) -> AdagradState:
        iav = self.hp["initial_accumulator_value"]
        return AdagradState(sum=np.zeros_like(p) + iav, t=0)

    def _step(
        self, p: np.ndarray, g: np.ndarray, s: AdagradState, mk: Mistakes, tr: Trace | None
    ) -> tuple[np.ndarray, AdagradState]:
        hp = self.hp
        lr, eps, wd = hp["lr"], hp["eps"], hp["weight_decay"]
        step = step_of(s.t)
        g = neg_if(hp["maximize"], g)
        if nonzero(wd):
            g = l2(wd, p, g)
        k = step if mk.wrong_step_t else step - 1
        clr = div(lr, 1 + k * hp["lr_decay"])
        total = fma(g, g, s.sum)  # addcmul_(g, g, value=1)
        std = sqrt_plus_eps(total, None, eps, mk)
        value = clr if mk.ascent_sign else -clr
        delta = (value * g) / std
        new_p = p + delta
        put(tr, grad_eff=g, clr=clr, sum=total, std=std, t=s.t + 1, delta_theta=delta)
        return new_p, AdagradState(sum=total, t=s.t + 1)


class RMSprop(Optimizer):
    """RMSprop, exactly as ``torch.optim.RMSprop`` (torch 2.13, CPU, float64).

    With α = alpha, μ = momentum, g the gradient (−g if maximize):

        g ← g + λ·θ                                  (weight_decay λ ≠ 0)
        v ← α·v + (1 − α)·g²
        centered:  ḡ ← ḡ + (1 − α)·(g − ḡ)  (lerp; field ``g_avg``),  avg = √(v − ḡ²) + ε
        otherwise: avg = √v + ε
        μ > 0:     b ← μ·b + g / avg,  θ ← θ − η·b
        μ = 0:     θ ← θ − η·g / avg

    Trace names: grad_eff, v, g_avg (centered), avg, momentum_buffer (μ > 0), update, theta.
    ``old_second_moment`` (not centered) divides by √v_old + ε, v still updated.
    """

    name = "rmsprop"
    params_spec = {
        "lr": _nonneg(1e-2),
        "alpha": _nonneg(0.99),
        "eps": _nonneg(1e-8),
        "weight_decay": _nonneg(0.0),
        "momentum": _nonneg(0.0),
        "centered": Param(False, kind="bool"),
        "maximize": Param(False, kind="bool"),
    }
    state_cls = RMSpropState

    def _init(self, p: np.ndarray) -> RMSpropState:
        z = np.zeros_like(p)
        return RMSpropState(
            v=z,
            t=0,
            momentum_buffer=z if nonzero(self.hp["momentum"]) else None,
            g_avg=z if self.hp["centered"] else None,
        )

    def _step(
        self, p: np.ndarray, g: np.ndarray, s: RMSpropState, mk: Mistakes, tr: Trace | None
    ) -> tuple[np.ndarray, RMSpropState]:
        hp = self.hp
        lr, alpha, eps, wd, mom = (
            hp["lr"],
            hp["alpha"],
            hp["eps"],
            hp["weight_decay"],
            hp["momentum"],
        )
        g = neg_if(hp["maximize"], g)
        if nonzero(wd):
            g = l2(wd, p, g)
        v = fma((1 - alpha) * g, g, s.v * alpha)
        g_avg = None
        if hp["centered"]:
            if s.g_avg is None:
                raise OptimError("optimizer 'rmsprop': state.g_avg is required with centered=True")
            g_avg = lerp(s.g_avg, g, 1 - alpha)
            avg = sqrt_plus_eps(fma(np.negative(g_avg), g_avg, v), None, eps, mk)
        else:
            avg = sqrt_plus_eps(s.v if mk.old_second_moment else v, None, eps, mk)
        neg_lr = lr if mk.ascent_sign else -lr
        buf = None
        if nonzero(mom):
            if s.momentum_buffer is None:
                raise OptimError(
                    "optimizer 'rmsprop': state.momentum_buffer is required with momentum > 0"
                )
            buf = s.momentum_buffer * mom + g / avg
            new_p = fma(neg_lr, buf, p)
            if not isinstance(mom, float):
                # batched momentum with zeros: torch takes the addcdiv branch there
                new_p = np.where(mom > 0, new_p, p + (neg_lr * g) / avg)
            put(tr, momentum_buffer=buf)
        else:
            delta = (neg_lr * g) / avg
            new_p = p + delta
            put(tr, delta_theta=delta)
        put(tr, grad_eff=g, v=v, avg=avg, t=s.t + 1)
        if g_avg is not None:
            put(tr, g_avg=g_avg)
        return new_p, RMSpropState(v=v, t=s.t + 1, momentum_buffer=buf, g_avg=g_avg)


class Adadelta(Optimizer):
    """Adadelta, exactly as ``torch.optim.Adadelta`` (torch 2.13, CPU, float64).

    With ρ = rho, g the gradient (−g if maximize):

        g ← g + λ·θ                                  (weight_decay λ ≠ 0)
        v ← ρ·v + (1 − ρ)·g²                         (E[g²], torch's square_avg)
        std = √(v + ε)
        Δ = √(acc_delta + ε) / std · g               (ε inside both roots, by design)
        acc_delta ← ρ·acc_delta + (1 − ρ)·Δ²         (E[Δθ²])
        θ ← θ − η·Δ

    Trace names: grad_eff, v, std, delta, acc_delta, update (Δθ), theta.
    """

    name = "adadelta"
    params_spec = {
        "lr": _nonneg(1.0),
        "rho": Param(0.9, check=lambda x: (x >= 0) & (x <= 1), rule="must be in [0, 1]"),
        "eps": _nonneg(1e-6),
        "weight_decay": _nonneg(0.0),
        "maximize": Param(False, kind="bool"),
    }
    state_cls = AdadeltaState

    def _init(self, p: np.ndarray) -> AdadeltaState:
        z = np.zeros_like(p)
        return AdadeltaState(v=z, acc_delta=z, t=0)

    def _step(
        self, p: np.ndarray, g: np.ndarray, s: AdadeltaState, mk: Mistakes, tr: Trace | None
    ) -> tuple[np.ndarray, AdadeltaState]:
        hp = self.hp
        lr, rho, eps, wd = hp["lr"], hp["rho"], hp["eps"], hp["weight_decay"]
        g = neg_if(hp["maximize"], g)
        if nonzero(wd):
            g = l2(wd, p, g)
        v = fma((1 - rho) * g, g, s.v * rho)
        std = sqrt(v + eps)
        delta = sqrt(s.acc_delta + eps) / std * g
        acc = fma((1 - rho) * delta, delta, s.acc_delta * rho)
        new_p = fma(lr if mk.ascent_sign else -lr, delta, p)
        put(tr, grad_eff=g, v=v, std=std, delta=delta, acc_delta=acc, t=s.t + 1)
        return new_p, AdadeltaState(v=v, acc_delta=acc, t=s.t + 1)
