"""``quizapp progress export FILE`` / ``quizapp progress import FILE``: progress that moves
between machines (the review log and item states as JSON Lines; docs/srs.md)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from quizapp.study.format import plural


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "progress",
        help="export your progress to a file, or merge one in (another machine's)",
        description=(
            "Move progress between machines. `export FILE` writes the review log, every "
            "item's state, your mock interviews and flags as a versioned JSON Lines file. `import "
            "FILE` merges such a file into this home: answers it already has are skipped (each "
            "has a stable id), the others are added, and items answered on both machines are "
            "rescheduled by replaying the merged log; an item flagged only in the file gets its "
            "flag (a flag here stays). The progress file is backed up first. "
            "Importing the same file twice changes nothing."
        ),
    )
    actions = p.add_subparsers(dest="action", metavar="ACTION")
    export = actions.add_parser(
        "export",
        help="write the review log and states to FILE",
        description=(
            "Write this home's review log, item states, mock results and flags to FILE "
            "(JSON Lines)."
        ),
    )
    export.add_argument("file", type=Path, metavar="FILE")
    imp = actions.add_parser(
        "import",
        help="merge FILE (another machine's export) into this home",
        description=(
            "Merge a `quizapp progress export` file into this home, after a backup "
            "(`quizapp backup --list` shows it; `quizapp restore` puts it back)."
        ),
    )
    imp.add_argument("file", type=Path, metavar="FILE")
    for parser in (export, imp):
        # the global option after the action too: `quizapp progress import F --home DIR`
        parser.add_argument(
            "--home",
            metavar="DIR",
            type=Path,
            default=argparse.SUPPRESS,
            help="the home to export from / import into",
        )
    p.set_defaults(func=run, _parser=p)


def run(args: argparse.Namespace) -> int:
    if getattr(args, "action", None) is None:
        args._parser.error("give an action: export FILE or import FILE")
    return _export(args.file) if args.action == "export" else _import(args.file)


def _export(target: Path) -> int:
    from quizapp import paths
    from quizapp.interop.progress_io import export_progress
    from quizapp.srs.store import Store, StoreError

    if target.is_dir():
        return _fail(f"{target}: is a folder; give a file name", code=2)
    if not target.parent.is_dir():
        return _fail(f"{target}: the folder {target.parent} does not exist")
    db = paths.db_path()
    if not db.exists():
        return _fail(f"no progress yet at {db}; nothing to export")
    try:
        with Store.open(db, reading_only=True) as store:
            summary = export_progress(store, target)
    except StoreError as exc:
        return _fail(str(exc))
    except OSError as exc:
        return _fail(f"cannot write {target}: {exc.strerror or exc}")
    print(
        f"exported {plural(summary.reviews, 'answer')}, {plural(summary.items, 'item')}, "
        f"{plural(summary.mocks, 'mock interview')} and {plural(summary.flags, 'flag')} "
        f"to {target}"
    )
    print("on the other machine: quizapp progress import " + str(target.name))
    return 0


def _import(source: Path) -> int:
    from quizapp import paths
    from quizapp.interop.progress_io import ProgressFileError, import_progress, read_progress
    from quizapp.settings import SettingsError, load_scheduler_config
    from quizapp.srs.store import Store, StoreError

    if not source.exists():
        return _fail(f"{source}: no such file", code=2)
    if source.is_dir():
        return _fail(f"{source}: is a folder; give the exported file", code=2)
    try:
        data = read_progress(source)
    except ProgressFileError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return _fail("nothing was imported; fix or re-export the file")
    try:
        config = load_scheduler_config()
    except SettingsError as exc:
        return _fail(str(exc))
    db = paths.db_path()
    try:
        with Store.open(db) as store:
            report, saved = import_progress(store, data, config)
    except StoreError as exc:
        return _fail(str(exc))
    if not report.changed:
        print(
            f"nothing new in {source}: its {plural(report.reviews_in_file, 'answer')} and "
            "flags are all here already"
        )
        return 0
    known = report.reviews_in_file - report.reviews_added
    print(
        f"merged {source} into {db}: {plural(report.reviews_added, 'answer')} added "
        f"({known} already here); {plural(report.items_added, 'new item')}, "
        f"{report.items_taken} taken from the file, {report.items_replayed} rescheduled from "
        f"both logs; {plural(report.mocks_added, 'mock interview')}; "
        f"{plural(report.flags_added, 'flag')} added"
    )
    if report.suspended:
        shown = ", ".join(report.suspended[:5]) + (" …" if len(report.suspended) > 5 else "")
        are = "is" if len(report.suspended) == 1 else "are"
        print(
            f"{plural(len(report.suspended), 'item')} {are} suspended now (as in the file): {shown}"
        )
    if saved is not None:
        print(f"your progress before the import is kept in {saved} (quizapp restore puts it back)")
    return 0


def _fail(message: str, *, code: int = 1) -> int:
    print(f"quizapp progress: {message}", file=sys.stderr)
    return code
