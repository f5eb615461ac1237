"""Fixtures for the TUI tests: a small deck in tmp_path, a FakeClock, a seeded rng, and a
context on a store inside the per-test QUIZAPP_HOME. No test depends on the shipped deck."""

from __future__ import annotations

import os
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.css.stylesheet import Stylesheet

from quizapp.decks.loader import Catalog, load_paths
from quizapp.srs.scheduler import SchedulerConfig
from quizapp.study.clock import FakeClock
from quizapp.study.context import AppContext

DECK = """
deck = "testdeck"
title = "Test deck"
topic = "adam"

[[flashcard]]
id = "t.card.bias"
front = "Why does Adam need bias correction?"
back = "m and v start at 0, so early averages are biased toward 0."
hint = "What is m after one step from zero?"
deeper = "Dividing by 1 − βᵗ undoes the bias."

[[flashcard]]
id = "t.card.eps"
topic = "basics"
front = "What does ε do in Adam?"
back = "It keeps the denominator away from zero."

[[trap]]
id = "t.trap.adam-lr"
claim = "Adam needs no learning-rate tuning."
why_wrong = "Adam rescales per coordinate but the global step size η still matters."
correct = "Adam's lr still needs tuning; 1e-3 is only a default."
distractors = [
  "Adam keeps two moment estimates per parameter.",
  "Adam's first step has size about η per coordinate.",
]
why_true = [
  "m (the mean of g) and v (the mean of g²), one of each per parameter.",
  "At t = 1, m̂/√v̂ = g/|g| = ±1, so the step is η in each coordinate.",
]
source = "Kingma & Ba, 2015; torch docs: torch.optim.Adam"

[[drill]]
id = "t.drill.bias"
drill = "bias-correction"
"""


#: Parsed Textual CSS by (source text, location, defaults, tie breaker, scope, variables):
#: one parse per worker process instead of one per app start (see ``_css_parsed_once``)
_PARSED_CSS: dict[tuple[object, ...], list[Any]] = {}
_parse_rules = Stylesheet._parse_rules


def _parse_rules_once(
    self: Stylesheet,
    css: str,
    read_from: Any,
    is_default_rules: bool = False,
    tie_breaker: int = 0,
    scope: str = "",
) -> list[Any]:
    variables = tuple(self._variables.items())
    key = (css, read_from, is_default_rules, tie_breaker, scope, variables)
    rules = _PARSED_CSS.get(key)
    if rules is None:  # a parse that raises is not stored: the next app raises again
        rules = _parse_rules(self, css, read_from, is_default_rules, tie_breaker, scope)
        _PARSED_CSS[key] = rules
    return rules


@pytest.fixture(autouse=True)
def _css_parsed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each app start parses every CSS source it uses (the app's and each widget class's
    DEFAULT_CSS), ~16 % of an app start's CPU and ~7 % of these tests'. Textual keeps the
    parsed rules per Stylesheet, i.e. per app; here they are kept per worker process, keyed
    by everything the parse reads (the text, where it is from, its tie breaker and scope, and
    the theme's variables). The rules are the same objects Textual already shares between
    the parses of one app (its own cache), and it never changes them."""
    monkeypatch.setattr(Stylesheet, "_parse_rules", _parse_rules_once)


#: The window of Textual's idle test (``textual._wait``) in the Pilot tests, in seconds.
IDLE_WINDOW = float(os.environ.get("QUIZAPP_TEST_IDLE_MS", "5")) / 1000


@pytest.fixture(autouse=True)
def _short_idle_waits(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pilot waits for the app to be idle after each key (twice) and at each ``pause()``:
    Textual sleeps 20 ms at a time until a sleep in which the process used under 1/20 of
    it on CPU. Most of a Pilot test's time was those sleeps (a key that does nothing: 52 ms
    of wall, 4 ms of CPU). Here the window is 5 ms and the test the same (under 1/20 of the
    window on CPU): work that is still going on (a message chain, a redraw, a worker
    thread) keeps the wait going as before; a wait after nothing ends 4x sooner. The
    serial TUI run took 199 s instead of 293 s (same CPU) on a busy 2-core machine.
    QUIZAPP_TEST_IDLE_MS=20 restores Textual's own window. A Textual without these
    names keeps its own (the tests only get slower)."""
    from textual import _wait
    from textual import screen as textual_screen

    names = ("SLEEP_GRANULARITY", "SLEEP_IDLE")
    if all(hasattr(_wait, n) for n in names) and hasattr(textual_screen, "UPDATE_PERIOD"):
        monkeypatch.setattr(_wait, "SLEEP_GRANULARITY", IDLE_WINDOW)
        monkeypatch.setattr(_wait, "SLEEP_IDLE", IDLE_WINDOW / 20)
        # a screen's updates (layout, then call_after_refresh callbacks such as the
        # footer's bindings) run on a 1/60 s timer, inside Textual's 20 ms window: kept
        # inside the short window too (1/240 s), else a wait can end before them
        monkeypatch.setattr(textual_screen, "UPDATE_PERIOD", IDLE_WINDOW * 50 / 60)


@pytest.fixture(autouse=True)
def _stable_ui(monkeypatch: pytest.MonkeyPatch) -> None:
    """No cursor blink, no animations: snapshots and timings are stable.

    Textual reads TEXTUAL_ANIMATIONS once, when it is imported, so the variable alone only
    reaches the app processes a test starts; an App made in this process takes its level
    from ``textual.constants`` when it is created."""
    from textual import constants
    from textual.widgets import Input

    monkeypatch.setattr(Input, "cursor_blink", False, raising=False)
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")
    monkeypatch.setattr(constants, "TEXTUAL_ANIMATIONS", "none")


@pytest.fixture
def deck_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "decks"
    folder.mkdir()
    (folder / "test.toml").write_text(DECK, encoding="utf-8")
    return folder


@pytest.fixture
def catalog(deck_dir: Path) -> Catalog:
    catalog = load_paths([deck_dir])
    assert not catalog.errors, catalog.errors
    return catalog


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def make_ctx(catalog: Catalog, clock: FakeClock, quizapp_home: Path) -> Callable[..., AppContext]:
    """A fresh context on the same progress file (call twice to 'quit and reopen')."""

    def make(seed: int = 7) -> AppContext:
        return AppContext.open(
            catalog,
            quizapp_home / "progress.sqlite3",
            clock=clock,
            rng=random.Random(seed),
            config=SchedulerConfig(enable_fuzzing=False),
        )

    return make


@pytest.fixture
def make_app(make_ctx: Callable[..., AppContext]) -> Callable[..., object]:
    """``make_app(kind="trap")`` opens a study session on that kind; no kind = home."""
    from quizapp.study.context import StudyRequest
    from quizapp.tui.app import QuizApp

    def make(
        kind: str | None = None, *, review: bool = False, drill: str | None = None, seed: int = 7
    ) -> QuizApp:
        ctx = make_ctx(seed)
        if drill:
            return QuizApp(ctx, start="drill", drill_kind=drill)
        if review:
            return QuizApp(ctx, start="review", request=StudyRequest())
        if kind:
            return QuizApp(ctx, start="study", request=StudyRequest(mode="study", kind=kind))
        return QuizApp(ctx)

    return make
