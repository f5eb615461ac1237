"""Shared machinery: errors, mistake knobs, hyperparameter checking, the Optimizer base."""

from __future__ import annotations

import copy
import dataclasses
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from quizapp.engine.optim._fp import Num


class OptimError(ValueError):
    """Bad optimizer name, keyword or value (a user/deck error, never a bug)."""


@dataclass(frozen=True)
class Mistakes:
    """Boolean knobs that make the *same* code compute a named WRONG variant.

    Every knob is a stable mistake id. Knobs that do not apply to an optimizer are ignored.

    - ``no_bias_correction``: use m and v as if 1 − βᵗ = 1 (no m̂, v̂ correction).
    - ``eps_inside_sqrt``: denominator √(v̂ + ε) instead of √v̂ + ε.
    - ``no_sqrt``: denominator v̂ + ε instead of √v̂ + ε.
    - ``ascent_sign``: θ + step instead of θ − step (decay is still applied correctly).
    - ``l2_instead_of_decoupled``: decoupled decay (AdamW) done as L2: g ← g + λθ.
    - ``decoupled_instead_of_l2``: L2 (Adam with weight_decay) done as θ ← θ(1 − ηλ).
    - ``decay_not_scaled_by_lr``: decoupled decay θ(1 − λ) instead of θ(1 − ηλ).
    - ``ema_momentum``: SGD buffer b ← βb + (1 − β)g (dampening = β, from b = 0 on the
      first step) instead of torch's b ← βb + g with b₁ = g.
    - ``wrong_step_t``: step number off by one in the bias correction: 1 − βᵗ with t the
      steps *already taken* instead of t + 1 (Adagrad: 1 + t·lr_decay instead of
      1 + (t − 1)·lr_decay with t the 1-based step).
    - ``old_second_moment``: RMSprop divides by √v + ε with the v from before this step's
      update (v ← α·v + (1 − α)·g² is still stored).
    """

    no_bias_correction: bool = False
    eps_inside_sqrt: bool = False
    no_sqrt: bool = False
    ascent_sign: bool = False
    l2_instead_of_decoupled: bool = False
    decoupled_instead_of_l2: bool = False
    decay_not_scaled_by_lr: bool = False
    ema_momentum: bool = False
    wrong_step_t: bool = False
    old_second_moment: bool = False

    @classmethod
    def ids(cls) -> tuple[str, ...]:
        """The stable mistake ids, in declaration order."""
        return tuple(f.name for f in dataclasses.fields(cls))

    @classmethod
    def of(cls, *ids: str) -> Mistakes:
        """Build from mistake ids, e.g. ``Mistakes.of("no_sqrt")``."""
        bad = [i for i in ids if i not in cls.ids()]
        if bad:
            raise OptimError(f"unknown mistake id(s) {bad}; valid: {', '.join(cls.ids())}")
        return cls(**dict.fromkeys(ids, True))


CORRECT = Mistakes()

Trace = dict[str, np.ndarray]


def as_float(x: Any, name: str, owner: str) -> Num:
    """A hyperparameter as a Python float or a float64 ndarray (for batched problems)."""
    if isinstance(x, bool) or x is None:  # np.asarray(None, float) would be a silent nan
        raise OptimError(f"{owner}: {name} must be a number, got {type(x).__name__} {x!r}")
    if isinstance(x, int | float | np.integer | np.floating):
        return float(x)
    try:
        arr = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise OptimError(f"{owner}: {name} must be a number or float array, got {x!r}") from exc
    if arr.ndim == 0:
        return float(arr)
    return arr


def check(cond: Any, msg: str | Callable[[], str], owner: str) -> None:
    """Raise OptimError unless cond holds everywhere (cond may be an array).

    ``msg`` may be a callable: messages that format whole arrays are then only built on
    failure (formatting a 10,000-row hyperparameter costs far more than the check)."""
    if cond is True or (cond is not False and bool(np.all(cond))):
        return
    raise OptimError(f"{owner}: {msg() if callable(msg) else msg}")


def nonzero(x: Num) -> bool:
    """torch's ``if weight_decay != 0`` for a scalar or an array of batched values."""
    if type(x) is float:
        return x != 0.0
    if type(x) is np.ndarray and x.dtype.kind == "f":
        return bool(x.any())  # a float is truthy exactly when != 0 (nan included)
    return bool(np.any(np.asarray(x) != 0))


def div(a: Num, b: Num) -> Num:
    """a / b with IEEE semantics (inf/nan instead of ZeroDivisionError for Python floats)."""
    if isinstance(a, float) and isinstance(b, float) and b != 0.0:
        return a / b
    with np.errstate(all="ignore"):
        r = np.divide(a, b)
    return float(r) if np.ndim(r) == 0 else r


