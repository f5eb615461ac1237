"""Pieces shared by several optimizers: weight decay and the denominator variants."""

from __future__ import annotations

import numpy as np

from quizapp.engine.optim._base import Mistakes, Trace, nonzero, put
from quizapp.engine.optim._fp import Num, fma, lerp, sqrt


def weight_decay(
    p: np.ndarray,
    g: np.ndarray,
    lr: Num,
    wd: Num,
    decoupled: bool,
    mk: Mistakes,
    tr: Trace | None,
) -> tuple[np.ndarray, np.ndarray]:
    """torch's ``if weight_decay != 0``: decoupled θ ← θ·(1 − η·λ), else L2 g ← g + λ·θ.

    The L2 form is ``grad.add(param, alpha=λ)``, a fused multiply-add on CPU.
    """
    if not nonzero(wd):
        return p, g
    if decoupled and mk.l2_instead_of_decoupled:
        decoupled = False
    elif not decoupled and mk.decoupled_instead_of_l2:
        decoupled = True
    if decoupled:
        factor = 1 - wd if mk.decay_not_scaled_by_lr else 1 - lr * wd
        p = p * factor
        put(tr, theta_decayed=p, decay_factor=factor)
        return p, g
    return p, l2(wd, p, g)


def l2(wd: Num, p: np.ndarray, g: np.ndarray) -> np.ndarray:
    """L2 weight decay g + λ·θ (torch's ``grad.add(param, alpha=λ)``, an fma). With a batch
    of λ, the rows whose λ is 0 keep g as it is, as torch skips the add for them (0·inf
    would make a diverged row's g nan where torch's is ±inf)."""
    out = fma(wd, p, g)
    if type(wd) is np.ndarray:
        out = np.where(wd != 0, out, g)
    return out


def sqrt_plus_eps(
    x: np.ndarray, scale: Num | None, eps: Num, mk: Mistakes, scale_sq: Num | None = None
) -> np.ndarray:
    """torch's ``(x.sqrt() / scale).add_(eps)`` (or ``x.sqrt().add_(eps)`` if scale is None).

    Wrong variants: eps_inside_sqrt → √(x/scale_sq + ε); no_sqrt → x/scale_sq + ε, where
    scale_sq (e.g. bias_correction2) defaults to scale².
    """
    if mk.no_sqrt or mk.eps_inside_sqrt:
        if scale_sq is None and scale is not None:
            scale_sq = scale * scale
        xs = x if scale_sq is None else x / scale_sq
        if mk.no_sqrt:
            return xs + eps
        return sqrt(xs + eps)
    r = sqrt(x)
    if scale is not None:
        r = r / scale
    r += eps
    return r


def adam_moments(m: np.ndarray, v: np.ndarray, g: np.ndarray, beta1: Num, beta2: Num):  # noqa: ANN201
    """Adam's moments, as torch updates them (``lerp_`` and ``mul_().addcmul_()``):

        m ← lerp(m, g, 1 − β₁) = m + (1 − β₁)·(g − m),   v ← β₂·v + (1 − β₂)·g²

    shared by Adam/AdamW, NAdam and RAdam."""
    return lerp(m, g, 1 - beta1), fma((1 - beta2) * g, g, v * beta2)
