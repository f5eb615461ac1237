"""Numeric checks of the follow-up topic files of the optimizers deck (files 14 onward).

Every number those items state that ``quizapp.engine`` can compute is computed here and compared
with the text; facts that torch defines (defaults, constants, behaviour) are checked against torch
when it is installed. A fact a follow-up item stated and the deck review merged into an item of the
notes' files (01–13) is checked there: ``_says`` looks items up across the whole deck.
The gates (tags, sources, sections, trap justifications) are in test_content_followups.py.
"""

from __future__ import annotations

import importlib.util
import itertools
import math
import tomllib
from pathlib import Path

import numpy as np
import pytest

from quizapp.decks import DrillItem, Flashcard, Trap
from quizapp.decks.models import DeckFile
from quizapp.engine import optim, schedules
from tests.lazy_torch import uses_torch

DECK_DIR = Path(__file__).resolve().parents[2] / "content" / "optimizers"
HAS_TORCH = importlib.util.find_spec("torch") is not None

Item = Flashcard | Trap | DrillItem


def _load(path: Path) -> DeckFile:
    return DeckFile.model_validate(tomllib.loads(path.read_text(encoding="utf-8")))


DECK_ITEMS: dict[str, Item] = {
    it.id: it for p in sorted(DECK_DIR.glob("*.toml")) for it in _load(p).items
}


def _text(item: Item) -> str:
    if isinstance(item, Flashcard):
        parts = [item.front, item.back, item.hint or "", item.deeper or ""]
    elif isinstance(item, Trap):
        parts = [
            item.question or "",
            item.claim,
            item.why_wrong,
            item.correct,
            *item.distractors,
            *item.why_true,
        ]
    else:
        parts = [item.title or "", item.note or ""]
    return " ".join(parts)


def _says(item_id: str, *fragments: str) -> None:
    """The item exists and its text contains every fragment (the number the test computed)."""
    assert item_id in DECK_ITEMS, f"no item {item_id} in the deck"
    text = _text(DECK_ITEMS[item_id])
    for fragment in fragments:
        assert fragment in text, f"{item_id} should say {fragment!r}"


# ================================================================= clipping


def _clip_engine():
    return pytest.importorskip("quizapp.engine.clip")


def test_clip_coefficient_example_with_the_engine() -> None:
    clip = _clip_engine()
    g1 = np.array([3.0, 0.0])
    g2 = np.array([0.0, 0.0, 4.0])
    clipped, total = clip.clip_grad_norm([g1, g2], max_norm=1.0)
    assert float(total) == 5.0
    coef = 1.0 / (5.0 + 1e-6)
    assert np.linalg.norm(clipped[0]) == pytest.approx(3 * coef, rel=1e-12)
    assert np.linalg.norm(clipped[1]) == pytest.approx(4 * coef, rel=1e-12)
    _says("optimizers.clipping.coefficient-example", "= 5", "1/(5 + 1e-6) ≈ 0.2", "≈0.6", "≈0.8")


@uses_torch
def test_clip_coefficient_example_against_torch() -> None:
    torch = pytest.importorskip("torch")
    a = torch.nn.Parameter(torch.zeros(2, dtype=torch.float64))
    b = torch.nn.Parameter(torch.zeros(3, dtype=torch.float64))
    a.grad = torch.tensor([3.0, 0.0], dtype=torch.float64)
    b.grad = torch.tensor([0.0, 0.0, 4.0], dtype=torch.float64)
    total = torch.nn.utils.clip_grad_norm_([a, b], max_norm=1.0)
    assert float(total) == 5.0
    assert round(float(a.grad.norm()), 6) == 0.6 and round(float(b.grad.norm()), 6) == 0.8
    # The coefficient is max_norm / (norm + 1e-6), as the cards say.
    assert float(a.grad[0]) == 3.0 * (1.0 / (5.0 + 1e-6))
    _says("optimizers.clipping.why-clip", "max_norm/(norm + 1e-6)")


@uses_torch
def test_clip_leaves_small_gradients_alone_and_does_not_fix_nan_in_torch() -> None:
    torch = pytest.importorskip("torch")
    p = torch.nn.Parameter(torch.zeros(3))
    p.grad = torch.tensor([0.1, -0.2, 0.05])
    before = p.grad.clone()
    torch.nn.utils.clip_grad_norm_([p], max_norm=10.0)
    assert torch.equal(p.grad, before)
    p.grad = torch.tensor([1.0, float("nan"), 2.0])
    torch.nn.utils.clip_grad_norm_([p], max_norm=1.0)
    assert torch.isnan(p.grad).all()
    p.grad = torch.tensor([1.0, float("nan"), 2.0])
    with pytest.raises(RuntimeError):
        torch.nn.utils.clip_grad_norm_([p], max_norm=1.0, error_if_nonfinite=True)
    _says("optimizers.clipping.trap-fixes-nan", "every gradient", "error_if_nonfinite=True")


def test_global_norm_clipping_keeps_the_direction() -> None:
    clip = _clip_engine()
    grads = [np.array([30.0, -4.0]), np.array([0.5])]
    clipped, _ = clip.clip_grad_norm(grads, max_norm=1.0)
    flat, flat_c = np.concatenate(grads), np.concatenate(clipped)
    assert np.allclose(flat_c / np.linalg.norm(flat_c), flat / np.linalg.norm(flat))
    by_value = clip.clip_grad_value(grads, clip_value=1.0)
    flat_v = np.concatenate(by_value)
    assert not np.allclose(flat_v / np.linalg.norm(flat_v), flat / np.linalg.norm(flat))


# ================================================================= Adam: warmup, β₂, ε


def test_adam_first_step_moves_every_coordinate_by_eta() -> None:
    lr = 1e-3
    adam = optim.get("adam", lr=lr)
    grads = np.array([1e-4, 5.0, -300.0, 0.02])
    theta, _ = adam.step(np.zeros(4), grads, adam.init(np.zeros(4)))
    assert np.allclose(np.abs(theta), lr, rtol=1e-3)
    assert np.linalg.norm(theta) == pytest.approx(lr * math.sqrt(4), rel=1e-3)
    _says("optimizers.adam-warmup.sign-like-first-steps", "m̂/√v̂ = g/|g|", "≈η·√n")
    _says("optimizers.schedules.trap-warmup-only-sgd", "η·sign(g)")


