"""``quizapp stats [--json]``: progress at a glance, read-only.

The figures are the stats screen's: the same :func:`quizapp.srs.stats.compute_stats` over
the same catalog (the queue's candidates, so "new" agrees), printed through the same view
(:mod:`quizapp.study.stats_view`). Never creates a database: with no progress file yet it
says so and exits 0. A progress file that cannot be used prints the store's message and
exits 1.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from datetime import tzinfo


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "stats",
        help="show review counts, due forecast, retention, accuracy and streak",
        description="Show your progress: counts, what is due, true retention, accuracy, "
        "frequent mistakes, streak and mock interviews.",
    )
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from quizapp import paths
    from quizapp.settings import SettingsError, load_scheduler_config
    from quizapp.srs.day_basis import reconcile_days
    from quizapp.srs.stats import compute_stats
    from quizapp.srs.store import Store, StoreError
    from quizapp.study.clock import SystemClock

    try:
        config = load_scheduler_config()  # the learner's day start and time zone
    except SettingsError as exc:
        print(f"quizapp stats: {exc}", file=sys.stderr)
        return 1
    db = paths.db_path()
    if not db.exists():
        if args.json:
            print('{"progress": null, "message": "no progress yet"}')
        else:
            print(f"no progress yet (looked for {db})")
        return 0
    candidates = _catalog_candidates(args)
    try:
        store = Store.open(db, reading_only=True)
    except StoreError as exc:
        print(f"quizapp stats: {exc}", file=sys.stderr)
        return 1
    try:
        # days in this zone (a read-only file, or one another quizapp is writing, keeps its own)
        reconcile_days(store, config, wait=False)
        stats = compute_stats(store, SystemClock(), config, candidates=candidates)
    except StoreError as exc:
        print(f"quizapp stats: {exc}", file=sys.stderr)
        return 1
    finally:
        store.close()
    from quizapp.decks.controls import escape_controls, strip_controls

    # names come from decks and imported progress: data, never terminal codes
    if args.json:
        print(escape_controls(stats.model_dump_json(indent=2)))
    else:
        print(strip_controls(render(stats, config.tz())))
    return 0


def _catalog_candidates(args: argparse.Namespace) -> list[Any]:
    """The decks as the queue sees them (the app's ``AppContext.candidates()``): what
    counts as new, and which progress has no item any more. Bad deck files are left out
    with the one-line notice, as the app does."""
    from quizapp.commands._common import load_catalog_or_report
    from quizapp.study.start import candidates

    return candidates(load_catalog_or_report(args))


#: The width of the name column of the text tables (a longer name ends in "…").
NAME_WIDTH = 38


def render(stats: Any, tz: tzinfo | None = None) -> str:
    """The human-readable summary of a :class:`quizapp.srs.stats.Stats`: the screen's
    headline figures (:func:`quizapp.study.stats_view.summary_lines`), then the details; times
    in ``tz``, the zone study days are counted in (None: the system's)."""
    from quizapp.study.format import (
        clock_time,
        drill_title,
        mistake_name,
        percent,
        plural,
        shorten,
        topic_title,
    )
    from quizapp.study.stats_view import GRADED_NOTE, summary_lines

    lines = [f"Progress on {stats.today.isoformat()}"]
    lines += [f"  {line}" for line in summary_lines(stats)]
    lines.append(
        "  next 7 days "
        + " · ".join(f"{d.date.strftime('%a')} {d.count}" for d in stats.due_next_7)
    )
    r = stats.true_retention
    lines.append(
        f"  true retention  young {percent(r.young.rate, decimals=1)} "
        f"({r.young.passed + r.young.failed}) · "
        f"mature {percent(r.mature.rate, decimals=1)} ({r.mature.passed + r.mature.failed}) · "
        f"all {percent(r.total.rate, decimals=1)}"
    )
    last30 = sum(d.reviews for d in stats.reviews_per_day)
    lines.append(f"  answers in the last 30 days: {last30}")

    def column(text: str) -> str:
        # a long name (a drill kind's title) is cut with an ellipsis, never run into the figure
        return shorten(text, NAME_WIDTH).ljust(NAME_WIDTH)

    def kind_name(kind: str) -> str:
        return "flashcard (self-rated)" if kind == "flashcard" else kind

    lines.append(f"  ({GRADED_NOTE})")
    for title, rows, name in (
        ("% right by kind", stats.accuracy_by_kind, kind_name),
        ("% right by topic (weakest first)", stats.accuracy_by_topic[:8], topic_title),
        ("% right by drill kind (weakest first)", stats.accuracy_by_drill_kind[:8], drill_title),
    ):
        if rows:
            lines.append(f"  {title}")
            lines += [
                f"    {column(name(a.key) if a.key else '(none)')}  "
                f"{percent(a.accuracy, decimals=1):>6} of {a.answered}"
                for a in rows
            ]
    if stats.top_mistakes:
        lines.append("  most frequent mistakes")
        lines += [f"    {column(mistake_name(m.mistake))}  ×{m.count}" for m in stats.top_mistakes]
    if stats.mocks:
        lines.append(f"  mock interviews ({len(stats.mocks)})")
        for m in stats.mocks[-5:]:
            score = "—" if m.score is None else percent(m.score)
            lines.append(f"    {clock_time(m.at, tz)}  score {score}")
    if stats.orphans:
        lines.append(
            f"  {plural(len(stats.orphans), 'item')} with progress but no longer in any deck "
            "(kept; see `quizapp check --orphans`)"
        )
    return "\n".join(lines)
