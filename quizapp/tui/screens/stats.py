"""Stats in the terminal: a plot per tab (textual-plotext) and, on ``t``, the same numbers
as a table. The numbers come from the app's context (``app.ctx.stats()``, the same
:func:`quizapp.srs.stats.compute_stats` call ``quizapp stats`` makes) through
:func:`quizapp.study.stats_view.stats_charts`; this screen only draws them.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.reactive import reactive
from textual.widgets import DataTable, Header, Static, TabbedContent, TabPane
from textual_plotext import PlotextPlot

from quizapp.study.stats_view import Chart, Stats, saved_reports, stats_charts, summary_line
from quizapp.tui.screens.base import QuizScreen
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
LABEL_WIDTH = 22


class ChartPane(Vertical):
    """One chart: the plot, or (``show_table``) its numbers in a DataTable."""

    show_table: reactive[bool] = reactive(False)

    def __init__(self, chart: Chart) -> None:
        super().__init__(classes="chart-pane")
        self.chart = chart

    def compose(self) -> ComposeResult:
        chart = self.chart
        if not chart.has_data:
            yield Static(chart.empty, classes="chart-empty")
        yield PlotextPlot(classes="chart-plot")
        table: DataTable[str] = DataTable(
            classes="chart-table", zebra_stripes=True, cursor_type="row"
        )
        yield table

    def on_mount(self) -> None:
        chart = self.chart
        table = self.query_one(DataTable)
        table.add_columns(*chart.columns)
        table.add_rows(chart.rows)
        self._draw()
        self.watch_show_table(self.show_table)

    def watch_show_table(self, show: bool) -> None:
        plots, tables = self.query(PlotextPlot), self.query(DataTable)
        if plots and tables:  # nothing to switch before compose
            plots.first().display = not show and self.chart.has_data
            tables.first().display = show

    def _draw(self) -> None:
        chart = self.chart
        widget = self.query_one(PlotextPlot)
        plt = widget.plt
        plt.clear_figure()
        plt.title(chart.title)
        if not chart.has_data:
            return
        labels = list(chart.labels)
        values = list(chart.values)
        if chart.kind == "hbar":
            short = [
                lab if len(lab) <= LABEL_WIDTH else lab[: LABEL_WIDTH - 1] + "…" for lab in labels
            ]
            # plotext stacks horizontal bars bottom-up; reversed, the table's first row is on top
            plt.bar(short[::-1], values[::-1], orientation="horizontal", width=0.6)
            if chart.y_label.startswith("%"):
                plt.xlim(0, 100)
        elif chart.kind == "bar":
            xs = list(range(len(labels)))
            # zero days are left out: plotext would draw a one-row stub for them
            shown = [(x, v) for x, v in zip(xs, values, strict=True) if v]
            plt.bar([x for x, _ in shown], [v for _, v in shown], width=0.6)
            plt.xlim(-1, len(labels))
            step = max(1, len(labels) // 6)
            plt.xticks(xs[::step], labels[::step])
            top = int(max(values))
            ystep = max(1, -(-top // 4))
            plt.yticks(list(range(0, top + ystep, ystep)))
        else:
            xs = list(range(len(labels)))
            plt.plot(xs, values, marker="braille")
            plt.scatter(xs, values, marker="●")
            step = max(1, len(labels) // 6)
            plt.xticks(xs[::step], labels[::step])
            plt.ylim(0, 100)
            plt.yticks([0, 25, 50, 75, 100])
        widget.refresh()


class StatsScreen(QuizScreen[None]):
    """Your progress in plots; ``t`` shows the numbers behind the current plot."""

    BINDINGS = [
        Binding("t", "toggle_table", "Table/plot", id="stats.table"),
        Binding("right,l", "tab(1)", "Next tab", key_display="→", id="stats.next-tab"),
        Binding("left,h", "tab(-1)", "Prev tab", key_display="←", id="stats.prev-tab"),
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
        with TabbedContent(id="stats-tabs"):
            for chart in stats_charts(self.stats):
                with TabPane(TAB_NAMES.get(chart.key, chart.key), id=f"tab-{chart.key}"):
                    yield ChartPane(chart)
        yield QuizFooter()

    def on_mount(self) -> None:
        self.sub_title = "Stats"

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
