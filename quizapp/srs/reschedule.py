"""Reschedule every item from its review history (after new parameters or a new desired
retention), with a preview and an undo of the whole operation.

Each answered item's scheduling answers (as the optimizer counts them: no cram, nothing
from before a reset) are replayed through py-fsrs's ``Scheduler.reschedule_card`` with the
current settings, which gives the memory state (stability, difficulty, state, step). As
Anki's reschedule does (rslib ``update_memory_state``), a card in review gets FSRS's
interval for that stability, at least 1 day, fuzzed with the fuzz factor of its last answer
(seeded by the item and the review count it had then, Anki's ``get_fuzz_factor(true)``), or
with load balancing the least-loaded day of that range (deterministically, earliest reviews
placed first, so :func:`plan` shows exactly what :func:`apply` will write). It is the one
placement the rating buttons use (:func:`quizapp.srs.intervals.place`): with unchanged
settings a review keeps the day its last answer gave, unless that answer's interval had
been raised by Anki's order (Good ≥ Hard + 1, Easy ≥ Good + 1: a reschedule, like Anki's,
asks only for ≥ 1 day, so such an item may come a little earlier). Lapses, leech flags,
suspension and answer counts are kept. (Re)learning cards take their step from the replay
with the current steps (Anki leaves their due as it is: see docs/DESIGN.md).

:func:`apply` writes every moved item and an undo record (each moved item's row before
and after) in one transaction, after a backup. :func:`undo` restores the rows as they
were, in one transaction, except items answered since (their new answer is kept).
"""

from __future__ import annotations

import json
import statistics
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from fsrs import Card, ReviewLog, State

from quizapp.srs.answers import Review
from quizapp.srs.balance import pick_in_range
from quizapp.srs.days import from_ms, to_ms
from quizapp.srs.intervals import Load, constrained_range, fuzz_factor, place
from quizapp.srs.records import NEW, CardState
from quizapp.srs.scheduler import SchedulerConfig
from quizapp.srs.store import Store

__all__ = ["UNDO_KEY", "Move", "Plan", "apply", "plan", "undo", "undo_available"]

UNDO_KEY = "reschedule.undo"


@dataclass(frozen=True, slots=True)
class Move:
    """One item whose schedule changes: before and after."""

    before: CardState
    after: CardState

    @property
    def shift_days(self) -> float:
        """How many days later (negative: earlier) the item is now due."""
        if self.before.due is None or self.after.due is None:
            return 0.0
        return (self.after.due - self.before.due).total_seconds() / 86400


@dataclass(frozen=True)
class Plan:
    """What a reschedule would do: the moves and how many items stay as they are."""

    moves: tuple[Move, ...]
    unchanged: int
    at: datetime

    @property
    def earlier(self) -> int:
        return sum(1 for m in self.moves if m.shift_days < 0)

    @property
    def later(self) -> int:
        return sum(1 for m in self.moves if m.shift_days > 0)

    def summary(self) -> dict[str, object]:
        """Counts and the size of the moves (days), for the preview."""
        shifts = [m.shift_days for m in self.moves]
        buckets = Counter(_bucket(s) for s in shifts)
        return {
            "items": len(self.moves) + self.unchanged,
            "moved": len(self.moves),
            "unchanged": self.unchanged,
            "earlier": self.earlier,
            "later": self.later,
            "median_shift_days": round(statistics.median(shifts), 1) if shifts else 0.0,
            "max_earlier_days": round(max([0.0, *(-x for x in shifts)]), 1),
            "max_later_days": round(max([0.0, *shifts]), 1),
            "by_shift": {label: buckets.get(label, 0) for label in BUCKETS if buckets.get(label)},
        }


BUCKETS = (
    "earlier by >30d",
    "earlier by 8-30d",
    "earlier by 1-7d",
    "within a day",
    "later by 1-7d",
    "later by 8-30d",
    "later by >30d",
)


def _bucket(shift: float) -> str:
    size = abs(shift)
    if size < 1:
        return "within a day"
    side = "earlier" if shift < 0 else "later"
    if size <= 7.5:
        return f"{side} by 1-7d"
    return f"{side} by 8-30d" if size <= 30.5 else f"{side} by >30d"


def _history(reviews: list[Review], state: CardState) -> list[ReviewLog]:
    start = state.first_review
    return [
        ReviewLog(
            card_id=state.card_id or 0,
            rating=r.rating,
            review_datetime=r.at,
            review_duration=r.duration_ms,
        )
        for r in reviews
        if r.mode != "cram"
        and not (r.meta or {}).get("practice")
        and start is not None
        and r.at >= start
    ]


