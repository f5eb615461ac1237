"""A large synthetic catalog (flashcards, traps, drills with topics and tags) for the
browser's tests and benchmark, and a store with progress on part of it."""

from __future__ import annotations

import random

from quizapp.decks.loader import Catalog, CatalogItem
from quizapp.decks.models import Deck, DrillItem, Flashcard, Trap
from quizapp.engine import drills

TOPICS = ("adam", "sgd", "momentum", "schedules", "rmsprop", "adamw", "lion", "general")
TAGS = ("bias-correction", "decay", "warmup", "math", "interview", "pitfall", "numbers")
WORDS = (
    "gradient", "moment", "learning", "rate", "bias", "correction", "decoupled", "weight",
    "decay", "variance", "epsilon", "step", "warmup", "cosine", "schedule", "adaptive",
    "velocity", "nesterov", "sign", "update", "exponential", "average", "second", "first",
)  # fmt: skip


def make_catalog(n: int, seed: int = 0) -> Catalog:
    rng = random.Random(seed)
    kinds = drills.kinds()
    items: dict[str, CatalogItem] = {}
    decks: dict[str, list[object]] = {"optimizers": [], "extra": []}
    for i in range(n):
        deck = "optimizers" if i % 5 else "extra"
        topic = rng.choice(TOPICS)
        tags = tuple(sorted(set(rng.sample(TAGS, rng.randint(0, 2)))))
        text = " ".join(rng.choices(WORDS, k=rng.randint(6, 14)))
        item_id = f"{deck}.{topic}.{i:06d}"
        kind = i % 3
        if kind == 0:
            item = Flashcard(id=item_id, topic=topic, tags=tags, front=f"Q{i} {text}?", back=text)
        elif kind == 1:
            item = Trap(
                id=item_id, topic=topic, tags=tags, claim=f"claim {i}: {text}",
                why_wrong="because", correct=f"correct {text}",
                distractors=("true one", "true two"),
            )  # fmt: skip
        else:
            item = DrillItem(id=item_id, topic=topic, tags=tags, drill=kinds[i % len(kinds)])
        items[item_id] = CatalogItem(item, deck, f"/decks/{deck}/{topic}.toml", 1 + 7 * i)
        decks[deck].append(item)
    catalog = Catalog(items=items)
    for deck_id, deck_items in decks.items():
        catalog.decks[deck_id] = Deck(
            id=deck_id, title=deck_id.title(), items=tuple(deck_items), files=(f"{deck_id}.toml",)
        )
    return catalog
