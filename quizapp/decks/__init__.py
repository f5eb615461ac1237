"""Deck content: pydantic models, the TOML loader and its located diagnostics."""

from quizapp.decks.loader import Catalog, CatalogItem, load_catalog, load_paths
from quizapp.decks.models import Deck, DeckFile, DrillItem, Flashcard, Trap
from quizapp.decks.problems import ContentError, ContentProblem

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
