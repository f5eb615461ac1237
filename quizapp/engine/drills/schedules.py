"""Learning-rate schedule drills: lr-step, lr-exponential, lr-cosine, lr-warmup (linear warmup
then linear decay), lr-warmup-cosine and lr-inverse-sqrt (cycles, WSD and plateaus are in
``schedules_cycles``).

Every value comes from ``quizapp.engine.schedules.get(...)`` (torch's lr after k
scheduler.step() calls); the off-by-one mistake is the same schedule read at k − 1 or k + 1."""

from __future__ import annotations

import math
from typing import Any

from quizapp.engine import schedules
from quizapp.engine.drills.base import EXACT_INT, DrillKind, FieldSpec, Row, StepDict, fmt, step
from quizapp.engine.drills.sampling import Param, Sampler, round_sig

OFF_BY_ONE = ("schedule_off_by_one@-1", "schedule_off_by_one@+1")
SHIFT = {"schedule_off_by_one@-1": -1, "schedule_off_by_one@+1": 1}
# an initial lr for SGD (0.01…0.2) or Adam (1e-3…3e-3)
BASE_LR = Param("base_lr", "η₀", "float", (1e-3, 0.2), (0.0, 100.0), log=True, sig=1, open_low=True)
F_LR = FieldSpec(name="lr", label="η", hint="the lr after k scheduler.step() calls", primary=True)
LABELS = {
    "base_lr": "η₀",
    "max_lr": "η_max",
    "k": "k",
    "step_size": "step_size",
    "gamma": "γ",
    "T_max": "T_max",
    "T_0": "T₀",
    "T_mult": "T_mult",
    "eta_min": "η_min",
    "num_warmup_steps": "W",
    "num_training_steps": "N",
    "total_steps": "total_steps",
    "pct_start": "pct_start",
    "div_factor": "div_factor",
    "final_div_factor": "final_div_factor",
}
K_WORDS = "k = number of scheduler.step() calls so far (k = 0: the initial lr)"


class ScheduleDrill(DrillKind):
    """A drill whose answer is f(k) for one torch-equivalent schedule: ``schedule`` is the
    engine's name, ``sched_inputs`` the given names passed as its keywords."""

    topic = "learning-rate"
    schedule: str
    sched_inputs: tuple[str, ...]
    torch_name: str = ""
    fields = (F_LR,)
    labels = LABELS
    mistakes = OFF_BY_ONE

    def schedule_of(self, g: Row, **changes: Any) -> schedules.Schedule:
        """The engine's schedule for these inputs (``changes`` replace some keywords)."""
        return schedules.get(self.schedule, **{n: g[n] for n in self.sched_inputs} | changes)

    def solve(self, g: Row, mistake: str | None = None) -> Row:
        """lr = f(k), f(k ∓ 1) under schedule_off_by_one@∓1, and lr0 = f(0), from one
        engine schedule (its replay of torch's steps serves both)."""
        f = self.schedule_of(g)
        k = g["k"] + SHIFT.get(mistake or "", 0)
        return {"lr": float(f(k)) if k >= 0 else math.nan, "lr0": float(f(0))}

    def convention(self, g: Row) -> list[str]:
        return [f"{self.torch_name}; {K_WORDS}", schedules.describe(self.schedule)]

    def ask(self, g: Row) -> str:
        return f"What is the lr after k = {fmt(g['k'])} calls of scheduler.step()?"


