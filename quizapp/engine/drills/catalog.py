"""The drill kinds, in teaching order: the one list every menu, test and command reads.

The list is static: each kind's id with the module and class that implement it (and the
class's arguments), so that naming the kinds imports nothing, and one kind imports only its
own module (``quizapp drill adam --json`` does not load thirty-six other drills and the
optimizers and schedules they use). A test checks that this list and the modules agree:
every entry builds the kind of its id, and every kind class is listed.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any, NamedTuple

from quizapp.engine.drills.errors import DrillError

if TYPE_CHECKING:
    from quizapp.engine.drills.base import DrillKind

__all__ = ["REGISTRY", "Entry", "get_kind", "kind_ids", "all_kinds"]  # and KINDS (lazy)


class Entry(NamedTuple):
    """One kind: its ``id``, the module of ``quizapp.engine.drills`` and the class that
    implement it, and the class's keyword arguments."""

    id: str
    module: str
    cls: str
    kwargs: tuple[tuple[str, Any], ...] = ()


REGISTRY: tuple[Entry, ...] = (
    # gradient descent and momentum
    Entry("sgd", "sgd_family", "SGDStep"),
    Entry("max-stable-lr", "stability", "MaxStableLR"),
    Entry("momentum", "sgd_family", "MomentumStep", (("nesterov", False),)),
    Entry("momentum-first-step", "sgd_family", "MomentumFirstStep"),
    Entry("momentum-steady-state", "sgd_family", "MomentumSteadyState"),
    Entry("nesterov", "sgd_family", "MomentumStep", (("nesterov", True),)),
    # adaptive steps
    Entry("adagrad", "adaptive", "AdagradStep"),
    Entry("adagrad-steps", "adaptive", "AdagradSteps"),
    Entry("rmsprop", "adaptive", "RMSpropStep"),
    Entry("rmsprop-first-step", "adaptive", "RMSpropFirstStep"),
    # Adam
    Entry("adam", "adam_family", "AdamStep"),
    Entry("bias-correction", "bias_correction", "BiasCorrection"),
    Entry("adam-overshoot", "bias_correction", "AdamOvershoot"),
    Entry("adam-two-steps", "adam_family", "AdamTwoSteps"),
    Entry("adam-large-eps", "adam_family", "AdamLargeEps"),
    Entry("adamw", "adam_family", "AdamDecayStep", (("decoupled", True),)),
    Entry("adam-l2", "adam_family", "AdamDecayStep", (("decoupled", False),)),
    Entry("weight-decay-shrink", "stability", "WeightDecayShrink"),
    Entry("adafactor-step", "adafactor", "AdafactorStep"),
    Entry("lion-step", "lion", "LionStep"),
    Entry("clip-grad-norm", "clipping", "ClipGradNorm"),
    # schedules
    Entry("lr-step", "schedules", "LRStep"),
    Entry("lr-exponential", "schedules", "LRExponential"),
    Entry("lr-cosine", "schedules", "LRCosine"),
    Entry("lr-warmup", "schedules", "LRWarmup", (("cosine", False),)),
    Entry("lr-warmup-cosine", "schedules", "LRWarmup", (("cosine", True),)),
    Entry("lr-inverse-sqrt", "schedules", "LRInverseSqrt"),
    Entry("lr-wsd", "schedules_cycles", "LRWSD"),
    Entry("lr-onecycle", "schedules_cycles", "LROneCycle"),
    Entry("lr-warm-restarts", "schedules_cycles", "LRWarmRestarts"),
    Entry("lr-plateau", "schedules_plateau", "LRPlateau"),
    # training-loop arithmetic and memory
    Entry("steps-per-epoch", "arithmetic", "StepsPerEpoch"),
    Entry("effective-batch", "arithmetic", "EffectiveBatch"),
    Entry("linear-scaling", "arithmetic", "BatchScaling", (("rule", "linear"),)),
    Entry("sqrt-scaling", "arithmetic", "BatchScaling", (("rule", "sqrt"),)),
    Entry("optimizer-memory", "memory", "OptimizerMemory"),
    Entry("training-memory", "memory", "TrainingMemory"),
)

_ENTRIES = {e.id: e for e in REGISTRY}
if len(_ENTRIES) != len(REGISTRY):  # pragma: no cover - a programming error
    raise RuntimeError("two drill kinds share an id")
_BUILT: dict[str, DrillKind] = {}


def kind_ids() -> list[str]:
    """Every kind id, in teaching order (imports no kind)."""
    return [e.id for e in REGISTRY]


def build(entry: Entry) -> DrillKind:
    """A fresh instance of ``entry``'s kind, checked (RuntimeError when its module builds a
    kind of another id, or an inconsistent one: a programming error)."""
    module = importlib.import_module(f"quizapp.engine.drills.{entry.module}")
    kind: DrillKind = getattr(module, entry.cls)(**dict(entry.kwargs))
    if kind.id != entry.id:
        raise RuntimeError(
            f"the drill registry says {entry.module}.{entry.cls}{dict(entry.kwargs)} is "
            f"{entry.id!r}; it is {kind.id!r}"
        )
    kind.check()
    return kind


def get_kind(kind: str) -> DrillKind:
    """The kind called ``kind`` (its module imported on first use); DrillError naming the
    valid kinds otherwise."""
    found = _BUILT.get(kind) if isinstance(kind, str) else None
    if found is not None:
        return found
    if not isinstance(kind, str) or kind not in _ENTRIES:
        import difflib  # only on this error path

        close = difflib.get_close_matches(kind, _ENTRIES, n=1) if isinstance(kind, str) else []
        hint = f"did you mean {close[0]!r}? " if close else ""
        raise DrillError(
            f"unknown drill kind {kind!r}; {hint}valid kinds: {', '.join(sorted(_ENTRIES))}",
            "kind",
        )
    found = _BUILT[kind] = build(_ENTRIES[kind])
    return found


def all_kinds() -> tuple[DrillKind, ...]:
    """Every kind, in teaching order (imports every kind's module)."""
    return tuple(get_kind(e.id) for e in REGISTRY)


def __getattr__(name: str) -> Any:
    # ``KINDS``: every kind, built on first use (it imports every drill module)
    if name == "KINDS":
        return all_kinds()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
