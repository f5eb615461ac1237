"""The Textual app: holds the context (catalog, store, clock, rng) and routes between screens.

``run_app`` / ``run_review`` / ``run_study`` / ``run_drill`` are what the commands call;
they open the store first, so a bad progress file is reported (exit 1) before any screen.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from textual.app import App
from textual.binding import Binding

from quizapp.decks.loader import Catalog
from quizapp.study.context import AppContext, StudyRequest

if TYPE_CHECKING:
    from textual.command import Provider

Start = Literal["home", "review", "study", "drill"]


def _quiz_commands() -> type[Provider]:
    """Our palette provider, imported when the palette first opens (textual.command is
    ~20 ms of start-up otherwise)."""
    from quizapp.tui.palette import QuizCommands

    return QuizCommands


class QuizApp(App[int]):
    """quizapp in the terminal. Inject ``ctx`` (tests: FakeClock, seeded rng, tmp store)."""

    TITLE = "quizapp"
    CSS_PATH = Path(__file__).with_name("app.tcss")  # absolute: subclasses live elsewhere
    COMMANDS = App.COMMANDS | {_quiz_commands}
    BINDINGS = [
        Binding("question_mark", "help", "Help", id="app.help"),
    ]

    def __init__(
        self,
        ctx: AppContext,
        *,
        start: Start = "home",
        request: StudyRequest | None = None,
        drill_kind: str | None = None,
        drill_seed: int | None = None,
    ) -> None:
        super().__init__()
        self.ctx = ctx
        self._start = start
        self._request = request
        self._drill_kind = drill_kind
        self._drill_seed = drill_seed

    def on_mount(self) -> None:
        # Straight into a session when asked: home is built only when the learner goes
        # back to it (see go_home), which keeps `quizapp review` quick to its first card.
        if self._start in ("review", "study"):
            if not self.start_study(self._request or StudyRequest(), from_command_line=True):
                self.go_home()
        elif self._start == "drill" and self._drill_kind:
            self.start_drill(self._drill_kind, seed=self._drill_seed)
        else:
            self.go_home()
            if self._start == "drill":
                self.action_drill()
        # Everything built so far (catalog, modules, widgets) lives as long as the app: move
        # it out of the collector's sight, so full collections while studying stay short.
        self.call_after_refresh(gc.freeze)

    def on_unmount(self) -> None:
        self.ctx.close()

    # -- the ways in ------------------------------------------------------------------------
    def go_home(self) -> None:
        """Back to the home screen: pop to it, or build it if the app started in a session."""
        from quizapp.tui.screens.home import HomeScreen

        if isinstance(self.screen, HomeScreen):
            return
        below = self.screen_stack[-2] if len(self.screen_stack) > 1 else None
        if isinstance(below, HomeScreen):
            self.pop_screen()
        elif len(self.screen_stack) > 1:
            self.switch_screen(HomeScreen())
        else:
            self.push_screen(HomeScreen())

    def start_study(self, request: StudyRequest, *, from_command_line: bool = False) -> bool:
        """Open a study screen on today's queue for ``request``; say so if it is empty."""
        from quizapp.tui.screens.study import StudyScreen

        session = self.ctx.start(request)
        if not session.total:
            what = "Nothing is due" if request.mode == "review" else "Nothing to study there today"
            self.notify(
                f"{what}. New items come in daily; try a drill meanwhile.", title="All done"
            )
            return False
        self.push_screen(StudyScreen(session, request.title(self.ctx.catalog)))
        return True

    def start_drill(self, kind: str, *, seed: int | None = None) -> None:
        """Free practice of one drill kind: graded and logged, the schedule untouched.

        Answers are logged against the deck's drill item of that kind (with its ranges)
        when the catalog has one, so practice shows in accuracy and mistakes.
        """
        from quizapp.engine import drills
        from quizapp.study.practice import DrillPractice
        from quizapp.tui.screens.study import StudyScreen

        entry = next(
            (
                e
                for e in self.ctx.catalog.items.values()
                if e.kind == "drill" and getattr(e.item, "drill", None) == kind
            ),
            None,
        )
        practice = DrillPractice(
            kind,
            self.ctx.clock,
            self.ctx.rng,
            scheduler=self.ctx.scheduler,
            item_id=entry.id if entry else None,
            deck=entry.deck if entry else "practice",
            # A seed asked for on the command line means the problem `quizapp drill KIND
            # --seed N --json` shows, so the deck's ranges apply only to fresh draws.
            overrides=dict(entry.item.params) if entry and seed is None else None,  # type: ignore[union-attr]
            first_seed=seed,
        )
        self.push_screen(StudyScreen(practice, f"Drill · {drills.info(kind).title}"))

    def action_review(self) -> None:
        self.start_study(StudyRequest())

    def action_drill(self) -> None:
        from quizapp.tui.screens.drill_pick import DrillPickScreen

        def picked(kind: str | None) -> None:
            if kind:
                self.start_drill(kind)

        self.push_screen(DrillPickScreen(), picked)

    def action_mock(self) -> None:
        self._open_optional("quizapp.tui.screens.mock", "MockSetupScreen", "Mock interviews")

    def action_stats(self) -> None:
        self._open_optional("quizapp.tui.screens.stats", "StatsScreen", "Stats")

    def action_help(self) -> None:
        from quizapp.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def _open_optional(self, module: str, name: str, what: str) -> None:
        """Hooks for screens another part of the project adds later."""
        try:
            screen_type = getattr(importlib.import_module(module), name)
        except (ImportError, AttributeError):
            self.notify(f"{what} are not part of this build yet.", title="Coming soon")
            return
        self.push_screen(screen_type())


