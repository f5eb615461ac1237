"""The lab's session (UI-free): racers, knobs, the start point, guided mode, the cache."""

from __future__ import annotations

import numpy as np
import pytest

from quizapp.engine import optim
from quizapp.study.lab import LabSession, free_state
from quizapp.study.lab_experiments import EXPERIMENTS
from quizapp.study.lab_knobs import (
    BETA_LADDER,
    LR_LADDER,
    MAIN,
    other_optimizers,
    step_ladder,
    update_rule,
)


def knob_ids(session: LabSession) -> list[str]:
    return [k.id for k in session.state.knobs]


def test_the_seven_race_and_one_more_engine_optimizer_waits() -> None:
    racers = free_state().racers
    assert [r.key for r in racers[:7]] == list(MAIN) and all(r.enabled for r in racers[:7])
    other = racers[7]
    assert other.key == "other" and not other.enabled
    assert other.run.optimizer in optim.names() and other.run.optimizer in other_optimizers()
    assert "muon" not in other_optimizers()  # a matrix optimizer cannot step a 2-D point


def test_toggle_switches_a_racer_and_selects_it() -> None:
    s = LabSession()
    s.toggle(1)
    assert not s.state.racers[1].enabled and s.state.selected == 1
    assert [r.key for r in s.state.active] == ["sgd", *MAIN[2:]]
    s.toggle(1)
    assert s.state.racers[1].enabled
    s.toggle(42)  # no such racer: nothing happens
    assert s.state.selected == 1


@pytest.mark.parametrize(
    ("index", "expected"),
    [
        (0, ["lr", "weight_decay", "schedule"]),
        (1, ["lr", "beta1", "weight_decay", "schedule"]),
        (4, ["lr", "beta2", "eps", "weight_decay", "beta1", "schedule"]),
        (5, ["lr", "beta1", "beta2", "eps", "weight_decay", "schedule"]),
        (7, ["optimizer", "lr", "beta1", "beta2", "eps", "weight_decay", "schedule"]),
    ],
)
def test_each_racer_shows_the_knobs_its_optimizer_has(index: int, expected: list[str]) -> None:
    s = LabSession()
    s.select(index)
    racer_ids = [k.id for k in s.state.knobs if k.scope == "racer"]
    assert sorted(racer_ids) == sorted(expected)
    assert knob_ids(s)[-4:] == ["surface", "kappa", "scale", "steps"]


def test_knob_labels_are_the_symbols_of_each_optimizer() -> None:
    s = LabSession()
    labels = {}
    for i in (1, 4, 5):
        s.select(i)
        labels[i] = {k.id: k.label for k in s.state.knobs}
    assert labels[1]["beta1"] == "μ" and labels[4]["beta2"] == "α"
    assert labels[5]["beta1"] == "β₁" and labels[5]["beta2"] == "β₂"


def test_lr_moves_along_a_log_ladder() -> None:
    s = LabSession()
    s.point_at("lr")
    s.change(1)
    assert s.state.racers[0].run.hp["lr"] == 0.1
    s.change(-1)
    s.change(-1)
    assert s.state.racers[0].run.hp["lr"] == 0.02
    assert step_ladder(LR_LADDER, 0.03, 1) == 0.05 and step_ladder(LR_LADDER, 0.03, -1) == 0.02
    assert step_ladder(LR_LADDER, LR_LADDER[-1], 1) == LR_LADDER[-1]  # the ends stay put
    assert LR_LADDER[:4] == (1e-5, 2e-5, 5e-5, 1e-4) and LR_LADDER[-1] == 50.0
    assert set(np.round(np.array(LR_LADDER[1:]) / LR_LADDER[:-1], 9)) == {2.0, 2.5}


def test_changing_a_knob_of_a_racer_that_is_off_switches_it_on() -> None:
    s = LabSession()
    s.toggle(5)
    assert not s.state.racers[5].enabled
    s.change(1, "lr")
    assert s.state.racers[5].enabled and s.state.racers[5].run.hp["lr"] == 0.2


def test_betas_and_momentum() -> None:
    s = LabSession()
    s.select(5)  # Adam
    s.change(1, "beta1")
    s.change(-1, "beta2")
    assert s.state.racers[5].run.hp["betas"] == (0.95, 0.995)
    s.select(2)  # Nesterov: its momentum never reaches 0 (torch refuses that)
    for _ in range(len(BETA_LADDER) + 2):
        s.change(-1, "beta1")
    assert s.state.racers[2].run.hp["momentum"] == BETA_LADDER[1]
    s.select(4)  # RMSprop: β₂ is α
    s.change(-1, "beta2")
    assert s.state.racers[4].run.hp["alpha"] == 0.95


def test_eps_weight_decay_schedule() -> None:
    s = LabSession()
    s.select(6)  # AdamW
    s.change(1, "eps")
    s.change(1, "weight_decay")
    s.change(1, "schedule")
    run = s.state.racers[6].run
    assert run.hp["eps"] == pytest.approx(1e-7) and run.hp["weight_decay"] == 0.03
    assert run.schedule == "warmup_cosine"
    s.change(1, "schedule")
    s.change(1, "schedule")
    assert s.state.racers[6].run.schedule == "constant"


