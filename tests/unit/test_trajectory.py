"""Trajectories are the engine's steps: each point equals ``optim.get(...).step`` applied by
hand, bit for bit, with optimizers of one family sharing one batched call."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from quizapp.engine import optim, schedules, surfaces
from quizapp.engine.trajectory import (
    ELEMENTWISE,
    Run,
    TrajectoryError,
    learning_rates,
    simulate,
    simulate_iter,
)

RUNS = [
    Run.of("sgd", lr=0.05),
    Run.of("sgd", lr=0.03, momentum=0.9),
    Run.of("sgd", lr=0.05, momentum=0.8, nesterov=True),
    Run.of("sgd", "warmup_cosine", lr=0.05, momentum=0.5, weight_decay=0.01),
    Run.of("adagrad", lr=0.3),
    Run.of("rmsprop", lr=0.02),
    Run.of("rmsprop", "step", lr=0.01, momentum=0.5, alpha=0.9),
    Run.of("adam", lr=0.1),
    Run.of("adam", lr=0.05, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1),
    Run.of("adamw", "warmup_cosine", lr=0.1, weight_decay=0.01),
]


def by_hand(surface: surfaces.Surface, start: Any, run: Run, steps: int) -> np.ndarray:
    """What a learner would write: a fresh torch-style optimizer per step with the
    scheduled lr, one 2-vector, the same gradient noise at step k."""
    lrs = learning_rates(run, steps)
    theta = np.array(start, dtype=np.float64)
    state = None
    out = [theta]
    for k in range(steps):
        opt = optim.get(run.optimizer, **{**run.hp, "lr": float(lrs[k])})
        if state is None:
            state = opt.init(theta)
        theta, state = opt.step(theta, surface.grad(theta, k), state)
        out.append(theta)
    return np.array(out)


@pytest.mark.parametrize("name", ["bowl", "rosenbrock", "noisy"])
def test_every_point_is_the_engine_step_bit_for_bit(name: str) -> None:
    surface = surfaces.get(name)
    start = (-1.2, 1.4)
    paths = simulate(surface, start, RUNS, 60)
    for path in paths:
        expected = by_hand(surface, start, path.run, 60)
        assert np.array_equal(path.points, expected, equal_nan=True), path.run


@pytest.mark.parametrize("name", optim.names())
def test_every_engine_optimizer_too(name: str) -> None:
    surface = surfaces.get("saddle")
    runs = [Run.of(name, lr=0.05), Run.of(name, lr=0.02)]
    try:
        paths = simulate(surface, (-2.0, 0.3), runs, 30)
    except TrajectoryError:
        # only an optimizer for matrices (Muon) may refuse a 2-vector
        assert name not in ELEMENTWISE
        return
    for path in paths:
        assert np.array_equal(path.points, by_hand(surface, (-2.0, 0.3), path.run, 30))


def test_one_family_shares_one_call_per_step(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, tuple[int, ...]]] = []
    real_step = optim.Optimizer.step_unchecked

    def counted(self: optim.Optimizer, params: Any, grads: Any, state: Any) -> Any:
        calls.append((self.name, np.shape(params)))
        return real_step(self, params, grads, state)

    monkeypatch.setattr(optim.Optimizer, "step_unchecked", counted)
    runs = [
        Run.of("sgd", lr=0.05),
        Run.of("adam", lr=0.1),
        Run.of("sgd", lr=0.05, momentum=0.9),
        Run.of("adam", lr=0.05, betas=(0.8, 0.99)),
    ]
    paths = simulate(surfaces.get("bowl"), (0.0, 0.0), runs, 10)
    assert sorted(set(calls)) == [("adam", (2, 2)), ("sgd", (2, 2))]
    assert len(calls) == 20  # two calls per step, not four
    # the loop lays each family out as one slice; the paths come back in the runs' order
    assert [p.run for p in paths] == runs
    for path in paths:
        assert np.array_equal(path.points, by_hand(surfaces.get("bowl"), (0.0, 0.0), path.run, 10))


@pytest.mark.parametrize("name", sorted(ELEMENTWISE))
def test_a_scheduled_run_starts_from_the_schedules_first_lr(name: str) -> None:
    """Rprop's step sizes and ASGD's η start at the lr of the first step (torch's scheduler
    has set it before the first ``step()``), not at the optimizer's default lr."""
    surface = surfaces.get("bowl")
    run = Run.of(name, "step", lr=0.05)
    (path,) = simulate(surface, (-1.0, 2.0), [run], 30)
    assert np.array_equal(path.points, by_hand(surface, (-1.0, 2.0), run, 30))


