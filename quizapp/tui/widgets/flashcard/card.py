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
    """Renders a :class:`FlashcardView`; a click on the hidden answer reveals it.

    The question and the reveal line come with the card. The hint, the answer, the deeper
    note and the source, hidden until the hint is asked for or the answer shown, are built
    the first time one of them shows (four widgets fewer to style and lay out before the
    first card's paint) and kept for the cards after it."""

    _parts: tuple[Static, Static, Static, Static] | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="front", classes="question")
        yield Static("space  show answer", id="reveal-hint", classes="action-hint")

    def _build_parts(self) -> tuple[Static, Static, Static, Static]:
        """The hint (above the reveal line), the answer, the deeper note and the source."""
        if self._parts is None:
            hint = Static(id="hint", classes="muted")
            back = Static(id="back", classes="answer")
            deeper = Static(id="deeper", classes="deeper")
            source = Static(id="flashcard-source", classes="source")
            self.mount(hint, before=self.query_one("#reveal-hint"))
            self.mount(back, deeper, source)
            self._parts = (hint, back, deeper, source)
        return self._parts

    def show(self, view: FlashcardView, revealed: bool, hint_shown: bool = False) -> None:
        self.border_title = plain(topic_title(view.topic))
        self.border_subtitle = "say it aloud, then compare" if view.say_aloud else "flashcard"
        self.query_one("#front", Static).update(markup(view.front))
        reveal = self.query_one("#reveal-hint", Static)
        offer_hint = bool(view.hint) and not hint_shown
        reveal.update("space  show answer" + ("   ·   h  hint" if offer_hint else ""))
        reveal.display = not revealed
        if self._parts is None and not (revealed or (hint_shown and view.hint)):
            return  # none of the other parts shows: not built yet
        hint, back, deeper, source = self._build_parts()
        # As in Anki, the hint waits to be asked for (h), so a card is first tried bare.
        hint.update(
            Content.assemble(("hint  ", "bold"), markup(view.hint))
            if view.hint and hint_shown
            else ""
        )
        hint.display = bool(view.hint) and hint_shown and not revealed
        back.update(markup(view.back))
        back.display = revealed
        deeper.update(markup(view.deeper) if view.deeper else "")
        deeper.display = revealed and bool(view.deeper)
        source.update(source_line(view.source))
        source.display = revealed and bool(view.source)

    def on_click(self) -> None:
        if self.query_one("#reveal-hint").display:
            self.post_message(RevealRequested())
