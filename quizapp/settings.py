"""The learner's settings: ``config.toml`` in the config dir (or QUIZAPP_HOME).

Everything is optional; a missing file means the defaults::

    [scheduling]
    desired_retention = 0.9        # FSRS target probability of recall
    maximum_interval = 36500       # days
    learning_steps = ["1m", "10m"]
    relearning_steps = ["10m"]
    learn_ahead_minutes = 20       # a session shows learning steps due this soon (Anki's)
    new_per_day = 20
    reviews_per_day = 200
    day_starts_at_hour = 4         # local hour a study day starts (as in Anki)
    timezone = "Europe/Berlin"     # default: the system's zone
    leech_threshold = 8
    enable_fuzzing = true          # spread due dates a little (FSRS's fuzz)
    load_balance = true            # reviews go to the least-loaded day of the fuzz range
    max_kind_run = 2               # items of one kind in a row while another kind waits
    easy_days = { sat = 0.5, sun = 0.0 }   # share of a normal load per weekday (Anki's easy days)
    parameters = [0.212, 1.2931, …]        # 21 FSRS-6 weights; `quizapp optimize` writes them

    [ui]
    theme = "nord"                 # the app's colour theme; ctrl+p → "Theme" saves it here

A bad file gives :class:`SettingsError` with the file, line and field. Writers
(:func:`save_theme`, ``quizapp optimize``) edit the file with tomlkit, so the learner's
comments and other settings stay as they were.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

from quizapp.srs.scheduler import (
    BOOL_SETTINGS,
    DEFAULTS,
    INT_RANGES,
    RETENTION_BOUNDS,
    SchedulerConfig,
)

# compiled (and kept by re) when a duration is first read: the defaults read none
_DURATION = r"^\s*(\d+(?:\.\d+)?)\s*(s|m|h|d)\s*$"
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}
_STEP_FIELDS = ("learning_steps", "relearning_steps")
_TABLES = ("scheduling", "ui")
_UI_FIELDS = ("theme",)


class SettingsError(Exception):
    """The settings file is unusable; the message says where and what to do."""


def parse_duration(text: str) -> timedelta:
    """``"10m"`` → 10 minutes (units s, m, h, d)."""
    match = re.match(_DURATION, text)
    if not match:
        raise ValueError(f"{text!r} is not a duration like '1m', '10m', '1h' or '1d'")
    return timedelta(**{_UNITS[match.group(2)]: float(match.group(1))})


def _read(path: Path) -> tuple[str, dict[str, Any]]:
    """The file's text and its tables (empty when there is no file); SettingsError when it
    cannot be read, is not TOML, or has a table or ``[ui]`` field we do not know."""
    if not path.is_file():
        return "", {}
    import tomllib

    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise SettingsError(f"{path}: cannot read the settings: {exc}") from None
    unknown = sorted(set(data) - set(_TABLES))
    bad = [name for name in _TABLES if name in data and not isinstance(data[name], dict)]
    if unknown or bad:
        raise SettingsError(
            _where(path, text, (unknown or bad)[0])
            + "only [scheduling] and [ui] tables are understood; "
            f"found {', '.join(unknown or bad)}"
        )
    ui = data.get("ui", {})
    strange = sorted(set(ui) - set(_UI_FIELDS))
    if strange:
        raise SettingsError(
            _where(path, text, strange[0])
            + f"ui.{strange[0]}: unknown setting; known: {', '.join(_UI_FIELDS)}"
        )
    if "theme" in ui and not isinstance(ui["theme"], str):
        raise SettingsError(
            _where(path, text, "theme")
            + f"ui.theme: a theme name in quotes; found {toml_text(ui['theme'])}"
        )
    return text, data


def load_scheduler_config(path: Path | None = None, **overrides: Any) -> SchedulerConfig:
    """The scheduler settings from ``path`` (default: the user's config.toml)."""
    path = path if path is not None else _default_path()
    text, data = _read(path)
    values: dict[str, Any] = dict(data.get("scheduling", {}))
    strange = [name for name in values if name not in DEFAULTS]
    if strange:
        raise SettingsError(
            _where(path, text, strange[0]) + f"scheduling.{strange[0]}: unknown setting"
            f"{_did_you_mean(strange[0], DEFAULTS)}; known: {', '.join(DEFAULTS)}"
        )
    for name in _STEP_FIELDS:
        if name in values:
            found = values[name]
            if not isinstance(found, list):
                raise SettingsError(
                    _where(path, text, name) + f"scheduling.{name}: a list of durations such "
                    f'as ["1m", "10m"] (or [] for none); found {toml_text(found)}'
                )
            try:
                values[name] = tuple(parse_duration(str(v)) for v in found)
            except OverflowError:
                raise SettingsError(
                    _where(path, text, name) + f"scheduling.{name}: a step is at most 36500 days; "
                    f"found {toml_text(found)}"
                ) from None
            except (TypeError, ValueError) as exc:
                raise SettingsError(
                    _where(path, text, name) + f"scheduling.{name}: {exc}"
                ) from None
    values.update(overrides)
    if not values:  # the defaults: nothing to validate (and pydantic is not imported)
        return SchedulerConfig()
    try:
        return SchedulerConfig(**values)
    except ValueError as exc:
        from pydantic import ValidationError  # imported already: the model raised it

        if not isinstance(exc, ValidationError):
            raise
        err = exc.errors()[0]
        name = str(err["loc"][0]) if err.get("loc") else "scheduling"
        # what the file says, not the value it was turned into (steps become timedeltas)
        found = data.get("scheduling", {}).get(name, err.get("input"))
        message = _EXPECTED.get(name) or str(err["msg"]).removeprefix("Value error, ")
        raise SettingsError(
            _where(path, text, name)
            + f"scheduling.{name}: {message.rstrip('.')}; found {toml_text(found)}"
        ) from None


#: What a plain setting takes, in the learner's words (pydantic's would say "Input should
#: be a valid integer" of `true`); the bounds are the model's own (INT_RANGES).
_EXPECTED: dict[str, str] = {
    **{name: f"a whole number from {low} to {high}" for name, (low, high) in INT_RANGES.items()},
    **{name: "true or false" for name in BOOL_SETTINGS},
    "desired_retention": "a number between {0:g} and {1:g} (not {0:g} or {1:g}), such as 0.9".format(
        *RETENTION_BOUNDS
    ),
}


def toml_text(value: Any) -> str:
    """``value`` as it is written in a TOML file (true, "text", [1, 2], { a = 1 }): a
    message quotes what the learner wrote, not Python's spelling of it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_text(v) for v in value) + "]"
    if isinstance(value, dict):
        inner = ", ".join(f"{key} = {toml_text(v)}" for key, v in value.items())
        return "{ " + inner + " }" if inner else "{}"
    return repr(value)


def _did_you_mean(name: str, known: Any) -> str:
    import difflib

    close = difflib.get_close_matches(name, list(known), n=1)
    return f" (did you mean {close[0]}?)" if close else ""


def load_theme(path: Path | None = None) -> str | None:
    """``[ui] theme`` from ``path`` (default: the user's config.toml); None when unset.
    Whether the name is a theme the app knows is the app's to check (it has the list)."""
    _, data = _read(path if path is not None else _default_path())
    theme = data.get("ui", {}).get("theme")
    return theme or None


def theme_location(path: Path | None = None) -> str:
    """``config.toml:LINE`` of ``[ui] theme``, for a message about its value."""
    path = path if path is not None else _default_path()
    text, _ = _read(path)
    return _where(path, text, "theme").removesuffix(": ")


def save_theme(theme: str, path: Path | None = None) -> Path:
    """Set ``[ui] theme`` in ``path`` (default: the user's config.toml), keeping every
    comment and other setting; returns the file written. The new text goes to a temporary
    name that is then renamed over the file, so a crash never leaves half a settings file.
    Raises :class:`SettingsError` when the file cannot be read or written."""
    import os

    import tomlkit
    from tomlkit.exceptions import TOMLKitError

    path = path if path is not None else _default_path()
    _read(path)  # a file we would refuse to load is not rewritten either
    tmp = path.with_name(path.name + ".tmp")
    try:
        doc = tomlkit.parse(path.read_text(encoding="utf-8") if path.is_file() else "")
        table = doc.get("ui")
        if table is None:
            table = tomlkit.table()
            doc["ui"] = table
        table["theme"] = theme
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(tomlkit.dumps(doc), encoding="utf-8")
        os.replace(tmp, path)
    except (OSError, TOMLKitError) as exc:
        tmp.unlink(missing_ok=True)
        raise SettingsError(f"{path}: cannot save the theme: {exc}") from None
    return path


def _default_path() -> Path:
    from quizapp import paths

    return paths.config_file()


def _where(path: Path, text: str, key: str) -> str:
    from quizapp.decks.locate import key_line  # a setting's line: only for a message

    line = key_line(text, key) if text else None
    return f"{path}:{line}: " if line else f"{path}: "
