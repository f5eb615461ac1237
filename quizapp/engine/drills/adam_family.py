"""Adam-family step drills: adam, adamw and adam-l2 (one class, decoupled or not),
adam-two-steps and adam-large-eps.

Every state is one a real run reaches (``adam_history``); answers, worked solutions and
mistake variants all come from ``optim`` traces."""

from __future__ import annotations

from typing import Any

import numpy as np

from quizapp.engine import optim
from quizapp.engine.drills.base import (
    FieldSpec,
    Row,
    StepDict,
    TolSpec,
    as_float,
    carried,
    fmt,
    par,
    step,
)
from quizapp.engine.drills.optim_common import (
    FORGOT_DECAY,
    THETA_TOL,
    OptimizerDrill,
    P,
    adam_history,
)
from quizapp.engine.drills.sampling import Param, Sampler, round_sig
from quizapp.engine.drills.sgd_family import F_THETA, F_THETA_DECOUPLED

LABELS = {
    "theta": "θ",
    "grad": "g",
    "grad1": "g₁",
    "grad2": "g₂",
    "m": "m",
    "v": "v",
    "t": "t",
    "lr": "η",
    "beta1": "β₁",
    "beta2": "β₂",
    "eps": "ε",
    "weight_decay": "λ",
}
F_M = FieldSpec(name="m", label="m", hint="first moment after the step")
F_V = FieldSpec(name="v", label="v", hint="second moment after the step")
F_MHAT = FieldSpec(name="m_hat", label="m̂", hint="bias-corrected first moment")
F_VHAT = FieldSpec(name="v_hat", label="v̂", hint="bias-corrected second moment")
L2_GRAD = Param(
    "grad_scale",
    "|g|",
    "float",
    (1e-4, 1e-2),
    (1e-8, 1e6),
    log=True,
    description="typical gradient magnitude (the gradient and the state are drawn around it)",
)
L2_DECAY = Param("weight_decay", "λ", "float", (1e-4, 1e-2), (0.0, 10.0), log=True, sig=1)
ADAM_MAP = {"m": "m", "v": "v", "m_hat": "m_hat", "v_hat": "v_hat", "theta": "theta"}
ADAM_MISTAKES = ("no_bias_correction", "wrong_step_t", "eps_inside_sqrt", "no_sqrt", "ascent_sign")
ADAM_RULES = [
    "t ← t + 1      (t counts the steps; the first step has t = 1)",
    "m ← β₁·m + (1−β₁)·g",
    "v ← β₂·v + (1−β₂)·g²",
    "m̂ = m/(1−β₁ᵗ),  v̂ = v/(1−β₂ᵗ)      (with the new t)",
    "θ ← θ − η·m̂/(√v̂ + ε)      (ε outside the square root)",
]


