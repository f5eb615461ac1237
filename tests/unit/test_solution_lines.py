"""Every line of every worked solution is true: the lines that build θ' add up to it, each
answer is the value of a line, and the step the solution shows is the optimizer's own step
(for AdamW the Adam part, after the decoupled decay), read from the engine's trace."""

from __future__ import annotations

import numpy as np
import pytest

from quizapp.engine import drills
from quizapp.engine.drills.catalog import get_kind
from quizapp.engine.drills.models import Problem, SolutionStep
from tests import sampling

KINDS = drills.kinds()
SEEDS = range(60 if sampling.FULL else 20)  # per kind: 20 by default, 60 in the full run (CI)
# the decay line, when the kind decays θ before its step (AdamW, Lion)
DECAY_LABEL = "θ·(1−ηλ)"


def _lines(p: Problem) -> dict[str, SolutionStep]:
    return {s.label: s for s in p.solution}


def _value(s: SolutionStep) -> float:
    assert s.value is not None, s
    return s.value


@pytest.mark.parametrize("kind", KINDS)
def test_every_answer_is_a_line_of_the_solution(kind: str) -> None:
    for seed in SEEDS:
        p = drills.generate(kind, seed)
        values = [s.value for s in p.solution]
        for name, x in p.answers.items():
            assert x in values, (kind, seed, name, x, values)
        # the last value is an answer, but for an approximation after it (weight-decay-shrink's
        # e^(−Nηλ)) or a rate derived from one (max-stable-lr ends on the rate at η*)
        last = [s for s in p.solution if s.value is not None][-1]
        ends_on_answer = last.value in p.answers.values()
        assert ends_on_answer or last.label == "≈" or kind == "max-stable-lr", (kind, seed)


def _step_kinds() -> list[str]:
    return [k for k in KINDS if "Δθ" in _lines(drills.generate(k, 0))]


@pytest.mark.parametrize("kind", _step_kinds())
def test_theta_line_is_base_plus_the_step_line(kind: str) -> None:
    """θ' = θ + Δθ, or θ' = θ·(1−ηλ) + Δθ where the decay is decoupled, exactly in floats:
    the two values shown add up to the third (D1: AdamW's Δθ included the decay)."""
    for seed in SEEDS:
        p = drills.generate(kind, seed)
        lines = _lines(p)
        base = _value(lines[DECAY_LABEL]) if DECAY_LABEL in lines else p.given["theta"]
        delta, theta = _value(lines["Δθ"]), _value(lines["θ'"])
        assert theta == base + delta, (kind, seed, base, delta, theta)
        assert theta == p.answers["theta"]
        assert lines["θ'"].expression.endswith(f"+ ({lines['Δθ'].value_text})") or lines[
            "θ'"
        ].expression.endswith(f"+ {lines['Δθ'].value_text}"), lines["θ'"]


@pytest.mark.parametrize("kind", ["adam", "adamw", "adam-l2", "adam-large-eps"])
def test_adam_step_line_is_minus_lr_m_hat_over_denom(kind: str) -> None:
    """Δθ = −η·m̂/(√v̂ + ε) with the m̂ and √v̂ + ε lines shown (to rounding: torch computes
    −(η/(1−β₁ᵗ))·m/denom)."""
    for seed in SEEDS:
        p = drills.generate(kind, seed)
        lines = _lines(p)
        want = -p.given["lr"] * _value(lines["m̂"]) / _value(lines["√v̂ + ε"])
        assert _value(lines["Δθ"]) == pytest.approx(want, rel=1e-12), (kind, seed)


def test_lion_theta_line_is_decayed_theta_minus_lr_sign() -> None:
    for seed in SEEDS:
        p = drills.generate("lion-step", seed)
        lines = _lines(p)
        c = _value(lines["c"])
        want = _value(lines[DECAY_LABEL]) - p.given["lr"] * np.sign(c)
        assert _value(lines["θ'"]) == want, seed


def _trace_bases(kind: str, a: dict[str, float], given: dict[str, float]) -> list[tuple]:
    """(θ before the step, the trace prefix) for each step a kind's solve traced."""
    if "tr1_theta" in a:  # two engine steps: the second starts from the first's θ
        return [(given["theta"], "tr1_"), (a["tr1_theta"], "tr2_")]
    if "tr_theta" in a:
        return [(given["theta"], "tr_")]
    return []


@pytest.mark.parametrize("kind", KINDS)
def test_every_traced_step_adds_up(kind: str) -> None:
    """In each engine trace a solution reads, θ' = (θ·(1−ηλ) when decoupled, else θ) + Δθ
    holds exactly, and θ' − θ is Δθ plus the decay alone."""
    k = get_kind(kind)
    for seed in SEEDS:
        p = drills.generate(kind, seed)
        a = k.solve(dict(p.given))
        for theta0, pre in _trace_bases(kind, a, p.given):
            base = float(a.get(pre + "theta_decayed", theta0))
            theta, delta = float(a[pre + "theta"]), float(a[pre + "delta_theta"])
            assert theta == base + delta, (kind, seed, pre)
            if pre + "theta_decayed" in a:
                decay = base - theta0
                assert float(a[pre + "update"]) == pytest.approx(decay + delta, rel=1e-12)
                assert delta != pytest.approx(float(a[pre + "update"]), rel=1e-9)
