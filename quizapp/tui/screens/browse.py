"""The browser: search items as you type (Anki-like syntax), see one item's D/S/R and
history, and act on it. Everything it shows and does goes through the
:class:`~quizapp.study.browse.Browser` it is given (``app.ctx.browser()``); every action
that writes progress runs through :meth:`QuizScreen.commit`, so a refused write is a
dialog (retry or quit), never a traceback. It dismisses with the ids of the current
results when the learner asks to study them.
"""

from __future__ import annotations

import os
import shlex
import subprocess
from collections.abc import Callable, Sequence
from datetime import timedelta
from pathlib import Path

from rich.cells import cell_len, set_cell_size
from textual import on
from textual.app import ComposeResult, SuspendNotSupported
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import DataTable, Header, Input, Static

from quizapp.study.browse import FLAG_NAMES, Browser, BrowseRow, ItemInfo
from quizapp.study.format import clock_time, duration, interval, plural
from quizapp.study.query import QueryError
from quizapp.tui.screens.base import QuizScreen
from quizapp.tui.widgets.footer import QuizFooter
from quizapp.tui.widgets.text_input import InOrderInput

__all__ = ["SHOWN", "BrowseScreen", "info_text"]

#: Rows put in the table (the count line says how many match in all).
SHOWN = 500
RATINGS = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}
ITEM_ACTIONS = {"suspend", "unsuspend", "bury", "unbury", "flag", "unflag", "reset", "edit"}
#: In the order a learner reads them: what, where it stands, when, how well it is kept.
COLUMNS = ("question", "status", "due", "ivl", "R", "lapses", "D", "S", "kind", "deck")
#: The question column's narrowest and widest width. Every other column is as wide as its
#: widest cell in the current results (or its label); columns that would not fit drop off
#: from the right, never clipped: status, due, ivl and R while the question keeps
#: QUESTION[0], the rest only while it keeps ROOMY.
QUESTION = (20, 56)
ROOMY = 32
ESSENTIAL = frozenset({"status", "due", "ivl", "R"})
SHRINKS = {"status": len("learning")}  # a long status ends in "…" rather than drop out
PAD = 2  # DataTable's cell padding, both sides


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.0f}%"


def _status(row: BrowseRow) -> str:
    marks = [row.status]
    if row.leech:
        marks.append("leech")
    elif row.suspended:
        marks.append("suspended")
    if row.buried:
        marks.append("buried")
    if row.flag:
        marks.append(f"⚑{FLAG_NAMES[row.flag]}")
    return " ".join(marks)


def _days(days: float | None) -> str:
    return "—" if days is None else interval(timedelta(days=days))


def _due(days: float | None) -> str:
    """Due in study days from today, as Anki's browser: today, +3d, -2d (overdue)."""
    if days is None:
        return "—"
    return "today" if days == 0 else f"{days:+.0f}d"


def _cells(row: BrowseRow) -> tuple[str, ...]:
    """The row's text for every column of COLUMNS (the question not yet shortened)."""
    return (
        row.summary,
        _status(row),
        _due(row.due_days),
        _days(row.interval_days),
        _pct(row.retrievability),
        str(row.lapses),
        _pct(row.difficulty),
        _days(row.stability),
        row.kind,
        row.deck,
    )


def fit_columns(rows: Sequence[tuple[str, ...]], width: int) -> dict[str, int]:
    """The columns to show in ``width`` terminal columns, in order, each with its width
    (without cell padding): the question first, then each next column while it fits
    whole beside a question of at least QUESTION[0] (ESSENTIAL) or ROOMY columns (the
    rest, or the longest question if shorter), a long status shortened rather than
    dropped; the question takes what is left, up to QUESTION[1] or its longest text."""
    need = [
        max([cell_len(name), *(cell_len(r[i]) for r in rows)]) for i, name in enumerate(COLUMNS)
    ]
    question = min(QUESTION[1], need[0])
    others: dict[str, int] = {}
    room = width - PAD  # for the question once the other columns have theirs
    for name, cell in zip(COLUMNS[1:], need[1:], strict=True):
        floor = QUESTION[0] if name in ESSENTIAL else max(QUESTION[0], min(question, ROOMY))
        if room - (cell + PAD) < floor:
            narrowest = SHRINKS.get(name, cell)
            if room - (narrowest + PAD) >= floor:  # shown shortened ("…"), nothing after it
                others[name] = room - PAD - floor
                room = floor
            break
        others[name] = cell
        room -= cell + PAD
    return {COLUMNS[0]: max(QUESTION[0], min(question, room)), **others}


