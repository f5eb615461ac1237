"""SchedulerConfig holds the settings; the pydantic model SchedulerSettings checks them, and
only when one is given (issue 16: the first card's path imports no pydantic)."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from quizapp.srs.scheduler import DEFAULTS, SchedulerConfig
from quizapp.srs.settings_model import SchedulerSettings
from quizapp.study.queue import QueueCandidate, QueueFilter
from tests.fresh_python import last_line


def test_the_defaults_are_the_models_defaults() -> None:
    plain, model = SchedulerConfig(), SchedulerSettings()
    assert {name: getattr(plain, name) for name in DEFAULTS} == model.model_dump()
    # a value given goes through the model: the same config when it is the default
    assert SchedulerConfig(desired_retention=0.9) == plain
    assert SchedulerConfig(timezone=None) == plain


def test_given_values_are_validated_and_coerced() -> None:
    config = SchedulerConfig(learning_steps=[timedelta(minutes=3)], parameters=None)
    assert config.learning_steps == (timedelta(minutes=3),)
    assert config != SchedulerConfig()
    with pytest.raises(ValueError, match="less than 1"):
        SchedulerConfig(desired_retention=1.0)
    with pytest.raises(ValueError, match="Extra inputs are not permitted"):
        SchedulerConfig(new_per_dya=3)
    with pytest.raises(ValueError, match="unknown weekday"):
        SchedulerConfig(easy_days={"someday": 0.5})


def test_frozen_copies_and_their_own_easy_days() -> None:
    config = SchedulerConfig()
    with pytest.raises(AttributeError, match="frozen"):
        config.new_per_day = 5  # type: ignore[misc]
    assert config.easy_days == {} and config.easy_days is not SchedulerConfig().easy_days
    tuned = config.model_copy(update={"parameters": (0.1,) * 21})
    assert tuned.parameters == (0.1,) * 21 and config.parameters is None
    assert tuned.new_per_day == config.new_per_day
    with pytest.raises(ValueError, match="unknown setting"):
        config.model_copy(update={"new_per_dya": 1})
    assert repr(config).startswith("SchedulerConfig(desired_retention=0.9, ")


def test_queue_filter_keeps_sets_of_names() -> None:
    f = QueueFilter(kinds=["drill"], tags={"a"})  # type: ignore[arg-type]
    assert f.kinds == frozenset({"drill"}) and f.tags == frozenset({"a"})
    assert f.matches(QueueCandidate("x", "drill", tags=("a",)))
    assert not f.matches(QueueCandidate("y", "flashcard", tags=("a",)))
    assert QueueFilter().is_empty and QueueFilter() == QueueFilter(decks=None)
    with pytest.raises(ValueError, match="a set of names"):
        QueueFilter(decks="adam")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        QueueFilter(frozenset({"adam"}))  # type: ignore[misc]


RUN = """
import json, sys
from pathlib import Path
from quizapp.settings import load_scheduler_config, load_theme
from quizapp.study.queue import QueueFilter
config = load_scheduler_config(Path(sys.argv[1]))
theme = load_theme(Path(sys.argv[1]))
QueueFilter(decks=frozenset({"d"}), kinds=frozenset({"drill"}))
print(json.dumps([config.new_per_day, theme, "pydantic" in sys.modules]))
"""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (None, [20, None, False]),
        ('[ui]\ntheme = "nord"\n', [20, "nord", False]),
        # plain numbers in range are checked without the model (scheduler._plain)
        ("[scheduling]\nnew_per_day = 7\nenable_fuzzing = false\n", [7, None, False]),
        # anything else goes to the pydantic model
        ('[scheduling]\nnew_per_day = 7\nlearning_steps = ["1m"]\n', [7, None, True]),
    ],
)
def test_default_settings_import_no_pydantic(
    tmp_path: Path, text: str | None, expected: list[object]
) -> None:
    path = tmp_path / "config.toml"
    if text is not None:
        path.write_text(text, encoding="utf-8")
    assert json.loads(last_line(RUN, str(path), home=tmp_path)) == expected


def _by_model(values: dict[str, object]) -> dict[str, object] | str:
    from quizapp.srs.settings_model import validate

    try:
        return validate(values)
    except ValueError as exc:
        return type(exc).__name__


BOUNDARY_VALUES: list[object] = [
    -1,
    0,
    1,
    2,
    23,
    24,
    99,
    100,
    101,
    1000,
    1001,
    1440,
    1441,
    36500,
    36501,
    100_000,
    100_001,
    True,
    False,
    0.0,
    0.5,
    1.0,
    0.9,
    1e-9,
    0.999999,
    -0.5,
    7.0,
    "7",
    None,
    2**70,
]


@pytest.mark.parametrize(
    "name",
    [
        "maximum_interval", "new_per_day", "reviews_per_day", "day_starts_at_hour",
        "leech_threshold", "learn_ahead_minutes", "max_kind_run", "enable_fuzzing",
        "load_balance", "desired_retention",
    ],
)  # fmt: skip
def test_plain_settings_are_accepted_exactly_as_the_model_accepts_them(name: str) -> None:
    """What scheduler._plain takes without pydantic, the model takes too, with the same
    values; what it hands on, the model words (so the error messages stay the model's)."""
    from quizapp.srs.scheduler import _plain

    taken = 0
    for value in BOUNDARY_VALUES:
        plain = _plain({name: value})
        if plain is not None:
            taken += 1
            assert _by_model({name: value}) == plain, (name, value)
            assert type(plain[name]) is type(value)
    assert taken  # every one of these settings has plain values the fast check takes
    for value in BOUNDARY_VALUES:  # whatever the model refuses, SchedulerConfig refuses
        if _by_model({name: value}) == "ValidationError":
            with pytest.raises(ValueError, match=name):
                SchedulerConfig(**{name: value})
