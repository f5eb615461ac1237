"""Training-loop arithmetic drills: steps-per-epoch, linear-scaling (SGD), sqrt-scaling (Adam)
and effective-batch (micro-batch × accumulation × world size). Each has its own small engine
function here (the equation in its docstring); the drills and their mistake variants call
only these functions."""

from __future__ import annotations

import math

from quizapp.engine.drills.base import EXACT_INT, DrillKind, FieldSpec, Row, StepDict, fmt, step
from quizapp.engine.drills.sampling import Param, Sampler, round_sig

BATCHES = (8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192)
MAX_BATCH_RATIO = 16  # a batch-size change a run survives with a rescaled lr (Goyal: 32×, tuned)
MIN_STEPS_PER_EPOCH = 10


# ---- engine functions -------------------------------------------------------------------
def steps_per_epoch(dataset_size: int, batch_size: int, drop_last: bool) -> int:
    """Optimizer steps in one epoch of a torch DataLoader: ⌈N/B⌉, or ⌊N/B⌋ with drop_last."""
    return dataset_size // batch_size if drop_last else -(-dataset_size // batch_size)


def scaled_lr(lr: float, batch_size: float, new_batch_size: float, rule: str) -> float:
    """The lr for a new batch size: η·B'/B (``rule="linear"``, Goyal et al. 2017, for SGD) or
    η·√(B'/B) (``rule="sqrt"``, the usual heuristic for Adam)."""
    ratio = new_batch_size / batch_size
    return lr * (math.sqrt(ratio) if rule == "sqrt" else ratio)


def effective_batch(micro_batch: int, accumulation: int, world_size: int) -> int:
    """Examples per optimizer step under DDP with gradient accumulation: B = b·a·w (the step
    averages their gradients: DDP's all-reduce averages over the w ranks, a loss divided by a
    averages over the a micro-batches)."""
    return micro_batch * accumulation * world_size


def examples_per_rank(dataset_size: int, world_size: int, drop_last: bool) -> int:
    """Examples a DistributedSampler gives each of the w ranks per epoch: ⌊N/w⌋ with
    drop_last=True (the tail is dropped), ⌈N/w⌉ with drop_last=False (the default: it pads
    every rank to the same length by repeating examples)."""
    return dataset_size // world_size if drop_last else -(-dataset_size // world_size)


def ddp_steps_per_epoch(
    dataset_size: int, micro_batch: int, accumulation: int, world_size: int
) -> int:
    """Optimizer steps per epoch with DistributedSampler(drop_last=True), a DataLoader with
    drop_last=True and one step every a micro-batches: ⌊⌊⌊N/w⌋/b⌋/a⌋ = ⌊N/(b·a·w)⌋."""
    per_rank = examples_per_rank(dataset_size, world_size, drop_last=True)
    return steps_per_epoch(per_rank, micro_batch, drop_last=True) // accumulation


