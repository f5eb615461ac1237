"""SGD-family and adaptive step drills: sgd, momentum, nesterov, adagrad, rmsprop.

Answers, worked solutions and mistake variants all come from ``optim`` traces."""

from __future__ import annotations

from typing import Any

import numpy as np

from quizapp.engine import optim
from quizapp.engine.drills.base import Arrays, Row, StepDict, fmt, register, step
from quizapp.engine.drills.models import AnswerField
from quizapp.engine.drills.optim_common import (
    THETA_TOL,
    OptimizerDrill,
    P,
    draw_grad_state,
    par,
    prior_moment,
    prior_second_moment,
    steps_taken,
)
from quizapp.engine.drills.sampling import Param, Sampler

LABELS = {
    "theta": "θ",
    "grad": "g",
    "lr": "η",
    "weight_decay": "λ",
    "momentum": "μ",
    "momentum_buffer": "b",
    "sum": "G",
    "t": "t",
    "lr_decay": "lr_decay",
    "eps": "ε",
    "v": "v",
    "alpha": "α",
}
F_THETA = AnswerField(
    name="theta",
    label="θ'",
    hint="θ after the step; graded to 0.1 % of the update, so keep digits (θ + Δθ as an expression is fine)",
    primary=True,
)
F_BUF = AnswerField(name="momentum_buffer", label="b", hint="momentum buffer after the step")
SGD_LR = Param("lr", "η", "float", (0.01, 0.5), (0.0, 10.0), log=True, sig=1, open_low=True)
SGD_GRAD = Param("grad_scale", "|g|", "float", (0.01, 2.0), (1e-8, 1e6), log=True)
SGD_WD = Param("weight_decay", "λ", "float", (0.0, 0.05), (0.0, 10.0), sig=1)


class _SGDBase(OptimizerDrill):
    """Shared SGD-family drill: one torch SGD step from a given buffer."""

    topic = "sgd"
    optimizer = "sgd"
    labels = LABELS
    tolerances = {"theta": THETA_TOL}
    answer_map = {
        "theta": "theta",
        "momentum_buffer": "momentum_buffer",
        "direction": "direction",
        "grad_eff": "grad_eff",
    }

    def state(self, g: Arrays) -> Any:
        buf = g.get("momentum_buffer")
        return optim.SGDState(
            momentum_buffer=None if buf is None else np.asarray(buf, dtype=np.float64)
        )

    def acceptable(self, g: Arrays, a: Arrays) -> np.ndarray:
        return self.update_ok(g, a)

    def final(self, g: Row, a: Row, d: str) -> list[StepDict]:
        return [
            step(
                label="Δθ",
                expression=f"−{fmt(g['lr'])}·{par(a['tr_direction'])}",
                value=a["tr_update"],
            ),
            step(
                label="θ'",
                expression=f"{fmt(g['theta'])} + {par(a['tr_update'])}",
                value=a["theta"],
            ),
        ]


@register
class SGDDrill(_SGDBase):
    """One torch SGD step: g ← g + λθ, θ' = θ − η·g."""

    id = "sgd"
    title = "One SGD step (with L2 weight decay)"
    description = "Plain SGD: fold λθ into the gradient, then θ ← θ − η·g."
    params = (P.theta, SGD_GRAD, SGD_LR, SGD_WD)
    fields = (
        AnswerField(name="grad_eff", label="g + λθ", hint="the gradient with L2 folded in"),
        F_THETA,
    )
    primary = "theta"
    given_order = ("theta", "grad", "lr", "weight_decay")
    hp_inputs = ("lr", "weight_decay")
    mistakes = ("forgot_weight_decay", "ascent_sign")
    must_distinguish = ("ascent_sign",)

    def sample(self, s: Sampler) -> Arrays:
        g = draw_grad_state(s)
        g.update(lr=s.float("lr"), weight_decay=s.float("weight_decay"))
        return g

    hp_mistakes = {"forgot_weight_decay": {"weight_decay": 0.0}}

    def prompt(self, g: Row) -> str:
        return (
            f"torch.optim.SGD with η = {fmt(g['lr'])}, weight_decay λ = {fmt(g['weight_decay'])} and no "
            f"momentum. The parameter is θ = {fmt(g['theta'])} and its gradient g = {fmt(g['grad'])}. "
            "What are g + λθ and θ after one step?"
        )

    def convention(self, g: Row) -> list[str]:
        return [
            "PyTorch torch.optim.SGD",
            "g ← g + λ·θ      (weight_decay is L2, added to the gradient)",
            "θ ← θ − η·g",
        ]

    def solution(self, g: Row, a: Row) -> list[StepDict]:
        l2 = step(
            label="g + λθ",
            expression=f"{par(g['grad'])} + {fmt(g['weight_decay'])}·{par(g['theta'])}",
            value=a["grad_eff"],
        )
        return [l2, *self.final(g, a, "g")]


