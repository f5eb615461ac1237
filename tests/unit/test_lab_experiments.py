"""Every claim a guided experiment makes is true of the paths its preset draws."""

from __future__ import annotations

import math

import numpy as np
import pytest

from quizapp.engine import surfaces
from quizapp.engine.surfaces import CLIFF
from quizapp.engine.trajectory import Run, Trajectory, simulate
from quizapp.study.lab import LabSession
from quizapp.study.lab_experiments import BY_ID, EXPERIMENTS, experiment_for


def paths_of(experiment: str, *enable: int) -> dict[str, Trajectory]:
    session = LabSession(experiment=experiment)
    for index in enable:
        session.toggle(index)
    return {r.label: p for r, p in zip(session.state.active, session.paths(), strict=True)}


def test_six_experiments_each_with_a_question_and_an_answer() -> None:
    assert len(EXPERIMENTS) == 6
    assert len({e.id for e in EXPERIMENTS}) == 6
    for e in EXPERIMENTS:
        assert e.question.endswith("?") and len(e.answer) > 200
        assert len(e.racers) >= 2


def test_momentum_overshoots_and_plain_sgd_does_not() -> None:
    paths = paths_of("momentum-overshoot", 2)  # 3 (Nesterov) switched on, as the answer says
    sgd, momentum, nesterov = (
        paths["SGD"].points,
        paths["Momentum"].points,
        paths["Nesterov"].points,
    )
    assert sgd[:, 0].max() < 1.0 and np.all(np.diff(sgd[:, 0]) > 0)  # creeps in from one side
    assert 1.8 < momentum[:, 0].max() < 2.0  # "carries it on to x ≈ 1.9"
    assert 1.0 < nesterov[:, 0].max() < momentum[:, 0].max()  # Nesterov overshoots less
    # the swings shrink by about √μ per step: successive peaks of |x − 1|
    dev = np.abs(momentum[:, 0] - 1.0)
    peaks = [k for k in range(1, len(dev) - 1) if dev[k] > dev[k - 1] and dev[k] >= dev[k + 1]]
    rates = [(dev[b] / dev[a]) ** (1 / (b - a)) for a, b in zip(peaks, peaks[1:], strict=False)]
    assert len(rates) >= 3 and all(abs(r - math.sqrt(0.9)) < 0.02 for r in rates)


def test_momentum_is_nearer_the_minimum_after_100_steps() -> None:
    """The answer's comparison, as the legend shows it: momentum arrives first."""
    e = BY_ID["momentum-overshoot"]
    paths = paths_of("momentum-overshoot")
    sgd, momentum = paths["SGD"], paths["Momentum"]
    lr = e.racers[0].run.lr
    assert e.steps == 100 and lr == e.racers[1].run.lr == 0.02 and e.surface.kappa == 10
    # SGD's distance to x = 1 shrinks by 1 − η·λ = 0.98 per step (λ = 1 along x)
    ratios = (1 - sgd.points[1:, 0]) / (1 - sgd.points[:-1, 0])
    assert np.allclose(ratios, 1 - lr)
    assert sgd.points[-1, 0] == pytest.approx(0.6, abs=0.05)  # "still at x ≈ 0.6"
    assert abs(momentum.points[-1, 0] - 1) < 0.02  # "within 0.02 of the minimum"
    assert sgd.final_loss > 100 * momentum.final_loss  # "hundreds of times lower"
    assert abs(np.hypot(*(momentum.points[-1] - 1))) < abs(np.hypot(*(sgd.points[-1] - 1)))
    # "the gain needs η·λ below 1 − √μ ≈ 0.05; at η = 0.05 the two tie"
    assert 1 - math.sqrt(0.9) == pytest.approx(0.05, abs=0.002) and lr < 1 - math.sqrt(0.9)
    tie = simulate(e.surface, e.start, [r.run.replace(lr=0.05) for r in e.racers[:2]], e.steps)
    assert 0.5 < tie[0].final_loss / tie[1].final_loss < 2
    # on the steep y (η·λ = 0.2) momentum overshoots to y ≈ 0.15; SGD slides straight in
    assert lr * e.surface.kappa == pytest.approx(0.2)
    assert momentum.points[:, 1].min() == pytest.approx(0.15, abs=0.03)
    assert sgd.points[:, 1].min() >= 1.0 and np.all(np.diff(sgd.points[:, 1]) <= 0)


