"""The lab's six guided experiments, and which study items each one shows (UI-free).

Each experiment is a preset (surface, start, steps, racers), a one-paragraph question shown
beside the plot and an answer revealed once the learner has seen the paths. Every claim a
text makes about its preset is checked in ``tests/unit/test_lab_experiments.py`` against
the trajectories the engine computes.

:func:`experiment_for` maps a flashcard, trap or drill (by item id, drill kind or topic) to
the experiment that shows it, for a "see it in the lab" key.
"""

from __future__ import annotations

from dataclasses import dataclass

from quizapp.engine import surfaces
from quizapp.engine.surfaces import Pair, Surface
from quizapp.engine.trajectory import Run
from quizapp.study.lab_knobs import Racer


@dataclass(frozen=True)
class Experiment:
    id: str
    title: str
    question: str
    answer: str
    surface: Surface
    start: Pair
    steps: int
    racers: tuple[Racer, ...]


def _r(key: str, label: str, run: Run) -> Racer:
    return Racer(key, label, run)


EXPERIMENTS: tuple[Experiment, ...] = (
    Experiment(
        "momentum-overshoot",
        "Momentum overshoots",
        "Plain SGD and SGD with momentum (μ = 0.9) start together with η = 0.02 on a bowl ten "
        "times steeper in y than in x, minimum at (1, 1). Along the flat x, one path runs past "
        "x = 1 and comes back, the other never crosses it. Which overshoots, why, and which is "
        "nearer the minimum after 100 steps?",
        "Momentum overshoots, and still arrives first. Its buffer b ← μ·b + g keeps adding the "
        "gradient, so on a steady slope its step grows towards η·g/(1 − μ), ten times SGD's. At "
        "x = 1 the buffer still points forward and carries the path on to x ≈ 1.9; the swings "
        "then shrink by √μ ≈ 0.95 per step. Plain SGD's distance to x = 1 shrinks by "
        "1 − η·h = 0.98 per step (h = 1, the curvature along x): after 100 steps it is at "
        "x ≈ 0.6, while momentum is within 0.02 of the minimum at a loss hundreds of times "
        "lower. The gain needs η·h below 1 − √μ ≈ 0.05 (at η = 0.05 the two tie). Along the "
        "steep y (η·h = 0.2) momentum overshoots too, to y ≈ 0.15, where SGD slides straight "
        "in; Nesterov (key 3) overshoots less: it takes the gradient after the look-ahead.",
        surfaces.get("bowl", kappa=10),
        (-2.0, 2.2),
        100,
        (
            _r("sgd", "SGD", Run.of("sgd", lr=0.02)),
            _r("momentum", "Momentum", Run.of("sgd", lr=0.02, momentum=0.9)),
            Racer(
                "nesterov",
                "Nesterov",
                Run.of("sgd", lr=0.02, momentum=0.9, nesterov=True),
                enabled=False,
            ),
        ),
    ),
    Experiment(
        "adam-scale",
        "Adam does not care about scale",
        "The same bowl, multiplied by 1000: every gradient is 1000 times larger. SGD "
        "(η = 0.05) blows up at once, while Adam (η = 0.1) draws exactly the path it draws on "
        "the unscaled bowl (press x to switch ×1 / ×1000 and compare). Why is Adam's path "
        "unchanged?",
        "Adam's step is η·m̂/(√v̂ + ε). Scaling the loss by c scales every gradient by c, so "
        "m̂ by c and √v̂ by c: the ratio does not change, and with ε = 10⁻⁸ far below √v̂ the "
        "path is the same to many digits (with ε near √v̂ the scale would start to "
        "matter). SGD's step η·g scales with c: on the steep axis (curvature h = 10) η·h goes "
        "from 0.5 to 500, far past the stability limit 2, so every step overshoots by more "
        "than the last. This "
        "is why Adam's default η carries across models whose losses differ in scale, and why "
        "SGD's η must be retuned when the loss is rescaled (a sum instead of a mean, say).",
        surfaces.get("bowl", kappa=10, scale=1000),
        (-2.0, 2.2),
        100,
        (
            _r("sgd", "SGD", Run.of("sgd", lr=0.05)),
            _r("adam", "Adam", Run.of("adam", lr=0.1)),
        ),
    ),
    Experiment(
        "adagrad-stall",
        "Adagrad stalls",
        "Adagrad and RMSprop, same η = 0.05, start on the plateau, where the slope hardly "
        "changes from step to step. RMSprop walks to the cliff and drops into the basin; "
        "Adagrad is still on the plateau after 500 steps. Why do Adagrad's steps keep "
        "shrinking although the gradient does not?",
        "Adagrad divides by √G, where G = Σg² is the sum of every squared gradient so far: it "
        "never forgets. On a steady slope G grows like k·g², so the k-th step is about "
        "η·g/√(k·g²) = η/√k, and k steps cover only about 2η√k: 2 × 0.05 × √500 ≈ 2.2 here. "
        "RMSprop keeps an exponential average v ← α·v + (1 − α)·g² instead, which settles at "
        "g² on a steady slope, so its step never falls below about η (early on it is larger: v "
        "starts at 0 and, unlike Adam, RMSprop does not correct for that). Adagrad's "
        "ever-shrinking steps suit "
        "convex problems and sparse features (a rare feature keeps a large step); in deep "
        "nets they stall training, which is why RMSprop and Adam replaced it.",
        surfaces.get("cliff"),
        (4.0, 1.5),
        500,
        (
            _r("adagrad", "Adagrad", Run.of("adagrad", lr=0.05)),
            _r("rmsprop", "RMSprop", Run.of("rmsprop", lr=0.05)),
        ),
    ),
    Experiment(
        "warmup",
        "Warmup tames an early blow-up",
        "Two SGD runs with the same peak η = 1 start high on the steep side wall of the gully. "
        "With η constant the loss blows up within a few steps; with warmup (η grows from 0 "
        "over the first 30 steps, then follows a cosine down) the same peak η trains "
        "smoothly. What did warmup change?",
        "A step is stable only while η is small against the curvature h it crosses (η·h < 2 "
        "on a quadratic). High on the wall the y⁴ term makes the surface steep and sharply "
        "curved: a full step of η = 1 overshoots the floor and lands higher on the opposite "
        "wall, where it is steeper still, so every step overshoots more and the run diverges. "
        "Warmup's first steps are tiny; they slide down to the floor of the gully, where the "
        "curvature is small (b = 0.5, η·b = 0.5), so by the time η reaches 1 it is safe. Deep "
        "nets behave alike: the loss is sharpest early in training (and Adam's v̂ is estimated "
        "from few gradients), and a short warmup gets through that phase.",
        surfaces.get("cliff"),
        (3.0, 2.3),
        300,
        (
            _r("sgd", "SGD", Run.of("sgd", lr=1.0)),
            _r("sgd-warmup", "SGD+warmup", Run.of("sgd", "warmup_cosine", lr=1.0)),
        ),
    ),
    Experiment(
        "saddle-escape",
        "Escaping a saddle",
        "All three start just off the ridge (y = 0.01) and slide towards the saddle at the "
        "origin, where the gradient vanishes, before falling to a minimum at y = ±1. Count the "
        "steps each spends near the saddle: SGD lingers, momentum and Adam leave much sooner. "
        "Why?",
        "Near the saddle f ≈ ¼ + ½x² − ½y², so the push off the ridge is −∂f/∂y ≈ y: tiny at "
        "y = 0.01. SGD multiplies y by about (1 + η) per step, so getting from 0.01 to 0.5 "
        "takes about ln 50 / ln 1.1 ≈ 41 steps. Momentum adds those small pushes up (its step "
        "grows towards η/(1 − μ) times the gradient), and Adam divides by √v̂, so a small but "
        "steady gradient still moves it about η per step: neither waits for y to grow. Start "
        "exactly on the ridge (y = 0) and no optimizer ever leaves, since the gradient has no "
        "y part there; in real training, minibatch noise is what kicks SGD off such ridges.",
        surfaces.get("saddle"),
        (-2.0, 0.01),
        150,
        (
            _r("sgd", "SGD", Run.of("sgd", lr=0.1)),
            _r("momentum", "Momentum", Run.of("sgd", lr=0.1, momentum=0.9)),
            _r("adam", "Adam", Run.of("adam", lr=0.05)),
        ),
    ),
    Experiment(
        "decoupled-decay",
        "L2 or decoupled weight decay",
        "Adam with L2 (weight_decay = 2 added to the gradient) and AdamW (decoupled decay, "
        "λ = 2) on the bowl whose minimum is at (1, 1), ten times steeper in y. Both are "
        "pulled towards θ = 0, yet they settle at different points. Which one pulls the "
        "steep y coordinate in further, and why?",
        "AdamW. Adam + L2 adds λ·θ to the gradient and then divides the sum by √v̂, so it "
        "settles where ∇f + λθ = 0, the minimum of f + ½λ‖θ‖²: here (1/(1 + λ), κ/(κ + λ)) = "
        "(⅓, ⅚). The flat x is pulled far in, the steep y hardly: its large gradient resists "
        "the decay. AdamW shrinks θ by η·λ·θ outside the normalization, while its gradient "
        "step m̂/√v̂ has size about 1 in every coordinate once the gradient is steady, however "
        "steep. The two balance where λ·|θᵢ| ≈ 1: AdamW heads for (½, ½) in both coordinates "
        "(y is there already; x creeps in as v̂ forgets the early, larger gradients). Curvature "
        "no longer decides how hard a weight is decayed; that is what decoupling buys.",
        surfaces.get("bowl", kappa=10),
        (-2.0, 2.2),
        500,
        (
            _r("adam", "Adam + L2", Run.of("adam", lr=0.05, weight_decay=2.0)),
            _r("adamw", "AdamW", Run.of("adamw", lr=0.05, weight_decay=2.0)),
        ),
    ),
)

