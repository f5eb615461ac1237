from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from quizapp.settings import SettingsError, load_scheduler_config


def test_defaults_without_a_file(tmp_path: Path) -> None:
    config = load_scheduler_config(tmp_path / "missing.toml")
    assert config.desired_retention == 0.9 and config.day_starts_at_hour == 4


def test_values_and_steps(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[scheduling]\ndesired_retention = 0.85\nlearning_steps = ["30s", "5m"]\n')
    config = load_scheduler_config(path)
    assert config.desired_retention == 0.85
    assert config.learning_steps == (timedelta(seconds=30), timedelta(minutes=5))


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("[scheduling]\ndesired_retention = 1.5\n", ":2: scheduling.desired_retention"),
        (
            '[scheduling]\nlearning_steps = ["soon"]\n',
            ":2: learning_steps: 'soon' is not a duration",
        ),
        ("[scheduling]\nnew_per_dya = 3\n", ":2: scheduling.new_per_dya"),
        ("[colors]\n", "only a [scheduling] table"),
        ("[scheduling\n", "cannot read the settings"),
    ],
)
def test_bad_settings_are_located(tmp_path: Path, text: str, needle: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text)
    with pytest.raises(SettingsError) as info:
        load_scheduler_config(path)
    assert needle in str(info.value) and str(path) in str(info.value)