def test_adam_draws_the_same_path_on_the_bowl_times_1000() -> None:
    e = BY_ID["adam-scale"]
    assert e.surface.scale == 1000
    scaled = paths_of("adam-scale")
    session = LabSession(experiment="adam-scale")
    session.toggle_scale()  # x: the unscaled bowl
    assert session.state.surface.scale == 1
    plain = dict(zip([r.label for r in session.state.active], session.paths(), strict=True))
    assert np.abs(scaled["Adam"].points - plain["Adam"].points).max() < 1e-6
    losses = scaled["SGD"].losses  # "blows up at once": ×100 and more from the first step on
    assert np.all(losses[1:20] > 100 * losses[:19]) and scaled["SGD"].diverged_at is not None
    assert plain["SGD"].diverged_at is None
    sgd = e.racers[0].run
    assert sgd.lr * e.surface.kappa == 0.5 and sgd.lr * e.surface.kappa * 1000 == 500
    # "with ε near √v̂ the scale would start to matter"
    big_eps = Run.of("adam", lr=0.1, eps=1.0)
    (a,) = simulate(e.surface.with_(scale=1), e.start, [big_eps], e.steps)
    (b,) = simulate(e.surface, e.start, [big_eps], e.steps)
    assert np.abs(a.points - b.points).max() > 0.1


def test_adagrad_stalls_on_the_plateau_while_rmsprop_reaches_the_basin() -> None:
    paths = paths_of("adagrad-stall")
    adagrad, rmsprop = paths["Adagrad"].points, paths["RMSprop"].points
    assert adagrad[-1, 0] > CLIFF.c  # still on the plateau after 500 steps
    assert np.hypot(*(rmsprop[-1] - (CLIFF.x0, 0.0))) < 0.05  # in the basin, at its minimum
    covered = adagrad[0, 0] - adagrad[-1, 0]
    assert 1.7 < covered < 2.5  # "about 2η√k ≈ 2.2"
    steps = np.abs(np.diff(adagrad[:, 0]))
    for k in (100, 200, 400):  # the k-th step is about η/√k
        assert steps[k] == pytest.approx(0.05 / math.sqrt(k + 1), rel=0.2)
    # RMSprop's step on the plateau never falls below about η, and starts larger
    on_plateau = np.flatnonzero(rmsprop[1:, 0] > CLIFF.c + 0.5)
    rms_steps = np.abs(np.diff(rmsprop[:, 0]))[on_plateau]
    assert rms_steps.size > 5 and np.all(rms_steps > 0.05) and rms_steps[0] > 5 * 0.05


def test_warmup_trains_where_a_constant_lr_blows_up() -> None:
    paths = paths_of("warmup")
    constant, warmup = paths["SGD"], paths["SGD+warmup"]
    assert constant.diverged_at is not None and constant.diverged_at < 10  # "a few steps"
    y = constant.points[: constant.diverged_at, 1]
    assert np.all(np.sign(y[1:]) == -np.sign(y[:-1]))  # over the floor to the other wall...
    assert np.all(np.abs(y[1:]) > np.abs(y[:-1]))  # ...landing higher every time
    assert warmup.diverged_at is None
    assert warmup.losses.max() == warmup.losses[0] and warmup.final_loss < 1e-6
    assert warmup.lrs[0] == 0.0 and warmup.lrs[30] == 1.0  # 0 to η over the first 30 steps
    y30 = warmup.points[30, 1]  # when η reaches 1 the run is low enough for it to be safe
    assert 1.0 * (CLIFF.b + 4 * CLIFF.r * y30**2) < 2 and CLIFF.b * 1.0 == 0.5