class AdamStep(OptimizerDrill):
    """One torch Adam step from the state (m, v, t) of a real run: m, v, m̂, v̂ and
    θ' = θ − η·m̂/(√v̂ + ε)."""

    id = "adam"
    title = "One Adam step"
    description = "m, v, bias correction and the new θ for one torch Adam step from a given state."
    topic = "adam"
    optimizer = "adam"
    labels = LABELS
    params = (P.theta, P.grad_scale, P.lr, P.beta1, P.beta2, P.eps, P.t)
    fields = (F_M, F_V, F_MHAT, F_VHAT, F_THETA)
    given_order = ("theta", "grad", "m", "v", "t", "lr", "beta1", "beta2", "eps")
    hp_inputs = ("lr", "beta1", "beta2", "eps")
    answer_map = ADAM_MAP
    tolerances = {"theta": THETA_TOL}
    mistakes = ADAM_MISTAKES
    # (ascent_sign is off by twice the step, always visible)
    must_distinguish = ("no_bias_correction",)

    def sample(self, s: Sampler) -> Row:
        scale = s.float("grad_scale")
        b1, b2, t = s.float("beta1"), s.float("beta2"), s.int("t")
        m, v, grad = adam_history(s, scale, b1, b2, t)
        g = {"theta": s.float("theta"), "grad": grad, "m": m, "v": v, "t": t, "lr": s.float("lr")}
        g.update(beta1=b1, beta2=b2, eps=s.float("eps"), grad_scale=scale)
        if "weight_decay" in self.param_map:
            g["weight_decay"] = s.float("weight_decay")
        return g

    def state(self, g: Row) -> Any:
        return optim.AdamState(m=[g["m"]], v=[g["v"]], t=g["t"])

    def acceptable(self, g: Row, a: Row) -> bool:
        not_cancelled = abs(a["m"]) >= 0.05 * g["grad_scale"]  # β₁m + (1−β₁)g ≉ 0
        not_eps_dominated = g["eps"] <= 1e-2 * np.sqrt(a["v_hat"])
        return self.update_ok(g, a) and not_cancelled and not_eps_dominated

    def torch_class(self) -> str:
        return "torch.optim.Adam"

    def convention(self, g: Row) -> list[str]:
        return [f"PyTorch {self.torch_class()}", *ADAM_RULES]

    def adam_steps(self, g: Row, a: Row, grad: str, theta: str) -> list[StepDict]:
        """The worked Adam update: m, v, the two corrections, m̂, v̂, √v̂ + ε, Δθ and θ'."""
        t = g["t"] + 1
        b1, b2 = fmt(g["beta1"]), fmt(g["beta2"])
        return [
            step("m", f"{b1}·{par(g['m'])} + (1−{b1})·{grad}", a["m"]),
            step("v", f"{b2}·{par(g['v'])} + (1−{b2})·{grad}²", a["v"]),
            step("1−β₁ᵗ", f"1 − {b1}^{t}", a["tr_bias_correction1"]),
            step("1−β₂ᵗ", f"1 − {b2}^{t}", a["tr_bias_correction2"]),
            step("m̂", f"{par(a['m'])} / {fmt(a['tr_bias_correction1'])}", a["m_hat"]),
            step("v̂", f"{fmt(a['v'])} / {fmt(a['tr_bias_correction2'])}", a["v_hat"]),
            step("√v̂ + ε", f"√{fmt(a['v_hat'])} + {fmt(g['eps'])}", a["tr_denom"]),
            step(
                "Δθ",
                f"−{fmt(g['lr'])}·{par(a['m_hat'])} / {fmt(a['tr_denom'])}",
                a["tr_delta_theta"],
            ),
            step("θ'", f"{theta} + {par(a['tr_delta_theta'])}", a["theta"]),
        ]

    def solution(self, g: Row, a: Row) -> list[StepDict]:
        return self.adam_steps(g, a, par(g["grad"]), fmt(g["theta"]))

    def state_words(self, g: Row) -> str:
        return (
            f"Adam has taken t = {g['t']} step{'' if g['t'] == 1 else 's'} and holds m = {fmt(g['m'])}, v = {fmt(g['v'])}. "
            f"With θ = {fmt(g['theta'])}, gradient g = {fmt(g['grad'])}, η = {fmt(g['lr'])}, "
            f"β₁ = {fmt(g['beta1'])}, β₂ = {fmt(g['beta2'])}, ε = {fmt(g['eps'])}"
        )

    def prompt(self, g: Row) -> str:
        return self.state_words(g) + f", take step {g['t'] + 1}: what are m, v, m̂, v̂ and the new θ?"