# -- entry points used by quizapp/commands ----------------------------------------------------
def open_context(catalog: Catalog) -> AppContext | None:
    """Open the progress store with the learner's settings (config.toml); on a StoreError
    or SettingsError print its message and return None."""
    from quizapp.settings import SettingsError, load_scheduler_config
    from quizapp.srs.store import StoreError

    try:
        return AppContext.open(catalog, config=load_scheduler_config())
    except (StoreError, SettingsError) as exc:
        print(f"quizapp: {exc}", file=sys.stderr)
        return None


def launch(ctx: AppContext, **kwargs: object) -> int:
    app = QuizApp(ctx, **kwargs)  # type: ignore[arg-type]
    result = app.run()
    return int(result or 0)


def run_app(args: argparse.Namespace, catalog: Catalog) -> int:
    """``quizapp`` with no command: the home screen."""
    ctx = open_context(catalog)
    if ctx is None:
        return 1
    return launch(ctx)


def run_study(catalog: Catalog, request: StudyRequest) -> int:
    """``quizapp review`` and ``quizapp study``: straight into a session (home beneath)."""
    ctx = open_context(catalog)
    if ctx is None:
        return 1
    return launch(ctx, start="review" if request.mode == "review" else "study", request=request)


def run_drill(args: argparse.Namespace) -> int:
    """``quizapp drill [KIND]`` without ``--json``: the drill screen (or the kind picker)."""
    from quizapp.decks.loader import load_catalog
    from quizapp.engine import drills

    kind = getattr(args, "kind", None)
    if kind and kind not in drills.kinds():
        print(
            f"quizapp drill: unknown kind {kind!r}; known: {', '.join(drills.kinds())}",
            file=sys.stderr,
        )
        return 2
    catalog = load_catalog(getattr(args, "content", []) or [])
    ctx = open_context(catalog)
    if ctx is None:
        return 1
    seed = getattr(args, "seed", None)
    try:
        first_seed = int(seed) if seed is not None else None
    except ValueError:
        print(f"quizapp drill: --seed must be a whole number, not {seed!r}", file=sys.stderr)
        return 2
    return launch(ctx, start="drill", drill_kind=kind, drill_seed=first_seed)