def test_momentum_and_adam_leave_the_saddle_long_before_sgd() -> None:
    paths = paths_of("saddle-escape")

    def leaves(p: Trajectory) -> int:
        return int(np.argmax(np.abs(p.points[:, 1]) > 0.5))

    sgd, momentum, adam = (leaves(paths[k]) for k in ("SGD", "Momentum", "Adam"))
    assert 38 <= sgd <= 46  # "about ln 50 / ln 1.1 ≈ 41 steps"
    assert momentum < sgd / 2 and adam < sgd / 2
    # "a small but steady gradient still moves [Adam] about η per step" off the ridge
    adam_lr = BY_ID["saddle-escape"].racers[2].run.lr
    dy = np.abs(np.diff(paths["Adam"].points[: adam + 1, 1]))
    assert np.all((0.8 * adam_lr < dy) & (dy < 1.2 * adam_lr))
    for p in paths.values():  # and each ends in a minimum
        assert np.allclose(np.abs(p.points[-1]), (0.0, 1.0), atol=0.05)
    e = BY_ID["saddle-escape"]
    on_ridge = simulate(e.surface, (-2.0, 0.0), [r.run for r in e.racers], e.steps)
    assert all(np.all(p.points[:, 1] == 0.0) for p in on_ridge)  # y = 0: nobody leaves


def test_l2_and_decoupled_decay_settle_at_different_points() -> None:
    paths = paths_of("decoupled-decay")
    l2, adamw = paths["Adam + L2"].points, paths["AdamW"].points
    lam, kappa = 2.0, 10.0
    assert np.allclose(l2[-1], (1 / (1 + lam), kappa / (kappa + lam)), atol=1e-3)  # (⅓, ⅚)
    assert abs(adamw[-1, 1] - 0.5) < 0.02  # y is at ½ already
    assert 1 / 3 < adamw[-1, 0] < 0.5 and adamw[-1, 0] > adamw[-100, 0]  # x creeps in
    assert adamw[-1, 1] < l2[-1, 1] - 0.3  # AdamW pulls the steep y much further


def test_experiment_surfaces_are_the_shipped_ones() -> None:
    for e in EXPERIMENTS:
        assert e.surface.name in surfaces.names()


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"drill_kind": "momentum"}, "momentum-overshoot"),
        ({"drill_kind": "adagrad"}, "adagrad-stall"),
        ({"drill_kind": "adam"}, "adam-scale"),
        ({"drill_kind": "adam-l2"}, "decoupled-decay"),
        ({"drill_kind": "lr-warmup-cosine"}, "warmup"),
        ({"drill_kind": "steps-per-epoch"}, None),
        ({"item_id": "optimizers.adaptive.adagrad-limitation"}, "adagrad-stall"),
        ({"item_id": "optimizers.gd-variants.sgd-noise-helps"}, "saddle-escape"),
        ({"item_id": "optimizers.adamw.weight-decay-vs-l2"}, "decoupled-decay"),
        ({"item_id": "optimizers.schedules.why-warmup-helps"}, "warmup"),
        ({"item_id": "optimizers.momentum.nesterov-idea"}, "momentum-overshoot"),
        ({"item_id": "optimizers.foundations.analogy", "topic": "foundations"}, None),
        ({"item_id": "optimizers.x.other", "topic": "adaptive"}, "adagrad-stall"),
    ],
)
def test_see_it_mapping(kwargs: dict[str, str], expected: str | None) -> None:
    assert experiment_for(**kwargs) == expected


def test_every_mapped_experiment_exists() -> None:
    from quizapp.study import lab_experiments as le

    targets = {*le.DRILL_KINDS.values(), *(e for _, e in le.ID_HINTS), *le.TOPICS.values()}
    assert targets <= set(BY_ID)


def test_lambda_is_the_weight_decay_knob_never_the_curvature() -> None:
    """The lab's λ knob is weight decay (and experiment 6 says λ = 2 for it), so a text that
    needs the curvature calls it h: "η·λ goes from 0.5 to 500" beside a knob "λ 0" read as
    the decay."""
    import re

    for e in EXPERIMENTS:
        for text in (e.question, e.answer):
            assert not re.search(r"η·λ(?!·θ)", text), (e.id, text)
            assert "the curvature" not in text or "λ = 1" not in text, e.id
    assert "η·h goes from 0.5 to 500" in BY_ID["adam-scale"].answer