def test_radam_first_five_steps_are_momentum_steps_then_rectified() -> None:
    lr, beta2 = 1e-3, 0.999
    radam = optim.get("radam", lr=lr, betas=(0.9, beta2))
    g = np.array([0.5, -3.0])
    theta, state = np.zeros(2), radam.init(np.zeros(2))
    deltas = []
    for _ in range(6):
        new, state = radam.step(theta, g, state)
        deltas.append(new - theta)
        theta = new
    for delta in deltas[:5]:  # constant g, so m̂ = g: a plain momentum-SGD step η·m̂
        assert np.allclose(delta, -lr * g, rtol=1e-12)
    rho_inf = 2 / (1 - beta2) - 1
    assert rho_inf == pytest.approx(1999)
    t = 6
    rho_t = rho_inf - 2 * t * beta2**t / (1 - beta2**t)
    r_t = math.sqrt((rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t))
    # At step 6 the adaptive step (≈η per coordinate for a constant g) is scaled by r₆ ≈ 0.03.
    assert np.allclose(np.abs(deltas[5]), lr * r_t, rtol=1e-3)
    assert round(r_t, 2) == 0.03
    _says("optimizers.adam-warmup.radam", "first 5 steps", "rₜ ≈ 0.03", "ρₜ ≤ 5")
    _says("optimizers.adam-warmup.radam", "ρ_∞ = 2/(1−β₂) − 1 = 1999")


def test_untuned_warmup_lengths() -> None:
    assert pytest.approx(2000) == 2 / (1 - 0.999)
    assert pytest.approx(40) == 2 / (1 - 0.95)
    _says("optimizers.adam-warmup.warmup-length", "2,000 steps for β₂ = 0.999", "40 for")


def test_beta2_horizons() -> None:
    assert round(1 / (1 - 0.999)) == 1000 and round(1 / (1 - 0.95)) == 20
    _says("optimizers.beta2.averaging-horizon", "≈1,000 steps for 0.999", "≈20 for 0.95")
    assert round(1 / (1 - 0.9)) == 10
    _says("optimizers.beta2.beta1-role", "1/(1−β₁) = 10")


@pytest.mark.parametrize(("beta2", "expected"), [(0.999, "≈3.16η"), (0.95, "≈0.45η")])
def test_adam_surprise_step_after_a_quiet_stretch(beta2: float, expected: str) -> None:
    lr = 1.0
    adam = optim.get("adam", lr=lr, betas=(0.9, beta2), eps=0.0)
    quiet = optim.AdamState(m=np.zeros(1), v=np.zeros(1), t=10_000)
    for spike in (7.0, 7e5):  # whatever the size of the gradient
        theta, _ = adam.step(np.zeros(1), np.array([spike]), quiet)
        step = -float(theta[0]) / lr
        # Bias corrections at t = 10,001 are 1 to within 1e-4.
        assert step == pytest.approx(0.1 / math.sqrt(1 - beta2), rel=1e-4)
    assert f"≈{step:.2f}η" == expected
    _says("optimizers.adam.step-size-bound", f"≈ {step:.2f}·η with β₂ = {beta2}")
    if beta2 == 0.999:
        _says("optimizers.clipping.under-adam", "≈ 3.16η")
        _says("optimizers.beta2.trap-step-never-exceeds-lr", "about 3.16η")
    else:
        _says("optimizers.beta2.trap-step-never-exceeds-lr", "about 0.45η")


def test_adam_with_beta1_zero_is_rmsprop_with_bias_corrected_v() -> None:
    beta2, lr = 0.9, 1e-2
    adam = optim.get("adam", lr=lr, betas=(0.0, beta2), eps=1e-8)
    rms = optim.get("rmsprop", lr=lr, alpha=beta2, eps=1e-8)
    rng = np.random.default_rng(0)
    pa = pr = np.ones(3)
    sa, sr = adam.init(pa), rms.init(pr)
    for _ in range(400):  # long enough that 1 − β₂ᵗ = 1 in float64
        g = rng.normal(size=3)
        na, sa = adam.step(pa, g, sa)
        nr, sr = rms.step(pr, g, sr)
        step_a, step_r = na - pa, nr - pr
        pa, pr = na, nr
    # Same v (both average g² from zero); the steps differ only by 1 − β₂ᵗ, now 1.
    assert np.allclose(sa.v, sr.v, rtol=1e-15)
    assert np.allclose(step_a, step_r, rtol=1e-9)
    _says("optimizers.beta2.beta1-role", "RMSprop with a bias-corrected v")


def test_adam_with_zero_betas_and_eps_is_sign_descent() -> None:
    lr = 0.01
    adam = optim.get("adam", lr=lr, betas=(0.0, 0.0), eps=0.0)
    g = np.array([1e-6, -3.0, 250.0])
    theta, _ = adam.step(np.zeros(3), g, adam.init(np.zeros(3)))
    assert np.array_equal(theta, -lr * np.sign(g))
    _says("optimizers.beta2.sign-descent-view", "β₁ = β₂ = 0 and ε = 0", "= sign(g)")


def test_adam_with_huge_eps_is_momentum_sgd_with_lr_eta_over_eps() -> None:
    eta, eps = 1e-3, 10.0
    adam = optim.get("adam", lr=eta, eps=eps)
    sgd = optim.get("sgd", lr=eta / eps, momentum=0.9, dampening=0.9)
    rng = np.random.default_rng(0)
    pa = pb = np.ones(5)
    sa, sb = adam.init(pa), sgd.init(pb)
    for _ in range(200):
        g = rng.normal(size=5) * 0.1
        na, sa = adam.step(pa, g, sa)
        nb, sb = sgd.step(pb, g, sb)
        da, db = na - pa, nb - pb
        pa, pb = na, nb
    gap = float(np.max(np.abs(da / db - 1)))
    assert 0 < gap < 0.02  # "within about 1 %": √v̂ ≈ 0.1 next to ε = 10
    _says("optimizers.epsilon.large-eps-regime", "η·m̂/ε", "η/ε", "η = 1e-3", "ε = 10")
    _says("optimizers.epsilon.large-eps-regime", "lr = 1e-4", "within about 1 %")
    # One step from zero state: exactly η·g/(|g| + ε) ≈ η·g/ε.
    theta, _ = adam.step(np.zeros(1), np.array([0.01]), adam.init(np.zeros(1)))
    assert float(theta[0]) == pytest.approx(-eta * 0.01 / eps, rel=2e-3)


def test_eps_inside_the_root_is_like_sqrt_eps_outside() -> None:
    eps_tf = 1e-3
    g = np.array([1e-6])  # v ≪ ε: the regime where the two placements differ most
    rms = optim.get("rmsprop", lr=1e-3, eps=eps_tf)
    inside, _, _ = rms.step_trace(
        np.zeros(1), g, rms.init(np.zeros(1)), mistakes=optim.Mistakes(eps_inside_sqrt=True)
    )
    outside_rms = optim.get("rmsprop", lr=1e-3, eps=math.sqrt(eps_tf))
    outside, _ = outside_rms.step(np.zeros(1), g, outside_rms.init(np.zeros(1)))
    assert float(inside[0]) == pytest.approx(float(outside[0]), rel=1e-3)
    assert round(math.sqrt(eps_tf), 2) == 0.03
    _says("optimizers.epsilon.inside-or-outside-sqrt", "ε = 1e-3", "ε ≈ 0.03", "√(v + ε)")