def test_the_unchecked_step_is_the_public_step() -> None:
    rng = np.random.default_rng(3)
    for name in ("sgd", "adam", "adagrad", "rmsprop", "nadam", "lion"):
        opt = optim.get(name, lr=0.01)
        p = rng.standard_normal((3, 2))
        s1 = s2 = opt.init(p)
        p1 = p2 = p
        for _ in range(5):
            g = rng.standard_normal((3, 2))
            p1, s1 = opt.step(p1, g, s1)
            with np.errstate(all="ignore"):
                p2, s2 = opt.step_unchecked(p2, g, s2)
            assert np.array_equal(p1, p2) and type(s1) is type(s2)
        with np.errstate(all="ignore"):
            q, _ = opt.with_lr(0.5).step_unchecked(p, g, opt.init(p))
        assert np.array_equal(q, optim.get(name, lr=0.5).step(p, g, opt.init(p))[0])
        assert opt.hp["lr"] == 0.01  # with_lr is a copy


def test_a_scheduled_lr_is_torchs_lr_after_k_scheduler_steps() -> None:
    run = Run.of("adam", "warmup_cosine", lr=0.2)
    expected = schedules.get(
        "warmup_cosine", base_lr=0.2, num_warmup_steps=10, num_training_steps=100
    ).values(100)
    assert np.array_equal(learning_rates(run, 100), expected)
    assert learning_rates(run, 100)[0] == 0.0  # torch's LambdaLR warmup starts at 0
    step = learning_rates(Run.of("sgd", "step", lr=1.0), 90)
    assert step[0] == 1.0 and step[30] == pytest.approx(0.1) and step[60] == pytest.approx(0.01)
    assert np.all(learning_rates(Run.of("sgd", lr=0.3), 5) == 0.3)


def test_a_blow_up_is_reported_with_its_step() -> None:
    (path,) = simulate(surfaces.get("bowl", scale=1000), (-2.0, 2.2), [Run.of("sgd", lr=0.05)], 100)
    assert path.diverged_at is not None and path.diverged_at < 100
    assert not np.isfinite(path.final_loss)
    (calm,) = simulate(surfaces.get("bowl"), (-2.0, 2.2), [Run.of("sgd", lr=0.05)], 100)
    assert calm.diverged_at is None and calm.final_loss < 1e-3


def test_chunks_grow_and_each_prefix_is_final() -> None:
    surface = surfaces.get("noisy")
    chunks = list(simulate_iter(surface, (1.0, -1.0), RUNS[:3], 300, chunk=16, max_chunk=64))
    done = [c[0].done for c in chunks]
    assert done[:3] == [16, 48, 112] and done[-1] == 300
    final = chunks[-1]
    for chunk in chunks:
        for part, whole in zip(chunk, final, strict=True):
            assert np.array_equal(part.points, whole.points[: part.done + 1])
            assert not part.points.flags.writeable
    assert all(p.complete for p in final) and not chunks[0][0].complete


def test_no_steps_is_the_start_alone() -> None:
    (path,) = simulate(surfaces.get("saddle"), (0.5, 0.5), [Run.of("adam")], 0)
    assert path.points.tolist() == [[0.5, 0.5]] and path.done == 0 and path.complete


def test_bad_runs_are_refused_with_the_engines_message() -> None:
    bowl = surfaces.get("bowl")
    with pytest.raises(TrajectoryError, match="Nesterov"):
        simulate(bowl, (0, 0), [Run.of("sgd", lr=0.1, nesterov=True)], 3)
    with pytest.raises(TrajectoryError, match="unknown optimizer"):
        simulate(bowl, (0, 0), [Run.of("adamz")], 3)
    with pytest.raises(TrajectoryError, match="unknown schedule"):
        simulate(bowl, (0, 0), [Run.of("sgd", "cyclic", lr=0.1)], 3)


def test_step_lengths() -> None:
    (path,) = simulate(surfaces.get("bowl"), (0.0, 1.0), [Run.of("sgd", lr=0.5)], 2)
    assert path.step_lengths().tolist() == pytest.approx([0.5, 0.25])
