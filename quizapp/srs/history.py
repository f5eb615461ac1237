"""The store's records of past study sessions and mock interviews (``Store.sessions``,
``Store.mocks``): read by the stats and the mock's weakness, never before a first card,
so they are built when first read rather than with :mod:`quizapp.srs.records`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

__all__ = ["MockRecord", "SessionRecord"]


@dataclass(frozen=True, slots=True)
class SessionRecord:
    """A study session: when, which mode, and the summary saved at its end."""

    id: int
    mode: str
    started: datetime
    ended: datetime | None
    summary: dict[str, Any] | None


@dataclass(frozen=True, slots=True)
class MockRecord:
    """One mock interview: its time and the JSON result the mock module saved."""

    id: int
    at: datetime
    result: dict[str, Any]
