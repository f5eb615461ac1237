"""Learning-rate schedule drills: lr-step, lr-exponential, lr-cosine, lr-warmup (linear
warmup then linear decay) and lr-warmup-cosine.

Every value comes from ``quizapp.engine.schedules`` (torch's lr after k scheduler.step()
calls); the off-by-one mistake is the same schedule read at k − 1 or k + 1."""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from quizapp.engine import schedules, schedules_batch
from quizapp.engine.drills.base import (
    EXACT_INT,
    Arrays,
    DrillKind,
    Row,
    StepDict,
    fmt,
    register,
    step,
)
from quizapp.engine.drills.models import AnswerField
from quizapp.engine.drills.sampling import Param, Sampler, round_sig

OFF_BY_ONE = ("schedule_off_by_one@-1", "schedule_off_by_one@+1")
BASE_LR = Param("base_lr", "η₀", "float", (0.01, 1.0), (0.0, 100.0), log=True, sig=1, open_low=True)
F_LR = AnswerField(
    name="lr", label="η", hint="the learning rate after k scheduler.step() calls", primary=True
)
LABELS = {
    "base_lr": "η₀",
    "k": "k",
    "step_size": "step_size",
    "gamma": "γ",
    "T_max": "T_max",
    "eta_min": "η_min",
    "num_warmup_steps": "W",
    "num_training_steps": "N",
}


class _ScheduleDrill(DrillKind):
    """A drill whose answer is f(k) for one torch-equivalent schedule per row."""

    topic = "learning-rate"
    schedule: ClassVar[str]
    sched_inputs: ClassVar[tuple[str, ...]]
    fields = (F_LR,)
    primary = "lr"
    labels = LABELS
    mistakes = OFF_BY_ONE

    def kwargs(self, g: Arrays) -> dict[str, np.ndarray]:
        """The schedule keywords, one value per row (ints where the schedule wants ints)."""
        return {
            name: np.asarray(g[name], dtype=np.int64 if name in self.int_inputs else np.float64)
            for name in self.sched_inputs
        }

    def solve(self, g: Arrays, mistake: str | None = None) -> Arrays:
        """lr = f(k) per row, f(k ∓ 1) under schedule_off_by_one@∓1, and lr0 = f(0): the
        engine's schedule with per-row hyperparameters (``schedules_batch.evaluate``)."""
        k = np.asarray(g["k"], dtype=np.int64)
        shift = {"schedule_off_by_one@-1": -1, "schedule_off_by_one@+1": 1}.get(mistake or "", 0)
        kk = k + shift
        kw = {name: np.concatenate([v, v]) for name, v in self.kwargs(g).items()}
        # one engine call for both: rows 0..n−1 at k ± shift, rows n..2n−1 at k = 0
        both = schedules_batch.evaluate(
            self.schedule, np.concatenate([np.maximum(kk, 0), np.zeros_like(k)]), **kw
        )
        lr, start = both[: len(k)], both[len(k) :]
        lr[kk < 0] = np.nan
        return {"lr": lr, "lr0": start}

    def convention(self, g: Row) -> list[str]:
        return [
            f"{self.torch_name}; k = number of scheduler.step() calls so far (k = 0: the initial lr)",
            schedules.describe(self.schedule),
        ]

    torch_name: ClassVar[str] = ""


@register
class LRStep(_ScheduleDrill):
    """StepLR: ηₖ = η₀·γ^⌊k/step_size⌋ (the engine's replay of torch)."""

    id = "lr-step"
    title = "Step decay"
    description = "torch StepLR: multiply the lr by γ every step_size scheduler steps."
    schedule = "step"
    torch_name = "torch.optim.lr_scheduler.StepLR"
    params = (
        BASE_LR,
        Param("step_size", "step_size", "int", (5, 50), (1, 1_000_000)),
        Param("gamma", "γ", "float", (0.1, 0.5), (0.0, 1.0), sig=1, open_low=True),
        Param(
            "decays", "decays", "int", (1, 4), (0, 1000), description="how many decays k has passed"
        ),
    )
    given_order = ("base_lr", "step_size", "gamma", "k")
    sched_inputs = ("base_lr", "step_size", "gamma")
    int_inputs = frozenset({"step_size", "k"})
    fields = (AnswerField(name="decays", label="⌊k/step_size⌋", hint="decays so far"), F_LR)
    tolerances = {"decays": EXACT_INT}

    def sample(self, s: Sampler) -> Arrays:
        size = s.int("step_size")
        decays = s.int("decays")
        # half the problems sit exactly on a boundary, where an off-by-one shows
        offset = np.where(s.uniform("on_boundary") < 0.5, 0, np.floor(s.uniform("offset") * size))
        k = np.maximum(decays * size + offset.astype(np.int64), 1)
        return {"base_lr": s.float("base_lr"), "step_size": size, "gamma": s.float("gamma"), "k": k}

    def solve(self, g: Arrays, mistake: str | None = None) -> Arrays:
        out = super().solve(g, mistake)
        # the number of decays, read off the engine's lr (not re-derived): log(η/η₀)/log γ
        with np.errstate(all="ignore"):
            out["decays"] = np.round(
                np.log(out["lr"] / out["lr0"]) / np.log(np.asarray(g["gamma"]))
            )
        return out

    def prompt(self, g: Row) -> str:
        return (
            f"StepLR with initial lr η₀ = {fmt(g['base_lr'])}, step_size = {g['step_size']} and "
            f"γ = {fmt(g['gamma'])}. What is the lr after k = {g['k']} calls of scheduler.step()?"
        )

    def solution(self, g: Row, a: Row) -> list[StepDict]:
        return [
            step(
                label="⌊k/step_size⌋", expression=f"⌊{g['k']}/{g['step_size']}⌋", value=a["decays"]
            ),
            step(
                label="η",
                expression=f"{fmt(g['base_lr'])}·{fmt(g['gamma'])}^{int(a['decays'])}",
                value=a["lr"],
            ),
        ]


