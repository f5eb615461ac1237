"""A flashcard: the question, and after reveal the answer (and the optional deeper note)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from quizapp.study.format import topic_title
from quizapp.study.items import FlashcardView
from quizapp.tui.widgets.study.messages import RevealRequested
from quizapp.tui.widgets.study.text import markup, plain, source_line


class FlashcardCard(Vertical):
    """Renders a :class:`FlashcardView`; a click on the hidden answer reveals it."""

    def compose(self) -> ComposeResult:
        yield Static(id="front", classes="question")
        yield Static(id="hint", classes="muted")
        yield Static("space  show answer", id="reveal-hint", classes="action-hint")
        yield Static(id="back", classes="answer")
        yield Static(id="deeper", classes="deeper")
        yield Static(id="flashcard-source", classes="source")

    def show(self, view: FlashcardView, revealed: bool, hint_shown: bool = False) -> None:
        self.border_title = plain(topic_title(view.topic))
        self.border_subtitle = "say it aloud, then compare" if view.say_aloud else "flashcard"
        self.query_one("#front", Static).update(markup(view.front))
        hint = self.query_one("#hint", Static)
        # As in Anki, the hint waits to be asked for (h), so a card is first tried bare.
        hint.update(
            Content.assemble(("hint  ", "bold"), markup(view.hint))
            if view.hint and hint_shown
            else ""
        )
        hint.display = bool(view.hint) and hint_shown and not revealed
        reveal = self.query_one("#reveal-hint", Static)
        offer_hint = bool(view.hint) and not hint_shown
        reveal.update("space  show answer" + ("   ·   h  hint" if offer_hint else ""))
        reveal.display = not revealed
        back = self.query_one("#back", Static)
        back.update(markup(view.back))
        back.display = revealed
        deeper = self.query_one("#deeper", Static)
        deeper.update(markup(view.deeper) if view.deeper else "")
        deeper.display = revealed and bool(view.deeper)
        source = self.query_one("#flashcard-source", Static)
        source.update(source_line(view.source))
        source.display = revealed and bool(view.source)

    def on_click(self) -> None:
        if self.query_one("#reveal-hint").display:
            self.post_message(RevealRequested())
