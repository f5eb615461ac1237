"""Seeded random cases shared by the torch reference test and the golden-file script."""

from __future__ import annotations

from typing import Any

import numpy as np

Case = tuple[str, dict[str, Any], np.ndarray, list[np.ndarray]]

SHAPES = [(1,), (5,), (3, 4), (2, 3, 2), (17,), (40,)]
MATRIX_SHAPES = [(3, 4), (5, 2), (1, 6), (6, 1), (8, 8), (16, 6)]


def _lr(rng: np.random.Generator) -> float:
    return float(10 ** rng.uniform(-4, -0.5))


def _beta(rng: np.random.Generator, lo: float, hi: float) -> float:
    return float(rng.choice([round(rng.uniform(lo, hi), 3), rng.uniform(lo, hi)]))


def _wd(rng: np.random.Generator) -> float:
    return float(rng.choice([0.0, 0.0, 1e-2, rng.uniform(0, 0.3)]))


def random_hp(name: str, rng: np.random.Generator) -> dict[str, Any]:
    """Random but valid torch hyperparameters for ``name`` (many flags exercised)."""
    mx = bool(rng.random() < 0.3)
    betas = (_beta(rng, 0.5, 0.99), _beta(rng, 0.8, 0.9999))
    if name == "sgd":
        mom = float(rng.choice([0.0, 0.9, rng.uniform(0.1, 0.99)]))
        nest = bool(mom > 0 and rng.random() < 0.4)
        damp = 0.0 if nest else float(rng.choice([0.0, 0.0, rng.uniform(0, 0.9)]))
        return dict(
            lr=_lr(rng),
            momentum=mom,
            dampening=damp,
            weight_decay=_wd(rng),
            nesterov=nest,
            maximize=mx,
        )
    if name in ("adam", "adamw"):
        hp = dict(
            lr=_lr(rng),
            betas=betas,
            eps=float(rng.choice([1e-8, 1e-6, 1e-3])),
            weight_decay=_wd(rng),
            amsgrad=bool(rng.random() < 0.3),
            maximize=mx,
        )
        if name == "adam":
            hp["decoupled_weight_decay"] = bool(rng.random() < 0.3)
        return hp
    if name == "adagrad":
        return dict(
            lr=_lr(rng),
            lr_decay=float(rng.choice([0.0, rng.uniform(0, 0.1)])),
            weight_decay=_wd(rng),
            initial_accumulator_value=float(rng.choice([0.0, rng.uniform(0, 1)])),
            eps=float(rng.choice([1e-10, 1e-6])),
            maximize=mx,
        )
    if name == "rmsprop":
        return dict(
            lr=_lr(rng),
            alpha=_beta(rng, 0.8, 0.999),
            eps=float(rng.choice([1e-8, 1e-4])),
            weight_decay=_wd(rng),
            momentum=float(rng.choice([0.0, rng.uniform(0, 0.95)])),
            centered=bool(rng.random() < 0.5),
            maximize=mx,
        )
    if name == "nadam":
        return dict(
            lr=_lr(rng),
            betas=betas,
            eps=1e-8,
            weight_decay=_wd(rng),
            momentum_decay=float(rng.choice([4e-3, rng.uniform(0, 0.1)])),
            decoupled_weight_decay=bool(rng.random() < 0.5),
            maximize=mx,
        )
    if name == "radam":
        b2 = float(rng.choice([betas[1], rng.uniform(0.5, 0.9)]))  # small β₂ flips rectification
        return dict(
            lr=_lr(rng),
            betas=(betas[0], b2),
            eps=1e-8,
            weight_decay=_wd(rng),
            decoupled_weight_decay=bool(rng.random() < 0.5),
            maximize=mx,
        )
    if name == "adamax":
        return dict(
            lr=_lr(rng),
            betas=betas,
            eps=float(rng.choice([1e-8, 1e-3])),
            weight_decay=_wd(rng),
            maximize=mx,
        )
    if name == "adadelta":
        return dict(
            lr=float(rng.choice([1.0, rng.uniform(0.1, 2)])),
            rho=_beta(rng, 0.5, 0.99),
            eps=float(rng.choice([1e-6, 1e-3])),
            weight_decay=_wd(rng),
            maximize=mx,
        )
    if name == "lion":
        return dict(
            lr=_lr(rng),
            betas=(_beta(rng, 0.8, 0.95), _beta(rng, 0.9, 0.999)),
            weight_decay=_wd(rng),
            maximize=mx,
        )
    if name == "rprop":
        return dict(
            lr=_lr(rng),
            etas=(float(rng.uniform(0.1, 0.9)), float(rng.uniform(1.05, 2.0))),
            step_sizes=(float(rng.choice([1e-6, 1e-3])), float(rng.choice([50.0, 0.05]))),
            maximize=mx,
        )
    if name == "asgd":
        return dict(
            lr=_lr(rng),
            lambd=float(rng.choice([1e-4, rng.uniform(0, 0.5)])),
            alpha=float(rng.choice([0.75, rng.uniform(0.3, 1.0)])),
            t0=float(rng.choice([1e6, float(rng.integers(0, 10)), rng.uniform(0, 10)])),
            weight_decay=_wd(rng),
            maximize=mx,
        )
    if name == "muon":
        return dict(
            lr=_lr(rng),
            weight_decay=float(rng.choice([0.1, 0.0, rng.uniform(0, 0.3)])),
            momentum=float(rng.choice([0.95, rng.uniform(0.0, 0.99)])),
            nesterov=bool(rng.random() < 0.7),
            ns_steps=int(rng.choice([5, 5, 3, 0])),
            adjust_lr_fn=rng.choice([None, "original", "match_rms_adamw"]),
        )
    if name == "adafactor":
        return dict(
            lr=float(rng.choice([1e-2, _lr(rng), 1.5])),
            beta2_decay=float(rng.choice([-0.8, rng.uniform(-1.0, -0.1)])),
            eps=(rng.choice([None, 1e-30, 1e-3]), float(rng.choice([1e-3, 1e-5, 0.5]))),
            d=float(rng.choice([1.0, rng.uniform(1.0, 3.0)])),
            weight_decay=_wd(rng),
            maximize=mx,
        )
    raise KeyError(name)