@register
class LRExponential(_ScheduleDrill):
    """ExponentialLR: ηₖ = η₀·γᵏ (the engine's replay of torch)."""

    id = "lr-exponential"
    title = "Exponential decay"
    description = "torch ExponentialLR: multiply the lr by γ at every scheduler step."
    schedule = "exponential"
    torch_name = "torch.optim.lr_scheduler.ExponentialLR"
    params = (
        BASE_LR,
        Param("gamma", "γ", "float", (0.8, 0.99), (0.0, 1.0), open_low=True),
        Param("k", "k", "int", (2, 30), (1, 100_000)),
    )
    given_order = ("base_lr", "gamma", "k")
    sched_inputs = ("base_lr", "gamma")
    int_inputs = frozenset({"k"})
    must_distinguish = OFF_BY_ONE

    def sample(self, s: Sampler) -> Arrays:
        return {"base_lr": s.float("base_lr"), "gamma": s.float("gamma"), "k": s.int("k")}

    def prompt(self, g: Row) -> str:
        return (
            f"ExponentialLR with initial lr η₀ = {fmt(g['base_lr'])} and γ = {fmt(g['gamma'])}. "
            f"What is the lr after k = {g['k']} calls of scheduler.step()?"
        )

    def solution(self, g: Row, a: Row) -> list[StepDict]:
        return [
            step(
                label="η",
                expression=f"{fmt(g['base_lr'])}·{fmt(g['gamma'])}^{g['k']}",
                value=a["lr"],
            )
        ]


@register
class LRCosine(_ScheduleDrill):
    """CosineAnnealingLR: ηₖ = η_min + (η₀ − η_min)·(1 + cos(πk/T_max))/2."""

    id = "lr-cosine"
    title = "Cosine annealing"
    description = "torch CosineAnnealingLR: half a cosine from η₀ down to η_min over T_max steps."
    schedule = "cosine"
    torch_name = "torch.optim.lr_scheduler.CosineAnnealingLR"
    params = (
        BASE_LR,
        Param("T_max", "T_max", "int", (10, 200), (1, 1_000_000)),
        Param("eta_min", "η_min", "float", (0.0, 0.0), (0.0, 100.0)),
    )
    given_order = ("base_lr", "T_max", "eta_min", "k")
    sched_inputs = ("base_lr", "T_max", "eta_min")
    int_inputs = frozenset({"T_max", "k"})

    def sample(self, s: Sampler) -> Arrays:
        t_max = s.int("T_max")
        base = s.float("base_lr")
        eta_min = np.minimum(s.float("eta_min"), base / 2)
        # a step strictly inside the half period, avoiding the flat ends
        k = np.clip(np.floor(t_max * (0.1 + 0.8 * s.uniform("k"))), 1, np.maximum(t_max - 1, 1))
        return {"base_lr": base, "T_max": t_max, "eta_min": eta_min, "k": k.astype(np.int64)}

    def solve(self, g: Arrays, mistake: str | None = None) -> Arrays:
        out = super().solve(g, mistake)
        # the cosine factor ½(1 + cos(πk/T_max)), read off the engine's lr
        span = np.asarray(g["base_lr"]) - np.asarray(g["eta_min"])
        out["factor"] = (out["lr"] - np.asarray(g["eta_min"])) / span
        return out

    def prompt(self, g: Row) -> str:
        return (
            f"CosineAnnealingLR with initial lr η₀ = {fmt(g['base_lr'])}, T_max = {g['T_max']} and "
            f"η_min = {fmt(g['eta_min'])}. What is the lr after k = {g['k']} calls of scheduler.step()?"
        )

    def solution(self, g: Row, a: Row) -> list[StepDict]:
        return [
            step(
                label="½(1 + cos(πk/T_max))",
                expression=f"½(1 + cos(π·{g['k']}/{g['T_max']}))",
                value=a["factor"],
            ),
            step(
                label="η",
                expression=f"{fmt(g['eta_min'])} + ({fmt(g['base_lr'])} − {fmt(g['eta_min'])})·{fmt(a['factor'])}",
                value=a["lr"],
            ),
        ]