class LRStep(ScheduleDrill):
    """StepLR: ηₖ = η₀·γ^⌊k/step_size⌋ (the engine's replay of torch)."""

    id = "lr-step"
    title = "Step decay"
    description = "torch StepLR: multiply the lr by γ every step_size scheduler steps."
    schedule = "step"
    torch_name = "torch.optim.lr_scheduler.StepLR"
    params = (
        BASE_LR,
        Param("step_size", "step_size", "int", (5, 50), (1, 10_000)),
        Param("gamma", "γ", "float", (0.1, 0.5), (0.0, 1.0), sig=1, open_low=True),
        Param(
            "decays", "decays", "int", (1, 4), (0, 10), description="how many decays k has passed"
        ),
    )
    given_order = ("base_lr", "step_size", "gamma", "k")
    sched_inputs = ("base_lr", "step_size", "gamma")
    fields = (FieldSpec(name="decays", label="⌊k/step_size⌋", hint="decays so far"), F_LR)
    tolerances = {"decays": EXACT_INT}

    def sample(self, s: Sampler) -> Row:
        size, decays = s.int("step_size"), s.int("decays")
        # half the problems sit exactly on a boundary, where an off-by-one shows
        offset = 0 if s.uniform("on_boundary") < 0.5 else math.floor(s.uniform("offset") * size)
        k = max(decays * size + offset, 1)
        return {"base_lr": s.float("base_lr"), "step_size": size, "gamma": s.float("gamma"), "k": k}

    def solve(self, g: Row, mistake: str | None = None) -> Row:
        out = super().solve(g, mistake)
        # the number of decays, read off the engine's lr (not re-derived): log(η/η₀)/log γ
        try:
            out["decays"] = round(math.log(out["lr"] / out["lr0"]) / math.log(g["gamma"]))
        except (ValueError, ZeroDivisionError):
            out["decays"] = math.nan
        return out

    def unrounded(self, g: Row, a: Row) -> dict[str, tuple[float, str]]:
        q = g["k"] / g["step_size"]
        return {
            "decays": (
                q,
                f"k/step_size = {fmt(q, 12)} is not a whole number of decays: StepLR decays "
                f"once at every full step_size steps, so ⌊k/step_size⌋ = {fmt(a['decays'])}.",
            )
        }

    def prompt(self, g: Row) -> str:
        return (
            f"StepLR with initial lr η₀ = {fmt(g['base_lr'])}, step_size = {g['step_size']} and "
            f"γ = {fmt(g['gamma'])}. " + self.ask(g)
        )

    def solution(self, g: Row, a: Row) -> list[StepDict]:
        return [
            step("⌊k/step_size⌋", f"⌊{g['k']}/{g['step_size']}⌋", a["decays"]),
            step("η", f"{fmt(g['base_lr'])}·{fmt(g['gamma'])}^{int(a['decays'])}", a["lr"]),
        ]


class LRExponential(ScheduleDrill):
    """ExponentialLR: ηₖ = η₀·γᵏ (the engine's replay of torch)."""

    id = "lr-exponential"
    title = "Exponential decay"
    description = "torch ExponentialLR: multiply the lr by γ at every scheduler step."
    schedule = "exponential"
    torch_name = "torch.optim.lr_scheduler.ExponentialLR"
    params = (
        BASE_LR,
        Param("gamma", "γ", "float", (0.9, 0.99), (0.0, 1.0), open_low=True),
        Param("k", "k", "int", (2, 30), (1, 100_000)),
    )
    given_order = ("base_lr", "gamma", "k")
    sched_inputs = ("base_lr", "gamma")
    must_distinguish = OFF_BY_ONE

    def sample(self, s: Sampler) -> Row:
        return {"base_lr": s.float("base_lr"), "gamma": s.float("gamma"), "k": s.int("k")}

    def prompt(self, g: Row) -> str:
        return (
            f"ExponentialLR with initial lr η₀ = {fmt(g['base_lr'])} and γ = {fmt(g['gamma'])}. "
            + self.ask(g)
        )

    def solution(self, g: Row, a: Row) -> list[StepDict]:
        return [step("η", f"{fmt(g['base_lr'])}·{fmt(g['gamma'])}^{g['k']}", a["lr"])]


class LRCosine(ScheduleDrill):
    """CosineAnnealingLR: ηₖ = η_min + (η₀ − η_min)·(1 + cos(πk/T_max))/2."""

    id = "lr-cosine"
    title = "Cosine annealing"
    description = "torch CosineAnnealingLR: half a cosine from η₀ down to η_min over T_max steps."
    schedule = "cosine"
    torch_name = "torch.optim.lr_scheduler.CosineAnnealingLR"
    params = (
        BASE_LR,
        Param("T_max", "T_max", "int", (10, 200), (1, 100_000)),
        Param("eta_min", "η_min", "float", (0.0, 0.0), (0.0, 100.0)),
    )
    given_order = ("base_lr", "T_max", "eta_min", "k")
    sched_inputs = ("base_lr", "T_max", "eta_min")

    def sample(self, s: Sampler) -> Row:
        t_max, base = s.int("T_max"), s.float("base_lr")
        # a step strictly inside the half period, avoiding the flat ends
        k = min(max(math.floor(t_max * (0.1 + 0.8 * s.uniform("k"))), 1), max(t_max - 1, 1))
        return {
            "base_lr": base,
            "T_max": t_max,
            "eta_min": min(s.float("eta_min"), base / 2),
            "k": k,
        }

    def solve(self, g: Row, mistake: str | None = None) -> Row:
        out = super().solve(g, mistake)
        # the cosine factor ½(1 + cos(πk/T_max)), read off the engine's lr
        out["factor"] = (out["lr"] - g["eta_min"]) / (g["base_lr"] - g["eta_min"])
        return out

    def prompt(self, g: Row) -> str:
        return (
            f"CosineAnnealingLR with initial lr η₀ = {fmt(g['base_lr'])}, T_max = {g['T_max']} "
            f"and η_min = {fmt(g['eta_min'])}. " + self.ask(g)
        )

    def solution(self, g: Row, a: Row) -> list[StepDict]:
        lo, hi = fmt(g["eta_min"]), fmt(g["base_lr"])
        return [
            step("½(1 + cos(πk/T_max))", f"½(1 + cos(π·{g['k']}/{g['T_max']}))", a["factor"]),
            step("η", f"{lo} + ({hi} − {lo})·{fmt(a['factor'])}", a["lr"]),
        ]