def optim_cases(
    names: tuple[str, ...],
    per_name: int,
    seed: int = 0,
    max_steps: int = 30,
    shapes: list[tuple[int, ...]] | None = None,
) -> list[Case]:
    """``per_name`` random (name, hp, theta, grads) cases per optimizer, reproducible."""
    shapes = shapes or SHAPES
    rng = np.random.default_rng(seed)
    out: list[Case] = []
    for name in names:
        pool = MATRIX_SHAPES if name == "muon" else shapes  # Muon takes matrices only
        for _ in range(per_name):
            shape = pool[int(rng.integers(len(pool)))]
            steps = int(rng.integers(1, max_steps + 1))
            scale = float(10 ** rng.uniform(-2, 1))
            theta = rng.standard_normal(shape) * scale
            grads = [
                rng.standard_normal(shape) * float(10 ** rng.uniform(-3, 1)) for _ in range(steps)
            ]
            out.append((name, random_hp(name, rng), theta, grads))
    return out


def near_overflow_cases(names: tuple[str, ...], per_name: int, seed: int = 0) -> list[Case]:
    """Diverged runs: θ and gradients near 1e300–1e307, where the exact fma's intermediates
    would overflow (its split of |x| > 2⁹⁹⁶, a·b or p + c near the top of the range) and
    a result may itself overflow to ±inf. The first cases of each name are SGD's variants."""
    rng = np.random.default_rng(seed)
    sgd_variants = [
        {"lr": 0.1},
        {"lr": 0.05, "momentum": 0.9},
        {"lr": 0.02, "momentum": 0.9, "nesterov": True, "weight_decay": 0.01},
        {"lr": 0.3, "momentum": 0.5, "dampening": 0.2, "weight_decay": 0.1, "maximize": True},
        {"lr": 2.0, "momentum": 0.9},  # a step larger than the gradient: a·b may overflow
    ]
    out: list[Case] = []
    for name in names:
        for number in range(per_name):
            shape = (int(rng.integers(1, 8)),)
            scale = float(10 ** rng.uniform(300, 307.5))
            theta = rng.standard_normal(shape) * scale
            steps = int(rng.integers(1, 5))
            grads = [
                rng.standard_normal(shape) * scale * float(10 ** rng.uniform(-3, 0.2))
                for _ in range(steps)
            ]
            if name == "sgd" and number < len(sgd_variants):
                hp = sgd_variants[number]
            else:
                hp = random_hp(name, rng)
            out.append((name, hp, theta, grads))
    return out


