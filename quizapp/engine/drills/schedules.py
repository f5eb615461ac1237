"""Learning-rate schedule drills: lr-step, lr-exponential, lr-cosine, lr-warmup (linear warmup
then linear decay), lr-warmup-cosine, lr-onecycle and lr-warm-restarts.

Every value comes from ``quizapp.engine.schedules.get(...)`` (torch's lr after k
scheduler.step() calls); the off-by-one mistake is the same schedule read at k − 1 or k + 1."""

from __future__ import annotations

import math
from typing import Any

from quizapp.engine import schedules
from quizapp.engine.drills.base import EXACT_INT, DrillKind, Row, StepDict, fmt, step
from quizapp.engine.drills.models import AnswerField
from quizapp.engine.drills.sampling import Param, Sampler, round_sig

OFF_BY_ONE = ("schedule_off_by_one@-1", "schedule_off_by_one@+1")
SHIFT = {"schedule_off_by_one@-1": -1, "schedule_off_by_one@+1": 1}
BASE_LR = Param("base_lr", "η₀", "float", (0.01, 1.0), (0.0, 100.0), log=True, sig=1, open_low=True)
F_LR = AnswerField(
    name="lr", label="η", hint="the learning rate after k scheduler.step() calls", primary=True
)
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
        Param("step_size", "step_size", "int", (5, 50), (1, 1_000_000)),
        Param("gamma", "γ", "float", (0.1, 0.5), (0.0, 1.0), sig=1, open_low=True),
        Param(
            "decays", "decays", "int", (1, 4), (0, 1000), description="how many decays k has passed"
        ),
    )
    given_order = ("base_lr", "step_size", "gamma", "k")
    sched_inputs = ("base_lr", "step_size", "gamma")
    fields = (AnswerField(name="decays", label="⌊k/step_size⌋", hint="decays so far"), F_LR)
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
        Param("gamma", "γ", "float", (0.8, 0.99), (0.0, 1.0), open_low=True),
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
        Param("T_max", "T_max", "int", (10, 200), (1, 1_000_000)),
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
            description="peak lr: ≈1e-4…6e-4 pretraining, ≈1e-5…5e-5 fine-tuning",
        ),
        Param("num_warmup_steps", "W", "int", (100, 4000), (1, 10_000_000), log=True),
        Param("num_training_steps", "N", "int", (2000, 200_000), (2, 100_000_000), log=True),
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
        w, n = s.int("num_warmup_steps"), s.int("num_training_steps")
        # drawn from a range: two significant digits (W = 1,200, N = 24,000), numbers people
        # plan runs with; fixed values are kept as given
        if not s.fixed("num_warmup_steps"):
            w = max(int(round_sig(w, 2)), 1)
        if not s.fixed("num_training_steps"):
            n = int(round_sig(n, 2))
            n = max(n, 5 * w)  # warmup is a small part of a run
        n = max(n, w + 2)
        if s.choice("in_warmup"):
            k = max(math.floor(w * (0.05 + 0.9 * s.uniform("kw"))), 1)
        else:
            k = w + 1 + math.floor((n - w - 2) * s.uniform("kd"))
            # round a decay-phase k to a number people write (12,500 rather than 12,473)
            k = min(max(int(round_sig(k, 3)), w + 1), n - 1)
        return {
            "base_lr": s.float("base_lr"),
            "num_warmup_steps": w,
            "num_training_steps": n,
            "k": k,
        }

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


