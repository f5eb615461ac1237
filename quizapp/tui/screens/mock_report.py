"""The report of a mock interview: score, by topic and kind, the three weakest areas
(among what was answered) with what to review next, every question — which opens (enter or
a click) to your answer beside the model answer, the statements of a trap or a drill's
exact values and worked solution —, the mistakes the engine diagnosed and the trend against
earlier mocks. It renders a :class:`quizapp.study.mock_report.MockReport` (fresh, or read
back from the store) and computes nothing itself. Deck text is shown through
``quizapp.decks.text.safe_markup`` only; items are named by title, never by id.
"""

from __future__ import annotations

from typing import Any

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Collapsible, Header, Static

from quizapp.decks.loader import Catalog
from quizapp.decks.text import safe_markup
from quizapp.study.context import StudyRequest
from quizapp.study.format import (
    clock_time,
    drill_title,
    item_title,
    mistake_name,
    mm_ss,
    number,
    percent,
    signed,
    topic_title,
)
from quizapp.study.mock_report import MockReport, QuestionResult, ScoreLine, WeakArea
from quizapp.study.mock_scoring import weakest_note
from quizapp.tui.screens.base import MOCK_CSS, QuizScreen
from quizapp.tui.widgets.footer import QuizFooter

__all__ = ["MockReportScreen", "item_label"]

MARKS = {
    "right": ("✓", "bold green"),
    "partly": ("½", "bold yellow"),
    "wrong": ("✗", "bold red"),
    "unanswered": ("—", "dim"),
}
UNRATED = ("?", "bold yellow")  # typed, model answer shown, never graded
KIND_NAMES = {"flashcard": "conceptual", "trap": "trap", "drill": "drill"}
BAR_WIDTH = 20


def item_label(item_id: str, catalog: Catalog, questions: list[QuestionResult]) -> str:
    """What an item is called: its title in the catalog, else as it was asked in this
    mock, else (an item no deck has any more, in an old report) its id."""
    entry = catalog.items.get(item_id)
    if entry is not None:
        return item_title(entry.item)
    return next((q.name for q in questions if q.item_id == item_id), item_id)


def review_labels(area: WeakArea, catalog: Catalog, questions: list[QuestionResult]) -> list[str]:
    """The titles of an area's items to review (saved with the report since version 2)."""
    if len(area.review_titles) == len(area.review_items):
        return list(area.review_titles)
    return [item_label(i, catalog, questions) for i in area.review_items]


def area_name(area: WeakArea) -> str:
    if area.area == "topic":
        return f"topic {topic_title(area.name)}"
    return f"drill {drill_title(area.name)}"


def question_title(q: QuestionResult) -> Text:
    """The one-line title of a question: mark, number, kind, time against target, name."""
    mark, style = UNRATED if q.unrated else MARKS[q.status]
    spent = mm_ss(q.time_ms) if q.answered or q.unrated else "—"
    time = Text(f"{spent:>4}", style="bold red" if q.over_target else "")
    return Text.assemble(
        (mark, style),
        f" {q.number:>2} ",
        (f"{KIND_NAMES[q.kind]:<10} ", "dim"),
        time,
        (f"/{mm_ss(q.target_ms)}  ", "dim"),
        safe_markup(q.name) if q.kind != "drill" else Text(q.name),
        no_wrap=True,
        overflow="ellipsis",
        end="",
    )


class QuestionDetail(Collapsible):
    """One question of the report, collapsed to its title line; open, it shows what was
    asked, your answer beside the model answer (or each drill field beside its exact
    value), the worked solution, a trap's statements and the diagnosed mistake."""

    def __init__(self, question: QuestionResult) -> None:
        self.question = question
        super().__init__(title=question_title(question), collapsed=True)  # type: ignore[arg-type]
        self.add_class("report-question", f"-{question.status}")

    def on_mount(self) -> None:
        q = self.question
        body: list[Static | Horizontal] = [Static(self._asked(), classes="detail-asked")]
        if q.kind == "drill":
            body.append(Static(self._fields(), classes="detail-fields"))
            if q.solution:
                body.append(Static(self._solution(), classes="detail-solution"))
        elif q.kind == "trap":
            body.append(Static(self._statements(), classes="detail-statements"))
        else:
            yours = Static(self._yours(), classes="detail-yours")
            model = Static(
                Text.assemble(("Model answer\n", "bold green"), safe_markup(q.expected or "")),
                classes="detail-model",
            )
            body.append(Horizontal(yours, model, classes="detail-beside"))
        if q.mistake:
            body.append(
                Static(
                    Text.assemble(
                        ("Mistake: ", "bold yellow"),
                        (mistake_name(q.mistake), "bold yellow"),
                        " — ",
                        q.mistake_explanation or "",
                    ),
                    classes="detail-mistake",
                )
            )
        self.query_one(Collapsible.Contents).mount_all(body)

    def _asked(self) -> Text:
        q = self.question
        text = q.question or q.prompt
        asked = Text(text) if q.kind == "drill" else safe_markup(text)
        return Text.assemble(("Asked  ", "bold"), asked)

    def _yours(self) -> Text:
        q = self.question
        if q.unrated:
            return Text.assemble(
                ("Your answer", "bold"),
                (" · typed, not graded\n", UNRATED[1]),
                Text(q.answer or ""),
            )
        if not q.answered:
            return Text.assemble(("Your answer\n", "bold"), ("not answered", "dim italic"))
        said = q.answer or "(said aloud)"
        grade = {"right": "right", "partly": "partly right", "wrong": "wrong"}[q.status]
        return Text.assemble(
            ("Your answer", "bold"), (f" · graded {grade}\n", MARKS[q.status][1]), Text(said)
        )

    def _fields(self) -> Table:
        q = self.question
        table = Table(box=None, padding=(0, 1), header_style="bold", expand=False)
        table.add_column("field")
        table.add_column("your answer", overflow="fold")
        table.add_column("exact", overflow="fold")
        table.add_column("", width=1)
        for line in q.answer_lines:
            if line.given is None:
                given = Text("—" if q.answered else "not answered", style="dim")
            else:
                given = Text(line.given)
            mark = "" if line.correct is None else ("✓" if line.correct else "✗")
            style = "green" if line.correct else "red"
            table.add_row(line.label, given, Text(line.expected, style="bold"), Text(mark, style))
        if not q.answer_lines and q.expected:  # a report from before version 2
            table.add_row("", Text(q.answer or "—"), Text(q.expected, style="bold"), "")
        return table

    def _solution(self) -> Text:
        lines = [Text("Worked solution", style="bold")]
        for step in self.question.solution:
            value = f" = {step.value}" if step.value is not None else ""
            lines.append(Text(f"  {step.label} = {step.expression}{value}"))
        return Text("\n").join(lines)

    def _statements(self) -> Text:
        q = self.question
        parts: list[Text] = []
        pick = len(q.statements) > 1
        for i, line in enumerate(q.statements):
            letter = f"{chr(97 + i)}) " if pick else ""
            mark = ("✗ false ", "bold red") if line.false else ("✓ true  ", "green")
            chosen = ("  ← you chose this", "bold") if line.chosen else ""
            parts.append(Text.assemble(mark, letter, safe_markup(line.text), chosen))
        if not pick and q.answered:
            parts.append(Text.assemble(("You said  ", "bold"), q.answer or ""))
        elif not q.answered:
            parts.append(Text("not answered", style="dim italic"))
        if q.explanation:
            parts += [Text(""), safe_markup(q.explanation)]
        return Text("\n").join(parts)


