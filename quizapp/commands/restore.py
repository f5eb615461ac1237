"""``quizapp restore FILE``: put a backup back in place of the progress file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "restore",
        help="put a backup in place of the progress file (the current one is kept aside)",
        description=(
            "Replace the progress file with FILE (a path, a file name from "
            "`quizapp backup --list`, or the name of a file `quizapp reset-progress` set "
            "aside, <name>.reset-<timestamp>). The current file is moved aside as "
            "<name>.before-restore-<timestamp>, never deleted. Close quizapp first."
        ),
    )
    p.add_argument("file", metavar="FILE", help="the backup to restore")
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from quizapp import paths
    from quizapp.srs.backup import backup_dir, restore
    from quizapp.srs.records import StoreError

    db = paths.db_path()
    source = Path(args.file).expanduser()
    if not source.exists():  # a name: a backup, or a file reset-progress set aside
        for folder in (backup_dir(db), db.parent):
            if (folder / args.file).exists():
                source = folder / args.file
                break
    if not source.is_file():
        print(
            f"quizapp restore: {args.file}: no such file (see `quizapp backup --list`)",
            file=sys.stderr,
        )
        return 2
    if not args.yes and db.exists():
        if not sys.stdin.isatty():
            print("quizapp restore: add --yes to confirm (no terminal to ask)", file=sys.stderr)
            return 2
        reply = input(f"Replace {db} with {source}? [y/N] ").strip().lower()
        if reply not in {"y", "yes"}:
            print("left untouched")
            return 0
    try:
        moved = restore(db, source)
    except StoreError as exc:
        print(f"quizapp restore: {exc}", file=sys.stderr)
        return 1
    print(f"restored {source}")
    if moved is not None:
        print(f"the progress file you had is kept at {moved}")
    return 0
