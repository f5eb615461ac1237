"""Replaying one item's merged log with FSRS (for :mod:`quizapp.srs.merge`).

The answers are taken in time order through ``fsrs.Scheduler.review_card`` with this home's
settings (fuzz off), as :class:`~quizapp.srs.scheduler.ReviewScheduler` took them: cram and
free practice are logged but move nothing, a lapse is an Again in review state, the leech
rule is the scheduler's. A reset (the browser's) is a cut in time: from it on the item is new
again and only later answers count. Each answer's derived columns (study day, state and
interval before, first of its day) come out of the same pass.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from fsrs import Card, Rating, State

from quizapp.srs.days import from_ms, to_ms
from quizapp.srs.records import NEW, CardState
from quizapp.srs.scheduler import SchedulerConfig, balanced_interval
from quizapp.srs.store import Store

__all__ = ["LoggedReview", "Replay", "merged_cut", "replay", "replayed_state", "reset_cut"]


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
    config: SchedulerConfig, merged: list[LoggedReview], cut: int | None, card_id: int
) -> Replay:
    fsrs = config.fsrs_scheduler()
    fsrs.enable_fuzzing = False
    threshold = config.leech_threshold
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
        out.card, _ = fsrs.review_card(start, rating, at, review.duration_ms)
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


def replayed_state(
    store: Store,
    config: SchedulerConfig,
    replay: Replay,
    base: CardState | None,
    item_id: str,
    card_id: int,
) -> CardState:
    """The item's state after the replay (a review interval load-balanced as an answer is)."""
    base = base or CardState(item_id=item_id, kind="")
    card = replay.card
    if card is None:
        return base.replace(state=NEW, step=None, stability=None, difficulty=None, due=None,
            last_review=None, first_review=None, reps=0, lapses=0, leech=False, card_id=card_id,
        )  # fmt: skip
    due = card.due
    if config.balancing() and card.state == State.Review and card.last_review is not None:
        days = balanced_interval(store, config, card.last_review, card.due)
        due = card.last_review + timedelta(days=days)
    return base.replace(
        state=int(card.state),
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=due,
        last_review=card.last_review,
        first_review=from_ms(replay.first_review) if replay.first_review is not None else None,
        reps=replay.reps,
        lapses=replay.lapses,
        leech=bool(replay.leech_by),
        card_id=card_id,
    )
