"""The one view of the progress figures, for the stats screen *and* ``quizapp stats``.

:func:`summary_lines` are the headline figures both print (so the screen and the command
agree on every figure, and a test holds them to ``quizapp stats --json``); each
:class:`Chart` is what one tab draws (labels and values) and the table that shows the same
numbers exactly (header and rows of text). "% right" counts graded answers only — traps and
drills, which the app checks; a flashcard is rated by the learner and is shown apart as
self-rated. Pure functions of a :class:`quizapp.srs.stats.Stats`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import tzinfo
from typing import Literal

from pydantic import ValidationError

from quizapp.engine.drills import MISTAKES
from quizapp.srs.days import local_time
from quizapp.srs.stats import Accuracy, Stats
from quizapp.study.format import (
    clock_time,
    drill_title,
    duration_ms,
    mistake_name,
    percent,
    plural,
    right_of_graded,
    topic_title,
)
from quizapp.study.mock_report import MockReport

__all__ = [
    "GRADED_NOTE",
    "Chart",
    "Stats",
    "saved_reports",
    "stats_charts",
    "summary_line",
    "summary_lines",
]

#: "columns": one column per day (integer counts); "bars": a labelled bar per row with its
#: figure; "line": a line over days or mocks.
ChartKind = Literal["columns", "bars", "line"]
GRADED_NOTE = "% right counts graded answers (traps, drills); flashcards are self-rated"


@dataclass(frozen=True)
class Chart:
    """One plot and its table. ``values`` align with ``labels``; ``rows`` are the table."""

    key: str
    title: str
    kind: ChartKind
    labels: tuple[str, ...]
    values: tuple[float, ...]
    y_label: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    empty: str
    notes: tuple[str, ...] = ()  # "bars": the exact figure beside each bar
    scale: float | None = None  # "bars": the bar scale (100 for percentages; None: the largest)
    caption: str = ""  # a line under the title: what is counted
    wrap: bool = False  # the table's last column is prose: wrapped to the width, rows grow

    @property
    def has_data(self) -> bool:
        return any(v for v in self.values)


def _forecast(stats: Stats) -> Chart:
    days = stats.due_next_30
    return Chart(
        key="forecast",
        title="Due in the next 30 days",
        kind="columns",
        labels=tuple(d.date.strftime("%m-%d") for d in days),
        values=tuple(float(d.count) for d in days),
        y_label="items due",
        columns=("date", "due"),
        rows=tuple((d.date.isoformat(), str(d.count)) for d in days),
        empty=f"Nothing is scheduled in the next 30 days ({stats.due_today} due today).",
    )


def _reviews(stats: Stats) -> Chart:
    days = stats.reviews_per_day
    return Chart(
        key="reviews",
        title="Answers per day (last 30 days)",
        kind="columns",
        labels=tuple(d.date.strftime("%m-%d") for d in days),
        values=tuple(float(d.reviews) for d in days),
        y_label="answers",
        columns=("date", "reviews", "correct", "new", "time studied"),
        rows=tuple(
            (
                d.date.isoformat(),
                str(d.reviews),
                str(d.correct),
                str(d.new_items),
                duration_ms(d.time_ms),
            )
            for d in days
        ),
        empty="No reviews in the last 30 days.",
    )


def _retention(stats: Stats) -> Chart:
    days = [d for d in stats.true_retention_per_day if d.total.rate is not None]
    t = stats.true_retention
    rows = [
        (
            d.date.isoformat(),
            f"{d.young.passed}/{d.young.passed + d.young.failed}",
            f"{d.mature.passed}/{d.mature.passed + d.mature.failed}",
            percent(d.total.rate, decimals=1),
        )
        for d in days
    ]
    rows.append(
        (
            "all time",
            f"{t.young.passed}/{t.young.passed + t.young.failed}",
            f"{t.mature.passed}/{t.mature.passed + t.mature.failed}",
            percent(t.total.rate, decimals=1),
        )
    )
    return Chart(
        key="retention",
        title="True retention per day (%, first review of the day, Again = fail)",
        kind="line",
        labels=tuple(d.date.strftime("%m-%d") for d in days),
        values=tuple(100.0 * (d.total.rate or 0.0) for d in days),
        y_label="% passed",
        columns=("date", "young passed", "mature passed", "retention"),
        rows=tuple(rows),
        empty="No reviews of items in review state yet: retention shows once items come back.",
    )


def _accuracy(
    key: str, title: str, lines: list[Accuracy], what: str, name: Callable[[str], str]
) -> Chart:
    ordered = sorted(lines, key=lambda a: (a.accuracy if a.accuracy is not None else 2.0, a.key))
    return Chart(
        key=key,
        title=title,
        kind="bars",
        labels=tuple(name(a.key) if a.key else "(none)" for a in ordered),
        values=tuple(100.0 * (a.accuracy or 0.0) for a in ordered),
        y_label="% right",
        columns=(what, "graded", "right", "% right"),
        rows=tuple(
            (
                name(a.key) if a.key else "(none)",
                str(a.answered),
                str(a.correct),
                percent(a.accuracy, decimals=1),
            )
            for a in ordered
        ),
        empty=f"No graded answers yet (traps, drills) to measure % right by {what}.",
        notes=tuple(f"{percent(a.accuracy)} of {a.answered}" for a in ordered),
        scale=100.0,
        caption=GRADED_NOTE,
    )


def _mistakes(stats: Stats) -> Chart:
    top = stats.top_mistakes
    return Chart(
        key="mistakes",
        title="Most frequent mistakes (diagnosed by the engine)",
        kind="bars",
        labels=tuple(mistake_name(m.mistake) for m in top),
        values=tuple(float(m.count) for m in top),
        y_label="times",
        columns=("mistake", "times", "what it means"),
        rows=tuple(
            (mistake_name(m.mistake), str(m.count), MISTAKES.get(m.mistake, "")) for m in top
        ),
        empty="No diagnosed mistakes yet: wrong drill answers that match a known slip show here.",
        notes=tuple(f"{m.count}×" for m in top),
        wrap=True,
    )


def _mocks(stats: Stats, tz: tzinfo | None) -> Chart:
    """Each mock at the learner's clock (the study days' zone, config ``timezone``)."""
    mocks = [m for m in stats.mocks if m.score is not None]
    return Chart(
        key="mocks",
        title="Mock interview scores (%) · t then enter on a row reopens its report",
        kind="line",
        labels=tuple(f"{local_time(m.at, tz):%m-%d}" for m in mocks),
        values=tuple(100.0 * (m.score or 0.0) for m in mocks),
        y_label="% score",
        columns=("date", "score", "answered", "asked"),
        rows=tuple(
            (
                clock_time(m.at, tz),
                percent(m.score, decimals=1),
                str(m.result.get("total", {}).get("answered", "—")),
                str(m.result.get("total", {}).get("asked", "—")),
            )
            for m in mocks
        ),
        empty="No mock interviews yet: `quizapp mock` or m on the home screen.",
    )


def saved_reports(stats: Stats) -> list[MockReport | None]:
    """The saved report of each row of the mocks chart (None: saved by another version)."""
    out: list[MockReport | None] = []
    for m in stats.mocks:
        if m.score is None:
            continue
        try:
            out.append(MockReport.model_validate(m.result))
        except ValidationError:
            out.append(None)
    return out


def stats_charts(stats: Stats, tz: tzinfo | None = None) -> list[Chart]:
    """Every chart of the stats screen, in tab order; times in ``tz`` (the study days' zone,
    None: the system's)."""
    return [
        _forecast(stats),
        _reviews(stats),
        _retention(stats),
        _accuracy("topics", "% right by topic", stats.accuracy_by_topic, "topic", topic_title),
        _accuracy(
            "drills",
            "% right by drill kind",
            stats.accuracy_by_drill_kind,
            "drill kind",
            drill_title,
        ),
        _mistakes(stats),
        _mocks(stats, tz),
    ]


def summary_lines(stats: Stats) -> tuple[str, ...]:
    """The headline figures, four lines that fit 80 columns: items by state and answers
    in all; today; % right (graded answers only) today and in all, as home says it
    (:func:`right_of_graded`); the flashcards' self-rating and true retention. The screen
    shows them above its tabs and ``quizapp stats`` prints them first."""
    c = stats.counts
    g = stats.accuracy_graded
    g_today = stats.accuracy_graded_today
    flash = next((a for a in stats.accuracy_by_kind if a.key == "flashcard"), None)
    leeches = f" · {plural(c.leeches, 'leech', 'leeches')}" if c.leeches else ""
    today = (
        f"due today {stats.due_today} · answered today {stats.reviews_today} "
        f"({stats.new_today} new, {duration_ms(stats.time_today_ms)} studied) · "
        f"streak {plural(stats.streak, 'day')}"
    )
    if not stats.studied_today and stats.streak:
        today += " (not yet today)"
    right = (
        f"today {right_of_graded(g_today.correct, g_today.answered)} · "
        f"in all {right_of_graded(g.correct, g.answered)}"
    )
    retention = f"true retention {percent(stats.true_retention.total.rate, decimals=1)}"
    if flash is not None:
        retention = f"flashcards self-rated {percent(flash.accuracy)} · {retention}"
    return (
        f"{c.new} new · {c.learning} learning · {c.review} review · {c.suspended} suspended"
        f"{leeches} · {plural(stats.total_reviews, 'answer')} in all",
        today,
        right,
        retention,
    )


def summary_line(stats: Stats) -> str:
    """:func:`summary_lines` as one text block."""
    return "\n".join(summary_lines(stats))
