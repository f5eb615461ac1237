"""FSRS scheduling of items (the ``fsrs`` package, FSRS-6) on top of the store.

:class:`ReviewScheduler` turns an answer into the next FSRS card state and commits it
with the review-log row in one transaction before returning. Lapses, leeches, cram
mode and undo are quizapp's additions around ``fsrs.Scheduler.review_card``.
"""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Any, Literal

from quizapp.srs.days import (
    Clock,
    SystemClock,
    day_start,
    from_ms,
    resolve_tz,
    study_day,
    utc_now_ms,
)
from quizapp.srs.records import MODES, NEW, CardState
from quizapp.srs.store import Store, StoreError

if TYPE_CHECKING:  # imported when the first answer is recorded (quizapp.srs.answers), and
    # fsrs (~11 M instructions) with the first answer or preview
    from fsrs import Rating, Scheduler

    from quizapp.srs.answers import AnswerResult, Review, ReviewDraft, UndoResult

__all__ = ["Rating", "ReviewScheduler", "SchedulerConfig"]

Mode = Literal["review", "study", "cram", "mock"]


#: Upper bounds of the settings a learner writes in config.toml.
MAX_PER_DAY = 100_000
MAX_STEP = timedelta(days=36500)

#: Every setting and its default (as in Anki/FSRS). The constraints on each live in one
#: place, the pydantic model :class:`quizapp.srs.settings_model.SchedulerSettings`.
DEFAULTS: dict[str, Any] = {
    "desired_retention": 0.90,
    "maximum_interval": 36500,
    "learning_steps": (timedelta(minutes=1), timedelta(minutes=10)),
    "relearning_steps": (timedelta(minutes=10),),
    "enable_fuzzing": True,
    "parameters": None,
    "new_per_day": 20,
    "reviews_per_day": 200,
    "day_starts_at_hour": 4,
    "timezone": None,
    "leech_threshold": 8,
    "learn_ahead_minutes": 20,
    "max_kind_run": 2,
    "load_balance": True,
    "easy_days": {},  # copied per instance
}

#: The inclusive range of every integer setting: the pydantic model's bounds, and what
#: :func:`_plain` checks without it.
INT_RANGES: dict[str, tuple[int, int]] = {
    "maximum_interval": (1, 36500),  # days (100 years at most)
    "new_per_day": (0, MAX_PER_DAY),
    "reviews_per_day": (0, MAX_PER_DAY),
    "day_starts_at_hour": (0, 23),
    "leech_threshold": (1, 1000),
    "learn_ahead_minutes": (0, 1440),  # a day at most
    "max_kind_run": (1, 100),
}
#: The on/off settings.
BOOL_SETTINGS = ("enable_fuzzing", "load_balance")
#: desired_retention lies strictly between these.
RETENTION_BOUNDS = (0.0, 1.0)


def _plain(values: dict[str, Any]) -> dict[str, Any] | None:
    """Every setting's value when each given one is a plain number or switch that the
    pydantic model accepts as it is (an int of its type in its range, a bool, a retention
    strictly between 0 and 1); None when any is not, for the model to validate — and to word
    the error. A session with, say, ``new_per_day = 100`` then never imports pydantic
    (about 10 MiB and 70 ms)."""
    for name, value in values.items():
        if name in INT_RANGES:
            low, high = INT_RANGES[name]
            if type(value) is not int or not low <= value <= high:
                return None
        elif name in BOOL_SETTINGS:
            if type(value) is not bool:
                return None
        elif name == "desired_retention":
            low, high = RETENTION_BOUNDS
            if type(value) is not float or not low < value < high:
                return None
        else:  # steps, weights, zone, easy days: the model's validators
            return None
    return {**DEFAULTS, "easy_days": {}, **values}


