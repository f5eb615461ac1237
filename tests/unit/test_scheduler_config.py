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
        ("[scheduling]\nnew_per_day = 7\n", [7, None, True]),
    ],
)
def test_default_settings_import_no_pydantic(
    tmp_path: Path, text: str | None, expected: list[object]
) -> None:
    path = tmp_path / "config.toml"
    if text is not None:
        path.write_text(text, encoding="utf-8")
    assert json.loads(last_line(RUN, str(path), home=tmp_path)) == expected