# ---- steps per epoch --------------------------------------------------------------------
class StepsPerEpoch(DrillKind):
    """steps/epoch = ⌈N/B⌉ (⌊N/B⌋ with drop_last), total = epochs · steps/epoch."""

    id = "steps-per-epoch"
    title = "Steps per epoch and total steps"
    description = "How many optimizer steps a DataLoader gives per epoch and over a run."
    topic = "training-loop"
    params = (
        Param("dataset_size", "N", "int", (10_000, 2_000_000), (1, 10**12), log=True),
        Param("batch_size", "B", "choice", BATCHES[1:8], BATCHES),
        Param("epochs", "epochs", "int", (2, 100), (1, 100_000)),
        Param("drop_last", "drop_last", "bool", (False, True)),
    )
    fields = (
        FieldSpec(name="steps_per_epoch", label="steps/epoch", hint="optimizer steps in one epoch"),
        FieldSpec(
            name="total_steps", label="total steps", hint="steps over all epochs", primary=True
        ),
    )
    given_order = ("dataset_size", "batch_size", "drop_last", "epochs")
    labels = {"dataset_size": "N", "batch_size": "B", "drop_last": "drop_last", "epochs": "epochs"}
    mistakes = ("floor_instead_of_ceil", "ceil_instead_of_floor")
    tolerances = {"steps_per_epoch": EXACT_INT, "total_steps": EXACT_INT}

    def sample(self, s: Sampler) -> Row:
        n = s.int("dataset_size")
        if not s.fixed("dataset_size"):
            n = max(int(round_sig(n, 3)), 1)  # 50,000 not 49,731
        return {
            "dataset_size": n,
            "batch_size": s.choice("batch_size"),
            "drop_last": s.choice("drop_last"),
            "epochs": s.int("epochs"),
        }

    def solve(self, g: Row, mistake: str | None = None) -> Row:
        drop = {"floor_instead_of_ceil": True, "ceil_instead_of_floor": False}.get(
            mistake or "", g["drop_last"]
        )
        spe = steps_per_epoch(g["dataset_size"], g["batch_size"], drop)
        return {
            "steps_per_epoch": float(spe),
            "total_steps": float(spe * g["epochs"]),
            "quotient": g["dataset_size"] / g["batch_size"],
        }

    def acceptable(self, g: Row, a: Row) -> bool:
        # the convention only matters when the last batch is partial; an epoch of ≥ 10 steps
        n, b = g["dataset_size"], g["batch_size"]
        return n % b != 0 and n >= MIN_STEPS_PER_EPOCH * b

    def unrounded(self, g: Row, a: Row) -> dict[str, tuple[float, str]]:
        q, epochs, spe = a["quotient"], g["epochs"], int(a["steps_per_epoch"])
        op, rule = (
            ("⌊N/B⌋", "drop_last=True drops the last partial batch")
            if g["drop_last"]
            else ("⌈N/B⌉", "drop_last=False keeps the last partial batch as a step")
        )
        total = fmt(int(a["total_steps"]))
        return {
            "steps_per_epoch": (
                q,
                f"N/B = {fmt(q, 12)} is not a whole number of steps: {rule}, so {op} = {fmt(spe)}.",
            ),
            "total_steps": (
                epochs * q,
                f"{epochs} · N/B = {fmt(epochs * q, 12)} is not a whole number of steps: "
                f"{rule}, so each epoch has {op} = {fmt(spe)} steps and the run "
                f"{epochs} · {fmt(spe)} = {total}.",
            ),
        }

    def prompt(self, g: Row) -> str:
        return (
            f"A DataLoader serves a dataset of N = {fmt(g['dataset_size'])} examples in batches "
            f"of B = {g['batch_size']} with drop_last={g['drop_last']}. How many optimizer steps "
            f"are there per epoch, and in total over {g['epochs']} epochs?"
        )

    def convention(self, g: Row) -> list[str]:
        return [
            "one optimizer step per batch",
            "drop_last=False: steps/epoch = ⌈N/B⌉ (the last, partial batch is still a step)",
            "drop_last=True: steps/epoch = ⌊N/B⌋ (the partial batch is dropped)",
            "total steps = epochs · steps/epoch",
        ]

    def solution(self, g: Row, a: Row) -> list[StepDict]:
        op = "⌊N/B⌋" if g["drop_last"] else "⌈N/B⌉"
        return [
            step("N/B", f"{fmt(g['dataset_size'])}/{g['batch_size']}", a["quotient"]),
            step("steps/epoch", f"{op} (drop_last={g['drop_last']})", a["steps_per_epoch"]),
            step(
                "total steps",
                f"{g['epochs']} · {fmt(int(a['steps_per_epoch']))}",
                a["total_steps"],
            ),
        ]