def schedule_cases() -> list[tuple[str, dict[str, Any], int]]:
    """(name, keywords, n) — n = number of steps to compare (k = 0..n)."""
    c: list[tuple[str, dict[str, Any], int]] = [
        ("step", dict(base_lr=0.1, step_size=3, gamma=0.5), 40),
        ("step", dict(base_lr=0.37, step_size=1, gamma=0.9), 60),
        ("multistep", dict(base_lr=0.1, milestones=[5, 9, 9, 20], gamma=0.3), 40),
        ("multistep", dict(base_lr=0.1, milestones=[0, 0, 3], gamma=0.5), 10),
        ("multistep", dict(base_lr=0.1, milestones=[], gamma=0.5), 10),
        ("exponential", dict(base_lr=0.1, gamma=0.95), 200),
        ("exponential", dict(base_lr=3e-4, gamma=0.999), 300),
        ("cosine", dict(base_lr=0.1, T_max=100, eta_min=0.0), 350),
        ("cosine", dict(base_lr=0.05, T_max=7, eta_min=1e-3), 60),
        ("cosine", dict(base_lr=1.0, T_max=1), 10),
        ("linear", dict(base_lr=0.1), 20),
        ("linear", dict(base_lr=0.1, start_factor=0.25, end_factor=0.75, total_iters=13), 30),
        ("linear", dict(base_lr=0.2, start_factor=1.0, end_factor=0.0, total_iters=10), 20),
        ("constant", dict(base_lr=0.1), 20),
        ("constant", dict(base_lr=0.3, factor=0.5, total_iters=4), 10),
        ("constant", dict(base_lr=0.3, factor=0.5, total_iters=0), 10),
        ("polynomial", dict(base_lr=0.1), 10),
        ("polynomial", dict(base_lr=0.1, total_iters=30, power=2.0), 40),
        ("polynomial", dict(base_lr=0.01, total_iters=17, power=0.5), 40),
        ("onecycle", dict(max_lr=0.1, total_steps=100), 100),
        (
            "onecycle",
            dict(max_lr=0.01, total_steps=57, pct_start=0.25, anneal_strategy="linear"),
            57,
        ),
        (
            "onecycle",
            dict(
                max_lr=1.0,
                total_steps=40,
                three_phase=True,
                div_factor=10.0,
                final_div_factor=100.0,
            ),
            40,
        ),
        ("cosine_warm_restarts", dict(base_lr=0.1, T_0=10), 50),
        ("cosine_warm_restarts", dict(base_lr=0.1, T_0=3, T_mult=2, eta_min=0.001), 60),
        ("warmup_cosine", dict(base_lr=5e-4, num_warmup_steps=10, num_training_steps=100), 120),
        (
            "warmup_cosine",
            dict(base_lr=1e-3, num_warmup_steps=0, num_training_steps=50, num_cycles=1.5),
            60,
        ),
        ("warmup_linear", dict(base_lr=5e-5, num_warmup_steps=7, num_training_steps=60), 70),
        ("warmup_linear", dict(base_lr=0.1, num_warmup_steps=0, num_training_steps=10), 15),
        ("warmup_linear", dict(base_lr=0.1, num_warmup_steps=12, num_training_steps=10), 20),
        ("step", dict(base_lr=0.1, step_size=4, gamma=1.5), 30),
        ("polynomial", dict(base_lr=0.1, total_iters=0, power=2.0), 5),
        ("linear", dict(base_lr=0.1, start_factor=0.5, end_factor=0.5, total_iters=0), 5),
    ]
    rng = np.random.default_rng(7)
    for _ in range(24):
        name = str(
            rng.choice(
                [
                    "step",
                    "exponential",
                    "cosine",
                    "linear",
                    "polynomial",
                    "cosine_warm_restarts",
                    "warmup_cosine",
                    "onecycle",
                ]
            )
        )
        base = float(10 ** rng.uniform(-4, 0))
        if name == "step":
            kw = dict(
                base_lr=base, step_size=int(rng.integers(1, 10)), gamma=float(rng.uniform(0.1, 1))
            )
        elif name == "exponential":
            kw = dict(base_lr=base, gamma=float(rng.uniform(0.8, 1)))
        elif name == "cosine":
            kw = dict(
                base_lr=base,
                T_max=int(rng.integers(1, 60)),
                eta_min=float(base * rng.uniform(0, 0.5)),
            )
        elif name == "linear":
            kw = dict(
                base_lr=base,
                start_factor=float(rng.uniform(0.01, 1)),
                end_factor=float(rng.uniform(0, 1)),
                total_iters=int(rng.integers(0, 30)),
            )
        elif name == "polynomial":
            kw = dict(
                base_lr=base, total_iters=int(rng.integers(1, 40)), power=float(rng.uniform(0.3, 3))
            )
        elif name == "cosine_warm_restarts":
            kw = dict(
                base_lr=base,
                T_0=int(rng.integers(1, 15)),
                T_mult=int(rng.integers(1, 4)),
                eta_min=float(base * rng.uniform(0, 0.3)),
            )
        elif name == "warmup_cosine":
            n = int(rng.integers(10, 200))
            kw = dict(base_lr=base, num_warmup_steps=int(rng.integers(0, n)), num_training_steps=n)
        else:
            n = int(rng.integers(10, 200))
            kw = dict(
                max_lr=base,
                total_steps=n,
                pct_start=float(rng.uniform(0.1, 0.5)),
                three_phase=bool(rng.random() < 0.4),
                anneal_strategy=str(rng.choice(["cos", "linear"])),
            )
            c.append((name, kw, n))
            continue
        c.append((name, kw, 150))
    return c + _new_schedule_cases()


