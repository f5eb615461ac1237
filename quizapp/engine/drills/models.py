"""The data a drill hands out and the verdict it gives back: frozen dataclasses.

``Problem.model_dump(mode="json")`` is exactly what ``quizapp drill KIND --seed N --json``
prints; ``Verdict.model_dump(mode="json")`` is the graded answer. The names ``model_dump``
and ``model_validate`` are pydantic's, and they behave as pydantic's did when these were
pydantic models; plain dataclasses keep a review session from importing pydantic at all
(about 10 MiB of memory and 70 ms at the first drill): the engine builds every value itself
(:func:`quizapp.engine.drills.generation.record` gives a Problem's fields already of their
types), so there is nothing to coerce.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any, ClassVar, Self

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

_frozen = dataclasses.dataclass(frozen=True, slots=True, kw_only=True)


class _Frozen:
    """A frozen record with pydantic's ``model_dump`` / ``model_validate`` (no extra keys,
    every field without a default required). ``_nested`` names the fields holding records:
    field -> (container, record class), the container ``list``, ``dict`` or ``None``."""

    __slots__ = ()
    _nested: ClassVar[dict[str, tuple[type | None, type[_Frozen]]]] = {}

    def model_dump(self, *, mode: str = "python") -> dict[str, Any]:
        """The fields as plain data, in declaration order; ``mode="json"`` as JSON holds them
        (tuples as lists, a non-finite float as None). Private fields (``_name``) are left out."""
        json = mode == "json"
        return {
            f.name: _dump(getattr(self, f.name), json)
            for f in dataclasses.fields(self)  # type: ignore[arg-type]
            if not f.name.startswith("_")
        }

    def model_dump_json(self, *, indent: int | None = None) -> str:
        """``model_dump(mode="json")`` as JSON text, compact unless ``indent`` is given."""
        import json

        compact = (",", ":") if indent is None else None
        return json.dumps(
            self.model_dump(mode="json"), ensure_ascii=False, indent=indent, separators=compact
        )

    @classmethod
    def model_validate(cls, data: Any) -> Self:
        """The record for ``data`` (a mapping as ``model_dump`` gives it, or a record);
        ValueError naming the field when a key is unknown or a required one is missing."""
        if isinstance(data, cls):
            return data
        if not isinstance(data, dict):
            raise ValueError(f"{cls.__name__}: expected a mapping, got {type(data).__name__}")
        fields = {f.name: f for f in dataclasses.fields(cls) if f.init}  # type: ignore[arg-type]
        unknown = [key for key in data if key not in fields]
        if unknown:
            raise ValueError(f"{cls.__name__}.{unknown[0]}: extra inputs are not permitted")
        for name, f in fields.items():
            if name not in data and f.default is f.default_factory is dataclasses.MISSING:
                raise ValueError(f"{cls.__name__}.{name}: field required")
        values = dict(data)
        for name, (container, record) in cls._nested.items():
            if name not in values or values[name] is None:
                continue
            value = values[name]
            if container is list:
                values[name] = [record.model_validate(v) for v in value]
            elif container is dict:
                values[name] = {k: record.model_validate(v) for k, v in value.items()}
            else:
                values[name] = record.model_validate(value)
        return cls(**values)


def _dump(value: Any, json: bool) -> Any:
    if isinstance(value, _Frozen):
        return value.model_dump(mode="json" if json else "python")
    if isinstance(value, dict):
        return {key: _dump(v, json) for key, v in value.items()}
    if isinstance(value, list) or (json and isinstance(value, tuple)):
        return [_dump(v, json) for v in value]
    if isinstance(value, tuple):
        return tuple(_dump(v, json) for v in value)
    if json and isinstance(value, float) and not math.isfinite(value):
        return None
    return value


@_frozen
class AnswerField(_Frozen):
    """One answerable quantity: ``name`` is what ``--answer name=VALUE`` uses."""

    name: str
    label: str  # Unicode, e.g. "m̂" or "θ₁"
    hint: str = ""  # what to type, e.g. "new parameter value after the step"
    primary: bool = False


@_frozen
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


@_frozen
class SolutionStep(_Frozen):
    """One line of the worked solution: ``label = expression = value``; ``value_text`` is the
    value as every screen shows it (an answer's value with the digits its grade needs)."""

    label: str
    expression: str
    value: float | None = None
    value_text: str | None = None


@_frozen
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
    overrides: dict[str, Any] = dataclasses.field(default_factory=dict)

    # Answers of the wrong variants (mistake id -> field -> value), computed by the engine at
    # generation time when convenient; recomputed from ``given`` when absent (e.g. a Problem
    # rebuilt from JSON). Not part of the JSON: it would hand out the diagnosis table.
    _variants: Any = dataclasses.field(default=None, init=False, repr=False, compare=False)

    _nested: ClassVar = {
        "fields": (list, AnswerField),
        "tolerance": (dict, Tolerance),
        "solution": (list, SolutionStep),
    }

    def field(self, name: str) -> AnswerField:
        """The answer field called ``name`` (DrillError naming the valid fields otherwise)."""
        for f in self.fields:
            if f.name == name:
                return f
        valid = ", ".join(f.name for f in self.fields)
        raise DrillError(f"drill {self.kind!r} has no field {name!r}; fields: {valid}", name)


@_frozen
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


@_frozen
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

    _nested: ClassVar = {"fields": (list, FieldResult)}


@_frozen
class ParamInfo(_Frozen):
    """A generator parameter a deck may override: its default range and its hard limits."""

    name: str
    label: str
    type: str  # "float", "int", "bool" or "choice"
    default: list[Scalar]  # [low, high] for numbers; the allowed values for bool/choice
    limits: list[Scalar]  # [low, high] inclusive hard limits for numbers; same as default else
    description: str = ""


@_frozen
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

    _nested: ClassVar = {"params": (dict, ParamInfo)}