def _shorten(text: str, width: int) -> str:
    return text if cell_len(text) <= width else set_cell_size(text, width - 1) + "…"


def _file_state(path: str) -> bytes | None:
    """What ``path`` holds (None when it cannot be read): the same before and after the
    editor when the learner quit without saving (or saved it unchanged)."""
    try:
        return Path(path).read_bytes()
    except OSError:
        return None


def info_text(info: ItemInfo) -> str:
    """The info pane as plain text (never markup: deck text is data)."""
    r = info.row
    lines = [
        r.summary,
        "",
        f"{r.item_id} · {r.kind} · {r.deck} / {r.topic}",
        f"source   {info.path}:{info.line}" if info.line else f"source   {info.path}",
        f"status   {_status(r)}",
        f"D {_pct(r.difficulty)}   S "
        + ("—" if r.stability is None else f"{r.stability:.2f} days")
        + f"   R {_pct(r.retrievability)}",
        "due      "
        + ("—" if r.due is None else f"{clock_time(r.due, info.tz)} ({_due(r.due_days)})"),
        f"interval {_days(r.interval_days)}",
        f"reps {r.reps} · lapses {r.lapses}",
        "",
        f"answers ({len(info.reviews)})",
    ]
    for review in reversed(info.reviews):
        took = (
            ""
            if review.duration_ms is None
            else duration(timedelta(milliseconds=review.duration_ms))
        )
        mark = "✓" if review.correct else "✗"
        extra = f" · {review.mistake}" if review.mistake else ""
        lines.append(
            f"  {info.local(review.at):%Y-%m-%d %H:%M}  {RATINGS[int(review.rating)]:<5} {mark} "
            f"{review.mode:<6} {took}{extra}"
        )
    if info.mistakes:
        lines += ["", "drill mistakes"]
        lines += [f"  {name} ×{n}" for name, n in info.mistakes]
    return "\n".join(lines)


class SearchBox(InOrderInput):
    """The search box; its enter (to the results) shows in the footer."""

    BINDINGS = [Binding("enter", "submit", "Results", id="browse.results")]


