"""Pure-NumPy optimizers that match ``torch.optim`` (torch 2.13, CPU, float64) bit for bit.

    from quizapp.engine import optim
    opt = optim.get("adam", lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0)
    state = opt.init(params)
    params, state = opt.step(params, grads, state)            # pure, inputs untouched
    params, state, trace = opt.step_trace(params, grads, state, mistakes=None)

Hyperparameters and ``t`` may be Python scalars or float64 arrays broadcastable against
the params (leading batch axes = independent problems). See each class for its equations
and trace names, and :class:`Mistakes` for the named wrong variants. Every trace holds
``update`` (θ_new − θ_old, any decay included), ``delta_theta`` (Δθ, the rule's own step,
added to ``theta_decayed`` when the decay is decoupled, else to θ: ``theta`` is their
float sum, exactly where the rule adds a rounded term, to the rounding of one fma
elsewhere) and ``theta``.

Exactness. Each update mirrors torch's single-tensor CPU code path operation by operation:
``lerp_``, ``add(alpha=)`` and ``addcmul_`` are fused multiply-adds on x86-64 CPUs with
FMA, reproduced by an exact emulation (``_fp.fma``); Python-float scalars (bias
corrections, step sizes) use Python's own ``**`` (glibc ``pow``), as torch does. Results are
bit-identical to torch float64 except where a square root is taken: torch's CPU float64
``sqrt`` (MKL vdSqrt) is off by one ulp on ~0.8 % of inputs while ours is correctly rounded,
so Adam-family/Adagrad/RMSprop/Adadelta results can differ from torch by an ulp or a few
(SGD, Adamax and Lion are always bit-identical; tests/reference proves the rest is too when
torch's sqrt is injected). NAdam's ``mu_product`` and ASGD's ``eta``/``mu`` are kept in float32, as torch does
unless the default dtype is float64. Rprop, ASGD and Adafactor are bit-identical (torch's
``rsqrt`` and norms use a correctly rounded root; norms and means are summed in torch's
order, see ``_reduce``). Muon's Newton–Schulz iteration runs in float64 where torch uses
bfloat16, so Muon agrees with torch at bfloat16 precision only (see ``muon.newton_schulz``),
and gradients beyond bfloat16's range (|g| > ~1.8e19, whose bfloat16 norm overflows) that
make torch's update 0 or nan give a finite one here.

Bit-identical includes zeros' signs, subnormals, infinities and nans, with one exception
that no per-element formula can reproduce: where lerp's weight is ≥ ½ (Adam-family β₁ ≤ ½,
RMSprop α ≤ ½ when centered) torch's vector loop and its scalar tail differ in the sign of
a zero result, so a −0 in torch may be +0 here depending on the element's position.
"""

from __future__ import annotations

from typing import Any

from quizapp.engine.optim._base import Mistakes, OptimError, Optimizer, Trace
from quizapp.engine.optim._states import (
    AdadeltaState,
    AdafactorState,
    AdagradState,
    AdamaxState,
    AdamState,
    ASGDState,
    LionState,
    MuonState,
    NAdamState,
    RAdamState,
    RMSpropState,
    RpropState,
    SGDState,
)
from quizapp.engine.optim.adafactor import Adafactor
from quizapp.engine.optim.adam import Adam, AdamW
from quizapp.engine.optim.adaptive import Adadelta, Adagrad, RMSprop
from quizapp.engine.optim.muon import Muon
from quizapp.engine.optim.rprop import ASGD, Rprop
from quizapp.engine.optim.sgd import SGD
from quizapp.engine.optim.variants import Adamax, Lion, NAdam, RAdam

_REGISTRY: dict[str, type[Optimizer]] = {
    "sgd": SGD,
    "adagrad": Adagrad,
    "rmsprop": RMSprop,
    "adam": Adam,
    "adamw": AdamW,
    "nadam": NAdam,
    "radam": RAdam,
    "adamax": Adamax,
    "adadelta": Adadelta,
    "lion": Lion,
    "rprop": Rprop,
    "asgd": ASGD,
    "adafactor": Adafactor,
    "muon": Muon,
}


def names() -> tuple[str, ...]:
    """The optimizer names :func:`get` accepts."""
    return tuple(_REGISTRY)


def get(name: str, **hyperparameters: Any) -> Optimizer:
    """The optimizer ``name`` with torch's keyword names and defaults (Lion: lion-pytorch's).

    Raises :class:`OptimError` for an unknown name, an unknown keyword or an invalid value.
    """
    cls = _REGISTRY.get(name) if isinstance(name, str) else None
    if cls is None:
        raise OptimError(f"unknown optimizer {name!r}; valid: {', '.join(_REGISTRY)}")
    return cls(**hyperparameters)


def defaults(name: str) -> dict[str, Any]:
    """The default hyperparameters of ``name`` (torch's)."""
    return get(name).hyperparameters


__all__ = [
    "ASGD",
    "Adafactor",
    "ASGDState",
    "AdafactorState",
    "Muon",
    "MuonState",
    "Rprop",
    "RpropState",
    "SGD",
    "Adadelta",
    "Adagrad",
    "Adam",
    "AdamState",
    "AdamW",
    "AdadeltaState",
    "AdagradState",
    "Adamax",
    "AdamaxState",
    "Lion",
    "LionState",
    "Mistakes",
    "NAdam",
    "NAdamState",
    "OptimError",
    "Optimizer",
    "RAdam",
    "RAdamState",
    "RMSprop",
    "RMSpropState",
    "SGDState",
    "Trace",
    "defaults",
    "get",
    "names",
]
