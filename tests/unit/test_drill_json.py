"""``quizapp drill KIND --json`` prints ``drills.generate_json``, built without pydantic: it
must be, to the byte, what the Problem model dumps (``generate(...).model_dump(mode="json")``)
for every kind, seed and deck override, and the outputs keep the shape recorded before the
change (golden_drill_json.json, written by make_drill_json_golden.py)."""

from __future__ import annotations

import functools
import json
import math

import pytest

from quizapp.engine import drills
from quizapp.engine.drills.generation import _json_any
from tests import sampling
from tests.unit import make_drill_json_golden as golden

GOLDEN = json.loads(golden.OUT.read_text(encoding="utf-8"))
KINDS = drills.kinds()
#: seeds per kind: 4 in the default run, 12 in the full run (CI), where the slow sweep takes 300
SAMPLE = 12 if sampling.FULL else 4


def _text(data: object) -> str:
    """What ``quizapp drill`` prints for ``data`` (its _print_json, less the control escaping,
    which is a function of the text)."""
    return json.dumps(data, indent=2, ensure_ascii=False)


def _same_as_the_model(kind: str, seed: int, overrides: dict | None = None) -> None:
    fast = drills.generate_json(kind, seed, overrides)
    model = drills.generate(kind, seed, overrides).model_dump(mode="json")
    assert _text(fast) == _text(model), (kind, seed, overrides)


@pytest.mark.parametrize("kind", KINDS)
def test_the_record_is_the_model_dump(kind: str) -> None:
    for seed in [*range(SAMPLE), 2**63 - 1]:
        _same_as_the_model(kind, seed)


@pytest.mark.slow
@pytest.mark.parametrize("kind", KINDS)
def test_the_record_is_the_model_dump_sweep(kind: str) -> None:
    for seed in range(300):
        _same_as_the_model(kind, seed)


def _override_cases() -> list[tuple[str, dict]]:
    """(kind, overrides) of the shipped decks' drill items, as ``--param`` parses them."""
    from quizapp.commands.drill import _overrides

    out = []
    for args in golden.override_cases():
        kind, params = args[0], args[2::2]
        out.append((kind, _overrides(params)))
    return out


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
def test_deck_overrides_give_the_model_dump_too() -> None:
    cases = _override_cases()
    assert len(cases) >= 5
    for kind, overrides in cases:
        for seed in range(6):
            _same_as_the_model(kind, seed, overrides)


def test_untyped_values_are_written_as_pydantic_writes_them() -> None:
    assert _json_any({"a": (1, 2.5), "b": [math.inf, "x"], "c": math.nan, "d": True}) == {
        "a": [1, 2.5],
        "b": [None, "x"],
        "c": None,
        "d": True,
    }


def test_the_command_prints_the_model_dump(capsys: pytest.CaptureFixture[str]) -> None:
    from quizapp.cli import main
    from quizapp.commands.drill import _print_json

    for kind in ("adam", "lr-onecycle", "training-memory"):
        _print_json(drills.generate(kind, 5).model_dump(mode="json"))
        expected = capsys.readouterr().out
        assert main(["drill", kind, "--seed", "5", "--json"]) == 0
        assert capsys.readouterr().out == expected


def test_every_recorded_case_is_pinned() -> None:
    assert set(GOLDEN) == set(_cases())
    assert {name.split()[0] for name in GOLDEN} == set(KINDS)


@functools.cache
def _cases() -> dict[str, list[str]]:
    """The pinned command lines, listed once per process: listing them parses every shipped
    deck for its overrides (~30 ms), which each of the tests by kind did again."""
    return golden.cases()


def _check_golden(names: list[str]) -> None:
    cases = _cases()
    changed = [name for name in names if golden.shape(*golden.run(cases[name])) != GOLDEN[name]]
    assert not changed, f"output changed shape: {changed[:10]}"


@pytest.mark.parametrize("kind", KINDS)
def test_outputs_keep_their_recorded_shape(kind: str) -> None:
    """A sample by default (every ninth seed, the answers, the overrides; every third in the
    full run, CI); all of them in the slow sweep below."""
    every = 3 if sampling.FULL else 9
    names = [
        name
        for name in GOLDEN
        if name.split()[0] == kind and (" --" in name or int(name.split()[1]) % every == 0)
    ]
    _check_golden(names)


@pytest.mark.slow
def test_outputs_keep_their_recorded_shape_sweep() -> None:
    _check_golden(list(GOLDEN))
