"""Deck content: pydantic models, the TOML loader and its located diagnostics.

The names are imported on first use (PEP 562), so ``import quizapp.decks.loader`` — what
the command line does — imports no pydantic until a deck file is actually parsed.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from quizapp.decks.catalog import Catalog, CatalogItem, Deck
    from quizapp.decks.loader import load_catalog, load_paths
    from quizapp.decks.models import DeckFile, DrillItem, Flashcard, Trap
    from quizapp.decks.problems import ContentError, ContentProblem

_WHERE = {
    "Catalog": "catalog",
    "CatalogItem": "catalog",
    "Deck": "catalog",
    "ContentError": "problems",
    "ContentProblem": "problems",
    "DeckFile": "models",
    "DrillItem": "models",
    "Flashcard": "models",
    "Trap": "models",
    "load_catalog": "loader",
    "load_paths": "loader",
}
__all__ = [
    "Catalog",
    "CatalogItem",
    "ContentError",
    "ContentProblem",
    "Deck",
    "DeckFile",
    "DrillItem",
    "Flashcard",
    "Trap",
    "load_catalog",
    "load_paths",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'quizapp.decks' has no attribute {name!r}")
    return getattr(import_module(f"quizapp.decks.{module}"), name)