class MockReportScreen(QuizScreen[None]):
    """The report; enter or escape goes back."""

    CSS_PATH = MOCK_CSS

    BINDINGS = [
        Binding("w", "study_weakest", "Study weakest", id="mock.report.study-weakest"),
        Binding("o", "open_all", "Open all", id="mock.report.open-all"),
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
            with Vertical(id="report-questions", classes="report-section") as questions:
                questions.border_title = "Questions · enter or click opens one"
                for q in r.questions:
                    yield QuestionDetail(q)
            if r.mistakes:
                yield self._section(
                    "report-mistakes", "Mistakes the engine diagnosed", self._mistakes()
                )
            yield self._section("report-trend", "Trend", self._trend())
        yield QuizFooter()

    def on_mount(self) -> None:
        self.sub_title = "Mock interview report"
        self.query_one("#report-scroll").focus()

    def action_open_all(self) -> None:
        """Open every question (or close them all when all are open)."""
        details = list(self.query(QuestionDetail))
        collapse = all(not d.collapsed for d in details)
        for d in details:
            d.collapsed = collapse

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
        topic = f" · topic {topic_title(r.topic)}" if r.topic else ""
        parts: list[str | tuple[str, str]] = [
            ("Score ", "bold"),
            (f"{number(t.points)} / {t.asked}  ({percent(r.score)})", "bold $accent"),
            "   answered ",
            (f"{t.answered} of {t.asked}", "bold"),
            "   accuracy on answered ",
            (percent(r.accuracy), "bold"),
            "\n",
            (
                f"✓ {t.right} right   ½ {t.partly} partly   ✗ {t.wrong} wrong   — {t.unanswered} unanswered"
                + (f" ({t.unrated} typed, not graded)" if t.unrated else ""),
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
                (f"{arrow} {signed(delta)} points", f"bold {colour}".strip()),
                " against your last mock",
            ]
        return Content.assemble(*parts)

    def _scores(self) -> Table:
        table = Table(box=None, padding=(0, 1), expand=False, header_style="bold")
        table.add_column("", no_wrap=True, overflow="ellipsis", max_width=36)
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
                row(line, f"drill {drill_title(line.name)}", "dim")
        return table

    def _weakest(self) -> Table | Text:
        r = self.report
        note = weakest_note(r)
        if note is not None:
            return Text(note)
        catalog = self.app.ctx.catalog
        table = Table.grid(padding=(0, 1), expand=True)
        table.add_column(justify="right", style="bold", width=2)
        table.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        for i, area in enumerate(r.weakest, 1):
            head = Text.assemble(
                (area_name(area), "bold yellow"),
                (f"  {number(area.mock_points)}/{area.mock_answered} right here · ", "dim"),
                (
                    f"{area.history_correct}/{area.history_answered} right before"
                    if area.history_answered
                    else "none before",
                    "dim",
                ),
            )
            table.add_row(f"{i}.", head)
            for label in review_labels(area, catalog, r.questions):
                table.add_row("", Text.assemble("→ ", safe_markup(label)))
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
        tz = self.app.ctx.config.tz()  # the learner's clock: the study days' zone
        table = Table.grid(padding=(0, 1))
        table.add_column(style="dim")
        table.add_column()
        table.add_column(justify="right")
        for point in trend:
            filled = round(BAR_WIDTH * point.score)
            style = "bold green" if point.current else "cyan"
            bar = Text("█" * filled, style=style) + Text("·" * (BAR_WIDTH - filled), style="dim")
            label = "this mock" if point.current else clock_time(point.at, tz)
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