def test_eps_1e_8_underflows_in_fp16() -> None:
    assert np.float16(1e-8) == 0
    smallest = float(np.finfo(np.float16).smallest_subnormal)
    assert f"{smallest:.0e}" == "6e-08"
    _says("optimizers.epsilon.fp16-underflow", "(≈6e-8)")
    _says("optimizers.epsilon.trap-larger-eps-larger-steps", "≈6e-8")


@uses_torch
def test_adam_eps_default_against_torch() -> None:
    torch = pytest.importorskip("torch")
    opt = torch.optim.Adam([torch.nn.Parameter(torch.zeros(1))])
    assert opt.defaults["eps"] == 1e-8 == optim.defaults("adam")["eps"]
    _says("optimizers.epsilon.trap-only-a-guard", "ε = 1e-8 by default")


# ================================================================= AdamW in practice


def test_adamw_decay_is_one_minus_lr_times_lambda_per_step() -> None:
    lr, lam = 0.01, 0.1
    adamw = optim.get("adamw", lr=lr, weight_decay=lam)
    theta = np.array([2.0, -1.0])
    state = adamw.init(theta)
    zero = np.zeros(2)
    one, state = adamw.step(theta, zero, state)
    assert np.allclose(one, theta * (1 - lr * lam), rtol=1e-15)
    tau = round(1 / (lr * lam))  # 1,000 steps
    for _ in range(tau - 1):
        one, state = adamw.step(one, zero, state)
    assert np.allclose(one / theta, (1 - lr * lam) ** tau, rtol=1e-9)
    assert (1 - lr * lam) ** tau == pytest.approx(math.exp(-1), rel=1e-3)
    assert round(100 * (1 - math.exp(-1))) == 63
    _says("optimizers.adamw-practice.time-constant", "τ = 1/(ηλ)", "about 63 %")
    _says("optimizers.adamw-practice.lr-times-lambda", "(1 − η·λ)")
    _says("optimizers.adamw-practice.trap-lambda-independent-of-lr", "1 − η·λ")


def test_adamw_time_constant_example() -> None:
    tau = 1 / (3e-4 * 0.1)
    assert round(tau, -3) == 33_000
    _says("optimizers.adamw-practice.time-constant", "η = 3e-4 and λ = 0.1")
    _says("optimizers.adamw-practice.time-constant", "τ ≈ 33,000 steps")


@uses_torch
def test_adamw_defaults_and_decoupled_adam_against_torch() -> None:
    torch = pytest.importorskip("torch")
    p = [torch.nn.Parameter(torch.zeros(1))]
    assert torch.optim.AdamW(p).defaults["weight_decay"] == 0.01
    assert torch.optim.Adam(p).defaults["weight_decay"] == 0
    _says("optimizers.adamw-practice.typical-values", "weight_decay = 0.01", "Adam to 0")
    torch.manual_seed(0)
    w0 = torch.randn(5, dtype=torch.float64)
    grads = [torch.randn(5, dtype=torch.float64) for _ in range(3)]
    results = []
    for make in (
        lambda ps: torch.optim.AdamW(ps, lr=0.1, weight_decay=0.3),
        lambda ps: torch.optim.Adam(ps, lr=0.1, weight_decay=0.3, decoupled_weight_decay=True),
        lambda ps: torch.optim.Adam(ps, lr=0.1, weight_decay=0.3),
    ):
        w = torch.nn.Parameter(w0.clone())
        opt = make([w])
        for g in grads:
            w.grad = g.clone()
            opt.step()
        results.append(w.detach().clone())
    assert torch.allclose(results[0], results[1], rtol=0, atol=1e-15)
    assert not torch.allclose(results[0], results[2])
    _says("optimizers.adamw.idea", "Adam(..., decoupled_weight_decay=True)")
    _says("optimizers.traps.weight-decay-equals-l2-in-adam", "Adam(decoupled_weight_decay=True)")


@uses_torch
def test_adamw_skips_parameters_without_a_gradient_in_torch() -> None:
    torch = pytest.importorskip("torch")
    used = torch.nn.Parameter(torch.ones(2))
    unused = torch.nn.Parameter(torch.ones(2))
    opt = torch.optim.AdamW([used, unused], lr=0.1, weight_decay=0.5)
    used.grad = torch.zeros(2)
    opt.step()
    assert torch.allclose(used.detach(), torch.full((2,), 1 - 0.1 * 0.5))
    assert torch.equal(unused.detach(), torch.ones(2)) and unused not in opt.state
    import inspect

    default = inspect.signature(torch.optim.Optimizer.zero_grad).parameters["set_to_none"].default
    assert default is True
    _says("optimizers.accumulation.grad-none-skipped", "no weight decay", "None by default")
    _says("optimizers.accumulation.grad-none-skipped", "A gradient of zeros is different")


# ================================================================= schedules


def test_cosine_annealing_climbs_back_after_t_max() -> None:
    f = schedules.get("cosine", base_lr=0.1, T_max=100, eta_min=0.0)
    assert f(100) == pytest.approx(0.0, abs=1e-15)
    assert f(150) == pytest.approx(0.05) and f(200) == pytest.approx(0.1)
    _says("optimizers.schedulers.per-batch-stepping-bug", "2·T_max")
    _says("optimizers.schedulers.trap-cosine-holds-minimum", "2·T_max")


@uses_torch
def test_cosine_annealing_past_t_max_in_torch_and_onecycle_overstep() -> None:
    torch = pytest.importorskip("torch")
    opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=10)
    lrs = []
    for _ in range(20):
        opt.step()
        sched.step()
        lrs.append(sched.get_last_lr()[0])
    assert lrs[9] == pytest.approx(0.0, abs=1e-12) and lrs[19] == pytest.approx(0.1)
    opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1)
    one = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.1, total_steps=3)
    with pytest.raises(ValueError):
        for _ in range(5):
            opt.step()
            one.step()


@uses_torch
def test_onecycle_endpoints_with_the_engine_and_torch_defaults() -> None:
    max_lr, total = 0.01, 1000
    f = schedules.get("onecycle", max_lr=max_lr, total_steps=total)
    assert f(0) == pytest.approx(max_lr / 25)
    assert f(total - 1) == pytest.approx(max_lr / (25 * 1e4))
    assert f(299) == pytest.approx(max_lr)  # peak at 30 % of the steps
    _says("optimizers.schedulers.onecycle", "max_lr/25", "first 30 %", "max_lr/(25·10⁴)")
    _says("optimizers.schedulers.onecycle", "0.95 → 0.85 → 0.95")
    if HAS_TORCH:
        import inspect

        import torch

        params = inspect.signature(torch.optim.lr_scheduler.OneCycleLR.__init__).parameters
        expected = {
            "pct_start": 0.3,
            "div_factor": 25.0,
            "final_div_factor": 1e4,
            "base_momentum": 0.85,
            "max_momentum": 0.95,
            "anneal_strategy": "cos",
        }
        for name, value in expected.items():
            assert params[name].default == value, name


