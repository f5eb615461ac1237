"""``quizapp backup [--list]``: copy the progress file into its backups folder now."""

from __future__ import annotations

import argparse
import sys


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "backup",
        help="back up the progress file now (or --list the backups)",
        description=(
            "Copy the progress file with SQLite's online backup API into backups/ beside it "
            "(safe while quizapp is running). quizapp also backs up once a study day and "
            "before every bulk operation; the newest 30 backups are kept. "
            "Put one back with `quizapp restore FILE`."
        ),
    )
    p.add_argument("--list", action="store_true", help="list the backups, newest first")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from quizapp import paths
    from quizapp.srs.backup import backup, backups
    from quizapp.srs.records import StoreError

    db = paths.db_path()
    if args.list:
        from quizapp.settings import SettingsError, load_scheduler_config
        from quizapp.study.format import clock_time

        try:
            tz = load_scheduler_config().tz()  # the learner's clock, as stats and the screens
        except SettingsError as exc:  # a recovery tool still lists: in the system's zone
            print(f"quizapp backup: {exc}; times below are in the system's zone", file=sys.stderr)
            tz = None
        try:
            found = backups(db)
        except StoreError as exc:
            print(f"quizapp backup: {exc}", file=sys.stderr)
            return 1
        if not found:
            print(f"no backups yet (they go in {db.parent / 'backups'})")
        for b in found:
            when = clock_time(b.at, tz, seconds=True)
            print(f"{when}  {b.reason:<16} {b.size:>10,} B  {b.path}")
        return 0
    if not db.exists():
        print(f"quizapp backup: no progress file at {db}; nothing to back up", file=sys.stderr)
        return 1
    try:
        target = backup(db)
    except StoreError as exc:
        print(f"quizapp backup: {exc}", file=sys.stderr)
        return 1
    print(f"backed up to {target}")
    return 0