def _random_part(rng: np.random.Generator) -> tuple[str, dict[str, Any]]:
    """A random part for sequential/chained (no base_lr: parts take the outer one)."""
    name = str(
        rng.choice(
            ["step", "exponential", "cosine", "linear", "constant", "polynomial", "multiplicative",
             "warmup_linear", "cosine_warm_restarts", "cyclic", "inverse_sqrt", "multistep"]
        )
    )  # fmt: skip
    kw: dict[str, Any] = {
        "step": lambda: dict(step_size=int(rng.integers(1, 6)), gamma=float(rng.uniform(0.3, 1))),
        "exponential": lambda: dict(gamma=float(rng.uniform(0.8, 1))),
        "cosine": lambda: dict(T_max=int(rng.integers(1, 20)), eta_min=float(rng.uniform(0, 1e-4))),
        "linear": lambda: dict(
            start_factor=float(rng.uniform(0.05, 1)), total_iters=int(rng.integers(0, 10))
        ),
        "constant": lambda: dict(
            factor=float(rng.uniform(0.1, 1)), total_iters=int(rng.integers(0, 8))
        ),
        "polynomial": lambda: dict(
            total_iters=int(rng.integers(1, 15)), power=float(rng.uniform(0.5, 2))
        ),
        "multiplicative": lambda: dict(factor=float(rng.uniform(0.85, 1.05))),
        "warmup_linear": lambda: dict(
            num_warmup_steps=int(rng.integers(0, 6)), num_training_steps=int(rng.integers(6, 40))
        ),
        "cosine_warm_restarts": lambda: dict(
            T_0=int(rng.integers(1, 8)), T_mult=int(rng.integers(1, 3))
        ),
        "cyclic": lambda: dict(
            max_lr=float(rng.uniform(0.01, 1)), step_size_up=int(rng.integers(1, 6))
        ),
        "inverse_sqrt": lambda: dict(num_warmup_steps=int(rng.integers(0, 8))),
        "multistep": lambda: dict(milestones=sorted(rng.integers(0, 12, 3).tolist()), gamma=0.5),
    }[name]()
    return name, kw


