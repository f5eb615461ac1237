"""Stats in the terminal: a chart per tab and, on ``t``, the same numbers as a table.
The numbers come from the app's context (``app.ctx.stats()``, the same
:func:`quizapp.srs.stats.compute_stats` call ``quizapp stats`` makes) through the one view
both use (:mod:`quizapp.study.stats_view`); this screen only draws them. Daily counts are
text columns with integer ticks and one column per day; rows of figures are labelled bars
with the figure beside each; lines over time are plotext plots.
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.widgets import Button, DataTable, Header, Static, TabbedContent, TabPane
from textual_plotext import PlotextPlot

from quizapp.study.stats_view import Chart, Stats, saved_reports, stats_charts, summary_line
from quizapp.tui.screens.base import STATS_CSS, QuizScreen
from quizapp.tui.widgets.charts import BarList, ColumnChart
from quizapp.tui.widgets.footer import QuizFooter

__all__ = ["ChartPane", "StatsScreen"]

TAB_NAMES = {
    "forecast": "Due",
    "reviews": "Reviews",
    "retention": "Retention",
    "topics": "Topics",
    "drills": "Drills",
    "mistakes": "Mistakes",
    "mocks": "Mocks",
}


class ChartPane(Vertical):
    """One chart: the plot, or (``show_table``) its numbers in a DataTable."""

    show_table: reactive[bool] = reactive(False)

    def __init__(self, chart: Chart) -> None:
        super().__init__(classes="chart-pane")
        self.chart = chart

    def compose(self) -> ComposeResult:
        chart = self.chart
        if chart.kind != "line":
            yield Static(chart.title, classes="chart-title")
        if chart.caption:
            yield Static(chart.caption, classes="chart-caption")
        if not chart.has_data:
            yield Static(chart.empty, classes="chart-empty")
        elif chart.kind == "columns":
            yield ColumnChart([int(v) for v in chart.values], chart.labels, classes="chart-plot")
        elif chart.kind == "bars":
            yield BarList(
                chart.labels, chart.values, chart.notes, chart.scale, classes="chart-plot"
            )
        else:
            yield PlotextPlot(classes="chart-plot")
        table: DataTable[str] = DataTable(
            classes="chart-table", zebra_stripes=True, cursor_type="row"
        )
        yield table

    def on_mount(self) -> None:
        chart = self.chart
        table = self.query_one(DataTable)
        if not chart.wrap:
            table.add_columns(*chart.columns)
            table.add_rows(chart.rows)
        if chart.kind == "line" and chart.has_data:
            self._draw_line()
        self.watch_show_table(self.show_table)

    def on_resize(self, event: events.Resize) -> None:
        if self.chart.wrap:
            self._fill_wrapped(event.size.width)

    def _fill_wrapped(self, width: int) -> None:
        """The table with its last column (prose) as wide as the pane leaves it, wrapped,
        each row as tall as its text: nothing cut mid-sentence at 80 columns."""
        chart = self.chart
        table = self.query_one(DataTable)
        *first, last = chart.columns
        widths = [
            max(len(name), *(len(row[i]) for row in chart.rows)) if chart.rows else len(name)
            for i, name in enumerate(first)
        ]
        # each column is padded by one cell either side; 2 columns for the scroll bar
        rest = max(20, width - sum(widths) - 2 * len(chart.columns) - 2)
        cursor = table.cursor_coordinate
        table.clear(columns=True)
        for name, w in zip(first, widths, strict=True):
            table.add_column(name, width=w)
        table.add_column(last, width=rest)
        for row in chart.rows:
            table.add_row(*row[:-1], Text(row[-1]), height=None)
        if chart.rows:
            table.cursor_coordinate = table.validate_cursor_coordinate(cursor)

    def watch_show_table(self, show: bool) -> None:
        tables = self.query(DataTable)
        if not tables:  # nothing to switch before compose
            return
        for plot in self.query(".chart-plot"):
            plot.display = not show
        tables.first().display = show

    def _draw_line(self) -> None:
        chart = self.chart
        widget = self.query_one(PlotextPlot)
        plt = widget.plt
        plt.clear_figure()
        plt.title(chart.title)
        xs = list(range(len(chart.labels)))
        values = list(chart.values)
        plt.plot(xs, values, marker="braille")
        plt.scatter(xs, values, marker="●")
        step = max(1, len(xs) // 6)
        plt.xticks(xs[::step], list(chart.labels)[::step])
        plt.ylim(0, 100)
        plt.yticks([0, 25, 50, 75, 100])
        widget.refresh()


class StatsScreen(QuizScreen[None]):
    """Your progress in plots; ``t`` shows the numbers behind the current plot."""

    CSS_PATH = STATS_CSS

    BINDINGS = [
        Binding("t", "toggle_table", "Table", id="stats.table"),
        Binding("right,l", "tab(1)", "Tabs", key_display="← →", id="stats.next-tab"),
        Binding("left,h", "tab(-1)", "Prev tab", show=False, id="stats.prev-tab"),
        Binding("o", "optimize", "Optimize FSRS", id="stats.optimize"),
        Binding("r", "retention", "Retention", id="stats.retention"),
        Binding("escape", "back", "Back", id="stats.back"),
    ]

    show_table: reactive[bool] = reactive(False)

    def __init__(self, stats: Stats | None = None) -> None:
        super().__init__()
        self._stats = stats

    @property
    def stats(self) -> Stats:
        if self._stats is None:
            self._stats = self.app.ctx.stats()
        return self._stats

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(summary_line(self.stats), id="stats-summary")
        with Horizontal(id="stats-tools"):
            yield Button("Optimize FSRS (o)", id="stats-optimize", compact=True)
            yield Button("Retention (r)", id="stats-retention", compact=True)
        with TabbedContent(id="stats-tabs"):
            for chart in stats_charts(self.stats, self.app.ctx.config.tz()):
                with TabPane(TAB_NAMES.get(chart.key, chart.key), id=f"tab-{chart.key}"):
                    yield ChartPane(chart)
        yield QuizFooter()

    def on_mount(self) -> None:
        self.sub_title = "Stats"
        self.query_one(TabbedContent).query_one("Tabs").focus()  # ← → move between tabs

    def action_toggle_table(self) -> None:
        self.show_table = not self.show_table
        if self.show_table:  # the table takes the keys (enter on a mock reopens its report)
            active = self.query_one(TabbedContent).active
            self.query_one(f"#{active}").query_one(DataTable).focus()
        else:
            self.query_one(TabbedContent).query_one("Tabs").focus()

    def watch_show_table(self, show: bool) -> None:
        for pane in self.query(ChartPane):
            pane.show_table = show

    def action_tab(self, step: int) -> None:
        tabs = self.query_one(TabbedContent)
        ids = [pane.id for pane in self.query(TabPane)]
        current = ids.index(tabs.active) if tabs.active in ids else 0
        tabs.active = ids[(current + step) % len(ids)] or ids[0]

    def action_back(self) -> None:
        self.dismiss()

    def action_optimize(self) -> None:
        """Fit FSRS to your reviews (issue 14); new parameters redraw the figures after."""
        from quizapp.tui.screens.fsrs_tools import OptimizeScreen

        self.app.push_screen(OptimizeScreen())

    def action_retention(self) -> None:
        from quizapp.tui.screens.fsrs_tools import RetentionScreen

        self.app.push_screen(RetentionScreen())

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "stats-optimize":
            self.action_optimize()
        elif event.button.id == "stats-retention":
            self.action_retention()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on a row of the mocks table draws that mock's saved report again."""
        pane = next((a for a in event.data_table.ancestors if isinstance(a, ChartPane)), None)
        if pane is None or pane.chart.key != "mocks":
            return
        reports = saved_reports(self.stats)
        report = reports[event.cursor_row] if event.cursor_row < len(reports) else None
        if report is None:
            self.notify("That mock was saved by another version and cannot be redrawn.")
            return
        from quizapp.tui.screens.mock_report import MockReportScreen

        self.app.push_screen(MockReportScreen(report))
