"""Facts the second deck review corrected, checked against the engine and torch 2.13.

Each test first asserts that the item still says the corrected words (the text is the claim),
then checks the behaviour those words describe: with the engine where it implements the
optimizer (runs without torch), and with torch itself where torch is the source of the fact
(skipped without torch).
"""

from __future__ import annotations

import inspect

import numpy as np

from quizapp.engine import optim
from tests.lazy_torch import needs_torch, torch, uses_torch
from tests.reference.test_deck_defaults_vs_torch import TEXTS

ZERO_GRAD_TRAP = "optimizers.adaptive.trap-zero-grad-no-move"
#: The optimizers the trap's answer says a zero gradient stops, and those it says keep moving
#: (after one step with a real gradient, so that their state is not empty).
STOPPED = {"sgd": {}, "adagrad": {}, "rmsprop": {}}
MOVING = {"adam": {}, "adamw": {"weight_decay": 0.1}, "sgd": {"momentum": 0.9}}


def _says(item: str, *words: str) -> None:
    assert item in TEXTS, f"no item {item} in the deck"
    for w in words:
        assert w in TEXTS[item], f"{item} should say {w!r}"


def _engine_moves_on_zero_grad(name: str, kwargs: dict[str, float]) -> bool:
    opt = optim.get(name, lr=0.01, **kwargs)
    theta = np.array([0.5, -0.3])
    theta, state = opt.step(theta, np.array([0.2, -0.1]), opt.init(theta))
    after, _ = opt.step(theta, np.zeros(2), state)
    return not np.array_equal(after, theta)


def test_a_zero_gradient_stops_exactly_the_optimizers_the_trap_names() -> None:
    _says(
        ZERO_GRAD_TRAP,
        "plain SGD",
        "Adagrad, RMSprop without momentum (and no weight decay)",
        "Adam keeps moving the parameter on its",
        "AdamW also decays it",
    )
    for name, kwargs in STOPPED.items():
        assert not _engine_moves_on_zero_grad(name, kwargs), name
    for name, kwargs in MOVING.items():
        assert _engine_moves_on_zero_grad(name, kwargs), (name, kwargs)


@needs_torch
@uses_torch
def test_a_zero_gradient_stops_the_same_optimizers_in_torch() -> None:
    classes = {"sgd": "SGD", "adagrad": "Adagrad", "rmsprop": "RMSprop", "adam": "Adam"}
    classes["adamw"] = "AdamW"

    def moves(name: str, kwargs: dict[str, float]) -> bool:
        p = torch.nn.Parameter(torch.tensor([0.5, -0.3], dtype=torch.float64))
        opt = getattr(torch.optim, classes[name])([p], lr=0.01, **kwargs)
        for grad in ([0.2, -0.1], [0.0, 0.0]):
            before = p.detach().clone()
            p.grad = torch.tensor(grad, dtype=torch.float64)
            opt.step()
        return not torch.equal(p.detach(), before)

    for name, kwargs in STOPPED.items():
        assert not moves(name, kwargs), name
    for name, kwargs in MOVING.items():
        assert moves(name, kwargs), (name, kwargs)


@needs_torch
@uses_torch
def test_torch_lbfgs_runs_no_line_search_by_default() -> None:
    _says(
        "optimizers.convergence.lbfgs",
        "runs a line search only if you pass line_search_fn = 'strong_wolfe'",
        "(the default, None, just steps by lr, default 1,",
        "runs up to max_iter = 20 iterations",
    )
    params = inspect.signature(torch.optim.LBFGS).parameters
    assert params["line_search_fn"].default is None
    assert params["lr"].default == 1
    assert params["max_iter"].default == 20

    def evaluations_per_iteration(line_search_fn: str | None) -> float:
        p = torch.nn.Parameter(torch.zeros(2, dtype=torch.float64))
        curv = torch.tensor([1.0, 10.0], dtype=torch.float64)
        opt = torch.optim.LBFGS([p], lr=0.1, max_iter=4, line_search_fn=line_search_fn)

        def closure() -> object:
            opt.zero_grad()
            loss = (curv * (p - 1.0) ** 2).sum()
            loss.backward()
            return loss

        opt.step(closure)
        state = opt.state[p]
        return state["func_evals"] / state["n_iter"]

    # without a line search every iteration evaluates the loss once; strong Wolfe searches
    assert evaluations_per_iteration(None) == 1
    assert evaluations_per_iteration("strong_wolfe") > 1


@needs_torch
@uses_torch
def test_torch_momentum_keeps_lr_outside_the_buffer_unlike_sutskever() -> None:
    """torch: b ← μ·b + g, θ ← θ − η·b. Sutskever et al.: v ← μ·v − η·g, θ ← θ + v. The same
    iterates while η is constant; after η drops, torch's next step is already scaled by the new
    η, while v still carries the velocity built at the old one."""
    _says(
        "optimizers.momentum.momentum-update",
        "It also keeps η outside the buffer, where Sutskever et al. put it inside",
        "the same steps at a constant η",
        "torch's next step shrinks at once",
    )
    mu, grads = 0.9, [0.3, -0.1, 0.2, 0.25, 0.1, 0.05]
    lrs = [0.1, 0.1, 0.1, 0.01, 0.01, 0.01]  # the schedule drops η before step 4

    p = torch.nn.Parameter(torch.tensor([1.0], dtype=torch.float64))
    opt = torch.optim.SGD([p], lr=lrs[0], momentum=mu)
    torch_steps = []
    for lr, g in zip(lrs, grads, strict=True):
        opt.param_groups[0]["lr"] = lr
        before = p.item()
        p.grad = torch.tensor([g], dtype=torch.float64)
        opt.step()
        torch_steps.append(p.item() - before)

    v, sutskever_steps = 0.0, []
    for lr, g in zip(lrs, grads, strict=True):
        v = mu * v - lr * g
        sutskever_steps.append(v)

    np.testing.assert_allclose(torch_steps[:3], sutskever_steps[:3], rtol=1e-12)
    # the first step at the new η: torch scales the whole accumulated buffer by 0.01, Sutskever's
    # velocity keeps 0.9× what it built at 0.1
    assert abs(torch_steps[3]) < 0.2 * abs(sutskever_steps[3])


@needs_torch
@uses_torch
def test_layernorm_is_scale_invariant_only_without_a_bias_batchnorm_with_one() -> None:
    _says(
        "optimizers.wd-normalization.scale-invariance",
        "per output unit for BatchNorm; for the whole matrix for LayerNorm, if the",
        "layer has no bias: BatchNorm's per-unit mean subtraction cancels a bias, LayerNorm's does not",
    )
    torch.manual_seed(0)
    x = torch.randn(16, 8, dtype=torch.float64)

    def scaled_output_changes(bias: bool, norm: object, c: float = 3.0) -> bool:
        lin = torch.nn.Linear(8, 6, bias=bias, dtype=torch.float64)
        with torch.no_grad():
            if bias:
                lin.bias.uniform_(0.5, 2.0)
            out = norm(lin(x))
            lin.weight.mul_(c)
            return not torch.allclose(norm(lin(x)), out, atol=1e-6)

    layer = torch.nn.LayerNorm(6, eps=1e-12, elementwise_affine=False, dtype=torch.float64)
    batch = torch.nn.BatchNorm1d(6, eps=1e-12, affine=False, dtype=torch.float64).train()
    assert not scaled_output_changes(bias=False, norm=layer)
    assert scaled_output_changes(bias=True, norm=layer)
    assert not scaled_output_changes(bias=True, norm=batch)
