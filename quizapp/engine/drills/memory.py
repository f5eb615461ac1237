"""Memory drills: optimizer-memory (one GPU: weights, gradients, master copy and optimizer
state under fp32 / bf16 / mixed precision) and training-memory (the per-GPU share under ZeRO
stages 0–3, with Adam, 8-bit Adam, Lion or Adafactor). The byte counts are the small engine
functions below (the rules in their docstrings); drills and mistake variants call only them.
"""

from __future__ import annotations

from quizapp.engine.drills.base import DrillKind, FieldSpec, Row, StepDict, TolSpec, fmt, step
from quizapp.engine.drills.sampling import Param, Sampler

GB = 1e9
GIB = 2.0**30
PRECISIONS = ("fp32", "bf16", "mixed")
SETUP_WORDS = {
    "fp32": "pure fp32 (weights, gradients and optimizer state all fp32)",
    "bf16": "pure bf16 (weights and gradients bf16; torch allocates the optimizer state with "
    "zeros_like(p), so it is bf16 too)",
    "mixed": "standard mixed precision (bf16 weights and gradients, an fp32 master copy of the "
    "weights, fp32 optimizer state)",
}
# optimizer -> (state values per parameter, bytes per value or None for the setup's dtype)
STATE = {
    "sgd": (0, None),
    "momentum": (1, None),
    "adam": (2, None),
    "adam8bit": (2, 1),  # bitsandbytes: block-wise 8-bit m and v (the block scales are ≈ 0)
    "lion": (1, None),
    "adafactor": (0, None),  # factored v: O(rows + cols) per matrix, ≈ 0 bytes per parameter
}
OPT_WORDS = {
    "sgd": "plain SGD (no momentum)",
    "momentum": "SGD with momentum",
    "adam": "Adam",
    "adam8bit": "8-bit Adam (bitsandbytes)",
    "lion": "Lion",
    "adafactor": "Adafactor (no first moment, factored second moment)",
}


def bytes_per_param(
    precision: str,
    optimizer: str,
    *,
    gradients: bool = True,
    master: bool = True,
    state_bytes: int | None = None,
) -> dict[str, float]:
    """Bytes per parameter by part, for one full (unsharded) copy:

    weights: 4 (fp32) or 2 (bf16, mixed); gradients: the weights' dtype; master: 4 in mixed
    precision (the fp32 copy the optimizer updates), else 0; state: values × bytes, with s = 0
    (SGD, Adafactor ≈ 0), 1 (momentum, Lion), 2 (Adam: m, v) values of 4 bytes (fp32, mixed)
    or 2 (pure bf16: zeros_like(p)), and 8-bit Adam's two 1-byte values. ``gradients``,
    ``master`` and ``state_bytes`` switch parts off or override the state's dtype (the
    mistakes a learner makes)."""
    w = 4.0 if precision == "fp32" else 2.0
    values, fixed = STATE[optimizer]
    per_value = fixed or state_bytes or (2 if precision == "bf16" else 4)
    return {
        "weights": w,
        "gradients": w if gradients else 0.0,
        "master": 4.0 if precision == "mixed" and master else 0.0,
        "state": float(values * per_value),
    }


def per_gpu_bytes(parts: dict[str, float], stage: int, world_size: int) -> float:
    """Bytes per parameter on one GPU under ZeRO (Rajbhandari et al., 2020): stage 1 shards
    the optimizer state and the fp32 master copy over the w GPUs, stage 2 also the
    gradients, stage 3 also the weights; stage 0 is plain data parallelism."""
    w = float(world_size)
    return (
        parts["weights"] / (w if stage >= 3 else 1)
        + parts["gradients"] / (w if stage >= 2 else 1)
        + (parts["master"] + parts["state"]) / (w if stage >= 1 else 1)
    )


def _parts(g: Row, mistake: str | None) -> dict[str, float]:
    state_bytes = None
    if mistake == "wrong_state_dtype":  # fp32 state in pure bf16; bf16 state beside bf16 weights
        state_bytes = {"bf16": 4, "mixed": 2}.get(g["precision"])
    opt = "momentum" if mistake == "missing_second_moment" and g["optimizer"] == "adam" else None
    return bytes_per_param(
        g["precision"],
        opt or g["optimizer"],
        gradients=mistake != "forgot_gradients",
        master=mistake != "forgot_master_weights",
        state_bytes=state_bytes,
    )


