"""``quizapp check``: validate decks, one located line per problem."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from quizapp.study.format import plural

if TYPE_CHECKING:
    from quizapp.decks.loader import Catalog


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "check",
        help="validate the shipped decks plus any given files or folders",
        description="Validate the shipped decks, your decks and any PATHs. Exit 0 when clean, 1 otherwise.",
    )
    p.add_argument(
        "paths", nargs="*", type=Path, metavar="PATH", help="deck files or folders to check too"
    )
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--no-shipped", action="store_true", help="check only the given paths")
    p.add_argument(
        "--cache",
        action="store_true",
        help="take unchanged files from the content index instead of validating them again",
    )
    p.add_argument(
        "--orphans",
        action="store_true",
        help="also list item ids that have progress but no longer exist in any deck",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    # A check is one pass that keeps everything it builds until it prints: the cyclic
    # collector would only rescan it (one full collection of a 100k-item library, ~10 % of
    # the command, came due as loading ended).
    from quizapp import collector

    with collector.paused():
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    from quizapp.decks import loader

    catalog = loader.load_catalog(
        [*args.content, *args.paths],
        shipped=not args.no_shipped,
        user=not args.no_shipped,
        index=args.cache,
        workers=2,  # a large library is read on two cores (quizapp.decks.workers)
    )
    orphans, store_problem = _orphans(catalog) if args.orphans else (None, None)
    errors = catalog.errors
    if args.json:
        payload: dict[str, object] = {
            "ok": not errors,
            "files": len(catalog.files),
            "decks": {d.id: len(d.items) for d in catalog.decks.values()},
            "items": len(catalog.items),
            "problems": [p.to_json() for p in catalog.problems],
        }
        if args.orphans:
            payload["orphans"] = orphans
            if store_problem is not None:
                payload["ok"] = False
                payload["progress_error"] = store_problem
        json.dump(payload, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        for problem in catalog.problems:
            print(problem)
        warnings = len(catalog.problems) - len(errors)
        decks = (
            ", ".join(f"{d.id} ({plural(len(d.items), 'item')})" for d in catalog.decks.values())
            or "none"
        )
        print(
            f"checked {len(catalog.files)} file{'s' if len(catalog.files) != 1 else ''}; decks: {decks}; "
            f"{len(errors)} error{'s' if len(errors) != 1 else ''}, "
            f"{warnings} warning{'s' if warnings != 1 else ''}"
        )
        if orphans is not None:
            if orphans:
                print(
                    f"{len(orphans)} item(s) with progress but no longer in any deck (progress kept):"
                )
                for item_id in orphans:
                    print(f"  {item_id}")
            else:
                print("no orphaned progress")
        if store_problem is not None:
            print(f"quizapp check: cannot list orphans: {store_problem}", file=sys.stderr)
    return 1 if errors or store_problem is not None else 0


def _orphans(catalog: Catalog) -> tuple[list[str] | None, str | None]:
    """(ids with progress in no deck, None) or (None, why the progress file is unusable)."""
    from quizapp import paths
    from quizapp.srs.store import Store, StoreError

    db = paths.db_path()
    if not db.exists():
        return [], None
    try:
        with Store.open(db, reading_only=True) as store:
            return sorted(set(store.item_ids()) - set(catalog.items)), None
    except StoreError as exc:
        return None, str(exc)
