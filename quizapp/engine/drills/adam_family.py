"""Adam-family step drills: adam, adamw, adam-l2 (L2 in the gradient), adam-two-steps.

Answers, worked solutions and mistake variants all come from ``optim`` traces."""

from __future__ import annotations

from typing import Any

import numpy as np

from quizapp.engine import optim
from quizapp.engine.drills.base import Arrays, Row, StepDict, TolSpec, fmt, register, step
from quizapp.engine.drills.models import AnswerField
from quizapp.engine.drills.optim_common import (
    THETA_TOL,
    OptimizerDrill,
    common_params,
    draw_grad_state,
    par,
    prior_moment,
    prior_second_moment,
    steps_taken,
)
from quizapp.engine.drills.sampling import Sampler, round_sig

LABELS = {
    "theta": "θ",
    "grad": "g",
    "m": "m",
    "v": "v",
    "t": "t",
    "lr": "η",
    "beta1": "β₁",
    "beta2": "β₂",
    "eps": "ε",
    "weight_decay": "λ",
}
F_M = AnswerField(name="m", label="m", hint="first moment after the step")
F_V = AnswerField(name="v", label="v", hint="second moment after the step")
F_MHAT = AnswerField(name="m_hat", label="m̂", hint="bias-corrected first moment")
F_VHAT = AnswerField(name="v_hat", label="v̂", hint="bias-corrected second moment")
F_THETA = AnswerField(
    name="theta",
    label="θ'",
    hint="θ after the step; graded to 0.1 % of the update, so keep digits (θ + Δθ as an expression is fine)",
    primary=True,
)
ADAM_MAP = {"m": "m", "v": "v", "m_hat": "m_hat", "v_hat": "v_hat", "theta": "theta"}


class _AdamStep(OptimizerDrill):
    """Shared Adam-step drill: inputs θ, g, state (m, v, t) and hyperparameters; one optim step."""

    topic = "adam"
    optimizer = "adam"
    hp_inputs = ("lr", "beta1", "beta2", "eps")
    labels = LABELS
    int_inputs = frozenset({"t"})
    tolerances = {"theta": THETA_TOL}
    answer_map = ADAM_MAP

    def sample(self, s: Sampler) -> Arrays:
        g = draw_grad_state(s)
        sc = g["grad_scale"]
        g.update(
            m=prior_moment(s, sc, "m"),
            v=prior_second_moment(s, sc, "v"),
            t=s.int("t"),
            lr=s.float("lr"),
            beta1=s.float("beta1"),
            beta2=s.float("beta2"),
            eps=s.float("eps"),
        )
        if "weight_decay" in self.param_map:
            g["weight_decay"] = s.float("weight_decay")
        return g

    def state(self, g: Arrays) -> Any:
        return optim.AdamState(m=g["m"], v=g["v"], t=steps_taken(g["t"]))

    def acceptable(self, g: Arrays, a: Arrays) -> np.ndarray:
        sc = np.asarray(g["grad_scale"])
        not_cancelled = np.abs(np.asarray(a["m"])) >= 0.05 * sc  # β₁m + (1−β₁)g ≉ 0
        not_eps_dominated = np.asarray(g["eps"]) <= 1e-2 * np.sqrt(np.asarray(a["v_hat"]))
        return self.update_ok(g, a) & not_cancelled & not_eps_dominated

    def _first_lines(self, g: Row) -> list[str]:
        return []

    def convention(self, g: Row) -> list[str]:
        return [
            "PyTorch torch.optim.Adam; t = steps already taken, this step is s = t + 1",
            *self._first_lines(g),
            "m ← β₁·m + (1−β₁)·g",
            "v ← β₂·v + (1−β₂)·g²",
            "m̂ = m/(1−β₁ˢ),  v̂ = v/(1−β₂ˢ)",
            "θ ← θ − η·m̂/(√v̂ + ε)      (ε outside the square root)",
        ]

    def adam_steps(self, g: Row, a: Row, grad: str, theta: str) -> list[StepDict]:
        s = g["t"] + 1
        b1, b2 = fmt(g["beta1"]), fmt(g["beta2"])
        return [
            step(label="m", expression=f"{b1}·{par(g['m'])} + (1−{b1})·{grad}", value=a["m"]),
            step(label="v", expression=f"{b2}·{par(g['v'])} + (1−{b2})·{grad}²", value=a["v"]),
            step(label="1−β₁ˢ", expression=f"1 − {b1}^{s}", value=a["tr_bias_correction1"]),
            step(label="1−β₂ˢ", expression=f"1 − {b2}^{s}", value=a["tr_bias_correction2"]),
            step(
                label="m̂",
                expression=f"{par(a['m'])} / {fmt(a['tr_bias_correction1'])}",
                value=a["m_hat"],
            ),
            step(
                label="v̂",
                expression=f"{fmt(a['v'])} / {fmt(a['tr_bias_correction2'])}",
                value=a["v_hat"],
            ),
            step(
                label="√v̂ + ε",
                expression=f"√{fmt(a['v_hat'])} + {fmt(g['eps'])}",
                value=a["tr_denom"],
            ),
            step(
                label="Δθ",
                expression=f"−{fmt(g['lr'])}·{par(a['m_hat'])} / {fmt(a['tr_denom'])}",
                value=a["tr_update"],
            ),
            step(label="θ'", expression=f"{theta} + {par(a['tr_update'])}", value=a["theta"]),
        ]

    def solution(self, g: Row, a: Row) -> list[StepDict]:
        return self.adam_steps(g, a, par(g["grad"]), fmt(g["theta"]))

    def state_words(self, g: Row) -> str:
        return (
            f"Adam has taken t = {g['t']} steps and holds m = {fmt(g['m'])}, v = {fmt(g['v'])}. "
            f"With θ = {fmt(g['theta'])}, gradient g = {fmt(g['grad'])}, η = {fmt(g['lr'])}, "
            f"β₁ = {fmt(g['beta1'])}, β₂ = {fmt(g['beta2'])}, ε = {fmt(g['eps'])}"
        )


