"""Replaying one item's merged log with FSRS (for :mod:`quizapp.srs.merge`).

The answers are taken in time order through the scheduler's own rule,
:func:`quizapp.srs.intervals.next_cards` (FSRS, then Anki's order of the passing intervals
and the fuzz seeded by the item and its review count), with this home's settings, as
:class:`~quizapp.srs.scheduler.ReviewScheduler` took them: cram and free practice are logged
but move nothing, a lapse is an Again in review state, the leech rule is the scheduler's. A
reset (the browser's) is a cut in time: from it on the item is new again and only later
answers count. Each answer's derived columns (study day, state and interval before, first of
its day) come out of the same pass.

What a replay of a home's own log promises (tests/unit/test_srs_replay.py):

* without load balancing, every state the scheduler stored (state, step, stability,
  difficulty, due, last review, reps, lapses) is reproduced exactly, after every answer;
* with load balancing, the memory state (state, step, stability, difficulty, last review)
  is still exact: FSRS's next state depends on the time since the last review, never on
  the due day. A review's due day is not: balancing picked the least-loaded day of its
  fuzz range from the *other* items' dues at answer time, which no log keeps. The replay
  places the last answer's review with ``load`` (the merge passes today's loads, so the
  due lands in the same range, on the day that is least loaded now; given the loads the
  answer saw, it is the stored day) and every earlier one with the seeded fuzz, so the
  "interval before" it derives for a later answer may differ from the logged one by the
  balancing's choice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from fsrs import Card, Rating, State

from quizapp.srs.days import from_ms, to_ms
from quizapp.srs.intervals import next_cards
from quizapp.srs.records import NEW, CardState
from quizapp.srs.scheduler import SchedulerConfig

#: Load balancing for a replayed answer: (answer time, interval, low, high) -> the interval.
ReplayLoad = Callable[[datetime, int, int, int], int]

__all__ = [
    "LoggedReview",
    "Replay",
    "ReplayLoad",
    "merged_cut",
    "replay",
    "replayed_state",
    "reset_cut",
]


@dataclass(frozen=True, slots=True)
class LoggedReview:
    """One answer as it travels between homes (times in epoch ms).

    ``day``, ``prev_state``, ``prev_ivl`` and ``first_of_day`` are what the home that recorded
    it derived (its study day, the state and interval before); a merge recomputes them
    where the merged history differs.
    """

    uid: str
    item_id: str
    kind: str
    ts: int
    mode: str
    rating: int
    correct: bool
    duration_ms: int | None = None
    answer: str | None = None
    seed: int | None = None
    mistake: str | None = None
    meta: dict[str, Any] | None = None
    day: int | None = None
    prev_state: int = NEW
    prev_ivl: float | None = None
    first_of_day: bool = True

    @property
    def moves_schedule(self) -> bool:
        """Cram and free practice are logged but never move the schedule."""
        return self.mode != "cram" and not (self.meta or {}).get("practice")


def reset_cut(state: CardState | None, reviews: list[LoggedReview]) -> int | None:
    """When a reset (browser) on this side began the item's counted history again, if it did."""
    counted = [r.ts for r in reviews if r.moves_schedule]
    if state is None or not counted:
        return None
    if state.state == NEW and state.answered:
        return max(counted) + 1  # reset, nothing answered since
    if state.first_review is not None:
        first = to_ms(state.first_review)
        if min(counted) < first:
            return first
    return None


def merged_cut(
    mine: CardState | None,
    my_reviews: list[LoggedReview],
    theirs: CardState | None,
    their_reviews: list[LoggedReview],
) -> int | None:
    cuts = [
        x for x in (reset_cut(mine, my_reviews), reset_cut(theirs, their_reviews)) if x is not None
    ]
    return max(cuts) if cuts else None


@dataclass
class Replay:
    card: Card | None = None  # None: new (never answered since the cut)
    reps: int = 0
    lapses: int = 0
    first_review: int | None = None
    leech_by: list[str] = field(default_factory=list)  # uids of answers that made it a leech
    derived: dict[str, tuple[int, int, float | None, bool]] = field(default_factory=dict)

    def leech_after(self, *, new: list[LoggedReview]) -> bool:
        """Did one of the answers in ``new`` make the item a leech?"""
        return bool(set(self.leech_by) & {r.uid for r in new})


def replay(
    config: SchedulerConfig,
    merged: list[LoggedReview],
    cut: int | None,
    card_id: int,
    *,
    load: ReplayLoad | None = None,
) -> Replay:
    """Take the item's answers ``merged`` (time order) as the scheduler took them. With
    load balancing on, ``load`` places the last schedule-moving answer's review interval
    (see the module's docstring); without it every review keeps its seeded fuzz."""
    fsrs = config.fsrs_scheduler()
    fsrs.enable_fuzzing = False  # next_cards fuzzes, as the scheduler's does
    threshold = config.leech_threshold
    balancing = load is not None and config.balancing()
    moving = [r for r in merged if r.moves_schedule and (cut is None or r.ts >= cut)]
    last_uid = moving[-1].uid if moving and balancing else None
    out = Replay()
    crossed = cut is None
    for review in merged:
        if not crossed and review.ts >= cut:  # type: ignore[operator]
            crossed = True
            out = Replay(derived=out.derived)  # the reset: new again, lapses and leech cleared
        at = from_ms(review.ts)
        day = config.today(at)
        card = out.card
        prev_state = int(card.state) if card is not None else NEW
        prev_ivl = None
        if card is not None and card.due is not None and card.last_review is not None:
            prev_ivl = (card.due - card.last_review).total_seconds() / 86400.0
        last = card.last_review if card is not None else None
        first_of_day = last is None or last < config.day_bounds(day)[0]
        out.derived[review.uid] = (day, prev_state, prev_ivl, first_of_day)
        if not review.moves_schedule:
            continue
        start = card if card is not None else CardState(item_id="", kind="").to_fsrs(card_id)
        rating = Rating(review.rating)
        placing = None
        if review.uid == last_uid and load is not None:

            def placing(interval: int, low: int, high: int, at: datetime = at) -> int:
                return load(at, interval, low, high)

        out.card = next_cards(
            fsrs,
            start,
            at,
            seed=f"{review.item_id}\0{out.reps}",  # the scheduler's: item and its reps
            fuzz=config.enable_fuzzing,
            load=placing,
            rating=rating,
        )[rating]
        lapsed = prev_state == State.Review and rating == Rating.Again
        out.lapses += lapsed
        if (
            lapsed
            and out.lapses >= threshold
            and (out.lapses - threshold) % max(1, threshold // 2) == 0
        ):
            out.leech_by.append(review.uid)
        out.reps += 1
        out.first_review = out.first_review or review.ts
    return out


def replayed_state(replay: Replay, base: CardState | None, item_id: str, card_id: int) -> CardState:
    """The item's state after the replay."""
    base = base or CardState(item_id=item_id, kind="")
    card = replay.card
    if card is None:
        return base.replace(state=NEW, step=None, stability=None, difficulty=None, due=None,
            last_review=None, first_review=None, reps=0, lapses=0, leech=False, card_id=card_id,
        )  # fmt: skip
    return base.replace(
        state=int(card.state),
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=card.due,
        last_review=card.last_review,
        first_review=from_ms(replay.first_review) if replay.first_review is not None else None,
        reps=replay.reps,
        lapses=replay.lapses,
        leech=bool(replay.leech_by),
        card_id=card_id,
    )
