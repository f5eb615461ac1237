"""The constraints on the scheduling settings: one pydantic model, imported only when a
setting is given (the defaults need no validation, so the first card imports no pydantic).

:class:`~quizapp.srs.scheduler.SchedulerConfig` holds the values; :func:`validate` turns
what a learner or a caller gave into every field's value, or raises pydantic's
``ValidationError`` (a ``ValueError``) whose first error names the field — the message
``quizapp.settings`` puts beside the config file's line.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfoNotFoundError

from fsrs import Scheduler
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    field_validator,
)

from quizapp.srs.days import resolve_tz
from quizapp.srs.scheduler import DEFAULTS, INT_RANGES, MAX_STEP, RETENTION_BOUNDS

__all__ = ["SchedulerSettings", "validate"]

D = DEFAULTS


def _in_range(name: str) -> dict[str, int]:
    low, high = INT_RANGES[name]
    return {"ge": low, "le": high}


class SchedulerSettings(BaseModel):
    """Scheduling settings as validated (see SchedulerConfig for what each one means)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    desired_retention: StrictFloat | StrictInt = Field(
        D["desired_retention"], gt=RETENTION_BOUNDS[0], lt=RETENTION_BOUNDS[1]
    )
    # Every integer has an upper bound: TOML readers take integers of any size, and one
    # past SQLite's 64 bits would stop a session (a day limit goes into a query).
    maximum_interval: StrictInt = Field(
        D["maximum_interval"],
        **_in_range("maximum_interval"),
        description="days (100 years at most)",
    )
    learning_steps: tuple[timedelta, ...] = D["learning_steps"]
    relearning_steps: tuple[timedelta, ...] = D["relearning_steps"]
    enable_fuzzing: StrictBool = D["enable_fuzzing"]
    parameters: tuple[float, ...] | None = Field(
        D["parameters"], description="FSRS weights; None = defaults"
    )
    new_per_day: StrictInt = Field(D["new_per_day"], **_in_range("new_per_day"))
    reviews_per_day: StrictInt = Field(D["reviews_per_day"], **_in_range("reviews_per_day"))
    day_starts_at_hour: StrictInt = Field(
        D["day_starts_at_hour"],
        **_in_range("day_starts_at_hour"),
        description="local hour a study day starts",
    )
    timezone: str | None = Field(
        D["timezone"], description="IANA zone for study days; None = system local"
    )
    leech_threshold: StrictInt = Field(
        D["leech_threshold"],
        **_in_range("leech_threshold"),
        description="lapses that make an item a leech",
    )
    learn_ahead_minutes: StrictInt = Field(
        D["learn_ahead_minutes"],
        **_in_range("learn_ahead_minutes"),
        description="learning steps due this soon are shown now (a day at most)",
    )
    max_kind_run: StrictInt = Field(
        D["max_kind_run"],
        **_in_range("max_kind_run"),
        description="longest run of one kind the queue serves",
    )
    load_balance: StrictBool = Field(
        D["load_balance"],
        description="place review intervals on the least-loaded day of the fuzz range",
    )
    easy_days: dict[str, float] = Field(
        default_factory=dict, description="weekday (mon..sun) -> share of a normal load, 0..1"
    )

    @field_validator("parameters")
    @classmethod
    def _fsrs_accepts(cls, params: tuple[float, ...] | None) -> tuple[float, ...] | None:
        if params is not None:
            try:
                Scheduler(parameters=params)
            except ValueError as exc:
                raise ValueError(
                    f"not usable FSRS-6 parameters ({len(params)} given): {exc}"
                ) from None
        return params

    @field_validator("easy_days")
    @classmethod
    def _weekdays(cls, days: dict[str, float]) -> dict[str, float]:
        from quizapp.srs.balance import WEEKDAYS

        for name, share in days.items():
            if name not in WEEKDAYS:
                raise ValueError(f"unknown weekday {name!r} (use {', '.join(WEEKDAYS)})")
            if not 0.0 <= share <= 1.0:
                raise ValueError(f"{name} = {share}: a share of the normal load, 0 to 1")
        return days

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, name: str | None) -> str | None:
        if name is not None:
            try:
                resolve_tz(name)
            except (ValueError, ZoneInfoNotFoundError):
                raise ValueError(
                    f"unknown time zone {name!r} (use an IANA name such as 'Europe/Berlin')"
                ) from None
        return name

    @field_validator("learning_steps", "relearning_steps")
    @classmethod
    def _positive_steps(cls, steps: tuple[timedelta, ...]) -> tuple[timedelta, ...]:
        if any(step <= timedelta(0) for step in steps):
            raise ValueError("steps must be positive durations")
        if any(step > MAX_STEP for step in steps):
            raise ValueError(f"a step is at most {MAX_STEP.days} days")
        return steps


if set(SchedulerSettings.model_fields) != set(DEFAULTS):  # pragma: no cover - a slip
    raise RuntimeError("SchedulerSettings and scheduler.DEFAULTS name different settings")


def validate(values: dict[str, Any]) -> dict[str, Any]:
    """Every setting's value after validating ``values`` (the others keep their
    defaults); pydantic's ValidationError when one is bad or unknown."""
    model = SchedulerSettings(**values)
    return {name: getattr(model, name) for name in DEFAULTS}
