"""The answer boxes of a numeric drill, one per field, as the study card and the mock
question both show them: the asked-for field first, the optional working fields in a
collapsed section under it, each box with a live "reads as" preview.

Keys: enter in the asked-for box submits (it must be filled); enter in a working box
moves on to the next box (after the last one, to the asked-for box) and never submits a
half answer; escape leaves the box. The first empty box takes the focus as soon as it is
mounted, so nothing typed right after a drill appears is lost.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.cells import cell_len
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Collapsible, Input, Static
from textual.widgets._collapsible import CollapsibleTitle

from quizapp.engine import answers
from quizapp.engine.drills import AnswerField, Problem
from quizapp.tui.widgets.study.messages import DrillSubmitted
from quizapp.tui.widgets.study.text import plain
from quizapp.tui.widgets.text_input import InOrderInput

__all__ = ["AnswerBoxes", "AnswerIncomplete", "AnswerInput", "AnswerReadable", "AnswerRow"]


@dataclass
class AnswerIncomplete(Message):
    """Enter was pressed without the asked-for field: ``text`` says what to do."""

    text: str


class AnswerReadable(Message):
    """A box was edited and now reads as a number: an earlier "could not read that" or
    "type an answer" line is out of date."""


class AnswerHost(Vertical):
    """A container of :class:`AnswerBoxes` with a line that says why an answer could not be
    taken (the study card's and the mock question's): an incomplete answer says so there, and
    the line clears once the box reads. Each host places and styles its own line."""

    show_error: Callable[[str], None]

    @on(AnswerIncomplete)
    def _incomplete(self, message: AnswerIncomplete) -> None:
        message.stop()
        self.show_error(message.text)

    @on(AnswerReadable)
    def _readable(self, message: AnswerReadable) -> None:
        message.stop()
        self.show_error("")  # the box reads now: the old complaint is out of date


#: The scroll actions a Textual Input binds to ↑ ↓ PgUp PgDn (and shows nowhere).
_SCROLLS = frozenset({"scroll_up", "scroll_down", "page_up", "page_down"})


def type_into(box: Input, text: str) -> None:
    """Type ``text`` at the end of ``box``, once the box has taken the focus just given to
    it (its focus selects what it holds, and a character inserted before that was replaced
    by the next one typed: "12" typed after escape became "2"). With ``text`` empty the
    cursor only goes to the end: nothing is selected for the next key to replace."""

    def typed() -> None:
        box.cursor_position = len(box.value)
        box.insert_text_at_cursor(text)

    box.call_later(typed)


class AnswerInput(InOrderInput):
    """An answer box whose enter shows in the footer (Input's own binding is hidden).

    Escape leaves the box (the screen's one-letter keys work again).
    """

    BINDINGS = [
        Binding("enter", "submit", "Submit", id="drill.submit"),
        # a working box is optional: its enter goes on to the next box, never submits
        Binding("enter", "next_box", "Next box", id="drill.next-box"),
        Binding("escape", "leave_box", "Leave box", id="drill.leave-box"),
    ]

    def __init__(self, *, asked: bool, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.asked = asked  # the field the drill asks for (else a working box)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in _SCROLLS:
            return False  # a one-line box has nothing to scroll: ↑↓ PgUp PgDn scroll the card
        if action == "submit":
            return self.asked
        if action == "next_box":
            return not self.asked
        return True

    def _boxes(self) -> AnswerBoxes | None:
        return next((a for a in self.ancestors if isinstance(a, AnswerBoxes)), None)

    def action_next_box(self) -> None:
        boxes = self._boxes()
        if boxes is not None:
            boxes.focus_after(self)

    def action_leave_box(self) -> None:
        self.screen.set_focus(None)

    def on_mount(self) -> None:
        boxes = self._boxes()
        if boxes is not None:
            boxes.box_mounted(self)


class AnswerRow(Vertical):
    """``label = [input]`` and, under it, how the typed text is being read."""

    def __init__(self, answer_field: AnswerField, *, asked: bool = False) -> None:
        super().__init__(classes="answer-row")
        self.answer_field = answer_field
        # Built here, not in compose, so the boxes can be read and disabled at once.
        self.input = AnswerInput(
            asked=asked,
            placeholder=answer_field.hint or answer_field.name,
            id=f"answer-{answer_field.name}",
            classes="answer-input",
        )
        self.preview = Static("", classes="preview")

    def compose(self) -> ComposeResult:
        with Horizontal(classes="answer-line"):
            yield Static(plain(f"{self.answer_field.label} ="), classes="answer-label")
            yield self.input
        yield self.preview

    @on(Input.Changed)
    def _preview(self, event: Input.Changed) -> None:
        shown = answers.preview(event.value)
        preview = self.preview
        preview.set_class(shown.startswith("?"), "-bad")
        readable = bool(shown) and not shown.startswith("?")
        text = plain(f"reads as {shown}" if readable else shown)
        before = str(preview.content)
        if str(text) != before:
            # one line before and after (the usual case while typing): no new layout
            width = preview.content_size.width
            one_line = (
                0 < cell_len(before) <= width
                and 0 < text.cell_length <= width
                and "\n" not in before + str(text)
            )
            preview.update(text, layout=not one_line)
        if readable:
            self.post_message(AnswerReadable())


class WorkingTitle(CollapsibleTitle):
    """The "Your working" toggle, whose enter the footer shows ("⏎ Show working")."""

    BINDINGS = [
        Binding("enter", "show_working", "Show working", id="drill.show-working"),
        Binding("enter", "hide_working", "Hide working", id="drill.hide-working"),
    ]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "show_working":
            return self.collapsed
        if action == "hide_working":
            return not self.collapsed
        return True

    def action_show_working(self) -> None:
        self.action_toggle_collapsible()

    def action_hide_working(self) -> None:
        self.action_toggle_collapsible()

    def _watch_collapsed(self, collapsed: bool) -> None:
        super()._watch_collapsed(collapsed)
        self.refresh_bindings()


class WorkingSection(Collapsible):
    """The collapsed section of the working boxes (its toggle: :class:`WorkingTitle`)."""

    def __init__(self, *children: Widget, title: str, id: str, classes: str) -> None:
        super().__init__(*children, title=title, id=id, classes=classes)
        self._title = WorkingTitle(
            label=title, collapsed_symbol="▶", expanded_symbol="▼", collapsed=True
        )


class AnswerBoxes(Vertical):
    """The boxes of one problem (:meth:`show` swaps in another problem's boxes).

    Posts :class:`DrillSubmitted` with every filled field when enter is pressed in the
    asked-for box, :class:`AnswerIncomplete` when that box is empty.
    """

    def __init__(self, problem: Problem | None = None, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._problem = problem
        self._rows: list[AnswerRow] = self._rows_for(problem) if problem else []
        self._focus_wanted = problem is not None
        #: the box the learner was in last: digits typed after escape continue it
        self._last: AnswerInput | None = None

    @staticmethod
    def _rows_for(problem: Problem) -> list[AnswerRow]:
        others = [f for f in problem.fields if f.name != problem.primary]
        return [AnswerRow(problem.field(problem.primary), asked=True), *map(AnswerRow, others)]

    def compose(self) -> ComposeResult:
        with Vertical(classes="asked-answer"):
            yield from self._rows[:1]
        with WorkingSection(title="Your working (optional)", id="working", classes="working"):
            yield from self._rows[1:]

    def on_mount(self) -> None:
        self._title_working()

    def _title_working(self) -> None:
        working = self.query_one(".working", Collapsible)
        labels = [row.answer_field.label for row in self._rows[1:]]
        working.title = "Your working (optional): " + ", ".join(labels)
        working.display = bool(labels)

    @property
    def rows(self) -> list[AnswerRow]:
        """The rows of the problem shown (old ones may still be leaving the DOM)."""
        return self._rows

    def show(self, problem: Problem) -> None:
        """Boxes for ``problem`` (the working section closed, nothing typed)."""
        self._problem = problem
        self._rows = self._rows_for(problem)
        asked = self.query_one(".asked-answer", Vertical)
        working = self.query_one(".working", Collapsible)
        asked.remove_children()
        asked.mount(self._rows[0])
        contents = working.query_one(Collapsible.Contents)
        contents.remove_children()
        contents.mount_all(self._rows[1:])
        working.collapsed = True
        self._last = None
        self._title_working()

    def set_locked(self, locked: bool, *, clear: bool = False) -> None:
        """Disable the boxes (answered) or enable them; ``clear`` empties them."""
        if locked or clear:
            self._last = None  # answered, or undone: shown again as it was first shown
        for row in self._rows:
            row.input.disabled = locked
            if clear:
                row.input.value = ""

    def typed(self) -> dict[str, str]:
        """Field name -> text of every box with something in it."""
        return {
            row.answer_field.name: row.input.value for row in self._rows if row.input.value.strip()
        }

    # -- focus ------------------------------------------------------------------------------
    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if isinstance(event.widget, AnswerInput):
            self._last = event.widget

    def answer_box(self, focused: Widget | None = None) -> AnswerInput | None:
        """The box to type in: the one the learner was in last (escape left it), else the
        first empty one (the asked-for field comes first; the working boxes count once their
        section is open), else the asked-for one; None when the boxes are locked.

        ``focused``: where the focus is instead of a box. On the open working section's
        title, the box is one of that section's (the last one used, else its first): its
        boxes are right under the title the learner is looking at."""
        rows = self._rows
        if not rows or rows[0].input.disabled:
            return None
        working = self.query_one(".working", Collapsible)
        shown = [row.input for row in rows if not (working.collapsed and working in row.ancestors)]
        if focused is not None and focused.parent is working and not working.collapsed:
            inside = shown[1:]  # the working boxes (the asked-for one comes first)
            if inside:
                return self._last if self._last in inside else inside[0]
        if self._last in shown and self._last.is_attached:
            return self._last
        return next((box for box in shown if not box.value), rows[0].input)

    def want_focus(self) -> None:
        """Focus :meth:`answer_box` now, or as soon as it is mounted — without scrolling to
        it: a card just shown is read from its top (the screen scrolls it home), and a focus
        that scrolled to the box would undo that whenever it lands after the scroll."""
        self._focus_wanted = True
        self.call_after_refresh(self.focus_answer, scroll_visible=False)

    def box_mounted(self, box: AnswerInput) -> None:
        if self._focus_wanted and self.answer_box() is box:
            self._focus_wanted = False
            if self._on_screen():
                self.screen.set_focus(box, scroll_visible=False)

    def focus_answer(self, box: AnswerInput | None = None, *, scroll_visible: bool = True) -> bool:
        """Put the focus in ``box``, by default :meth:`answer_box` (False when there is none
        to type in)."""
        if not self._on_screen():
            self._focus_wanted = False  # switched away meanwhile: its showing asks again
            return False
        box = box or self.answer_box()
        if box is None or not box.is_attached:
            return False  # not mounted yet: box_mounted focuses it
        self._focus_wanted = False
        # now, not as ``box.focus()`` does, after the keys already queued: an undo among
        # them would switch this card away and its box would keep the focus, hidden
        self.screen.set_focus(box, scroll_visible=scroll_visible)
        return True

    def _on_screen(self) -> bool:
        """Whether the boxes are shown: a focus asked for when the drill came may land
        after an undo has switched its card away (keys sent together); a hidden box
        must not take the keys."""
        return all(node.display for node in self.ancestors_with_self if isinstance(node, Widget))

    def focus_after(self, box: AnswerInput) -> None:
        """Enter in a working box: on to the next working box, after the last one to the
        asked-for box (which submits)."""
        order = [row.input for row in (*self._rows[1:], *self._rows[:1])]
        if box in order:
            self.screen.set_focus(
                order[(order.index(box) + 1) % len(order)]
            )  # now: keys typed next go there

    # -- submitting -------------------------------------------------------------------------
    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        event.stop()
        if not self._rows:
            return
        typed = self.typed()
        asked = self._rows[0]
        if asked.answer_field.name not in typed:
            label = asked.answer_field.label
            self.post_message(
                AnswerIncomplete(
                    f"Type {label} first: it is the answer asked for (the working boxes are "
                    "optional). Nothing was recorded."
                    if len(self._rows) > 1
                    else f"Type {label}: it is the answer asked for. Nothing was recorded."
                )
            )
            asked.input.focus()
            return
        self.post_message(DrillSubmitted(typed))
