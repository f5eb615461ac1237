"""The trajectory lab's racers and knobs: which optimizers race, what each knob changes,
and the ladders a knob steps along (UI-free; :mod:`quizapp.study.lab` holds the state).

A *racer* is one coloured path on the plot: a name a learner knows ("Momentum") and an
engine :class:`~quizapp.engine.trajectory.Run` (optimizer, torch keyword arguments,
schedule). A *knob* is one row of the side panel; η, β, β₂, ε, λ and the schedule belong
to the selected racer (the racers keep their own values, as real recipes do), the surface,
κ, σ, seed, scale and steps to the whole lab.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache
from typing import Any, Literal

import numpy as np

from quizapp.engine import optim, surfaces
from quizapp.engine.trajectory import SCHEDULES, Run, TrajectoryError, simulate

Scope = Literal["racer", "lab"]


@dataclass(frozen=True)
class Racer:
    """One optimizer on the plot: ``key`` names its slot (``sgd``, ``momentum``, …, ``other``)."""

    key: str
    label: str
    run: Run
    enabled: bool = True

    def with_run(self, run: Run) -> Racer:
        return replace(self, run=run)


def _lad(*values: float) -> tuple[float, ...]:
    return tuple(float(v) for v in values)


LR_LADDER = tuple(float(f"{m}e{e}") for e in range(-5, 2) for m in (1, 2, 5))  # 1-2-5 steps
BETA_LADDER = _lad(0, 0.5, 0.8, 0.9, 0.95, 0.99, 0.995, 0.999)
BETA2_LADDER = _lad(0.5, 0.8, 0.9, 0.95, 0.99, 0.995, 0.999, 0.9999)
EPS_LADDER = tuple(float(f"1e{e}") for e in range(-12, 1))
WD_LADDER = _lad(0, 1e-4, 1e-3, 1e-2, 0.03, 0.1, 0.3, 0.5, 1, 2)
STEPS_LADDER = (10, 20, 50, 100, 200, 300, 500, 1000, 2000, 5000)
KAPPA_LADDER = _lad(1, 2, 5, 10, 20, 50, 100)
SIGMA_LADDER = _lad(0, 0.1, 0.2, 0.5, 1, 2, 5)
SCALE_LADDER = _lad(1, 10, 100, 1000)


def step_ladder(ladder: tuple[Any, ...], value: Any, direction: int) -> Any:
    """The next rung above (direction > 0) or below ``value``; off-ladder values snap to the
    nearest rung in that direction; the ends stay put."""
    if direction > 0:
        above = [v for v in ladder if v > value * (1 + 1e-9) + 1e-300]
        return above[0] if above else value
    below = [v for v in ladder if v < value * (1 - 1e-9) - 1e-300]
    return below[-1] if below else value


# -- the racers ---------------------------------------------------------------------------------
MAIN = ("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw")
LABELS = {
    "sgd": "SGD",
    "momentum": "Momentum",
    "nesterov": "Nesterov",
    "adagrad": "Adagrad",
    "rmsprop": "RMSprop",
    "adam": "Adam",
    "adamw": "AdamW",
    "nadam": "NAdam",
    "radam": "RAdam",
    "adamax": "Adamax",
    "adadelta": "Adadelta",
    "lion": "Lion",
}
# Learning rates that make a short race on the default bowl interesting; anything else
# starts at torch's default.
LAB_LR = {"adadelta": 1.0, "lion": 0.01}


def default_racers() -> tuple[Racer, ...]:
    """SGD, Momentum, Nesterov, Adagrad, RMSprop, Adam, AdamW (on) and one more engine
    optimizer in the ``other`` slot (off)."""
    runs = {
        "sgd": Run.of("sgd", lr=0.05),
        "momentum": Run.of("sgd", lr=0.05, momentum=0.9),
        "nesterov": Run.of("sgd", lr=0.05, momentum=0.9, nesterov=True),
        "adagrad": Run.of("adagrad", lr=0.3),
        "rmsprop": Run.of("rmsprop", lr=0.02),
        "adam": Run.of("adam", lr=0.1),
        "adamw": Run.of("adamw", lr=0.1, weight_decay=0.01),
    }
    racers = [Racer(key, LABELS[key], run) for key, run in runs.items()]
    others = other_optimizers()
    if others:
        racers.append(Racer("other", label_of(others[0]), other_run(others[0]), enabled=False))
    return tuple(racers)


def label_of(optimizer: str) -> str:
    return LABELS.get(optimizer, optimizer.capitalize())


def other_run(optimizer: str) -> Run:
    lr = LAB_LR.get(optimizer, 0.1 if "lr" in optim.defaults(optimizer) else None)
    return Run.of(optimizer, lr=lr) if lr is not None else Run.of(optimizer)


@cache
def other_optimizers() -> tuple[str, ...]:
    """Engine optimizers beyond the main seven that can step a 2-D point (a matrix-only
    optimizer such as Muon cannot); new engine optimizers appear here by themselves."""
    out = []
    for name in optim.names():
        if name in {"sgd", "adagrad", "rmsprop", "adam", "adamw"}:
            continue
        try:
            (path,) = simulate(surfaces.get("bowl"), (0.0, 0.0), [other_run(name)], 2)
        except (TrajectoryError, optim.OptimError, ValueError, TypeError, IndexError):
            continue
        if np.all(np.isfinite(path.points)):
            out.append(name)
    return tuple(out)


# -- the knobs ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Knob:
    """One row of the panel: ``id`` (stable), the symbol a learner reads, the value, what
    it belongs to, and the torch keyword it sets (for racer knobs)."""

    id: str
    label: str
    value: Any
    scope: Scope
    torch_name: str = ""


def racer_knobs(racer: Racer) -> tuple[Knob, ...]:
    """The knobs of one racer, only those its optimizer has."""
    run = racer.run
    hp = {**optim.defaults(run.optimizer), **run.hp}
    out: list[Knob] = []
    if racer.key == "other":
        out.append(Knob("optimizer", "optimizer", run.optimizer, "racer"))
    if "lr" in hp:
        out.append(Knob("lr", "η", float(hp["lr"]), "racer", "lr"))
    if "momentum" in hp and racer.key != "sgd":
        out.append(Knob("beta1", "μ", float(hp["momentum"]), "racer", "momentum"))
    if "betas" in hp:
        b1, b2 = hp["betas"]
        out.append(Knob("beta1", "β₁", float(b1), "racer", "betas[0]"))
        out.append(Knob("beta2", "β₂", float(b2), "racer", "betas[1]"))
    # α is RMSprop's smoothing constant (ASGD's `alpha` is a power, not a β₂); ρ is Adadelta's
    if run.optimizer == "rmsprop":
        out.append(Knob("beta2", "α", float(hp["alpha"]), "racer", "alpha"))
    if run.optimizer == "adadelta":
        out.append(Knob("beta2", "ρ", float(hp["rho"]), "racer", "rho"))
    if isinstance(hp.get("eps"), float):  # Adafactor's eps is a pair (ε₁, ε₂): not a ladder knob
        out.append(Knob("eps", "ε", float(hp["eps"]), "racer", "eps"))
    if "weight_decay" in hp:
        out.append(Knob("weight_decay", "λ", float(hp["weight_decay"]), "racer", "weight_decay"))
    out.append(Knob("schedule", "schedule", run.schedule, "racer"))
    return tuple(out)


def change_racer(racer: Racer, knob_id: str, direction: int) -> Racer:
    """The racer with one knob moved one rung (the engine validates the result later)."""
    run = racer.run
    hp = {**optim.defaults(run.optimizer), **run.hp}
    if knob_id == "optimizer":
        names = other_optimizers()
        i = names.index(run.optimizer) if run.optimizer in names else 0
        name = names[(i + direction) % len(names)]
        return replace(racer, label=label_of(name), run=other_run(name))
    if knob_id == "schedule":
        i = SCHEDULES.index(run.schedule)
        return racer.with_run(run.replace(schedule=SCHEDULES[(i + direction) % len(SCHEDULES)]))
    if knob_id == "lr":
        return racer.with_run(run.replace(lr=step_ladder(LR_LADDER, hp["lr"], direction)))
    if knob_id == "eps":
        return racer.with_run(run.replace(eps=step_ladder(EPS_LADDER, hp["eps"], direction)))
    if knob_id == "weight_decay":
        value = step_ladder(WD_LADDER, hp["weight_decay"], direction)
        return racer.with_run(run.replace(weight_decay=value))
    if knob_id == "beta1":
        if "betas" in hp:
            b1, b2 = hp["betas"]
            return racer.with_run(run.replace(betas=(step_ladder(BETA_LADDER, b1, direction), b2)))
        ladder = BETA_LADDER[1:] if hp.get("nesterov") else BETA_LADDER
        return racer.with_run(run.replace(momentum=step_ladder(ladder, hp["momentum"], direction)))
    if knob_id == "beta2":
        if "betas" in hp:
            b1, b2 = hp["betas"]
            return racer.with_run(run.replace(betas=(b1, step_ladder(BETA2_LADDER, b2, direction))))
        key = "alpha" if run.optimizer == "rmsprop" else "rho"
        return racer.with_run(run.replace(**{key: step_ladder(BETA2_LADDER, hp[key], direction)}))
    raise KeyError(knob_id)


# -- the update rule each racer runs (text; the numbers come from the engine) -------------------
_RULES = {
    "sgd": "θ ← θ − η·g",
    "momentum": "b ← μ·b + g\nθ ← θ − η·b",
    "nesterov": "b ← μ·b + g\nθ ← θ − η·(g + μ·b)",
    "adagrad": "G ← G + g²\nθ ← θ − η·g / (√G + ε)",
    "rmsprop": "v ← α·v + (1 − α)·g²\nθ ← θ − η·g / (√v + ε)",
    "rmsprop+momentum": "v ← α·v + (1 − α)·g²\nb ← μ·b + g / (√v + ε)\nθ ← θ − η·b",
    "adam": "m ← β₁·m + (1 − β₁)·g\nv ← β₂·v + (1 − β₂)·g²\n"
    "m̂ = m/(1 − β₁ᵗ)\nv̂ = v/(1 − β₂ᵗ)\nθ ← θ − η·m̂ / (√v̂ + ε)",
    "nadam": "m ← β₁·m + (1 − β₁)·g\nv ← β₂·v + (1 − β₂)·g²\n"
    "θ ← θ − η·(μₜ₊₁·m̂ + (1 − μₜ)·ĝ) / (√v̂ + ε)\n(Nesterov look-ahead on m)",
    "radam": "m ← β₁·m + (1 − β₁)·g\nv ← β₂·v + (1 − β₂)·g²\n"
    "ρₜ > 5: θ ← θ − η·rₜ·m̂ / (√v̂ + ε)\nelse:   θ ← θ − η·m̂  (rectified)",
    "adamax": "m ← β₁·m + (1 − β₁)·g\nu ← max(β₂·u, |g| + ε)\nθ ← θ − η/(1 − β₁ᵗ)·m / u",
    "adadelta": "v ← ρ·v + (1 − ρ)·g²\nΔ = √(u + ε)/√(v + ε)·g\nu ← ρ·u + (1 − ρ)·Δ²\nθ ← θ − η·Δ",
    "lion": "c = β₁·m + (1 − β₁)·g\nθ ← θ − η·sign(c)\nm ← β₂·m + (1 − β₂)·g",
}


def update_rule(racer: Racer) -> str:
    """The racer's update in Unicode, with weight decay and schedule as they apply."""
    run = racer.run
    hp = {**optim.defaults(run.optimizer), **run.hp}
    name = run.optimizer
    if name == "sgd":
        key = "nesterov" if hp.get("nesterov") else "momentum" if hp.get("momentum") else "sgd"
    elif name == "rmsprop" and hp.get("momentum"):
        key = "rmsprop+momentum"
    else:
        key = "adam" if name == "adamw" else name
    rule = _RULES.get(key) or _engine_rule(name)
    wd = float(hp.get("weight_decay") or 0.0)
    if wd and (name in ("adamw", "lion") or hp.get("decoupled_weight_decay")):
        rule = "θ ← θ·(1 − η·λ)   (decoupled)\n" + rule
    elif wd:
        rule = "g ← g + λ·θ   (L2)\n" + rule
    if run.schedule != "constant":
        rule += "\nη = ηₖ from the schedule"
    return rule


def _engine_rule(name: str) -> str:
    """For an optimizer the lab has no short form of: the equations in the engine's own
    docstring (the indented block after its first paragraph)."""
    doc = type(optim.get(name)).__doc__ or name
    blocks = [b for b in doc.split("\n\n") if b.startswith("        ")]
    return "\n".join(line.strip() for line in (blocks[0] if blocks else name).splitlines())