def arr(x: Num) -> np.ndarray:
    """Trace values are always ndarrays (0-d for scalars)."""
    return np.array(x, dtype=np.float64)


def as_t(t: Any, owner: str) -> Num:
    """The step count t: a non-negative int, or an int-valued float64 ndarray."""
    if isinstance(t, int | np.integer) and not isinstance(t, bool):
        check(t >= 0, lambda: f"t must be >= 0, got {t}", owner)
        return int(t)
    a = np.asarray(t, dtype=np.float64)
    check(
        (a >= 0) & (a == np.floor(a)), lambda: f"t must be non-negative integers, got {t!r}", owner
    )
    return int(a) if a.ndim == 0 else a


def step_of(t: Num) -> Num:
    """torch's state['step'] after ``step_t += 1``, as the float torch reads via .item()."""
    return float(t + 1) if isinstance(t, int) else t + 1.0


IMPLEMENTATION_SWITCHES = frozenset({"foreach", "fused", "capturable", "differentiable"})


@dataclass(frozen=True)
class Param:
    """Spec of one hyperparameter: its default and how to check it."""

    default: Any
    kind: str = "float"  # "float", "bool", "betas", "floats", "int", "choice"
    check: Callable[[Any], Any] | None = None
    rule: str = ""
    size: int = 2  # "floats": how many numbers
    none_ok: tuple[int, ...] = ()  # "floats": positions that may be None (Adafactor's eps)
    choices: tuple[Any, ...] = ()  # "choice": the allowed values


