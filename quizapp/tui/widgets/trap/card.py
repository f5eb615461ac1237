"""An interview trap: pick the false statement, or judge whether one statement holds.

After the answer the card marks what was right and wrong, shows under each true
statement why it is true (the deck's ``why_true``), the correction and its reason, and
the item's source; the automatic rating is shown by the rating bar below (1–4 override).
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Static

from quizapp.decks.text import safe_markup
from quizapp.study.format import topic_title
from quizapp.study.items import TrapView
from quizapp.tui.widgets.study.messages import TrapAnswered
from quizapp.tui.widgets.study.text import markup, plain, source_line
from quizapp.tui.widgets.trap.keys import LETTERS, letter_range

__all__ = ["LETTERS", "Choice", "TrapCard", "letter_range"]


class Choice(Static):
    """One clickable answer: a statement (pick mode) or holds / does not hold.

    The key sits in a column of its own, so a statement that wraps keeps its indent; once
    answered, a true statement shows why it is true underneath. One widget per choice
    (a Rich grid inside), so marking the answers restyles nothing but these lines.
    """

    def __init__(
        self,
        key: str,
        text: str,
        value: int | bool,
        *,
        reason: str | None = None,
        classes: str = "",
    ) -> None:
        super().__init__(classes=classes)
        self.key = key
        self.text = text
        self.value = value
        self.reason = reason

    def on_mount(self) -> None:
        self.mark(None)

    def mark(self, sign: str | None, *, explain: bool = False) -> None:
        """Show ``sign`` (✓ ✗) before the text and, with ``explain``, the reason under it."""
        body = Text.assemble(f"{sign} " if sign else "", safe_markup(self.text))
        if explain and self.reason:
            reason = safe_markup(self.reason)  # a fresh Text: styling it changes nothing else
            reason.stylize("dim")
            body.append("\n")
            body.append_text(reason)
        grid = Table.grid(padding=(0, 2))
        grid.add_column(no_wrap=True)
        grid.add_column(ratio=1)
        grid.add_row(Text(f" {self.key} ", style="bold reverse"), body)
        self.update(grid)

    def on_click(self) -> None:
        if not self.has_class("-locked"):
            self.post_message(TrapAnswered(self.value))


class TrapCard(Vertical):
    """Renders a :class:`TrapView` and, once answered, the verdict and the correction."""

    _shown: TrapView | None = None  # the trap whose choices are mounted

    def compose(self) -> ComposeResult:
        yield Static(id="trap-question", classes="question")
        yield Vertical(id="choices")
        yield Static(id="trap-verdict", classes="verdict")
        yield Static(id="trap-explain", classes="answer")
        yield Static(id="trap-source", classes="source")

    def show(self, view: TrapView, answer: int | bool | None, correct: bool | None) -> None:
        """Show the question; with ``answer`` given, lock the choices and explain."""
        self.border_title = plain(topic_title(view.topic))
        self.border_subtitle = "interview trap"
        ask = (
            "Which statement is the trap? The others are true."
            if view.mode == "pick"
            else "Does this statement hold?"
        )
        parts: list[str | Content | tuple[str, str]] = [(ask, "bold")]
        if view.question:
            parts = [markup(view.question), "\n", *parts]
        self.query_one("#trap-question", Static).update(Content.assemble(*parts))
        box = self.query_one("#choices", Vertical)
        if self._shown != view:
            self._shown = view
            if not self._reuse(box, view):
                box.remove_children()
                box.mount_all(self._choices(view))
        choices = list(self.query(Choice))
        if choices and all(choice.is_mounted for choice in choices):
            self._mark(view, answer, correct)  # in the frame that shows the question
        else:  # new choices mark themselves blank when mounted: mark them after that
            self.call_after_refresh(self._mark, view, answer, correct)

    def _reuse(self, box: Vertical, view: TrapView) -> bool:
        """Give the choices already there ``view``'s statements when it has as many of the
        same kind (the next trap most often has): no widgets built, styled and mounted per
        trap. False when they don't fit."""
        children = list(box.children)
        if view.mode == "pick":
            if len(children) != len(view.statements) or not all(
                isinstance(c, Choice) and c.has_class("statement") for c in children
            ):
                return False
            for choice, (key, text, value, reason) in zip(children, _picks(view), strict=True):
                assert isinstance(choice, Choice)
                choice.key, choice.text, choice.value, choice.reason = key, text, value, reason
            return True
        if len(children) != 2 or not children[0].has_class("claim"):
            return False
        claim = children[0]
        assert isinstance(claim, Static)
        claim.update(self._claim(view))  # the two choices, holds / does not hold, stay
        return True

    @staticmethod
    def _claim(view: TrapView) -> Content:
        return Content.assemble("“", markup(view.statements[0]), "”")

    def _choices(self, view: TrapView) -> list[Static | Horizontal]:
        if view.mode == "pick":
            return [
                Choice(key, text, value, reason=reason, classes="choice statement")
                for key, text, value, reason in _picks(view)
            ]
        statement = Static(self._claim(view), classes="claim")
        row = Horizontal(
            Choice("y", "holds", True, classes="choice yesno"),
            Choice("n", "does not hold", False, classes="choice yesno"),
            classes="yesno-row",
        )
        return [statement, row]

    def _mark(self, view: TrapView, answer: int | bool | None, correct: bool | None) -> None:
        answered = answer is not None
        for choice in self.query(Choice):
            is_right = (
                (choice.value == view.trap_index)
                if view.mode == "pick"
                else (choice.value is view.holds)
            )
            picked = answered and choice.value == answer and type(choice.value) is type(answer)
            choice.update_classes(  # one restyle per choice, not three
                {
                    "-locked": answered,
                    "-right": answered and is_right,
                    "-wrong": picked and not is_right,
                }
            )
            sign = ("✓" if is_right else "✗") if answered and (is_right or picked) else None
            choice.mark(sign, explain=answered)
        verdict = self.query_one("#trap-verdict", Static)
        explain = self.query_one("#trap-explain", Static)
        source = self.query_one("#trap-source", Static)
        verdict.display = explain.display = answered
        source.display = answered and bool(view.source)
        if not answered:
            return
        verdict.set_class(bool(correct), "-right")
        verdict.set_class(not correct, "-wrong")
        verdict.update("✓ Right" if correct else "✗ Not quite")
        parts: list[str | Content | tuple[str, str]] = []
        if view.mode == "holds" and view.holds:
            parts += [("It holds", "bold $success"), "  "]
            reason = view.reason(0)
            parts += [markup(reason) if reason else "the statement is true.", "\n\n"]
            parts += [("The trap here is", "bold")]
        else:
            parts += [("The trap", "bold")]
        parts += [
            "  “",
            markup(view.claim),
            "”\n\n",
            ("Why it is wrong", "bold $error"),
            "  ",
            markup(view.why_wrong),
            "\n\n",
            ("Correct", "bold $success"),
            "  ",
            markup(view.correct),
        ]
        explain.update(Content.assemble(*parts))
        source.update(source_line(view.source))


def _picks(view: TrapView) -> list[tuple[str, str, int, str | None]]:
    """(key, statement, value, why it is true) of each choice of a pick-mode trap."""
    return [(LETTERS[i], text, i, view.reason(i)) for i, text in enumerate(view.statements)]
