"""SGD with momentum / dampening / Nesterov (torch.optim.SGD, single-tensor CPU path)."""

from __future__ import annotations

import numpy as np

from quizapp.engine.optim._base import (
    Mistakes,
    Optimizer,
    Param,
    Trace,
    check,
    neg_if,
    nonzero,
    put,
)
from quizapp.engine.optim._common import l2
from quizapp.engine.optim._fp import fma
from quizapp.engine.optim._states import SGDState

_NONNEG = "must be >= 0"


class SGD(Optimizer):
    """SGD, exactly as ``torch.optim.SGD`` (torch 2.13; note lr defaults to 1e-3 there).

    With g the gradient (−g if maximize), μ = momentum, τ = dampening:

        g ← g + λ·θ                                  (weight_decay λ ≠ 0)
        b ← g                                        (first step: a copy, NO dampening)
        b ← μ·b + (1 − τ)·g                          (later steps)
        d ← g + μ·b  if nesterov  else  b            (μ = 0: d ← g, no buffer)
        θ ← θ − η·d

    Trace names: grad_eff, momentum_buffer (momentum ≠ 0), direction (d), update (Δθ), theta.
    ``ema_momentum`` computes b ← μ·b + (1 − μ)·g starting from b = 0.
    """

    name = "sgd"
    params_spec = {
        "lr": Param(1e-3, check=lambda x: x >= 0, rule=_NONNEG),
        "momentum": Param(0.0, check=lambda x: x >= 0, rule=_NONNEG),
        "dampening": Param(0.0),
        "weight_decay": Param(0.0, check=lambda x: x >= 0, rule=_NONNEG),
        "nesterov": Param(False, kind="bool"),
        "maximize": Param(False, kind="bool"),
    }
    state_cls = SGDState

    def _validate(self) -> None:
        if self.hp["nesterov"]:
            check(
                (np.asarray(self.hp["momentum"]) > 0) & (np.asarray(self.hp["dampening"]) == 0),
                "Nesterov momentum requires a momentum and zero dampening",
                f"optimizer {self.name!r}",
            )

    def _init(self, p: np.ndarray) -> SGDState:
        return SGDState(momentum_buffer=None)

    def _step(
        self, p: np.ndarray, g: np.ndarray, s: SGDState, mk: Mistakes, tr: Trace | None
    ) -> tuple[np.ndarray, SGDState]:
        hp = self.hp
        lr, mom, damp, wd = hp["lr"], hp["momentum"], hp["dampening"], hp["weight_decay"]
        g = neg_if(hp["maximize"], g)
        if nonzero(wd):
            g = l2(wd, p, g)
        put(tr, grad_eff=g)
        buf = None
        d = g
        if nonzero(mom):
            if mk.ema_momentum:
                prev = np.zeros_like(g) if s.momentum_buffer is None else s.momentum_buffer
                buf = fma(1 - mom, g, prev * mom)
            elif s.momentum_buffer is None:
                buf = np.array(g, dtype=np.float64)  # torch: grad.detach().clone()
            else:
                buf = fma(1 - damp, g, s.momentum_buffer * mom)
            d = fma(mom, buf, g) if hp["nesterov"] else buf
            if not isinstance(mom, float):
                # batched momentum with some zeros: torch keeps no buffer there, d = g
                d = np.where(mom == 0, g, d)
            put(tr, momentum_buffer=buf)
        put(tr, direction=d)
        new_p = fma(lr if mk.ascent_sign else -lr, d, p)
        return new_p, SGDState(momentum_buffer=buf)