@register
class MomentumDrill(_SGDBase):
    """One torch SGD-momentum step: b ← μ·b + g, θ' = θ − η·b."""

    id = "momentum"
    title = "One SGD-with-momentum step"
    description = "torch SGD momentum: b ← μ·b + g (no dampening), θ ← θ − η·b."
    params = (P.theta, SGD_GRAD, SGD_LR, P.momentum)
    fields = (F_BUF, F_THETA)
    primary = "theta"
    given_order = ("theta", "grad", "momentum_buffer", "lr", "momentum")
    hp_inputs = ("lr", "momentum")
    mistakes = ("ema_momentum", "ascent_sign")
    must_distinguish = ("ema_momentum", "ascent_sign")

    def sample(self, s: Sampler) -> Arrays:
        g = draw_grad_state(s)
        # a buffer that has accumulated a few gradients: |b| up to ~3·|g|
        g.update(
            momentum_buffer=prior_moment(s, 3 * g["grad_scale"], "buf"),
            lr=s.float("lr"),
            momentum=s.float("momentum"),
        )
        return g

    def acceptable(self, g: Arrays, a: Arrays) -> np.ndarray:
        not_cancelled = np.abs(np.asarray(a["momentum_buffer"])) >= 0.1 * np.asarray(
            g["grad_scale"]
        )
        return super().acceptable(g, a) & not_cancelled

    def prompt(self, g: Row) -> str:
        return (
            f"torch.optim.SGD with η = {fmt(g['lr'])} and momentum μ = {fmt(g['momentum'])} "
            f"(dampening 0). The momentum buffer is b = {fmt(g['momentum_buffer'])}, the parameter "
            f"θ = {fmt(g['theta'])} and its gradient g = {fmt(g['grad'])}. What are b and θ after the step?"
        )

    def convention(self, g: Row) -> list[str]:
        return [
            "PyTorch torch.optim.SGD (dampening 0, not the first step)",
            "b ← μ·b + g",
            "θ ← θ − η·b",
        ]

    def solution(self, g: Row, a: Row) -> list[StepDict]:
        b = step(
            label="b",
            expression=f"{fmt(g['momentum'])}·{par(g['momentum_buffer'])} + {par(g['grad'])}",
            value=a["momentum_buffer"],
        )
        return [b, *self.final(g, a, "b")]


