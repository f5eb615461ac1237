"""What the app works on: the catalog, the progress store, the clock and the rng.

:class:`AppContext` is the one seam between the screens and everything below them: a
screen reaches the catalog, the store and the scheduler only through it (``app.ctx``),
and gets sessions (study, cram, drill practice, mock interview), the home overview and
the stats from it. Plain Python (no Textual) so that commands can open it, report a
StoreError and exit *before* any screen is drawn, and tests can inject a FakeClock, a
seeded rng and a store in a temporary folder.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from quizapp.decks.loader import Catalog
from quizapp.plain import Frozen
from quizapp.srs.errors import StoreError
from quizapp.srs.scheduler import ReviewScheduler, SchedulerConfig
from quizapp.srs.store import Store
from quizapp.study import start
from quizapp.study.clock import Clock, SystemClock
from quizapp.study.format import topic_title
from quizapp.study.queue import QueueFilter, build_queue
from quizapp.study.session import Mode, StudySession

# Mock interviews, drill practice, the stats and the home overview are imported when first
# asked for: a review's first card needs none of them.
if TYPE_CHECKING:
    from quizapp.srs.stats import Stats
    from quizapp.study.browse import Browser
    from quizapp.study.mock import MockConfig, MockInterview
    from quizapp.study.outcome import SessionSummary
    from quizapp.study.overview import Overview
    from quizapp.study.practice import DrillPractice

__all__ = [
    "KINDS",
    "AppContext",
    "ContextError",
    "RequestError",
    "StoreError",
    "StudyRequest",
    "check_request",
]

KINDS = ("flashcard", "trap", "drill")


class StudyRequest(Frozen):
    """What to study: a filter over the catalog, and whether to cram (no scheduling)."""

    __slots__ = ("mode", "deck", "topic", "tag", "kind", "cram")
    mode: Literal["review", "study"]
    deck: str | None
    topic: str | None
    tag: str | None
    kind: str | None
    cram: bool

    def __init__(
        self,
        mode: Literal["review", "study"] = "review",
        deck: str | None = None,
        topic: str | None = None,
        tag: str | None = None,
        kind: str | None = None,
        cram: bool = False,
    ) -> None:
        setattr_ = object.__setattr__
        setattr_(self, "mode", mode)
        setattr_(self, "deck", deck)
        setattr_(self, "topic", topic)
        setattr_(self, "tag", tag)
        setattr_(self, "kind", kind)
        setattr_(self, "cram", cram)

    def queue_filter(self) -> QueueFilter:
        def one(value: str | None) -> frozenset[str] | None:
            return frozenset({value}) if value else None

        return QueueFilter(
            decks=one(self.deck), topics=one(self.topic), tags=one(self.tag), kinds=one(self.kind)
        )

    def title(self, catalog: Catalog) -> str:
        if self.mode == "review" and not (self.deck or self.topic or self.tag or self.kind):
            return "Review"
        parts = ["Cram" if self.cram else "Study"]
        if self.deck:
            deck = catalog.decks.get(self.deck)
            parts.append(deck.title if deck else self.deck)
        if self.topic:  # as the home table and the cards name it: "lr tuning"
            parts.append(topic_title(self.topic))
        if self.tag:
            parts.append(f"#{self.tag}")
        if self.kind:
            parts.append(f"{self.kind}s")
        return " · ".join(parts)


class ContextError(Exception):
    """The progress file or the settings cannot be used; the message names the file, what
    is wrong and what to do (the store's or the settings' own message)."""


class RequestError(ValueError):
    """A study request naming a deck, topic, tag or kind the catalog does not have."""


class AppContext:
    """Catalog + store + scheduler + clock + rng; owned by the app, closed on exit."""

    def __init__(
        self,
        catalog: Catalog,
        store: Store,
        clock: Clock | None = None,
        rng: random.Random | None = None,
        config: SchedulerConfig | None = None,
        theme: str | None = None,
    ) -> None:
        self.catalog = catalog
        self.store = store
        self.clock: Clock = clock if clock is not None else SystemClock()
        self.rng = rng if rng is not None else random.Random()
        self.config = config if config is not None else SchedulerConfig()
        #: the colour theme chosen last (``config.toml`` ``[ui] theme``), None for the default
        self.theme = theme
        self.scheduler = ReviewScheduler(self.store, self.config, self.clock)
        self._session_id: int | None = None
        self._candidates: start.CandidatePool | None = None
        #: why the study day's backup could not be made (:meth:`daily_backup`), for the app
        self.backup_warning: str | None = None

    @classmethod
    def open(
        cls,
        catalog: Catalog,
        db_path: Path | None = None,
        *,
        clock: Clock | None = None,
        rng: random.Random | None = None,
        config: SchedulerConfig | None = None,
    ) -> AppContext:
        """Open the progress store, by default the learner's, with the learner's settings
        (``config.toml``: the scheduling unless ``config`` is given, and the theme). Raises
        :class:`ContextError` with the store's or the settings' own message (file, line,
        field, what to do)."""
        from quizapp import paths
        from quizapp.settings import SettingsError, load_scheduler_config, load_theme
        from quizapp.srs.day_basis import reconcile_days
        from quizapp.srs.store import StoreError

        try:
            config = config if config is not None else load_scheduler_config()
            theme = load_theme()
            store = Store.open(db_path if db_path is not None else paths.db_path())
        except (StoreError, SettingsError) as exc:
            raise ContextError(str(exc)) from exc
        try:  # study days in this zone and day start (the laptop may have travelled)
            reconcile_days(store, config)
        except StoreError as exc:
            store.close()
            raise ContextError(str(exc)) from exc
        return cls(catalog, store, clock or SystemClock(), rng or random.Random(), config, theme)

    def close(self) -> None:
        self.store.close()

    def use_config(self, config: SchedulerConfig) -> None:
        """Schedule with ``config`` from now on (new FSRS parameters from the stats
        screen's optimizer, issue 14)."""
        self.config = config
        self.scheduler = ReviewScheduler(self.store, config, self.clock)

    def daily_backup(self) -> str | None:
        """Back the progress file up on the study day's first start (issue 14); a failure
        is a warning to show (the message), never a reason not to start."""
        from quizapp.srs.backup import daily_backup
        from quizapp.srs.store import StoreError

        try:
            daily_backup(self.store.path, self.config.day_bounds(self.config.today(self.now()))[0])
        except StoreError as exc:
            self.backup_warning = str(exc)
            return self.backup_warning
        return None

    def theme_location(self) -> str:
        """``config.toml:LINE`` of the theme setting (for a notice about it)."""
        from quizapp.settings import SettingsError, theme_location

        try:
            return theme_location()
        except SettingsError:  # read fine at start; changed since: the file is enough
            from quizapp import paths

            return str(paths.config_file())

    def save_theme(self, theme: str) -> str | None:
        """Keep the theme chosen in the app for the next start (``config.toml`` ``[ui]
        theme``, edited in place: comments and other settings stay). Returns the message
        to show when the file cannot be written, else None."""
        from quizapp.settings import SettingsError, save_theme

        if theme == self.theme:
            return None
        try:
            save_theme(theme)
        except SettingsError as exc:
            return str(exc)
        self.theme = theme
        return None

    # -- sessions ---------------------------------------------------------------------------
    def candidates(self) -> start.CandidatePool:
        """The catalog as the queue sees it, in curriculum order: made as the queue reads
        it (home's counts and an unfiltered review read only a few), all at once for a
        filter, a cram or the stats (then kept)."""
        if self._candidates is None:
            self._candidates = start.CandidatePool(self.catalog)
        return self._candidates

    def queue_size(self, request: StudyRequest) -> int:
        """How many items a session for ``request`` would present today."""
        entries = build_queue(
            self.store,
            self.candidates(),
            self.clock,
            self.config,
            request.queue_filter(),
            cram=request.cram,
        )
        return len(entries)

    def nothing_today(self, request: StudyRequest) -> str:
        """What to tell the learner when a session for ``request`` has nothing to show
        today: why (the next review's time, the daily limits, new items switched off) and
        what they can do instead. Reads the whole scope: only when a session is empty."""
        from quizapp.study.format import nothing_today

        scope = build_queue(
            self.store,
            self.candidates(),
            self.clock,
            self.config,
            request.queue_filter(),
            cram=True,  # every unsuspended, unburied item the request covers
        )
        return nothing_today(
            "review" if request.mode == "review" else "study",
            items=len(scope),
            unseen=sum(1 for e in scope if e.status == "new"),
            next_due=min((e.due for e in scope if e.due is not None), default=None),
            now=self.clock.now(),
            new_per_day=self.config.new_per_day,
            reviews_per_day=self.config.reviews_per_day,
        )

    def start(self, request: StudyRequest) -> StudySession:
        """A session over today's queue for ``request`` (empty when nothing is due)."""
        mode: Mode = "cram" if request.cram else request.mode
        session = start.start_session(
            self.catalog,
            self.scheduler,
            self.clock,
            filter=request.queue_filter(),
            mode=mode,
            rng=self.rng,
            pool=self.candidates(),
        )
        if session.total:
            self._session_id = self.store.start_session(mode, self.clock.now())
        return session

    def practice(
        self,
        kind: str,
        *,
        seed: int | None = None,
        overrides: dict[str, object] | None = None,
    ) -> DrillPractice:
        """Free practice of one drill kind: graded and logged, the schedule untouched.

        Answers are logged against the deck's drill item of that kind when the catalog
        has one (so practice shows in accuracy and mistakes), and its parameter ranges
        apply unless ``overrides`` are given. A ``seed`` shows exactly the problem
        ``quizapp drill KIND --seed N --json`` describes, so the deck's ranges apply only
        to the fresh draws after it.
        """
        from quizapp.decks.models import DrillItem
        from quizapp.study.practice import DrillPractice

        entry = next(
            (e for e in self.catalog.items.values() if e.drill == kind),
            None,
        )
        if overrides is None and entry is not None and seed is None:
            assert isinstance(entry.item, DrillItem)
            overrides = dict(entry.item.params) or None
        return DrillPractice(
            kind,
            self.clock,
            self.rng,
            scheduler=self.scheduler,
            item_id=entry.id if entry else None,
            deck=entry.deck if entry else "practice",
            overrides=overrides,
            first_seed=seed,
        )

    def start_mock(self, config: MockConfig) -> MockInterview:
        """A mock interview as ``config`` asks (raises MockPlanError when nothing fits)."""
        from quizapp.study.mock import MockInterview

        return MockInterview.start(self.catalog, self.scheduler, self.clock, config)

    def browser(self) -> Browser:
        """The item browser over the catalog and the learner's progress."""
        from quizapp.study.browse import Browser

        return Browser(self.catalog, self.store, self.config, self.clock)

    def topics(self) -> list[str]:
        """Every topic of the catalog, sorted (the mock setup's choices)."""
        return sorted({e.topic for e in self.catalog.items.values()})

    def finish_session(self, summary: SessionSummary) -> None:
        """Record the end of the session started last (its counts go in the sessions table)."""
        if self._session_id is None:
            return
        self.store.end_session(
            self._session_id,
            self.clock.now(),
            {
                "answered": summary.answered,
                "correct": summary.correct,
                "graded": summary.graded,
                "again": summary.again,
                "elapsed_s": round(summary.elapsed.total_seconds(), 1),
                "studied_s": round(summary.studied_ms / 1000, 1),
            },
        )
        self._session_id = None

    # -- the home screen ------------------------------------------------------------------
    def overview(self) -> Overview:
        """The home screen's snapshot (:mod:`quizapp.study.overview`)."""
        from quizapp.study.overview import overview

        return overview(self)

    def now(self) -> datetime:
        return self.clock.now()

    # -- the stats screen -----------------------------------------------------------------
    def stats(self) -> Stats:
        """Progress figures for the stats screen: the same call ``quizapp stats`` makes."""
        from quizapp.srs.stats import compute_stats

        return compute_stats(
            self.store, self.clock, self.config, candidates=self.candidates().all()
        )


def check_request(catalog: Catalog, request: StudyRequest) -> None:
    """Raise RequestError naming what is unknown and what there is instead."""
    decks = catalog.decks
    if request.deck and request.deck not in decks:
        raise RequestError(_unknown("deck", request.deck, decks))
    if request.topic:
        pool = [decks[request.deck]] if request.deck else list(decks.values())
        topics = {t for d in pool for t in d.topics}
        if request.topic not in topics:
            raise RequestError(_unknown("topic", request.topic, topics))
    if request.kind and request.kind not in KINDS:
        raise RequestError(_unknown("kind", request.kind, KINDS))
    if request.tag:
        tags = {t for e in catalog.items.values() for t in e.tags}
        if request.tag not in tags:
            raise RequestError(_unknown("tag", request.tag, tags))


def _unknown(what: str, name: str, known: Iterable[str]) -> str:
    import difflib

    names = sorted(known)
    close = difflib.get_close_matches(name, names, n=1)
    hint = f"did you mean {close[0]!r}?" if close else f"known: {', '.join(names) or 'none'}"
    return f"unknown {what} {name!r}; {hint}"