class _Warmup(_ScheduleDrill):
    """Shared warmup drill: k inside the warmup or in the decay phase (``in_warmup``)."""

    sched_inputs = ("base_lr", "num_warmup_steps", "num_training_steps")
    given_order = ("base_lr", "num_warmup_steps", "num_training_steps", "k")
    int_inputs = frozenset({"num_warmup_steps", "num_training_steps", "k"})
    params = (
        BASE_LR,
        Param("num_warmup_steps", "W", "int", (10, 200), (1, 10_000_000)),
        Param("num_training_steps", "N", "int", (300, 3000), (2, 100_000_000)),
        Param(
            "in_warmup",
            "in warmup",
            "bool",
            (False, True),
            description="ask about a step inside the warmup",
        ),
    )
    phase_words: ClassVar[str] = ""

    def sample(self, s: Sampler) -> Arrays:
        w, n = s.int("num_warmup_steps"), s.int("num_training_steps")
        # drawn from a range: round to two significant digits (W = 120, N = 2,400), numbers
        # people plan runs with and divide by on paper; fixed values are kept as given
        if isinstance(s.overrides.get("num_warmup_steps", []), list):
            w = np.maximum(round_sig(w, 2), 1).astype(np.int64)
        if isinstance(s.overrides.get("num_training_steps", []), list):
            n = round_sig(n, 2).astype(np.int64)
        n = np.maximum(n, w + 2)
        warm = s.choice("in_warmup").astype(bool)
        k_warm = np.maximum(np.floor(w * (0.05 + 0.9 * s.uniform("kw"))), 1)
        k_decay = w + 1 + np.floor((n - w - 2) * s.uniform("kd"))
        # round a decay-phase k to a number people write (1,250 rather than 1,247)
        k_decay = np.maximum(np.round(k_decay, -1), w + 1)
        return {
            "base_lr": s.float("base_lr"),
            "num_warmup_steps": w,
            "num_training_steps": n,
            "k": np.where(warm, k_warm, np.minimum(k_decay, n - 1)).astype(np.int64),
        }

    def solve(self, g: Arrays, mistake: str | None = None) -> Arrays:
        out = super().solve(g, mistake)
        out["factor"] = out["lr"] / np.asarray(g["base_lr"])
        return out

    def prompt(self, g: Row) -> str:
        return (
            f"A transformer run uses {self.phase_words} with peak lr η₀ = {fmt(g['base_lr'])}, "
            f"W = {fmt(g['num_warmup_steps'])} warmup steps and N = {fmt(g['num_training_steps'])} "
            f"training steps. What is the lr after k = {fmt(g['k'])} calls of scheduler.step()?"
        )


@register
class LRWarmup(_Warmup):
    """Linear warmup then linear decay: ηₖ = η₀·k/W (k < W), η₀·(N − k)/(N − W) after."""

    id = "lr-warmup"
    title = "Linear warmup, then linear decay"
    description = (
        "HF get_linear_schedule_with_warmup: ramp up over W steps, then decay linearly to 0 at N."
    )
    schedule = "warmup_linear"
    torch_name = "LambdaLR(get_linear_schedule_with_warmup)"
    phase_words = "linear warmup then linear decay (get_linear_schedule_with_warmup)"

    def solution(self, g: Row, a: Row) -> list[StepDict]:
        k, w, n = g["k"], g["num_warmup_steps"], g["num_training_steps"]
        expr = f"{k}/{w}" if k < w else f"({fmt(n)} − {fmt(k)})/({fmt(n)} − {fmt(w)})"
        return [
            step(
                label="factor",
                expression=expr + (" (warmup)" if k < w else " (decay)"),
                value=a["factor"],
            ),
            step(label="η", expression=f"{fmt(g['base_lr'])}·{fmt(a['factor'])}", value=a["lr"]),
        ]


@register
class LRWarmupCosine(_Warmup):
    """Linear warmup then cosine: ηₖ = η₀·k/W (k < W), η₀·½(1 + cos(π·p)) after, p = (k − W)/(N − W)."""

    id = "lr-warmup-cosine"
    title = "Linear warmup, then cosine decay"
    description = (
        "HF get_cosine_schedule_with_warmup: ramp up over W steps, then half a cosine to 0 at N."
    )
    schedule = "warmup_cosine"
    torch_name = "LambdaLR(get_cosine_schedule_with_warmup), num_cycles = 0.5"
    phase_words = "linear warmup then cosine decay (get_cosine_schedule_with_warmup)"

    def solution(self, g: Row, a: Row) -> list[StepDict]:
        k, w, n = g["k"], g["num_warmup_steps"], g["num_training_steps"]
        if k < w:
            steps = [step(label="factor", expression=f"{k}/{w} (warmup)", value=a["factor"])]
        else:
            p = (k - w) / (n - w)
            steps = [
                step(
                    label="progress p",
                    expression=f"({fmt(k)} − {fmt(w)})/({fmt(n)} − {fmt(w)})",
                    value=p,
                ),
                step(label="factor", expression=f"½(1 + cos(π·{fmt(p)}))", value=a["factor"]),
            ]
        return [
            *steps,
            step(label="η", expression=f"{fmt(g['base_lr'])}·{fmt(a['factor'])}", value=a["lr"]),
        ]