class BrowseScreen(QuizScreen[list[str] | None]):
    """Search, inspect and act on items; dismisses with ids to study, or None."""

    CSS_PATH = "browse.tcss"
    BINDINGS = [
        # escape: out of the search box first (to the results), then out of the browser
        Binding("escape", "leave_search", "Leave search", id="browse.leave-search"),
        Binding("escape", "back", "Back", id="browse.back"),
        Binding("slash", "focus_search", "Search", key_display="/", id="browse.search"),
        Binding("s", "suspend", "Suspend", id="browse.suspend"),
        Binding("s", "unsuspend", "Unsuspend", id="browse.unsuspend"),
        Binding("minus", "bury", "Bury", key_display="-", id="browse.bury"),
        Binding("minus", "unbury", "Unbury", key_display="-", id="browse.unbury"),
        Binding("f", "flag", "Flag", id="browse.flag"),
        Binding("f", "unflag", "Unflag", id="browse.unflag"),
        Binding("r", "reset", "Reset", id="browse.reset"),
        Binding("e", "edit", "Edit", id="browse.edit"),
        Binding("t", "study", "Study", id="browse.study"),
    ]

    def __init__(self, browser: Browser, query: str = "") -> None:
        super().__init__()
        self.browser = browser
        self.query_text = query
        self.results: list[str] = []
        self._reset_armed: str | None = None
        self._widths: dict[str, int] = {}  # the columns shown and their widths
        self._rows: dict[str, tuple[str, ...]] = {}  # the shown rows' cells, by item id

    def compose(self) -> ComposeResult:
        yield Header()
        yield SearchBox(
            self.query_text,
            placeholder='search: adam "bias correction" tag:x is:due lapses>3 prop:d>0.7 -deck:y',
            id="browse-query",
        )
        yield Static("", id="browse-status")
        with Horizontal(id="browse-body"):
            table: DataTable[str] = DataTable(
                id="browse-table", cursor_type="row", zebra_stripes=True
            )
            yield table
            with VerticalScroll(id="browse-info"):
                yield Static("", id="browse-info-text")
        yield QuizFooter()

    def on_mount(self) -> None:
        self.sub_title = "Browse"
        self.run_search(self.query_text)
        self.query_one(Input).focus()
        self.call_after_refresh(self._lay_out)

    def on_resize(self) -> None:
        self.call_after_refresh(self._lay_out)

    def _table_width(self) -> int:
        """Columns the table can show without scrolling sideways (less its vertical
        scrollbar when the rows need one); before the first layout, the screen's 3/5."""
        table = self.query_one(DataTable)
        width = table.content_region.width or self.size.width * 3 // 5
        height = table.content_region.height or self.size.height
        if len(self._rows) + 1 > height:  # rows and the header row
            width -= table.styles.scrollbar_size_vertical
        return width

    def _lay_out(self) -> None:
        """Show the columns that fit the shown rows at the table's width, each as wide as
        its widest cell (rebuilt only when that changes; the cursor stays on its row)."""
        widths = fit_columns(list(self._rows.values()), self._table_width())
        if widths == self._widths:
            return
        self._widths = widths
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear(columns=True)
        for name, width in widths.items():
            table.add_column(name, width=width, key=name)
        for item_id, cells in self._rows.items():
            table.add_row(*self._shown_cells(cells), key=item_id)
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))

    def _shown_cells(self, cells: tuple[str, ...]) -> list[str]:
        by_name = dict(zip(COLUMNS, cells, strict=True))
        return [_shorten(by_name[name], width) for name, width in self._widths.items()]

    # ------------------------------------------------------------------ search
    @on(Input.Changed, "#browse-query")
    def _typed(self, event: Input.Changed) -> None:
        self.run_search(event.value)

    @on(Input.Submitted, "#browse-query")
    def _submitted(self) -> None:
        if self.results:
            self.query_one(DataTable).focus()

    def run_search(self, query: str) -> None:
        status = self.query_one("#browse-status", Static)
        try:
            ids = self.browser.search(query)
        except QueryError as exc:
            status.update(Content(f"{' ' * exc.position}^ {exc}"))
            status.add_class("error")
            status.styles.height = "auto"  # wrapped: every allowed value shows at 80 columns
            return
        status.remove_class("error")
        status.styles.height = None  # back to the stylesheet's one line
        self.query_text = query
        self.results = ids
        shown = min(len(ids), SHOWN)
        more = f" — first {shown} shown" if shown < len(ids) else ""
        status.update(Content(f"{len(ids)} of {plural(len(self.browser.ids), 'item')}{more}"))
        self._fill(ids[:SHOWN])

    def _fill(self, ids: list[str]) -> None:
        """Show these rows; the columns are fitted to them (widths follow each result set)."""
        self._rows = {row.item_id: _cells(row) for row in self.browser.rows(ids)}
        widths = self._widths
        self._lay_out()
        if widths == self._widths:  # same columns: only the rows change
            table = self.query_one(DataTable)
            table.clear()
            for item_id, cells in self._rows.items():
                table.add_row(*self._shown_cells(cells), key=item_id)
        self._show_info()
        self.refresh_bindings()

    # -------------------------------------------------------------------- info
    @property
    def current(self) -> str | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return str(key.value)

    @on(DataTable.RowHighlighted)
    def _highlighted(self) -> None:
        self._reset_armed = None
        self._show_info()
        self.refresh_bindings()

    def _show_info(self) -> None:
        pane = self.query_one("#browse-info-text", Static)
        item_id = self.current
        pane.update(
            Content(info_text(self.browser.info(item_id)) if item_id else "No item matches.")
        )

    def _redraw_current(self) -> None:
        item_id = self.current
        if item_id is None:
            return
        self._rows[item_id] = _cells(self.browser.row(item_id))
        widths = self._widths
        self._lay_out()  # a longer status may need a wider column (or fewer columns)
        if widths == self._widths:
            table = self.query_one(DataTable)
            cells = self._shown_cells(self._rows[item_id])
            for column, value in zip(self._widths, cells, strict=True):
                table.update_cell(item_id, column, value)
        self._show_info()
        self.refresh_bindings()

    # ----------------------------------------------------------------- actions
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("leave_search", "back", "focus_search"):
            typing = self.is_mounted and isinstance(self.focused, Input)
            return typing if action == "leave_search" else not typing
        if action not in ITEM_ACTIONS:
            return bool(self.results) if action == "study" else True
        if not self.is_mounted or not self.query(DataTable):
            return False
        item_id = self.current
        if item_id is None or isinstance(self.focused, Input):
            # while typing, letters are text: item keys wait until the table has focus
            return False
        row = self.browser.row(item_id)
        return {
            "suspend": not row.suspended,
            "unsuspend": row.suspended,
            "bury": not row.buried and row.status != "new",
            "unbury": row.buried,
            "flag": not row.flag,
            "unflag": bool(row.flag),
            "reset": row.status != "new",
            "edit": True,
        }.get(action, True)

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()

    def action_leave_search(self) -> None:
        """Escape in the search box: to the results (the search stays as typed)."""
        self.query_one(DataTable).focus()

    def action_back(self) -> None:
        self.dismiss(None)

    def action_focus_search(self) -> None:
        self.query_one(Input).focus()

    def _act(self, act: Callable[[list[str]], object], done: str | None = None) -> None:
        """Run a writing action on the current item through ``commit`` (F1), then redraw
        its row and say ``done``."""
        item_id = self.current
        if item_id is None:
            return

        def shown(_: object) -> None:
            self._redraw_current()
            if done:
                self.notify(done)

        self.commit(lambda: act([item_id]), shown)

    def action_suspend(self) -> None:
        self._act(self.browser.suspend)

    def action_unsuspend(self) -> None:
        self._act(self.browser.unsuspend)

    def action_bury(self) -> None:
        self._act(self.browser.bury, "Buried until tomorrow; the schedule is unchanged.")

    def action_unbury(self) -> None:
        self._act(self.browser.unbury)

    def action_flag(self) -> None:
        self._act(lambda ids: self.browser.flag(ids, 1))

    def action_unflag(self) -> None:
        self._act(lambda ids: self.browser.flag(ids, 0))

    def action_reset(self) -> None:
        item_id = self.current
        if item_id is None:
            return
        if self._reset_armed != item_id:
            self._reset_armed = item_id
            self.notify("Press r again to forget this item's progress (its answers stay logged).")
            return
        self._reset_armed = None
        self._act(
            self.browser.reset,
            "Reset: new again. A backup was taken first (quizapp backup --list).",
        )

    def action_edit(self) -> None:
        """Open the item's deck file in $EDITOR at its line (the app is suspended meanwhile)."""
        item_id = self.current
        if item_id is None:
            return
        info = self.browser.info(item_id)
        editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
        command = [*shlex.split(editor), *([f"+{info.line}"] if info.line else []), info.path]
        if not Path(info.path).is_file():
            self.notify(f"{info.path} is not a file that can be edited here.", severity="warning")
            return
        before = _file_state(info.path)
        try:
            with self.app.suspend():
                subprocess.run(command, check=False)
        except (OSError, SuspendNotSupported) as exc:  # no editor / no terminal to hand over
            self.notify(f"Could not run {editor!r}: {exc}", severity="error")
            return
        if _file_state(info.path) == before:  # quit without saving: nothing to come back to
            self.notify(f"No changes: {Path(info.path).name} is as it was.")
            return
        self.notify("Saved changes show the next time quizapp starts (quizapp check).")

    def action_study(self) -> None:
        if self.results:
            self.dismiss(list(self.results))