@register
class NesterovDrill(MomentumDrill):
    """One torch Nesterov step: b ← μ·b + g, θ' = θ − η·(g + μ·b)."""

    id = "nesterov"
    title = "One Nesterov-momentum step (PyTorch form)"
    description = "torch SGD nesterov=True: b ← μ·b + g, step along g + μ·b."
    fields = (
        F_BUF,
        AnswerField(name="direction", label="g + μ·b", hint="the Nesterov step direction"),
        F_THETA,
    )
    fixed_hp = {"nesterov": True}
    hp_mistakes = {"plain_momentum": {"nesterov": False}}
    mistakes = ("plain_momentum", "ema_momentum", "ascent_sign")
    must_distinguish = ("plain_momentum", "ascent_sign")

    def prompt(self, g: Row) -> str:
        return (
            f"torch.optim.SGD with η = {fmt(g['lr'])}, momentum μ = {fmt(g['momentum'])} and "
            f"nesterov=True. The momentum buffer is b = {fmt(g['momentum_buffer'])}, the parameter "
            f"θ = {fmt(g['theta'])} and its gradient g = {fmt(g['grad'])}. What are b, the step "
            "direction g + μ·b and θ after the step?"
        )

    def convention(self, g: Row) -> list[str]:
        return [
            "PyTorch torch.optim.SGD, nesterov=True (dampening 0, not the first step)",
            "b ← μ·b + g",
            "d = g + μ·b      (the look-ahead direction, with the new b)",
            "θ ← θ − η·d",
        ]

    def solution(self, g: Row, a: Row) -> list[StepDict]:
        b, *rest = super().solution(g, a)
        d = step(
            label="g + μ·b",
            expression=f"{par(g['grad'])} + {fmt(g['momentum'])}·{par(a['momentum_buffer'])}",
            value=a["direction"],
        )
        return [b, d, *rest]


@register
class AdagradDrill(OptimizerDrill):
    """One torch Adagrad step: G ← G + g², θ' = θ − η_s·g/(√G + ε), η_s = η/(1 + (s−1)·lr_decay)."""

    id = "adagrad"
    title = "One Adagrad step"
    description = "Accumulate G ← G + g², then θ ← θ − η·g/(√G + ε)."
    topic = "adaptive"
    optimizer = "adagrad"
    params = (
        P.theta,
        SGD_GRAD,
        Param("lr", "η", "float", (0.01, 0.5), (0.0, 10.0), log=True, sig=1, open_low=True),
        Param("t", "t", "int", (1, 30), (0, 1_000_000), description="steps already taken"),
        Param("lr_decay", "lr_decay", "float", (0.0, 0.0), (0.0, 10.0)),
        Param("eps", "ε", "float", (1e-10, 1e-10), (0.0, 1.0), log=True, sig=1),
    )
    fields = (
        AnswerField(name="sum", label="G", hint="accumulated squared gradients after the step"),
        F_THETA,
    )
    primary = "theta"
    given_order = ("theta", "grad", "sum", "t", "lr", "lr_decay", "eps")
    labels = LABELS
    int_inputs = frozenset({"t"})
    hp_inputs = ("lr", "lr_decay", "eps")
    answer_map = {"sum": "sum", "theta": "theta"}
    tolerances = {"theta": THETA_TOL}
    mistakes = ("no_sqrt", "wrong_step_t", "eps_inside_sqrt", "ascent_sign")
    must_distinguish = ("no_sqrt", "ascent_sign")

    def sample(self, s: Sampler) -> Arrays:
        g = draw_grad_state(s)
        # G has summed the squares of earlier gradients: ~ (1 … 6)·|g|²
        g.update(
            sum=prior_second_moment(s, g["grad_scale"], "sum") * 4,
            t=s.int("t"),
            lr=s.float("lr"),
            lr_decay=s.float("lr_decay"),
            eps=s.float("eps"),
        )
        return g

    def state(self, g: Arrays) -> Any:
        return optim.AdagradState(sum=g["sum"], t=steps_taken(g["t"]))

    def acceptable(self, g: Arrays, a: Arrays) -> np.ndarray:
        return self.update_ok(g, a)

    def prompt(self, g: Row) -> str:
        return (
            f"torch.optim.Adagrad with η = {fmt(g['lr'])}, lr_decay = {fmt(g['lr_decay'])}, "
            f"ε = {fmt(g['eps'])} has taken t = {g['t']} steps; its accumulator is G = {fmt(g['sum'])}. "
            f"The parameter is θ = {fmt(g['theta'])} and its gradient g = {fmt(g['grad'])}. "
            "What are G and θ after the step?"
        )

    def convention(self, g: Row) -> list[str]:
        return [
            "PyTorch torch.optim.Adagrad; t = steps already taken, this step is s = t + 1",
            "η_s = η / (1 + (s − 1)·lr_decay)",
            "G ← G + g²",
            "θ ← θ − η_s·g/(√G + ε)      (ε outside the square root)",
        ]

    def solution(self, g: Row, a: Row) -> list[StepDict]:
        return [
            step(
                label="η_s",
                expression=f"{fmt(g['lr'])} / (1 + {g['t']}·{fmt(g['lr_decay'])})",
                value=a["tr_clr"],
            ),
            step(label="G", expression=f"{par(g['sum'])} + {par(g['grad'])}²", value=a["sum"]),
            step(
                label="√G + ε", expression=f"√{par(a['sum'])} + {fmt(g['eps'])}", value=a["tr_std"]
            ),
            step(
                label="Δθ",
                expression=f"−{fmt(a['tr_clr'])}·{par(g['grad'])} / {fmt(a['tr_std'])}",
                value=a["tr_update"],
            ),
            step(
                label="θ'",
                expression=f"{fmt(g['theta'])} + {par(a['tr_update'])}",
                value=a["theta"],
            ),
        ]


