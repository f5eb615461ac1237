"""A generated deck library for the size benchmarks: 100 TOML files, 100,000 items, ~16 MB
(the size of an imported Anki collection), every file valid and in the shipped decks' style.

    PYTHONPATH=. python -m benchmarks.library DIR [--files 100] [--items 1000]

The same arguments always give the same bytes (a seeded generator), so runs compare.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

TOPICS = ("adam", "sgd", "momentum", "schedules", "rmsprop", "adamw", "lion", "warmup", "norms")
TAGS = ("formula", "intuition", "pitfall", "comparison", "numeric", "practice", "theory")
WORDS = (
    "gradient", "moment", "learning", "rate", "bias", "correction", "decoupled", "weight",
    "decay", "variance", "epsilon", "step", "warmup", "cosine", "schedule", "adaptive",
    "velocity", "nesterov", "sign", "update", "exponential", "average", "second", "first",
    "β₁", "β₂", "η", "θ", "√v̂", "loss", "batch", "curvature", "plateau", "saddle", "noise",
)  # fmt: skip
DRILLS = ("adam", "sgd", "momentum", "nesterov", "adamw", "rmsprop", "adagrad", "lion-step")


def _words(rng: random.Random, low: int, high: int) -> str:
    return " ".join(rng.choices(WORDS, k=rng.randint(low, high)))


def deck_file(number: int, items: int, seed: int = 0) -> str:
    """One deck file's text: ``items`` flashcards, traps and drills (70/20/10)."""
    rng = random.Random(seed * 1_000_003 + number)
    topic = TOPICS[number % len(TOPICS)]
    out = [
        "#:schema ../deck.schema.json",
        f"# generated library file {number} ({items} items)",
        'deck = "library"',
        'title = "Library"',
        f'topic = "{topic}"',
        "",
    ]
    for i in range(items):
        item_id = f"lib.{number:03d}.{i:05d}"
        tags = ", ".join(f'"{t}"' for t in sorted(set(rng.sample(TAGS, rng.randint(1, 2)))))
        roll = i % 10
        if roll < 7:
            out += [
                "[[flashcard]]",
                f'id = "{item_id}"',
                f"tags = [{tags}]",
                f'front = "Why {_words(rng, 3, 6)}?"',
                f'back = "{_words(rng, 4, 7).capitalize()}."',
            ]
            if rng.random() < 0.2:
                out.append(f'hint = "{_words(rng, 2, 4)}"')
        elif roll < 9:
            out += [
                "[[trap]]",
                f'id = "{item_id}"',
                f'topic = "{rng.choice(TOPICS)}"',
                f'claim = "{_words(rng, 4, 6).capitalize()}."',
                f'why_wrong = "{_words(rng, 4, 6).capitalize()}."',
                f'correct = "{_words(rng, 3, 5).capitalize()}."',
                f'distractors = ["{_words(rng, 3, 5)} one.", "{_words(rng, 3, 5)} two."]',
            ]
        else:
            out += [
                "[[drill]]",
                f'id = "{item_id}"',
                f"tags = [{tags}]",
                f'drill = "{DRILLS[i // 10 % len(DRILLS)]}"',
                "params = { t = [2, 20] }" if i // 10 % len(DRILLS) in (0, 4) else "",
            ]
        out.append("")
    return "\n".join(out)


def write_library(folder: Path, files: int = 100, items: int = 1000, seed: int = 0) -> list[Path]:
    """Write the library under ``folder`` (created); the paths written, in order."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for number in range(files):
        path = folder / f"{number:03d}-library.toml"
        path.write_text(deck_file(number, items, seed), encoding="utf-8")
        written.append(path)
    return written


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--files", type=int, default=100)
    ap.add_argument("--items", type=int, default=1000, help="items per file")
    args = ap.parse_args()
    paths = write_library(args.folder, args.files, args.items)
    size = sum(p.stat().st_size for p in paths)
    print(f"{len(paths)} files, {len(paths) * args.items:,} items, {size / 2**20:.1f} MiB")


if __name__ == "__main__":
    main()