N_PARAMS = Param("n_params", "N", "float", (1e8, 7e10), (1.0, 1e13), log=True)


class OptimizerMemory(DrillKind):
    """GB = N·(weights + gradients + master + state bytes)/10⁹ for one setup, on one GPU."""

    id = "optimizer-memory"
    title = "Training memory per parameter: weights, gradients, optimizer state"
    description = (
        "Bytes of weights, gradients, master copy and optimizer state for SGD, momentum or "
        "Adam in pure fp32, pure bf16 or mixed precision."
    )
    topic = "systems"
    params = (
        N_PARAMS,
        Param("optimizer", "optimizer", "choice", ("sgd", "momentum", "adam")),
        Param("precision", "setup", "choice", PRECISIONS),
        Param(
            "param_dtype",
            "dtype",
            "choice",
            ("fp32", "bf16"),
            description="the name decks used before `precision`: fp32 or (pure) bf16",
        ),
    )
    fields = (
        FieldSpec(name="bytes_per_param", label="B/param", hint="bytes per parameter, all parts"),
        FieldSpec(name="state_gb", label="state (GB)", hint="the optimizer state, GB = 10⁹ B"),
        FieldSpec(
            name="total_gb", label="total (GB)", hint="everything, GB = 10⁹ bytes", primary=True
        ),
    )
    given_order = ("n_params", "optimizer", "precision")
    labels = {"n_params": "N", "optimizer": "optimizer", "precision": "setup"}
    mistakes = (
        "forgot_gradients",
        "forgot_master_weights",
        "missing_second_moment",
        "wrong_state_dtype",
        "gib_instead_of_gb",
        "bytes_not_gb",
    )
    tolerances = {"state_gb": TolSpec(abs=1e-9)}

    def sample(self, s: Sampler) -> Row:
        n = s.float("n_params")
        return {
            "n_params": n,
            "optimizer": s.choice("optimizer"),
            "precision": s.choice("precision"),
        }

    def solve(self, g: Row, mistake: str | None = None) -> Row:
        parts = _parts(g, mistake)
        unit = {"gib_instead_of_gb": GIB, "bytes_not_gb": 1.0}.get(mistake or "", GB)
        per = sum(parts.values())
        n = g["n_params"]
        return {
            "bytes_per_param": per,
            "state_gb": n * parts["state"] / unit,
            "total_gb": n * per / unit,
            **{f"part_{k}": v for k, v in parts.items()},
        }

    def prompt(self, g: Row) -> str:
        return (
            f"A model with N = {fmt(g['n_params'])} parameters is trained with "
            f"{OPT_WORDS[g['optimizer']]} in {SETUP_WORDS[g['precision']]}. Counting weights, "
            "gradients, any master copy and the optimizer state (not activations), how many "
            "bytes per parameter is that, how many GB (10⁹ bytes) is the optimizer state, and "
            "how many GB in total?"
        )

    def convention(self, g: Row) -> list[str]:
        return [
            "pure fp32: weights 4 + gradients 4 + state 4 per value",
            "pure bf16: weights 2 + gradients 2 + state 2 per value (torch: zeros_like(p))",
            "mixed: weights 2 + gradients 2 + fp32 master 4 + state 4 per value",
            "state values per parameter: SGD 0, momentum 1 (buffer), Adam 2 (m, v)",
            "activations are not counted; 1 GB = 10⁹ bytes",
        ]

    def solution(self, g: Row, a: Row) -> list[StepDict]:
        parts = " + ".join(
            f"{fmt(a['part_' + k])} {k}"
            for k in ("weights", "gradients", "master", "state")
            if a["part_" + k]
        )
        n = fmt(g["n_params"])
        return [
            step("B/param", parts, a["bytes_per_param"]),
            step("state", f"{n} · {fmt(a['part_state'])} B / 10⁹", a["state_gb"]),
            step("total", f"{n} · {fmt(a['bytes_per_param'])} B / 10⁹", a["total_gb"]),
        ]


