"""What a drill kind is.

A kind is a small object: its parameters (with default ranges a deck may override), its answer
fields, how to draw one problem's inputs (``sample``), how the *engine* answers them, optionally
under a named mistake (``solve``), which draws are degenerate (``acceptable``), and how to word
the prompt, the convention and the worked solution. Inputs and answers are plain Python
scalars (a ``Row``: name -> float, int, bool or str). The kinds themselves, in teaching order,
are listed once, in :mod:`quizapp.engine.drills.catalog`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from quizapp.engine.drills.sampling import Param, Sampler
from quizapp.engine.numfmt import fmt

if TYPE_CHECKING:
    from quizapp.engine.drills.models import DrillKindInfo

__all__ = [
    "DrillKind",
    "FieldSpec",
    "Row",
    "StepDict",
    "step",
    "fmt",
    "par",
    "TolSpec",
    "EXACT_INT",
    "DEFAULT_REL",
    "DEFAULT_ABS",
]

Row = dict[str, Any]
StepDict = dict[str, Any]


class FieldSpec(NamedTuple):
    """One answer field of a kind, as a plain record (a kind is defined without pydantic):
    a Problem validates ``_asdict()`` into its ``AnswerField``. ``name`` is what
    ``--answer name=VALUE`` uses; ``label`` its symbol (Unicode, e.g. "m̂" or "θ₁");
    ``hint`` what to type; ``primary`` the one field ``--answer VALUE`` grades."""

    name: str
    label: str
    hint: str = ""
    primary: bool = False


def step(
    label: str, expression: str, value: float | None = None, text: str | None = None
) -> StepDict:
    """One worked-solution line ``label = expression = value``, as the plain dict that
    ``Problem`` validates into a ``SolutionStep``. ``text`` is the value as shown where 6
    significant digits are not enough (see :func:`carried`); an answer's value is shown
    with the digits its grade needs without it."""
    out: StepDict = {"label": label, "expression": expression, "value": value}
    if text is not None:
        out["value_text"] = text
    return out


def carried(value: float, *windows: float) -> str:
    """An intermediate that a later line adds into an answer — θ·(1−ηλ) into θ', which is
    graded to 0.1 % of a step far smaller than θ — with the digits the narrowest of those
    answers' acceptance windows needs (``exact_text``): the solution's lines, typed as they
    stand, add up to an accepted answer. Show it with ``step(..., text=)`` and write the same
    text into the later line's expression."""
    from quizapp.engine.grading import exact_text

    return exact_text(value, max(min(windows), DEFAULT_ABS))


def par(x: Any) -> str:
    """A number for an expression, parenthesised when negative or in e-notation:
    0.9·(−0.3), (4e−5)²."""
    s = fmt(x)
    return f"({s})" if s.startswith("−") or "e" in s else s


DEFAULT_REL = 1e-3  # 0.1 %, WeBWorK's default
# a floor for values that are (nearly) zero, below every realistic value (a fine-tuning lr
# late in its decay ≈ 1e-8, v = g² ≈ 1e-8 for |g| = 1e-4), which are all graded to 0.1 %
DEFAULT_ABS = 1e-12


class TolSpec:
    """Per-field tolerance rule: |a − x| ≤ max(rel·|x − origin|, abs); ``origin`` names a given
    input or another answer field (e.g. θ before the step), None meaning 0; ``integer``: the
    field is a count, and an answer must also be a whole number."""

    __slots__ = ("rel", "abs", "origin", "integer")

    def __init__(
        self,
        rel: float = DEFAULT_REL,
        abs: float = DEFAULT_ABS,
        origin: str | None = None,
        integer: bool = False,
    ):
        self.rel = rel
        self.abs = abs
        self.origin = origin
        self.integer = integer


#: a count (steps per epoch, decays, T_cur, lr cuts): the exact whole number and nothing else
EXACT_INT = TolSpec(rel=0.0, abs=0.5, integer=True)
_DEFAULT_TOL = TolSpec()


