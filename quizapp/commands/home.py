"""``quizapp`` with no command: open the app on its home screen."""

from __future__ import annotations

import argparse
import sys

from quizapp.commands._common import load_catalog_or_report
from quizapp.study.format import plural


def run(args: argparse.Namespace) -> int:
    catalog = load_catalog_or_report(args)
    from quizapp.commands.serve import under_web_driver

    # not a terminal (a pipe, a script): what the app would show, as text; in a browser
    # (quizapp serve) the app itself
    if not (sys.stdout.isatty() or under_web_driver()):
        for deck in catalog.decks.values():
            kinds: dict[str, int] = {}
            for item in deck.items:
                kinds[item.kind] = kinds.get(item.kind, 0) + 1
            summary = ", ".join(plural(n, k) for k, n in sorted(kinds.items()))
            print(
                f"{deck.title}: {plural(len(deck.items), 'item')} ({summary}); topics: {', '.join(deck.topics)}"
            )
        return 0
    from quizapp.tui.app import run_app

    return run_app(catalog)
