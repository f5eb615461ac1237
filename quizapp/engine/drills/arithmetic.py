"""Plain-arithmetic drills: steps per epoch, linear lr scaling, optimizer memory. Each has its
own small engine function here (the equation in its docstring); the drills and their mistake
variants call only these functions."""

from __future__ import annotations

import numpy as np

from quizapp.engine.drills.base import (
    EXACT_INT,
    Arrays,
    DrillKind,
    Row,
    StepDict,
    TolSpec,
    fmt,
    register,
    step,
)
from quizapp.engine.drills.models import AnswerField
from quizapp.engine.drills.sampling import Param, Sampler, round_sig

BATCHES = (8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096)


# ---- engine functions -------------------------------------------------------------------
def steps_per_epoch(
    dataset_size: np.ndarray, batch_size: np.ndarray, drop_last: np.ndarray
) -> np.ndarray:
    """Optimizer steps in one epoch of a torch DataLoader: ⌈N/B⌉, or ⌊N/B⌋ with drop_last."""
    n = np.asarray(dataset_size, dtype=np.int64)
    b = np.asarray(batch_size, dtype=np.int64)
    return np.where(np.asarray(drop_last, dtype=bool), n // b, -(-n // b)).astype(np.float64)


def linear_scaled_lr(
    lr: np.ndarray, batch_size: np.ndarray, new_batch_size: np.ndarray
) -> np.ndarray:
    """The linear scaling rule (Goyal et al. 2017): η' = η · B'/B."""
    return np.asarray(lr, dtype=np.float64) * np.asarray(new_batch_size) / np.asarray(batch_size)


STATE_VALUES = {"sgd": 0, "momentum": 1, "adam": 2}  # fp32 values kept per parameter
DTYPE_BYTES = {"fp32": 4, "bf16": 2, "fp16": 2}


def optimizer_memory_bytes(
    n_params: np.ndarray, optimizer: np.ndarray, param_dtype: np.ndarray, state_bytes: int = 4
) -> tuple[np.ndarray, np.ndarray]:
    """(parameter bytes, optimizer-state bytes) = (N·bytes(dtype), N·s·state_bytes) with s = 0
    for SGD, 1 for SGD+momentum (the buffer), 2 for Adam (m and v); state in fp32 by default."""
    n = np.asarray(n_params, dtype=np.float64)
    pb = np.array(
        [DTYPE_BYTES[d] for d in np.asarray(param_dtype, dtype=object).ravel()], dtype=np.float64
    )
    sv = np.array(
        [STATE_VALUES[o] for o in np.asarray(optimizer, dtype=object).ravel()], dtype=np.float64
    )
    sb = np.asarray(state_bytes, dtype=np.float64)
    return n * pb.reshape(n.shape), n * sv.reshape(n.shape) * sb


# ---- steps per epoch --------------------------------------------------------------------
@register
class StepsPerEpoch(DrillKind):
    """steps/epoch = ⌈N/B⌉ (⌊N/B⌋ with drop_last), total = epochs · steps/epoch."""

    id = "steps-per-epoch"
    title = "Steps per epoch and total steps"
    description = "How many optimizer steps a DataLoader gives per epoch and over a run."
    topic = "training-loop"
    params = (
        Param("dataset_size", "N", "int", (1000, 2_000_000), (1, 10**12), log=True),
        Param("batch_size", "B", "choice", BATCHES),
        Param("epochs", "epochs", "int", (2, 100), (1, 100_000)),
        Param("drop_last", "drop_last", "bool", (False, True)),
    )
    fields = (
        AnswerField(
            name="steps_per_epoch", label="steps/epoch", hint="optimizer steps in one epoch"
        ),
        AnswerField(
            name="total_steps", label="total steps", hint="steps over all epochs", primary=True
        ),
    )
    primary = "total_steps"
    given_order = ("dataset_size", "batch_size", "drop_last", "epochs")
    labels = {"dataset_size": "N", "batch_size": "B", "drop_last": "drop_last", "epochs": "epochs"}
    int_inputs = frozenset({"dataset_size", "batch_size", "epochs"})
    bool_inputs = frozenset({"drop_last"})
    mistakes = ("floor_instead_of_ceil", "ceil_instead_of_floor")
    tolerances = {"steps_per_epoch": EXACT_INT, "total_steps": EXACT_INT}

    def sample(self, s: Sampler) -> Arrays:
        n = s.int("dataset_size")
        if "dataset_size" not in s.overrides or isinstance(s.overrides["dataset_size"], list):
            n = np.maximum(round_sig(n, 3), 1).astype(np.int64)  # 50,000 not 49,731
        return {
            "dataset_size": n,
            "batch_size": s.choice("batch_size").astype(np.int64),
            "drop_last": s.choice("drop_last").astype(bool),
            "epochs": s.int("epochs"),
        }

    def solve(self, g: Arrays, mistake: str | None = None) -> Arrays:
        drop = np.asarray(g["drop_last"], dtype=bool)
        if mistake == "floor_instead_of_ceil":
            drop = np.ones_like(drop)
        elif mistake == "ceil_instead_of_floor":
            drop = np.zeros_like(drop)
        spe = steps_per_epoch(g["dataset_size"], g["batch_size"], drop)
        return {
            "steps_per_epoch": spe,
            "total_steps": spe * np.asarray(g["epochs"], dtype=np.float64),
            "quotient": np.asarray(g["dataset_size"]) / np.asarray(g["batch_size"]),
        }

    def acceptable(self, g: Arrays, a: Arrays) -> np.ndarray:
        # the convention only matters when the last batch is partial; at least one full batch
        n, b = np.asarray(g["dataset_size"]), np.asarray(g["batch_size"])
        return (n % b != 0) & (n > b)

    def prompt(self, g: Row) -> str:
        return (
            f"A DataLoader serves a dataset of N = {fmt(g['dataset_size'])} examples in batches of "
            f"B = {g['batch_size']} with drop_last={g['drop_last']}. How many optimizer steps are "
            f"there per epoch, and in total over {g['epochs']} epochs?"
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
            step(
                label="N/B",
                expression=f"{fmt(g['dataset_size'])}/{g['batch_size']}",
                value=a["quotient"],
            ),
            step(
                label="steps/epoch",
                expression=f"{op} (drop_last={g['drop_last']})",
                value=a["steps_per_epoch"],
            ),
            step(
                label="total steps",
                expression=f"{g['epochs']} · {fmt(int(a['steps_per_epoch']))}",
                value=a["total_steps"],
            ),
        ]


# ---- linear scaling ---------------------------------------------------------------------
@register
class LinearScaling(DrillKind):
    """η' = η · B'/B (the linear scaling rule)."""

    id = "linear-scaling"
    title = "Linear learning-rate scaling"
    description = "The new learning rate after a batch-size change, by the linear scaling rule."
    topic = "learning-rate"
    params = (
        Param("lr", "η", "float", (1e-4, 0.3), (1e-8, 10.0), log=True, open_low=True),
        Param("batch_size", "B", "choice", BATCHES[:8]),
        Param("new_batch_size", "B'", "choice", BATCHES),
    )
    fields = (
        AnswerField(name="factor", label="B'/B", hint="the batch-size ratio"),
        AnswerField(name="new_lr", label="η'", hint="the scaled learning rate", primary=True),
    )
    primary = "new_lr"
    given_order = ("lr", "batch_size", "new_batch_size")
    labels = {"lr": "η", "batch_size": "B", "new_batch_size": "B'"}
    int_inputs = frozenset({"batch_size", "new_batch_size"})
    mistakes = ("inverse_scaling", "sqrt_scaling")
    must_distinguish = ("inverse_scaling", "sqrt_scaling")

    def sample(self, s: Sampler) -> Arrays:
        return {
            "lr": s.float("lr"),
            "batch_size": s.choice("batch_size").astype(np.int64),
            "new_batch_size": s.choice("new_batch_size").astype(np.int64),
        }

    def solve(self, g: Arrays, mistake: str | None = None) -> Arrays:
        b, nb = (
            np.asarray(g["batch_size"], dtype=np.float64),
            np.asarray(g["new_batch_size"], dtype=np.float64),
        )
        factor = nb / b
        if mistake == "inverse_scaling":
            new = linear_scaled_lr(g["lr"], nb, b)
        elif mistake == "sqrt_scaling":
            new = np.asarray(g["lr"]) * np.sqrt(factor)
        else:
            new = linear_scaled_lr(g["lr"], b, nb)
        return {"factor": factor, "new_lr": new}

    def acceptable(self, g: Arrays, a: Arrays) -> np.ndarray:
        return np.asarray(g["batch_size"]) != np.asarray(g["new_batch_size"])

    def prompt(self, g: Row) -> str:
        return (
            f"A model trains well with batch size B = {g['batch_size']} and learning rate "
            f"η = {fmt(g['lr'])}. You change the batch size to B' = {g['new_batch_size']}. "
            "What learning rate η' does the linear scaling rule give?"
        )

    def convention(self, g: Row) -> list[str]:
        return ["linear scaling rule (Goyal et al., 2017): η' = η · B'/B", "(warmup not asked)"]

    def solution(self, g: Row, a: Row) -> list[StepDict]:
        return [
            step(
                label="B'/B",
                expression=f"{g['new_batch_size']}/{g['batch_size']}",
                value=a["factor"],
            ),
            step(
                label="η'",
                expression=f"η · B'/B = {fmt(g['lr'])} · {fmt(a['factor'])}",
                value=a["new_lr"],
            ),
        ]


# ---- optimizer memory -------------------------------------------------------------------
@register
class OptimizerMemory(DrillKind):
    """GB = N·(bytes(dtype) + s·4)/10⁹ with s = 0 (SGD), 1 (momentum), 2 (Adam)."""

    id = "optimizer-memory"
    title = "Optimizer memory"
    description = "Bytes of parameters plus optimizer state: SGD vs momentum vs Adam, fp32 vs bf16."
    topic = "systems"
    params = (
        Param("n_params", "N", "float", (1e6, 7e10), (1.0, 1e13), log=True),
        Param("optimizer", "optimizer", "choice", ("sgd", "momentum", "adam")),
        Param("param_dtype", "dtype", "choice", ("fp32", "bf16")),
    )
    fields = (
        AnswerField(name="param_gb", label="parameters (GB)", hint="GB = 10⁹ bytes"),
        AnswerField(name="state_gb", label="optimizer state (GB)", hint="GB = 10⁹ bytes"),
        AnswerField(
            name="total_gb",
            label="total (GB)",
            hint="parameters + state, GB = 10⁹ bytes",
            primary=True,
        ),
    )
    primary = "total_gb"
    given_order = ("n_params", "optimizer", "param_dtype")
    labels = {"n_params": "N", "optimizer": "optimizer", "param_dtype": "parameter dtype"}
    str_inputs = frozenset({"optimizer", "param_dtype"})
    mistakes = (
        "state_in_param_dtype",
        "missing_second_moment",
        "gib_instead_of_gb",
        "bytes_not_gb",
    )
    tolerances = {"state_gb": TolSpec(abs=1e-9)}

    def sample(self, s: Sampler) -> Arrays:
        return {
            "n_params": s.float("n_params"),
            "optimizer": s.choice("optimizer"),
            "param_dtype": s.choice("param_dtype"),
        }

    def solve(self, g: Arrays, mistake: str | None = None) -> Arrays:
        opt = np.asarray(g["optimizer"], dtype=object)
        dtype = np.asarray(g["param_dtype"], dtype=object)
        state_bytes: np.ndarray | int = 4
        if mistake == "state_in_param_dtype":
            state_bytes = np.array([DTYPE_BYTES[d] for d in dtype])
        if mistake == "missing_second_moment":
            opt = np.where(opt == "adam", "momentum", opt).astype(object)
        pbytes, sbytes = optimizer_memory_bytes(g["n_params"], opt, dtype, state_bytes)
        unit = {"gib_instead_of_gb": 2.0**30, "bytes_not_gb": 1.0}.get(mistake or "", 1e9)
        return {
            "param_gb": pbytes / unit,
            "state_gb": sbytes / unit,
            "total_gb": (pbytes + sbytes) / unit,
            "bytes_per_param": (pbytes + sbytes) / np.asarray(g["n_params"], dtype=np.float64),
        }

    def prompt(self, g: Row) -> str:
        opt = {"sgd": "plain SGD (no momentum)", "momentum": "SGD with momentum", "adam": "Adam"}[
            g["optimizer"]
        ]
        return (
            f"A model has N = {fmt(g['n_params'])} parameters stored in {g['param_dtype']} and is "
            f"trained with {opt}. How many GB (10⁹ bytes) do the parameters plus the optimizer "
            "state take?"
        )

    def convention(self, g: Row) -> list[str]:
        return [
            "parameters: N · (4 bytes fp32 | 2 bytes bf16)",
            "optimizer state kept in fp32, 4 bytes per value: SGD 0, momentum 1 (buffer), Adam 2 (m, v) values per parameter",
            "gradients, activations and any fp32 master copy are not counted",
            "1 GB = 10⁹ bytes",
        ]

    def solution(self, g: Row, a: Row) -> list[StepDict]:
        pb = DTYPE_BYTES[g["param_dtype"]]
        sv = STATE_VALUES[g["optimizer"]]
        return [
            step(
                label="parameters",
                expression=f"{fmt(g['n_params'])} · {pb} B / 10⁹",
                value=a["param_gb"],
            ),
            step(
                label="optimizer state",
                expression=f"{fmt(g['n_params'])} · {sv} · 4 B / 10⁹",
                value=a["state_gb"],
            ),
            step(
                label="total",
                expression=f"{fmt(a['bytes_per_param'])} B per parameter",
                value=a["total_gb"],
            ),
        ]
