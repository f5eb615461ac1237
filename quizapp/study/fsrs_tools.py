"""The stats screen's FSRS tools (issue 14), UI-free: fit the parameters to the learner's
reviews, apply them (config.toml and the running app), preview and apply a reschedule, and
the desired-retention table. Screens may not import :mod:`quizapp.srs` (import-linter), so
they reach it through these thin functions of the :class:`AppContext`; the work itself is
:mod:`quizapp.srs.optimize`, :mod:`quizapp.srs.reschedule` and :mod:`quizapp.srs.simulate`,
as ``quizapp optimize``, ``quizapp reschedule`` and ``quizapp retention`` use them.

The fit and the simulation take from milliseconds to seconds: screens call them in a
worker thread (the store's connection may be used from another thread).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from quizapp.srs import optimize as _optimize
from quizapp.srs import reschedule as _reschedule
from quizapp.srs.optimize import INSTALL_LINE, FitResult, OptimizeError
from quizapp.srs.reschedule import Plan
from quizapp.srs.simulate import RetentionRow, RetentionTable
from quizapp.study.context import AppContext
from quizapp.study.format import plural

__all__ = [
    "INSTALL_LINE",
    "FitResult",
    "OptimizeError",
    "Plan",
    "RetentionRow",
    "RetentionTable",
    "RetentionView",
    "apply_parameters",
    "fit",
    "missing_message",
    "plan_reschedule",
    "preview_lines",
    "reschedule",
    "retention",
]


def missing_message(purpose: str = "fitting FSRS to your reviews") -> str | None:
    """None when fsrs-rs-python is installed; else what needs it and the install line."""
    try:
        _optimize.require()
    except _optimize.OptimizerMissing:
        return (
            f"{purpose[:1].upper()}{purpose[1:]} needs the optional package fsrs-rs-python "
            f"(the FSRS that Anki uses). Install it with:\n  {INSTALL_LINE}"
        )
    return None


def fit(ctx: AppContext) -> FitResult:
    """Fit FSRS-6 to the learner's scheduling answers, starting from the parameters in use;
    :class:`OptimizeError` with the reason when refused (too little data, the defaults
    came back, no better than the current ones, or the package is missing)."""
    return _optimize.optimize(ctx.store, ctx.config.parameters)


def apply_parameters(ctx: AppContext, result: FitResult) -> Path:
    """Write the fitted parameters to config.toml (comments and other settings kept) and
    schedule with them from now on; returns the file written."""
    from quizapp import paths

    path = paths.config_file()
    _optimize.write_parameters(path, result.parameters)
    ctx.use_config(ctx.config.model_copy(update={"parameters": result.parameters}))
    return path


def plan_reschedule(ctx: AppContext) -> Plan:
    """What rescheduling every answered item with the settings in use would move."""
    return _reschedule.plan(ctx.store, ctx.config, ctx.now())


def reschedule(ctx: AppContext, plan: Plan) -> int:
    """Apply ``plan`` in one transaction after a backup (``quizapp reschedule --undo``
    takes it back); returns how many items moved."""
    return _reschedule.apply(ctx.store, plan)


def preview_lines(plan: Plan, *, applied: bool = False) -> list[str]:
    """How many items a reschedule moves (or moved, ``applied``), which way and how far:
    the preview the stats screen and ``quizapp reschedule`` both show."""
    return summary_lines(plan.summary(), applied=applied)


def summary_lines(s: dict[str, Any], *, applied: bool = False) -> list[str]:
    """:func:`preview_lines` from a plan's ``summary()`` (what ``--json`` prints)."""
    moved, items = int(s["moved"]), int(s["items"])
    if not moved:
        return [
            f"Nothing {'moved' if applied else 'would move'}: all {plural(items, 'item')} stay as they are."
        ]
    verb = "moved" if applied else "would move"
    lines = [
        f"{plural(moved, 'item')} of {items} {verb}: {s['earlier']} earlier, "
        f"{s['later']} later (median {s['median_shift_days']:+g} d; up to "
        f"{s['max_earlier_days']:g} d earlier, {s['max_later_days']:g} d later)"
    ]
    lines += [f"  {label:<18} {n}" for label, n in dict(s["by_shift"]).items()]
    return lines


@dataclass(frozen=True)
class RetentionView:
    """The desired-retention table as the screen shows it, with the learner's setting."""

    table: RetentionTable
    current: float

    @property
    def rows(self) -> tuple[RetentionRow, ...]:
        return self.table.rows

    def marks(self, row: RetentionRow) -> str:
        """◀ optimal and/or • yours beside a row."""
        out = []
        if row is self.table.optimal_row:
            edge = self.table.optimal_edge
            out.append(f"◀ optimal {self.table.optimal_label}" if edge else "◀ optimal")
        if abs(row.retention - self.current) < 0.005:
            out.append("• yours")
        return " ".join(out)

    def caption(self) -> str:
        t = self.table
        habits = "your answer times and ratings" if t.learner_habits else "typical answer times"
        note = t.optimal_note()
        return (
            f"next 365 days of {plural(t.items, 'item')} ({t.answered} answered), {habits}, "
            f"mean of {t.seeds} simulations per row; "
            f"optimal {t.optimal_label} (least study time per item remembered), yours "
            f"{self.current:.2f}. Set [scheduling] desired_retention in config.toml, then "
            "reschedule." + (f" {note}" if note else "")
        )


def retention(ctx: AppContext) -> RetentionView:
    """Reviews and minutes per day for desired retention 0.70–0.97 over the next year of
    this learner's collection (fsrs-rs's simulator); OptimizeError when it is missing."""
    from quizapp.srs.simulate import retention_table

    table = retention_table(ctx.store, ctx.config, len(ctx.catalog.items), ctx.now())
    return RetentionView(table, ctx.config.desired_retention)
