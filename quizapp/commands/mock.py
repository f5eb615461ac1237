"""``quizapp mock``: a timed mock interview in the app (home screen beneath it).

Everything the learner can get wrong is checked before a screen opens: bad numbers and
an unknown topic exit 2 with a message, a broken deck or progress file exits 1.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from quizapp.commands._common import load_catalog_or_report, seed_argument


def _positive(limit: int, what: str) -> Any:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"{what} must be a whole number, not {text!r}"
            ) from None
        if not 1 <= value <= limit:
            raise argparse.ArgumentTypeError(f"{what} must be between 1 and {limit}, not {value}")
        return value

    return parse


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "mock",
        help="sit a timed mock interview (conceptual questions, traps and drills)",
        description=(
            "A timed mock interview weighted toward your weak spots: conceptual questions "
            "you answer and grade yourself, traps, and numeric drills graded by the engine. "
            "Exam style (feedback at the end) unless --practice. Answers feed your reviews."
        ),
    )
    p.add_argument(
        "--minutes", type=_positive(240, "minutes"), default=20, help="time limit (default 20)"
    )
    p.add_argument(
        "--questions",
        type=_positive(100, "questions"),
        default=12,
        help="how many questions (default 12)",
    )
    p.add_argument("--topic", metavar="T", help="only this topic (e.g. adam)")
    p.add_argument(
        "--seed", type=seed_argument, help="draw the same interview again (shown in the report)"
    )
    p.add_argument("--practice", action="store_true", help="feedback after each question")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from quizapp.study.context import RequestError, StudyRequest, check_request
    from quizapp.study.mock import MockConfig

    catalog = load_catalog_or_report(args)
    try:
        check_request(catalog, StudyRequest(mode="study", topic=args.topic))
    except RequestError as exc:
        print(f"quizapp mock: {exc}", file=sys.stderr)
        return 2
    config = MockConfig(
        minutes=args.minutes,
        questions=args.questions,
        topic=args.topic,
        seed=args.seed,
        practice=bool(args.practice),
    )
    from quizapp.tui.app import run_mock

    return run_mock(catalog, config)