PRETRAIN_LR, FINETUNE_LR = (1e-4, 6e-4), (1e-5, 5e-5)
PRETRAIN_W, PRETRAIN_N, FINETUNE_N = (500, 10_000), (20_000, 500_000), (1_000, 20_000)


class LRWarmup(ScheduleDrill):
    """The transformer recipes: linear warmup over W steps, then linear decay
    (``warmup_linear``) or half a cosine (``warmup_cosine``) to 0 at step N."""

    sched_inputs = ("base_lr", "num_warmup_steps", "num_training_steps")
    given_order = ("base_lr", "num_warmup_steps", "num_training_steps", "k")
    params = (
        Param(
            "base_lr",
            "η₀",
            "float",
            (1e-5, 6e-4),
            (0.0, 100.0),
            log=True,
            sig=1,
            open_low=True,
            description="peak lr: 1e-4…6e-4 pretraining, 1e-5…5e-5 fine-tuning (half of each)",
        ),
        Param(
            "num_warmup_steps",
            "W",
            "int",
            (50, 10_000),
            (1, 10_000_000),
            log=True,
            description="pretraining 500…10,000; fine-tuning 2…10 % of N",
        ),
        Param(
            "num_training_steps",
            "N",
            "int",
            (1000, 500_000),
            (2, 100_000_000),
            log=True,
            description="pretraining 20,000…500,000; fine-tuning 1,000…20,000",
        ),
        Param(
            "in_warmup",
            "in warmup",
            "bool",
            (False, True),
            description="ask about a step inside the warmup",
        ),
    )

    def __init__(self, cosine: bool) -> None:
        self.cosine = cosine
        if cosine:
            self.id = "lr-warmup-cosine"
            self.title = "Linear warmup, then cosine decay"
            self.description = (
                "HF get_cosine_schedule_with_warmup: ramp up over W steps, then half a cosine "
                "to 0 at N."
            )
            self.schedule = "warmup_cosine"
            self.torch_name = "LambdaLR(get_cosine_schedule_with_warmup), num_cycles = 0.5"
        else:
            self.id = "lr-warmup"
            self.title = "Linear warmup, then linear decay"
            self.description = (
                "HF get_linear_schedule_with_warmup: ramp up over W steps, then decay linearly "
                "to 0 at N."
            )
            self.schedule = "warmup_linear"
            self.torch_name = "LambdaLR(get_linear_schedule_with_warmup)"

    def sample(self, s: Sampler) -> Row:
        # a pretraining or a fine-tuning run (half of each), with that regime's peak lr and
        # lengths; a deck's base_lr range decides the regime by the value drawn from it
        pretraining = s.uniform("regime") < 0.5
        lr = s.float("base_lr", default=PRETRAIN_LR if pretraining else FINETUNE_LR)
        pretraining = lr >= 1e-4
        n = s.int("num_training_steps", default=PRETRAIN_N if pretraining else FINETUNE_N)
        # drawn from a range: two significant digits (W = 1,200, N = 24,000), numbers people
        # plan runs with; fixed values are kept as given
        if not s.fixed("num_training_steps"):
            n = int(round_sig(n, 2))
        if pretraining or "num_warmup_steps" in s.overrides:
            w = s.int("num_warmup_steps", default=PRETRAIN_W)
            if not s.fixed("num_warmup_steps"):
                w = max(int(round_sig(w, 2)), 1)
        else:  # fine-tuning warms up over 2…10 % of the run (BERT 10 %, RoBERTa 6 %)
            w = max(int(round_sig(n * (0.02 + 0.08 * s.uniform("warmup_share")), 2)), 1)
        if not s.fixed("num_training_steps"):
            n = max(n, 5 * w)  # warmup is a small part of a run
        n = max(n, w + 2)
        if s.choice("in_warmup"):
            k = max(math.floor(w * (0.05 + 0.9 * s.uniform("kw"))), 1)
        else:
            k = w + 1 + math.floor((n - w - 2) * s.uniform("kd"))
            # round a decay-phase k to a number people write (12,500 rather than 12,473)
            k = min(max(int(round_sig(k, 3)), w + 1), n - 1)
        return {"base_lr": lr, "num_warmup_steps": w, "num_training_steps": n, "k": k}

    def solve(self, g: Row, mistake: str | None = None) -> Row:
        out = super().solve(g, mistake)
        out["factor"] = out["lr"] / g["base_lr"]
        return out

    def prompt(self, g: Row) -> str:
        run = "pretraining" if g["base_lr"] >= 1e-4 else "fine-tuning"
        shape = "cosine" if self.cosine else "linear"
        recipe = f"get_{shape}_schedule_with_warmup"
        return (
            f"A transformer {run} run uses linear warmup then {shape} decay ({recipe}) with "
            f"peak lr η₀ = {fmt(g['base_lr'])}, W = {fmt(g['num_warmup_steps'])} warmup steps "
            f"and N = {fmt(g['num_training_steps'])} training steps. " + self.ask(g)
        )

    def solution(self, g: Row, a: Row) -> list[StepDict]:
        k, w, n = g["k"], g["num_warmup_steps"], g["num_training_steps"]
        if k < w:
            steps = [step("factor", f"{fmt(k)}/{fmt(w)} (warmup)", a["factor"])]
        elif self.cosine:
            p = (k - w) / (n - w)
            steps = [
                step("progress p", f"({fmt(k)} − {fmt(w)})/({fmt(n)} − {fmt(w)})", p),
                step("factor", f"½(1 + cos(π·{fmt(p)}))", a["factor"]),
            ]
        else:
            expr = f"({fmt(n)} − {fmt(k)})/({fmt(n)} − {fmt(w)}) (decay)"
            steps = [step("factor", expr, a["factor"])]
        return [*steps, step("η", f"{fmt(g['base_lr'])}·{fmt(a['factor'])}", a["lr"])]


