"""Schedules with phases: lr-onecycle, lr-warm-restarts (SGDR) and lr-wsd (warmup-stable-decay,
built as torch's SequentialLR). Every value comes from ``quizapp.engine.schedules.get``."""

from __future__ import annotations

import math

from quizapp.engine import schedules
from quizapp.engine.drills.base import EXACT_INT, FieldSpec, Row, StepDict, fmt, step
from quizapp.engine.drills.sampling import Param, Sampler, round_sig
from quizapp.engine.drills.schedules import (
    BASE_LR,
    F_LR,
    K_WORDS,
    LABELS,
    OFF_BY_ONE,
    SHIFT,
    ScheduleDrill,
)


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
        FieldSpec(name="initial_lr", label="η at k = 0", hint="max_lr / div_factor"),
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
        Param("T_0", "T₀", "int", (5, 50), (1, 10_000)),
        Param("T_mult", "T_mult", "choice", (1, 2)),
        Param("eta_min", "η_min", "float", (0.0, 0.0), (0.0, 100.0)),
        Param("cycle", "cycle", "int", (1, 3), (0, 3), description="restarts before step k"),
    )
    given_order = ("base_lr", "T_0", "T_mult", "eta_min", "k")
    sched_inputs = ("base_lr", "T_0", "T_mult", "eta_min")
    fields = (
        FieldSpec(name="t_cur", label="T_cur", hint="steps since the last restart"),
        FieldSpec(name="t_i", label="T_i", hint="the length of the current cycle"),
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


class LRWSD(ScheduleDrill):
    """Warmup-stable-decay: LinearLR from start_factor·η₀ up to η₀ over W steps, held until
    the milestone W + S, then LinearLR down to min_ratio·η₀ over D steps — torch's
    SequentialLR([warmup, decay], milestones=[W + S]), whose decay restarts its own k at 0."""

    id = "lr-wsd"
    title = "Warmup-stable-decay (WSD)"
    description = (
        "Warm up, hold the peak, then decay over the last steps: the lr at step k of a "
        "SequentialLR built from two LinearLRs."
    )
    schedule = "sequential"
    torch_name = "torch.optim.lr_scheduler.SequentialLR(LinearLR warmup, LinearLR decay)"
    params = (
        Param("base_lr", "η₀", "float", (1e-4, 3e-3), (0.0, 100.0), log=True, sig=1, open_low=True),
        Param("num_warmup_steps", "W", "int", (100, 2000), (1, 10_000), log=True),
        Param("num_stable_steps", "S", "int", (5000, 50_000), (0, 100_000), log=True),
        Param("decay_fraction", "D/(W+S+D)", "float", (0.1, 0.2), (0.01, 0.5)),
        Param("start_factor", "start_factor", "choice", (0.01, 0.1)),
        Param("min_ratio", "min_ratio", "choice", (0.0, 0.1)),
        Param("phase", "phase", "choice", ("warmup", "stable", "decay", "decay")),
    )
    given_order = (
        "base_lr",
        "num_warmup_steps",
        "num_stable_steps",
        "num_decay_steps",
        "start_factor",
        "min_ratio",
        "k",
    )
    labels = {
        **LABELS,
        "num_stable_steps": "S",
        "num_decay_steps": "D",
        "start_factor": "start_factor",
        "min_ratio": "min_ratio",
    }
    fields = (FieldSpec(name="factor", label="ηₖ/η₀", hint="the fraction of the peak"), F_LR)
    mistakes = (*OFF_BY_ONE, "decay_from_step_zero")

    def sample(self, s: Sampler) -> Row:
        w, st = s.int("num_warmup_steps"), s.int("num_stable_steps")
        if not s.fixed("num_warmup_steps"):
            w = max(int(round_sig(w, 1)), 1)
        if not s.fixed("num_stable_steps"):
            st = int(round_sig(st, 2))
        frac = s.float("decay_fraction")
        d = max(int(round_sig((w + st) * frac / (1 - frac), 2)), 2)
        phase = s.choice("phase")
        u = s.uniform("k")
        if phase == "warmup":
            k = max(math.floor(w * (0.1 + 0.8 * u)), 1)
        elif phase == "stable":
            k = w + 1 + math.floor((st - 2) * u) if st > 2 else w
        else:
            k = w + st + 1 + math.floor((d - 2) * u)
        return {
            "base_lr": s.float("base_lr"),
            "num_warmup_steps": w,
            "num_stable_steps": st,
            "num_decay_steps": d,
            "start_factor": s.choice("start_factor"),
            "min_ratio": s.choice("min_ratio"),
            "k": int(k),
        }

    def schedule_of(self, g: Row, **changes: object) -> schedules.Schedule:
        warm = {"start_factor": g["start_factor"], "end_factor": 1.0}
        decay = {"start_factor": 1.0, "end_factor": g["min_ratio"]}
        return schedules.get(
            "sequential",
            base_lr=g["base_lr"],
            schedulers=[
                ("linear", {**warm, "total_iters": g["num_warmup_steps"]}),
                ("linear", {**decay, "total_iters": g["num_decay_steps"]}),
            ],
            milestones=[g["num_warmup_steps"] + g["num_stable_steps"]],
        )

    def solve(self, g: Row, mistake: str | None = None) -> Row:
        if mistake == "decay_from_step_zero":
            # the slip: the decay's progress counted from k = 0, not from its milestone
            end = g["min_ratio"]
            decay = {"start_factor": 1.0, "end_factor": end, "total_iters": g["num_decay_steps"]}
            milestone = g["num_warmup_steps"] + g["num_stable_steps"]
            f = schedules.get("linear", base_lr=g["base_lr"], **decay)
            lr = float(f(g["k"])) if g["k"] >= milestone else self.solve(g)["lr"]
            return {"lr": lr, "lr0": math.nan, "factor": lr / g["base_lr"]}
        out = super().solve(g, mistake)
        out["factor"] = out["lr"] / g["base_lr"]
        return out

    def prompt(self, g: Row) -> str:
        return (
            f"A warmup-stable-decay run with peak lr η₀ = {fmt(g['base_lr'])}: LinearLR from "
            f"{fmt(g['start_factor'])}·η₀ to η₀ over W = {fmt(g['num_warmup_steps'])} steps, "
            f"held for S = {fmt(g['num_stable_steps'])} steps, then LinearLR down to "
            f"{fmt(g['min_ratio'])}·η₀ over D = {fmt(g['num_decay_steps'])} steps (SequentialLR, "
            f"milestone W + S). What fraction of η₀, and what lr, after k = {fmt(g['k'])} calls "
            "of scheduler.step()?"
        )

    def convention(self, g: Row) -> list[str]:
        return [
            f"{self.torch_name}; {K_WORDS}",
            "k < W: η = η₀·(s + (1 − s)·k/W)   (s = start_factor; LinearLR then holds η₀)",
            "W ≤ k < W + S: η = η₀",
            "k ≥ W + S: j = k − (W + S) (the decay's own count restarts at the milestone), "
            "η = η₀·(1 + (r − 1)·min(j, D)/D)   (r = min_ratio)",
        ]

    def solution(self, g: Row, a: Row) -> list[StepDict]:
        w, st, d, k = (
            g[n] for n in ("num_warmup_steps", "num_stable_steps", "num_decay_steps", "k")
        )
        sf, r = fmt(g["start_factor"]), fmt(g["min_ratio"])
        if k < w:
            expr = f"{sf} + (1 − {sf})·{fmt(k)}/{fmt(w)}   (warmup)"
        elif k < w + st:
            expr = "1   (stable)"
        else:
            j = k - (w + st)
            expr = f"1 + ({r} − 1)·{fmt(min(j, d))}/{fmt(d)}   (decay, j = {fmt(j)})"
        return [
            step("ηₖ/η₀", expr, a["factor"]),
            step("η", f"{fmt(g['base_lr'])}·{fmt(a['factor'])}", a["lr"]),
        ]