class TrainingMemory(DrillKind):
    """Per-GPU GB = N·(bytes per parameter after ZeRO sharding)/10⁹."""

    id = "training-memory"
    title = "Per-GPU training memory with ZeRO"
    description = (
        "Weights, gradients, master copy and optimizer state per GPU under ZeRO-0/1/2/3, for "
        "Adam, 8-bit Adam, Lion or Adafactor in fp32, bf16 or mixed precision."
    )
    topic = "systems"
    params = (
        N_PARAMS,
        Param("optimizer", "optimizer", "choice", ("adam", "adam8bit", "lion", "adafactor")),
        Param("precision", "setup", "choice", PRECISIONS),
        Param("zero_stage", "ZeRO stage", "choice", (0, 1, 2, 3)),
        Param("world_size", "GPUs", "choice", (8, 16, 32, 64)),
    )
    fields = (
        FieldSpec(name="bytes_per_param", label="B/param", hint="one full copy, all parts"),
        FieldSpec(name="gpu_bytes_per_param", label="B/param per GPU", hint="after sharding"),
        FieldSpec(name="per_gpu_gb", label="per GPU (GB)", hint="GB = 10⁹ bytes", primary=True),
    )
    given_order = ("n_params", "optimizer", "precision", "zero_stage", "world_size")
    labels = {
        "n_params": "N",
        "optimizer": "optimizer",
        "precision": "setup",
        "zero_stage": "ZeRO stage",
        "world_size": "GPUs",
    }
    mistakes = (
        "zero_shards_everything",
        "forgot_gradients",
        "forgot_master_weights",
        "wrong_state_dtype",
        "gib_instead_of_gb",
    )

    def sample(self, s: Sampler) -> Row:
        return {
            "n_params": s.float("n_params"),
            "optimizer": s.choice("optimizer"),
            "precision": s.choice("precision"),
            "zero_stage": s.choice("zero_stage"),
            "world_size": s.choice("world_size"),
        }

    def solve(self, g: Row, mistake: str | None = None) -> Row:
        parts = _parts(g, mistake)
        stage = 3 if mistake == "zero_shards_everything" else g["zero_stage"]
        gpu = per_gpu_bytes(parts, stage, g["world_size"])
        unit = GIB if mistake == "gib_instead_of_gb" else GB
        return {
            "bytes_per_param": sum(parts.values()),
            "gpu_bytes_per_param": gpu,
            "per_gpu_gb": g["n_params"] * gpu / unit,
            **{f"part_{k}": v for k, v in parts.items()},
        }

    def prompt(self, g: Row) -> str:
        return (
            f"A model with N = {fmt(g['n_params'])} parameters is trained with "
            f"{OPT_WORDS[g['optimizer']]} in {SETUP_WORDS[g['precision']]}, data-parallel on "
            f"{g['world_size']} GPUs with ZeRO stage {g['zero_stage']}. Counting weights, "
            "gradients, any master copy and the optimizer state (not activations): how many "
            "bytes per parameter is one full copy, how many bytes per parameter does each GPU "
            "hold, and how many GB (10⁹ bytes) per GPU is that?"
        )

    def convention(self, g: Row) -> list[str]:
        return [
            "weights and gradients: 4 B (fp32) or 2 B (bf16, mixed); mixed adds a 4 B fp32 master",
            "state per parameter: Adam 2 values, Lion 1, 8-bit Adam 2 × 1 B, Adafactor ≈ 0; "
            "a value is 4 B (fp32, mixed) or 2 B (pure bf16: zeros_like(p))",
            "ZeRO-1 shards master + state over the GPUs, ZeRO-2 also the gradients, ZeRO-3 "
            "also the weights; ZeRO-0 = every GPU holds everything",
            "activations and buffers are not counted; 1 GB = 10⁹ bytes",
        ]

    def solution(self, g: Row, a: Row) -> list[StepDict]:
        w, stage = g["world_size"], g["zero_stage"]
        names = {"weights": 3, "gradients": 2, "master": 1, "state": 1}
        full = " + ".join(f"{fmt(a['part_' + k])} {k}" for k in names if a["part_" + k])
        shard = " + ".join(
            (f"{fmt(a['part_' + k])}/{w}" if stage >= names[k] else fmt(a["part_" + k]))
            for k in names
            if a["part_" + k]
        )
        return [
            step("B/param", full, a["bytes_per_param"]),
            step("per GPU", f"ZeRO-{stage}: {shard}", a["gpu_bytes_per_param"]),
            step(
                "GB per GPU",
                f"{fmt(g['n_params'])} · {fmt(a['gpu_bytes_per_param'])} B / 10⁹",
                a["per_gpu_gb"],
            ),
        ]
