"""``quizapp browse QUERY [--json]``: search items with their progress (Anki-like syntax)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "browse",
        help="search items and their progress (tag:adam is:due lapses>3 …)",
        description=(
            "Search the items of every deck with their progress, as in Anki's browser: "
            'words and "exact phrases", id: deck: topic: tag: kind: drill: source:, '
            "is:new|learning|review|suspended|leech|due|overdue|buried|flagged, due:N, "
            "rated:N, flag:N, lapses>3, prop:d>0.7 prop:s prop:r prop:ivl prop:due; "
            "-term negates, 'or' and ( ) combine. See the README's query syntax section."
        ),
    )
    p.add_argument("query", nargs="*", metavar="QUERY", help="the search (empty: every item)")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--limit", type=int, default=50, metavar="N", help="rows shown (text; 50)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from quizapp import paths
    from quizapp.decks.loader import load_catalog
    from quizapp.settings import SettingsError, load_scheduler_config
    from quizapp.srs.store import Store, StoreError
    from quizapp.study.browse import Browser
    from quizapp.study.clock import SystemClock
    from quizapp.study.query import QueryError

    query = " ".join(args.query)
    try:
        config = load_scheduler_config()
    except SettingsError as exc:
        print(f"quizapp browse: {exc}", file=sys.stderr)
        return 1
    catalog = load_catalog(getattr(args, "content", []) or [])
    if catalog.notice:  # as every command that loads the decks says it
        print(f"quizapp: {catalog.notice}", file=sys.stderr)
    db = paths.db_path()
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        # no progress yet: browse the decks against an empty store, creating nothing
        path = db if db.exists() else Path(scratch) / "empty.sqlite3"
        try:
            with Store.open(path, reading_only=True) as store:
                browser = Browser(catalog, store, config, SystemClock())
                try:
                    ids = browser.search(query)
                except QueryError as exc:
                    print(f"quizapp browse: {query}", file=sys.stderr)
                    print(f"quizapp browse: {' ' * exc.position}^ {exc}", file=sys.stderr)
                    return 2
                rows = browser.rows(ids if args.json else ids[: max(0, args.limit)])
        except StoreError as exc:
            print(f"quizapp browse: {exc}", file=sys.stderr)
            return 1
    if args.json:
        print(
            json.dumps(
                {"query": query, "count": len(ids), "items": [_row_json(r) for r in rows]}, indent=2
            )
        )
        return 0
    from quizapp.decks.controls import strip_controls

    print(strip_controls(render(rows, len(ids))))  # deck text is data, never terminal codes
    return 0


def _row_json(row: Any) -> dict[str, Any]:
    from dataclasses import asdict

    data = asdict(row)
    data["due"] = row.due.isoformat() if row.due else None
    return data


def _num(value: float | None, fmt: str) -> str:
    return "—" if value is None else format(value, fmt)


def _interval(days: float | None) -> str:
    """The interval as the browser screen shows it (10m, 3h, 4d, 2.1mo)."""
    from datetime import timedelta

    from quizapp.study.format import interval

    return "—" if days is None else interval(timedelta(days=days))


def render(rows: list[Any], total: int) -> str:
    """The text table of ``quizapp browse``."""
    from quizapp.study.format import plural

    lines = [
        f"{'id':<34} {'kind':<9} {'status':<10} {'due':>6} {'ivl':>6} {'D':>4} {'S':>7} "
        f"{'R':>4} {'lapses':>6}  question"
    ]
    for r in rows:
        status = "suspended" if r.suspended else r.status
        status = "leech" if r.leech else status
        due = "—" if r.due_days is None else f"{int(r.due_days):+d}d"
        lines.append(
            f"{r.item_id[:34]:<34} {r.kind:<9} {status:<10} {due:>6} "
            f"{_interval(r.interval_days):>6} {_num(None if r.difficulty is None else 100 * r.difficulty, '.0f'):>3}% "
            f"{_num(r.stability, '.1f'):>6}d {_num(None if r.retrievability is None else 100 * r.retrievability, '.0f'):>3}% "
            f"{r.lapses:>6}  {r.summary[:60]}"
        )
    shown = len(rows)
    lines.append(
        f"{plural(total, 'item')} {'matches' if total == 1 else 'match'}"
        + (f"; first {shown} shown (--limit N)" if shown < total else "")
    )
    return "\n".join(lines)