class SchedulerConfig:
    """Scheduling settings (defaults as in Anki/FSRS; ``enable_fuzzing=False`` in tests).

    Frozen, keyword-only. The defaults (``SchedulerConfig()``, or a config.toml without
    ``[scheduling]`` values) need no validation and import no pydantic — the first card's
    path; plain numbers and switches in range are checked without it (:func:`_plain`); any
    other value given is validated and coerced by the pydantic model
    :class:`~quizapp.srs.settings_model.SchedulerSettings` (its ``ValidationError``, a
    ``ValueError``, for a bad or unknown one)."""

    desired_retention: float
    maximum_interval: int  # days (100 years at most)
    learning_steps: tuple[timedelta, ...]
    relearning_steps: tuple[timedelta, ...]
    enable_fuzzing: bool
    parameters: tuple[float, ...] | None  # FSRS weights; None = defaults
    new_per_day: int
    reviews_per_day: int
    day_starts_at_hour: int  # local hour a study day starts
    timezone: str | None  # IANA zone for study days; None = system local
    leech_threshold: int  # lapses that make an item a leech
    learn_ahead_minutes: int  # learning steps due this soon are shown now
    max_kind_run: int  # longest run of one kind the queue serves
    load_balance: bool  # place review intervals on the least-loaded day of the fuzz range
    easy_days: dict[str, float]  # weekday (mon..sun) -> share of a normal load, 0..1

    def __init__(self, **values: Any) -> None:
        plain = _plain(values)  # the defaults when nothing is given
        if plain is None:
            from quizapp.srs.settings_model import validate

            plain = validate(values)
        self._set(plain)

    def _set(self, values: dict[str, Any]) -> None:
        for name in DEFAULTS:
            object.__setattr__(self, name, values[name])

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"SchedulerConfig is frozen: cannot set {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"SchedulerConfig is frozen: cannot delete {name!r}")

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in DEFAULTS)

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self._values() == other._values()  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in DEFAULTS)
        return f"SchedulerConfig({shown})"

    def model_copy(self, *, update: dict[str, Any] | None = None) -> SchedulerConfig:
        """A copy with ``update`` applied, not validated (as pydantic's ``model_copy``)."""
        unknown = set(update or {}) - set(DEFAULTS)
        if unknown:
            raise ValueError(f"unknown setting(s): {', '.join(sorted(unknown))}")
        copy = object.__new__(type(self))
        copy._set({**{name: getattr(self, name) for name in DEFAULTS}, **(update or {})})
        return copy

    def fsrs_scheduler(self) -> Scheduler:
        from fsrs import Scheduler

        kwargs: dict[str, Any] = {}
        if self.parameters is not None:
            kwargs["parameters"] = self.parameters
        return Scheduler(
            desired_retention=self.desired_retention,
            learning_steps=self.learning_steps,
            relearning_steps=self.relearning_steps,
            maximum_interval=self.maximum_interval,
            enable_fuzzing=self.enable_fuzzing,
            **kwargs,
        )

    def balancing(self) -> bool:
        """Whether review intervals are load-balanced (needs fuzzing, as in Anki)."""
        return self.enable_fuzzing and self.load_balance

    def tz(self) -> tzinfo | None:
        return resolve_tz(self.timezone)

    def today(self, now: datetime) -> int:
        """Study-day ordinal of ``now``."""
        return study_day(now, self.day_starts_at_hour, self.tz())

    def day_bounds(self, day: int) -> tuple[datetime, datetime]:
        """UTC [start, end) of study day ``day``."""
        tz = self.tz()
        return day_start(day, self.day_starts_at_hour, tz), day_start(
            day + 1, self.day_starts_at_hour, tz
        )


