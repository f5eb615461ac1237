"""schedules_batch.evaluate (per-row hyperparameters) equals the scalar schedules bit for bit;
the scalar Schedule gives the same values however its replay cache grew."""

from __future__ import annotations

import numpy as np
import pytest

from quizapp.engine import schedules, schedules_batch


def _sig(x: np.ndarray, digits: int) -> np.ndarray:
    return np.array([float(f"{v:.{digits}g}") for v in x])


def _cases(n: int, rng: np.random.Generator) -> dict[str, tuple[np.ndarray, dict]]:
    base = _sig(rng.uniform(0.001, 1.0, n), 2)
    return {
        "step": (
            rng.integers(0, 200, n),
            {
                "base_lr": base,
                "step_size": rng.integers(1, 40, n),
                "gamma": rng.uniform(0.05, 1, n),
            },
        ),
        "exponential": (
            rng.integers(0, 120, n),
            {"base_lr": base, "gamma": rng.uniform(0.5, 1.01, n)},
        ),
        "cosine": (
            rng.integers(0, 300, n),
            {
                "base_lr": base,
                "T_max": rng.choice([-7, 1, 3, 10, 17, 50, 100, 199], n),
                "eta_min": rng.choice([0.0, 0.001, 0.0003], n),
            },
        ),
        "warmup_linear": (
            rng.integers(0, 4000, n),
            {
                "base_lr": base,
                "num_warmup_steps": rng.integers(0, 300, n),
                "num_training_steps": rng.integers(0, 3000, n),
            },
        ),
        "warmup_cosine": (
            rng.integers(0, 4000, n),
            {
                "base_lr": base,
                "num_warmup_steps": rng.integers(0, 300, n),
                "num_training_steps": rng.integers(0, 3000, n),
                "num_cycles": rng.choice([0.5, 1.0, 1.7, 0.25], n),
            },
        ),
        "multistep": (
            rng.integers(0, 40, n),
            {"base_lr": base, "milestones": [0, 5, 5, 20], "gamma": 0.3},
        ),
        "onecycle": (rng.integers(0, 100, n), {"max_lr": base, "total_steps": 100}),
        "cosine_warm_restarts": (
            rng.integers(0, 100, n),
            {"base_lr": base, "T_0": rng.integers(1, 9, n), "T_mult": 2},
        ),
    }


@pytest.mark.parametrize("n", [1, 5, 300])
@pytest.mark.parametrize(
    "name",
    ["step", "exponential", "cosine", "warmup_linear", "warmup_cosine", "multistep", "onecycle",
     "cosine_warm_restarts"],
)  # fmt: skip
def test_evaluate_is_bit_identical_to_the_scalar_schedule(name: str, n: int) -> None:
    ks, kw = _cases(n, np.random.default_rng(n))[name]
    got = schedules_batch.evaluate(name, ks, **kw)
    assert got.shape == ks.shape and got.dtype == np.float64
    for i in range(n):
        row = {key: (v[i].item() if isinstance(v, np.ndarray) else v) for key, v in kw.items()}
        want = schedules.get(name, **row)(int(ks[i]))
        assert got[i].hex() == float(want).hex(), (row, int(ks[i]))


def test_evaluate_broadcasts_scalars_and_shapes() -> None:
    ks = np.arange(12).reshape(3, 4)
    got = schedules_batch.evaluate(
        "exponential", ks, base_lr=0.5, gamma=np.array([0.9, 0.8, 0.7, 0.6])
    )
    f = schedules.get("exponential", base_lr=0.5, gamma=0.8)
    assert got.shape == (3, 4) and got[2, 1] == f(9)
    assert schedules_batch.evaluate("step", [], base_lr=0.1, step_size=3).shape == (0,)


@pytest.mark.parametrize(
    ("name", "kwargs", "fragment"),
    [
        ("step", {"base_lr": np.array([0.1, -0.1]), "step_size": 3}, ">= 0"),
        ("step", {"base_lr": 0.1, "step_size": np.array([3, 0])}, "step_size"),
        ("step", {"base_lr": 0.1, "step_size": np.array([3.0, 2.0])}, "step_size"),
        ("cosine", {"base_lr": 0.1, "T_max": np.array([3, 0])}, "T_max"),
        ("exponential", {"base_lr": 0.1, "gamma": np.array([0.3, np.inf])}, "finite"),
        ("exponential", {"base_lr": 0.1}, "missing"),
        ("exponential", {"base_lr": 0.1, "gamma": 0.9, "foo": 1}, "unknown"),
        ("onecycle", {"max_lr": np.array([0.1, 0.2]), "total_steps": 1}, "total_steps"),
    ],
)
def test_evaluate_errors_are_the_scalar_api_errors(name: str, kwargs: dict, fragment: str) -> None:
    with pytest.raises(schedules.ScheduleError, match=fragment):
        schedules_batch.evaluate(name, np.array([1, 2]), **kwargs)


def test_evaluate_rejects_bad_k() -> None:
    for k in ([-1], [1.5]):
        with pytest.raises(schedules.ScheduleError):
            schedules_batch.evaluate("step", k, base_lr=0.1, step_size=3)


@pytest.mark.parametrize("name", schedules.names())
def test_replay_grown_piecewise_equals_one_replay(name: str) -> None:
    kw = {
        "step": {"step_size": 3},
        "multistep": {"milestones": [2, 5]},
        "exponential": {"gamma": 0.9},
        "cosine": {"T_max": 7, "eta_min": 0.01},
        "onecycle": {"max_lr": 0.5, "total_steps": 40},
        "cosine_warm_restarts": {"T_0": 3, "T_mult": 2},
        "warmup_cosine": {"num_warmup_steps": 4, "num_training_steps": 30},
        "warmup_linear": {"num_warmup_steps": 4, "num_training_steps": 30},
        "multiplicative": {"factor": 0.97},
        "cyclic": {"max_lr": 0.9, "step_size_up": 5, "mode": "triangular2"},
        "inverse_sqrt": {"num_warmup_steps": 6},
        "sequential": {
            "schedulers": [
                ("linear", {"start_factor": 0.1, "total_iters": 5}),
                ("cosine", {"T_max": 9}),
            ],
            "milestones": [5],
        },
        "chained": {"schedulers": [("constant", {"factor": 0.5}), ("exponential", {"gamma": 0.9})]},
    }.get(name, {})
    args = kw if name == "onecycle" else {"base_lr": 0.3, **kw}
    whole = schedules.get(name, **args)(np.arange(40))
    f = schedules.get(name, **args)
    piecewise = [f(k) for k in (0, 3, 1, 17, 16, 39)] + [f(np.array([25, 2]))]
    assert [x.hex() for x in piecewise[:-1]] == [whole[k].hex() for k in (0, 3, 1, 17, 16, 39)]
    assert piecewise[-1].tolist() == [whole[25], whole[2]]
