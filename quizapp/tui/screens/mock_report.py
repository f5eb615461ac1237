"""The report of a mock interview: score, by topic and kind, time against target, the
mistakes the engine diagnosed, the three weakest areas with what to review next, and the
trend against earlier mocks. It renders a :class:`quizapp.study.mock_report.MockReport`
(fresh, or read back from the store) and computes nothing itself.
"""

from __future__ import annotations

from typing import Any

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Header, Static

from quizapp.decks.loader import Catalog
from quizapp.study.context import StudyRequest
from quizapp.study.format import item_title, mistake_name, mm_ss, number, percent, topic_title
from quizapp.study.mock_report import MockReport, QuestionResult, ScoreLine
from quizapp.tui.screens.base import QuizScreen
from quizapp.tui.widgets.footer import QuizFooter

__all__ = ["MockReportScreen", "item_label"]

MARKS = {
    "right": ("✓", "bold green"),
    "partly": ("½", "bold yellow"),
    "wrong": ("✗", "bold red"),
    "unanswered": ("—", "dim"),
}
KIND_NAMES = {"flashcard": "conceptual", "trap": "trap", "drill": "drill"}
BAR_WIDTH = 20


def item_label(item_id: str, catalog: Catalog, questions: list[QuestionResult]) -> str:
    """A short human label for an item: its question as asked in this mock, else its title
    in the catalog, else (an item no deck has any more) its id."""
    for q in questions:
        if q.item_id == item_id:
            return q.prompt
    entry = catalog.items.get(item_id)
    return item_title(entry.item) if entry is not None else item_id