class ReviewScheduler:
    """Schedules answers with FSRS and records them in ``store``; time comes from ``clock``."""

    def __init__(
        self, store: Store, config: SchedulerConfig | None = None, clock: Clock | None = None
    ) -> None:
        self.store = store
        self.config = config or SchedulerConfig()
        self.clock = clock if clock is not None else SystemClock()
        self._fsrs_scheduler: Scheduler | None = None
        self._mine: list[Review] = []  # this instance's answers, for undo

    @property
    def _fsrs(self) -> Scheduler:
        """FSRS's scheduler for ``config``, made when first used (a review's first card
        uses none: its intervals are previewed at the reveal)."""
        if self._fsrs_scheduler is None:
            self._fsrs_scheduler = self.config.fsrs_scheduler()
            # the interval before fuzz: intervals.py fuzzes it (or balance.py places it)
            self._fsrs_scheduler.enable_fuzzing = False
        return self._fsrs_scheduler

    # ---------------------------------------------------------------- preview
    def preview(self, item_id: str) -> dict[Rating, timedelta]:
        """Interval until the next due time for each rating, as if answered now (for buttons)."""
        now = utc_now_ms(self.clock)
        state = self.store.get(item_id) or CardState(item_id=item_id, kind="")
        cards = self._next_cards(state, state.card_id or 0, now)
        return {rating: card.due - now for rating, card in cards.items()}

    def _next_cards(
        self, state: CardState, card_id: int, now: datetime, rating: Rating | None = None
    ) -> dict[Rating, Any]:
        """The fsrs card each rating (or ``rating``) leads to from ``state`` (Anki's order of
        the passing intervals, fuzz seeded by the item and its review count: intervals.py)."""
        from quizapp.srs.intervals import next_cards

        cfg = self.config
        load = None
        if cfg.balancing():

            def load(interval: int, low: int, high: int) -> int:
                return balanced_in_range(self.store, cfg, now, interval, low, high)

        return next_cards(
            self._fsrs,
            state.to_fsrs(card_id),
            now,
            seed=f"{state.item_id}\0{state.reps}",
            fuzz=cfg.enable_fuzzing,
            load=load,
            rating=rating,
        )

    def retrievability(self, state: CardState, now: datetime | None = None) -> float | None:
        """FSRS retrievability R = (1 + F t / S)^-d of an answered item, None for new."""
        if state.state == NEW or state.stability is None:
            return None
        now = now or utc_now_ms(self.clock)
        return self._fsrs.get_card_retrievability(state.to_fsrs(0), now)

    # ----------------------------------------------------------------- answer
    def answer(
        self,
        item_id: str,
        kind: str,
        rating: Rating | int,
        *,
        mode: Mode = "review",
        answer: str | None = None,
        seed: int | None = None,
        mistake: str | None = None,
        correct: bool | None = None,
        duration_ms: int | None = None,
        deck: str | None = None,
        topic: str | None = None,
        subkind: str | None = None,
        meta: dict[str, Any] | None = None,
        _replacing: Review | None = None,
    ) -> AnswerResult:
        """Record an answer; FSRS state and log row are committed before this returns.

        ``correct`` defaults to ``rating != Again``. ``subkind`` is the drill kind (e.g.
        "adam-step") for accuracy by drill kind. In ``mode="cram"`` the answer is logged
        but the schedule is untouched. A lapse (Again on an item in review state)
        counts toward the leech threshold; reaching it (and every half threshold after,
        as in Anki) suspends the item and tags it "leech".
        """
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
        from fsrs import Rating, State

        from quizapp.srs.answers import AnswerResult, ReviewDraft

        rating = Rating(int(rating))
        correct = rating != Rating.Again if correct is None else bool(correct)
        now = utc_now_ms(self.clock)
        cfg = self.config
        today = cfg.today(now)
        today_start = cfg.day_bounds(today)[0]
        flags: dict[str, Any] = {}

        def compute(before: CardState | None, card_id: int) -> tuple[CardState, ReviewDraft]:
            base = before or CardState(item_id=item_id, kind=kind)
            base = base.replace(
                card_id=card_id,
                kind=kind or base.kind,
                deck=deck if deck is not None else base.deck,
                topic=topic if topic is not None else base.topic,
                subkind=subkind if subkind is not None else base.subkind,
                answered=base.answered + 1,
                n_correct=base.n_correct + int(correct),
            )
            first_of_day = base.last_review is None or base.last_review < today_start
            draft = ReviewDraft(
                at=now, day=today, mode=mode, rating=rating, correct=correct,
                duration_ms=duration_ms, answer=answer, seed=seed, mistake=mistake,
                first_of_day=first_of_day, meta=meta,
            )  # fmt: skip
            if mode == "cram":
                return base, draft
            card = self._next_cards(base, card_id, now, rating)[rating]
            lapsed = base.state == State.Review and rating == Rating.Again
            lapses = base.lapses + int(lapsed)
            t = cfg.leech_threshold
            became_leech = lapsed and lapses >= t and (lapses - t) % max(1, t // 2) == 0
            flags.update(lapsed=lapsed, became_leech=became_leech)
            after = base.replace(
                state=int(card.state),
                step=card.step,
                stability=card.stability,
                difficulty=card.difficulty,
                due=card.due,
                last_review=card.last_review,
                first_review=base.first_review or now,
                reps=base.reps + 1,
                lapses=lapses,
                suspended=base.suspended or became_leech,
                leech=base.leech or became_leech,
            )
            return after, draft

        if _replacing is None:
            review, after, before = self.store.apply_answer(item_id, kind, compute)
            self._mine.append(review)
        else:  # rerate: the old answer out and this one in, one transaction
            done = self.store.rerate(_replacing, item_id, kind, compute)
            if done is None:
                raise _AnsweredElsewhere
            review, after, before = done
            self._mine[-1] = review
        interval = after.due - now if after.due is not None and mode != "cram" else None
        return AnswerResult(
            review=review,
            state=after,
            previous=before,
            due=after.due,
            interval=interval,
            became_leech=bool(flags.get("became_leech")),
            lapsed=bool(flags.get("lapsed")),
        )

    def rerate(
        self, item_id: str, kind: str, rating: Rating | int, **fields: Any
    ) -> AnswerResult | None:
        """Replace this scheduler's last answer (to ``item_id``) by one rated ``rating``.

        ``fields`` are :meth:`answer`'s keywords (mode, answer, seed, ...). The old
        answer is taken back and the new one recorded in one transaction, so a kill or
        a database error leaves exactly one of them (F2). None, with nothing changed,
        when there is no own answer to replace or its item was answered elsewhere since.
        """
        if not self._mine:
            return None
        last = self._mine[-1]
        if last.item_id != item_id:
            raise ValueError(f"the last answer was to {last.item_id!r}, not {item_id!r}")
        try:
            return self.answer(item_id, kind, rating, _replacing=last, **fields)
        except _AnsweredElsewhere:
            self._mine.pop()  # it can never be taken back now
            return None

    def undo_last(self) -> UndoResult | None:
        """Take back the most recent answer: exact previous state restored, log row removed.

        This scheduler's own answers are taken back first (newest first), so a second
        quizapp on the same file never has its answer undone by this one; an own answer
        whose item was answered again elsewhere since cannot be undone (None). With no
        own answers left (e.g. after a restart) the newest answer in the file is undone.
        """
        if self._mine:
            result = self.store.undo_last(self._mine[-1])
            self._mine.pop()  # only now: after a StoreError the answer can still be undone
        else:
            result = self.store.undo_last()
        if result is None:
            return None
        from quizapp.srs.answers import UndoResult

        return UndoResult(review=result[0], state=result[1])


def balanced_in_range(
    store: Store, cfg: SchedulerConfig, now: datetime, interval: int, low: int, high: int
) -> int:
    """The least-loaded interval in [low, high] days (ties: nearest ``interval``)."""
    from quizapp.srs.balance import pick_in_range

    today = cfg.today(now)
    first, last = cfg.day_bounds(today + low)[0], cfg.day_bounds(today + high)[1]
    counts: dict[int, int] = {}
    for ms in store.due_between(first, last):
        day = cfg.today(from_ms(ms))
        counts[day] = counts.get(day, 0) + 1
    return pick_in_range(interval, low, high, today, lambda d: counts.get(d, 0), cfg.easy_days)


class _AnsweredElsewhere(Exception):
    """The answer to replace is no longer its item's latest (see ``rerate``)."""


__all__ += ["StoreError"]


def __getattr__(name: str) -> Any:
    if name == "Rating":  # re-exported; fsrs is imported when it is first asked for
        from fsrs import Rating

        return Rating
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
