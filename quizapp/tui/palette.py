"""Command palette entries: every way in from home (review, mock, browse, stats, the lab),
study a deck or topic, drill a kind, the lab's experiments, the keys.

The theme switch comes from Textual's own system commands, kept beside these; the app
saves the chosen theme for the next start.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual import getters
from textual.command import DiscoveryHit, Hit, Hits, Provider

from quizapp.engine import drills
from quizapp.study.context import StudyRequest
from quizapp.study.format import plural, topic_title
from quizapp.study.lab_experiments import EXPERIMENTS
from quizapp.tui.app import QuizApp

Command = tuple[str, Callable[[], object], str]


class QuizCommands(Provider):
    """Everything that starts something, matched fuzzily as the learner types."""

    app = getters.app(QuizApp)

    def _commands(self) -> list[Command]:
        app = self.app
        out: list[Command] = [
            ("Review due items", app.action_review, "every kind, due today"),
            ("Start mock interview", app.action_mock, "a timed interview"),
            ("Browse items", app.action_browse, "search, inspect, suspend, study"),
            ("Show stats", app.action_stats, "progress, forecast, accuracy, mistakes"),
            ("Drill practice", app.action_drill, "pick a kind of numeric problem"),
            ("Keys (help)", app.action_help, "every key of every screen"),
        ]
        for deck in app.ctx.catalog.decks.values():
            request = StudyRequest(mode="study", deck=deck.id)
            out.append(
                (
                    f"Study deck: {deck.title}",
                    partial(app.start_study, request),
                    plural(len(deck.items), "item"),
                )
            )
            for topic in deck.topics:
                request = StudyRequest(mode="study", deck=deck.id, topic=topic)
                out.append(
                    (
                        f"Study topic: {deck.title} › {topic_title(topic)}",
                        partial(app.start_study, request),
                        "",
                    )
                )
        for kind in drills.kinds():
            info = drills.info(kind)
            out.append((f"Drill: {info.title}", partial(app.start_drill, kind), kind))
        out.append(("Trajectory lab", app.action_lab, "optimizers racing on a loss surface"))
        for experiment in EXPERIMENTS:
            out.append((f"Lab: {experiment.title}", partial(app.open_lab, experiment.id), "guided"))
        return out

    async def discover(self) -> Hits:
        for name, callback, help_text in self._commands():
            if name.startswith(
                (
                    "Review",
                    "Start mock",
                    "Browse",
                    "Show stats",
                    "Study deck",
                    "Drill",
                    "Trajectory lab",
                )
            ):
                yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, callback, help_text in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)
