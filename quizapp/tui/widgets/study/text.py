"""Deck text may carry markup; a typo in it must show as plain text, never crash the app."""

from __future__ import annotations

from textual.content import Content


def markup(text: str) -> Content:
    """``text`` with its markup applied, or verbatim if the markup does not parse."""
    try:
        return Content.from_markup(text)
    except Exception:  # MarkupError and friends: the author's typo is not the learner's problem
        return Content(text)
