"""The stats screen's FSRS tools (issue 14): "Optimize FSRS" (fit the parameters to your
reviews, show log loss and RMSE before and after, ask to apply, then offer a reschedule
with its preview) and the desired-retention view (minutes and reviews per day for each
retention, optimal marked). The work runs in thread workers through
:mod:`quizapp.study.fsrs_tools`; without fsrs-rs-python both say what to install.
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Header, LoadingIndicator, Static

from quizapp.study import fsrs_tools
from quizapp.study.format import plural
from quizapp.tui.screens.base import STATS_CSS, QuizScreen
from quizapp.tui.screens.modal import QuizModal
from quizapp.tui.widgets.charts import bar_list
from quizapp.tui.widgets.footer import QuizFooter

__all__ = ["OptimizeScreen", "RetentionScreen"]

Stage = str  # "missing", "fitting", "refused", "fitted", "planning", "planned", "done"


class OptimizeScreen(QuizModal[None]):
    """Fit → apply? → reschedule? One dialog that moves through the stages; escape closes
    it at any point (nothing is written before "apply")."""

    CSS_PATH = STATS_CSS

    BINDINGS = [
        Binding("a", "apply", "Apply", id="stats.optimize.apply"),
        Binding("r", "reschedule", "Reschedule", id="stats.optimize.reschedule"),
        Binding("escape", "close", "Close", id="stats.optimize.close"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.stage: Stage = "fitting"
        self.result: fsrs_tools.FitResult | None = None
        self.plan: fsrs_tools.Plan | None = None
        self._applied_to: object = "config.toml"

    def compose(self) -> ComposeResult:
        with Vertical(id="optimize-box") as box:
            box.border_title = "Optimize FSRS"
            yield Static(id="optimize-text")
            yield LoadingIndicator(id="optimize-busy")
            with Horizontal(id="optimize-buttons"):
                yield Button("Apply (a)", id="optimize-apply", variant="primary")
                yield Button("Reschedule (r)", id="optimize-reschedule", variant="primary")
                yield Button("Close (esc)", id="optimize-close")
        yield QuizFooter()

    def on_mount(self) -> None:
        missing = fsrs_tools.missing_message()
        if missing is not None:
            self._show("missing", Text(missing))
            return
        self._show("fitting", Text("Fitting FSRS to your reviews…"))
        self._fit()

    # -- stages -------------------------------------------------------------------------
    def _show(self, stage: Stage, text: Text) -> None:
        self.stage = stage
        self.query_one("#optimize-text", Static).update(text)
        self.query_one("#optimize-busy").display = stage in ("fitting", "planning")
        self.query_one("#optimize-apply").display = stage == "fitted"
        self.query_one("#optimize-reschedule").display = stage == "planned"
        self.refresh_bindings()

    @work(thread=True, exclusive=True, group="optimize")
    def _fit(self) -> None:
        try:
            result = fsrs_tools.fit(self.app.ctx)
        except fsrs_tools.OptimizeError as exc:
            self.app.call_from_thread(self._show, "refused", Text(str(exc)))
            return
        self.app.call_from_thread(self._fitted, result)

    def _fitted(self, result: fsrs_tools.FitResult) -> None:
        self.result = result
        b, a = result.before, result.after
        head = Text(
            f"Fitted to {plural(result.items, 'review')} of {plural(result.cards, 'item')} "
            f"({result.reviews} scheduling answers in your log). Lower is better:\n\n"
        )
        body = Text.assemble(
            head,
            (f"  {'':<10}{'now':>10}{'fitted':>10}\n", "bold"),
            f"  {'log loss':<10}{b.log_loss:>10.4f}",
            (f"{a.log_loss:>10.4f}\n", "bold green"),
            f"  {'RMSE':<10}{100 * b.rmse:>9.2f}%",
            (f"{100 * a.rmse:>9.2f}%\n", "bold green"),
            "\nApply writes the 21 parameters to config.toml ([scheduling] parameters, your "
            "comments kept) and schedules with them from now on.",
        )
        self._show("fitted", body)

    def action_apply(self) -> None:
        if self.stage != "fitted" or self.result is None:
            return
        try:
            path = fsrs_tools.apply_parameters(self.app.ctx, self.result)
        except OSError as exc:
            self._show("refused", Text(f"could not write config.toml: {exc}"))
            return
        self._applied_to = path
        self._show("planning", Text(f"Written to {path}. Working out what a reschedule moves…"))
        self._plan()

    @work(thread=True, exclusive=True, group="optimize")
    def _plan(self) -> None:
        plan = fsrs_tools.plan_reschedule(self.app.ctx)
        self.app.call_from_thread(self._planned, plan)

    def _planned(self, plan: fsrs_tools.Plan) -> None:
        self.plan = plan
        lines = fsrs_tools.preview_lines(plan)
        text = Text(
            f"The new parameters are written to {self._applied_to} and apply from your next "
            "answers.\n\nReschedule every item now with them?\n" + "\n".join(lines)
        )
        if plan.moves:
            self._show("planned", text)
        else:
            self._show("done", text)

    def action_reschedule(self) -> None:
        if self.stage != "planned" or self.plan is None:
            return
        plan = self.plan

        def moved(count: int) -> None:
            self._show(
                "done",
                Text(
                    f"Rescheduled {plural(count, 'item')}. A backup was taken first; "
                    "`quizapp reschedule --undo` takes it all back."
                ),
            )

        from quizapp.study.context import StoreError

        try:
            count = fsrs_tools.reschedule(self.app.ctx, plan)
        except StoreError as exc:  # one transaction: nothing was changed
            self._show("refused", Text(f"Nothing was rescheduled: {exc}"))
            return
        moved(count)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "apply":
            return self.stage == "fitted"
        if action == "reschedule":
            return self.stage == "planned"
        return True

    def on_button_pressed(self, event: Button.Pressed) -> None:
        actions = {
            "optimize-apply": self.action_apply,
            "optimize-reschedule": self.action_reschedule,
            "optimize-close": self.action_close,
        }
        if event.button.id in actions:
            actions[event.button.id]()

    def action_close(self) -> None:
        self.dismiss(None)


class RetentionScreen(QuizScreen[None]):
    """Reviews and minutes per day over the next year for each desired retention, as
    labelled bars (minutes) with the figures beside them, optimal and yours marked."""

    CSS_PATH = STATS_CSS

    BINDINGS = [Binding("escape", "back", "Back", id="stats.retention.back")]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="retention-scroll"):
            yield Static(
                "Desired retention: minutes per day (bars), reviews per day and items "
                "remembered after a year",
                id="retention-title",
            )
            yield Static("Simulating the next year of your collection…", id="retention-caption")
            yield LoadingIndicator(id="retention-busy")
            yield Static(id="retention-chart")
        yield QuizFooter()

    def on_mount(self) -> None:
        self.sub_title = "Desired retention"
        missing = fsrs_tools.missing_message("the desired-retention helper")
        if missing is not None:
            self._failed(missing)
            return
        self._simulate()

    @work(thread=True, exclusive=True, group="retention")
    def _simulate(self) -> None:
        try:
            view = fsrs_tools.retention(self.app.ctx)
        except fsrs_tools.OptimizeError as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        self.app.call_from_thread(self._show, view)

    def _failed(self, message: str) -> None:
        self.query_one("#retention-busy").display = False
        self.query_one("#retention-caption", Static).update(Text(message))

    def _show(self, view: fsrs_tools.RetentionView) -> None:
        self.view = view
        self.query_one("#retention-busy").display = False
        self.query_one("#retention-caption", Static).update(Text(view.caption()))
        self.query_one("#retention-chart", Static).update(self._chart(view))

    def _chart(self, view: fsrs_tools.RetentionView) -> Text:
        rows = view.rows
        labels = [f"{r.retention:.2f}" for r in rows]
        values = [r.minutes_per_day for r in rows]
        notes = [
            f"{r.minutes_per_day:5.1f} min/d {r.reviews_per_day:5.1f} rev/d "
            f"{r.memorized:5.0f} kept  {view.marks(r):<17}"
            for r in rows
        ]
        width = max(40, self.query_one("#retention-chart").content_size.width or 76)
        chart = bar_list(labels, values, notes, width)
        for i, r in enumerate(rows):  # the optimal row stands out
            if r is view.table.optimal_row:
                chart.stylize("bold green", *_line_span(chart.plain, i))
        return chart

    def action_back(self) -> None:
        self.dismiss()


def _line_span(text: str, index: int) -> tuple[int, int]:
    starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
    start = starts[index]
    end = starts[index + 1] - 1 if index + 1 < len(starts) else len(text)
    return start, end
