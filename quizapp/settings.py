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
    load_balance = true            # reviews go to the least-loaded day of the fuzz range
    easy_days = { sat = 0.5, sun = 0.0 }   # share of a normal load per weekday (Anki's easy days)
    parameters = [0.212, 1.2931, …]        # 21 FSRS-6 weights; `quizapp optimize` writes them

A bad file gives :class:`SettingsError` with the file, line and field.
"""

from __future__ import annotations

import re
import tomllib
from datetime import timedelta
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from quizapp.decks.locate import key_line
from quizapp.srs.scheduler import SchedulerConfig

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|h|d)\s*$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}
_STEP_FIELDS = ("learning_steps", "relearning_steps")


class SettingsError(Exception):
    """The settings file is unusable; the message says where and what to do."""


def parse_duration(text: str) -> timedelta:
    """``"10m"`` → 10 minutes (units s, m, h, d)."""
    match = _DURATION.match(text)
    if not match:
        raise ValueError(f"{text!r} is not a duration like '1m', '10m', '1h' or '1d'")
    return timedelta(**{_UNITS[match.group(2)]: float(match.group(1))})


def load_scheduler_config(path: Path | None = None, **overrides: Any) -> SchedulerConfig:
    """The scheduler settings from ``path`` (default: the user's config.toml)."""
    if path is None:
        from quizapp import paths

        path = paths.config_file()
    values: dict[str, Any] = {}
    text = ""
    if path.is_file():
        try:
            text = path.read_text(encoding="utf-8")
            data = tomllib.loads(text)
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise SettingsError(f"{path}: cannot read the settings: {exc}") from None
        section = data.get("scheduling", {})
        unknown = sorted(set(data) - {"scheduling"})
        if unknown or not isinstance(section, dict):
            raise SettingsError(
                f"{path}: only a [scheduling] table is understood; found {', '.join(unknown) or 'scheduling'}"
            )
        values = dict(section)
        for name in _STEP_FIELDS:
            if name in values:
                try:
                    values[name] = tuple(parse_duration(str(v)) for v in values[name])
                except (TypeError, ValueError) as exc:
                    raise SettingsError(_where(path, text, name) + f"{name}: {exc}") from None
    values.update(overrides)
    try:
        return SchedulerConfig(**values)
    except ValidationError as exc:
        err = exc.errors()[0]
        name = str(err["loc"][0]) if err.get("loc") else "scheduling"
        raise SettingsError(
            _where(path, text, name)
            + f"scheduling.{name}: {err['msg']}; found {err.get('input')!r}"
        ) from None


def _where(path: Path, text: str, key: str) -> str:
    line = key_line(text, key) if text else None
    return f"{path}:{line}: " if line else f"{path}: "