BY_ID = {e.id: e for e in EXPERIMENTS}


# -- which study items each experiment shows -------------------------------------------------
DRILL_KINDS = {
    "sgd": "momentum-overshoot",
    "momentum": "momentum-overshoot",
    "nesterov": "momentum-overshoot",
    "adagrad": "adagrad-stall",
    "rmsprop": "adagrad-stall",
    "adam": "adam-scale",
    "bias-correction": "adam-scale",
    "adam-two-steps": "adam-scale",
    "adamw": "decoupled-decay",
    "adam-l2": "decoupled-decay",
    "lr-step": "warmup",
    "lr-exponential": "warmup",
    "lr-cosine": "warmup",
    "lr-warmup": "warmup",
    "lr-warmup-cosine": "warmup",
}
# item-id fragments, most specific first (the shipped deck's ids: optimizers.<topic>.<name>)
ID_HINTS = (
    ("saddle", "saddle-escape"),
    ("noise-helps", "saddle-escape"),
    ("nesterov", "momentum-overshoot"),
    ("momentum", "momentum-overshoot"),
    ("adagrad", "adagrad-stall"),
    ("rmsprop", "adagrad-stall"),
    ("weight-decay", "decoupled-decay"),
    ("l2", "decoupled-decay"),
    ("adamw", "decoupled-decay"),
    ("warmup", "warmup"),
    ("scale", "adam-scale"),
    ("adam", "adam-scale"),
)
TOPICS = {
    "momentum": "momentum-overshoot",
    "adaptive": "adagrad-stall",
    "adam": "adam-scale",
    "adamw": "decoupled-decay",
    "schedules": "warmup",
}


def experiment_for(
    item_id: str | None = None, drill_kind: str | None = None, topic: str | None = None
) -> str | None:
    """The experiment that shows a study item: by drill kind, then by what its id names,
    then by its topic; None when the lab has nothing to show for it."""
    if drill_kind and drill_kind in DRILL_KINDS:
        return DRILL_KINDS[drill_kind]
    if item_id:
        name = item_id.rsplit(".", 1)[-1].lower()
        for fragment, experiment in ID_HINTS:
            if fragment in name:
                return experiment
    if topic:
        return TOPICS.get(topic)
    return None
