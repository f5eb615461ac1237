"""Run torch optimizers / schedulers for the reference tests and the golden-file script."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

STATE_MAP: dict[str, dict[str, str]] = {
    "sgd": {"momentum_buffer": "momentum_buffer"},
    "adam": {"exp_avg": "m", "exp_avg_sq": "v", "max_exp_avg_sq": "v_max"},
    "adamw": {"exp_avg": "m", "exp_avg_sq": "v", "max_exp_avg_sq": "v_max"},
    "adagrad": {"sum": "sum"},
    "rmsprop": {"square_avg": "v", "momentum_buffer": "momentum_buffer", "grad_avg": "g_avg"},
    "nadam": {"exp_avg": "m", "exp_avg_sq": "v", "mu_product": "mu_product"},
    "radam": {"exp_avg": "m", "exp_avg_sq": "v"},
    "adamax": {"exp_avg": "m", "exp_inf": "u"},
    "adadelta": {"square_avg": "v", "acc_delta": "acc_delta"},
    "lion": {"exp_avg": "m"},
    "rprop": {"prev": "prev", "step_size": "step_size"},
    "asgd": {"eta": "eta", "mu": "mu", "ax": "ax"},
    "adafactor": {"row_var": "row_var", "col_var": "col_var", "variance": "v"},
    "muon": {"momentum_buffer": "momentum_buffer"},
}

_CLASSES = {
    "sgd": "SGD",
    "adam": "Adam",
    "adamw": "AdamW",
    "adagrad": "Adagrad",
    "rmsprop": "RMSprop",
    "nadam": "NAdam",
    "radam": "RAdam",
    "adamax": "Adamax",
    "adadelta": "Adadelta",
    "rprop": "Rprop",
    "asgd": "ASGD",
    "adafactor": "Adafactor",
    "muon": "Muon",
}


class TorchLion(torch.optim.Optimizer):
    """lion-pytorch's reference update (lucidrains/lion-pytorch, foreach off)."""

    def __init__(
        self, params: Any, lr: float = 1e-4, betas=(0.9, 0.99), weight_decay=0.0, maximize=False
    ):  # noqa: ANN001
        super().__init__(
            params, {"lr": lr, "betas": betas, "weight_decay": weight_decay, "maximize": maximize}
        )

    @torch.no_grad()
    def step(self) -> None:  # type: ignore[override]
        for group in self.param_groups:
            for p in group["params"]:
                grad = -p.grad if group["maximize"] else p.grad
                lr, wd, (beta1, beta2) = group["lr"], group["weight_decay"], group["betas"]
                state = self.state[p]
                if len(state) == 0:
                    state["exp_avg"] = torch.zeros_like(p)
                exp_avg = state["exp_avg"]
                p.data.mul_(1 - lr * wd)
                update = exp_avg.clone().mul_(beta1).add(grad, alpha=1 - beta1).sign_()
                p.add_(update, alpha=-lr)
                exp_avg.mul_(beta2).add_(grad, alpha=1 - beta2)


def run_torch(name: str, hp: dict[str, Any], theta0: np.ndarray, grads: list[np.ndarray]):
    """Step torch ``len(grads)`` times; return (theta, {engine field: array or float})."""
    p = torch.tensor(theta0, dtype=torch.float64, requires_grad=True)
    if name == "lion":
        opt: torch.optim.Optimizer = TorchLion([p], **hp)
    else:
        kw = {k: (tuple(v) if isinstance(v, list) else v) for k, v in hp.items()}
        if "betas" in kw:
            kw["betas"] = tuple(float(b) for b in kw["betas"])
        if name != "muon":  # Muon has a single-tensor implementation only
            kw["foreach"] = False
        opt = getattr(torch.optim, _CLASSES[name])([p], **kw)
    for g in grads:
        p.grad = torch.tensor(g, dtype=torch.float64)
        opt.step()
    st = opt.state[p]
    out: dict[str, Any] = {}
    for tk, ek in STATE_MAP[name].items():
        val = st.get(tk)
        if val is None:
            continue
        out[ek] = float(val) if val.ndim == 0 else val.detach().numpy().copy()
    if "step" in st:
        out["t"] = int(float(st["step"]))
    return p.detach().numpy().copy(), out


def ulp_distance(a: np.ndarray, b: np.ndarray) -> int:
    """Max distance in units in the last place between two float64 arrays (nan == nan)."""
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    both_nan = np.isnan(a) & np.isnan(b)
    ia = a.view(np.int64).astype(object) if a.ndim else np.int64(a.view(np.int64))
    ib = b.view(np.int64).astype(object) if b.ndim else np.int64(b.view(np.int64))

    def ordered(i: Any) -> Any:
        # map the sign-magnitude bit patterns onto a monotone integer line
        return np.where(np.asarray(i) < 0, -(2**63) - np.asarray(i), np.asarray(i))

    d = np.abs(ordered(ia) - ordered(ib))
    d = np.where(both_nan, 0, d)
    return int(np.max(d)) if np.size(d) else 0