def test_sgdr_restart_points() -> None:
    f = schedules.get("cosine_warm_restarts", base_lr=0.1, T_0=10, T_mult=2)
    restarts = [k for k in range(1, 100) if f(k) == pytest.approx(0.1) and f(k - 1) < 0.05]
    assert restarts[:3] == [10, 30, 70]
    _says("optimizers.schedulers.sgdr", "10, 20, 40", "steps 10, 30 and 70")


def test_inverse_sqrt_peak_and_decay() -> None:
    peak = 512**-0.5 * 4000**-0.5
    assert f"{peak:.1e}" == "7.0e-04"
    noam = [512**-0.5 * min(s**-0.5, s * 4000**-1.5) for s in (1000, 4000, 16000)]
    assert max(noam) == noam[1] and noam[2] == pytest.approx(noam[1] / 2)
    _says("optimizers.schedulers.inverse-sqrt", "≈ 7.0e-4", "half the peak")
    if "inverse_sqrt" in schedules.names():
        f = schedules.get("inverse_sqrt", base_lr=peak, num_warmup_steps=4000)
        assert f(4000) == pytest.approx(peak)
        assert f(16000) == pytest.approx(peak / 2)


@uses_torch
def test_reduce_on_plateau_first_cut_after_eleven_bad_epochs() -> None:
    metrics = [1.0] * 15  # the first call sets the best value; every later one is "bad"
    if hasattr(schedules, "plateau"):
        plateau = schedules.plateau(
            base_lr=1.0,
            mode="min",
            factor=0.1,
            patience=10,
            threshold=1e-4,
            threshold_mode="rel",
            cooldown=0,
            min_lr=0.0,
            eps=1e-8,
        )
        lrs = list(plateau(metrics))
        assert lrs[10] == 1.0 and lrs[11] == pytest.approx(0.1)
    if HAS_TORCH:
        import torch

        opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=1.0)
        sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt)
        lrs = []
        for m in metrics:
            sched.step(m)
            lrs.append(sched.get_last_lr()[0])
        assert lrs.index(0.1) == 11  # the 12th call: 11 bad epochs > patience = 10
        assert (sched.patience, sched.factor, sched.threshold) == (10, 0.1, 1e-4)
    _says("optimizers.schedulers.reduce-on-plateau", "patience (default 10)", "(default 0.1)")
    _says("optimizers.schedulers.reduce-on-plateau", "11th bad epoch", "relative 1e-4")


# ================================================================= batch size and accumulation


def test_goyal_linear_scaling_example() -> None:
    assert pytest.approx(3.2) == 0.1 * 8192 / 256
    _says("optimizers.batch-size.linear-scaling-precisely", "η = 0.1·B/256", "(η = 3.2)")
    assert math.sqrt(4) == 2
    _says("optimizers.batch-size.sqrt-scaling-adam", "a 4× batch calls for 2× η")


def test_critical_batch_size_costs_twice_the_minimum_steps_and_data() -> None:
    b_noise = 4096.0
    for batch in (256.0, 4096.0, 65536.0):
        steps = 1 + b_noise / batch  # S/S_min
        examples = 1 + batch / b_noise  # E/E_min
        assert (steps - 1) * (examples - 1) == pytest.approx(1.0)
    assert 1 + b_noise / b_noise == 2
    _says("optimizers.batch-size.critical-batch-size", "(S/S_min − 1)(E/E_min − 1) = 1", "2×")


def test_accumulated_micro_batches_give_the_large_batch_step() -> None:
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(32, 3)), rng.normal(size=32)
    w = rng.normal(size=3)

    def mean_grad(xb: np.ndarray, yb: np.ndarray) -> np.ndarray:
        return 2 * xb.T @ (xb @ w - yb) / len(yb)

    sgd = optim.get("sgd", lr=0.05)
    full, _ = sgd.step(w, mean_grad(x, y), sgd.init(w))
    accumulated = sum(mean_grad(x[i : i + 8], y[i : i + 8]) / 4 for i in range(0, 32, 8))
    acc, _ = sgd.step(w, accumulated, sgd.init(w))
    assert np.allclose(full, acc, rtol=1e-13)
    # Forgetting the 1/K: SGD's step is K times larger, Adam's barely changes.
    summed = accumulated * 4
    forgot, _ = sgd.step(w, summed, sgd.init(w))
    assert np.allclose(forgot - w, 4 * (acc - w))
    # With torch's L2 weight_decay the equivalence breaks: λθ is added once to the summed
    # gradient, where K× the learning rate would add it K times.
    sgd_wd = optim.get("sgd", lr=0.05, weight_decay=0.1)
    forgot_wd, _ = sgd_wd.step(w, summed, sgd_wd.init(w))
    k_times_lr, _ = optim.get("sgd", lr=0.2, weight_decay=0.1).step(w, accumulated, sgd_wd.init(w))
    assert not np.allclose(forgot_wd, k_times_lr)
    assert np.allclose(forgot_wd - w, 4 * (acc - w) - 0.05 * 0.1 * w)
    adam = optim.get("adam", lr=1e-3)
    a1, _ = adam.step(w, accumulated, adam.init(w))
    a4, _ = adam.step(w, summed, adam.init(w))
    assert np.allclose(a1, a4, rtol=0, atol=1e-10)
    _says("optimizers.accumulation.forgot-to-divide", "exactly an 8× larger learning rate")
    _says("optimizers.accumulation.forgot-to-divide", "L2 weight_decay term λθ now counts 8× less")


def test_effective_batch_example_with_the_steps_per_epoch_drill() -> None:
    drills = pytest.importorskip("quizapp.engine.drills")
    effective = 16 * 4 * 8
    assert effective == 512
    problem = drills.generate(
        "steps-per-epoch",
        0,
        overrides={"dataset_size": 1_024_000, "batch_size": effective, "epochs": 1},
    )
    assert problem.answers["steps_per_epoch"] == 2000
    assert 1_024_000 // (16 * 8) == 8000
    _says("optimizers.accumulation.effective-batch", "16 × 4 × 8 = 512", "= 2,000", "8,000")


