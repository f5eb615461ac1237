"""``quizapp review``: everything due today, across decks and kinds, in the app."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "review",
        help="review what is due today (flashcards, traps and drills)",
        description="Open the app on today's review queue: due items first, then new ones.",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from quizapp.commands.study import start

    return start(args, mode="review")