def _new_schedule_cases() -> list[tuple[str, dict[str, Any], int]]:
    """Cases for multiplicative, cyclic, inverse_sqrt, sequential and chained (torch's quirks:
    a part restarting at a milestone from its closed form or from the lr it finds, parts that
    overwrite the lr in a chain, a milestone at 0, repeated milestones)."""
    lin = ("linear", {"start_factor": 0.1, "total_iters": 5})
    c: list[tuple[str, dict[str, Any], int]] = [
        ("multiplicative", dict(base_lr=0.1, factor=0.95), 100),
        ("multiplicative", dict(base_lr=0.02, factor=1.05), 30),
        ("cyclic", dict(base_lr=0.001, max_lr=0.1, step_size_up=5), 40),
        ("cyclic", dict(base_lr=0.01, max_lr=0.2, step_size_up=4, step_size_down=6, mode="triangular2"), 60),
        ("cyclic", dict(base_lr=0.01, max_lr=0.3, step_size_up=3, mode="exp_range", gamma=0.97), 50),
        ("cyclic", dict(base_lr=0.3, max_lr=0.1, step_size_up=2, step_size_down=0), 12),
        ("cyclic", dict(base_lr=1e-4, max_lr=1e-2), 4500),
        ("inverse_sqrt", dict(base_lr=1e-3, num_warmup_steps=10), 100),
        ("inverse_sqrt", dict(base_lr=5e-4, num_warmup_steps=0), 50),
        ("inverse_sqrt", dict(base_lr=0.1, num_warmup_steps=5, timescale=20), 60),
        ("sequential", dict(base_lr=0.1, schedulers=[lin, ("cosine", {"T_max": 20})], milestones=[5]), 40),
        ("sequential", dict(base_lr=0.1, schedulers=[("constant", {"factor": 0.5}), ("exponential", {"gamma": 0.9})], milestones=[3]), 15),
        ("sequential", dict(base_lr=0.1, schedulers=[("exponential", {"gamma": 0.8}), ("multiplicative", {"factor": 0.5})], milestones=[4]), 12),
        ("sequential", dict(base_lr=0.2, schedulers=[("step", {"step_size": 2}), ("cosine_warm_restarts", {"T_0": 3}), ("cyclic", {"max_lr": 0.5, "step_size_up": 2})], milestones=[3, 10]), 25),
        ("sequential", dict(base_lr=0.1, schedulers=[("exponential", {"gamma": 0.9}), ("cosine", {"T_max": 6})], milestones=[0]), 12),
        ("sequential", dict(base_lr=0.1, schedulers=[lin, ("step", {"step_size": 1, "gamma": 0.5}), ("exponential", {"gamma": 0.9})], milestones=[3, 3]), 10),
        ("sequential", dict(base_lr=0.05, schedulers=[("warmup_linear", {"num_warmup_steps": 4, "num_training_steps": 10}), ("polynomial", {"total_iters": 6, "power": 2.0})], milestones=[8]), 20),
        ("chained", dict(base_lr=0.1, schedulers=[("constant", {"factor": 0.5}), ("exponential", {"gamma": 0.9})]), 20),
        ("chained", dict(base_lr=0.1, schedulers=[("warmup_linear", {"num_warmup_steps": 5, "num_training_steps": 20}), ("exponential", {"gamma": 0.9})]), 25),
        ("chained", dict(base_lr=0.1, schedulers=[("exponential", {"gamma": 0.9}), ("warmup_linear", {"num_warmup_steps": 5, "num_training_steps": 20})]), 25),
        ("chained", dict(base_lr=0.1, schedulers=[lin, ("step", {"step_size": 3, "gamma": 0.5}), ("cosine", {"T_max": 10})]), 30),
        ("chained", dict(base_lr=0.1, schedulers=[("cyclic", {"max_lr": 0.4, "step_size_up": 3}), ("multiplicative", {"factor": 0.9})]), 20),
    ]  # fmt: skip
    rng = np.random.default_rng(8)
    for _ in range(16):
        base = float(10 ** rng.uniform(-4, 0))
        if rng.random() < 0.5:
            parts = [_random_part(rng) for _ in range(int(rng.integers(2, 4)))]
            ms = sorted(rng.integers(1, 25, len(parts) - 1).tolist())
            c.append(("sequential", dict(base_lr=base, schedulers=parts, milestones=ms), 40))
        else:
            parts = [_random_part(rng) for _ in range(int(rng.integers(2, 4)))]
            c.append(("chained", dict(base_lr=base, schedulers=parts), 40))
    for _ in range(6):
        base = float(10 ** rng.uniform(-4, 0))
        name, kw = _random_part(rng)
        if name in ("multiplicative", "cyclic", "inverse_sqrt"):
            c.append((name, dict(base_lr=base, **kw), 80))
    return c


