"""NAdam, RAdam, Adamax (torch.optim, single-tensor CPU path) and Lion (lion-pytorch)."""

from __future__ import annotations

import numpy as np

from quizapp.engine.optim._base import Mistakes, Optimizer, Param, Trace, div, neg_if, put, step_of
from quizapp.engine.optim._common import adam_moments, sqrt_plus_eps, weight_decay
from quizapp.engine.optim._fp import f32, fma, lerp, pow_
from quizapp.engine.optim._states import AdamaxState, LionState, NAdamState, RAdamState

_NONNEG = "must be >= 0"


def _nonneg(default: float) -> Param:
    return Param(default, check=lambda x: x >= 0, rule=_NONNEG)


class NAdam(Optimizer):
    """NAdam, exactly as ``torch.optim.NAdam`` (torch 2.13, CPU, float64).

    With s = t + 1, ψ = momentum_decay, g the gradient (−g if maximize):

        L2: g ← g + λ·θ    or decoupled: θ ← θ·(1 − η·λ)
        μ = β₁·(1 − ½·0.96^(s·ψ)),   μ_next = β₁·(1 − ½·0.96^((s + 1)·ψ))
        mu_product ← mu_product·μ        (a float32 tensor in torch: rounded to float32)
        m ← lerp(m, g, 1 − β₁),  v ← β₂·v + (1 − β₂)·g²
        bias_correction2 = 1 − β₂ˢ,  denom = √(v / bias_correction2) + ε
        θ ← θ − η·(1 − μ)/(1 − mu_product) · g / denom
        θ ← θ − η·μ_next/(1 − mu_product·μ_next) · m / denom

    Trace names: grad_eff, theta_decayed/decay_factor (decoupled), mu, mu_next, mu_product,
    mu_product_next, m, v, bias_correction2, denom, coef_grad, coef_m, update, theta.
    """

    name = "nadam"
    params_spec = {
        "lr": _nonneg(2e-3),
        "betas": Param((0.9, 0.999), kind="betas"),
        "eps": _nonneg(1e-8),
        "weight_decay": _nonneg(0.0),
        "momentum_decay": _nonneg(4e-3),
        "decoupled_weight_decay": Param(False, kind="bool"),
        "maximize": Param(False, kind="bool"),
    }
    state_cls = NAdamState

    def _init(self, p: np.ndarray) -> NAdamState:
        z = np.zeros_like(p)
        return NAdamState(m=z, v=z, t=0, mu_product=1.0)

    def _step(
        self, p: np.ndarray, g: np.ndarray, s: NAdamState, mk: Mistakes, tr: Trace | None
    ) -> tuple[np.ndarray, NAdamState]:
        hp = self.hp
        lr, (beta1, beta2), eps, wd = hp["lr"], hp["betas"], hp["eps"], hp["weight_decay"]
        psi = hp["momentum_decay"]
        step = step_of(s.t)
        g = neg_if(hp["maximize"], g)
        step_bc = step - 1 if mk.wrong_step_t else step
        bc2 = 1.0 if mk.no_bias_correction else 1 - pow_(beta2, step_bc)
        p, g = weight_decay(p, g, lr, wd, hp["decoupled_weight_decay"], mk, tr)
        mu = beta1 * (1.0 - 0.5 * pow_(0.96, step * psi))
        mu_next = beta1 * (1.0 - 0.5 * pow_(0.96, (step + 1) * psi))
        # torch: float32 tensor *= python float -> the float is cast to float32 first
        mu_product = f32(f32(s.mu_product) * f32(mu))
        m, v = adam_moments(s.m, s.v, g, beta1, beta2)
        denom = sqrt_plus_eps(v / bc2, None, eps, mk)
        mu_product_next = mu_product * mu_next
        sign = -1.0 if mk.ascent_sign else 1.0
        coef_g = div(-lr * (1.0 - mu), 1.0 - mu_product) * sign
        coef_m = div(-lr * mu_next, 1.0 - mu_product_next) * sign
        new_p = p + (coef_g * g) / denom
        new_p = new_p + (coef_m * m) / denom
        put(
            tr,
            grad_eff=g,
            mu=mu,
            mu_next=mu_next,
            mu_product=mu_product,
            mu_product_next=mu_product_next,
            m=m,
            v=v,
            t=s.t + 1,
            bias_correction2=bc2,
            denom=denom,
            coef_grad=coef_g,
            coef_m=coef_m,
        )
        return new_p, NAdamState(m=m, v=v, t=s.t + 1, mu_product=mu_product)


