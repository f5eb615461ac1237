"""``quizapp reschedule [--dry-run | --undo]``: reschedule every item from its history
with the current settings (after new parameters or a new desired retention)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "reschedule",
        help="reschedule every item from its review history with the current settings",
        description=(
            "Replay every item's review history with the parameters and desired retention in "
            "config.toml and move its due date accordingly (load-balanced). A backup is taken "
            "first; --undo puts every item back as it was before the last reschedule."
        ),
    )
    what = p.add_mutually_exclusive_group()
    what.add_argument("--dry-run", action="store_true", help="show what would move; change nothing")
    what.add_argument("--undo", action="store_true", help="take back the last reschedule")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from quizapp import paths
    from quizapp.settings import SettingsError, load_scheduler_config
    from quizapp.srs import reschedule
    from quizapp.srs.store import Store, StoreError
    from quizapp.study.clock import SystemClock

    try:
        config = load_scheduler_config()
    except SettingsError as exc:
        print(f"quizapp reschedule: {exc}", file=sys.stderr)
        return 1
    db = paths.db_path()
    if not db.exists():
        print(f"quizapp reschedule: no progress yet (looked for {db})", file=sys.stderr)
        return 1
    try:
        with Store.open(db, reading_only=args.dry_run and not args.undo) as store:
            if args.undo:
                result = reschedule.undo(store)
                if result is None:
                    print("quizapp reschedule: there is no reschedule to undo", file=sys.stderr)
                    return 1
                _say(args, {"restored": result.restored, "kept": result.kept}, undo_text(result))
                return 0
            planned = reschedule.plan(store, config, SystemClock().now())
            summary = planned.summary()
            if not args.dry_run:
                summary["applied"] = reschedule.apply(store, planned)
            _say(args, summary, preview_text(summary, applied=not args.dry_run))
    except StoreError as exc:
        print(f"quizapp reschedule: {exc}", file=sys.stderr)
        return 1
    return 0


def _say(args: argparse.Namespace, data: dict[str, Any], text: str) -> None:
    print(json.dumps(data, indent=2) if args.json else text)


def undo_text(result: Any) -> str:
    from quizapp.study.format import plural

    text = f"put {plural(result.restored, 'item')} back as they were before the reschedule"
    if result.kept:
        text += f"; {result.kept} answered since keep their newer state"
    return text


def preview_text(summary: dict[str, Any], *, applied: bool) -> str:
    """The preview of a reschedule (the stats screen shows the same lines)."""
    from quizapp.study.fsrs_tools import summary_lines

    lines = summary_lines(summary, applied=applied)
    if applied and summary["moved"]:
        lines.append("a backup was taken first; `quizapp reschedule --undo` takes it all back")
    elif not applied:
        lines.append("nothing was changed (dry run); run without --dry-run to apply")
    return "\n".join(lines)
