"""Numeric drills: randomized problems generated, answered and diagnosed by the engine.

```python
from quizapp.engine import drills
drills.kinds()                                # all kind ids
drills.info("adam")                           # DrillKindInfo: title, topic, fields, params
p = drills.generate("adam", seed=7, overrides={"t": [2, 20]})
drills.generate_json("adam", seed=7)          # p.model_dump(mode="json"), without pydantic
v = drills.grade(p, "0.4987")                 # or {"m": "0.1", "theta": "0.4987"}
drills.validate_overrides("adam", {"lr": [0, 1]})   # ["lr must be a number in (0, …] …"]
drills.check_overrides("adam", {"t": 5000}).warnings  # ["… 'no_bias_correction' … not clearly visible …"]
drills.mistakes(p)                            # the mistake ids this problem recognises
drills.MISTAKES                               # mistake id -> one-line explanation
```
The kinds, in teaching order, are listed once, in ``quizapp.engine.drills.catalog``, with
the module of each.

Importing this package imports neither NumPy nor pydantic (nothing here does): the models
(frozen dataclasses), the mistakes' table and the answer parser are imported when first named, a kind's module (and
NumPy) when a problem of that kind is first generated, graded or checked, and only that
kind's. ``drills.kinds()`` imports no kind.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

from quizapp.engine.drills.errors import DrillError

if TYPE_CHECKING:
    from quizapp.engine.answers import AnswerParseError
    from quizapp.engine.diagnosis import MISTAKES
    from quizapp.engine.drills.models import (
        AnswerField,
        DrillKindInfo,
        FieldResult,
        ParamInfo,
        Problem,
        SolutionStep,
        Tolerance,
        Verdict,
    )

# Imported when first asked for (module ``__getattr__``): ``generate_json``
# (``quizapp drill KIND --json``) needs none of them.
_LAZY = {
    "AnswerParseError": "quizapp.engine.answers",
    "MISTAKES": "quizapp.engine.diagnosis",
    **{
        name: "quizapp.engine.drills.models"
        for name in (
            "AnswerField",
            "DrillKindInfo",
            "FieldResult",
            "ParamInfo",
            "Problem",
            "SolutionStep",
            "Tolerance",
            "Verdict",
        )
    },
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


class OverrideCheck(NamedTuple):
    """What :func:`check_overrides` found: errors (refused) and warnings (doubtful)."""

    errors: list[str]
    warnings: list[str]


__all__ = [
    "MISTAKES",
    "AnswerField",
    "AnswerParseError",
    "DrillError",
    "DrillKindInfo",
    "FieldResult",
    "ParamInfo",
    "Problem",
    "SolutionStep",
    "Tolerance",
    "Verdict",
    "kinds",
    "info",
    "generate",
    "generate_json",
    "grade",
    "solve",
    "validate_overrides",
    "check_overrides",
    "OverrideCheck",
    "variants",
    "mistakes",
]


def kinds() -> list[str]:
    """Every drill kind id, in a stable teaching order."""
    from quizapp.engine.drills.catalog import kind_ids

    return kind_ids()


def info(kind: str) -> DrillKindInfo:
    """Title, description, topic, answer fields, diagnosable mistakes and the parameters a
    deck may override (with their default ranges and hard limits)."""
    from quizapp.engine.drills.catalog import get_kind

    return get_kind(kind).info()


def generate(kind: str, seed: int, overrides: Mapping[str, Any] | None = None) -> Problem:
    """The problem of ``kind`` for ``seed`` (same inputs → same problem, on any machine).

    ``overrides``: parameter name -> [low, high] range or a fixed value; invalid overrides
    raise DrillError naming the field and its valid range.
    """
    from quizapp.engine.drills.generation import generate as _generate

    return _generate(kind, seed, dict(overrides) if overrides is not None else None)


def generate_json(
    kind: str, seed: int, overrides: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """``generate(kind, seed, overrides).model_dump(mode="json")``, built without pydantic:
    what ``quizapp drill KIND --seed N --json`` prints. The same record, validated, is the
    Problem ``generate`` returns (a test compares the two for every kind)."""
    from quizapp.engine.drills.generation import generate_json as _generate_json

    return _generate_json(kind, seed, dict(overrides) if overrides is not None else None)


def grade(problem: Problem, answers: str | Mapping[str, Any]) -> Verdict:
    """Grade an attempt: ``answers`` is text for the primary field or a mapping field -> text.

    Unparsable text raises AnswerParseError (no verdict: it costs the learner nothing); an
    unknown field raises DrillError. See ``quizapp.engine.grading`` for the tolerance policy
    and ``quizapp.engine.diagnosis`` for how a mistake is recognised.
    """
    from quizapp.engine.drills.verdicts import grade_problem

    return grade_problem(problem, answers)


def solve(problem: Problem, mistake: str | None = None) -> dict[str, float]:
    """Recompute the answers of ``problem`` from its ``given`` with the engine, optionally
    under a named mistake (field -> value)."""
    from quizapp.engine.drills.catalog import get_kind
    from quizapp.engine.drills.generation import solve_row

    k = get_kind(problem.kind)
    if mistake is not None and mistake not in k.mistakes:
        # a stable id standing for several variants (schedule_off_by_one@±1): the first one
        detailed = [m for m in k.mistakes if m.split("@")[0] == mistake]
        if not detailed:
            known = ", ".join(dict.fromkeys(m.split("@")[0] for m in k.mistakes))
            raise DrillError(
                f"drill {k.id!r} cannot diagnose {mistake!r}; it knows: {known}", "mistake"
            )
        mistake = detailed[0]
    return solve_row(k, problem.given, mistake)


CHECK_SEEDS = range(4)  # the sample problems an override check draws


def check_overrides(kind: str, overrides: Mapping[str, Any] | None) -> OverrideCheck:
    """What is wrong with ``overrides`` for ``kind`` (``errors``: the drill refuses them) and
    what is doubtful (``warnings``: most draws rejected, or a mistake the drill is about not
    clearly visible in some sample problems), as human sentences; drawn from the problems of
    CHECK_SEEDS."""
    from quizapp.engine.drills.catalog import get_kind
    from quizapp.engine.drills.generation import survey
    from quizapp.engine.drills.sampling import normalise_overrides, override_problems

    try:
        k = get_kind(kind)
    except DrillError as exc:
        return OverrideCheck([exc.message], [])
    ov = dict(overrides) if isinstance(overrides, Mapping) else overrides
    problems = override_problems(k.param_map, ov)
    if problems:
        return OverrideCheck(problems, [])
    # legal values can still combine into no valid problem (StepLR with γ = 1)
    errors, warnings = survey(k, normalise_overrides(k.param_map, ov), CHECK_SEEDS)
    return OverrideCheck(errors, warnings)


def validate_overrides(kind: str, overrides: Mapping[str, Any] | None) -> list[str]:
    """Problems with ``overrides`` for ``kind`` as human sentences; [] when fine (the errors
    of :func:`check_overrides`)."""
    return check_overrides(kind, overrides).errors


def mistakes(problem: Problem) -> list[str]:
    """The mistake ids this problem recognises (stable ids, in the kind's order): the kind's
    mistakes whose answers differ from the right ones, beyond both windows, in at least one
    field. The kind's key mistakes (those it is about) always are, unless an override made
    generation relax them (see ``check_overrides``)."""
    from quizapp.engine.drills.verdicts import named_mistakes

    return named_mistakes(problem)


def variants(problem: Problem) -> dict[str, dict[str, float]]:
    """The engine's answers under every wrong variant the kind can diagnose:
    variant key -> field -> value. A key is a mistake id, or ``id@detail`` when one id
    stands for several variants (``schedule_off_by_one@-1`` and ``@+1``). Those this problem
    names (differing from the right answers in some field) are ``mistakes(problem)``."""
    from quizapp.engine.drills.verdicts import variants_of

    return variants_of(problem)