@register
class AdamDrill(_AdamStep):
    """One torch Adam step from state (m, v, t): m, v, m̂, v̂ and θ' = θ − η·m̂/(√v̂ + ε)."""

    id = "adam"
    title = "One Adam step"
    description = "m, v, bias correction and the new θ for one torch Adam step from a given state."
    params = common_params("theta", "grad_scale", "lr", "beta1", "beta2", "eps", "t")
    fields = (F_M, F_V, F_MHAT, F_VHAT, F_THETA)
    primary = "theta"
    given_order = ("theta", "grad", "m", "v", "t", "lr", "beta1", "beta2", "eps")
    mistakes = ("no_bias_correction", "wrong_step_t", "eps_inside_sqrt", "no_sqrt", "ascent_sign")
    # (ascent_sign is off by twice the step, always visible: not worth an engine call here)
    must_distinguish = ("no_bias_correction",)

    def prompt(self, g: Row) -> str:
        return self.state_words(g) + f", take step {g['t'] + 1}: what are m, v, m̂, v̂ and the new θ?"


@register
class AdamWDrill(_AdamStep):
    """One torch AdamW step: θ ← θ·(1 − η·λ), then the Adam update."""

    id = "adamw"
    title = "One AdamW step (decoupled weight decay)"
    description = "AdamW: decay θ by (1 − η·λ), then the Adam update; m and v never see λ."
    optimizer = "adamw"
    hp_inputs = ("lr", "beta1", "beta2", "eps", "weight_decay")
    params = common_params(
        "theta", "grad_scale", "lr", "beta1", "beta2", "eps", "t", "weight_decay"
    )
    fields = (
        AnswerField(name="theta_decayed", label="θ·(1−ηλ)", hint="θ after the decoupled decay"),
        F_M,
        F_V,
        F_MHAT,
        F_VHAT,
        F_THETA,
    )
    primary = "theta"
    given_order = ("theta", "grad", "m", "v", "t", "lr", "beta1", "beta2", "eps", "weight_decay")
    answer_map = {"theta_decayed": "theta_decayed", **ADAM_MAP}
    mistakes = (
        "l2_instead_of_decoupled",
        "decay_not_scaled_by_lr",
        "no_bias_correction",
        "wrong_step_t",
        "eps_inside_sqrt",
        "no_sqrt",
        "ascent_sign",
    )
    must_distinguish = ("l2_instead_of_decoupled",)
    tolerances = {"theta": THETA_TOL, "theta_decayed": TolSpec(origin="theta")}

    def solve(self, g: Arrays, mistake: str | None = None) -> Arrays:
        out = super().solve(g, mistake)
        if "theta_decayed" not in out or mistake == "l2_instead_of_decoupled":
            # under the L2 mistake there is no decoupled decay: θ is not decayed first
            out["theta_decayed"] = np.asarray(g["theta"], dtype=np.float64)
        return out

    def _first_lines(self, g: Row) -> list[str]:
        return ["θ ← θ·(1 − η·λ)      (decoupled weight decay, AdamW; before the moments)"]

    def prompt(self, g: Row) -> str:
        return (
            self.state_words(g)
            + f" and weight decay λ = {fmt(g['weight_decay'])} (torch.optim.AdamW), take step "
            f"{g['t'] + 1}: what are θ·(1−ηλ), m, v, m̂, v̂ and the new θ?"
        )

    def solution(self, g: Row, a: Row) -> list[StepDict]:
        decay = step(
            label="θ·(1−ηλ)",
            expression=f"{par(g['theta'])}·(1 − {fmt(g['lr'])}·{fmt(g['weight_decay'])})",
            value=a["theta_decayed"],
        )
        return [decay, *self.adam_steps(g, a, par(g["grad"]), fmt(a["theta_decayed"]))]