def plateau_cases() -> list[tuple[float, dict[str, Any], list[float]]]:
    """(base_lr, ReduceLROnPlateau keywords, metric sequence): noisy losses with plateaus."""
    rng = np.random.default_rng(5)
    out: list[tuple[float, dict[str, Any], list[float]]] = [
        (0.1, {}, [1.0] * 30),
        (0.1, {"patience": 2}, [1.0, 0.9, 0.95, 0.93, 0.92, 0.91, 0.8, 0.85, 0.86, 0.87, 0.88]),
        (0.1, {"patience": 1, "cooldown": 2, "factor": 0.5}, [1.0] * 20),
        (0.1, {"patience": 0, "factor": 0.5, "min_lr": 0.02}, [1.0] * 10),
        (0.1, {"mode": "max", "patience": 1, "threshold_mode": "abs", "threshold": 0.01},
         [0.5, 0.505, 0.52, 0.521, 0.515, 0.53, 0.53, 0.53]),
        (1e-8, {"patience": 0}, [1.0, 1.0, 1.0]),  # eps: a change below 1e-8 is not made
        (0.1, {"patience": 1}, [1.0, float("nan"), 0.5, float("nan"), float("nan"), 0.4]),
    ]  # fmt: skip
    for _ in range(20):
        n = int(rng.integers(5, 80))
        walk = np.abs(1 + np.cumsum(rng.normal(-0.01, 0.03, n)))
        kw: dict[str, Any] = {
            "mode": str(rng.choice(["min", "max"])),
            "factor": float(rng.choice([0.1, 0.5, rng.uniform(0.05, 0.95)])),
            "patience": int(rng.integers(0, 8)),
            "threshold": float(rng.choice([1e-4, 1e-2, 0.0])),
            "threshold_mode": str(rng.choice(["rel", "abs"])),
            "cooldown": int(rng.integers(0, 4)),
            "min_lr": float(rng.choice([0.0, 1e-4])),
        }
        out.append((float(10 ** rng.uniform(-4, 0)), kw, np.round(walk, 3).tolist()))
    return out


ClipCase = tuple[list[np.ndarray], float, float]


def clip_cases(n: int, seed: int = 0, max_side: int = 12) -> list[ClipCase]:
    """``n`` random (grads, max_norm or clip_value, norm_type) cases: 1–4 tensors of 0–3 axes,
    gradient scales spanning 10⁻³..10², some never clipped (max_norm above the norm)."""
    rng = np.random.default_rng(seed)
    types = [2.0, 2.0, 2.0, 1.0, float("inf"), 3.0, 0.5]
    out: list[ClipCase] = []
    for i in range(n):
        grads = []
        for _ in range(int(rng.integers(1, 5))):
            shape = tuple(int(s) for s in rng.integers(1, max_side, size=int(rng.integers(0, 4))))
            grads.append(np.asarray(rng.standard_normal(shape) * 10 ** rng.uniform(-3, 2)))
        limit = float(10 ** rng.uniform(-2, 2))
        out.append((grads, limit, types[i % len(types)]))
    return out


