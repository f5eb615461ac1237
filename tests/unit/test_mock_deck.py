"""A small deck for the mock-interview and stats tests (independent of the shipped deck)."""

from __future__ import annotations

from pathlib import Path

from quizapp.decks.loader import Catalog, load_paths

DECK = """
deck = "mockdeck"
title = "Mock test deck"
topic = "adam"

[[flashcard]]
id = "mock.adam.idea"
front = "What does Adam combine?"
back = "Momentum (first moment) and RMSprop scaling (second moment), with bias correction."

[[flashcard]]
id = "mock.adam.defaults"
front = "Adam's default betas?"
back = "beta1 = 0.9, beta2 = 0.999, eps = 1e-8."

[[flashcard]]
id = "mock.sgd.momentum"
topic = "sgd"
front = "What does momentum do?"
back = "It accumulates a velocity of past gradients, damping oscillations."

[[flashcard]]
id = "mock.sgd.batch"
topic = "sgd"
front = "Why mini-batches?"
back = "A cheaper, noisy gradient estimate that still converges."

[[flashcard]]
id = "mock.lr.warmup"
topic = "schedules"
front = "Why warm up the learning rate?"
back = "Early updates are unstable; a small lr at first avoids divergence."

[[flashcard]]
id = "mock.lr.cosine"
topic = "schedules"
front = "Describe cosine decay."
back = "lr follows half a cosine from base_lr down to eta_min."

[[trap]]
id = "mock.trap.adamw"
claim = "AdamW is Adam with L2 regularization."
why_wrong = "AdamW decouples weight decay from the gradient."
correct = "AdamW applies decay directly to the weights, outside m and v."
distractors = ["Adam keeps two moving averages.", "AdamW usually uses a larger weight decay than L2 Adam."]

[[trap]]
id = "mock.trap.momentum"
topic = "sgd"
claim = "Momentum always speeds up convergence."
why_wrong = "Too much momentum overshoots and oscillates."
correct = "Momentum helps along consistent directions but can overshoot."
distractors = ["Momentum damps oscillations across ravines.", "PyTorch momentum has dampening 0 by default."]

[[trap]]
id = "mock.trap.warmup"
topic = "schedules"
claim = "Warmup is only needed for SGD."
why_wrong = "Adam's early second-moment estimates are noisy too; transformers warm up Adam."
correct = "Warmup helps adaptive optimizers as well."
distractors = ["Warmup ramps the lr up over the first steps.", "Linear warmup is common in transformers."]

[[drill]]
id = "mock.drill.bias"
drill = "bias-correction"

[[drill]]
id = "mock.drill.scaling"
topic = "schedules"
drill = "linear-scaling"

[[drill]]
id = "mock.drill.steps"
topic = "sgd"
drill = "steps-per-epoch"
"""

ITEM_IDS = [
    "mock.adam.idea", "mock.adam.defaults", "mock.sgd.momentum", "mock.sgd.batch",
    "mock.lr.warmup", "mock.lr.cosine", "mock.trap.adamw", "mock.trap.momentum",
    "mock.trap.warmup", "mock.drill.bias", "mock.drill.scaling", "mock.drill.steps",
]  # fmt: skip


def write_deck(folder: Path) -> Path:
    """Write the test deck into ``folder`` and return the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "mockdeck.toml").write_text(DECK, encoding="utf-8")
    return folder


def load_deck(folder: Path) -> Catalog:
    """The test deck alone (no shipped or user decks)."""
    catalog = load_paths([write_deck(folder)])
    catalog.raise_for_errors()
    return catalog


def test_mock_deck_loads(tmp_path: Path) -> None:
    catalog = load_deck(tmp_path / "deck")
    assert sorted(catalog.items) == sorted(ITEM_IDS)
    assert {e.topic for e in catalog.items.values()} == {"adam", "sgd", "schedules"}
