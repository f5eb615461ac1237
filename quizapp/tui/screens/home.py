"""Home: decks and topics with new / due counts, today's progress, and the ways in."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, DataTable, Header, Static

from quizapp.study.context import StudyRequest
from quizapp.study.format import duration_ms, plural, right_of_graded
from quizapp.study.overview import DeckRow, Overview
from quizapp.tui.screens.base import QuizScreen
from quizapp.tui.widgets.footer import QuizFooter

#: The ways in, in the order a learner meets them: (id, label, key, action on the app or
#: the screen, what it does). The buttons, the footer and help all say the same.
WAYS_IN: tuple[tuple[str, str, str, str, str], ...] = (
    ("review", "Review", "r", "app.review", "everything due today, all kinds interleaved"),
    ("study", "Study", "s", "study", "the deck or topic selected in the table"),
    ("drill", "Drill", "d", "app.drill", "free practice of one kind of numeric problem"),
    ("mock", "Mock", "m", "app.mock", "a timed mock interview"),
    ("lab", "Lab", "l", "app.lab", "optimizers racing on a loss surface"),
    ("browse", "Browse", "b", "app.browse", "search items, see their progress, suspend, flag"),
    ("stats", "Stats", "t", "app.stats", "progress, forecast, accuracy, mistakes"),
)
MORE_HINT = "ctrl+p: every deck, topic, drill kind, lab experiment, theme · ? all keys"


def _label(label: str, key: str) -> Content:
    """The button's label with its key underlined (Study, Stats: s, t)."""
    at = label.lower().index(key)
    return Content.assemble(label[:at], (label[at], "underline"), label[at + 1 :])


class HomeScreen(QuizScreen[None]):
    """Renders the context's :class:`Overview`; refreshed whenever it comes back on top."""

    STYLESHEETS = ("home",)

    BINDINGS = [
        *(
            Binding(key, action, label, id=f"home.{name}", tooltip=what)
            for name, label, key, action, what in WAYS_IN
        ),
        Binding("q", "app.quit", "Quit", id="home.quit"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="home"):
            notice = self.app.ctx.catalog.notice
            if notice:  # a learner's bad deck file: named here, not only on stderr
                yield Static(Content(f"⚠ {notice}"), id="deck-notice", classes="notice")
            yield Static(id="today", classes="panel")
            table: DataTable[str | Content] = DataTable(
                id="decks", cursor_type="row", zebra_stripes=False, classes="panel"
            )
            yield table
            with Horizontal(id="ways-in"):
                for name, label, key, _action, what in WAYS_IN:
                    yield Button(
                        _label(label, key),
                        id=f"go-{name}",
                        variant="primary" if name == "review" else "default",
                        tooltip=f"{key}: {what}",
                    )
            yield Static(MORE_HINT, id="more-hint", classes="muted", markup=False)
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
        # The counts are read when the screen is resumed, which Textual does right after
        # this mount when home is pushed or switched to (reading them here as well built
        # the overview twice: ~90 ms with 100k items), and whenever it shows again.

    def on_screen_resume(self) -> None:
        self.refresh_overview()

    def refresh_overview(self) -> None:
        overview = self.app.ctx.overview()
        self._show_today(overview)
        self._show_decks(overview.rows)

    def _show_today(self, overview: Overview) -> None:
        t = overview.today
        parts: list[str | tuple[str, str]] = [
            (str(overview.due_total), "bold $text-warning"), " due   ",
            (str(overview.new_total), "bold $text-primary"), " new   ",
            (str(t.reviews), "bold"), " answered today",
        ]  # fmt: skip
        g = overview.graded_today
        if g.answered:  # the figure stats shows: graded answers only
            parts += [" · ", (right_of_graded(g.correct, g.answered), "bold $text-success")]
        if t.reviews:
            parts += [" · ", duration_ms(t.time_ms), " studied"]
        today = self.query_one("#today", Static)
        today.update(Content.assemble(*parts))
        n = overview.review_size
        today.border_subtitle = (
            f"r: {plural(n, 'item')} to review now" if n else "nothing to review now"
        )

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
    async def _button(self, event: Button.Pressed) -> None:
        name = (event.button.id or "").removeprefix("go-")
        for way, _label, _key, action, _what in WAYS_IN:
            if way == name:
                await self.run_action(action)