# ---- batch-size scaling -----------------------------------------------------------------
class BatchScaling(DrillKind):
    """η' = η·B'/B for SGD (linear-scaling) or η·√(B'/B) for Adam (sqrt-scaling)."""

    topic = "learning-rate"
    # SGD at 0.01…0.2 (linear rule), Adam at 1e-4…3e-3 (√ rule); batches 32…1024 → 32…8192
    SGD_LR = Param("lr", "η", "float", (0.01, 0.2), (1e-8, 10.0), log=True, open_low=True)
    ADAM_LR = Param("lr", "η", "float", (1e-4, 3e-3), (1e-8, 10.0), log=True, open_low=True)
    BATCH = Param("batch_size", "B", "choice", BATCHES[2:8], BATCHES)
    NEW_BATCH = Param(
        "new_batch_size",
        "B'",
        "choice",
        BATCHES[2:],
        BATCHES,
        description="drawn at most 16× from B (either way) unless a deck fixes it",
    )
    fields = (
        FieldSpec(name="factor", label="B'/B", hint="the batch-size ratio"),
        FieldSpec(name="new_lr", label="η'", hint="the scaled learning rate", primary=True),
    )
    given_order = ("lr", "batch_size", "new_batch_size")
    labels = {"lr": "η", "batch_size": "B", "new_batch_size": "B'"}

    def __init__(self, rule: str) -> None:
        self.rule = rule
        lr = self.SGD_LR if rule == "linear" else self.ADAM_LR
        self.params = (lr, self.BATCH, self.NEW_BATCH)
        if rule == "linear":
            self.id = "linear-scaling"
            self.title = "Linear learning-rate scaling (SGD)"
            self.description = (
                "The SGD learning rate after a batch-size change, by the linear scaling rule."
            )
            self.mistakes = ("inverse_scaling", "sqrt_scaling")
        else:
            self.id = "sqrt-scaling"
            self.title = "Square-root learning-rate scaling (Adam)"
            self.description = (
                "The Adam learning rate after a batch-size change, by the square-root rule."
            )
            self.mistakes = ("inverse_scaling", "linear_scaling")
        self.must_distinguish = self.mistakes

    def sample(self, s: Sampler) -> Row:
        b = s.choice("batch_size")
        new = s.choice(
            "new_batch_size",
            where=lambda x: x != b and b <= x * MAX_BATCH_RATIO and x <= b * MAX_BATCH_RATIO,
        )
        return {"lr": s.float("lr"), "batch_size": b, "new_batch_size": new}

    def solve(self, g: Row, mistake: str | None = None) -> Row:
        b, nb = g["batch_size"], g["new_batch_size"]
        rule = {"sqrt_scaling": "sqrt", "linear_scaling": "linear"}.get(mistake or "", self.rule)
        if mistake == "inverse_scaling":
            b, nb = nb, b
        return {"factor": nb / b, "new_lr": scaled_lr(g["lr"], b, nb, rule)}

    def acceptable(self, g: Row, a: Row) -> bool:
        return g["batch_size"] != g["new_batch_size"]

    def prompt(self, g: Row) -> str:
        if self.rule == "linear":
            setup, rule = "with SGD + momentum", "the linear scaling rule"
        else:
            setup, rule = "with Adam", "the square-root scaling rule"
        return (
            f"A model trains well {setup} at batch size B = {g['batch_size']} and learning rate "
            f"η = {fmt(g['lr'])}. You change the batch size to B' = {g['new_batch_size']}. "
            f"What learning rate η' does {rule} give?"
        )

    def convention(self, g: Row) -> list[str]:
        if self.rule == "linear":
            return [
                "linear scaling rule for SGD (Goyal et al., 2017): η' = η · B'/B",
                "(with a gradual warmup for large batches; not asked)",
                "past the critical batch size no rule keeps the gain",
            ]
        return [
            "square-root scaling, the usual heuristic for Adam: η' = η · √(B'/B)",
            "(the noise of the gradient estimate scales like 1/√B)",
            "past the critical batch size no rule keeps the gain",
        ]

    def solution(self, g: Row, a: Row) -> list[StepDict]:
        ratio = step("B'/B", f"{g['new_batch_size']}/{g['batch_size']}", a["factor"])
        if self.rule == "linear":
            expr = f"η · B'/B = {fmt(g['lr'])} · {fmt(a['factor'])}"
        else:
            expr = f"η · √(B'/B) = {fmt(g['lr'])} · √{fmt(a['factor'])}"
        return [ratio, step("η'", expr, a["new_lr"])]


