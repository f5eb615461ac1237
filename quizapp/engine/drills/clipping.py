"""The clip-grad-norm drill: torch's clip_grad_norm_ over two parameter tensors — the global
norm, the capped coefficient and a clipped entry, all read off ``clip.clip_grad_norm_trace``."""

from __future__ import annotations

import math

import numpy as np

from quizapp.engine import clip
from quizapp.engine.drills.base import DrillKind, FieldSpec, Row, StepDict, fmt, par, step
from quizapp.engine.drills.sampling import Param, Sampler, round_sig


class ClipGradNorm(DrillKind):
    """total = ‖(‖g_a‖, ‖g_b‖)‖₂, c = min(1, max_norm/(total + 1e−6)), g ← c·g."""

    id = "clip-grad-norm"
    title = "Gradient clipping by global norm"
    description = (
        "torch.nn.utils.clip_grad_norm_ over two tensors: the global norm, the clip "
        "coefficient (capped at 1) and a clipped gradient entry."
    )
    topic = "clipping"
    params = (
        Param("max_norm", "max_norm", "choice", (0.5, 1.0, 2.0, 5.0)),
        Param(
            "ratio",
            "‖g‖/max_norm",
            "float",
            (0.3, 4.0),
            (0.01, 1000.0),
            log=True,
            description="how large the gradient is against max_norm (> 1: it is clipped)",
        ),
    )
    fields = (
        FieldSpec(name="norm_a", label="‖g_a‖", hint="the norm of the first tensor's gradient"),
        FieldSpec(name="total_norm", label="‖g‖", hint="the global norm over both tensors"),
        FieldSpec(name="clip_coef", label="coef", hint="min(1, max_norm/(‖g‖ + 1e−6))"),
        FieldSpec(
            name="clipped_a1", label="g_a₁ after", hint="the first entry, clipped", primary=True
        ),
    )
    given_order = ("a1", "a2", "b1", "b2", "b3", "max_norm")
    labels = {"a1": "g_a₁", "a2": "g_a₂", "b1": "g_b₁", "b2": "g_b₂", "b3": "g_b₃"}
    mistakes = ("per_tensor_clipping", "clip_coef_not_capped")
    must_distinguish = ()

    def sample(self, s: Sampler) -> Row:
        max_norm = s.choice("max_norm")
        target = max_norm * s.float("ratio")
        # five entries of mixed signs and sizes, scaled so the global norm is ≈ target
        raw = [(0.2 + 0.8 * s.uniform(f"e{i}")) * s.sign(f"s{i}") for i in range(5)]
        scale = target / math.sqrt(sum(x * x for x in raw))
        a1, a2, b1, b2, b3 = (round_sig(x * scale, 2) for x in raw)
        return {"a1": a1, "a2": a2, "b1": b1, "b2": b2, "b3": b3, "max_norm": max_norm}

    def solve(self, g: Row, mistake: str | None = None) -> Row:
        ga, gb = np.array([g["a1"], g["a2"]]), np.array([g["b1"], g["b2"], g["b3"]])
        clipped, total, tr = clip.clip_grad_norm_trace([ga, gb], g["max_norm"])
        coef, a1 = tr["clip_coef_clamped"], float(clipped[0][0])
        if mistake == "per_tensor_clipping":  # each tensor clipped by its own norm
            (clipped_a,), total, tr = clip.clip_grad_norm_trace([ga], g["max_norm"])
            coef, a1 = tr["clip_coef_clamped"], float(clipped_a[0])
        elif mistake == "clip_coef_not_capped":  # scaled up when the gradient is small
            coef = tr["clip_coef"]
            a1 = g["a1"] * coef
        return {
            "norm_a": float(tr["norms"][0]),
            "norm_b": float(tr["norms"][-1]),
            "total_norm": float(total),
            "clip_coef": float(coef),
            "clipped_a1": a1,
        }

    def acceptable(self, g: Row, a: Row) -> bool:
        # clearly one side of max_norm: no coin toss at the boundary
        return abs(a["total_norm"] / g["max_norm"] - 1) > 0.05

    def prompt(self, g: Row) -> str:
        return (
            f"A model has two parameter tensors with gradients g_a = ({fmt(g['a1'])}, "
            f"{fmt(g['a2'])}) and g_b = ({fmt(g['b1'])}, {fmt(g['b2'])}, {fmt(g['b3'])}). "
            f"torch.nn.utils.clip_grad_norm_(params, max_norm={fmt(g['max_norm'])}) runs before "
            "the optimizer step. What are ‖g_a‖, the global norm, the clip coefficient, and "
            "g_a₁ after clipping?"
        )

    def convention(self, g: Row) -> list[str]:
        return [
            "torch.nn.utils.clip_grad_norm_ (norm_type 2): one norm over all tensors together",
            "‖g‖ = √(‖g_a‖² + ‖g_b‖²)",
            "coef = min(1, max_norm/(‖g‖ + 1e−6))      (never scales a gradient up)",
            "every gradient ← coef·gradient",
        ]

    def solution(self, g: Row, a: Row) -> list[StepDict]:
        a_entries = f"{par(g['a1'])}² + {par(g['a2'])}²"
        return [
            step("‖g_a‖", f"√({a_entries})", a["norm_a"]),
            step("‖g_b‖", f"√({par(g['b1'])}² + {par(g['b2'])}² + {par(g['b3'])}²)", a["norm_b"]),
            step("‖g‖", f"√({fmt(a['norm_a'])}² + {fmt(a['norm_b'])}²)", a["total_norm"]),
            step(
                "coef",
                f"min(1, {fmt(g['max_norm'])}/({fmt(a['total_norm'])} + 1e−6))",
                a["clip_coef"],
            ),
            step("g_a₁ after", f"{fmt(a['clip_coef'])}·{par(g['a1'])}", a["clipped_a1"]),
        ]
