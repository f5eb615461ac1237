from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from quizapp.settings import SettingsError, load_scheduler_config, load_theme, save_theme


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
            ":2: scheduling.learning_steps: 'soon' is not a duration",
        ),
        # D24: TOML readers take integers of any size; each setting has an upper bound
        (
            "[scheduling]\nnew_per_day = 99999999999999999999999\n",
            ":2: scheduling.new_per_day: a whole number from 0 to 100000; "
            "found 99999999999999999999999",
        ),
        ("[scheduling]\n\nreviews_per_day = 100001\n", ":3: scheduling.reviews_per_day"),
        ("[scheduling]\nmaximum_interval = 36501\n", ":2: scheduling.maximum_interval"),
        # a TOML boolean is not a number, nor a string a boolean (tester2: lax reading took
        # `new_per_day = true` as 1 and `load_balance = "yes"` as true, silently)
        (
            "[scheduling]\nnew_per_day = true\n",
            ":2: scheduling.new_per_day: a whole number from 0 to 100000; found true",
        ),
        ("[scheduling]\nmaximum_interval = 30.0\n", ":2: scheduling.maximum_interval"),
        (
            '[scheduling]\nload_balance = "yes"\n',
            ':2: scheduling.load_balance: true or false; found "yes"',
        ),
        (
            "[scheduling]\nenable_fuzzing = 1\n",
            ":2: scheduling.enable_fuzzing: true or false; found 1",
        ),
        (
            "[scheduling]\ndesired_retention = 1.5\n",
            ":2: scheduling.desired_retention: a number between 0 and 1 (not 0 or 1), such as 0.9; "
            "found 1.5",
        ),
        # usertest8: a string was read one character at a time ("'1' is not a duration")
        (
            '[scheduling]\nlearning_steps = "1m"\n',
            ':2: scheduling.learning_steps: a list of durations such as ["1m", "10m"] (or [] for '
            'none); found "1m"',
        ),
        ("[scheduling]\nrelearning_steps = 10\n", ":2: scheduling.relearning_steps: a list of"),
        # the model's own message, without its full stop before "; found"
        (
            "[scheduling]\nparameters = [1, 2]\n",
            ":2: scheduling.parameters: not usable FSRS-6 parameters (2 given): Expected 21 "
            "parameters, got 2; found [1, 2]",
        ),
        (
            "[scheduling]\neasy_days = { sat = 2 }\n",
            ":2: scheduling.easy_days: sat = 2.0: a share of the normal load, 0 to 1; "
            "found { sat = 2 }",
        ),
        ("[scheduling]\ndesired_retention = true\n", ":2: scheduling.desired_retention"),
        ("[scheduling]\nleech_threshold = 1001\n", ":2: scheduling.leech_threshold"),
        ("[scheduling]\nlearn_ahead_minutes = 1441\n", ":2: scheduling.learn_ahead_minutes"),
        ("[scheduling]\nday_starts_at_hour = 2147483648\n", ":2: scheduling.day_starts_at_hour"),
        (
            '[scheduling]\nlearning_steps = ["1m", "36501d"]\n',
            ':2: scheduling.learning_steps: a step is at most 36500 days; found ["1m", "36501d"]',
        ),
        (
            '[scheduling]\nrelearning_steps = ["99999999999999999999d"]\n',
            ":2: scheduling.relearning_steps: a step is at most 36500 days",
        ),
        (
            '[scheduling]\nlearning_steps = ["0m"]\n',
            ':2: scheduling.learning_steps: steps must be positive durations; found ["0m"]',
        ),
        (
            "[scheduling]\nnew_per_dya = 3\n",
            ":2: scheduling.new_per_dya: unknown setting (did you mean new_per_day?); known: "
            "desired_retention, maximum_interval,",
        ),
        ("[colors]\n", "only [scheduling] and [ui] tables"),
        ("[scheduling\n", "cannot read the settings"),
    ],
)
def test_bad_settings_are_located(tmp_path: Path, text: str, needle: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text)
    with pytest.raises(SettingsError) as info:
        load_scheduler_config(path)
    assert needle in str(info.value) and str(path) in str(info.value)


# ------------------------------------------------------------------------- [ui] theme
CONFIG = """\
# my quizapp settings
[scheduling]
desired_retention = 0.85   # a bit lower: fewer reviews
new_per_day = 30

# colours
[ui]
theme = "nord"  # chosen in the palette
"""


def test_the_theme_is_read(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    assert load_theme(path) is None  # no file: the app's default
    path.write_text(CONFIG)
    assert load_theme(path) == "nord"
    assert load_scheduler_config(path).desired_retention == 0.85  # [ui] is not refused


def test_saving_the_theme_keeps_comments_and_other_settings(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(CONFIG)
    save_theme("gruvbox", path)
    assert path.read_text() == CONFIG.replace('"nord"', '"gruvbox"')  # only the value moved
    assert load_theme(path) == "gruvbox"
    no_ui = CONFIG.split("# colours")[0]
    path.write_text(no_ui)
    save_theme("dracula", path)
    text = path.read_text()
    assert text.startswith(no_ui) and text.rstrip().endswith('[ui]\ntheme = "dracula"')
    assert load_scheduler_config(path).new_per_day == 30


def test_saving_into_a_new_folder_and_file(tmp_path: Path) -> None:
    path = tmp_path / "new" / "config.toml"
    assert save_theme("textual-light", path) == path
    assert load_theme(path) == "textual-light"
    assert not list(path.parent.glob("*.tmp"))


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("[ui]\ntheme = 3\n", ":2: ui.theme: a theme name in quotes"),
        ('[ui]\ncolour = "red"\n', ":2: ui.colour: unknown setting"),
        ('ui = "nord"\n', "only [scheduling] and [ui] tables"),
    ],
)
def test_a_bad_ui_table_is_located(tmp_path: Path, text: str, needle: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text)
    for call in (load_theme, load_scheduler_config, lambda p: save_theme("nord", p)):
        with pytest.raises(SettingsError) as info:
            call(path)
        assert needle in str(info.value) and str(path) in str(info.value)
    assert path.read_text() == text  # a file we refuse is never rewritten


def test_an_unwritable_folder_is_a_settings_error(tmp_path: Path) -> None:
    import os

    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        if os.access(folder, os.W_OK):
            pytest.skip("running as root: permissions are not enforced")
        with pytest.raises(SettingsError, match="cannot save the theme"):
            save_theme("nord", folder / "config.toml")
    finally:
        folder.chmod(0o700)


def test_a_too_large_setting_stops_review_with_exit_1(capsys: pytest.CaptureFixture[str]) -> None:
    """D24: it used to pass validation and end `review` in a traceback with exit 0."""
    from quizapp import paths
    from quizapp.cli import main

    config = paths.config_file()
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text("[scheduling]\nnew_per_day = 99999999999999999999999\n")
    assert main(["review"]) == 1
    err = capsys.readouterr().err
    assert f"{config}:2: scheduling.new_per_day:" in err and "Traceback" not in err
