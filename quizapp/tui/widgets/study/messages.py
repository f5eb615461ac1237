"""Intents the item widgets send up to the study screen (which passes them to the session)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class RevealRequested(Message):
    """The learner asked to see a flashcard's answer."""


@dataclass
class RatingChosen(Message):
    """A rating button was pressed: 1 Again … 4 Easy."""

    rating: int


@dataclass
class TrapAnswered(Message):
    """A trap was answered: a statement index (pick) or holds / does not hold."""

    choice: int | bool


@dataclass
class DrillSubmitted(Message):
    """Typed drill answers, field name -> text (only the fields the learner filled in)."""

    answers: dict[str, str]


@dataclass
class NextRequested(Message):
    """Go on to the next item (the Next button of free practice)."""