class LROneCycle(ScheduleDrill):
    """OneCycleLR (cos anneal, two phases): from max_lr/div_factor up to max_lr over
    pct_start·total_steps − 1 steps, then down to max_lr/(div_factor·final_div_factor)."""

    id = "lr-onecycle"
    title = "One-cycle schedule"
    description = (
        "torch OneCycleLR: warm up from max_lr/div_factor to max_lr, then anneal far below "
        "the start; the lr at step k."
    )
    schedule = "onecycle"
    torch_name = "torch.optim.lr_scheduler.OneCycleLR (anneal_strategy='cos', three_phase=False)"
    params = (
        Param(
            "max_lr", "η_max", "float", (1e-3, 1.0), (0.0, 100.0), log=True, sig=1, open_low=True
        ),
        Param("total_steps", "total_steps", "int", (100, 20_000), (10, 10_000_000), log=True),
        Param("pct_start", "pct_start", "choice", (0.25, 0.3)),
        Param("div_factor", "div_factor", "choice", (10.0, 25.0)),
        Param("final_div_factor", "final_div_factor", "choice", (1e4,)),
    )
    given_order = ("max_lr", "total_steps", "pct_start", "div_factor", "final_div_factor", "k")
    sched_inputs = ("max_lr", "total_steps", "pct_start", "div_factor", "final_div_factor")
    fields = (
        AnswerField(name="initial_lr", label="η at k = 0", hint="max_lr / div_factor"),
        F_LR,
    )

    def sample(self, s: Sampler) -> Row:
        total = s.int("total_steps")
        if not s.fixed("total_steps"):
            total = max(int(round_sig(total, 2)), 10)
        pct = s.choice("pct_start")
        up = pct * total - 1  # torch's end of the warmup phase
        if s.uniform("phase") < 0.4:
            k = max(math.floor(up * (0.1 + 0.8 * s.uniform("k"))), 1)
        else:
            k = math.ceil(up) + 1 + math.floor((total - 2 - math.ceil(up)) * s.uniform("k"))
        return {
            "max_lr": s.float("max_lr"),
            "total_steps": total,
            "pct_start": pct,
            "div_factor": s.choice("div_factor"),
            "final_div_factor": s.choice("final_div_factor"),
            "k": min(k, total - 1),
        }

    def solve(self, g: Row, mistake: str | None = None) -> Row:
        out = super().solve(g, mistake)
        out["initial_lr"] = out["lr0"]
        return out

    def prompt(self, g: Row) -> str:
        return (
            f"OneCycleLR with max_lr = {fmt(g['max_lr'])}, total_steps = {fmt(g['total_steps'])}, "
            f"pct_start = {fmt(g['pct_start'])}, div_factor = {fmt(g['div_factor'])} and "
            f"final_div_factor = {fmt(g['final_div_factor'])} (cos anneal). What is the lr at "
            f"k = 0, and after k = {fmt(g['k'])} calls of scheduler.step()?"
        )

    def convention(self, g: Row) -> list[str]:
        return [
            f"{self.torch_name}; {K_WORDS}",
            "η_start = max_lr/div_factor,  η_end = η_start/final_div_factor",
            "phase 1: k ≤ pct_start·total_steps − 1 = e₁, p = k/e₁, from η_start up to max_lr",
            "phase 2: p = (k − e₁)/(total_steps − 1 − e₁), from max_lr down to η_end",
            "cos anneal from a to b: η = b + (a − b)·(1 + cos(π·p))/2",
        ]

    def solution(self, g: Row, a: Row) -> list[StepDict]:
        e1 = g["pct_start"] * g["total_steps"] - 1
        k, last = g["k"], g["total_steps"] - 1
        start = step("η_start", f"{fmt(g['max_lr'])}/{fmt(g['div_factor'])}", a["initial_lr"])
        if k <= e1:
            p = k / e1
            a_, b_ = fmt(a["initial_lr"]), fmt(g["max_lr"])
            where = step("p (phase 1)", f"{fmt(k)}/{fmt(e1)}", p)
        else:
            p = (k - e1) / (last - e1)
            a_ = fmt(g["max_lr"])
            b_ = fmt(g["max_lr"] / g["div_factor"] / g["final_div_factor"])
            where = step("p (phase 2)", f"({fmt(k)} − {fmt(e1)})/({fmt(last)} − {fmt(e1)})", p)
        return [
            start,
            where,
            step("η", f"{b_} + ({a_} − {b_})·(1 + cos(π·{fmt(p)}))/2", a["lr"]),
        ]


