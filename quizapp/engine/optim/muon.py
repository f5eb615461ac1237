"""Muon (torch.optim.Muon, torch 2.13), with its Newton–Schulz iteration in float64."""

from __future__ import annotations

import math

import numpy as np

from quizapp.engine.optim._base import (
    Mistakes,
    OptimError,
    Optimizer,
    Param,
    Trace,
    nonzero,
    put,
)
from quizapp.engine.optim._fp import Num, fma, lerp
from quizapp.engine.optim._states import MuonState

_NONNEG = "must be >= 0"
NS_COEFFICIENTS = (3.4445, -4.7750, 2.0315)


def newton_schulz(
    g: np.ndarray, coefficients: tuple[Num, Num, Num], steps: int, eps: Num
) -> np.ndarray:
    """Muon's orthogonalisation of each matrix (last two axes) of ``g``, in float64.

    With (a, b, c) = coefficients and X the matrix (transposed first when it has more rows
    than columns, so that X·Xᵀ is the smaller Gram matrix):

        X ← X / max(‖X‖_F, eps)
        repeat ``steps`` times:   A = X·Xᵀ;   B = b·A + c·A·A;   X ← a·X + B·X

    which pushes every singular value of X toward ≈ 1 (into roughly [0.7, 1.2] for the
    default quintic), i.e. X ≈ U·Vᵀ of the SVD G = U·S·Vᵀ. torch runs this in bfloat16;
    here it is float64, so results differ from torch at bfloat16 precision (≈ 1e-2
    relative), not in the last bit.
    """
    a, b, c = coefficients
    x = np.asarray(g, dtype=np.float64)
    tall = x.shape[-2] > x.shape[-1]
    if tall:
        x = np.swapaxes(x, -1, -2)
    norm = np.sqrt(np.sum(x * x, axis=(-2, -1), keepdims=True))
    x = x / np.maximum(norm, eps)
    for _ in range(steps):
        gram = x @ np.swapaxes(x, -1, -2)
        poly = b * gram + c * (gram @ gram)
        x = a * x + poly @ x
    return np.swapaxes(x, -1, -2) if tall else x


class Muon(Optimizer):
    """Muon, as ``torch.optim.Muon`` (torch 2.13) except the Newton–Schulz precision.

    For a matrix parameter θ of shape A × B (the last two axes; leading axes index
    independent matrices), g the gradient, μ = momentum:

        B ← lerp(B, g, 1 − μ)                 (= μ·B + (1 − μ)·g: torch's buf.lerp_, an EMA)
        D = lerp(g, B, μ)  if nesterov  else  B      (= (1 − μ)·g + μ·B)
        O = NewtonSchulz(D)                   (see :func:`newton_schulz`; float64 here)
        η' = lr·√max(1, A/B)        (adjust_lr_fn None or "original", Keller Jordan's)
             lr·0.2·√max(A, B)      ("match_rms_adamw", Moonshot's: RMS like AdamW's)
        θ ← θ·(1 − lr·weight_decay)          (decoupled; with the unadjusted lr)
        θ ← θ − η'·O

    Everything but O is computed in torch's order (the buffer is bit-identical to torch);
    O is float64 where torch uses bfloat16, so θ agrees with torch to ≈ 1e-2 of the step.

    Trace names: grad_eff, momentum_buffer, direction (D), direction_norm (‖D‖_F), ortho
    (O), adjusted_lr, theta_decayed/decay_factor (weight_decay ≠ 0), update, theta.
    """

    name = "muon"
    params_spec = {
        "lr": Param(1e-3, check=lambda x: x >= 0, rule=_NONNEG),
        "weight_decay": Param(0.1, check=lambda x: x >= 0, rule=_NONNEG),
        "momentum": Param(0.95, check=lambda x: x >= 0, rule=_NONNEG),
        "nesterov": Param(True, kind="bool"),
        "ns_coefficients": Param(NS_COEFFICIENTS, kind="floats", size=3),
        "eps": Param(1e-7, check=lambda x: x >= 0, rule=_NONNEG),
        "ns_steps": Param(
            5, kind="int", check=lambda x: 0 <= x < 100, rule="must be in [0, 100) (torch's rule)"
        ),
        "adjust_lr_fn": Param(None, kind="choice", choices=(None, "original", "match_rms_adamw")),
    }
    state_cls = MuonState

    def _matrix(self, p: np.ndarray) -> tuple[int, int]:
        if p.ndim < 2:
            raise OptimError(
                f"optimizer {self.name!r} only supports matrices (2-D parameters; leading "
                f"axes index independent matrices); got shape {p.shape}"
            )
        return p.shape[-2], p.shape[-1]

    def _init(self, p: np.ndarray) -> MuonState:
        self._matrix(p)
        return MuonState(momentum_buffer=np.zeros_like(p), t=0)

    def _step(
        self, p: np.ndarray, g: np.ndarray, s: MuonState, mk: Mistakes, tr: Trace | None
    ) -> tuple[np.ndarray, MuonState]:
        hp = self.hp
        rows, cols = self._matrix(p)
        lr, mom, wd = hp["lr"], hp["momentum"], hp["weight_decay"]
        buf = lerp(s.momentum_buffer, g, 1 - mom)
        direction = lerp(g, buf, mom) if hp["nesterov"] else buf
        ortho = newton_schulz(direction, hp["ns_coefficients"], hp["ns_steps"], hp["eps"])
        if hp["adjust_lr_fn"] == "match_rms_adamw":
            ratio = 0.2 * math.sqrt(max(rows, cols))
        else:
            ratio = math.sqrt(max(1, rows / cols))
        adjusted = lr * ratio
        put(tr, grad_eff=g, momentum_buffer=buf, direction=direction, ortho=ortho)
        put(tr, direction_norm=np.sqrt(np.sum(direction * direction, axis=(-2, -1))))
        put(tr, adjusted_lr=adjusted, t=s.t + 1)
        if nonzero(wd):
            decay = 1 - lr * wd
            p = p * decay
            put(tr, theta_decayed=p, decay_factor=decay)
        new_p = fma(adjusted if mk.ascent_sign else -adjusted, ortho, p)
        return new_p, MuonState(momentum_buffer=buf, t=s.t + 1)