def _lambda(name: str, kw: dict[str, Any]) -> Any:
    """The transformers LambdaLR recipes, verbatim (transformers.optimization)."""
    import math

    w = kw["num_warmup_steps"]
    if name == "inverse_sqrt":
        timescale = kw.get("timescale")
        if timescale is None:
            timescale = w or 10_000

        def inv(k: int) -> float:
            if k < w:
                return float(k) / float(max(1, w))
            shift = timescale - w
            return 1.0 / math.sqrt((k + shift) / timescale)

        return inv
    tot, cyc = kw["num_training_steps"], kw.get("num_cycles", 0.5)

    def lam(k: int) -> float:
        if k < w:
            return float(k) / float(max(1, w))
        if name == "warmup_linear":
            return max(0.0, float(tot - k) / float(max(1, tot - w)))
        progress = float(k - w) / float(max(1, tot - w))
        return max(0.0, 0.5 * (1.0 + math.cos(math.pi * float(cyc) * 2.0 * progress)))

    return lam


def _torch_scheduler(name: str, kw: dict[str, Any], opt: Any, base: float) -> Any:
    from torch.optim import lr_scheduler as L

    kw = dict(kw)
    classes = {
        "step": L.StepLR,
        "multistep": L.MultiStepLR,
        "exponential": L.ExponentialLR,
        "cosine": L.CosineAnnealingLR,
        "linear": L.LinearLR,
        "constant": L.ConstantLR,
        "polynomial": L.PolynomialLR,
        "onecycle": L.OneCycleLR,
        "cosine_warm_restarts": L.CosineAnnealingWarmRestarts,
    }
    if name in classes:
        return classes[name](opt, **kw)
    if name in ("warmup_cosine", "warmup_linear", "inverse_sqrt"):
        return L.LambdaLR(opt, _lambda(name, kw))
    if name == "multiplicative":
        factor = kw["factor"]
        return L.MultiplicativeLR(opt, lambda k: factor)
    if name == "cyclic":
        return L.CyclicLR(opt, base_lr=base, **kw)
    if name == "sequential":
        parts = [_torch_scheduler(n, k, opt, base) for n, k in kw["schedulers"]]
        return L.SequentialLR(opt, parts, kw["milestones"])
    if name == "chained":
        parts = [_torch_scheduler(n, k, opt, base) for n, k in kw["schedulers"]]
        return L.ChainedScheduler(parts, optimizer=opt)
    raise KeyError(name)


def torch_schedule(name: str, kw: dict[str, Any], n: int) -> list[float]:
    """torch's get_last_lr()[0] after k = 0..n scheduler.step() calls."""
    import warnings

    kw = dict(kw)
    base = kw.pop("base_lr", None)
    p = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([p], lr=base if base is not None else 0.1, momentum=0.9)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        s = _torch_scheduler(name, kw, opt, base)
        out = [s.get_last_lr()[0]]
        for _ in range(n):
            opt.step()
            s.step()
            out.append(s.get_last_lr()[0])
    return [float(x) for x in out]


def torch_plateau(base_lr: float, kw: dict[str, Any], metrics: list[float]) -> list[float]:
    """ReduceLROnPlateau's get_last_lr()[0] after each step(metric)."""
    p = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([p], lr=base_lr)
    s = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, **kw)
    out = []
    for m in metrics:
        opt.step()
        s.step(m)
        out.append(float(s.get_last_lr()[0]))
    return out


def torch_clip_norm(
    grads: list[np.ndarray], max_norm: float, norm_type: float, error_if_nonfinite: bool = False
) -> tuple[list[np.ndarray], float]:
    """torch.nn.utils.clip_grad_norm_ on float64 grads: (clipped grads, total norm)."""
    params = [torch.nn.Parameter(torch.tensor(g, dtype=torch.float64)) for g in grads]
    for p, g in zip(params, grads, strict=True):
        p.grad = torch.tensor(g, dtype=torch.float64)
    total = torch.nn.utils.clip_grad_norm_(params, max_norm, norm_type, error_if_nonfinite)
    return [p.grad.numpy().copy() for p in params], float(total)


def torch_clip_value(grads: list[np.ndarray], clip_value: float) -> list[np.ndarray]:
    """torch.nn.utils.clip_grad_value_ on float64 grads."""
    params = [torch.nn.Parameter(torch.tensor(g, dtype=torch.float64)) for g in grads]
    for p, g in zip(params, grads, strict=True):
        p.grad = torch.tensor(g, dtype=torch.float64)
    torch.nn.utils.clip_grad_value_(params, clip_value)
    return [p.grad.numpy().copy() for p in params]