class RAdam(Optimizer):
    """RAdam, exactly as ``torch.optim.RAdam`` (torch 2.13, CPU, float64).

    With s = t + 1, g the gradient (−g if maximize):

        L2: g ← g + λ·θ    or decoupled: θ ← θ·(1 − η·λ)
        m ← lerp(m, g, 1 − β₁),  v ← β₂·v + (1 − β₂)·g²
        m̂ = m / (1 − β₁ˢ)
        ρ∞ = 2/(1 − β₂) − 1,   ρₛ = ρ∞ − 2·s·β₂ˢ / (1 − β₂ˢ)
        if ρₛ > 5:  r = √((ρₛ − 4)(ρₛ − 2)ρ∞ / ((ρ∞ − 4)(ρ∞ − 2)ρₛ))
                    θ ← θ − m̂·η · √(1 − β₂ˢ)/(√v + ε) · r
        else:       θ ← θ − m̂·η                      (un-adapted SGD-with-momentum step)

    Trace names: grad_eff, theta_decayed/decay_factor (decoupled), m, v, bias_correction1,
    bias_correction2, m_hat, rho_inf, rho_t, rectified (1.0/0.0), rect, adaptive_lr, update,
    theta.
    """

    name = "radam"
    params_spec = {
        "lr": _nonneg(1e-3),
        "betas": Param((0.9, 0.999), kind="betas"),
        "eps": _nonneg(1e-8),
        "weight_decay": _nonneg(0.0),
        "decoupled_weight_decay": Param(False, kind="bool"),
        "maximize": Param(False, kind="bool"),
    }
    state_cls = RAdamState

    def _init(self, p: np.ndarray) -> RAdamState:
        z = np.zeros_like(p)
        return RAdamState(m=z, v=z, t=0)

    def _step(
        self, p: np.ndarray, g: np.ndarray, s: RAdamState, mk: Mistakes, tr: Trace | None
    ) -> tuple[np.ndarray, RAdamState]:
        hp = self.hp
        lr, (beta1, beta2), eps, wd = hp["lr"], hp["betas"], hp["eps"], hp["weight_decay"]
        step = step_of(s.t)
        g = neg_if(hp["maximize"], g)
        p, g = weight_decay(p, g, lr, wd, hp["decoupled_weight_decay"], mk, tr)
        m, v = adam_moments(s.m, s.v, g, beta1, beta2)
        # the rectification uses the true step; the bias corrections may be made wrong
        beta2_s = pow_(beta2, step)
        bc2_true = 1 - beta2_s
        step_bc = step - 1 if mk.wrong_step_t else step
        if mk.no_bias_correction:
            bc1 = bc2 = 1.0
        else:
            bc1 = 1 - pow_(beta1, step_bc)
            bc2 = 1 - pow_(beta2, step_bc)
        m_hat = m / bc1
        rho_inf = div(2, 1 - beta2) - 1
        rho_t = rho_inf - div(2 * step * beta2_s, bc2_true)
        rectified = rho_t > 5.0
        sign = -1.0 if mk.ascent_sign else 1.0
        if isinstance(rho_t, float) and not rectified:
            rect = adaptive = None
            new_p = p - sign * (m_hat * lr)
        else:
            safe_rho = rho_t if isinstance(rho_t, float) else np.where(rectified, rho_t, 5.0)
            ratio = div(
                (safe_rho - 4) * (safe_rho - 2) * rho_inf,
                (rho_inf - 4) * (rho_inf - 2) * safe_rho,
            )
            if not isinstance(rho_t, float):  # unrectified rows (ρ∞ may be in (2, 4)): unused
                ratio = np.where(rectified, ratio, 1.0)
            rect = pow_(ratio, 0.5)
            # torch: python_float / tensor is Tensor.__rtruediv__ = reciprocal(tensor) * float
            adaptive = (1.0 / sqrt_plus_eps(v, None, eps, mk)) * pow_(bc2, 0.5)
            new_p = p - sign * (m_hat * lr * adaptive * rect)
            if not isinstance(rho_t, float):
                new_p = np.where(rectified, new_p, p - sign * (m_hat * lr))
        put(
            tr,
            grad_eff=g,
            m=m,
            v=v,
            t=s.t + 1,
            bias_correction1=bc1,
            bias_correction2=bc2,
            m_hat=m_hat,
            rho_inf=rho_inf,
            rho_t=rho_t,
            rectified=np.asarray(rectified, dtype=np.float64),
        )
        if rect is not None:
            put(tr, rect=rect, adaptive_lr=adaptive)
        return new_p, RAdamState(m=m, v=v, t=s.t + 1)


