"""Drill answers against torch itself (skipped cleanly without torch): the drills call the
engine, which matches torch; these close the loop on the drills' own wiring."""

from __future__ import annotations

import numpy as np
import pytest

from quizapp.engine import drills
from tests.lazy_torch import needs_torch, torch, uses_torch

pytestmark = [needs_torch, uses_torch]


def _t(x: object) -> object:
    return torch.tensor(x, dtype=torch.float64)


@pytest.mark.parametrize("kind", ["adam", "adamw", "adam-l2", "adam-large-eps"])
def test_adam_drills(kind: str) -> None:
    for seed in range(10):
        g = drills.generate(kind, seed).given
        param = torch.tensor([g["theta"]], dtype=torch.float64, requires_grad=True)
        cls = torch.optim.AdamW if kind == "adamw" else torch.optim.Adam
        opt = cls(
            [param],
            lr=g["lr"],
            betas=(g["beta1"], g["beta2"]),
            eps=g["eps"],
            weight_decay=g.get("weight_decay", 0.0),
            foreach=False,
        )
        opt.state[param] = {
            "step": torch.tensor(float(g["t"])),
            "exp_avg": _t([g["m"]]),
            "exp_avg_sq": _t([g["v"]]),
        }
        param.grad = _t([g["grad"]])
        opt.step()
        want = drills.generate(kind, seed).answers["theta"]
        assert param.item() == pytest.approx(want, rel=1e-12, abs=1e-15)


def test_first_momentum_steps_with_dampening() -> None:
    for seed in range(10):
        p = drills.generate("momentum-first-step", seed)
        g = p.given
        param = torch.tensor([g["theta"]], dtype=torch.float64, requires_grad=True)
        opt = torch.optim.SGD(
            [param], lr=g["lr"], momentum=g["momentum"], dampening=g["dampening"], foreach=False
        )
        for grad in (g["grad1"], g["grad2"]):
            param.grad = _t([grad])
            opt.step()
        assert param.item() == p.answers["theta2"]


def test_clip_grad_norm() -> None:
    for seed in range(20):
        p = drills.generate("clip-grad-norm", seed)
        g = p.given
        a = torch.zeros(2, dtype=torch.float64, requires_grad=True)
        b = torch.zeros(3, dtype=torch.float64, requires_grad=True)
        a.grad, b.grad = _t([g["a1"], g["a2"]]), _t([g["b1"], g["b2"], g["b3"]])
        total = torch.nn.utils.clip_grad_norm_([a, b], g["max_norm"], foreach=False)
        assert total.item() == p.answers["total_norm"]
        assert a.grad[0].item() == p.answers["clipped_a1"]


def test_adafactor_first_step() -> None:
    for seed in range(10):
        p = drills.generate("adafactor-step", seed)
        g = p.given
        w = torch.tensor(
            [[g["w11"], g["w12"]], [g["w21"], g["w22"]]], dtype=torch.float64, requires_grad=True
        )
        opt = torch.optim.Adafactor([w], lr=g["lr"], foreach=False)
        w.grad = _t([[g["g11"], g["g12"]], [g["g21"], g["g22"]]])
        opt.step()
        assert w[0, 0].item() == pytest.approx(p.answers["theta11"], rel=1e-13, abs=1e-15)


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
def test_wsd_sequential_lr() -> None:
    from torch.optim.lr_scheduler import LinearLR, SequentialLR

    for seed in range(5):  # realistic runs: k up to ≈ 60,000 torch steps each
        p = drills.generate("lr-wsd", seed)
        g = p.given
        opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=g["base_lr"])
        warm = LinearLR(opt, g["start_factor"], 1.0, total_iters=g["num_warmup_steps"])
        decay = LinearLR(opt, 1.0, g["min_ratio"], total_iters=g["num_decay_steps"])
        milestone = g["num_warmup_steps"] + g["num_stable_steps"]
        sched = SequentialLR(opt, [warm, decay], milestones=[milestone])
        for _ in range(g["k"]):
            opt.step()
            sched.step()
        assert sched.get_last_lr()[0] == p.answers["lr"]  # bit for bit


def test_reduce_lr_on_plateau() -> None:
    for seed in range(20):
        p = drills.generate("lr-plateau", seed)
        g = p.given
        opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=g["base_lr"])
        sched = torch.optim.lr_scheduler.ReduceLROnPlateau(
            opt, factor=g["factor"], patience=g["patience"], cooldown=g["cooldown"]
        )
        for i in range(1, 9):
            sched.step(g[f"loss{i}"])
        assert sched.get_last_lr()[0] == p.answers["lr"]


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
def test_engine_grid_of_onecycle_and_restarts() -> None:
    from torch.optim.lr_scheduler import CosineAnnealingWarmRestarts, OneCycleLR

    for seed in range(5):
        p = drills.generate("lr-onecycle", seed)
        g = p.given
        opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)
        sched = OneCycleLR(
            opt,
            max_lr=g["max_lr"],
            total_steps=g["total_steps"],
            pct_start=g["pct_start"],
            div_factor=g["div_factor"],
            final_div_factor=g["final_div_factor"],
            cycle_momentum=False,
        )
        for _ in range(g["k"]):
            opt.step()
            sched.step()
        assert sched.get_last_lr()[0] == p.answers["lr"]  # bit for bit
        p = drills.generate("lr-warm-restarts", seed)
        g = p.given
        opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=g["base_lr"])
        sched = CosineAnnealingWarmRestarts(opt, g["T_0"], g["T_mult"], g["eta_min"])
        for _ in range(g["k"]):
            opt.step()
            sched.step()
        assert sched.get_last_lr()[0] == p.answers["lr"]  # bit for bit
        assert np.isfinite(p.answers["t_cur"])


def test_effective_batch_steps_follow_distributed_sampler_and_dataloader() -> None:
    # steps/epoch as torch's own DistributedSampler + DataLoader count them, on every rank:
    # the sampler gives each rank ⌊N/w⌋ (drop_last=True) or pads it to ⌈N/w⌉ (the default)
    from torch.utils.data import DataLoader, DistributedSampler

    from quizapp.engine.drills.arithmetic import examples_per_rank

    for seed in range(10):
        p = drills.generate("effective-batch", seed, {"dataset_size": [1000, 50_000]})
        g = p.given
        n, w, b, a = g["dataset_size"], g["world_size"], g["micro_batch"], g["accumulation"]
        data = range(n)
        for drop in (True, False):
            sampler = DistributedSampler(data, num_replicas=w, rank=w - 1, drop_last=drop)
            assert len(sampler) == examples_per_rank(n, w, drop)
        sampler = DistributedSampler(data, num_replicas=w, rank=0, drop_last=True)
        micro_batches = len(DataLoader(data, batch_size=b, sampler=sampler, drop_last=True))
        assert p.answers["steps_per_epoch"] == micro_batches // a
