"""Turning an automatically graded outcome into an FSRS rating.

Traps and drills are graded by the app, not the learner: wrong -> Again; right ->
Good, or Easy when fast (t < 0.5 x expected) and Hard when slow (t > 2 x expected).
The learner may still override the rating before moving on (the session's job).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # fsrs (~11 M instructions to import) comes with the first answer or preview
    from fsrs import Rating

__all__ = ["EXPECTED_MS", "Rating", "rating_from_outcome"]

#: Expected answer time per item kind, in milliseconds.
EXPECTED_MS: Mapping[str, int] = {"flashcard": 8_000, "trap": 15_000, "drill": 90_000}

FAST_FACTOR = 0.5
SLOW_FACTOR = 2.0


def rating_from_outcome(
    kind: str,
    correct: bool,
    duration_ms: int | None = None,
    expected_ms: int | Mapping[str, int] | None = None,
) -> Rating:
    """Rating for an outcome: wrong -> Again; right -> Easy if t < 0.5 e, Hard if t > 2 e, else Good.

    ``e`` is ``expected_ms`` when it is an int, ``expected_ms[kind]`` when it is a
    mapping (falling back to :data:`EXPECTED_MS`), else ``EXPECTED_MS[kind]``.
    Without a duration a right answer is Good.
    """
    from fsrs import Rating

    if not correct:
        return Rating.Again
    if duration_ms is None:
        return Rating.Good
    if isinstance(expected_ms, int):
        expected = expected_ms
    else:
        table = {**EXPECTED_MS, **(expected_ms or {})}
        expected = table.get(kind, EXPECTED_MS["flashcard"])
    if duration_ms < FAST_FACTOR * expected:
        return Rating.Easy
    if duration_ms > SLOW_FACTOR * expected:
        return Rating.Hard
    return Rating.Good


def __getattr__(name: str) -> Any:
    if name == "Rating":  # re-exported; fsrs is imported when it is first asked for
        from fsrs import Rating

        return Rating
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
