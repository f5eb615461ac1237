"""Optimizer names are spelled one way, torch's (RMSprop, Adagrad, Adadelta, Adamax, NAdam,
RAdam, AdamW), in everything a learner reads: the shipped decks, the drills' titles,
prompts and worked solutions, and the lab. Item ids and engine names stay lower case."""

from __future__ import annotations

import re

import pytest

from quizapp.engine import drills
from quizapp.paths import shipped_content_dir
from quizapp.study import lab_experiments, lab_knobs

TORCH = ("RMSprop", "Adagrad", "Adadelta", "Adamax", "NAdam", "RAdam", "AdamW")
# any capitalised spelling of one of these names that is not torch's (lower case is an id)
OTHER = re.compile(
    r"\b(?!(?:" + "|".join(TORCH) + r")\b)(?=[A-Z])"
    r"(?i:rmsprop|adagrad|adadelta|adamax|nadam|radam|adamw)\b"
)


def others(text: str) -> list[str]:
    return OTHER.findall(text)


def test_the_pattern_finds_the_other_spellings_only() -> None:
    assert others("RMSProp, AdaGrad, ADAMW, Nadam, Radam, AdaMax, AdaDelta, Adamw") == [
        "RMSProp", "AdaGrad", "ADAMW", "Nadam", "Radam", "AdaMax", "AdaDelta", "Adamw"
    ]  # fmt: skip
    assert others(" ".join(TORCH) + " rmsprop optimizers.adaptive.adagrad-limitation") == []


def test_the_shipped_decks_use_torchs_spelling() -> None:
    found = {
        f"{path.name}:{n}: {word}"
        for path in sorted(shipped_content_dir().rglob("*.toml"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        for word in others(line)
    }
    assert not found, sorted(found)


@pytest.mark.parametrize("kind", drills.kinds())
def test_drill_titles_and_texts_use_torchs_spelling(kind: str) -> None:
    info = drills.info(kind)
    texts = [info.title, info.description]
    for seed in range(3):
        problem = drills.generate(kind, seed)
        texts += [problem.title, problem.prompt, *problem.convention]
        texts += [step.model_dump_json() for step in problem.solution]
    assert not [w for t in texts for w in others(t)]


def test_the_lab_uses_torchs_spelling() -> None:
    texts = [f"{e.title} {e.question} {e.answer}" for e in lab_experiments.EXPERIMENTS]
    texts += [r.label for e in lab_experiments.EXPERIMENTS for r in e.racers]
    texts += [r.label for r in lab_knobs.default_racers()]
    texts += [lab_knobs.label_of(name) for name in lab_knobs.other_optimizers()]
    texts += [lab_knobs.update_rule(r) for r in lab_knobs.default_racers()]
    assert not [w for t in texts for w in others(t)]
