"""``quizapp mock``: a timed mock interview in the app (home screen beneath it).

Everything the learner can get wrong is checked before a screen opens: bad numbers and
an unknown topic exit 2 with a message, a broken deck or progress file exits 1.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any


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


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"seed must be a whole number, not {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"seed must be 0 or more, not {value}")
    return value


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
    p.add_argument("--seed", type=_seed, help="draw the same interview again (shown in the report)")
    p.add_argument("--practice", action="store_true", help="feedback after each question")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from quizapp.decks.loader import load_catalog
    from quizapp.study.mock import MockConfig, MockPlanError

    catalog = load_catalog(getattr(args, "content", []) or [])
    if catalog.notice:  # bad deck files are left out; the good ones still load
        print(f"quizapp: {catalog.notice}", file=sys.stderr)
    topics = sorted({e.topic for e in catalog.items.values()})
    if args.topic is not None and args.topic not in topics:
        import difflib

        close = difflib.get_close_matches(args.topic, topics, n=1)
        hint = f"did you mean {close[0]!r}?" if close else f"topics: {', '.join(topics) or 'none'}"
        print(f"quizapp mock: unknown topic {args.topic!r}; {hint}", file=sys.stderr)
        return 2
    config = MockConfig(
        minutes=args.minutes,
        questions=args.questions,
        topic=args.topic,
        seed=args.seed,
        practice=bool(args.practice),
    )
    from quizapp.study.mock import MockInterview
    from quizapp.tui.app import QuizApp, open_context

    ctx = open_context(catalog)
    if ctx is None:
        return 1
    try:
        mock = MockInterview.start(catalog, ctx.scheduler, ctx.clock, config)
    except MockPlanError as exc:
        ctx.close()
        print(f"quizapp mock: {exc}", file=sys.stderr)
        return 2

    from quizapp.tui.screens.mock import MockScreen

    class MockApp(QuizApp):
        """The app with the mock on top of home (``on_ready`` runs after home is pushed)."""

        def on_ready(self) -> None:
            self.push_screen(MockScreen(mock))

    return int(MockApp(ctx).run() or 0)