class AdamDecayStep(AdamStep):
    """One Adam step with weight decay, decoupled (torch.optim.AdamW: θ ← θ·(1 − η·λ) first)
    or L2 (torch.optim.Adam weight_decay: g ← g + λθ, which then flows through m and v)."""

    params = (*AdamStep.params, P.weight_decay)
    given_order = ("theta", "grad", "m", "v", "t", "lr", "beta1", "beta2", "eps", "weight_decay")
    hp_inputs = ("lr", "beta1", "beta2", "eps", "weight_decay")

    def __init__(self, decoupled: bool) -> None:
        self.decoupled = decoupled
        if decoupled:
            self.id = "adamw"
            self.title = "One AdamW step (decoupled weight decay)"
            self.description = (
                "AdamW: decay θ by (1 − η·λ), then the Adam update; m and v never see λ."
            )
            self.optimizer = "adamw"
            first = FieldSpec(
                name="theta_decayed", label="θ·(1−ηλ)", hint="θ after the decoupled decay"
            )
            self.tolerances = {"theta": THETA_TOL, "theta_decayed": TolSpec(origin="theta")}
            wrong = ("l2_instead_of_decoupled", "decay_not_scaled_by_lr", FORGOT_DECAY)
        else:
            # L2 in Adam is small (λ 1e-4…1e-2) and reaches θ through m̂/√v̂: it shows in the
            # step when λθ is a visible part of g, as late in training (|g| 1e-4…1e-2)
            self.params = (P.theta, L2_GRAD, *AdamStep.params[2:], L2_DECAY)
            self.id = "adam-l2"
            self.title = "One Adam step with L2 weight decay"
            self.description = (
                "torch Adam(weight_decay=λ): λθ is added to the gradient and flows through m and v."
            )
            self.optimizer = "adam"
            first = FieldSpec(
                name="grad_eff", label="g + λθ", hint="the gradient with L2 folded in"
            )
            wrong = ("decoupled_instead_of_l2", FORGOT_DECAY)
        last = F_THETA_DECOUPLED if decoupled else F_THETA
        self.fields = (first, F_M, F_V, F_MHAT, F_VHAT, last)
        self.answer_map = {first.name: first.name, **ADAM_MAP}
        self.mistakes = (*wrong, *ADAM_MISTAKES)
        self.must_distinguish = (wrong[0],)

    def solve(self, g: Row, mistake: str | None = None) -> Row:
        out = super().solve(g, mistake)
        if self.decoupled and "theta_decayed" not in out:
            # under the L2 mistake there is no decoupled decay: θ is not decayed first
            out["theta_decayed"] = g["theta"]
        return out

    def acceptable(self, g: Row, a: Row) -> bool:
        # L2: g + λθ must not (nearly) cancel: the drill is about the decay flowing through m, v
        keeps_grad = self.decoupled or abs(a["grad_eff"]) >= 0.2 * abs(g["grad"])
        return super().acceptable(g, a) and keeps_grad

    def torch_class(self) -> str:
        return "torch.optim.AdamW" if self.decoupled else "torch.optim.Adam"

    def convention(self, g: Row) -> list[str]:
        decay = (
            "θ ← θ·(1 − η·λ)      (decoupled weight decay: first, outside m and v)"
            if self.decoupled
            else "g ← g + λ·θ      (weight_decay is L2, folded into the gradient first)"
        )
        return [f"PyTorch {self.torch_class()}", decay, *ADAM_RULES]

    def prompt(self, g: Row) -> str:
        lam = fmt(g["weight_decay"])
        if self.decoupled:
            tail = (
                f" and weight decay λ = {lam} (torch.optim.AdamW), take step {g['t'] + 1}: what "
                "are θ·(1−ηλ), m, v, m̂, v̂ and the new θ?"
            )
        else:
            tail = (
                f" and weight_decay λ = {lam} in torch.optim.Adam (L2, not AdamW), take step "
                f"{g['t'] + 1}: what are g + λθ, m, v, m̂, v̂ and the new θ?"
            )
        return self.state_words(g) + tail

    def solution(self, g: Row, a: Row) -> list[StepDict]:
        lam, theta = fmt(g["weight_decay"]), par(g["theta"])
        if self.decoupled:
            # θ' = θ·(1−ηλ) + Δθ: the decayed θ with the digits both fields' grades need
            decayed, before = a["theta_decayed"], g["theta"]
            text = carried(
                decayed,
                self.tol("theta_decayed").rel * abs(decayed - before),
                self.tol("theta").rel * abs(a["theta"] - before),
            )
            expression = f"{theta}·(1 − {fmt(g['lr'])}·{lam})"
            first = step("θ·(1−ηλ)", expression, decayed, text)
            return [first, *self.adam_steps(g, a, par(g["grad"]), text)]
        first = step("g + λθ", f"{par(g['grad'])} + {lam}·{theta}", a["grad_eff"])
        return [first, *self.adam_steps(g, a, par(a["grad_eff"]), fmt(g["theta"]))]


