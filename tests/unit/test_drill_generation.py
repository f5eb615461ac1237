"""Drawing a problem is bounded work: at most MAX_ATTEMPTS draws, a key mistake that stays hidden
is relaxed after KEY_ATTEMPTS problems (not looped on), long histories cost at most
HISTORY_STEPS engine steps, and override checks report ranges that fight a kind's rules."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from quizapp.cli import main
from quizapp.engine import drills, optim
from quizapp.engine.drills import generation, optim_common
from quizapp.engine.drills.catalog import get_kind
from quizapp.engine.drills.generation import KEY_ATTEMPTS, MAX_ATTEMPTS
from quizapp.engine.drills.optim_common import HISTORY_STEPS, adam_history
from quizapp.engine.drills.sampling import Sampler


class Counted:
    """Counts the attempts (Sampler streams) a generation opens."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.attempts = 0

        def sampler(*args: Any) -> Sampler:
            self.attempts += 1
            return Sampler(*args)

        monkeypatch.setattr(generation, "Sampler", sampler)


def _limit_overrides(kind: str) -> list[dict[str, Any]]:
    """Every numeric parameter alone at each of its hard limits, and all of them at the top:
    the overrides a deck author can write that push a kind hardest."""
    k = get_kind(kind)
    nums = [p for p in k.params if p.type in ("int", "float")]
    cases: list[dict[str, Any]] = []
    for p in nums:
        lo, hi = p.limits
        if not p.open_low:
            cases.append({p.name: lo})
        if not p.open_high:
            cases.append({p.name: hi})
    cases.append({p.name: p.limits[1] for p in nums if not p.open_high})
    return cases