class LRInverseSqrt(ScheduleDrill):
    """Inverse-square-root decay after a linear warmup (Noam; HF get_inverse_sqrt_schedule):
    ηₖ = η₀·k/W for k < W, then η₀/√((k + τ − W)/τ) with τ = W by default, i.e. η₀·√(W/k)."""

    id = "lr-inverse-sqrt"
    title = "Inverse-square-root schedule (Noam)"
    description = (
        "The original Transformer's recipe: linear warmup to the peak, then η₀·√(W/k) — "
        "the lr halves each time k quadruples."
    )
    schedule = "inverse_sqrt"
    torch_name = "LambdaLR(get_inverse_sqrt_schedule)"
    params = (
        Param("base_lr", "η₀", "float", (1e-4, 1e-3), (0.0, 100.0), log=True, sig=1, open_low=True),
        # from 100 (a small model's warmup): one step off shows only while k is a few hundred
        Param("num_warmup_steps", "W", "int", (100, 8000), (1, 10_000_000), log=True),
        Param("span", "k/W", "float", (1.5, 40.0), (0.01, 1e6), log=True, description="k ÷ W"),
    )
    given_order = ("base_lr", "num_warmup_steps", "k")
    sched_inputs = ("base_lr", "num_warmup_steps")
    fields = (FieldSpec(name="factor", label="ηₖ/η₀", hint="the fraction of the peak"), F_LR)

    def sample(self, s: Sampler) -> Row:
        w = s.int("num_warmup_steps")
        if not s.fixed("num_warmup_steps"):
            w = max(int(round_sig(w, 1)), 1)
        k = max(int(round_sig(w * s.float("span"), 2)), 1)
        return {"base_lr": s.float("base_lr"), "num_warmup_steps": w, "k": k}

    def solve(self, g: Row, mistake: str | None = None) -> Row:
        out = super().solve(g, mistake)
        out["factor"] = out["lr"] / g["base_lr"]
        return out

    def acceptable(self, g: Row, a: Row) -> bool:
        return g["k"] != g["num_warmup_steps"]

    def prompt(self, g: Row) -> str:
        return (
            f"A Transformer uses the inverse-square-root schedule with peak lr η₀ = "
            f"{fmt(g['base_lr'])} after W = {fmt(g['num_warmup_steps'])} linear warmup steps "
            "(get_inverse_sqrt_schedule, default timescale). What fraction of the peak is the "
            f"lr, and what is the lr, after k = {fmt(g['k'])} calls of scheduler.step()?"
        )

    def solution(self, g: Row, a: Row) -> list[StepDict]:
        k, w = fmt(g["k"]), fmt(g["num_warmup_steps"])
        expr = f"{k}/{w} (warmup)" if g["k"] < g["num_warmup_steps"] else f"√({w}/{k})"
        return [
            step("ηₖ/η₀", expr, a["factor"]),
            step("η", f"{fmt(g['base_lr'])}·{fmt(a['factor'])}", a["lr"]),
        ]