def test_the_other_slot_cycles_through_the_engines_optimizers() -> None:
    s = LabSession()
    s.select(7)
    seen = []
    for _ in other_optimizers():
        seen.append(s.state.racers[7].run.optimizer)
        s.change(1, "optimizer")
    assert sorted(seen) == sorted(other_optimizers())
    assert s.state.racers[7].label in {"NAdam", "RAdam", "Adamax", "Adadelta", "Lion"}


def test_surface_kappa_noise_scale_steps() -> None:
    s = LabSession()
    s.change(1, "kappa")
    assert s.state.surface.kappa == 20
    s.change(1, "surface")  # rosenbrock: no κ knob, its own start
    assert s.state.surface.name == "rosenbrock" and "kappa" not in knob_ids(s)
    assert s.state.start == s.state.surface.kind.start
    for _ in range(3):
        s.change(1, "surface")
    assert s.state.surface.name == "noisy" and {"sigma", "seed", "kappa"} <= set(knob_ids(s))
    s.change(1, "seed")
    s.change(-1, "sigma")
    assert s.state.surface.seed == 1 and s.state.surface.sigma == 0.5
    s.change(-1, "seed")
    s.change(-1, "seed")
    assert s.state.surface.seed == 0
    s.change(1, "scale")
    s.change(1, "steps")
    assert s.state.surface.scale == 10 and s.state.steps == 300
    s.toggle_scale()
    assert s.state.surface.scale == 1
    s.toggle_scale()
    assert s.state.surface.scale == 1000


def test_cursor_wraps_through_every_knob() -> None:
    s = LabSession()
    ids = knob_ids(s)
    seen = [s.state.knob.id]
    for _ in ids:
        s.move_cursor(1)
        seen.append(s.state.knob.id)
    assert seen[: len(ids)] == ids and seen[-1] == ids[0]
    s.select(5)  # a knob the next racer lacks falls back to the first
    s.point_at("beta2")
    s.select(0)
    assert s.state.knob.id == "lr"


def test_start_moves_by_arrows_inside_the_view_and_by_click() -> None:
    s = LabSession()
    x0, x1, y0, y1 = s.state.surface.kind.view
    start = s.state.start
    s.move_start(1, 0)
    assert s.state.start == pytest.approx((start[0] + (x1 - x0) / 40, start[1]))
    for _ in range(100):
        s.move_start(-1, 1)
    assert s.state.start == (x0, y1)
    s.set_start(0.123456, -0.5)
    assert s.state.start == (0.1235, -0.5)


def test_guided_mode_keeps_free_play_and_reveals_only_after_a_look() -> None:
    s = LabSession()
    s.change(1, "lr")
    free = s.state
    s.guide()
    assert s.state.experiment == EXPERIMENTS[0].id and not s.state.can_reveal
    assert not s.reveal()
    s.mark_looked()
    assert s.state.can_reveal and s.reveal() and s.state.revealed and not s.state.can_reveal
    s.next_experiment()
    assert s.state.experiment == EXPERIMENTS[1].id and not s.state.looked
    s.next_experiment(-1)
    s.next_experiment(-1)
    assert s.state.experiment == EXPERIMENTS[-1].id
    s.change(1, "lr")
    s.reset()
    assert s.state.racers == EXPERIMENTS[-1].racers
    s.leave_guide()
    assert s.state == free
    s.mark_looked()  # outside guided mode: nothing to look at
    assert not s.state.looked


def test_reset_in_free_play_restores_the_defaults() -> None:
    s = LabSession()
    s.toggle(0)
    s.change(1, "steps")
    s.reset()
    assert s.state == free_state()


def test_only_changed_racers_are_recomputed() -> None:
    s = LabSession()
    ready, missing = s.cached()
    assert all(p is None for p in ready) and len(missing) == 7
    paths = s.paths()
    assert len(paths) == 7 and all(p.complete for p in paths)
    assert s.cached()[1] == []
    s.select(5)
    s.change(1, "beta2")
    ready, missing = s.cached()
    assert [r.optimizer for r in missing] == ["adam"] and sum(p is None for p in ready) == 1
    s.toggle(0)  # switching a racer off and on again needs no computing
    s.paths()
    s.toggle(0)
    assert s.cached()[1] == []
    s.move_start(1, 0)
    assert len(s.cached()[1]) == 7


def test_update_rules_say_what_runs() -> None:
    racers = {r.key: r for r in free_state().racers}
    assert update_rule(racers["sgd"]) == "θ ← θ − η·g"
    assert "θ ← θ − η·(g + μ·b)" in update_rule(racers["nesterov"])
    assert update_rule(racers["adamw"]).startswith("θ ← θ·(1 − η·λ)   (decoupled)")
    adam_l2 = racers["adam"].with_run(racers["adam"].run.replace(weight_decay=0.1))
    assert update_rule(adam_l2).startswith("g ← g + λ·θ   (L2)")
    warm = racers["sgd"].with_run(racers["sgd"].run.replace(schedule="warmup_cosine"))
    assert update_rule(warm).endswith("η = ηₖ from the schedule")
