"""``quizapp study``: study a deck, topic, tag or kind of item (or cram it) in the app."""

from __future__ import annotations

import argparse
import sys
from typing import Literal


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


def start(args: argparse.Namespace, *, mode: Literal["review", "study"]) -> int:
    """Load decks, check the request (exit 2 if it names something unknown), open the app."""
    from quizapp.commands._common import load_catalog_or_report
    from quizapp.study.context import RequestError, StudyRequest, check_request

    catalog = load_catalog_or_report(args)
    if mode == "review":
        request = StudyRequest(mode="review")
    else:
        request = StudyRequest(
            mode="study", deck=args.deck, topic=args.topic, tag=args.tag, kind=args.kind,
            cram=args.cram,
        )  # fmt: skip
    try:
        check_request(catalog, request)
    except RequestError as exc:
        print(f"quizapp {mode}: {exc}", file=sys.stderr)
        return 2
    from quizapp.tui.app import run_study

    return run_study(catalog, request)
