"""Deck text on the study and mock screens: shown, never acted on, never a crash.

Every field a deck author wrote goes through here. Text fields (front, back, claim, ...)
keep their styling markup (:func:`quizapp.decks.text.safe_markup`: action and link tags
dropped, unparsable markup shown literally); plain fields (topic, deck title, tags) are
shown exactly as written (:func:`quizapp.decks.text.plain_text`). Both return a Textual
``Content``, which Textual never parses again — so a ``str`` with deck text must never
reach ``Static(...)``, ``border_title`` or ``notify`` directly.
"""

from __future__ import annotations

from textual.content import Content

from quizapp.decks.text import plain_text, safe_markup

__all__ = ["markup", "plain", "source_line"]


def markup(text: str) -> Content:
    """A deck text field with its styling applied and nothing that could act."""
    return Content.from_rich_text(safe_markup(text))


def plain(text: str) -> Content:
    """A plain deck field (topic, title, tag) or a learner's typed text, verbatim."""
    return Content.from_rich_text(plain_text(text))


def source_line(source: str | None) -> Content:
    """An item's ``source`` as one dim line (empty without one), for a learner who wants
    to check the fact."""
    if not source:
        return Content("")
    return Content.assemble(("Source  ", "bold"), markup(source)).stylize("dim")
