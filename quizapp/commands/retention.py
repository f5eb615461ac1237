"""``quizapp retention``: what each desired retention costs you per day over a year."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

BAR = 30


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "retention",
        help="reviews and minutes per day for desired retention 0.70–0.97 (quizapp[optimize])",
        description=(
            "Simulate the next 365 days of your collection (fsrs-rs's simulator, with your "
            "parameters, limits and answer times) for each desired retention from 0.70 to "
            "0.97, and mark the optimal one. Set it in config.toml "
            "([scheduling] desired_retention), then `quizapp reschedule`. "
            "Needs: pip install 'quizapp[optimize]'."
        ),
    )
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import tempfile
    from pathlib import Path

    from quizapp import paths
    from quizapp.decks.loader import load_catalog
    from quizapp.settings import SettingsError, load_scheduler_config
    from quizapp.srs.optimize import OptimizeError, require
    from quizapp.srs.simulate import retention_table
    from quizapp.srs.store import Store, StoreError
    from quizapp.study.clock import SystemClock

    try:
        require()
        config = load_scheduler_config()
    except (OptimizeError, SettingsError) as exc:
        print(f"quizapp retention: {exc}", file=sys.stderr)
        return 1
    catalog = load_catalog(getattr(args, "content", []) or [])
    db = paths.db_path()
    try:
        with tempfile.TemporaryDirectory() as scratch:
            path = db if db.exists() else Path(scratch) / "empty.sqlite3"
            with Store.open(path, reading_only=True) as store:
                table = retention_table(store, config, len(catalog.items), SystemClock().now())
    except StoreError as exc:
        print(f"quizapp retention: {exc}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(_json(table, config), indent=2))
    else:
        print(render(table, config.desired_retention))
    return 0


def _json(table: Any, config: Any) -> dict[str, Any]:
    return {
        "items": table.items,
        "answered": table.answered,
        "optimal_retention": table.optimal,
        "optimal_at_edge": table.optimal_edge or None,
        "seeds": table.seeds,
        "current_retention": config.desired_retention,
        "learner_habits": table.learner_habits,
        "rows": [
            {
                "retention": r.retention,
                "reviews_per_day": round(r.reviews_per_day, 2),
                "minutes_per_day": round(r.minutes_per_day, 2),
                "memorized": round(r.memorized, 1),
            }
            for r in table.rows
        ],
    }


def render(table: Any, current: float) -> str:
    """The table with a bar of minutes per day; ◀ optimal, • your setting."""
    top = max(r.minutes_per_day for r in table.rows) or 1.0
    best = table.optimal_row
    habits = "your answer times and ratings" if table.learner_habits else "typical answer times"
    lines = [
        f"next 365 days of {table.items} items ({table.answered} already answered), {habits}; "
        f"each row the mean of {table.seeds} simulations (the same seeds for every row)",
        f"{'retention':>9} {'reviews/day':>11} {'min/day':>8} {'remembered':>10}  minutes per day",
    ]
    for r in table.rows:
        bar = "█" * max(1, round(BAR * r.minutes_per_day / top))
        mark = (
            f" ◀ optimal{' ' + table.optimal_label if table.optimal_edge else ''}"
            if r is best
            else ""
        )
        mark += " • yours" if abs(r.retention - current) < 0.005 else ""
        lines.append(
            f"{r.retention:>9.2f} {r.reviews_per_day:>11.1f} {r.minutes_per_day:>8.1f} "
            f"{r.memorized:>10.0f}  {bar:<{BAR}}{mark}"
        )
    lines.append(
        f"optimal desired retention: {table.optimal_label} (fsrs-rs: least study time per item "
        "remembered); set it in config.toml, then `quizapp reschedule`"
    )
    if note := table.optimal_note():
        lines.append(note)
    return "\n".join(lines)