class MockReportScreen(QuizScreen[None]):
    """The report; enter or escape goes back."""

    BINDINGS = [
        Binding("w", "study_weakest", "Study weakest topic", id="mock.report.study-weakest"),
        Binding("escape,enter", "done", "Done", id="mock.report.done"),
    ]

    def __init__(self, report: MockReport) -> None:
        super().__init__()
        self.report = report

    def compose(self) -> ComposeResult:
        r = self.report
        yield Header()
        with VerticalScroll(id="report-scroll"):
            yield self._section("report-headline", "Mock interview report", self._headline())
            yield self._section("report-scores", "Score by topic and kind", self._scores())
            yield self._section("report-weakest", "Weakest areas: review next", self._weakest())
            yield self._section(
                "report-questions", "Questions: time against target", self._questions()
            )
            if r.mistakes:
                yield self._section(
                    "report-mistakes", "Mistakes the engine diagnosed", self._mistakes()
                )
            yield self._section("report-trend", "Trend", self._trend())
        yield QuizFooter()

    def on_mount(self) -> None:
        self.sub_title = "Mock interview report"
        self.query_one("#report-scroll").focus()

    @staticmethod
    def _section(id_: str, title: str, body: Any) -> Static:
        widget = Static(body, id=id_, classes="report-section")
        widget.border_title = title
        return widget

    # -- sections -------------------------------------------------------------------------
    def _headline(self) -> Content:
        r = self.report
        t = r.total
        ended = "time ran out" if r.ended_by == "time" else "finished"
        if r.ended_by == "finished" and r.elapsed_s < r.minutes * 60:
            ended = "finished early"
        style = "practice" if r.practice else "exam style"
        topic = f" · topic {r.topic}" if r.topic else ""
        parts: list[str | tuple[str, str]] = [
            ("Score ", "bold"),
            (f"{number(t.points)} / {t.asked}  ({percent(r.score)})", "bold $accent"),
            "   answered ",
            (f"{t.answered} of {t.asked}", "bold"),
            "   accuracy on answered ",
            (percent(r.accuracy), "bold"),
            "\n",
            (
                f"✓ {t.right} right   ½ {t.partly} partly   ✗ {t.wrong} wrong   — {t.unanswered} unanswered",
                "",
            ),
            "\n",
            (
                f"{mm_ss(int(r.elapsed_s * 1000))} of {r.minutes}:00 · {ended} · {style}{topic} "
                f"· seed {r.seed}",
                "$text-muted",
            ),
        ]
        previous = r.previous_score()
        if previous is not None:
            delta = round(100 * (r.score - previous))
            arrow, colour = (
                ("▲", "$success") if delta > 0 else ("▼", "$error") if delta < 0 else ("=", "")
            )
            parts += [
                "\n",
                (f"{arrow} {delta:+d} points", f"bold {colour}".strip()),
                " against your last mock",
            ]
        return Content.assemble(*parts)

    def _scores(self) -> Table:
        table = Table(box=None, padding=(0, 1), expand=False, header_style="bold")
        table.add_column("")
        table.add_column("asked", justify="right")
        table.add_column("✓", justify="right")
        table.add_column("½", justify="right")
        table.add_column("✗", justify="right")
        table.add_column("—", justify="right")
        table.add_column("score", justify="right")
        table.add_column("", min_width=10)

        def row(line: ScoreLine, label: str, style: str = "") -> None:
            filled = round(10 * line.score)
            bar = Text("█" * filled, style="green") + Text("░" * (10 - filled), style="dim")
            table.add_row(
                Text(label, style=style), str(line.asked), str(line.right), str(line.partly),
                str(line.wrong), str(line.unanswered), percent(line.score), bar,
            )  # fmt: skip

        r = self.report
        for line in r.by_topic:
            row(line, f"topic {topic_title(line.name)}")
        table.add_row()
        for line in r.by_kind:
            row(line, KIND_NAMES.get(line.name, line.name))
        if r.by_drill_kind:
            table.add_row()
            for line in r.by_drill_kind:
                row(line, f"drill {line.name}", "dim")
        return table

    def _weakest(self) -> Table | Text:
        r = self.report
        if not r.weakest:
            return Text("No weak area stands out: everything asked was answered right.")
        catalog = self.app.ctx.catalog
        table = Table.grid(padding=(0, 1), expand=True)
        table.add_column(justify="right", style="bold", width=2)
        table.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        for i, area in enumerate(r.weakest, 1):
            head = Text.assemble(
                (f"{area.area} {topic_title(area.name)}", "bold yellow"),
                (
                    f"  {number(area.mock_points)}/{area.mock_answered} here · {percent(area.score)} overall",
                    "dim",
                ),
            )
            table.add_row(f"{i}.", head)
            for item_id in area.review_items:
                label = item_label(item_id, catalog, r.questions)
                table.add_row("", Text.assemble("→ ", (f"{item_id}  ", "cyan"), (label, "")))
        return table

    def _questions(self) -> Table:
        table = Table(box=None, padding=(0, 1), header_style="bold", expand=True)
        table.add_column("#", justify="right")
        table.add_column("", width=1)
        table.add_column("kind")
        table.add_column("question", ratio=1, no_wrap=True, overflow="ellipsis")
        table.add_column("time", justify="right")
        table.add_column("target", justify="right", style="dim")
        for q in self.report.questions:
            mark, style = MARKS[q.status]
            time = Text(
                mm_ss(q.time_ms) if q.answered else "—", style="bold red" if q.over_target else ""
            )
            table.add_row(
                str(q.number), Text(mark, style=style), KIND_NAMES[q.kind], q.prompt, time,
                mm_ss(q.target_ms),
            )  # fmt: skip
        return table

    def _mistakes(self) -> Table:
        table = Table.grid(padding=(0, 1))
        table.add_column(justify="right")
        table.add_column()
        for m in self.report.mistakes:
            table.add_row(
                Text(f"{m.count}×", style="bold"),
                Text.assemble((mistake_name(m.mistake), "bold yellow"), "\n", m.explanation),
            )
        return table

    def _trend(self) -> Table | Text:
        trend = self.report.trend
        if len(trend) < 2:
            return Text("Your first mock interview: the next ones will show a trend here.")
        table = Table.grid(padding=(0, 1))
        table.add_column(style="dim")
        table.add_column()
        table.add_column(justify="right")
        for point in trend:
            filled = round(BAR_WIDTH * point.score)
            style = "bold green" if point.current else "cyan"
            bar = Text("█" * filled, style=style) + Text("·" * (BAR_WIDTH - filled), style="dim")
            label = "this mock" if point.current else point.at.strftime("%Y-%m-%d %H:%M")
            table.add_row(label, bar, percent(point.score))
        return table

    def weakest_topic(self) -> str | None:
        """The weakest area that is a topic (a study session can be narrowed to it)."""
        return next((a.name for a in self.report.weakest if a.area == "topic"), None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "study_weakest":
            return self.weakest_topic() is not None
        return True

    def action_study_weakest(self) -> None:
        """Leave the report for a study session on the weakest topic (the app's own flow)."""
        topic = self.weakest_topic()
        if topic is None:
            return
        app = self.app
        self.dismiss()
        app.start_study(StudyRequest(mode="study", topic=topic))

    def action_done(self) -> None:
        self.dismiss()
