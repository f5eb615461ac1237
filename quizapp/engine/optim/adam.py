"""Adam and AdamW (torch.optim.Adam / AdamW, single-tensor CPU path)."""

from __future__ import annotations

from typing import Any

import numpy as np

from quizapp.engine.optim._base import (
    Mistakes,
    Optimizer,
    Param,
    Trace,
    div,
    neg_if,
    put,
    step_of,
)
from quizapp.engine.optim._common import adam_moments, sqrt_plus_eps, weight_decay
from quizapp.engine.optim._fp import pow_
from quizapp.engine.optim._states import AdamState

_NONNEG = "must be >= 0"


class Adam(Optimizer):
    """Adam, exactly as ``torch.optim.Adam`` (torch 2.13, CPU, float64).

    With t the steps already taken, s = t + 1 and g the gradient (−g if maximize):

        L2 (weight_decay λ ≠ 0, not decoupled):   g ← g + λ·θ
        decoupled (AdamW):                          θ ← θ·(1 − η·λ)
        m ← m + (1 − β₁)·(g − m)                   (torch's lerp; = β₁·m + (1 − β₁)·g)
        v ← β₂·v + (1 − β₂)·g²
        v_max ← max(v_max, v)                       (amsgrad; then v_max replaces v below)
        bias_correction1 = 1 − β₁ˢ,  bias_correction2 = 1 − β₂ˢ
        step_size = η / bias_correction1
        denom = √v / √bias_correction2 + ε          (ε added AFTER the root of v̂)
        θ ← θ − step_size · m / denom               (= θ − η·m̂ / (√v̂ + ε), in torch's rounding)

    Trace names: grad_eff (after maximize/L2), theta_decayed and decay_factor (decoupled
    only), m, v, v_max (amsgrad), t (new), bias_correction1, bias_correction2,
    bias_correction2_sqrt, step_size, m_hat = m/bias_correction1, v_hat = v/bias_correction2,
    denom, delta_theta (Δθ = −step_size·m/denom, the Adam part, added to θ or, decoupled, to
    theta_decayed), update (θ_new − θ_old, decay included), theta.
    """

    name = "adam"
    decoupled_default = False
    params_spec = {
        "lr": Param(1e-3, check=lambda x: x >= 0, rule=_NONNEG),
        "betas": Param((0.9, 0.999), kind="betas"),
        "eps": Param(1e-8, check=lambda x: x >= 0, rule=_NONNEG),
        "weight_decay": Param(0.0, check=lambda x: x >= 0, rule=_NONNEG),
        "amsgrad": Param(False, kind="bool"),
        "maximize": Param(False, kind="bool"),
        "decoupled_weight_decay": Param(False, kind="bool"),
    }
    state_cls = AdamState

    def _init(self, p: np.ndarray) -> AdamState:
        z = np.zeros_like(p)
        return AdamState(m=z, v=z, t=0, v_max=z if self.hp["amsgrad"] else None)

    def _step(
        self, p: np.ndarray, g: np.ndarray, s: AdamState, mk: Mistakes, tr: Trace | None
    ) -> tuple[np.ndarray, AdamState]:
        hp = self.hp
        lr, (beta1, beta2), eps, wd = hp["lr"], hp["betas"], hp["eps"], hp["weight_decay"]
        step = step_of(s.t)
        g = neg_if(hp["maximize"], g)
        p, g = weight_decay(p, g, lr, wd, hp["decoupled_weight_decay"], mk, tr)
        m, v = adam_moments(s.m, s.v, g, beta1, beta2)
        put(tr, grad_eff=g, m=m, v=v, t=s.t + 1)
        step_bc = step - 1 if mk.wrong_step_t else step
        if mk.no_bias_correction:
            bc1 = bc2 = 1.0
        else:
            bc1 = 1 - pow_(beta1, step_bc)
            bc2 = 1 - pow_(beta2, step_bc)
        step_size = div(lr, bc1)
        bc2_sqrt = pow_(bc2, 0.5)
        v_max = None
        vv = v
        if hp["amsgrad"]:
            if s.v_max is None:
                raise _missing("adam", "v_max", "amsgrad=True")
            v_max = vv = np.maximum(s.v_max, v)
            put(tr, v_max=v_max)
        denom = sqrt_plus_eps(vv, bc2_sqrt, eps, mk, scale_sq=bc2)
        value = step_size if mk.ascent_sign else -step_size
        delta = (value * m) / denom  # torch's addcdiv_(m, denom, value=−step_size)
        new_p = p + delta
        if tr is not None:  # the m̂, v̂ divisions are for the trace alone
            put(
                tr,
                bias_correction1=bc1,
                bias_correction2=bc2,
                bias_correction2_sqrt=bc2_sqrt,
                step_size=step_size,
                m_hat=div(m, bc1),
                v_hat=div(vv, bc2),
                denom=denom,
                delta_theta=delta,
            )
        return new_p, AdamState(m=m, v=v, t=s.t + 1, v_max=v_max)


class AdamW(Adam):
    """AdamW, exactly as ``torch.optim.AdamW`` = Adam with decoupled_weight_decay=True and
    weight_decay default 1e-2:  θ ← θ·(1 − η·λ), then the Adam update (see :class:`Adam`,
    same trace names)."""

    name = "adamw"
    params_spec = {
        k: (Param(1e-2, check=v.check, rule=v.rule) if k == "weight_decay" else v)
        for k, v in Adam.params_spec.items()
        if k != "decoupled_weight_decay"
    }

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.hp["decoupled_weight_decay"] = True


def _missing(name: str, fld: str, why: str) -> Exception:
    from quizapp.engine.optim._base import OptimError

    return OptimError(f"optimizer {name!r}: state.{fld} is required with {why}")
