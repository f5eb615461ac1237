"""Adafactor (torch.optim.Adafactor, single-tensor CPU path)."""

from __future__ import annotations

import numpy as np

from quizapp.engine.optim._base import (
    Mistakes,
    OptimError,
    Optimizer,
    Param,
    Trace,
    neg_if,
    nonzero,
    put,
    step_of,
)
from quizapp.engine.optim._fp import Num, fma, lerp, pow_
from quizapp.engine.optim._reduce import norm2_lastdim, norm2_strided, sum_cascade
from quizapp.engine.optim._states import AdafactorState

_NONNEG = "must be >= 0"
_EPS64 = float(np.finfo(np.float64).eps)  # torch: eps1 = torch.finfo(param.dtype).eps


class Adafactor(Optimizer):
    """Adafactor, exactly as ``torch.optim.Adafactor`` (torch 2.13, CPU, float64).

    With s = t + 1, g the gradient (−g if maximize), τ = beta2_decay, (ε₁, ε₂) = eps
    (ε₁ = None means float64's machine epsilon), d the clipping threshold:

        β̂ = s^τ                                    (torch's one_minus_beta2_t: 1 − β₂ₜ)
        ρ = min(lr, 1/√s)                          (relative step size, capped by lr)
        α = max(ε₂, RMS(θ)) · ρ                    (RMS(θ) = ‖θ‖₂/√numel, before the decay)
        θ ← θ · (1 − lr·weight_decay)
        ≥2-D (the last two axes are n × m; earlier axes share the factors' leading shape):
            R ← lerp(R, mean of g² over each row, β̂)     (state ``row_var``, (…, n, 1))
            C ← lerp(C, mean of g² over each column, β̂)  (state ``col_var``, (…, 1, m))
            V̂ = R·C / max(mean(R), ε₁)
        vectors:
            V ← lerp(V, g², β̂);  V̂ = V                   (state ``v``, torch's variance)
        U = g / √max(V̂, ε₁²)
        θ ← θ − α / max(1, RMS(U)/d) · U              (update clipping)

    Row and column means are torch's ‖row‖₂²/m (a norm, squared), sums and norms are added
    in torch's order (``_reduce``), so results are bit-identical to torch.

    ``batch_dims`` (an extension; torch has no batch): the first ``batch_dims`` axes index
    independent problems, each a torch parameter of shape ``params.shape[batch_dims:]``
    with its own RMS(θ), RMS(U) and factors; hyperparameters and ``t`` may then be arrays
    broadcastable against the params. With the default 0 the whole array is one parameter,
    as in torch (a 3-D parameter is factored over its last two axes and shares one α).

    Trace names: grad_eff, beta2_t (β̂), rho, rms_theta, alpha, theta_decayed/decay_factor
    (weight_decay ≠ 0), row_mean, col_mean, row_var, col_var (≥2-D) or v (vectors), v_hat
    (V̂ after the ε₁² floor), update_unclipped (U), rms_update, clip_denom, update, theta.
    """

    name = "adafactor"
    params_spec = {
        "lr": Param(1e-2, check=lambda x: x >= 0, rule=_NONNEG),
        "beta2_decay": Param(-0.8, check=lambda x: x <= 0, rule="must be <= 0"),
        "eps": Param((None, 1e-3), kind="floats", none_ok=(0,)),
        "d": Param(1.0, check=lambda x: x >= 1, rule="must be >= 1 (the clipping threshold)"),
        "weight_decay": Param(0.0, check=lambda x: x >= 0, rule=_NONNEG),
        "maximize": Param(False, kind="bool"),
        "batch_dims": Param(0, kind="int", check=lambda x: x >= 0, rule=_NONNEG),
    }
    state_cls = AdafactorState

    def _validate(self) -> None:
        eps1, eps2 = self.hp["eps"]
        owner = f"optimizer {self.name!r}"
        if eps1 is not None and not np.all(np.asarray(eps1) >= 0):
            raise OptimError(f"{owner}: epsilon1 should be >= 0 but is: {eps1}")
        if not np.all(np.asarray(eps2) >= 0):
            raise OptimError(f"{owner}: epsilon2 should be >= 0 but is: {eps2}")

    def _shape(self, p: np.ndarray) -> tuple[int, ...]:
        nb = self.hp["batch_dims"]
        if p.ndim < nb:
            raise OptimError(
                f"optimizer {self.name!r}: params have {p.ndim} axes, fewer than batch_dims={nb}"
            )
        return p.shape[nb:]

    def _init(self, p: np.ndarray) -> AdafactorState:
        shape = self._shape(p)
        if len(shape) >= 2:
            lead = p.shape[:-2]
            return AdafactorState(
                row_var=np.zeros((*lead, shape[-2], 1)),
                col_var=np.zeros((*lead, 1, shape[-1])),
                t=0,
            )
        return AdafactorState(v=np.zeros_like(p), t=0)

    def _step(
        self, p: np.ndarray, g: np.ndarray, s: AdafactorState, mk: Mistakes, tr: Trace | None
    ) -> tuple[np.ndarray, AdafactorState]:
        hp = self.hp
        lr, tau, d, wd = hp["lr"], hp["beta2_decay"], hp["d"], hp["weight_decay"]
        eps1, eps2 = hp["eps"]
        eps1 = _EPS64 if eps1 is None else eps1
        shape = self._shape(p)
        nb = p.ndim - len(shape)
        numel = int(np.prod(shape, dtype=np.int64))
        g = neg_if(hp["maximize"], g)
        step = step_of(s.t)
        beta2_t = pow_(step, tau)
        rho = _min(lr, 1 / pow_(step, 0.5))
        rms_theta = self._per_problem(norm2_lastdim(_rows(p, nb)) / numel**0.5, p, nb)
        alpha = _max(eps2, rms_theta) * rho
        if nonzero(wd):
            decay = 1 - lr * wd
            p = p * decay
            put(tr, theta_decayed=p, decay_factor=decay)
        put(tr, grad_eff=g, beta2_t=beta2_t, rho=rho, rms_theta=rms_theta, alpha=alpha)
        row_var = col_var = v = None
        if len(shape) >= 2:
            if s.row_var is None or s.col_var is None:
                raise OptimError(
                    f"optimizer {self.name!r}: state.row_var and state.col_var are required "
                    "for a parameter with 2 or more axes"
                )
            n, m = shape[-2], shape[-1]
            row_norm = norm2_lastdim(g)[..., None]
            row_mean = (row_norm * row_norm) / m
            # a column norm is a strided reduction, unless each row holds one entry
            col_norm = norm2_lastdim(g[..., 0])[..., None] if m == 1 else norm2_strided(g, -2)
            col_norm = col_norm[..., None, :]
            col_mean = (col_norm * col_norm) / n
            row_var = lerp(s.row_var, row_mean, beta2_t)
            col_var = lerp(s.col_var, col_mean, beta2_t)
            row_avg = (sum_cascade(row_var[..., 0]) / n)[..., None, None]
            v_hat = (row_var * col_var) / np.maximum(row_avg, eps1)
            put(tr, row_mean=row_mean, col_mean=col_mean, row_var=row_var, col_var=col_var)
        else:
            if s.v is None:
                raise OptimError(f"optimizer {self.name!r}: state.v is required for vectors")
            v = lerp(s.v, g * g, beta2_t)
            v_hat = v
            put(tr, v=v)
        eps1_sq = eps1 * eps1
        v_hat = np.maximum(v_hat, eps1_sq)
        # torch: rsqrt_() (1/√x with a correctly rounded root) then mul_(grad)
        u = (1 / np.sqrt(v_hat)) * g
        rms_u = self._per_problem(norm2_lastdim(_rows(u, nb)) / (numel**0.5 * d), p, nb)
        clip = _max(1.0, rms_u)
        coef = alpha / clip if mk.ascent_sign else -alpha / clip
        new_p = fma(coef, u, p)
        put(tr, v_hat=v_hat, update_unclipped=u, rms_update=rms_u, clip_denom=clip, t=s.t + 1)
        return new_p, AdafactorState(row_var=row_var, col_var=col_var, v=v, t=s.t + 1)

    @staticmethod
    def _per_problem(x: np.ndarray, p: np.ndarray, nb: int) -> Num:
        """A per-problem value as a Python float (no batch) or an array broadcastable
        against the params (batch axes kept, parameter axes of size 1)."""
        if nb == 0:
            return float(x)
        return np.asarray(x).reshape(x.shape + (1,) * (p.ndim - nb))


def _rows(x: np.ndarray, nb: int) -> np.ndarray:
    """Each problem's parameter flattened into one row (torch's norm of a whole tensor)."""
    return x.reshape(*x.shape[:nb], -1)


def _min(a: Num, b: Num) -> Num:
    """Python's min(a, b) (a when equal), elementwise for arrays."""
    if isinstance(a, float) and isinstance(b, float):
        return min(a, b)
    return np.where(np.asarray(b) < np.asarray(a), b, a)


def _max(a: Num, b: Num) -> Num:
    """Python's max(a, b) (a when equal, and a when b is nan), elementwise for arrays."""
    if isinstance(a, float) and isinstance(b, float):
        return max(a, b)
    return np.where(np.asarray(b) > np.asarray(a), b, a)
