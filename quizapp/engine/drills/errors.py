"""The drills' error, in a module of its own: raising and catching it imports neither
pydantic nor NumPy."""

from __future__ import annotations

__all__ = ["DrillError"]


class DrillError(ValueError):
    """A drill request the learner or a deck author got wrong: unknown kind, bad seed, an
    override outside its valid range, an answer for a field the drill does not have."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
