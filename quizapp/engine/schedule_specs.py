"""The learning-rate schedules' keywords and closed-form formulas (data for
:mod:`quizapp.engine.schedules`: required keywords, optional keywords with torch's
defaults, and the formula ``describe(name)`` shows)."""

from __future__ import annotations

from typing import Any

# name -> (required keywords, optional keywords with defaults, closed-form description)
SPECS: dict[str, tuple[tuple[str, ...], dict[str, Any], str]] = {
    "step": (("base_lr", "step_size"), {"gamma": 0.1}, "ηₖ = η₀ · γ^⌊k / step_size⌋"),
    "multistep": (
        ("base_lr", "milestones"),
        {"gamma": 0.1},
        "ηₖ = η₀ · γ^(number of milestones ≤ k)",
    ),
    "exponential": (("base_lr", "gamma"), {}, "ηₖ = η₀ · γᵏ  (torch: ηₖ = γ·ηₖ₋₁)"),
    "cosine": (
        ("base_lr", "T_max"),
        {"eta_min": 0.0},
        "ηₖ = η_min + (η₀ − η_min)·(1 + cos(π·k / T_max)) / 2  (torch applies it recursively; "
        "past T_max it keeps following the cosine back up)",
    ),
    "linear": (
        ("base_lr",),
        {"start_factor": 1.0 / 3, "end_factor": 1.0, "total_iters": 5},
        "ηₖ = η₀ · (s + (e − s)·min(k, total_iters) / total_iters)",
    ),
    "constant": (
        ("base_lr",),
        {"factor": 1.0 / 3, "total_iters": 5},
        "ηₖ = η₀ · factor for k < total_iters, then η₀",
    ),
    "polynomial": (
        ("base_lr",),
        {"total_iters": 5, "power": 1.0},
        "ηₖ = η₀ · (1 − min(k, total_iters) / total_iters)^power",
    ),
    "onecycle": (
        ("max_lr", "total_steps"),
        {
            "base_lr": None,
            "pct_start": 0.3,
            "div_factor": 25.0,
            "final_div_factor": 1e4,
            "anneal_strategy": "cos",
            "three_phase": False,
        },
        "warm up from max_lr/div_factor to max_lr over pct_start·total_steps − 1 steps, then "
        "anneal to max_lr/(div_factor·final_div_factor) at step total_steps − 1; "
        "cos anneal: end + (start − end)/2 · (1 + cos(π·pct)). base_lr is ignored (as torch "
        "ignores the optimizer's lr)",
    ),
    "cosine_warm_restarts": (
        ("base_lr", "T_0"),
        {"T_mult": 1, "eta_min": 0.0},
        "ηₖ = η_min + (η₀ − η_min)·(1 + cos(π·T_cur / T_i)) / 2, T_cur resets to 0 when it "
        "reaches T_i, and then T_i ← T_i·T_mult",
    ),
    "warmup_cosine": (
        ("base_lr", "num_warmup_steps", "num_training_steps"),
        {"num_cycles": 0.5},
        "k < W: ηₖ = η₀·k / W;  else p = (k − W)/(N − W), "
        "ηₖ = η₀·max(0, ½(1 + cos(2π·num_cycles·p)))  (HF get_cosine_schedule_with_warmup)",
    ),
    "warmup_linear": (
        ("base_lr", "num_warmup_steps", "num_training_steps"),
        {},
        "k < W: ηₖ = η₀·k / W;  else ηₖ = η₀·max(0, (N − k)/(N − W))  "
        "(HF get_linear_schedule_with_warmup)",
    ),
    "multiplicative": (
        ("base_lr", "factor"),
        {},
        "ηₖ = ηₖ₋₁ · factor, i.e. η₀ · factorᵏ  (torch's MultiplicativeLR with a constant "
        "lr_lambda; applied one factor at a time)",
    ),
    "cyclic": (
        ("base_lr", "max_lr"),
        {"step_size_up": 2000, "step_size_down": None, "mode": "triangular", "gamma": 1.0},
        "cycle = ⌊1 + k/(up + down)⌋, x = 1 + k/(up + down) − cycle; rising for x ≤ up/(up + "
        "down), then falling: ηₖ = η₀ + (max_lr − η₀)·scale·s, s = 1 (triangular), "
        "1/2^(cycle−1) (triangular2) or γᵏ (exp_range). torch's cycle_momentum (default on) "
        "cycles the optimizer's momentum inversely; it never changes the lr",
    ),
    "inverse_sqrt": (
        ("base_lr", "num_warmup_steps"),
        {"timescale": None},
        "k < W: ηₖ = η₀·k / W;  else ηₖ = η₀ / √((k + τ − W) / τ), τ = timescale "
        "(default W, or 10 000 when W = 0)  (HF get_inverse_sqrt_schedule, Noam's recipe)",
    ),
    "sequential": (
        ("base_lr", "schedulers", "milestones"),
        {},
        "the i-th schedule runs from milestone i−1 (its own k restarts at 0 there, from its "
        "closed form when torch has one, else from the lr the previous one left) until "
        "milestone i  (torch's SequentialLR)",
    ),
    "chained": (
        ("base_lr", "schedulers"),
        {},
        "every schedule steps in turn on the lr the previous one left: chainable ones "
        "multiply it, closed-form ones (warmup recipes, cyclic, warm restarts) overwrite it  "
        "(torch's ChainedScheduler)",
    ),
}
