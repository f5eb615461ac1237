"""D5: a guided experiment's text suggests no action the guided lab does not take. Its
knob panel only shows the preset (no ◂ ▸, tab does not reach it, keys and clicks change
nothing), so question and answer never ask to set, raise or try a value; a key they name
is one the guided lab acts on."""

from __future__ import annotations

import re

import pytest

from quizapp.study.lab_experiments import EXPERIMENTS

#: an imperative that invites changing a setting, at the start of a sentence or clause
#: ("… 0.05: give both η = 0.05", "(raise ε towards √v̂ …")
INVITES = re.compile(
    r"(?:^|[.;:(]\s*)(give|raise|lower|set|try|change|increase|decrease|turn)\b", re.I
)
#: keys the guided lab acts on: racers on/off, the answer, next/previous, reset; x only in
#: the scale experiment (LabScreen.check_action)
GUIDED_KEYS = {"space", "n", "p", "r"}


@pytest.mark.parametrize("experiment", EXPERIMENTS, ids=lambda e: e.id)
def test_the_guide_invites_no_knob_change(experiment) -> None:  # noqa: ANN001
    for text in (experiment.question, experiment.answer):
        assert not INVITES.search(text), (experiment.id, INVITES.search(text))
        keys = re.findall(r"\b(?:press|key) (\w+)", text)
        for key in keys:
            racer_key = key.isdigit() and 1 <= int(key) <= len(experiment.racers)
            scale_key = key == "x" and experiment.id == "adam-scale"
            assert key in GUIDED_KEYS or racer_key or scale_key, (experiment.id, key)
