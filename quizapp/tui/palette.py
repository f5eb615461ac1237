"""Command palette entries: study a deck or topic, drill a kind, review, mock interview.

The theme switch comes from Textual's own system commands, kept beside these.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from quizapp.study.context import StudyRequest


class QuizCommands(Provider):
    """Everything that starts something, matched fuzzily as the learner types."""

    def _commands(self) -> list[tuple[str, Callable[[], object], str]]:
        app = self.app
        ctx = app.ctx  # type: ignore[attr-defined]
        out: list[tuple[str, Callable[[], object], str]] = [
            ("Review due items", app.action_review, "every kind, due today"),  # type: ignore[attr-defined]
            ("Start mock interview", app.action_mock, "a timed interview"),  # type: ignore[attr-defined]
        ]
        for deck in ctx.catalog.decks.values():
            request = StudyRequest(mode="study", deck=deck.id)
            out.append(
                (
                    f"Study deck: {deck.title}",
                    partial(app.start_study, request),
                    f"{len(deck.items)} items",
                )
            )  # type: ignore[attr-defined]
            for topic in deck.topics:
                request = StudyRequest(mode="study", deck=deck.id, topic=topic)
                out.append(
                    (f"Study topic: {deck.title} › {topic}", partial(app.start_study, request), "")
                )  # type: ignore[attr-defined]
        from quizapp.engine import drills

        for kind in drills.kinds():
            info = drills.info(kind)
            out.append((f"Drill: {info.title}", partial(app.start_drill, kind), kind))  # type: ignore[attr-defined]
        return out

    async def discover(self) -> Hits:
        for name, callback, help_text in self._commands():
            if name.startswith(("Review", "Start mock", "Study deck", "Drill")):
                yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, callback, help_text in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)