def test_token_normalization_example() -> None:
    losses_a, losses_b = [1.0] * 2, [3.0] * 6
    mean_of_means = (np.mean(losses_a) + np.mean(losses_b)) / 2
    token_mean = np.mean(losses_a + losses_b)
    assert (mean_of_means, token_mean) == (2.0, 2.5)
    _says("optimizers.accumulation.token-normalization", "mean of the means is 2")
    _says("optimizers.accumulation.token-normalization", "the 8 tokens is 2.5")


# ================================================================= memory


def _state_tensors(name: str, **kwargs: object) -> int:
    """How many parameter-sized arrays the engine's optimizer keeps per parameter."""
    params = np.zeros(7)
    state = optim.get(name, **kwargs).init(params)
    return sum(
        1
        for value in vars(state).values()
        if isinstance(value, np.ndarray) and value.shape == params.shape
    )


def test_state_counts_behind_the_byte_counts() -> None:
    assert _state_tensors("adam") == 2
    assert _state_tensors("adamw") == 2
    assert _state_tensors("adam", amsgrad=True) == 3
    assert _state_tensors("lion") == 1
    fp32, half = 4, 2
    mixed_adam = half + half + fp32 + _state_tensors("adam") * fp32
    pure_fp32_adam = fp32 + fp32 + _state_tensors("adam") * fp32
    assert mixed_adam == pure_fp32_adam == 16
    mixed_lion = half + half + fp32 + _state_tensors("lion") * fp32
    assert mixed_lion == 12
    eight_bit_adam = half + half + fp32 + _state_tensors("adam") * 1
    assert eight_bit_adam == 10
    _says("optimizers.mixed-precision.sixteen-bytes", "2 + 2 + 4 + 4 + 4", "(4 + 4 + 4 + 4)")
    _says("optimizers.mixed-precision.trap-halves-memory", "2 + 2 + 4 (fp32 master)")
    _says("optimizers.lion.memory", "12 B/param instead of 16", "4 B/param")
    _says("optimizers.memory-efficient.eight-bit-bytes", "= 10 B/param")
    _says("optimizers.memory-efficient.eight-bit-bytes", "by 75 %")
    _says("optimizers.amsgrad.trap-same-state", "three state tensors")
    _says("optimizers.lion.trap-two-moments", "only the momentum")


def test_memory_examples() -> None:
    gb = 1e9
    assert 7e9 * 16 / gb == pytest.approx(112)
    _says("optimizers.mixed-precision.sixteen-bytes", "≈112 GB")
    _says("optimizers.sharding.memory-budget", "7B × 16 B = 112 GB", "14 GB each", "= 70 GB")
    assert 7e9 * 16 / 8 / gb == pytest.approx(14) and 7e9 * 10 / gb == pytest.approx(70)
    lora = 7e9 * 0.005 * 16 / gb
    assert round(lora, 2) == 0.56 and 7e9 * 2 / gb == pytest.approx(14)
    _says("optimizers.fine-tuning.lora-memory", "(14 GB in bf16)", "(≈0.56 GB)")


def test_zero_stage_memory_example() -> None:
    psi, n = 7.5e9, 64
    replicated = psi * 16 / 1e9
    stage1 = psi * (2 + 2 + 12 / n) / 1e9
    stage2 = psi * (2 + 14 / n) / 1e9
    stage3 = psi * 16 / n / 1e9
    assert (round(replicated), round(stage1, 1), round(stage2, 1), round(stage3, 1)) == (
        120,
        31.4,
        16.6,
        1.9,
    )
    _says("optimizers.sharding.zero-stages", "120 GB", "≈31.4, ≈16.6 and ≈1.9 GB")
    _says("optimizers.sharding.zero-stages", "2 + 2 + 12/N", "2 + 14/N", "16/N")


def test_adafactor_factored_size() -> None:
    assert 4096 * 4096 == 16_777_216 and 4096 + 4096 == 8192
    _says("optimizers.memory-efficient.adafactor-factoring", "8,192 numbers", "≈16.8 million")
    assert 1 - 1 ** (-0.8) == 0
    _says("optimizers.memory-efficient.adafactor-other-choices", "β₂ₜ = 1 − t^(−0.8)")


@uses_torch
def test_adafactor_defaults_and_state_shapes_against_torch() -> None:
    torch = pytest.importorskip("torch")
    matrix = torch.nn.Parameter(torch.ones(6, 4))
    vector = torch.nn.Parameter(torch.ones(4))
    opt = torch.optim.Adafactor([matrix, vector])
    d = opt.defaults
    assert (d["lr"], d["beta2_decay"], d["eps"], d["d"], d["weight_decay"]) == (
        1e-2,
        -0.8,
        (None, 1e-3),
        1.0,
        0.0,
    )
    matrix.grad, vector.grad = torch.ones(6, 4), torch.ones(4)
    opt.step()
    state_m, state_v = opt.state[matrix], opt.state[vector]
    assert tuple(state_m["row_var"].shape) == (6, 1) and tuple(state_m["col_var"].shape) == (1, 4)
    assert tuple(state_v["variance"].shape) == (4,)
    assert not any("exp_avg" in key for key in (*state_m, *state_v))
    _says(
        "optimizers.memory-efficient.adafactor-other-choices",
        "lr = 1e-2, beta2_decay = −0.8, eps = (None, 1e-3), d = 1.0, weight_decay = 0",
    )


@uses_torch
def test_number_formats_against_torch_and_numpy() -> None:
    torch = pytest.importorskip("torch")
    one = torch.tensor(1.0, dtype=torch.bfloat16)
    assert one + torch.tensor(1e-3, dtype=torch.bfloat16) == one
    assert torch.finfo(torch.bfloat16).eps == 2**-7
    assert np.float16(1) + np.float16(1e-4) == np.float16(1)
    assert float(np.finfo(np.float16).eps) == 2**-10
    assert float(np.finfo(np.float16).max) == 65504
    assert f"{float(np.finfo(np.float16).tiny):.1e}" == "6.1e-05"
    assert f"{torch.finfo(torch.bfloat16).max:.1e}" == "3.4e+38"
    _says("optimizers.mixed-precision.master-weights", "2⁻⁷ ≈ 0.0078", "update of 1e-4 vanishes")
    _says("optimizers.mixed-precision.loss-scaling", "≈6.1e-5", "≈6e-8")
    _says("optimizers.mixed-precision.bf16-vs-fp16", "65,504", "≈3.4e38")