class DrillKind(ABC):
    """Base class of a drill kind; subclasses set the attributes and implement the methods.

    Attributes: ``id``, ``title``, ``description``, ``topic``; ``params`` (what a deck may
    override); ``fields`` (answer fields, exactly one ``primary``); ``given_order`` (every
    input, in the order it is shown) and ``labels`` (input name -> symbol); ``mistakes`` (the
    mistake ids ``solve`` can compute, ``id@detail`` for one id standing for several
    variants); ``must_distinguish`` (the key mistakes, the ones the drill is about: each must
    be clearly away from the right answer, else the draw is redone) and ``distinguish_on``
    (mistake -> the field it is checked on, the primary by default); ``tolerances``
    (field -> TolSpec).

    Whatever the kind, a problem names (diagnoses) only the mistakes whose answers differ from
    the right ones, beyond both windows, in at least one field (``drills.mistakes``).
    """

    id: str
    title: str
    description: str
    topic: str
    params: tuple[Param, ...] = ()
    fields: tuple[FieldSpec, ...]
    given_order: tuple[str, ...]
    labels: dict[str, str] = {}
    mistakes: tuple[str, ...] = ()
    must_distinguish: tuple[str, ...] = ()
    distinguish_on: dict[str, str] = {}
    tolerances: dict[str, TolSpec] = {}

    # ---- to implement -------------------------------------------------------------------
    @abstractmethod
    def sample(self, s: Sampler) -> Row:
        """Draw one problem's inputs (every name of ``given_order``, plus any helper value)."""

    @abstractmethod
    def solve(self, g: Row, mistake: str | None = None) -> Row:
        """The engine's answers for every field (plus any trace entries the solution shows),
        computed as the learner would under ``mistake`` when given."""

    def acceptable(self, g: Row, a: Row) -> bool:
        """True when the draw is a good problem (beyond the generic checks)."""
        return True

    def unrounded(self, g: Row, a: Row) -> dict[str, tuple[float, str]]:
        """Integer field -> (the quotient before rounding, which a learner may type for it,
        and the sentence that says so and how the setup rounds it): "N/B = 731.25 is not a
        whole number of steps: drop_last=True drops the last partial batch, so ⌊N/B⌋ = 731."
        The grade says it when a non-whole answer lies within half a unit of that quotient."""
        return {}

    @abstractmethod
    def prompt(self, g: Row) -> str:
        """The question (Unicode math, no Rich brackets)."""

    @abstractmethod
    def convention(self, g: Row) -> list[str]:
        """The exact update equations this drill uses, one line each."""

    @abstractmethod
    def solution(self, g: Row, a: Row) -> list[StepDict]:
        """Worked steps ``label = expression = value`` with values from the engine (``a``)."""

    # ---- shared -------------------------------------------------------------------------
    @property
    def primary(self) -> str:
        """The answer field ``--answer VALUE`` grades."""
        return next(f.name for f in self.fields if f.primary)

    @property
    def param_map(self) -> dict[str, Param]:
        """Overridable parameters by name."""
        return {p.name: p for p in self.params}

    def key_field(self, mistake: str) -> str:
        """The answer field a key mistake must be clearly visible in (the primary unless
        ``distinguish_on`` names another)."""
        return self.distinguish_on.get(mistake, self.primary)

    def tol(self, field: str) -> TolSpec:
        """The tolerance rule of ``field`` (0.1 % relative, 1e-12 floor unless overridden)."""
        return self.tolerances.get(field, _DEFAULT_TOL)

    def info(self) -> DrillKindInfo:
        """The public description of this kind."""
        from quizapp.engine.drills.models import DrillKindInfo

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

    def check(self) -> None:
        """Raise RuntimeError when the kind is inconsistent (a programming error)."""
        names = [f.name for f in self.fields]
        if sum(f.primary for f in self.fields) != 1:
            raise RuntimeError(f"drill kind {self.id!r}: exactly one primary field in {names}")
        if len(set(names)) != len(names):
            raise RuntimeError(f"drill kind {self.id!r}: duplicate fields {names}")
        unknown = set(self.must_distinguish) - set(self.mistakes)
        if unknown:
            raise RuntimeError(f"drill kind {self.id!r}: must_distinguish {unknown} not mistakes")
        odd = {m: f for m, f in self.distinguish_on.items() if m not in self.must_distinguish}
        if odd or not set(self.distinguish_on.values()) <= set(names):
            raise RuntimeError(f"drill kind {self.id!r}: bad distinguish_on {self.distinguish_on}")


def given_value(value: Any) -> Any:
    """A drawn input as the plain Python scalar shown to the learner (NumPy scalars become
    float/int/bool)."""
    return value.item() if isinstance(value, np.generic) else value


def as_float(value: Any) -> float:
    """A scalar or a one-element array from the engine as a Python float."""
    return float(np.asarray(value, dtype=np.float64).reshape(-1)[0])