@register
class RMSpropDrill(OptimizerDrill):
    """One torch RMSprop step: v ← α·v + (1−α)·g², θ' = θ − η·g/(√v + ε)."""

    id = "rmsprop"
    title = "One RMSprop step"
    description = "v ← α·v + (1−α)·g², then θ ← θ − η·g/(√v + ε)."
    topic = "adaptive"
    optimizer = "rmsprop"
    params = (P.theta, P.grad_scale, P.lr, P.alpha, P.eps)
    fields = (AnswerField(name="v", label="v", hint="running mean of g² after the step"), F_THETA)
    primary = "theta"
    given_order = ("theta", "grad", "v", "lr", "alpha", "eps")
    labels = LABELS
    hp_inputs = ("lr", "alpha", "eps")
    answer_map = {"v": "v", "theta": "theta"}
    tolerances = {"theta": THETA_TOL}
    mistakes = ("no_sqrt", "eps_inside_sqrt", "ascent_sign")
    must_distinguish = ("no_sqrt", "ascent_sign")

    def sample(self, s: Sampler) -> Arrays:
        g = draw_grad_state(s)
        g.update(
            v=prior_second_moment(s, g["grad_scale"], "v"),
            lr=s.float("lr"),
            alpha=s.float("alpha"),
            eps=s.float("eps"),
        )
        return g

    def state(self, g: Arrays) -> Any:
        return optim.RMSpropState(v=g["v"], t=0)

    def acceptable(self, g: Arrays, a: Arrays) -> np.ndarray:
        not_eps_dominated = np.asarray(g["eps"]) <= 1e-2 * np.sqrt(np.asarray(a["v"]))
        return self.update_ok(g, a) & not_eps_dominated

    def prompt(self, g: Row) -> str:
        return (
            f"torch.optim.RMSprop with η = {fmt(g['lr'])}, α = {fmt(g['alpha'])}, ε = {fmt(g['eps'])} "
            f"(no momentum, not centered) holds v = {fmt(g['v'])}. The parameter is θ = {fmt(g['theta'])} "
            f"and its gradient g = {fmt(g['grad'])}. What are v and θ after the step?"
        )

    def convention(self, g: Row) -> list[str]:
        return [
            "PyTorch torch.optim.RMSprop (momentum 0, centered=False, no bias correction)",
            "v ← α·v + (1−α)·g²",
            "θ ← θ − η·g/(√v + ε)      (ε outside the square root)",
        ]

    def solution(self, g: Row, a: Row) -> list[StepDict]:
        al = fmt(g["alpha"])
        return [
            step(
                label="v",
                expression=f"{al}·{par(g['v'])} + (1−{al})·{par(g['grad'])}²",
                value=a["v"],
            ),
            step(label="√v + ε", expression=f"√{par(a['v'])} + {fmt(g['eps'])}", value=a["tr_avg"]),
            step(
                label="Δθ",
                expression=f"−{fmt(g['lr'])}·{par(g['grad'])} / {fmt(a['tr_avg'])}",
                value=a["tr_update"],
            ),
            step(
                label="θ'",
                expression=f"{fmt(g['theta'])} + {par(a['tr_update'])}",
                value=a["theta"],
            ),
        ]