@uses_torch
def test_grad_scaler_defaults_and_bf16_state_dtype_against_torch() -> None:
    torch = pytest.importorskip("torch")
    import inspect

    params = inspect.signature(torch.amp.GradScaler.__init__).parameters
    assert params["init_scale"].default == 65536.0 == 2.0**16
    assert params["growth_factor"].default == 2.0 and params["backoff_factor"].default == 0.5
    assert params["growth_interval"].default == 2000
    _says("optimizers.mixed-precision.loss-scaling", "S = 65,536", "2,000 clean steps")
    p = torch.nn.Parameter(torch.ones(3, dtype=torch.bfloat16))
    opt = torch.optim.Adam([p])
    p.grad = torch.ones(3, dtype=torch.bfloat16)
    opt.step()
    state = opt.state[p]
    assert state["exp_avg"].dtype == state["exp_avg_sq"].dtype == torch.bfloat16
    bytes_per_param = 2 + 2 + state["exp_avg"].element_size() + state["exp_avg_sq"].element_size()
    assert bytes_per_param == 8
    _says("optimizers.mixed-precision.state-dtype", "= 8 B/param")


# ================================================================= convergence and sharpness


def _run_quadratic(curvatures: np.ndarray, steps: int, **hyper: float) -> np.ndarray:
    opt = optim.get("sgd", **hyper)
    theta = np.ones_like(curvatures)
    state = opt.init(theta)
    for _ in range(steps):
        theta, state = opt.step(theta, curvatures * theta, state)
    return theta


def test_gradient_descent_is_stable_below_two_over_l() -> None:
    L = 4.0
    lam = np.array([L])
    assert abs(_run_quadratic(lam, 300, lr=1.9 / L)[0]) < 1e-6
    assert not abs(_run_quadratic(lam, 300, lr=2.1 / L)[0]) < 1e6
    assert _run_quadratic(lam, 1, lr=1 / L)[0] == 0.0  # η = 1/L: one step on a 1-D quadratic
    signs = [np.sign(_run_quadratic(lam, k, lr=1.5 / L)[0]) for k in range(1, 5)]
    assert signs == [-1, 1, -1, 1]  # between 1/L and 2/L: oscillating, still converging
    _says("optimizers.convergence.two-over-l", "η < 2/L", "Between 1/L and 2/L")
    _says("optimizers.convergence.trap-diverges-above-one-over-l", "in one step")
    _says("optimizers.sharpness.edge-of-stability", "≈2/η")


def _steps_to(tol: float, curvatures: np.ndarray, **hyper: float) -> int:
    opt = optim.get("sgd", **hyper)
    theta = np.ones_like(curvatures)
    state = opt.init(theta)
    for k in range(1, 100_000):
        theta, state = opt.step(theta, curvatures * theta, state)
        if np.max(np.abs(theta)) < tol:
            return k
    raise AssertionError("no convergence")


def test_condition_number_and_heavy_ball_speed_up() -> None:
    mu, L = 0.01, 1.0
    kappa = L / mu
    lam = np.array([mu, L])
    gd_rate = (kappa - 1) / (kappa + 1)
    hb_rate = (math.sqrt(kappa) - 1) / (math.sqrt(kappa) + 1)
    assert round(gd_rate, 2) == 0.98 and round(hb_rate, 2) == 0.82
    gd_steps = _steps_to(1e-6, lam, lr=2 / (L + mu))
    hb_steps = _steps_to(1e-6, lam, lr=4 / (math.sqrt(L) + math.sqrt(mu)) ** 2, momentum=hb_rate**2)
    assert abs(gd_steps - 690) <= 5 and abs(hb_steps - 95) <= 3, (gd_steps, hb_steps)
    # The rate alone predicts 69 steps; the coinciding roots' factor t makes it ≈95.
    rate_only = math.ceil(math.log(1e6) / -math.log(hb_rate))
    assert rate_only == 69 < hb_steps
    _says("optimizers.convergence.heavy-ball-speedup", "≈95 steps rather than the 69")
    _says("optimizers.convergence.condition-number", "≈0.98 for κ = 100", "about 690 steps")
    _says("optimizers.convergence.heavy-ball-speedup", "≈0.82 instead of ≈0.98", "about 95 steps")
    _says("optimizers.convergence.trap-momentum-no-speedup", "about 95 steps", "about 690")
    _says("optimizers.convergence.heavy-ball-speedup", "η = 4/(√L + √µ)²")


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
def test_momentum_raises_the_stability_limit() -> None:
    lam = np.array([1.0])
    # torch's heavy ball b ← βb + g: limit 2(1 + β)/λ = 3.8 for β = 0.9.
    assert abs(_run_quadratic(lam, 3000, lr=3.7, momentum=0.9)[0]) < 1e-6
    assert not abs(_run_quadratic(lam, 3000, lr=3.9, momentum=0.9)[0]) < 1e6  # inf/nan too
    # Moving-average form m ← βm + (1−β)g (dampening = β): limit (2 + 2β)/((1 − β)λ) = 38.
    assert abs(_run_quadratic(lam, 6000, lr=37.0, momentum=0.9, dampening=0.9)[0]) < 1e-3
    assert not abs(_run_quadratic(lam, 6000, lr=39.0, momentum=0.9, dampening=0.9)[0]) < 1e6
    assert pytest.approx(38) == (2 + 2 * 0.9) / (1 - 0.9)
    _says("optimizers.convergence.momentum-stability-limit", "3.8/λ", "38/λ", "(38/η)")
    _says("optimizers.sharpness.edge-of-stability", "38/η", "2(1 + β)/η")


def test_newton_hessian_size() -> None:
    entries = (10**9) ** 2
    assert entries == 10**18 and entries * 4 / 1e18 == 4
    _says("optimizers.convergence.why-not-newton", "10¹⁸ for n = 10⁹", "about 4 exabytes")


@uses_torch
def test_lbfgs_history_default_against_torch() -> None:
    torch = pytest.importorskip("torch")
    opt = torch.optim.LBFGS([torch.nn.Parameter(torch.zeros(1))])
    assert opt.defaults["history_size"] == 100
    _says("optimizers.convergence.lbfgs", "history_size = 100")