EDGE_VALUES = (0.0, -0.0, 5e-324, -5e-324, 1e-310, -2.2e-308, 1e-300, -1e-150, 1e-20, 1e150,
               -1e200, 1.0, -1.0, 3.0)  # fmt: skip


def _edge_array(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """Normal values mixed with zeros of both signs, subnormals and huge/tiny magnitudes."""
    base = rng.standard_normal(shape) * 10 ** rng.uniform(-3, 2)
    mask = rng.random(shape) < 0.35
    return np.where(mask, rng.choice(EDGE_VALUES, size=shape), base)


def edge_optim_cases(names: tuple[str, ...], per_name: int, seed: int = 0) -> list[Case]:
    """Cases the differential fuzz found wrong (engine vs torch 2.13): θ and gradients with
    −0, subnormals and 1e±150..1e200 entries, ε = 0 or 5e-324, lr 0, β₂ = 0 or 0.999999,
    centered RMSprop with an overflowing g². β₁ (RMSprop's α) stays above ½: below it
    torch's lerp gives a zero a sign that depends on the element's position in the tensor
    (its vector and scalar loops differ on −0), which no per-element formula reproduces."""
    rng = np.random.default_rng(seed)
    out: list[Case] = []
    for name in names:
        for _ in range(per_name):
            shape = [(1,), (3,), (2, 3), (9,)][int(rng.integers(4))]
            theta = _edge_array(rng, shape)
            grads = [_edge_array(rng, shape) for _ in range(int(rng.integers(1, 5)))]
            hp = random_hp(name, rng)
            if "lr" in hp and rng.random() < 0.2:
                hp["lr"] = 0.0
            if "eps" in hp and not isinstance(hp["eps"], tuple) and rng.random() < 0.4:
                hp["eps"] = float(rng.choice([0.0, 5e-324, 1e-300]))
            if "betas" in hp and rng.random() < 0.4:
                hp["betas"] = (hp["betas"][0], float(rng.choice([0.0, 0.999999])))
            if name == "rmsprop" and rng.random() < 0.5:
                hp["centered"] = True
            out.append((name, hp, theta, grads))
    return out


EdgeClipCase = tuple[list[np.ndarray], float, float, float]


def edge_clip_cases(n: int, seed: int = 0) -> list[EdgeClipCase]:
    """(grads, max_norm, norm_type, clip_value) with −0, subnormals, 1e±200..300, inf and nan
    entries, one-element tensors (torch's norm of one element is |x|: 1e200 stays finite),
    negative and fractional p with zero entries (0^p = inf), and clip_value 0 (torch keeps −0)."""
    rng = np.random.default_rng(seed)
    specials = (0.0, -0.0, 5e-324, 1e-310, 1e-200, 1e200, 1e300, -1e300, np.inf, -np.inf, np.nan)
    types = (2.0, 1.0, np.inf, -np.inf, 0.0, 0.5, 3.0, -1.0, -2.0)
    out: list[EdgeClipCase] = []
    for i in range(n):
        grads = []
        for _ in range(int(rng.integers(1, 4))):
            shape = tuple(int(s) for s in rng.integers(1, 5, size=int(rng.integers(0, 3))))
            g = rng.standard_normal(shape) * 10 ** rng.uniform(-3, 3)
            g = np.where(rng.random(shape) < 0.3, rng.choice(specials, size=shape), g)
            grads.append(np.asarray(g, dtype=np.float64))
        limit = float(rng.choice([1.0, 1e-3, 1e300, rng.uniform(0, 10)]))
        value = float(rng.choice([0.0, 1e-3, 1.0, rng.uniform(0, 3)]))
        out.append((grads, limit, float(types[i % len(types)]), value))
    return out
