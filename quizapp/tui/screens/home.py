"""Home: decks and topics with new / due counts, today's progress, and the ways in."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, DataTable, Header, Static

from quizapp.study.context import DeckRow, Overview, StudyRequest
from quizapp.study.format import duration_ms, percent, ratio
from quizapp.tui.screens.base import QuizScreen
from quizapp.tui.widgets.footer import QuizFooter


class HomeScreen(QuizScreen[None]):
    """Renders the context's :class:`Overview`; refreshed whenever it comes back on top."""

    BINDINGS = [
        Binding("r", "app.review", "Review", id="home.review"),
        Binding("s", "study", "Study", id="home.study"),
        Binding("d", "app.drill", "Drill", id="home.drill"),
        Binding("m", "app.mock", "Mock", id="home.mock"),
        Binding("t", "app.stats", "Stats", id="home.stats"),
        Binding("q", "app.quit", "Quit", id="home.quit"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="home"):
            yield Static(id="today", classes="panel")
            table: DataTable[str | Content] = DataTable(
                id="decks", cursor_type="row", zebra_stripes=False, classes="panel"
            )
            yield table
            with Horizontal(id="ways-in"):
                yield Button("Review", id="go-review", variant="primary")
                yield Button("Study", id="go-study")
                yield Button("Drill", id="go-drill")
                yield Button("Mock", id="go-mock", tooltip="a timed mock interview")
                yield Button("Stats", id="go-stats")
        yield QuizFooter()

    def on_mount(self) -> None:
        self.sub_title = "Home"
        self.query_one("#today").border_title = "Today"
        decks = self.query_one("#decks", DataTable)
        decks.border_title = "Decks"
        decks.border_subtitle = "enter studies the selected row"
        decks.add_column("Deck / topic", key="name", width=34)
        decks.add_column("New", key="new", width=5)
        decks.add_column("Due", key="due", width=5)
        decks.add_column("Items", key="total", width=5)
        for button in self.query(Button):
            button.can_focus = False  # the table keeps the focus; keys and mouse do the rest
        decks.focus()
        if self.app.screen is self:
            self.refresh_overview()
        # else `quizapp review` put a session on top: the counts are read when we resume

    def on_screen_resume(self) -> None:
        self.refresh_overview()

    def refresh_overview(self) -> None:
        overview = self.app.ctx.overview()
        self._show_today(overview)
        self._show_decks(overview.rows)
        review = self.query_one("#go-review", Button)
        review.label = f"Review · {overview.review_size}" if overview.review_size else "Review"

    def _show_today(self, overview: Overview) -> None:
        t = overview.today
        parts: list[str | tuple[str, str]] = [
            (str(overview.due_total), "bold $text-warning"), " due   ",
            (str(overview.new_total), "bold $text-primary"), " new   ",
            (str(t.reviews), "bold"), " answered today",
        ]  # fmt: skip
        if t.reviews:
            parts += [
                " · ", (percent(ratio(t.correct, t.reviews)), "bold $text-success"), " right",
                " · ", duration_ms(t.time_ms),
            ]  # fmt: skip
        self.query_one("#today", Static).update(Content.assemble(*parts))

    def _show_decks(self, rows: tuple[DeckRow, ...]) -> None:
        table = self.query_one("#decks", DataTable)
        cursor = table.cursor_row
        table.clear()
        for row in rows:
            key = f"{row.deck}\t{row.topic or ''}"
            if row.topic is None:
                name = Content.styled(row.title, "bold")
            else:
                name = Content.assemble(("  ", ""), (row.title, ""))
            c = row.counts
            new = (
                Content.styled(str(c.new), "$text-primary") if c.new else Content.styled("0", "dim")
            )
            due = (
                Content.styled(str(c.due), "bold $text-warning")
                if c.due
                else Content.styled("0", "dim")
            )
            table.add_row(name, new, due, Content.styled(str(c.total), "dim"), key=key)
        if rows:
            table.move_cursor(row=min(cursor, len(rows) - 1))

    def selected(self) -> StudyRequest | None:
        table = self.query_one("#decks", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value or ""
        deck, _, topic = key.partition("\t")
        return StudyRequest(mode="study", deck=deck, topic=topic or None)

    # -- intents --------------------------------------------------------------------------
    def action_study(self) -> None:
        request = self.selected()
        if request is not None:
            self.app.start_study(request)

    @on(DataTable.RowSelected)
    def _row_selected(self) -> None:
        self.action_study()

    @on(Button.Pressed)
    def _button(self, event: Button.Pressed) -> None:
        actions = {
            "go-review": self.app.action_review,
            "go-study": self.action_study,
            "go-drill": self.app.action_drill,
            "go-mock": self.app.action_mock,
            "go-stats": self.app.action_stats,
        }
        action = actions.get(event.button.id or "")
        if action is not None:
            action()