class Adamax(Optimizer):
    """Adamax, exactly as ``torch.optim.Adamax`` (torch 2.13, CPU, float64).

    With s = t + 1, g the gradient (−g if maximize):

        g ← g + λ·θ                                  (weight_decay λ ≠ 0)
        m ← lerp(m, g, 1 − β₁)
        u ← max(β₂·u, |g| + ε)                       (ε inside the max, torch's exp_inf)
        clr = η / (1 − β₁ˢ)
        θ ← θ − clr · m / u

    Trace names: grad_eff, m, u, bias_correction1, clr, update (Δθ), theta.
    """

    name = "adamax"
    params_spec = {
        "lr": _nonneg(2e-3),
        "betas": Param((0.9, 0.999), kind="betas"),
        "eps": _nonneg(1e-8),
        "weight_decay": _nonneg(0.0),
        "maximize": Param(False, kind="bool"),
    }
    state_cls = AdamaxState

    def _init(self, p: np.ndarray) -> AdamaxState:
        z = np.zeros_like(p)
        return AdamaxState(m=z, u=z, t=0)

    def _step(
        self, p: np.ndarray, g: np.ndarray, s: AdamaxState, mk: Mistakes, tr: Trace | None
    ) -> tuple[np.ndarray, AdamaxState]:
        hp = self.hp
        lr, (beta1, beta2), eps, wd = hp["lr"], hp["betas"], hp["eps"], hp["weight_decay"]
        step = step_of(s.t)
        g = neg_if(hp["maximize"], g)
        p, g = weight_decay(p, g, lr, wd, False, Mistakes(), None)
        m = lerp(s.m, g, 1 - beta1)
        u = np.maximum(s.u * beta2, np.abs(g) + eps)
        step_bc = step - 1 if mk.wrong_step_t else step
        bc1 = 1.0 if mk.no_bias_correction else 1 - pow_(beta1, step_bc)
        clr = div(lr, bc1)
        value = clr if mk.ascent_sign else -clr
        delta = (value * m) / u
        new_p = p + delta
        put(tr, delta_theta=delta)
        put(tr, grad_eff=g, m=m, u=u, t=s.t + 1, bias_correction1=bc1, clr=clr)
        return new_p, AdamaxState(m=m, u=u, t=s.t + 1)


class Lion(Optimizer):
    """Lion (Chen et al. 2023), as lion-pytorch's reference implementation.

    With g the gradient (−g if maximize, an extension for symmetry with torch):

        θ ← θ·(1 − η·λ)                              (decoupled decay, λ = weight_decay)
        c = β₁·m + (1 − β₁)·g                        (interpolation, NOT stored)
        θ ← θ − η·sign(c)
        m ← β₂·m + (1 − β₂)·g

    Each ``a·x + b`` above is evaluated as torch does on CPU: ``x.mul_(β).add_(g, alpha=1−β)``
    (a fused multiply-add). Trace names: grad_eff, theta_decayed/decay_factor (λ ≠ 0), c,
    sign_c, m, update (Δθ), theta.
    """

    name = "lion"
    params_spec = {
        "lr": _nonneg(1e-4),
        "betas": Param((0.9, 0.99), kind="betas"),
        "weight_decay": _nonneg(0.0),
        "maximize": Param(False, kind="bool"),
    }
    state_cls = LionState

    def _init(self, p: np.ndarray) -> LionState:
        return LionState(m=np.zeros_like(p), t=0)

    def _step(
        self, p: np.ndarray, g: np.ndarray, s: LionState, mk: Mistakes, tr: Trace | None
    ) -> tuple[np.ndarray, LionState]:
        hp = self.hp
        lr, (beta1, beta2), wd = hp["lr"], hp["betas"], hp["weight_decay"]
        g = neg_if(hp["maximize"], g)
        no_l2 = Mistakes(decay_not_scaled_by_lr=mk.decay_not_scaled_by_lr)
        p, _ = weight_decay(p, g, lr, wd, True, no_l2, tr)
        c = fma(1 - beta1, g, s.m * beta1)
        sc = np.sign(c)
        new_p = fma(lr if mk.ascent_sign else -lr, sc, p)
        m = fma(1 - beta2, g, s.m * beta2)
        put(tr, grad_eff=g, c=c, sign_c=sc, m=m, t=s.t + 1)
        return new_p, LionState(m=m, t=s.t + 1)
