"""The drill kinds, in teaching order: the one list every menu, test and command reads."""

from __future__ import annotations

from quizapp.engine.drills.adafactor import AdafactorStep
from quizapp.engine.drills.adam_family import AdamDecayStep, AdamLargeEps, AdamStep, AdamTwoSteps
from quizapp.engine.drills.adaptive import AdagradStep, AdagradSteps, RMSpropFirstStep, RMSpropStep
from quizapp.engine.drills.arithmetic import BatchScaling, EffectiveBatch, StepsPerEpoch
from quizapp.engine.drills.base import DrillKind
from quizapp.engine.drills.bias_correction import AdamOvershoot, BiasCorrection
from quizapp.engine.drills.clipping import ClipGradNorm
from quizapp.engine.drills.lion import LionStep
from quizapp.engine.drills.memory import OptimizerMemory, TrainingMemory
from quizapp.engine.drills.models import DrillError
from quizapp.engine.drills.schedules import LRCosine, LRExponential, LRInverseSqrt, LRStep, LRWarmup
from quizapp.engine.drills.schedules_cycles import LRWSD, LROneCycle, LRWarmRestarts
from quizapp.engine.drills.schedules_plateau import LRPlateau
from quizapp.engine.drills.sgd_family import (
    MomentumFirstStep,
    MomentumSteadyState,
    MomentumStep,
    SGDStep,
)
from quizapp.engine.drills.stability import MaxStableLR, WeightDecayShrink

__all__ = ["KINDS", "get_kind", "kind_ids"]

KINDS: tuple[DrillKind, ...] = (
    # gradient descent and momentum
    SGDStep(),
    MaxStableLR(),
    MomentumStep(nesterov=False),
    MomentumFirstStep(),
    MomentumSteadyState(),
    MomentumStep(nesterov=True),
    # adaptive steps
    AdagradStep(),
    AdagradSteps(),
    RMSpropStep(),
    RMSpropFirstStep(),
    # Adam
    AdamStep(),
    BiasCorrection(),
    AdamOvershoot(),
    AdamTwoSteps(),
    AdamLargeEps(),
    AdamDecayStep(decoupled=True),
    AdamDecayStep(decoupled=False),
    WeightDecayShrink(),
    AdafactorStep(),
    LionStep(),
    ClipGradNorm(),
    # schedules
    LRStep(),
    LRExponential(),
    LRCosine(),
    LRWarmup(cosine=False),
    LRWarmup(cosine=True),
    LRInverseSqrt(),
    LRWSD(),
    LROneCycle(),
    LRWarmRestarts(),
    LRPlateau(),
    # training-loop arithmetic and memory
    StepsPerEpoch(),
    EffectiveBatch(),
    BatchScaling(rule="linear"),
    BatchScaling(rule="sqrt"),
    OptimizerMemory(),
    TrainingMemory(),
)

_BY_ID = {k.id: k for k in KINDS}
if len(_BY_ID) != len(KINDS):  # pragma: no cover - a programming error
    raise RuntimeError("two drill kinds share an id")
for _k in KINDS:
    _k.check()


def kind_ids() -> list[str]:
    """Every kind id, in teaching order."""
    return [k.id for k in KINDS]


def get_kind(kind: str) -> DrillKind:
    """The kind called ``kind``; DrillError naming the valid kinds otherwise."""
    if not isinstance(kind, str) or kind not in _BY_ID:
        raise DrillError(
            f"unknown drill kind {kind!r}; valid kinds: {', '.join(sorted(_BY_ID))}", "kind"
        )
    return _BY_ID[kind]
