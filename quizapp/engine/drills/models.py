"""The data a drill hands out and the verdict it gives back (pydantic v2, frozen).

``Problem.model_dump(mode="json")`` is exactly what ``quizapp drill KIND --seed N --json``
prints; ``Verdict.model_dump(mode="json")`` is the graded answer.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from quizapp.engine.drills.errors import DrillError

__all__ = [
    "DrillError",
    "AnswerField",
    "Tolerance",
    "SolutionStep",
    "Problem",
    "FieldResult",
    "Verdict",
    "ParamInfo",
    "DrillKindInfo",
]

Scalar = float | int | bool | str


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class AnswerField(_Frozen):
    """One answerable quantity: ``name`` is what ``--answer name=VALUE`` uses."""

    name: str
    label: str  # Unicode, e.g. "m̂" or "θ₁"
    hint: str = ""  # what to type, e.g. "new parameter value after the step"
    primary: bool = False


class Tolerance(_Frozen):
    """An answer a is accepted for the exact value x when |a − x| ≤ max(rel·reference, abs),
    where reference = |x − origin|.

    ``origin`` is the value that "did nothing" gives: θ before the step for a new parameter
    (so the reference is the update |Δθ|), 0 for most intermediates (reference |x|); see
    ``quizapp.engine.grading`` for the policy. ``integer``: the field is a count (steps per
    epoch, decays, T_cur, lr cuts) and only a whole number can be right.
    """

    rel: float
    abs: float
    reference: float
    origin: float = 0.0
    integer: bool = False

    @property
    def width(self) -> float:
        """The accepted half-width max(rel·reference, abs)."""
        return max(self.rel * self.reference, self.abs)


class SolutionStep(_Frozen):
    """One line of the worked solution: ``label = expression = value``; ``value_text`` is the
    value as every screen shows it (an answer's value with the digits its grade needs)."""

    label: str
    expression: str
    value: float | None = None
    value_text: str | None = None


class Problem(_Frozen):
    """A generated drill: everything needed to show it, grade it and explain it."""

    kind: str
    seed: int
    title: str
    prompt: str
    given: dict[str, Scalar]
    given_labels: dict[str, str]
    answers: dict[str, float]
    # each exact answer as shown to the learner: as many digits as its grade needs, so the
    # text typed back is accepted (quizapp.engine.grading.exact_text)
    answers_text: dict[str, str]
    fields: list[AnswerField]
    primary: str
    tolerance: dict[str, Tolerance]
    convention: list[str]
    solution: list[SolutionStep]
    overrides: dict[str, Any] = Field(default_factory=dict)

    # Answers of the wrong variants (mistake id -> field -> value), computed by the engine at
    # generation time when convenient; recomputed from ``given`` when absent (e.g. a Problem
    # rebuilt from JSON). Not part of the JSON: it would hand out the diagnosis table.
    _variants: Any = PrivateAttr(default=None)

    def field(self, name: str) -> AnswerField:
        """The answer field called ``name`` (DrillError naming the valid fields otherwise)."""
        for f in self.fields:
            if f.name == name:
                return f
        valid = ", ".join(f.name for f in self.fields)
        raise DrillError(f"drill {self.kind!r} has no field {name!r}; fields: {valid}", name)


class FieldResult(_Frozen):
    """How one answered field fared: ``given_text`` is what the learner typed,
    ``expected_text`` the exact value as shown (typed back, it is accepted)."""

    field: str
    given: float | None
    expected: float
    correct: bool
    rel_error: float | None  # |given − expected| / max(reference, tiny); None when unanswered
    given_text: str | None = None
    expected_text: str = ""


class Verdict(_Frozen):
    """The grade of one attempt. ``score`` is the fraction of answered fields that are right."""

    correct: bool
    expected: float
    given_answer: float | None
    mistake: str | None
    feedback: str  # what was right and off; the mistake's explanation is MISTAKES[mistake]
    fields: list[FieldResult]
    score: float
    mistake_field: str | None = None  # the answer field the mistake was recognised in


class ParamInfo(_Frozen):
    """A generator parameter a deck may override: its default range and its hard limits."""

    name: str
    label: str
    type: str  # "float", "int", "bool" or "choice"
    default: list[Scalar]  # [low, high] for numbers; the allowed values for bool/choice
    limits: list[Scalar]  # [low, high] inclusive hard limits for numbers; same as default else
    description: str = ""


class DrillKindInfo(_Frozen):
    """What a drill kind is, for menus, deck authors and the checker."""

    kind: str
    title: str
    description: str
    topic: str
    fields: list[str]
    primary: str
    mistakes: list[str]
    params: dict[str, ParamInfo]