class LRWarmRestarts(ScheduleDrill):
    """CosineAnnealingWarmRestarts: a cosine from η₀ to η_min over T_i steps, restarting at
    η₀ with T_i ← T_i·T_mult; T_cur and T_i are read off where the engine's lr jumps back up."""

    id = "lr-warm-restarts"
    title = "Cosine annealing with warm restarts (SGDR)"
    description = (
        "torch CosineAnnealingWarmRestarts: which cycle step k is in, how far into it, and "
        "the lr there."
    )
    schedule = "cosine_warm_restarts"
    torch_name = "torch.optim.lr_scheduler.CosineAnnealingWarmRestarts"
    params = (
        BASE_LR,
        Param("T_0", "T₀", "int", (5, 50), (1, 100_000)),
        Param("T_mult", "T_mult", "choice", (1, 2)),
        Param("eta_min", "η_min", "float", (0.0, 0.0), (0.0, 100.0)),
        Param("cycle", "cycle", "int", (1, 3), (0, 20), description="restarts before step k"),
    )
    given_order = ("base_lr", "T_0", "T_mult", "eta_min", "k")
    sched_inputs = ("base_lr", "T_0", "T_mult", "eta_min")
    fields = (
        AnswerField(name="t_cur", label="T_cur", hint="steps since the last restart"),
        AnswerField(name="t_i", label="T_i", hint="the length of the current cycle"),
        F_LR,
    )
    tolerances = {"t_cur": EXACT_INT, "t_i": EXACT_INT}
    mistakes = (*OFF_BY_ONE, "restart_period_not_multiplied")

    def sample(self, s: Sampler) -> Row:
        t0, mult, cycle = s.int("T_0"), s.choice("T_mult"), s.int("cycle")
        start = sum(t0 * mult**i for i in range(cycle))  # where cycle number `cycle` begins
        length = t0 * mult**cycle
        k = start + 1 + math.floor((length - 2) * s.uniform("k"))
        base = s.float("base_lr")
        return {
            "base_lr": base,
            "T_0": t0,
            "T_mult": mult,
            "eta_min": min(s.float("eta_min"), base / 2),
            "k": k,
        }

    def solve(self, g: Row, mistake: str | None = None) -> Row:
        changes = {"T_mult": 1} if mistake == "restart_period_not_multiplied" else {}
        k = g["k"] + SHIFT.get(mistake or "", 0)
        f = self.schedule_of(g, **changes)
        # restarts: the steps where the engine's lr jumps back up (T_cur = 0); the cycle that
        # holds k is at most k·(T_mult − 1) + T₀ long, so the next restart comes before this
        horizon = max(k, 0) * max(changes.get("T_mult", g["T_mult"]), 1) + g["T_0"] + 2
        lrs = f.values(horizon + 1).tolist()
        ups = [j for j in range(1, len(lrs)) if lrs[j] > lrs[j - 1]]
        last = max([0, *[j for j in ups if j <= k]])
        nxt = min([j for j in ups if j > k], default=math.nan)
        return {
            "t_cur": float(k - last),
            "t_i": float(nxt - last),
            "lr": float(f(k)) if k >= 0 else math.nan,
        }

    def prompt(self, g: Row) -> str:
        return (
            f"CosineAnnealingWarmRestarts with η₀ = {fmt(g['base_lr'])}, T₀ = {g['T_0']}, "
            f"T_mult = {g['T_mult']} and η_min = {fmt(g['eta_min'])}. After k = {fmt(g['k'])} "
            "calls of scheduler.step(), how many steps is it into its current cycle (T_cur), "
            "how long is that cycle (T_i), and what is the lr?"
        )

    def convention(self, g: Row) -> list[str]:
        return [
            f"{self.torch_name}; {K_WORDS}",
            "cycle lengths T₀, T₀·T_mult, T₀·T_mult², …; T_cur counts steps since the last restart",
            "η = η_min + (η₀ − η_min)·(1 + cos(π·T_cur/T_i))/2",
        ]

    def solution(self, g: Row, a: Row) -> list[StepDict]:
        lo, hi = fmt(g["eta_min"]), fmt(g["base_lr"])
        t_cur, t_i = fmt(int(a["t_cur"])), fmt(int(a["t_i"]))
        return [
            step("T_i", f"cycle lengths {g['T_0']}, {g['T_0'] * g['T_mult']}, …", a["t_i"]),
            step("T_cur", f"{fmt(g['k'])} − (start of this cycle)", a["t_cur"]),
            step("η", f"{lo} + ({hi} − {lo})·(1 + cos(π·{t_cur}/{t_i}))/2", a["lr"]),
        ]
