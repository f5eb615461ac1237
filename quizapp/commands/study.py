"""``quizapp study``: study a deck, topic, tag or kind of item (or cram it) in the app."""

from __future__ import annotations

import argparse
import sys


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "study",
        help="study a deck, topic, tag or kind of item",
        description=(
            "Open the app on today's queue narrowed to a deck, topic, tag and/or kind. "
            "--cram goes through everything that matches, weakest first, without scheduling."
        ),
    )
    p.add_argument("--deck", metavar="D", help="only this deck (its id, e.g. optimizers)")
    p.add_argument("--topic", metavar="T", help="only this topic (e.g. adam)")
    p.add_argument("--tag", metavar="G", help="only items with this tag")
    p.add_argument("--kind", metavar="K", help="only flashcard, trap or drill items")
    p.add_argument(
        "--cram", action="store_true", help="everything that matches; nothing is rescheduled"
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    return start(args, mode="study")


def start(args: argparse.Namespace, *, mode: str) -> int:
    """Load decks, check the request (exit 2 if it names something unknown), open the app."""
    from quizapp.decks.loader import load_catalog
    from quizapp.study.context import RequestError, StudyRequest, check_request

    catalog = load_catalog(getattr(args, "content", []) or [])
    if catalog.errors:
        for problem in catalog.errors:
            print(problem, file=sys.stderr)
        print("fix the decks above (see `quizapp check`) and start again", file=sys.stderr)
        return 1
    request = StudyRequest(
        mode="review" if mode == "review" else "study",
        deck=getattr(args, "deck", None),
        topic=getattr(args, "topic", None),
        tag=getattr(args, "tag", None),
        kind=getattr(args, "kind", None),
        cram=bool(getattr(args, "cram", False)),
    )
    try:
        check_request(catalog, request)
    except RequestError as exc:
        print(f"quizapp {mode}: {exc}", file=sys.stderr)
        return 2
    from quizapp.tui.app import run_study

    return run_study(catalog, request)