@register
class AdamL2Drill(_AdamStep):
    """One torch Adam step with weight_decay: g ← g + λθ, then the Adam update."""

    id = "adam-l2"
    title = "One Adam step with L2 weight decay"
    description = (
        "torch Adam(weight_decay=λ): λθ is added to the gradient and flows through m and v."
    )
    hp_inputs = ("lr", "beta1", "beta2", "eps", "weight_decay")
    params = common_params(
        "theta", "grad_scale", "lr", "beta1", "beta2", "eps", "t", "weight_decay"
    )
    fields = (
        AnswerField(name="grad_eff", label="g + λθ", hint="the gradient with L2 folded in"),
        F_M,
        F_V,
        F_MHAT,
        F_VHAT,
        F_THETA,
    )
    primary = "theta"
    given_order = ("theta", "grad", "m", "v", "t", "lr", "beta1", "beta2", "eps", "weight_decay")
    answer_map = {"grad_eff": "grad_eff", **ADAM_MAP}
    mistakes = (
        "decoupled_instead_of_l2",
        "no_bias_correction",
        "wrong_step_t",
        "eps_inside_sqrt",
        "no_sqrt",
        "ascent_sign",
    )
    must_distinguish = ("decoupled_instead_of_l2",)

    def acceptable(self, g: Arrays, a: Arrays) -> np.ndarray:
        # g + λθ must not (nearly) cancel: the drill is about the decay flowing through m, v
        keeps_grad = np.abs(np.asarray(a["grad_eff"])) >= 0.2 * np.abs(np.asarray(g["grad"]))
        return super().acceptable(g, a) & keeps_grad

    def _first_lines(self, g: Row) -> list[str]:
        return ["g ← g + λ·θ      (L2 folded into the gradient, torch Adam weight_decay)"]

    def prompt(self, g: Row) -> str:
        return (
            self.state_words(g)
            + f" and weight_decay λ = {fmt(g['weight_decay'])} in torch.optim.Adam (L2, not AdamW), "
            f"take step {g['t'] + 1}: what are g + λθ, m, v, m̂, v̂ and the new θ?"
        )

    def solution(self, g: Row, a: Row) -> list[StepDict]:
        l2 = step(
            label="g + λθ",
            expression=f"{par(g['grad'])} + {fmt(g['weight_decay'])}·{par(g['theta'])}",
            value=a["grad_eff"],
        )
        return [l2, *self.adam_steps(g, a, par(a["grad_eff"]), fmt(g["theta"]))]


