"""An interview trap: pick the false statement, or judge whether one statement holds.

After the answer the card marks what was right and wrong and shows the correction and
the reason; the automatic rating is shown by the rating bar below (1–4 override it).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Static

from quizapp.study.format import topic_title
from quizapp.study.items import TrapView
from quizapp.tui.widgets.study.messages import TrapAnswered
from quizapp.tui.widgets.study.text import markup, plain

LETTERS = "abcdef"


class Choice(Static):
    """One clickable answer: a statement (pick mode) or holds / does not hold."""

    def __init__(self, key: str, text: str, value: int | bool, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.key = key
        self.text = text
        self.value = value

    def on_mount(self) -> None:
        self.mark(None)

    def mark(self, sign: str | None) -> None:
        self.update(
            Content.assemble(
                (f" {self.key} ", "bold reverse"),
                "  ",
                f"{sign} " if sign else "",
                markup(self.text),
            )
        )

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
            box.remove_children()
            box.mount_all(self._choices(view))
        self.call_after_refresh(self._mark, view, answer, correct)

    def _choices(self, view: TrapView) -> list[Static]:
        if view.mode == "pick":
            return [
                Choice(LETTERS[i], text, i, classes="choice statement")
                for i, text in enumerate(view.statements)
            ]
        statement = Static(Content.assemble("“", markup(view.statements[0]), "”"), classes="claim")
        row = Horizontal(
            Choice("y", "holds", True, classes="choice yesno"),
            Choice("n", "does not hold", False, classes="choice yesno"),
            classes="yesno-row",
        )
        return [statement, row]

    def _mark(self, view: TrapView, answer: int | bool | None, correct: bool | None) -> None:
        answered = answer is not None
        for choice in self.query(Choice):
            choice.set_class(answered, "-locked")
            is_right = (
                (choice.value == view.trap_index)
                if view.mode == "pick"
                else (choice.value is view.holds)
            )
            picked = answered and choice.value == answer and type(choice.value) is type(answer)
            choice.set_class(answered and is_right, "-right")
            choice.set_class(picked and not is_right, "-wrong")
            choice.mark(("✓" if is_right else "✗") if answered and (is_right or picked) else None)
        verdict = self.query_one("#trap-verdict", Static)
        explain = self.query_one("#trap-explain", Static)
        verdict.display = explain.display = answered
        if not answered:
            return
        verdict.set_class(bool(correct), "-right")
        verdict.set_class(not correct, "-wrong")
        verdict.update("✓ Right" if correct else "✗ Not quite")
        lead = (
            "That statement is true. The trap here is"
            if view.mode == "holds" and view.holds
            else "The trap"
        )
        explain.update(
            Content.assemble(
                (lead, "bold"),
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
            )
        )