# ---- effective batch ----------------------------------------------------------------------
class EffectiveBatch(DrillKind):
    """B = micro-batch · accumulation · world size (a step averages B examples' gradients);
    steps/epoch = ⌊⌊N/w⌋/(b·a)⌋ = ⌊N/B⌋; η = η_ref·B/B_ref."""

    id = "effective-batch"
    title = "Effective batch with accumulation and DDP"
    description = (
        "Micro-batch × gradient-accumulation steps × GPUs: the effective batch, optimizer "
        "steps per epoch and the linearly scaled lr."
    )
    topic = "training-loop"
    params = (
        Param("micro_batch", "b", "choice", (4, 8, 16, 32, 64)),
        # the drill is about accumulation: a ≥ 2 by default (a deck may pick 1)
        Param("accumulation", "a", "choice", (2, 4, 8, 16), (1, 2, 4, 8, 16, 32)),
        Param("world_size", "w", "choice", (2, 4, 8, 16, 32, 64)),
        Param("dataset_size", "N", "int", (100_000, 20_000_000), (1, 10**12), log=True),
        Param("ref_lr", "η_ref", "float", (0.05, 0.2), (1e-8, 10.0), sig=1, open_low=True),
        Param("ref_batch", "B_ref", "choice", (256,)),
    )
    fields = (
        FieldSpec(name="effective_batch", label="B", hint="examples per optimizer step"),
        FieldSpec(
            name="steps_per_epoch",
            label="steps/epoch",
            hint="optimizer steps per epoch",
            primary=True,
        ),
        FieldSpec(name="lr", label="η", hint="the linearly scaled learning rate"),
    )
    given_order = (
        "micro_batch",
        "accumulation",
        "world_size",
        "dataset_size",
        "ref_lr",
        "ref_batch",
    )
    labels = {
        "micro_batch": "micro-batch b",
        "accumulation": "accumulation a",
        "world_size": "GPUs w",
        "dataset_size": "N",
        "ref_lr": "η_ref",
        "ref_batch": "B_ref",
    }
    tolerances = {"effective_batch": EXACT_INT, "steps_per_epoch": EXACT_INT}
    mistakes = ("forgot_world_size", "forgot_accumulation", "sqrt_scaling")
    must_distinguish = ("forgot_world_size", "forgot_accumulation")

    def sample(self, s: Sampler) -> Row:
        n = s.int("dataset_size")
        if not s.fixed("dataset_size"):
            n = int(round_sig(n, 3))
        # the linear rule holds up to a few thousand (Goyal et al.: 8k with warmup): the
        # effective batch stays within 16× of the recipe's, either way, and differs from it
        b, ref = s.choice("micro_batch"), s.choice("ref_batch")
        w = s.choice("world_size", where=lambda w: 2 * b * w <= ref * MAX_BATCH_RATIO)

        def realistic(a: int) -> bool:
            batch = b * a * w
            return (
                batch != ref and ref <= batch * MAX_BATCH_RATIO and batch <= ref * MAX_BATCH_RATIO
            )

        return {
            "micro_batch": b,
            "accumulation": s.choice("accumulation", where=realistic),
            "world_size": w,
            "dataset_size": n,
            "ref_lr": s.float("ref_lr"),
            "ref_batch": ref,
        }

    def solve(self, g: Row, mistake: str | None = None) -> Row:
        acc = 1 if mistake == "forgot_accumulation" else g["accumulation"]
        world = 1 if mistake == "forgot_world_size" else g["world_size"]
        b = effective_batch(g["micro_batch"], acc, world)
        rule = "sqrt" if mistake == "sqrt_scaling" else "linear"
        steps = ddp_steps_per_epoch(g["dataset_size"], g["micro_batch"], acc, world)
        return {
            "effective_batch": float(b),
            "per_rank": float(examples_per_rank(g["dataset_size"], world, drop_last=True)),
            "steps_per_epoch": float(steps),
            "lr": scaled_lr(g["ref_lr"], g["ref_batch"], b, rule),
        }

    def acceptable(self, g: Row, a: Row) -> bool:
        return (
            a["steps_per_epoch"] >= MIN_STEPS_PER_EPOCH and a["effective_batch"] != g["ref_batch"]
        )

    def prompt(self, g: Row) -> str:
        return (
            f"A ResNet is trained with SGD + momentum under DDP on w = {g['world_size']} GPUs, "
            f"micro-batch b = {g['micro_batch']} per GPU and a = {g['accumulation']} gradient-"
            f"accumulation steps, on N = {fmt(g['dataset_size'])} images. The recipe's lr is "
            f"η_ref = {fmt(g['ref_lr'])} at batch {g['ref_batch']}. What are the effective "
            "batch, the optimizer steps per epoch and the lr by the linear scaling rule?"
        )

    def convention(self, g: Row) -> list[str]:
        return [
            "effective batch B = b · a · w: one optimizer step averages the gradients of B "
            "examples (DDP's all-reduce averages over the w ranks; the loss divided by a "
            "averages over the a accumulated micro-batches)",
            "DistributedSampler(drop_last=True): each rank gets ⌊N/w⌋ examples (the default "
            "drop_last=False pads every rank to ⌈N/w⌉ by repeating examples)",
            "DataLoader(drop_last=True), one step every a micro-batches: "
            "steps/epoch = ⌊⌊N/w⌋/(b·a)⌋ = ⌊N/B⌋",
            "linear scaling rule for SGD (Goyal et al., 2017): η = η_ref · B/B_ref",
        ]

    def unrounded(self, g: Row, a: Row) -> dict[str, tuple[float, str]]:
        b = int(a["effective_batch"])
        q = g["dataset_size"] / b
        return {
            "steps_per_epoch": (
                q,
                f"N/B = {fmt(q, 12)} is not a whole number of steps: the sampler and the "
                f"DataLoader (drop_last=True) drop the partial batches, so "
                f"⌊N/B⌋ = {fmt(int(a['steps_per_epoch']))}.",
            )
        }

    def solution(self, g: Row, a: Row) -> list[StepDict]:
        b = fmt(int(a["effective_batch"]))
        return [
            step(
                "B",
                f"{g['micro_batch']} · {g['accumulation']} · {g['world_size']}",
                a["effective_batch"],
            ),
            step("per rank", f"⌊{fmt(g['dataset_size'])}/{g['world_size']}⌋", a["per_rank"]),
            step(
                "steps/epoch",
                f"⌊{fmt(int(a['per_rank']))}/({g['micro_batch']} · {g['accumulation']})⌋ "
                f"= ⌊{fmt(g['dataset_size'])}/{b}⌋",
                a["steps_per_epoch"],
            ),
            step("η", f"{fmt(g['ref_lr'])} · {b}/{g['ref_batch']}", a["lr"]),
        ]
