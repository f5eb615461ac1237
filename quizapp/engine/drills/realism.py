"""What a real run uses: the range of every input a drill kind draws by default.

One table, read three ways: the drill tests draw 1,000 seeds of every kind and check each
given against it (``problems_with``), ``docs/grading.md`` shows it (``markdown``, kept in step
by a test), and a deck author reads it there before overriding a range. The default ranges
of the kinds (their ``params``) lie inside it; a range here is what a practitioner would
recognise, not merely what the arithmetic allows (the hard ``limits`` of a parameter).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from quizapp.engine.numfmt import fmt

__all__ = ["REALISTIC", "RULES", "Rule", "problems_with", "markdown"]

Range = tuple[float, float]

# ---- the numbers practitioners use ------------------------------------------------------
THETA: Range = (-1.0, 1.0)  # a weight (LayerNorm gains ≈ 1, most weights ≪ 1)
GRAD: Range = (-2.0, 2.0)  # one coordinate of a gradient
STATE_M: Range = (-2.0, 2.0)  # a first moment / momentum: an average of gradients
STATE_V: Range = (0.0, 4.0)  # a second moment: an average of squared gradients
SGD_LR: Range = (0.01, 0.2)  # plain SGD (ResNet: 0.1 at batch 256)
MOMENTUM_LR: Range = (0.01, 0.1)  # SGD + momentum: the buffer grows toward g/(1 − μ)
ADAM_LR: Range = (1e-4, 3e-3)  # Adam/AdamW (torch's default 1e-3)
RMSPROP_LR: Range = (1e-3, 1e-2)  # RMSprop (torch's default 1e-2)
ADAGRAD_LR: Range = (1e-2, 0.1)  # Adagrad (torch's default 1e-2)
LION_LR: Range = (1e-5, 1e-3)  # Lion: 3–10× below AdamW's
MOMENTUM: Range = (0.8, 0.99)
BETA1: Range = (0.8, 0.95)
BETA2: Range = (0.95, 0.999)  # 0.95 in LLM pretraining … 0.999 (torch's default)
EPS: Range = (1e-10, 1e-6)
ADAMW_DECAY: Range = (0.01, 0.1)  # decoupled λ (torch's default 0.01, LLMs 0.1)
SGD_L2: Range = (0.0, 5e-3)  # L2 with SGD: 1e-4 (ImageNet ResNets) … 5e-3
L2_DECAY: Range = (0.0, 1e-2)  # L2 in Adam's gradient: 1e-4 … 1e-2
BASE_LR: Range = (1e-3, 0.4)  # a schedule's initial lr: Adam's upper range … SGD's
WARMUP_PEAK: Range = (1e-5, 6e-4)  # transformer peaks: fine-tuning 1e-5…5e-5, pretraining …6e-4
STEP: Range = (0, 1_000_000)  # scheduler steps so far
N_PARAMS: Range = (1e8, 7e10)  # 0.1 B … 70 B parameters
BATCH: Range = (8, 8192)
MAX_BATCH_RATIO = 16  # a batch-size change a run survives with a rescaled lr

_ADAM = {"theta": THETA, "grad": GRAD, "m": STATE_M, "v": STATE_V, "t": (1, 100)}
_ADAM |= {"lr": ADAM_LR, "beta1": BETA1, "beta2": BETA2, "eps": EPS}
_SCHEDULE_BASE = {"base_lr": BASE_LR, "k": STEP}

REALISTIC: dict[str, dict[str, Range]] = {
    "sgd": {"theta": THETA, "grad": GRAD, "lr": SGD_LR, "weight_decay": SGD_L2},
    "max-stable-lr": {"L": (10.0, 1000.0), "mu": (0.1, 1000.0), "lr": (1e-4, 0.5)},
    "momentum": {
        "theta": THETA,
        "grad": GRAD,
        "momentum_buffer": (-5.0, 5.0),
        "lr": MOMENTUM_LR,
        "momentum": MOMENTUM,
    },
    "momentum-first-step": {
        "theta": THETA,
        "grad1": GRAD,
        "grad2": GRAD,
        "lr": MOMENTUM_LR,
        "momentum": MOMENTUM,
        "dampening": (0.0, 0.9),
    },
    "momentum-steady-state": {
        "grad": GRAD,
        "lr": MOMENTUM_LR,
        "momentum": MOMENTUM,
        "steps": (1, 20),
    },
    "nesterov": {
        "theta": THETA,
        "grad": GRAD,
        "momentum_buffer": (-5.0, 5.0),
        "lr": MOMENTUM_LR,
        "momentum": MOMENTUM,
    },
    "adagrad": {
        "theta": THETA,
        "grad": GRAD,
        "sum": (0.0, 20.0),
        "t": (1, 100),
        "lr": ADAGRAD_LR,
        "lr_decay": (0.0, 0.1),
        "eps": EPS,
    },
    "adagrad-steps": {
        "theta": THETA,
        "grad": GRAD,
        "steps": (1, 20),
        "lr": ADAGRAD_LR,
        "eps": EPS,
    },
    "rmsprop": {
        "theta": THETA,
        "grad": GRAD,
        "v": STATE_V,
        "lr": RMSPROP_LR,
        "alpha": (0.9, 0.999),
        "eps": EPS,
    },
    "rmsprop-first-step": {
        "theta": THETA,
        "grad": GRAD,
        "lr": RMSPROP_LR,
        "alpha": (0.9, 0.999),
        "eps": EPS,
    },
    "adam": _ADAM,
    "bias-correction": {k: _ADAM[k] for k in ("m", "v", "t", "beta1", "beta2")},
    "adam-overshoot": {"t": (1, 1000), "beta1": BETA1, "beta2": (0.99, 0.999)},
    "adam-two-steps": {
        "theta": THETA,
        "grad1": GRAD,
        "grad2": GRAD,
        **{k: _ADAM[k] for k in ("lr", "beta1", "beta2", "eps")},
    },
    # ε as a hyperparameter (1e-3 … 1, e.g. Inception's 1.0): η is raised with it
    "adam-large-eps": {**_ADAM, "lr": (1e-4, 1e-2), "eps": (1e-4, 1.0)},
    "adamw": {**_ADAM, "weight_decay": ADAMW_DECAY},
    "adam-l2": {**_ADAM, "weight_decay": L2_DECAY},
    "weight-decay-shrink": {
        "lr": ADAM_LR,
        "weight_decay": ADAMW_DECAY,
        "steps": (1000, 1_000_000),
    },
    "adafactor-step": {
        **{f"w{ij}": THETA for ij in ("11", "12", "21", "22")},
        **{f"g{ij}": GRAD for ij in ("11", "12", "21", "22")},
        "lr": (1e-4, 1e-2),  # relative step sizes ρ (T5: 1e-3 fine-tuning, 1e-2 pretraining)
    },
    "lion-step": {
        "theta": THETA,
        "grad": GRAD,
        "m": STATE_M,
        "lr": LION_LR,
        "beta1": (0.9, 0.95),
        "beta2": (0.98, 0.99),
        "weight_decay": (0.1, 1.0),  # 3–10× AdamW's, since the lr is 3–10× smaller
    },
    "clip-grad-norm": {
        **{name: (-20.0, 20.0) for name in ("a1", "a2", "b1", "b2", "b3")},
        "max_norm": (0.1, 10.0),  # 1.0 in most recipes
    },
    "lr-step": {**_SCHEDULE_BASE, "step_size": (1, 10_000), "gamma": (0.1, 0.5)},
    "lr-exponential": {**_SCHEDULE_BASE, "gamma": (0.9, 0.999)},
    "lr-cosine": {**_SCHEDULE_BASE, "T_max": (10, 100_000), "eta_min": (0.0, 1e-3)},
    "lr-warmup": {
        "base_lr": WARMUP_PEAK,
        "num_warmup_steps": (10, 10_000),
        "num_training_steps": (1000, 1_000_000),
        "k": STEP,
    },
    "lr-inverse-sqrt": {
        "base_lr": (1e-4, 1e-3),  # Transformer base: d^−½·W^−½ ≈ 7e-4
        "num_warmup_steps": (100, 10_000),
        "k": STEP,
    },
    "lr-wsd": {
        "base_lr": ADAM_LR,
        "num_warmup_steps": (10, 10_000),
        "num_stable_steps": (5000, 1_000_000),
        "num_decay_steps": (100, 500_000),
        "start_factor": (0.0, 0.1),
        "min_ratio": (0.0, 0.1),
        "k": STEP,
    },
    "lr-onecycle": {
        "max_lr": (1e-4, 1.0),  # from an lr range test: AdamW ≈ 1e-3, SGD up to ≈ 1
        "total_steps": (100, 1_000_000),
        "pct_start": (0.1, 0.5),
        "div_factor": (5.0, 100.0),
        "final_div_factor": (100.0, 1e5),
        "k": STEP,
    },
    "lr-warm-restarts": {
        **_SCHEDULE_BASE,
        "T_0": (1, 10_000),
        "T_mult": (1, 2),
        "eta_min": (0.0, 1e-3),
    },
    "lr-plateau": {
        "base_lr": BASE_LR,
        "factor": (0.1, 0.5),
        "patience": (0, 20),
        "cooldown": (0, 10),
        **{f"loss{i}": (0.01, 10.0) for i in range(1, 9)},
    },
    "steps-per-epoch": {
        "dataset_size": (1000, 1e9),
        "batch_size": BATCH,
        "epochs": (1, 300),
    },
    "effective-batch": {
        "micro_batch": (1, 128),
        "accumulation": (1, 64),
        "world_size": (1, 1024),
        "dataset_size": (10_000, 1e9),
        "ref_lr": (0.01, 0.4),  # SGD + momentum at the recipe's batch
        "ref_batch": (128, 1024),
    },
    "linear-scaling": {"lr": SGD_LR, "batch_size": BATCH, "new_batch_size": BATCH},
    "sqrt-scaling": {"lr": ADAM_LR, "batch_size": BATCH, "new_batch_size": BATCH},
    "optimizer-memory": {"n_params": N_PARAMS},
    "training-memory": {"n_params": N_PARAMS, "zero_stage": (0, 3), "world_size": (2, 1024)},
}
REALISTIC["lr-warmup-cosine"] = REALISTIC["lr-warmup"]


@dataclass(frozen=True)
class Rule:
    """A realism rule across inputs (and answers) of one kind: ``check(given, answers)``."""

    kind: str
    text: str
    check: Callable[[Mapping[str, Any], Mapping[str, float]], bool]


def _warmup_fits(g: Mapping[str, Any], a: Mapping[str, float]) -> bool:
    return g["num_warmup_steps"] <= 0.2 * g["num_training_steps"]


def _regime_fits(g: Mapping[str, Any], a: Mapping[str, float]) -> bool:
    if g["base_lr"] >= 1e-4:  # pretraining
        return g["num_training_steps"] >= 10_000
    return g["base_lr"] <= 5e-5 and g["num_training_steps"] <= 100_000  # fine-tuning


def _ratio_fits(old: str, new: str) -> Callable[[Mapping[str, Any], Mapping[str, float]], bool]:
    def check(g: Mapping[str, Any], a: Mapping[str, float]) -> bool:
        ratio = (a if new in a else g)[new] / g[old]
        return 1 / MAX_BATCH_RATIO <= ratio <= MAX_BATCH_RATIO

    return check


RULES: tuple[Rule, ...] = (
    *(
        Rule(kind, "warmup W is at most 20 % of the run N", _warmup_fits)
        for kind in ("lr-warmup", "lr-warmup-cosine")
    ),
    *(
        Rule(
            kind,
            "pretraining (η₀ ≥ 1e-4) runs N ≥ 10,000 steps; fine-tuning peaks at η₀ ≤ 5e-5 "
            "over N ≤ 100,000",
            _regime_fits,
        )
        for kind in ("lr-warmup", "lr-warmup-cosine")
    ),
    Rule(
        "lr-wsd",
        "the decay D is 5…30 % of the run W + S + D",
        lambda g, a: (
            0.05
            <= g["num_decay_steps"]
            / (g["num_warmup_steps"] + g["num_stable_steps"] + g["num_decay_steps"])
            <= 0.3
        ),
    ),
    *(
        Rule(kind, "the batch changes at most 16×, either way", _ratio_fits("batch_size", b))
        for kind, b in (("linear-scaling", "new_batch_size"), ("sqrt-scaling", "new_batch_size"))
    ),
    Rule(
        "effective-batch",
        "the effective batch b·a·w is within 16× of the recipe's B_ref",
        _ratio_fits("ref_batch", "effective_batch"),
    ),
    Rule(
        "effective-batch",
        "the linearly scaled lr stays ≤ 3.2 (Goyal et al.: 0.1 × 8k/256, with warmup)",
        lambda g, a: a["lr"] <= 3.2,
    ),
    *(
        Rule(
            kind,
            "an epoch has at least 10 optimizer steps",
            lambda g, a: a["steps_per_epoch"] >= 10,
        )
        for kind in ("steps-per-epoch", "effective-batch")
    ),
)


def problems_with(kind: str, given: Mapping[str, Any], answers: Mapping[str, float]) -> list[str]:
    """What a drawn problem of ``kind`` gets wrong against the table and the rules ([] when it
    is a run a practitioner would recognise). Every numeric given must have a range."""
    table = REALISTIC[kind]
    out: list[str] = []
    for name, value in given.items():
        if isinstance(value, bool) or not isinstance(value, int | float):
            continue  # choices by name (optimizer, precision): the kind lists them
        if name not in table:
            out.append(f"{name} = {fmt(value)} has no realistic range in the table")
            continue
        low, high = table[name]
        if not low <= value <= high:
            out.append(f"{name} = {fmt(value)} outside [{fmt(low)}, {fmt(high)}]")
    out += [rule.text for rule in RULES if rule.kind == kind and not rule.check(given, answers)]
    return out


def markdown(kinds: list[str]) -> str:
    """The table as Markdown rows, ``kinds`` in order: kind | realistic ranges | rules."""
    rows = ["| kind | realistic range of each input | and |", "|---|---|---|"]
    for kind in kinds:
        ranges = ", ".join(
            f"{name} {fmt(low)}…{fmt(high)}" for name, (low, high) in REALISTIC[kind].items()
        )
        rules = "; ".join(rule.text for rule in RULES if rule.kind == kind)
        rows.append(f"| `{kind}` | {ranges} | {rules} |")
    return "\n".join(rows)


if __name__ == "__main__":  # the rows docs/grading.md shows (a test keeps them in step)
    from quizapp.engine.drills import kinds

    print(markdown(kinds()))
