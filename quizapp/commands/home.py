"""``quizapp`` with no command: open the app on its home screen."""

from __future__ import annotations

import argparse
import sys


def run(args: argparse.Namespace) -> int:
    from quizapp.decks import loader

    catalog = loader.load_catalog(args.content)
    if catalog.notice:  # bad deck files are left out; the good ones still load
        print(f"quizapp: {catalog.notice}", file=sys.stderr)
    try:
        from quizapp.tui.app import run_app
    except ImportError:
        run_app = None
    if run_app is None or not sys.stdout.isatty():
        for deck in catalog.decks.values():
            kinds: dict[str, int] = {}
            for item in deck.items:
                kinds[item.kind] = kinds.get(item.kind, 0) + 1
            summary = ", ".join(f"{n} {k}s" for k, n in sorted(kinds.items()))
            print(
                f"{deck.title}: {len(deck.items)} items ({summary}); topics: {', '.join(deck.topics)}"
            )
        return 0
    return run_app(args, catalog)