class AdamTwoSteps(OptimizerDrill):
    """Two torch Adam steps from m = v = 0 (t = 1, 2)."""

    id = "adam-two-steps"
    title = "Two Adam steps from zero state"
    description = "Two consecutive torch Adam steps from m = v = 0: see bias correction at work."
    topic = "adam"
    optimizer = "adam"
    labels = LABELS
    params = (P.theta, P.grad_scale, P.lr, P.beta1, P.beta2, P.eps)
    fields = (
        FieldSpec(name="theta1", label="θ₁", hint="θ after the first step"),
        FieldSpec(name="m2", label="m₂", hint="first moment after step 2"),
        FieldSpec(name="v2", label="v₂", hint="second moment after step 2"),
        FieldSpec(name="m_hat2", label="m̂₂", hint="bias-corrected m after step 2"),
        FieldSpec(name="v_hat2", label="v̂₂", hint="bias-corrected v after step 2"),
        FieldSpec(name="theta2", label="θ₂", hint="θ after the second step", primary=True),
    )
    given_order = ("theta", "grad1", "grad2", "lr", "beta1", "beta2", "eps")
    hp_inputs = ("lr", "beta1", "beta2", "eps")
    mistakes = ("no_bias_correction", "eps_inside_sqrt", "no_sqrt", "ascent_sign")
    # a forgotten bias correction is not always visible: with 1−β₁ ≈ √(1−β₂) step 1 comes
    # out the same
    must_distinguish = ("no_bias_correction",)
    tolerances = {"theta1": TolSpec(origin="theta"), "theta2": TolSpec(origin="theta1")}

    def sample(self, s: Sampler) -> Row:
        scale = s.float("grad_scale")
        grads = [
            round_sig(scale * (0.3 + 0.7 * s.uniform(f"{n}_mag")), 2) * s.sign(f"{n}_sign")
            for n in ("g", "g2")
        ]
        return {
            "theta": s.float("theta"),
            "grad1": grads[0],
            "grad2": grads[1],
            "lr": s.float("lr"),
            "beta1": s.float("beta1"),
            "beta2": s.float("beta2"),
            "eps": s.float("eps"),
            "grad_scale": scale,
        }

    def state(self, g: Row) -> Any:
        return optim.AdamState(m=[0.0], v=[0.0], t=0)

    def solve(self, g: Row, mistake: str | None = None) -> Row:
        opt = optim.get("adam", **self.hyperparameters(g, mistake))
        knobs = self.knobs(mistake)
        p1, state, t1 = opt.step_trace(
            np.array([g["theta"]]), np.array([g["grad1"]]), self.state(g), knobs
        )
        p2, _, t2 = opt.step_trace(p1, np.array([g["grad2"]]), state, knobs)
        out = {f"tr1_{k}": as_float(v) for k, v in t1.items()}
        out |= {f"tr2_{k}": as_float(v) for k, v in t2.items()}
        out.update(
            theta1=as_float(p1),
            m2=out["tr2_m"],
            v2=out["tr2_v"],
            m_hat2=out["tr2_m_hat"],
            v_hat2=out["tr2_v_hat"],
            theta2=as_float(p2),
        )
        return out

    def acceptable(self, g: Row, a: Row) -> bool:
        moved = abs(a["theta2"] - a["theta1"]) >= 1e-5 * max(1.0, abs(a["theta1"]))
        # m₂ = (1−β₁)(β₁g₁ + g₂) is small by construction; reject only a near-cancellation
        return moved and abs(a["m2"]) >= 0.1 * (1 - g["beta1"]) * g["grad_scale"]

    def convention(self, g: Row) -> list[str]:
        return ["PyTorch torch.optim.Adam, a fresh optimizer: m = v = 0, t = 0", *ADAM_RULES]

    def prompt(self, g: Row) -> str:
        return (
            f"Adam starts from m = v = 0 at θ = {fmt(g['theta'])} with η = {fmt(g['lr'])}, "
            f"β₁ = {fmt(g['beta1'])}, β₂ = {fmt(g['beta2'])}, ε = {fmt(g['eps'])}. The first "
            f"gradient is g₁ = {fmt(g['grad1'])}, the second g₂ = {fmt(g['grad2'])}. What are "
            "θ₁, then m₂, v₂, m̂₂, v̂₂ and θ₂?"
        )

    def solution(self, g: Row, a: Row) -> list[StepDict]:
        b1, b2, lr = fmt(g["beta1"]), fmt(g["beta2"]), fmt(g["lr"])
        g1, g2 = par(g["grad1"]), par(g["grad2"])
        return [
            step("m₁", f"(1−{b1})·{g1}", a["tr1_m"]),
            step("v₁", f"(1−{b2})·{g1}²", a["tr1_v"]),
            step("m̂₁", f"m₁/(1−{b1}) = g₁", a["tr1_m_hat"]),
            step("v̂₁", f"v₁/(1−{b2}) = g₁²", a["tr1_v_hat"]),
            step(
                "θ₁",
                f"{fmt(g['theta'])} − {lr}·{par(a['tr1_m_hat'])}/({fmt(a['tr1_denom'])})",
                a["theta1"],
            ),
            step("m₂", f"{b1}·{par(a['tr1_m'])} + (1−{b1})·{g2}", a["m2"]),
            step("v₂", f"{b2}·{fmt(a['tr1_v'])} + (1−{b2})·{g2}²", a["v2"]),
            step("m̂₂", f"{par(a['m2'])} / (1 − {b1}²)", a["m_hat2"]),
            step("v̂₂", f"{fmt(a['v2'])} / (1 − {b2}²)", a["v_hat2"]),
            step(
                "θ₂",
                f"{fmt(a['theta1'])} − {lr}·{par(a['m_hat2'])}/({fmt(a['tr2_denom'])})",
                a["theta2"],
            ),
        ]


