"""``quizapp reset-progress``: start with an empty progress file, keeping the old one aside."""

from __future__ import annotations

import argparse
import sys

from quizapp import paths


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "reset-progress",
        help="move the progress file aside (never deleted) and start fresh",
        description=(
            "Move the progress database aside as <name>.reset-<timestamp> (<name>.corrupt-"
            "<timestamp> when the file is damaged) so the next start creates an empty one. "
            "Nothing is deleted; `quizapp restore <that file>` puts it back."
        ),
    )
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from quizapp.srs.store import Store, StoreError

    db = paths.db_path()
    if not db.exists():
        print(f"no progress file at {db}; nothing to do")
        return 0
    if not args.yes:
        if not sys.stdin.isatty():
            print(
                "quizapp reset-progress: add --yes to confirm (no terminal to ask)", file=sys.stderr
            )
            return 2
        reply = input(f"Move {db} aside and start with empty progress? [y/N] ").strip().lower()
        if reply not in {"y", "yes"}:
            print("left untouched")
            return 0
    try:
        moved = Store.start_fresh(db)
    except StoreError as exc:
        print(f"quizapp reset-progress: {exc}", file=sys.stderr)
        return 1
    if moved is None:  # gone since we looked
        print(f"no progress file at {db}; nothing to do")
        return 0
    print(f"your old progress is kept at {moved}; quizapp starts fresh next time")
    if moved.name.startswith(f"{db.name}.corrupt-"):
        print(
            "it was damaged, so it cannot be restored; a backup may hold your progress: "
            "quizapp backup --list"
        )
    else:
        print(f"to undo: quizapp restore {moved.name}")
    return 0