class Optimizer(ABC):
    """Base: ``init(params) -> state``, ``step(...)``, ``step_trace(...)``; subclasses fill in."""

    name: ClassVar[str]
    params_spec: ClassVar[dict[str, Param]]
    state_cls: ClassVar[type]

    def __init__(self, **kwargs: Any) -> None:
        owner = f"optimizer {self.name!r}"
        # torch's implementation switches choose a kernel, not the maths; code written for
        # torch.optim may pass them, so they are accepted (as None or a bool) and ignored.
        for switch in IMPLEMENTATION_SWITCHES & set(kwargs):
            value = kwargs.pop(switch)
            if value is not None and not isinstance(value, bool):
                raise OptimError(f"{owner}: {switch} must be None, True or False; got {value!r}")
        unknown = sorted(set(kwargs) - set(self.params_spec))
        if unknown:
            raise OptimError(
                f"{owner}: unknown keyword(s) {', '.join(unknown)}; "
                f"valid: {', '.join(self.params_spec)}"
            )
        hp: dict[str, Any] = {}
        for key, spec in self.params_spec.items():
            val = kwargs.get(key, spec.default)
            if spec.kind == "bool":
                if not isinstance(val, bool | np.bool_):
                    raise OptimError(f"{owner}: {key} must be True or False, got {val!r}")
                val = bool(val)
            elif spec.kind == "betas":
                if not isinstance(val, tuple | list) or len(val) != 2:
                    raise OptimError(f"{owner}: {key} must be a pair (beta1, beta2), got {val!r}")
                val = (as_float(val[0], f"{key}[0]", owner), as_float(val[1], f"{key}[1]", owner))
                for i, b in enumerate(val):
                    check(
                        (b >= 0.0) & (b < 1.0),
                        lambda i=i, b=b: f"invalid beta parameter at index {i}: {b}",
                        owner,
                    )
            elif spec.kind == "floats":
                if not isinstance(val, tuple | list) or len(val) != spec.size:
                    raise OptimError(f"{owner}: {key} must be {spec.size} numbers, got {val!r}")
                val = tuple(
                    None if (v is None and i in spec.none_ok) else as_float(v, f"{key}[{i}]", owner)
                    for i, v in enumerate(val)
                )
            elif spec.kind == "int":
                if isinstance(val, bool) or not isinstance(val, int | np.integer):
                    raise OptimError(f"{owner}: {key} must be an integer, got {val!r}")
                val = int(val)
            elif spec.kind == "choice":
                if not any(val is c or (isinstance(c, str) and val == c) for c in spec.choices):
                    raise OptimError(
                        f"{owner}: {key} must be one of {', '.join(map(repr, spec.choices))}; "
                        f"got {val!r}"
                    )
            else:
                val = as_float(val, key, owner)
            if spec.check is not None:
                check(
                    spec.check(val),
                    lambda key=key, val=val, rule=spec.rule: f"invalid {key} value: {val} ({rule})",
                    owner,
                )
            hp[key] = val
        self.hp = hp
        self._validate()

    def _validate(self) -> None:  # noqa: B027 - an optional hook, not an abstract method
        """Cross-parameter checks (e.g. Nesterov needs momentum)."""

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.hp.items())
        return f"optim.get({self.name!r}, {args})"

    @property
    def hyperparameters(self) -> dict[str, Any]:
        return dict(self.hp)

    # -- public API ------------------------------------------------------------------------
    def init(self, params: Any) -> Any:
        """The zero state torch creates on the first ``step()`` for these params."""
        p = _as_params(params, self.name)
        return self._init(p)

    def step(self, params: Any, grads: Any, state: Any) -> tuple[np.ndarray, Any]:
        """One torch ``optimizer.step()``; returns (new params, new state), inputs untouched."""
        p, s, _ = self._run(params, grads, state, None, False)
        return p, s

    def step_trace(
        self, params: Any, grads: Any, state: Any, mistakes: Mistakes | None = None
    ) -> tuple[np.ndarray, Any, Trace]:
        """Like :meth:`step`, also returning the named intermediates (see class docstring)."""
        return self._run(params, grads, state, mistakes, True)

    def step_unchecked(self, params: np.ndarray, grads: np.ndarray, state: Any) -> tuple[Any, Any]:
        """:meth:`step` for a trusted caller that steps many times (the trajectory lab):
        ``params`` and ``grads`` float64 ndarrays of one shape, ``state`` this optimizer's,
        called inside ``np.errstate(all="ignore")``. Nothing is checked or converted; the
        update is the very same code, so the result is :meth:`step`'s, bit for bit."""
        return self._step(params, grads, state, CORRECT, None)

    def with_lr(self, lr: Any) -> Optimizer:
        """A copy with another lr and no checks (a schedule's next lr, already validated by
        building an optimizer with all of them)."""
        new = copy.copy(self)
        new.hp = {**self.hp, "lr": lr}
        return new

    # -- internals -----------------------------------------------------------------------
    def _run(
        self, params: Any, grads: Any, state: Any, mistakes: Mistakes | None, trace: bool
    ) -> tuple[np.ndarray, Any, Trace]:
        owner = f"optimizer {self.name!r}"
        p = _as_params(params, self.name)
        g = _as_params(grads, self.name, "grads")
        if p.shape != g.shape:
            raise OptimError(f"{owner}: grads shape {g.shape} != params shape {p.shape}")
        if not isinstance(state, self.state_cls):
            raise OptimError(
                f"{owner}: state must be {self.state_cls.__name__}, got {type(state).__name__}"
            )
        if mistakes is not None and not isinstance(mistakes, Mistakes):
            raise OptimError(f"{owner}: mistakes must be optim.Mistakes or None")
        tr: Trace | None = {} if trace else None
        try:
            with np.errstate(all="ignore"):
                new_p, new_s = self._step(p, g, state, mistakes or CORRECT, tr)
        except OptimError:
            raise
        except (
            ValueError
        ) as exc:  # numpy broadcasting: a state or hyperparameter of the wrong shape
            shapes = {
                f.name: np.shape(getattr(state, f.name))
                for f in dataclasses.fields(state)
                if getattr(state, f.name) is not None
            }
            raise OptimError(
                f"{owner}: params {p.shape}, state {shapes} and hyperparameters do not "
                f"broadcast together ({exc})"
            ) from None
        if tr is not None:
            tr["update"] = new_p - p
            if "delta_theta" not in tr:  # the rule adds its step by an fma or in parts
                tr["delta_theta"] = new_p - tr.get("theta_decayed", p)
            tr["theta"] = new_p
        return new_p, new_s, tr if tr is not None else {}

    @abstractmethod
    def _init(self, p: np.ndarray) -> Any: ...

    @abstractmethod
    def _step(
        self, p: np.ndarray, g: np.ndarray, s: Any, mk: Mistakes, tr: Trace | None
    ) -> tuple[np.ndarray, Any]: ...


def _as_params(x: Any, name: str, what: str = "params") -> np.ndarray:
    try:
        a = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise OptimError(f"optimizer {name!r}: {what} must be a float64 array") from exc
    return a


def field(x: Any) -> Any:
    """State field from a drill: ndarray float64 (copied so later caller edits can't leak)."""
    return None if x is None else np.array(x, dtype=np.float64)


def put(tr: Trace | None, **items: Num) -> None:
    """Record intermediates when tracing (nothing is recorded by a plain step)."""
    if tr is not None:
        for k, v in items.items():
            tr[k] = arr(v)


def neg_if(flag: bool, g: np.ndarray) -> np.ndarray:
    """torch's ``grad if not maximize else -grad``."""
    return np.negative(g) if flag else g
