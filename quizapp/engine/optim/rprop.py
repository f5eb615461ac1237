"""Rprop and ASGD (torch.optim.Rprop / ASGD, single-tensor CPU path)."""

from __future__ import annotations

import numpy as np

from quizapp.engine.optim._base import (
    Mistakes,
    OptimError,
    Optimizer,
    Param,
    Trace,
    check,
    neg_if,
    nonzero,
    put,
    step_of,
)
from quizapp.engine.optim._common import l2
from quizapp.engine.optim._fp import Num, f32, fma, pow_
from quizapp.engine.optim._states import ASGDState, RpropState

_NONNEG = "must be >= 0"


class Rprop(Optimizer):
    """Rprop, exactly as ``torch.optim.Rprop`` (torch 2.13, CPU, float64).

    Only the sign of the gradient is used; each weight has its own step size Δ (state
    ``step_size``, starting at lr). With g the gradient (−g if maximize), g_prev the state
    ``prev`` and (η⁻, η⁺) = etas, (Δmin, Δmax) = step_sizes:

        s = sign(g · g_prev)
        factor = η⁺ where s > 0,  η⁻ where s < 0,  1 where s = 0
        Δ ← clamp(Δ · factor, Δmin, Δmax)
        g ← 0 where s < 0                  (after a sign flip: no step, and no flip next time)
        θ ← θ − sign(g) · Δ
        g_prev ← g

    Trace names: grad_eff, sign, factor, step_size, grad_masked (the new ``prev``), update,
    theta.
    """

    name = "rprop"
    params_spec = {
        "lr": Param(1e-2, check=lambda x: x >= 0, rule=_NONNEG),
        "etas": Param((0.5, 1.2), kind="floats"),
        "step_sizes": Param((1e-6, 50.0), kind="floats"),
        "maximize": Param(False, kind="bool"),
    }
    state_cls = RpropState

    def _validate(self) -> None:
        minus, plus = self.hp["etas"]
        check(
            (np.asarray(minus) > 0) & (np.asarray(minus) < 1) & (np.asarray(plus) > 1),
            lambda: f"invalid eta values: {minus}, {plus} (need 0 < etaminus < 1 < etaplus)",
            f"optimizer {self.name!r}",
        )

    def _init(self, p: np.ndarray) -> RpropState:
        return RpropState(prev=np.zeros_like(p), step_size=np.zeros_like(p) + self.hp["lr"], t=0)

    def _step(
        self, p: np.ndarray, g: np.ndarray, s: RpropState, mk: Mistakes, tr: Trace | None
    ) -> tuple[np.ndarray, RpropState]:
        minus, plus = self.hp["etas"]
        lo, hi = self.hp["step_sizes"]
        g = neg_if(self.hp["maximize"], g)
        sign = np.sign(g * s.prev)
        factor = np.where(sign > 0, plus, np.where(sign < 0, minus, np.where(sign == 0, 1.0, sign)))
        step_size = np.minimum(np.maximum(s.step_size * factor, lo), hi)  # torch's clamp_
        masked = np.where(factor == minus, 0.0, g)
        direction = np.sign(masked)
        new_p = fma(direction if mk.ascent_sign else np.negative(direction), step_size, p)
        put(tr, grad_eff=g, sign=sign, factor=factor, step_size=step_size, grad_masked=masked)
        put(tr, t=s.t + 1)
        return new_p, RpropState(prev=masked, step_size=step_size, t=s.t + 1)


class ASGD(Optimizer):
    """Averaged SGD, exactly as ``torch.optim.ASGD`` (torch 2.13, CPU, float64).

    With s = t + 1, g the gradient (−g if maximize), η and μ from the state (float32
    values, as torch keeps them), λ = lambd:

        g ← g + weight_decay·θ                  (weight_decay ≠ 0)
        θ ← θ · (1 − λ·η)                       (decay toward 0)
        θ ← θ − η·g
        ax ← ax + μ·(θ − ax)    (ax ← θ while μ = 1, i.e. until step t0)
        η ← lr / (1 + λ·lr·s)^alpha             (the step size for the next step)
        μ ← 1 / max(1, s − t0)                  (averaging starts after t0 steps)

    Trace names: grad_eff, eta (used this step), decay_factor, mu (used), ax, eta_next,
    mu_next, update, theta.
    """

    name = "asgd"
    params_spec = {
        "lr": Param(1e-2, check=lambda x: x >= 0, rule=_NONNEG),
        "lambd": Param(1e-4),
        "alpha": Param(0.75),
        "t0": Param(1e6),
        "weight_decay": Param(0.0, check=lambda x: x >= 0, rule=_NONNEG),
        "maximize": Param(False, kind="bool"),
    }
    state_cls = ASGDState

    def _init(self, p: np.ndarray) -> ASGDState:
        return ASGDState(eta=f32(self.hp["lr"]), ax=np.zeros_like(p), mu=1.0, t=0)

    def _step(
        self, p: np.ndarray, g: np.ndarray, s: ASGDState, mk: Mistakes, tr: Trace | None
    ) -> tuple[np.ndarray, ASGDState]:
        hp = self.hp
        lr, lambd, alpha, t0, wd = hp["lr"], hp["lambd"], hp["alpha"], hp["t0"], hp["weight_decay"]
        step = step_of(s.t)
        g = neg_if(hp["maximize"], g)
        if nonzero(wd):
            g = l2(wd, p, g)
        eta, mu = s.eta, s.mu
        decay = 1 - lambd * eta
        p = p * decay
        put(tr, theta_decayed=p)
        new_p = fma(eta if mk.ascent_sign else np.negative(eta), g, p)
        if isinstance(mu, float) and mu == 1:
            ax = np.array(new_p, dtype=np.float64)
        else:
            ax = s.ax + (new_p - s.ax) * mu
            if not isinstance(mu, float):
                ax = np.where(mu != 1, ax, new_p)
        eta_next = _next_eta(lr, lambd, alpha, step)
        if isinstance(step, float) and isinstance(t0, float):
            mu_next = f32(1 / max(1, step - t0))
        else:
            mu_next = f32(1 / np.maximum(1, step - t0))
        put(tr, grad_eff=g, eta=eta, decay_factor=decay, mu=mu, ax=ax)
        put(tr, eta_next=eta_next, mu_next=mu_next, t=s.t + 1)
        return new_p, ASGDState(eta=eta_next, ax=ax, mu=mu_next, t=s.t + 1)


def _next_eta(lr: Num, lambd: Num, alpha: Num, step: Num) -> Num:
    """ASGD's η = lr / (1 + λ·lr·s)^alpha in Python floats, as torch; where torch's Python
    arithmetic raises (a zero or overflowing power: ZeroDivisionError, OverflowError) or
    turns complex (a negative base to a fractional power), a located refusal instead."""
    base = 1 + lambd * lr * step
    try:
        power = pow_(base, alpha)
        if isinstance(power, complex):
            raise ValueError("complex power")
        return f32(lr / power)
    except (ZeroDivisionError, OverflowError, ValueError, TypeError):
        raise OptimError(
            f"optimizer 'asgd': step {step}: eta = lr / (1 + lambd·lr·step)^alpha = "
            f"{lr} / ({base})^{alpha} is not a real number (torch raises or goes complex); "
            "choose lambd >= 0 and a finite alpha"
        ) from None