def _noisy_quadratic_iterates(lr: float, steps: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    sgd = optim.get("sgd", lr=lr)
    theta = np.zeros(200)  # 200 independent 1-D problems, curvature 1, noise std 1
    state = sgd.init(theta)
    iterates = []
    for _ in range(steps):
        theta, state = sgd.step(theta, theta + rng.normal(size=theta.shape), state)
        iterates.append(theta)
    return np.array(iterates)


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
def test_constant_lr_sgd_settles_in_a_noise_ball_that_grows_with_eta() -> None:
    big = _noisy_quadratic_iterates(0.1, 2000, seed=1)[-500:]
    small = _noisy_quadratic_iterates(0.01, 4000, seed=2)[-500:]
    spread_big, spread_small = float(np.mean(big**2)), float(np.mean(small**2))
    # Stationary variance η/(2 − η) for unit curvature and noise: about 10× apart.
    assert 5 < spread_big / spread_small < 20
    _says("optimizers.convergence.robbins-monro", "whose size grows with η")
    assert sum(1 / t for t in range(1, 10**6)) > 10 and sum(1 / t**2 for t in range(1, 10**6)) < 2
    _says("optimizers.convergence.robbins-monro", "ηₜ ∝ 1/t")


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
def test_averaging_constant_lr_iterates_cancels_noise() -> None:
    iterates = _noisy_quadratic_iterates(0.1, 3000, seed=3)
    tail = iterates[1000:]
    last_error = float(np.mean(tail[-1] ** 2))
    average_error = float(np.mean(tail.mean(axis=0) ** 2))
    assert average_error < last_error / 20
    _says("optimizers.averaging.why-averaging-works", "Averaging many iterates cancels")


# ================================================================= AMSGrad


def _reddi(amsgrad: bool, beta2: float, C: float = 3.0, steps: int = 3000) -> float:
    adam = optim.get("adam", lr=0.1, betas=(0.0, beta2), eps=1e-8, amsgrad=amsgrad)
    x = np.array([0.0])
    state = adam.init(x)
    for t in range(1, steps + 1):
        g = np.array([C if t % 3 == 1 else -1.0])
        x, state = adam.step(x, g, state)
        x = np.clip(x, -1.0, 1.0)  # the problem's feasible set: x between −1 and 1
    return float(x[0])


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
def test_reddi_counterexample_with_the_engine() -> None:
    C = 3.0
    beta2 = 0.1
    assert beta2 == pytest.approx(1 / (1 + C**2))
    assert _reddi(amsgrad=False, beta2=beta2) == 1.0
    assert _reddi(amsgrad=True, beta2=beta2) < -0.5
    assert _reddi(amsgrad=False, beta2=0.999) < -0.5  # a long memory avoids the failure
    _says("optimizers.amsgrad.counterexample", "C = 3, β₁ = 0 and", "β₂ = 0.1, Adam ends at +1")


def test_adam_effective_rate_can_grow_adagrads_cannot() -> None:
    grads = [1.0] * 50 + [0.01] * 200
    adam = optim.get("adam", lr=1.0)
    adagrad = optim.get("adagrad", lr=1.0)
    sa, sg = adam.init(np.zeros(1)), adagrad.init(np.zeros(1))
    adam_rates, adagrad_rates = [], []
    for g in grads:
        _, sa = adam.step(np.zeros(1), np.array([g]), sa)
        _, sg = adagrad.step(np.zeros(1), np.array([g]), sg)
        v_hat = float(sa.v[0]) / (1 - 0.999 ** int(sa.t))
        adam_rates.append(1 / (math.sqrt(v_hat) + 1e-8))
        adagrad_rates.append(1 / (math.sqrt(float(sg.sum[0])) + 1e-10))
    assert adam_rates[-1] > adam_rates[49] * 1.05
    assert all(b <= a for a, b in itertools.pairwise(adagrad_rates))
    _says("optimizers.amsgrad.effective-step-can-grow", "η/(√v̂ + ε)")


@uses_torch
def test_amsgrad_state_in_torch() -> None:
    torch = pytest.importorskip("torch")
    p = torch.nn.Parameter(torch.zeros(2))
    opt = torch.optim.Adam([p], amsgrad=True)
    p.grad = torch.ones(2)
    opt.step()
    assert {"exp_avg", "exp_avg_sq", "max_exp_avg_sq"} <= set(opt.state[p])
    _says("optimizers.amsgrad.the-fix", "max_exp_avg_sq")


# ================================================================= weight decay × normalization


def test_scale_invariant_gradient_is_orthogonal_and_scales_inversely() -> None:
    u = np.array([0.3, -0.5, 0.8])

    def loss(w: np.ndarray) -> float:
        d = w / np.linalg.norm(w)
        return float(np.sum((d - u) ** 2) + d[0] ** 3)

    def grad(w: np.ndarray) -> np.ndarray:
        h = 1e-6
        return np.array([(loss(w + h * e) - loss(w - h * e)) / (2 * h) for e in np.eye(3)])

    w = np.array([1.0, 2.0, -0.5])
    assert loss(2 * w) == pytest.approx(loss(w), rel=1e-12)
    assert float(w @ grad(w)) == pytest.approx(0.0, abs=1e-8)
    assert np.allclose(grad(2 * w), grad(w) / 2, atol=1e-7)
    _says("optimizers.wd-normalization.scale-invariance", "∇L(c·w) = ∇L(w)/c")


def _scale_invariant_run(lr: float, weight_decay: float, steps: int) -> tuple[float, list[float]]:
    """SGD on random gradients orthogonal to w with size ∝ 1/‖w‖, as a normalized layer sees."""
    rng = np.random.default_rng(7)
    sgd = optim.get("sgd", lr=lr, weight_decay=weight_decay)
    w = rng.normal(size=256)
    state = sgd.init(w)
    angles, norms = [], []
    for _ in range(steps):
        xi = rng.normal(size=w.shape)
        r = np.linalg.norm(w)
        u = w / r
        g = (xi - u * (u @ xi)) / r
        new, state = sgd.step(w, g, state)
        cos = new @ w / (np.linalg.norm(new) * r)
        angles.append(math.acos(min(1.0, cos)))
        norms.append(float(np.linalg.norm(new)))
        w = new
    return float(np.mean(angles[-2000:])), norms


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
def test_rotational_equilibrium_is_sqrt_two_eta_lambda() -> None:
    lr, lam = 0.1, 5e-3
    angle, _ = _scale_invariant_run(lr, lam, 10_000)
    assert angle == pytest.approx(math.sqrt(2 * lr * lam), rel=0.03)
    assert f"{math.sqrt(2 * lr * lam):.4f}" == "0.0316"
    _says("optimizers.wd-normalization.equilibrium", "≈√(2ηλ)", "ηλ = 5e-4", "≈0.0316 rad")


def test_without_decay_the_norm_of_scale_invariant_weights_only_grows() -> None:
    _, norms = _scale_invariant_run(0.1, 0.0, 2000)
    assert all(b > a for a, b in itertools.pairwise(norms))
    _says("optimizers.wd-normalization.trap-norm-stays-constant", "‖w‖² + η²‖g‖²")


# ================================================================= averaging, fine-tuning


@uses_torch
def test_ema_horizons_and_torch_default_decay() -> None:
    assert round(1 / (1 - 0.999)) == 1000 and round(1 / (1 - 0.9999)) == 10_000
    _says("optimizers.averaging.ema-of-weights", "1,000 for 0.999, 10,000 for 0.9999")
    _says("optimizers.averaging.trap-ema-horizon", "= 10,000 steps")
    if HAS_TORCH:
        import inspect

        import torch

        fn = torch.optim.swa_utils.get_ema_multi_avg_fn
        assert inspect.signature(fn).parameters["decay"].default == 0.999
        _says("optimizers.averaging.trap-ema-horizon", "get_ema_multi_avg_fn(decay=0.999)")


def test_layerwise_decay_example() -> None:
    """η_l = η·ξ^(L − l) for l = 1…L: layer L gets η, layer 1 ξ^(L − 1), the embeddings (l = 0)
    ξ^L. The card once gave ξ^L as 'the bottom layer' of 12, a grader could read either way."""
    xi, layers = 0.75, 12

    def rate(layer: int) -> float:
        return xi ** (layers - layer)

    assert rate(layers) == 1.0
    assert round(100 * rate(1)) == 4 and round(100 * rate(0)) == 3
    _says("optimizers.fine-tuning.layerwise-lr-decay", "η·ξ^(L − l)", "layers l = 1…L")
    _says(
        "optimizers.fine-tuning.layerwise-lr-decay",
        "layer 1 gets 0.75¹¹ ≈ 4 %",
        "count as l = 0: 0.75¹² ≈ 3 %",
    )


@uses_torch
def test_param_group_ratios_survive_a_lambda_schedule_in_torch() -> None:
    torch = pytest.importorskip("torch")
    groups = [
        {"params": [torch.nn.Parameter(torch.zeros(1))], "lr": 1e-3},
        {"params": [torch.nn.Parameter(torch.zeros(1))], "lr": 1e-4},
    ]
    opt = torch.optim.AdamW(groups)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda k: min(1.0, (k + 1) / 10))
    for _ in range(5):
        opt.step()
        sched.step()
        top, bottom = sched.get_last_lr()
        assert top / bottom == pytest.approx(10.0)


