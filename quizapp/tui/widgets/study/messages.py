"""Intents the item widgets send up to the study screen (which passes them to the session).

Plain :class:`~textual.message.Message` subclasses, as Textual's own: a dataclass
message costs its class a generated ``__init__``, ``__repr__`` and ``__eq__`` (~2 M
instructions each at every start, before the first card)."""

from __future__ import annotations

from textual.message import Message


class RevealRequested(Message):
    """The learner asked to see a flashcard's answer."""


class RatingChosen(Message):
    """A rating button was pressed: 1 Again … 4 Easy."""

    def __init__(self, rating: int) -> None:
        super().__init__()
        self.rating = rating


class TrapAnswered(Message):
    """A trap was answered: a statement index (pick) or holds / does not hold."""

    def __init__(self, choice: int | bool) -> None:
        super().__init__()
        self.choice = choice


class DrillSubmitted(Message):
    """Typed drill answers, field name -> text (only the fields the learner filled in)."""

    def __init__(self, answers: dict[str, str]) -> None:
        super().__init__()
        self.answers = answers


class NextRequested(Message):
    """Go on to the next item (the Next button of free practice)."""
