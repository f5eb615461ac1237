"""The Textual app: holds the context (catalog, store, clock, rng) and routes between screens.

Every screen reaches the app as ``self.app`` typed :class:`QuizApp` (see
:mod:`quizapp.tui.screens.base`) and everything below it through ``self.app.ctx``, the
:class:`quizapp.study.context.AppContext`. ``run_app`` / ``run_study`` / ``run_drill`` /
``run_mock`` / ``run_lab`` are what the commands call; they open the store first, so a bad progress or
settings file is reported (exit 1) before any screen.
"""

from __future__ import annotations

import functools
import gc
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Concatenate, Literal, ParamSpec, TypeVar

from quizapp.collector import collect_if_due, hold_full_collections, kept

# Textual and the modules below (~100k objects) live as long as the process: they are built
# with the collector paused and then moved out of its sight (gc.freeze, which QuizApp does
# for everything as it starts), else every collection until then scans them again (~25 M
# instructions, 2 % of a review's first card).
with kept():
    from textual.app import App
    from textual.binding import Binding

    from quizapp.decks.loader import Catalog
    from quizapp.study.context import AppContext, ContextError, StudyRequest
    from quizapp.study.format import study_these_title

if TYPE_CHECKING:
    from rich.console import RenderableType
    from textual.command import Provider
    from textual.screen import Screen
    from textual.theme import Theme
    from textual.timer import Timer

    from quizapp.study.lab import LabSession
    from quizapp.study.mock import MockConfig

Start = Literal["home", "review", "study", "drill", "mock", "lab"]
STYLES = Path(__file__).with_name("styles")
#: Seconds without a new answer after which the app does its upkeep (:meth:`QuizApp.upkeep_later`:
#: the progress file's checkpoint, a full garbage collection when due): while the learner
#: reads, not between an answer and the next card.
UPKEEP_IDLE_S = 0.5
P = ParamSpec("P")
R = TypeVar("R")


def _quiz_commands() -> type[Provider]:
    """Our palette provider, imported when the palette first opens (textual.command is
    ~20 ms of start-up otherwise)."""
    from quizapp.tui.palette import QuizCommands

    return QuizCommands


def route(
    way_in: Callable[Concatenate[QuizApp, P], R],
) -> Callable[Concatenate[QuizApp, P], R | None]:
    """A way in to a screen, taken only while the app is not closing: keys typed right
    after q are still delivered as the app closes, and a screen opened then is built on a
    closing app (a traceback on the way out, found typing "qs" fast)."""

    @functools.wraps(way_in)
    def guarded(app: QuizApp, *args: P.args, **kwargs: P.kwargs) -> R | None:
        if app.leaving:
            return None
        return way_in(app, *args, **kwargs)

    return guarded


