"""AdamW's Δθ (the engine trace's ``delta_theta``) is the Adam part torch adds after its
decoupled decay: torch does ``param.mul_(1 − lr·wd)`` and then
``param.addcdiv_(exp_avg, denom, value=−step_size)``; the worked solution shows
θ' = θ·(1−ηλ) + Δθ, so Δθ must be that addcdiv term and not θ' − θ (D1)."""

from __future__ import annotations

import numpy as np
import pytest

from quizapp.engine import optim
from tests import sampling
from tests.lazy_torch import needs_torch, torch, uses_torch

pytestmark = [needs_torch, uses_torch]


def _case(rng: np.random.Generator) -> dict:
    n = 6
    scale = 10 ** rng.uniform(-4, 0)
    t = int(rng.integers(0, 50))
    return {
        "theta": rng.normal(0, 1, n),
        "grad": rng.normal(0, scale, n),
        "m": rng.normal(0, scale, n) * (t > 0),
        "v": rng.uniform(0.1, 2, n) * scale**2 * (t > 0),
        "t": t,
        "lr": 10 ** rng.uniform(-4, -1),
        "betas": (float(rng.uniform(0.8, 0.99)), float(rng.uniform(0.9, 0.9999))),
        "eps": 10 ** rng.uniform(-10, -6),
        "weight_decay": 10 ** rng.uniform(-3, 0),
    }


def _torch_adamw(c: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """torch's θ', its θ·(1 − lr·wd) and the addcdiv term it added to that, for one step."""
    t64 = torch.float64
    p = torch.tensor(c["theta"], dtype=t64, requires_grad=True)
    opt = torch.optim.AdamW(
        [p],
        lr=c["lr"],
        betas=c["betas"],
        eps=c["eps"],
        weight_decay=c["weight_decay"],
        foreach=False,
    )
    opt.state[p] = {
        "step": torch.tensor(float(c["t"])),
        "exp_avg": torch.tensor(c["m"], dtype=t64),
        "exp_avg_sq": torch.tensor(c["v"], dtype=t64),
    }
    p.grad = torch.tensor(c["grad"], dtype=t64)
    opt.step()
    decayed = torch.tensor(c["theta"], dtype=t64).mul_(1 - c["lr"] * c["weight_decay"])
    # torch's _single_tensor_adam after the decay, from the state the step left
    st = opt.state[p]
    step = float(st["step"])
    beta1, beta2 = c["betas"]
    step_size = c["lr"] / (1 - beta1**step)
    bc2_sqrt = (1 - beta2**step) ** 0.5
    denom = (st["exp_avg_sq"].sqrt() / bc2_sqrt).add_(c["eps"])
    term = torch.zeros_like(decayed).addcdiv_(st["exp_avg"], denom, value=-step_size)
    return p.detach().numpy(), decayed.numpy(), term.numpy()


def _engine_adamw(c: dict) -> dict[str, np.ndarray]:
    opt = optim.get(
        "adamw", lr=c["lr"], betas=c["betas"], eps=c["eps"], weight_decay=c["weight_decay"]
    )
    state = optim.AdamState(m=c["m"], v=c["v"], t=c["t"])
    _, _, tr = opt.step_trace(c["theta"], c["grad"], state)
    return tr


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
def test_adamw_delta_theta_is_torchs_adam_part(torch_sqrt) -> None:  # noqa: ANN001
    rng = np.random.default_rng(20261203)
    for _ in range(200 if sampling.FULL else 15):  # 15 by default, 200 in CI
        c = _case(rng)
        theta, decayed, term = _torch_adamw(c)
        # the term really is what torch added to the decayed θ
        np.testing.assert_array_equal(theta, decayed + term)
        tr = _engine_adamw(c)
        np.testing.assert_array_equal(tr["theta"], theta)
        np.testing.assert_array_equal(tr["theta_decayed"], decayed)
        np.testing.assert_array_equal(tr["delta_theta"], term)
        # and equals torch's parameter change minus its decay, θ' − θ·(1 − lr·wd), to the
        # rounding of the add that made θ'
        assert np.all(np.abs(tr["delta_theta"] - (theta - decayed)) <= np.abs(np.spacing(theta)))


def test_adamw_delta_theta_close_with_own_sqrt() -> None:
    """With the engine's correctly rounded sqrt: within a few ulps of torch's term."""
    rng = np.random.default_rng(7)
    for _ in range(sampling.examples(100)):
        c = _case(rng)
        _, _, term = _torch_adamw(c)
        np.testing.assert_allclose(_engine_adamw(c)["delta_theta"], term, rtol=4e-16 * 4)