class AdamLargeEps(AdamStep):
    """One torch Adam step with ε ≫ √v̂: the denominator is ≈ ε, so Adam behaves like
    momentum SGD with learning rate η/(√v̂ + ε) ≈ η/ε on m̂."""

    id = "adam-large-eps"
    title = "Adam with a large ε"
    description = (
        "When ε dwarfs √v̂, Adam's step is ≈ η·m̂/ε: momentum SGD with learning rate η/ε, "
        "not a sign-like step of size η."
    )
    params = (
        P.theta,
        Param(
            "grad_scale",
            "|g|",
            "float",
            (1e-4, 1e-2),
            (1e-8, 1e6),
            log=True,
            description="typical gradient magnitude (drawn well below ε unless fixed)",
        ),
        # with ε ≫ √v̂ the step is ≈ (η/ε)·m̂: runs that raise ε raise η with it
        Param("lr", "η", "float", (1e-3, 1e-2), (0.0, 10.0), log=True, sig=1, open_low=True),
        P.beta1,
        P.beta2,
        Param("eps", "ε", "float", (1e-3, 0.1), (0.0, 10.0), log=True, sig=1),
        P.t,
    )
    fields = (
        FieldSpec(name="denom", label="√v̂ + ε", hint="the denominator"),
        FieldSpec(name="sgd_lr", label="η/(√v̂ + ε)", hint="the learning rate m̂ is scaled by"),
        F_THETA,
    )
    answer_map = {**ADAM_MAP, "denom": "denom"}
    hp_mistakes = {"eps_ignored": {"eps": 0.0}}
    mistakes = ("eps_ignored", "eps_inside_sqrt", "no_bias_correction", "ascent_sign")
    must_distinguish = ("eps_ignored",)

    def sample(self, s: Sampler) -> Row:
        eps = s.float("eps")
        if "grad_scale" not in s.overrides:  # gradients 1 % … 30 % of ε: √v̂ ≪ ε
            s.overrides = {**s.overrides, "grad_scale": [eps * 0.01, eps * 0.3]}
        g = super().sample(s)
        g["eps"] = eps
        return g

    def solve(self, g: Row, mistake: str | None = None) -> Row:
        out = super().solve(g, mistake)
        out["sgd_lr"] = g["lr"] / out["denom"]
        return out

    def acceptable(self, g: Row, a: Row) -> bool:
        not_cancelled = abs(a["m"]) >= 0.05 * g["grad_scale"]
        return self.update_ok(g, a) and not_cancelled and np.sqrt(a["v_hat"]) <= 0.5 * g["eps"]

    def convention(self, g: Row) -> list[str]:
        return [
            "PyTorch torch.optim.Adam",
            *ADAM_RULES,
            "with ε ≫ √v̂:  Δθ ≈ −(η/ε)·m̂   (momentum SGD with learning rate η/ε)",
        ]

    def prompt(self, g: Row) -> str:
        return (
            self.state_words(g)
            + f", take step {g['t'] + 1}. ε is large here: what are the denominator √v̂ + ε, the "
            "learning rate η/(√v̂ + ε) that multiplies m̂, and the new θ?"
        )

    def solution(self, g: Row, a: Row) -> list[StepDict]:
        steps = self.adam_steps(g, a, par(g["grad"]), fmt(g["theta"]))
        lr_line = step("η/(√v̂ + ε)", f"{fmt(g['lr'])} / {fmt(a['denom'])}", a["sgd_lr"])
        return [*steps[:7], lr_line, *steps[7:]]