class QuizApp(App[int]):
    """quizapp in the terminal. Inject ``ctx`` (tests: FakeClock, seeded rng, tmp store).

    ``start`` opens straight into a session, with home built beneath it when the learner
    goes back: ``review``/``study`` (``request``), ``drill`` (``drill_kind``, optional
    ``drill_seed`` and ``drill_overrides``; no kind opens the kind picker), ``mock``
    (``mock_config``) or ``lab`` (``lab``, a LabSession with its options applied).
    """

    TITLE = "quizapp"
    # absolute paths: subclasses (tests) live elsewhere. The rules every start needs (the
    # common ones, the study screen's); the rest come when what they style first shows:
    # home.tcss, summary.tcss, dialogs.tcss, and the trap and drill cards' trap.tcss and
    # drill.tcss through ``use_styles`` (a screen's ``STYLESHEETS``); the mock interview's
    # and the stats' mock.tcss and stats.tcss with their screens' CSS_PATH. A start to
    # the first card parses only what it shows.
    CSS_PATH = [STYLES / f"{name}.tcss" for name in ("app", "study")]
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
        drill_overrides: dict[str, object] | None = None,
        mock_config: MockConfig | None = None,
        lab: LabSession | None = None,
    ) -> None:
        # What exists now (modules, the catalog, the store) lives as long as the app: out of
        # the collector's sight, a full collection while the first screen is built (one
        # falls due about then) scans only the new objects (~20 ms less to the first card).
        gc.freeze()
        super().__init__()
        # A message the app exits with (a refused write) prints as one line, as the
        # commands print theirs: a path wrapped at the terminal's width cannot be copied.
        self.error_console.soft_wrap = True
        self.leaving = False  # exit() was called: no screen opens any more
        self.ctx = ctx
        self._start = start
        self._request = request
        self._drill_kind = drill_kind
        self._drill_seed = drill_seed
        self._drill_overrides = drill_overrides
        self._mock_config = mock_config
        self._lab = lab
        self._upkeep_timer: Timer | None = None
        self._gc_thresholds: tuple[int, int, int] | None = None
        self._gc_paused = False  # on_mount paused the collector until the first frame

    def on_mount(self) -> None:
        # The first screen's modules, widgets and session live as long as it: no collection
        # while they are built, until the first frame is drawn (~9 M instructions to a
        # review's first card; see first_frame_drawn).
        if gc.isenabled():
            gc.disable()
            self._gc_paused = True
        # The progress file's checkpoints and the full collections wait for the learner to
        # read (upkeep_later).
        self.ctx.store.checkpoint_on_idle()
        self._gc_thresholds = hold_full_collections()
        self._apply_saved_theme()
        notice = self.ctx.catalog.notice
        if notice and self._start != "home":  # home shows it on its own panel
            self.notify(notice, title="Some deck files were left out", severity="warning")
        if self.ctx.backup_warning:  # printed before the screen took the terminal, too
            self.notify(
                self.ctx.backup_warning, title="No backup today", severity="warning", timeout=30
            )
        # Straight into a session when asked: home is built only when the learner goes
        # back to it (see go_home), which keeps `quizapp review` quick to its first card.
        if self._start in ("review", "study"):
            if not self.start_study(self._request or StudyRequest(), from_command_line=True):
                self.go_home()
        elif self._start == "drill" and self._drill_kind:
            self.start_drill(
                self._drill_kind, seed=self._drill_seed, overrides=self._drill_overrides
            )
        elif self._start == "mock":
            from quizapp.study.mock import MockConfig

            self.go_home()  # the interview's report and "abandon" go back to it
            self.start_mock(self._mock_config or MockConfig())
        elif self._start == "lab":
            self.open_lab(session=self._lab)
        else:
            self.go_home()
            if self._start == "drill":
                self.action_drill()
        self.call_after_refresh(self.first_frame_drawn)

    def first_frame_drawn(self) -> None:
        """Everything built so far (catalog, modules, widgets) lives as long as the app: it
        is moved out of the collector's sight, so full collections while studying stay
        short; then the collector runs again. (A method, not gc.freeze itself: Textual reads
        a callback's parameters with inspect.signature, which for a builtin parses its text
        signature with tokenize, whose big regex is compiled then: ~15 M instructions.)"""
        gc.freeze()
        self._resume_collector()

    def _resume_collector(self) -> None:
        if self._gc_paused:
            self._gc_paused = False
            gc.enable()

    def on_unmount(self) -> None:
        self._resume_collector()  # closed before its first frame
        self.ctx.close()  # closing the last connection checkpoints the -wal too
        if self._gc_thresholds is not None:
            gc.set_threshold(*self._gc_thresholds)

    # -- upkeep while the learner reads -----------------------------------------------------
    def upkeep_later(self) -> None:
        """After a committed answer: once no other came for :data:`UPKEEP_IDLE_S` (the
        timer restarts at each; so 0.5–1 s after the last), run a full garbage collection
        if one is due (:func:`quizapp.collector.collect_if_due`) and copy the progress
        file's -wal into the main file in a thread (the answer was on disk before the
        screen moved on; see :meth:`quizapp.srs.connection.Connection.checkpoint_on_idle`)."""
        if self._upkeep_timer is None:
            self._upkeep_timer = self.set_timer(UPKEEP_IDLE_S, self._upkeep)
        else:
            self._upkeep_timer.reset()

    def _upkeep(self) -> None:
        self._upkeep_timer = None
        if self.leaving:
            return
        collect_if_due()
        self.run_worker(
            self.ctx.store.checkpoint, thread=True, group="checkpoint", exit_on_error=False
        )

    # -- stylesheets that come when first needed --------------------------------------------
    def use_styles(self, *names: str) -> None:
        """Add ``styles/<name>.tcss`` to the app's stylesheet, once each, before what they
        style is mounted. Only the new file is parsed (the stylesheet keeps the others'
        rules; a screen's CSS_PATH would re-parse every file). Each file styles its own
        widgets only, so the order the files come in changes no rule's outcome."""
        stylesheet = self.stylesheet
        added = False
        for name in names:
            path = STYLES / f"{name}.tcss"
            if not stylesheet.has_source(str(path)):
                stylesheet.read(path)
                added = True
        if added:
            stylesheet.parse()

    def _load_screen_css(self, screen: Screen) -> None:
        # Textual's hook as a screen is installed (pushed, switched to), before its
        # widgets are styled: its STYLESHEETS first, then its CSS_PATH as Textual does.
        self.use_styles(*getattr(screen, "STYLESHEETS", ()))
        super()._load_screen_css(screen)

    def exit(
        self, result: int | None = None, return_code: int = 0, message: RenderableType | None = None
    ) -> None:
        self.leaving = True
        super().exit(result, return_code, message)

    # -- the theme (issue 10 item 13) -------------------------------------------------------
    def _apply_saved_theme(self) -> None:
        """Use the theme chosen last; from then on every change is saved for the next start."""
        saved = self.ctx.theme
        if saved and saved in self.available_themes:
            self.theme = saved
        elif saved:
            known = ", ".join(sorted(self.available_themes))
            self.notify(
                f"{self.ctx.theme_location()}: ui.theme: {saved!r} is not a theme quizapp "
                f"knows; using the default. Known themes: {known}. ctrl+p → Theme picks one.",
                title="Theme",
                severity="warning",
                timeout=20,  # a setting of the learner's is ignored: long enough to read
            )
        self.theme_changed_signal.subscribe(self, self._theme_changed)

    def _theme_changed(self, theme: Theme) -> None:
        problem = self.ctx.save_theme(theme.name)
        if problem:
            self.notify(problem, title="The theme is not saved", severity="warning")

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

    @route
    def start_study(self, request: StudyRequest, *, from_command_line: bool = False) -> bool:
        """Open a study screen on today's queue for ``request``; say so if it is empty."""
        from quizapp.tui.screens.study import StudyScreen

        session = self.ctx.start(request)
        if not session.total:
            self.notify(self.ctx.nothing_today(request), title="All done", timeout=10)
            return False
        self.push_screen(StudyScreen(session, request.title(self.ctx.catalog)))
        return True

    @route
    def start_drill(
        self, kind: str, *, seed: int | None = None, overrides: dict[str, object] | None = None
    ) -> None:
        """Free practice of one drill kind: graded and logged, the schedule untouched."""
        from quizapp.engine import drills
        from quizapp.tui.screens.study import StudyScreen

        practice = self.ctx.practice(kind, seed=seed, overrides=overrides)
        self.push_screen(StudyScreen(practice, f"Drill · {drills.info(kind).title}"))

    @route
    def start_mock(self, config: MockConfig) -> bool:
        """A mock interview as ``config`` asks; a notice when nothing can be asked."""
        from quizapp.study.mock import MockPlanError
        from quizapp.tui.screens.mock import MockScreen

        try:
            mock = self.ctx.start_mock(config)
        except MockPlanError as exc:
            self.notify(str(exc), title="Mock interview", severity="warning")
            return False
        self.push_screen(MockScreen(mock))
        return True

    @route
    def open_lab(self, experiment: str | None = None, *, session: LabSession | None = None) -> None:
        """The trajectory lab (free play, or a guided ``experiment``); leaving it returns to
        the screen beneath, or home when it was opened from the command line."""
        from quizapp.study.lab import LabSession
        from quizapp.tui.screens.lab import LabScreen

        lab = session or LabSession(experiment=experiment)
        self.push_screen(
            LabScreen(lab), lambda _: self.go_home() if len(self.screen_stack) <= 1 else None
        )

    def action_lab(self) -> None:
        self.open_lab()

    def action_review(self) -> None:
        self.start_study(StudyRequest())

    @route
    def action_drill(self) -> None:
        from quizapp.tui.screens.drill_pick import DrillPickScreen

        def picked(kind: str | None) -> None:
            if kind:
                self.start_drill(kind)

        self.push_screen(DrillPickScreen(), picked)

    @route
    def action_mock(self) -> None:
        from quizapp.tui.screens.mock_setup import MockSetupScreen

        self.push_screen(MockSetupScreen())

    @route
    def action_stats(self) -> None:
        from quizapp.tui.screens.stats import StatsScreen

        self.push_screen(StatsScreen())

    @route
    def action_browse(self) -> None:
        """The item browser; "study these" there opens a session on its results."""
        from quizapp.tui.screens.browse import BrowseScreen
        from quizapp.tui.screens.study import StudyScreen

        ctx = self.ctx
        browser = ctx.browser()

        def open_browser(query: str = "") -> None:
            screen = BrowseScreen(browser, query)

            def chosen(ids: list[str] | None) -> None:
                if not ids:
                    return
                # the browser comes back under the session (same search, fresh figures):
                # leaving the session or its summary returns to it, as in Anki
                open_browser(screen.query_text)
                session = browser.study_these(ids, ctx.scheduler, ctx.rng)
                if not session.total:
                    self.notify(
                        "Those items are all suspended or buried.", title="Nothing to study"
                    )
                    return
                title = study_these_title(len(ids), session.total)
                self.push_screen(StudyScreen(session, title, returns=True))

            self.push_screen(screen, chosen)

        open_browser()

    @route
    def action_help(self) -> None:
        from quizapp.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())


