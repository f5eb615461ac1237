"""Immutable optimizer states with the names a learner knows.

``t`` is always the number of steps already taken (torch's ``state['step']`` before the
step), an int or an int-valued float64 ndarray broadcastable against the params.
Array fields are read-only float64 ndarrays (copied on construction), so a state is a value.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

import numpy as np

from quizapp.engine.optim._base import as_t


def _frozen(a: Any) -> Any:
    """State arrays are read-only, so a state really is an immutable value."""
    if isinstance(a, np.ndarray):
        a.flags.writeable = False
    return a


_F64 = np.dtype(np.float64)
_FIELDS: dict[type, tuple[tuple[str, int], ...]] = {}  # per class: (name, 0 array/1 t/2 scalar)


class _State:
    #: per-problem scalars (a float, or a float64 array for batched problems)
    _scalars: tuple[str, ...] = ("mu_product",)

    def __post_init__(self) -> None:
        cls = type(self)
        spec = _FIELDS.get(cls)
        if spec is None:
            spec = _FIELDS[cls] = tuple(
                (f.name, 1 if f.name == "t" else 2 if f.name in self._scalars else 0)
                for f in fields(self)  # type: ignore[arg-type]
            )
        d = self.__dict__  # a frozen dataclass's fields, written once here
        for name, kind in spec:
            val = d[name]
            if kind == 0:  # field(): a float64 copy (memory order kept), made read-only
                if val is None:
                    continue
                if type(val) is np.ndarray and val.dtype == _F64:
                    val = val.copy(order="K")
                else:
                    val = np.array(val, dtype=np.float64)
                val.setflags(write=False)
                d[name] = val
            elif kind == 1:
                if type(val) is not int or val < 0:  # the common case needs no check
                    d[name] = as_t(val, cls.__name__)
            else:
                d[name] = (
                    float(val) if np.ndim(val) == 0 else _frozen(np.array(val, dtype=np.float64))
                )

    def replace(self, **changes: Any) -> Any:
        """A copy with some fields changed (dataclasses.replace)."""
        from dataclasses import replace

        return replace(self, **changes)  # type: ignore[type-var]


@dataclass(frozen=True, eq=False)
class SGDState(_State):
    """SGD: ``momentum_buffer`` b (None before the first step, or when momentum = 0)."""

    momentum_buffer: Any = None


@dataclass(frozen=True, eq=False)
class AdamState(_State):
    """Adam/AdamW: first moment ``m``, second moment ``v``, steps taken ``t``;
    ``v_max`` (the running max of v) only with amsgrad=True."""

    m: Any
    v: Any
    t: Any = 0
    v_max: Any = None


@dataclass(frozen=True, eq=False)
class AdagradState(_State):
    """Adagrad: ``sum`` = Σ g² (the notes call it G), steps taken ``t``."""

    sum: Any
    t: Any = 0


@dataclass(frozen=True, eq=False)
class RMSpropState(_State):
    """RMSprop: ``v`` (torch's square_avg), ``momentum_buffer`` (momentum > 0),
    ``g_avg`` (torch's grad_avg, centered=True), steps taken ``t``."""

    v: Any
    t: Any = 0
    momentum_buffer: Any = None
    g_avg: Any = None


@dataclass(frozen=True, eq=False)
class NAdamState(_State):
    """NAdam: ``m``, ``v``, ``t`` and ``mu_product`` = Π μᵢ (torch keeps it in a float32
    tensor unless the default dtype is float64, so it is rounded to float32 each step)."""

    m: Any
    v: Any
    t: Any = 0
    mu_product: Any = 1.0


@dataclass(frozen=True, eq=False)
class RAdamState(_State):
    """RAdam: ``m``, ``v``, steps taken ``t``."""

    m: Any
    v: Any
    t: Any = 0


@dataclass(frozen=True, eq=False)
class AdamaxState(_State):
    """Adamax: ``m`` and the infinity-norm moment ``u`` (torch's exp_inf), steps ``t``."""

    m: Any
    u: Any
    t: Any = 0


@dataclass(frozen=True, eq=False)
class AdadeltaState(_State):
    """Adadelta: ``v`` = E[g²] (torch's square_avg), ``acc_delta`` = E[Δθ²], steps ``t``."""

    v: Any
    acc_delta: Any
    t: Any = 0


@dataclass(frozen=True, eq=False)
class LionState(_State):
    """Lion: momentum ``m`` (lion-pytorch's exp_avg), steps taken ``t`` (not used by Lion)."""

    m: Any
    t: Any = 0


@dataclass(frozen=True, eq=False)
class AdafactorState(_State):
    """Adafactor: for ≥2-D params the factored second moment, ``row_var`` R (shape
    (…, n, 1): the mean of g² over each row) and ``col_var`` C ((…, 1, m): over each
    column); for vectors the full ``v`` (torch's ``variance``); steps taken ``t``."""

    row_var: Any = None
    col_var: Any = None
    v: Any = None
    t: Any = 0


@dataclass(frozen=True, eq=False)
class RpropState(_State):
    """Rprop: ``prev`` (the previous gradient, zeroed where its sign flipped), per-weight
    ``step_size`` (starts at lr), steps taken ``t``."""

    prev: Any
    step_size: Any
    t: Any = 0


@dataclass(frozen=True, eq=False)
class ASGDState(_State):
    """ASGD: the step size ``eta`` and averaging weight ``mu`` (torch keeps both in float32
    tensors under its default dtype, so they are rounded to float32), the running average
    ``ax`` of the iterates, steps taken ``t``."""

    _scalars = ("eta", "mu")

    eta: Any
    ax: Any
    mu: Any = 1.0
    t: Any = 0


@dataclass(frozen=True, eq=False)
class MuonState(_State):
    """Muon: ``momentum_buffer`` B (an EMA of the gradients, torch's buf.lerp_), steps ``t``
    (torch keeps no step count for Muon; it is carried for drills)."""

    momentum_buffer: Any
    t: Any = 0
