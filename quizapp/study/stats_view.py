"""The numbers behind each plot of the stats screen, from :func:`quizapp.srs.stats.compute_stats`.

Each :class:`Chart` is what one plot draws (labels and values) and the table that shows
the same numbers exactly (header and rows of text). Pure functions of a ``Stats``: the
screen only draws them, and the tests check them against a review log they built.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import ValidationError

from quizapp.engine.drills import MISTAKES
from quizapp.srs.stats import Accuracy, Stats
from quizapp.study.format import minutes, mistake_name, percent
from quizapp.study.mock_report import MockReport

__all__ = ["Chart", "Stats", "saved_reports", "stats_charts", "summary_line"]

ChartKind = Literal["bar", "hbar", "line"]


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

    @property
    def has_data(self) -> bool:
        return any(v for v in self.values)


def _forecast(stats: Stats) -> Chart:
    days = stats.due_next_30
    return Chart(
        key="forecast",
        title="Due in the next 30 days",
        kind="bar",
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
        title="Reviews per day (last 30 days)",
        kind="bar",
        labels=tuple(d.date.strftime("%m-%d") for d in days),
        values=tuple(float(d.reviews) for d in days),
        y_label="answers",
        columns=("date", "reviews", "correct", "new", "minutes"),
        rows=tuple(
            (
                d.date.isoformat(),
                str(d.reviews),
                str(d.correct),
                str(d.new_items),
                minutes(d.time_ms),
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


def _accuracy(key: str, title: str, lines: list[Accuracy], what: str) -> Chart:
    ordered = sorted(lines, key=lambda a: (a.accuracy if a.accuracy is not None else 2.0, a.key))
    return Chart(
        key=key,
        title=title,
        kind="hbar",
        labels=tuple(a.key or "(none)" for a in ordered),
        values=tuple(100.0 * (a.accuracy or 0.0) for a in ordered),
        y_label="% correct",
        columns=(what, "answered", "correct", "accuracy"),
        rows=tuple(
            (a.key or "(none)", str(a.answered), str(a.correct), percent(a.accuracy, decimals=1))
            for a in ordered
        ),
        empty=f"No answers yet to measure accuracy by {what}.",
    )


def _mistakes(stats: Stats) -> Chart:
    top = stats.top_mistakes
    return Chart(
        key="mistakes",
        title="Most frequent mistakes (diagnosed by the engine)",
        kind="hbar",
        labels=tuple(mistake_name(m.mistake) for m in top),
        values=tuple(float(m.count) for m in top),
        y_label="times",
        columns=("mistake", "times", "what it means"),
        rows=tuple((m.mistake, str(m.count), MISTAKES.get(m.mistake, "")) for m in top),
        empty="No diagnosed mistakes yet: wrong drill answers that match a known slip show here.",
    )


def _mocks(stats: Stats) -> Chart:
    mocks = [m for m in stats.mocks if m.score is not None]
    return Chart(
        key="mocks",
        title="Mock interview scores (%) · t then enter on a row reopens its report",
        kind="line",
        labels=tuple(m.at.strftime("%m-%d") for m in mocks),
        values=tuple(100.0 * (m.score or 0.0) for m in mocks),
        y_label="% score",
        columns=("date", "score", "answered", "asked"),
        rows=tuple(
            (
                m.at.strftime("%Y-%m-%d %H:%M"),
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


def stats_charts(stats: Stats) -> list[Chart]:
    """Every chart of the stats screen, in tab order."""
    return [
        _forecast(stats),
        _reviews(stats),
        _retention(stats),
        _accuracy("topics", "Accuracy by topic (%)", stats.accuracy_by_topic, "topic"),
        _accuracy(
            "drills", "Accuracy by drill kind (%)", stats.accuracy_by_drill_kind, "drill kind"
        ),
        _mistakes(stats),
        _mocks(stats),
    ]


def summary_line(stats: Stats) -> str:
    """The figures above the plots: the items by state, then today (two short lines, so
    that 80 columns never break one in the middle)."""
    c = stats.counts
    return (
        f"{c.new} new · {c.learning} learning · {c.review} review · {c.suspended} suspended\n"
        f"due today {stats.due_today} · reviews today {stats.reviews_today} · "
        f"retention {percent(stats.true_retention.total.rate, decimals=1)} · streak {stats.streak} d"
    )