@register
class AdamTwoSteps(_AdamStep):
    """Two torch Adam steps from m = v = 0 (s = 1, 2)."""

    id = "adam-two-steps"
    title = "Two Adam steps from zero state"
    description = "Two consecutive torch Adam steps from m = v = 0: see bias correction at work."
    params = common_params("theta", "grad_scale", "lr", "beta1", "beta2", "eps")
    fields = (
        AnswerField(name="theta1", label="θ₁", hint="θ after the first step"),
        AnswerField(name="m2", label="m₂", hint="first moment after step 2"),
        AnswerField(name="v2", label="v₂", hint="second moment after step 2"),
        AnswerField(name="m_hat2", label="m̂₂", hint="bias-corrected m after step 2"),
        AnswerField(name="v_hat2", label="v̂₂", hint="bias-corrected v after step 2"),
        AnswerField(name="theta2", label="θ₂", hint="θ after the second step", primary=True),
    )
    primary = "theta2"
    given_order = ("theta", "grad1", "grad2", "lr", "beta1", "beta2", "eps")
    labels = {**LABELS, "grad1": "g₁", "grad2": "g₂"}
    int_inputs = frozenset()
    mistakes = ("no_bias_correction", "eps_inside_sqrt", "no_sqrt", "ascent_sign")
    # (ascent_sign is off by twice the step, always visible: not worth an engine call here;
    # a forgotten bias correction is not: with 1−β₁ ≈ √(1−β₂) step 1 comes out the same)
    must_distinguish = ("no_bias_correction",)
    tolerances = {"theta1": TolSpec(origin="theta"), "theta2": TolSpec(origin="theta1")}

    def sample(self, s: Sampler) -> Arrays:
        g = draw_grad_state(s)
        scale = g["grad_scale"]
        grad2 = round_sig(scale * (0.3 + 0.7 * s.uniform("g2_mag")), 2) * s.sign("g2_sign")
        return {
            "theta": g["theta"],
            "grad1": g["grad"],
            "grad2": grad2,
            "grad_scale": scale,
            "lr": s.float("lr"),
            "beta1": s.float("beta1"),
            "beta2": s.float("beta2"),
            "eps": s.float("eps"),
        }

    def solve(self, g: Arrays, mistake: str | None = None) -> Arrays:
        opt = optim.get("adam", **self.hyperparameters(g, mistake))
        theta = np.asarray(g["theta"], dtype=np.float64)
        state = opt.init(theta)
        knobs = self.knobs(mistake)
        p1, state, t1 = opt.step_trace(theta, g["grad1"], state, mistakes=knobs)
        p2, _, t2 = opt.step_trace(p1, g["grad2"], state, mistakes=knobs)
        out = {f"tr1_{k}": v for k, v in t1.items()} | {f"tr2_{k}": v for k, v in t2.items()}
        out.update(
            theta1=p1, m2=t2["m"], v2=t2["v"], m_hat2=t2["m_hat"], v_hat2=t2["v_hat"], theta2=p2
        )
        return out

    def acceptable(self, g: Arrays, a: Arrays) -> np.ndarray:
        sc = np.asarray(g["grad_scale"])
        moved = np.abs(np.asarray(a["theta2"]) - np.asarray(a["theta1"])) >= 1e-5 * np.maximum(
            1, np.abs(a["theta1"])
        )
        # m₂ = (1−β₁)(β₁g₁ + g₂) is small by construction; reject only a near-cancellation
        scale = (1 - np.asarray(g["beta1"])) * sc
        return moved & (np.abs(np.asarray(a["m2"])) >= 0.1 * scale)

    def convention(self, g: Row) -> list[str]:
        return [
            "PyTorch torch.optim.Adam, state starts at m = v = 0; steps s = 1 and s = 2",
            "m ← β₁·m + (1−β₁)·g,  v ← β₂·v + (1−β₂)·g²",
            "m̂ = m/(1−β₁ˢ),  v̂ = v/(1−β₂ˢ)",
            "θ ← θ − η·m̂/(√v̂ + ε)      (ε outside the square root)",
        ]

    def prompt(self, g: Row) -> str:
        return (
            f"Adam starts from m = v = 0 at θ = {fmt(g['theta'])} with η = {fmt(g['lr'])}, "
            f"β₁ = {fmt(g['beta1'])}, β₂ = {fmt(g['beta2'])}, ε = {fmt(g['eps'])}. The first "
            f"gradient is g₁ = {fmt(g['grad1'])}, the second g₂ = {fmt(g['grad2'])}. What are "
            "θ₁, then m₂, v₂, m̂₂, v̂₂ and θ₂?"
        )

    def solution(self, g: Row, a: Row) -> list[StepDict]:
        b1, b2 = fmt(g["beta1"]), fmt(g["beta2"])
        g1, g2 = par(g["grad1"]), par(g["grad2"])
        return [
            step(label="m₁", expression=f"(1−{b1})·{g1}", value=a["tr1_m"]),
            step(label="v₁", expression=f"(1−{b2})·{g1}²", value=a["tr1_v"]),
            step(
                label="m̂₁, v̂₁",
                expression=f"m₁/(1−{b1}) = g₁, v₁/(1−{b2}) = g₁²",
                value=a["tr1_m_hat"],
            ),
            step(
                label="θ₁",
                expression=f"{fmt(g['theta'])} − {fmt(g['lr'])}·{par(a['tr1_m_hat'])}/({fmt(a['tr1_denom'])})",
                value=a["theta1"],
            ),
            step(label="m₂", expression=f"{b1}·{par(a['tr1_m'])} + (1−{b1})·{g2}", value=a["m2"]),
            step(label="v₂", expression=f"{b2}·{fmt(a['tr1_v'])} + (1−{b2})·{g2}²", value=a["v2"]),
            step(label="m̂₂", expression=f"{par(a['m2'])} / (1 − {b1}²)", value=a["m_hat2"]),
            step(label="v̂₂", expression=f"{fmt(a['v2'])} / (1 − {b2}²)", value=a["v_hat2"]),
            step(
                label="θ₂",
                expression=f"{fmt(a['theta1'])} − {fmt(g['lr'])}·{par(a['m_hat2'])}/({fmt(a['tr2_denom'])})",
                value=a["theta2"],
            ),
        ]
