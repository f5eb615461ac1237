"""What a drill kind is, and the registry of kinds.

A kind is a small class: its parameters (with default ranges a deck may override), its answer
fields, how to draw a batch of inputs (``sample``), how the *engine* answers them, optionally
under a named mistake (``solve``), which draws are degenerate (``acceptable``), and how to word
the prompt, the convention and the worked solution for one row. Everything works on batches:
``given`` and answers are dicts of 1-D arrays, one entry per seed.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, ClassVar

import numpy as np

from quizapp.engine.drills.models import AnswerField, DrillError, DrillKindInfo
from quizapp.engine.drills.sampling import Param, Sampler

__all__ = [
    "DrillKind",
    "register",
    "get_kind",
    "all_kinds",
    "Arrays",
    "Row",
    "StepDict",
    "step",
    "fmt",
    "TolSpec",
]

Arrays = dict[str, np.ndarray]
Row = dict[str, Any]
StepDict = dict[str, Any]


def step(label: str, expression: str, value: float | None = None) -> StepDict:
    """One worked-solution line ``label = expression = value``, as the plain dict that
    ``Problem`` validates into a ``SolutionStep`` (one validation for the whole problem is
    much faster than one per step)."""
    return {"label": label, "expression": expression, "value": value}


DEFAULT_REL = 1e-3  # 0.1 %, WeBWorK's default
DEFAULT_ABS = 1e-9  # floor for values that are (nearly) zero


class TolSpec:
    """Per-field tolerance rule: |a − x| ≤ max(rel·|x − origin|, abs); ``origin`` names a given
    input or another answer field (e.g. θ before the step), None meaning 0."""

    __slots__ = ("rel", "abs", "origin")

    def __init__(
        self, rel: float = DEFAULT_REL, abs: float = DEFAULT_ABS, origin: str | None = None
    ):
        self.rel = rel
        self.abs = abs
        self.origin = origin


EXACT_INT = TolSpec(rel=0.0, abs=0.5)


class DrillKind(ABC):
    """Base class of a drill kind; subclasses fill in the class attributes and methods."""

    id: ClassVar[str]
    title: ClassVar[str]
    description: ClassVar[str]
    topic: ClassVar[str]
    params: ClassVar[tuple[Param, ...]] = ()
    fields: ClassVar[tuple[AnswerField, ...]]
    primary: ClassVar[str]
    given_order: ClassVar[tuple[str, ...]]  # every input, in the order it is shown
    labels: ClassVar[dict[str, str]] = {}
    mistakes: ClassVar[tuple[str, ...]] = ()  # mistake ids this kind can diagnose
    must_distinguish: ClassVar[tuple[str, ...]] = ()  # redraw when these variants coincide
    tolerances: ClassVar[dict[str, TolSpec]] = {}
    int_inputs: ClassVar[frozenset[str]] = frozenset()
    str_inputs: ClassVar[frozenset[str]] = frozenset()
    bool_inputs: ClassVar[frozenset[str]] = frozenset()

    # ---- to implement -------------------------------------------------------------------
    @abstractmethod
    def sample(self, s: Sampler) -> Arrays:
        """Draw a batch of inputs (one row per seed)."""

    @abstractmethod
    def solve(self, g: Arrays, mistake: str | None = None) -> Arrays:
        """The engine's answers for every field (plus any trace entries the solution shows),
        computed as the learner would under ``mistake`` when given."""

    def acceptable(self, g: Arrays, a: Arrays) -> np.ndarray:
        """Row mask: True where the draw is a good problem (beyond the generic checks)."""
        return np.ones(len(next(iter(g.values()))), dtype=bool)

    @abstractmethod
    def prompt(self, g: Row) -> str:
        """The question for one row of inputs (Unicode math, no Rich brackets)."""

    @abstractmethod
    def convention(self, g: Row) -> list[str]:
        """The exact update equations this drill uses, one line each."""

    @abstractmethod
    def solution(self, g: Row, a: Row) -> list[StepDict]:
        """Worked steps ``label = expression = value`` with values from the engine (``a``)."""

    # ---- shared -------------------------------------------------------------------------
    @property
    def param_map(self) -> dict[str, Param]:
        """Overridable parameters by name."""
        return {p.name: p for p in self.params}

    def tol(self, field: str) -> TolSpec:
        """The tolerance rule of ``field`` (0.1 % relative, 1e-9 floor unless overridden)."""
        return self.tolerances.get(field, _DEFAULT_TOL)

    def info(self) -> DrillKindInfo:
        """The public description of this kind."""
        return DrillKindInfo(
            kind=self.id,
            title=self.title,
            description=self.description,
            topic=self.topic,
            fields=[f.name for f in self.fields],
            primary=self.primary,
            mistakes=list(dict.fromkeys(m.split("@")[0] for m in self.mistakes)),
            params={p.name: p.info() for p in self.params},
        )

    def row_value(self, name: str, value: Any) -> Any:
        """A given input as the plain Python scalar shown to the learner."""
        if name in self.str_inputs:
            return str(value)
        if name in self.bool_inputs:
            return bool(value)
        if name in self.int_inputs:
            return int(value)
        return float(value)


_DEFAULT_TOL = TolSpec()
_REGISTRY: dict[str, DrillKind] = {}


def register(cls: type[DrillKind]) -> type[DrillKind]:
    """Class decorator: add a kind to the registry under ``cls.id``."""
    if cls.id in _REGISTRY:  # pragma: no cover - a programming error
        raise RuntimeError(f"drill kind {cls.id!r} registered twice")
    kind = cls()
    names = [f.name for f in cls.fields]
    if cls.primary not in names or sum(f.primary for f in cls.fields) != 1:
        raise RuntimeError(f"drill kind {cls.id!r}: primary field must be exactly one of {names}")
    _REGISTRY[cls.id] = kind
    return cls


def get_kind(kind: str) -> DrillKind:
    """The registered kind ``kind``; DrillError naming the valid kinds otherwise."""
    _load()
    if not isinstance(kind, str) or kind not in _REGISTRY:
        valid = ", ".join(sorted(_REGISTRY))
        raise DrillError(f"unknown drill kind {kind!r}; valid kinds: {valid}", "kind")
    return _REGISTRY[kind]


# teaching order for menus; kinds not listed follow in registration order
ORDER = (
    "sgd",
    "momentum",
    "nesterov",
    "adagrad",
    "rmsprop",
    "adam",
    "bias-correction",
    "adam-two-steps",
    "adamw",
    "adam-l2",
    "lr-step",
    "lr-exponential",
    "lr-cosine",
    "lr-warmup",
    "lr-warmup-cosine",
    "steps-per-epoch",
    "linear-scaling",
    "optimizer-memory",
)


def all_kinds() -> list[str]:
    """Every registered kind id, in teaching order."""
    _load()
    rank = {k: i for i, k in enumerate(ORDER)}
    return sorted(_REGISTRY, key=lambda k: rank.get(k, len(ORDER)))


def _load() -> None:
    # Import the family modules on first use; they register themselves.
    if _REGISTRY:
        return
    from quizapp.engine.drills import (  # noqa: F401
        adam_family,
        arithmetic,
        bias_correction,
        schedules,
        sgd_family,
    )


# ---- number formatting for prompts and solutions ----------------------------------------
_FMT_MEMO: dict[float, str] = {}
_FMT_MEMO_MAX = 1 << 16


def fmt(x: Any, sig: int = 6) -> str:
    """A number as a learner reads it: up to ``sig`` significant digits, Unicode minus,
    scientific notation (1.2e−8) only for very small or large magnitudes."""
    if x.__class__ is float and sig == 6:
        # the common case (~25 calls per generated problem), memoised: drawn inputs have two
        # or three significant digits, so the same values come back all through a batch
        # (0.0 and −0.0 share a key; both print "0")
        s = _FMT_MEMO.get(x)
        if s is None:
            s = _fmt(x, 6)
            if len(_FMT_MEMO) >= _FMT_MEMO_MAX:
                _FMT_MEMO.clear()
            _FMT_MEMO[x] = s
        return s
    return _fmt(x, sig)


def _fmt(x: Any, sig: int) -> str:
    if x.__class__ is float:
        s = f"{x:.{sig}g}"
        if "e" not in s:
            # plain decimals: what the general path gives (integers ≥ 10⁴ get separators;
            # for sig ≠ 6, magnitudes outside [1e−4, 1e6) take the general path)
            if (
                (len(s) < 5 or "." in s)
                and s != "0"
                and s != "-0"
                and (sig == 6 or (-1e6 < x < 1e6 and not -1e-4 < x < 1e-4))
            ):
                return "−" + s[1:] if s[0] == "-" else s
        elif -1e-4 < x < 1e-4:
            # what the general path below computes: %.6g's mantissa is %.5e's with the
            # trailing zeros (and point) stripped, and both round to the same exponent
            mant, exp = s.split("e")
            return f"{mant}e{int(exp)}".replace("-", "−")
    if isinstance(x, bool | str):
        return str(x)
    if isinstance(x, int | np.integer):
        return f"{int(x):,}".replace("-", "−")
    v = float(x)
    if v == 0:
        return "0"
    if v == int(v) and abs(v) < 1e7:
        return f"{int(v):,}".replace("-", "−") if abs(v) >= 1e4 else str(int(v)).replace("-", "−")
    a = abs(v)
    if 1e-4 <= a < 1e6:
        s = f"{v:.{sig}g}"
        if "e" in s:
            s = f"{v:.{sig}f}".rstrip("0").rstrip(".")
    else:
        mant, exp = f"{v:.{sig - 1}e}".split("e")
        mant = mant.rstrip("0").rstrip(".") if "." in mant else mant
        s = f"{mant}e{int(exp)}"
    return s.replace("-", "−")