def plan(store: Store, config: SchedulerConfig, now: datetime) -> Plan:
    """Replay every answered item with ``config``; nothing is written."""
    fsrs = config.fsrs_scheduler()
    fsrs.enable_fuzzing = False
    states = store.states()
    by_item: dict[str, list[Review]] = {}
    for review in store.reviews():
        by_item.setdefault(review.item_id, []).append(review)
    replayed: list[tuple[CardState, CardState]] = []
    for item_id, state in states.items():
        logs = _history(by_item.get(item_id, []), state)
        if state.state == NEW or not logs:
            continue
        card = fsrs.reschedule_card(Card(card_id=state.card_id or 0, due=state.due), logs)
        after = state.replace(
            state=int(card.state),
            step=card.step,
            stability=card.stability,
            difficulty=card.difficulty,
            due=card.due,
            last_review=card.last_review,
        )
        replayed.append((state, after))
    replayed = _place_reviews(replayed, config)
    moves = tuple(Move(b, a) for b, a in replayed if a != b)
    return Plan(moves, len(replayed) - len(moves), now)


def _is_review(state: CardState) -> bool:
    return state.state == State.Review and bool(state.due) and bool(state.last_review)


def _interval(state: CardState) -> int:
    """FSRS's unfuzzed interval (days) of a replayed review (``reschedule_card`` ran with
    fuzz off: due − last review is its interval for the stability)."""
    assert state.due is not None and state.last_review is not None
    return (state.due - state.last_review).days


def _placed(state: CardState, config: SchedulerConfig, load: Load | None = None) -> CardState:
    """``state`` due on the day the buttons' rule gives its interval (minimum 1 day; the
    fuzz factor of its last answer, whose seed had the review count before it)."""
    assert state.last_review is not None
    days = place(
        _interval(state),
        1,
        config.maximum_interval,
        factor=fuzz_factor(f"{state.item_id}\0{max(state.reps - 1, 0)}"),
        fuzz=config.enable_fuzzing,
        load=load,
    )
    return state.replace(due=state.last_review + timedelta(days=days))


def _place_reviews(
    replayed: list[tuple[CardState, CardState]], config: SchedulerConfig
) -> list[tuple[CardState, CardState]]:
    """Place every review interval. With load balancing, on the least-loaded day of its
    fuzz range, counting the items already placed (earliest reviews first, so the order is
    stable); otherwise on the day its fuzz factor picks (or unfuzzed)."""
    if not config.balancing():
        return [(b, _placed(a, config) if _is_review(a) else a) for b, a in replayed]
    load: Counter[int] = Counter()
    placed: list[tuple[CardState, CardState]] = []
    todo: list[tuple[CardState, CardState]] = []
    for before, after in replayed:
        if _is_review(after) and _movable(after, config):
            todo.append((before, after))
            continue
        if _is_review(after):
            after = _placed(after, config)
        if after.due is not None and not after.suspended and after.state == State.Review:
            load[config.today(after.due)] += 1
        placed.append((before, after))
    todo.sort(key=lambda pair: (pair[1].last_review, pair[1].item_id))
    for before, after in todo:
        assert after.last_review is not None
        today = config.today(after.last_review)

        def least_loaded(interval: int, low: int, high: int, today: int = today) -> int:
            return pick_in_range(interval, low, high, today, lambda d: load[d], config.easy_days)

        after = _placed(after, config, least_loaded)
        assert after.due is not None
        if not after.suspended:
            load[config.today(after.due)] += 1
        placed.append((before, after))
    return placed


def _movable(state: CardState, config: SchedulerConfig) -> bool:
    low, high = constrained_range(_interval(state), 1, config.maximum_interval)
    return low < high


def apply(store: Store, planned: Plan, *, backup_first: bool = True) -> int:
    """Write ``planned`` (one transaction, after a backup); returns the items moved.

    Items answered after the plan was made are left alone (their answer is newer).
    """
    if not planned.moves:
        return 0
    if backup_first:
        from quizapp.srs.backup import backup

        backup(store.path, reason="reschedule", now=planned.at)
    current = store.states()
    moves = [m for m in planned.moves if current.get(m.before.item_id) == m.before]
    record = {
        "at": to_ms(planned.at),
        "items": [[m.before.to_row(), m.after.to_row()] for m in moves],
    }
    return store.write_states(
        (m.after for m in moves), meta={UNDO_KEY: json.dumps(record, separators=(",", ":"))}
    )


def undo_available(store: Store) -> datetime | None:
    """When the reschedule that :func:`undo` would take back was applied (None: none)."""
    raw = store.meta_value(UNDO_KEY)
    return from_ms(json.loads(raw)["at"]) if raw else None


@dataclass(frozen=True)
class UndoResult:
    restored: int
    kept: int  # answered since the reschedule: their newer state stays


def undo(store: Store) -> UndoResult | None:
    """Put every item of the last reschedule back as it was (one transaction)."""
    raw = store.meta_value(UNDO_KEY)
    if not raw:
        return None
    record = json.loads(raw)
    current = {s.item_id: s for s in store.states().values()}
    restore: list[CardState] = []
    kept = 0
    for before_row, after_row in record["items"]:
        now = current.get(after_row["item_id"])
        if now is not None and now.to_row() == after_row:
            restore.append(_from_row(before_row, now.card_id))
        else:
            kept += 1
    restored = store.write_states(restore, meta={UNDO_KEY: None})
    return UndoResult(restored, kept)


def _from_row(row: dict[str, object], card_id: int | None) -> CardState:
    return CardState.from_row({**row, "id": card_id})