# -- entry points used by quizapp/commands ----------------------------------------------------
def open_context(catalog: Catalog) -> AppContext | None:
    """Open the progress store with the learner's settings (config.toml); when either
    cannot be used, print the message and return None (the command exits 1)."""
    try:
        ctx = AppContext.open(catalog)
    except ContextError as exc:
        print(f"quizapp: {exc}", file=sys.stderr)
        return None
    warning = ctx.daily_backup()  # the study day's first start backs the progress file up
    if warning:
        print(f"quizapp: warning: {warning}", file=sys.stderr)
    return ctx


def launch(ctx: AppContext, **kwargs: object) -> int:
    app = QuizApp(ctx, **kwargs)  # type: ignore[arg-type]
    result = app.run()
    return int(result or 0)


def run_app(catalog: Catalog) -> int:
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


def run_drill(
    catalog: Catalog,
    kind: str | None,
    *,
    seed: int | None = None,
    overrides: dict[str, object] | None = None,
) -> int:
    """``quizapp drill [KIND]`` without ``--json``: the drill screen (or the kind picker)."""
    ctx = open_context(catalog)
    if ctx is None:
        return 1
    return launch(ctx, start="drill", drill_kind=kind, drill_seed=seed, drill_overrides=overrides)


def run_lab(catalog: Catalog, session: LabSession) -> int:
    """``quizapp lab`` in a terminal: the lab (home beneath when it is left)."""
    ctx = open_context(catalog)
    if ctx is None:
        return 1
    return launch(ctx, start="lab", lab=session)


def run_mock(catalog: Catalog, config: MockConfig) -> int:
    """``quizapp mock``: straight into an interview (home beneath)."""
    ctx = open_context(catalog)
    if ctx is None:
        return 1
    return launch(ctx, start="mock", mock_config=config)