@uses_torch
def test_frozen_parameters_get_no_state_in_torch() -> None:
    torch = pytest.importorskip("torch")
    frozen = torch.nn.Parameter(torch.ones(3), requires_grad=False)
    trained = torch.nn.Parameter(torch.ones(3))
    opt = torch.optim.AdamW([frozen, trained], weight_decay=0.5)
    (trained * 2).sum().backward()
    opt.step()
    assert frozen.grad is None and frozen not in opt.state
    assert torch.equal(frozen.detach(), torch.ones(3))


# ================================================================= Lion, Muon, Shampoo


def test_lion_defaults_and_sign_step_with_the_engine() -> None:
    defaults = optim.defaults("lion")
    assert defaults["betas"] == (0.9, 0.99) and defaults["lr"] == 1e-4
    lion = optim.get("lion", lr=1e-3)
    g = np.array([1e-9, -5.0, 2.0])
    theta, _ = lion.step(np.zeros(3), g, lion.init(np.zeros(3)))
    assert np.array_equal(np.abs(theta), np.full(3, 1e-3))
    _says("optimizers.lion.update-rule", "β₁ = 0.9, β₂ = 0.99", "lr = 1e-4", "exactly η")
    _says("optimizers.lion.trap-same-lr-as-adamw", "magnitude exactly η")


def test_shampoo_without_memory_is_the_orthogonalized_gradient() -> None:
    rng = np.random.default_rng(0)
    G = rng.normal(size=(5, 5))

    def inv_fourth_root(M: np.ndarray) -> np.ndarray:
        vals, vecs = np.linalg.eigh(M)
        return vecs @ np.diag(vals**-0.25) @ vecs.T

    U, _, Vt = np.linalg.svd(G)
    shampoo = inv_fourth_root(G @ G.T) @ G @ inv_fourth_root(G.T @ G)
    assert np.allclose(shampoo, U @ Vt, atol=1e-8)
    _says("optimizers.matrix-optimizers.shampoo", "L^(−1/4)·G·R^(−1/4) = U·Vᵀ")


@uses_torch
def test_muon_defaults_and_newton_schulz_spread_against_torch() -> None:
    torch = pytest.importorskip("torch")
    import inspect

    params = inspect.signature(torch.optim.Muon.__init__).parameters
    expected = {"lr": 1e-3, "weight_decay": 0.1, "momentum": 0.95, "nesterov": True, "ns_steps": 5}
    for name, value in expected.items():
        assert params[name].default == value, name
    assert tuple(params["ns_coefficients"].default) == (3.4445, -4.7750, 2.0315)
    _says(
        "optimizers.matrix-optimizers.muon",
        "lr = 1e-3, weight_decay = 0.1",
        "momentum = 0.95, nesterov = True, ns_steps = 5",
        "(3.4445, −4.7750, 2.0315)",
    )
    with pytest.raises(ValueError):
        bad = torch.nn.Parameter(torch.zeros(4))
        opt = torch.optim.Muon([bad])
        bad.grad = torch.ones(4)
        opt.step()
    # One step from zero momentum, no decay, lr 1 on a wide matrix: the step is NS(g) itself.
    torch.manual_seed(0)
    w = torch.nn.Parameter(torch.zeros(64, 128))
    opt = torch.optim.Muon([w], lr=1.0, weight_decay=0.0, momentum=0.0, nesterov=False)
    w.grad = torch.randn(64, 128)
    opt.step()
    singular = torch.linalg.svdvals(-w.detach().double())
    assert float(singular.min()) > 0.5 and float(singular.max()) < 1.5
    assert float(singular.max() - singular.min()) > 0.05  # spread around 1, not exactly 1


def test_muon_step_singular_values_with_the_engine() -> None:
    if "muon" not in optim.names():
        pytest.skip("quizapp.engine.optim has no muon yet")
    muon = optim.get("muon", lr=1.0, weight_decay=0.0, momentum=0.0, nesterov=False)
    g = np.random.default_rng(0).normal(size=(64, 128))
    theta, _ = muon.step(np.zeros((64, 128)), g, muon.init(np.zeros((64, 128))))
    singular = np.linalg.svd(-theta, compute_uv=False)
    assert singular.min() > 0.5 and singular.max() < 1.5
    assert singular.max() - singular.min() > 0.05
    _says("optimizers.matrix-optimizers.muon", "spread around 1")


@uses_torch
def test_muon_match_rms_adamw_factor_in_torch() -> None:
    pytest.importorskip("torch")
    from torch.optim import _muon

    if not hasattr(_muon, "_adjust_lr"):
        pytest.skip("torch's Muon has no _adjust_lr helper in this version")
    assert _muon._adjust_lr(1.0, "match_rms_adamw", (64, 256)) == pytest.approx(0.2 * 16)
    assert _muon._adjust_lr(1.0, None, (256, 64)) == pytest.approx(2.0)
    _says("optimizers.matrix-optimizers.muon-at-scale", "0.2·√max(A, B)", "√max(1, A/B)")


def test_lr_tuning_initial_loss_example() -> None:
    assert f"{math.log(10):.2f}" == "2.30"
    _says("optimizers.lr-tuning.sanity-checks", "ln C, ≈2.30 for 10 classes")