def _bounded(kind: str, overrides: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> int:
    counted = Counted(monkeypatch)
    k = get_kind(kind)
    try:
        d = generation.draw(k, 1, drills.sampling.normalise_overrides(k.param_map, overrides))
    except drills.DrillError as exc:  # refused, with the parameters named
        assert "no valid problem could be drawn" in exc.message
        assert counted.attempts == MAX_ATTEMPTS
        return counted.attempts
    assert d.attempts == counted.attempts <= MAX_ATTEMPTS
    # a key mistake costs at most KEY_ATTEMPTS problems before it is relaxed
    candidates = d.attempts - sum(
        n for why, n in d.rejected.items() if why in (generation.INVALID, generation.DEGENERATE)
    )
    assert candidates <= KEY_ATTEMPTS
    assert set(d.relaxed) <= set(k.must_distinguish)
    return counted.attempts


@pytest.mark.parametrize(
    ("kind", "overrides"),
    [
        ("adam", {"t": 5000}),  # bias correction is gone by step 5000: the key mistake hides
        ("adam", {"t": [100, 5000]}),
        ("adamw", {"t": 5000, "weight_decay": 1e-4}),
        ("adam", {"grad_scale": 1e-8}),  # ε-dominated: every draw is degenerate
        ("lr-step", {"gamma": 1.0}),  # never decays: no problem at all
        ("adam-overshoot", {"t": 100_000}),
        ("lr-warm-restarts", {"T_0": 10_000, "cycle": 3, "T_mult": 2}),
        ("lr-wsd", {"num_warmup_steps": 10_000, "num_stable_steps": 100_000}),
    ],
)
def test_the_worst_overrides_draw_in_bounded_work(
    kind: str, overrides: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _bounded(kind, overrides, monkeypatch) <= MAX_ATTEMPTS


@pytest.mark.slow
@pytest.mark.parametrize("kind", drills.kinds())
def test_every_parameter_at_its_limits_draws_in_bounded_work(
    kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for overrides in _limit_overrides(kind):
        _bounded(kind, overrides, monkeypatch)


def test_a_hidden_key_mistake_is_relaxed_after_key_attempts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    counted = Counted(monkeypatch)
    p = drills.generate("adam", 3, {"t": 5000, "beta2": 0.99})
    assert counted.attempts == KEY_ATTEMPTS  # every draw is a problem; none shows the slip
    # the problem is still a fair one: right answer accepted, typing θ back is not
    assert drills.grade(p, p.answers_text["theta"]).correct
    assert not drills.grade(p, repr(p.given["theta"])).correct
    d = generation.draw(get_kind("adam"), 3, {"t": 5000, "beta2": 0.99})
    assert d.relaxed == ("no_bias_correction",) and d.attempts == KEY_ATTEMPTS


def test_fixed_values_the_kind_would_not_pick_still_give_their_problem(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # N divisible by B: ceil and floor agree, a draw steps-per-epoch avoids, but a deck
    # that fixes the numbers gets exactly that problem, after MAX_ATTEMPTS draws, no more
    counted = Counted(monkeypatch)
    fixed = {"dataset_size": 1_024_000, "batch_size": 512, "epochs": 1}
    p = drills.generate("steps-per-epoch", 0, fixed)
    assert p.answers["steps_per_epoch"] == 2000 and counted.attempts == MAX_ATTEMPTS
    errors, warnings = drills.check_overrides("steps-per-epoch", fixed)
    assert errors == [] and "degenerate" in warnings[0]


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
def test_default_draws_never_need_relaxing() -> None:
    for kind in drills.kinds():
        k = get_kind(kind)
        for seed in range(20):
            d = generation.draw(k, seed, {})
            assert d.relaxed == () and d.attempts < MAX_ATTEMPTS / 4, (kind, seed)


# ---- a long history costs at most HISTORY_STEPS engine steps ------------------------------
def test_a_long_adam_history_is_bounded_and_realistic(monkeypatch: pytest.MonkeyPatch) -> None:
    steps = 0
    real_get = optim.get

    def counting_get(name: str, **kw: Any) -> Any:
        opt = real_get(name, **kw)
        step, trace = opt.step, opt.step_trace

        def counted_step(*args: Any, **kwargs: Any) -> Any:
            nonlocal steps
            steps += 1
            return step(*args, **kwargs)

        def counted_trace(*args: Any, **kwargs: Any) -> Any:
            nonlocal steps
            steps += 1
            return trace(*args, **kwargs)

        opt.step, opt.step_trace = counted_step, counted_trace
        return opt

    monkeypatch.setattr(optim_common.optim, "get", counting_get)
    k = get_kind("adam")
    for seed in range(5):
        s = Sampler("adam", k.param_map, seed, 0, {})
        steps = 0
        m, v, g = adam_history(s, 0.01, 0.9, 0.999, 5000)
        assert steps <= HISTORY_STEPS + 1
        # v averages ≈ 1000 squared gradients: it sits near (1 − β₂ᵗ)·E[g²], and |m| ≤ max |g|
        mean = 0.01 * (0.3 + 0.7 * s.uniform("g_mean"))
        noise = 0.01 * (0.2 + 1.0 * s.uniform("g_noise"))
        expected_v = (1 - 0.999**5000) * (mean**2 + noise**2)
        assert v == pytest.approx(expected_v, rel=0.35)
        assert abs(m) <= mean + math.sqrt(3) * noise + 1e-12 and math.isfinite(g)


def test_a_short_history_is_every_engine_step_from_zero() -> None:
    # t ≤ HISTORY_STEPS: m, v are the engine's Adam after exactly t steps of the drawn gradients
    k = get_kind("adam")
    s = Sampler("adam", k.param_map, 11, 0, {})
    t = 20
    m, v, _ = adam_history(s, 0.1, 0.9, 0.99, t)
    mu = 0.1 * (0.3 + 0.7 * s.uniform("g_mean")) * s.sign("g_sign")
    sigma = 0.1 * (0.2 + 1.0 * s.uniform("g_noise"))
    zs = [(2 * u - 1) * math.sqrt(3) for u in s.uniforms("g_history", t + 1)]
    grads = [float(f"{mu + sigma * z:.2g}") for z in zs]
    opt = optim.get("adam", lr=0.0, betas=(0.9, 0.99))
    theta, state = np.zeros(1), opt.init(np.zeros(1))
    for gi in grads[:t]:
        _, state = opt.step(theta, np.array([gi]), state)
    assert (m, v) == (float(f"{state.m[0]:.3g}"), float(f"{state.v[0]:.3g}"))


# ---- override checks: errors refuse, warnings report ------------------------------------
def test_default_ranges_raise_no_warning() -> None:
    for kind in drills.kinds():
        assert drills.check_overrides(kind, {}) == ([], []), kind


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
def test_an_override_that_hides_the_point_of_the_drill_is_reported() -> None:
    errors, warnings = drills.check_overrides("adam", {"t": 5000})
    assert errors == []
    assert len(warnings) == 1 and "'no_bias_correction'" in warnings[0]
    assert "not clearly visible in 4 of 4 sample problems" in warnings[0]
    assert drills.validate_overrides("adam", {"t": 5000}) == []  # a warning, not a refusal


def test_an_override_whose_draws_are_mostly_rejected_is_reported() -> None:
    errors, warnings = drills.check_overrides("adam", {"grad_scale": [1e-8, 2e-6]})
    assert errors == []
    assert len(warnings) == 1 and "were rejected" in warnings[0] and "degenerate" in warnings[0]


def test_an_override_with_no_problem_at_all_is_an_error() -> None:
    errors, warnings = drills.check_overrides("lr-step", {"gamma": 1.0})
    assert errors and "no valid problem could be drawn with gamma = 1.0" in errors[0]
    assert warnings == []


def test_weight_decay_shrink_refuses_a_zero_decay() -> None:
    # λ = 0 used to crash (the engine's AdamW trace has no decay factor then)
    assert (
        "weight_decay must be a number in (0.0, 10.0]"
        in drills.validate_overrides("weight-decay-shrink", {"weight_decay": 0.0})[0]
    )


DECK = """\
deck = "d"
[[drill]]
id = "d.adam-late"
drill = "adam"
params = { t = 5000 }
"""


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
def test_the_deck_check_warns_about_such_overrides(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "late.toml"
    path.write_text(DECK, encoding="utf-8")
    code = main(["check", "--no-shipped", str(path)])
    out = capsys.readouterr().out
    assert code == 0  # a warning does not fail the check
    assert f"{path}:5: warning: drill[1].params: drill 'adam': with t = 5000" in out


def test_the_drill_command_warns_on_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["drill", "adam", "--seed", "1", "--param", "t=5000", "--json"])
    out, err = capsys.readouterr()
    assert code == 0 and out.startswith("{")
    assert "quizapp drill: warning: drill 'adam': with t = 5000" in err
    code = main(["drill", "adam", "--seed", "1", "--param", "t=7", "--json"])
    assert code == 0 and capsys.readouterr().err == ""
