"""The review log and item states of another home, merged into this one.

A learner who studies on two machines ends up with two logs that share a beginning. Every
answer carries a stable ``uid`` (schema v3), so merging is a union: an answer this home
already has is skipped, every other one is added. Then each item whose log grew is given a
state again:

- the file's state, when this home had nothing for the item, or when the file's log of it
  holds every answer this home had (the other machine simply went further);
- this home's state, when the file brought nothing new for it;
- otherwise (both machines answered it) the state the scheduler's own rule gives by replaying
  the merged log in time order with this home's settings (:mod:`quizapp.srs.replay`: FSRS,
  Anki's order of the intervals, the seeded fuzz; the last answer's review interval
  load-balanced against today's loads). Lapses, leeches, reps, counts and each
  answer's "state before" are recomputed by the same replay; a reset (browser) on either
  side is kept: answers before it no longer count.

Suspension and leech marks from either side are kept. Flags (the browser's, 1..7) join
this home's: an item flagged only in the file takes the file's flag; one flagged here keeps
its own (flags carry no time, so "the newer" cannot be told; a flag removed on the other
machine is not removed here). Everything is written in one
transaction; the log stays in time order (rows after the first older answer are renumbered),
the per-day rollup is rebuilt for the days touched, and the undo history is cleared (an
import is taken back by restoring the backup taken before it).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from quizapp.srs import marks
from quizapp.srs.answer_log import ITEM_COLUMNS
from quizapp.srs.days import from_ms
from quizapp.srs.marks import FLAGS_KEY
from quizapp.srs.records import CardState
from quizapp.srs.replay import LoggedReview, merged_cut, replay, replayed_state, reset_cut
from quizapp.srs.scheduler import SchedulerConfig, balanced_in_range
from quizapp.srs.schema import REBUILD_DAY
from quizapp.srs.store import Store

__all__ = ["LoggedReview", "MergeReport", "logged_reviews", "merge", "pending"]


_SELECT = (
    "SELECT r.uid, i.item_id, i.kind, r.ts, r.mode, r.rating, r.correct, r.duration_ms, "
    "r.answer, r.seed, r.mistake, r.meta, r.day, r.prev_state, r.prev_ivl, r.first_of_day "
    "FROM reviews r JOIN items i ON i.id = r.item"
)


def _review(row: Sequence[Any]) -> LoggedReview:
    return LoggedReview(
        uid=row[0], item_id=row[1], kind=row[2], ts=row[3], mode=row[4], rating=row[5],
        correct=bool(row[6]), duration_ms=row[7], answer=row[8], seed=row[9], mistake=row[10],
        meta=json.loads(row[11]) if row[11] else None, day=row[12], prev_state=row[13],
        prev_ivl=row[14], first_of_day=bool(row[15]),
    )  # fmt: skip


def logged_reviews(store: Store) -> Iterator[LoggedReview]:
    """Every answer in the log with its uid, oldest first."""
    for row in store._read_tuples(f"{_SELECT} ORDER BY r.ts, r.id"):
        yield _review(row)


@dataclass
class MergeReport:
    """What a merge did (counts, and the items it changed)."""

    reviews_in_file: int = 0
    reviews_added: int = 0
    items_added: int = 0
    items_taken: int = 0  # the file's state (this home had nothing newer)
    items_replayed: int = 0  # both sides answered: replayed from the merged log
    mocks_added: int = 0
    flags_added: int = 0  # items flagged from the file (they had no flag here)
    suspended: list[str] = field(default_factory=list)  # suspended now, not before
    days: set[int] = field(default_factory=set)

    @property
    def changed(self) -> bool:
        return bool(
            self.reviews_added
            or self.items_added
            or self.mocks_added
            or self.flags_added
            or self.suspended
        )


def merge(
    store: Store,
    config: SchedulerConfig,
    states: dict[str, CardState],
    reviews: Iterable[LoggedReview],
    mocks: Iterable[tuple[int, dict[str, Any]]] = (),
    flags: Mapping[str, int] | None = None,
) -> MergeReport:
    """Merge another home's ``states``, ``reviews``, mock results and ``flags`` (item id →
    1..7) into ``store``, in one transaction. Merging the same data again changes nothing."""
    report = MergeReport()
    incoming: dict[str, LoggedReview] = {}
    for review in reviews:
        incoming.setdefault(review.uid, review)
    report.reviews_in_file = len(incoming)
    with store._write() as c:
        known = _known_uids(c, list(incoming))
        new = [r for uid, r in incoming.items() if uid not in known]
        by_item: dict[str, list[LoggedReview]] = {}
        for review in incoming.values():
            by_item.setdefault(review.item_id, []).append(review)
        new_items = {r.item_id for r in new}
        new_uids = {r.uid for r in new}
        touched = new_items | {i for i in states if _row(c, i) is None}
        touched |= {i for i, s in states.items() if s.suspended or s.leech}
        inserted_ts: list[int] = []
        for item_id in sorted(touched):
            inserted_ts += _merge_item(
                c, store, config, item_id, states.get(item_id), by_item.get(item_id, []),
                new_uids, report,
            )  # fmt: skip
        report.reviews_added = len(inserted_ts)
        if report.reviews_added:
            c.execute("DELETE FROM undo")  # (its rows point at review ids renumbered below)
        if inserted_ts:
            _renumber(c, min(inserted_ts))
        for day in sorted(report.days):
            c.execute("DELETE FROM daily WHERE day = ?", (day,))
            c.execute(REBUILD_DAY, (day,))
        report.mocks_added = _merge_mocks(c, mocks)
        report.flags_added = _merge_flags(c, flags or {})
    return report


def pending(
    store: Store,
    states: dict[str, CardState],
    reviews: Iterable[LoggedReview],
    mocks: Iterable[tuple[int, dict[str, Any]]] = (),
    flags: Mapping[str, int] | None = None,
) -> bool:
    """Would :func:`merge` change anything? (Read-only: answers, items or suspensions this
    home does not have yet, mock results it lacks, or flags on items it has not flagged.)"""
    uids = list({r.uid for r in reviews})
    with store._lock:
        c = store._conn
        if len(_known_uids(c, uids)) < len(uids):
            return True
        mine = {r[0]: bool(r[1]) for r in c.execute("SELECT item_id, suspended FROM items")}
        if any(i not in mine or (s.suspended and not mine[i]) for i, s in states.items()):
            return True
        if flags and set(flags) - set(_flags(c)):
            return True
        have = {(ts, text) for ts, text in c.execute("SELECT ts, result FROM mocks")}
        canon = {(ts, json.dumps(json.loads(t), sort_keys=True)) for ts, t in have}
        return any((ts, json.dumps(r, sort_keys=True)) not in canon for ts, r in mocks)


def _known_uids(c: sqlite3.Connection, uids: list[str]) -> set[str]:
    known: set[str] = set()
    for start in range(0, len(uids), 500):
        chunk = uids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        known.update(
            r[0] for r in c.execute(f"SELECT uid FROM reviews WHERE uid IN ({marks})", chunk)
        )
    return known


def _row(c: sqlite3.Connection, item_id: str) -> CardState | None:
    row = c.execute("SELECT * FROM items WHERE item_id = ?", (item_id,)).fetchone()
    return CardState.from_row(row) if row else None


def _local_reviews(c: sqlite3.Connection, card_id: int) -> list[LoggedReview]:
    rows = c.execute(f"{_SELECT} WHERE r.item = ? ORDER BY r.ts, r.id", (card_id,)).fetchall()
    return [_review(tuple(r)) for r in rows]


def _merge_item(
    c: sqlite3.Connection,
    store: Store,
    config: SchedulerConfig,
    item_id: str,
    theirs: CardState | None,
    their_reviews: list[LoggedReview],
    new_uids: set[str],
    report: MergeReport,
) -> list[int]:
    """Merge one item; returns the times of the answers it added."""
    mine = _row(c, item_id)
    my_reviews = _local_reviews(c, mine.card_id) if mine and mine.card_id else []
    known = {r.uid for r in my_reviews}
    added = [r for r in their_reviews if r.uid in new_uids]
    merged = sorted([*my_reviews, *added], key=lambda r: (r.ts, r.uid))
    if mine is None:
        card_id = c.execute(
            "INSERT INTO items (item_id, kind) VALUES (?, ?)",
            (item_id, (theirs.kind if theirs else merged[0].kind) if (theirs or merged) else ""),
        ).lastrowid
        report.items_added += 1
    else:
        card_id = mine.card_id
    assert card_id is not None
    cut = merged_cut(mine, my_reviews, theirs, their_reviews)
    keep_mine = not added and mine is not None
    take_theirs = theirs is not None and (mine is None or known <= {r.uid for r in their_reviews})

    def balance(at: datetime, interval: int, low: int, high: int) -> int:
        return balanced_in_range(store, config, at, interval, low, high)

    replayed = replay(
        config, merged, cut, card_id, load=None if keep_mine or take_theirs else balance
    )
    if keep_mine:
        assert mine is not None
        state = mine  # nothing new for this item: only the marks below may change
        derived: dict[str, tuple[int, int, float | None, bool]] = {}
    elif take_theirs:
        assert theirs is not None
        state = theirs.replace(card_id=card_id)  # the other home went further
        derived = {
            r.uid: (config.today(from_ms(r.ts)), r.prev_state, r.prev_ivl, r.first_of_day)
            for r in added
        }
        report.items_taken += mine is not None
    else:
        state = replayed_state(replayed, mine or theirs, item_id, card_id)
        derived = replayed.derived
        report.items_replayed += mine is not None
    leech = (
        state.leech
        or replayed.leech_after(new=added)
        or any(
            s.leech
            for s, side_cut in (
                (mine, reset_cut(mine, my_reviews)),
                (theirs, reset_cut(theirs, their_reviews)),
            )
            if s is not None and side_cut == cut
        )
    )
    suspended = (
        state.suspended
        or bool(mine and mine.suspended)
        or bool(theirs and theirs.suspended)
        or replayed.leech_after(new=added)
    )
    if suspended and not (mine and mine.suspended):
        report.suspended.append(item_id)
    state = state.replace(
        leech=leech,
        suspended=suspended,
        answered=len(merged),
        n_correct=sum(r.correct for r in merged),
        deck=state.deck or (theirs.deck if theirs else None),
        topic=state.topic or (theirs.topic if theirs else None),
        subkind=state.subkind or (theirs.subkind if theirs else None),
        kind=state.kind or (theirs.kind if theirs else ""),
    )
    if mine is None or state != mine:
        values = state.to_row()
        sets = ", ".join(f"{k} = :{k}" for k in ITEM_COLUMNS)
        c.execute(f"UPDATE items SET {sets} WHERE id = :id", {**values, "id": card_id})
    for review in my_reviews:
        new_values = derived.get(review.uid)
        if new_values is None:
            continue
        _, prev_state, prev_ivl, first = new_values
        if (prev_state, prev_ivl, first) != (
            review.prev_state,
            review.prev_ivl,
            review.first_of_day,
        ):
            c.execute(
                "UPDATE reviews SET prev_state = ?, prev_ivl = ?, first_of_day = ? WHERE uid = ?",
                (prev_state, prev_ivl, int(first), review.uid),
            )
            report.days.add(
                review.day if review.day is not None else config.today(from_ms(review.ts))
            )
    for review in added:
        day, prev_state, prev_ivl, first = derived.get(review.uid) or replayed.derived[review.uid]
        c.execute(
            "INSERT INTO reviews (item, ts, day, mode, rating, correct, duration_ms, answer, seed, "
            "mistake, prev_state, prev_ivl, first_of_day, meta, uid) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                card_id, review.ts, day, review.mode, review.rating, int(review.correct),
                review.duration_ms, review.answer, review.seed, review.mistake, prev_state,
                prev_ivl, int(first), json.dumps(review.meta, sort_keys=True) if review.meta else None,
                review.uid,
            ),
        )  # fmt: skip
        report.days.add(day)
    return [r.ts for r in added]


# ----------------------------------------------------------------- order and mocks
def _renumber(c: sqlite3.Connection, since_ts: int) -> None:
    """Keep ``ORDER BY id`` the time order: renumber the rows from the first one at or after
    ``since_ts`` (the oldest answer just added; the added rows all come after it) by (ts, id)."""
    first = c.execute("SELECT min(id) FROM reviews WHERE ts >= ?", (since_ts,)).fetchone()[0]
    if first is None:
        return
    c.execute("DROP TABLE IF EXISTS temp.renumber")
    c.execute(
        "CREATE TEMP TABLE renumber AS SELECT id AS old, "
        "? - 1 + row_number() OVER (ORDER BY ts, id) AS new FROM reviews WHERE id >= ?",
        (first, first),
    )
    c.execute("UPDATE reviews SET id = -id WHERE id >= ?", (first,))
    c.execute(
        "UPDATE reviews SET id = (SELECT new FROM renumber WHERE old = -reviews.id) WHERE id < 0"
    )
    c.execute("DROP TABLE temp.renumber")


def _merge_mocks(c: sqlite3.Connection, mocks: Iterable[tuple[int, dict[str, Any]]]) -> int:
    def key(ts: int, result: Any) -> tuple[int, str]:
        return ts, json.dumps(result, sort_keys=True, separators=(",", ":"))

    have = {key(ts, json.loads(text)) for ts, text in c.execute("SELECT ts, result FROM mocks")}
    added = 0
    for ts, result in mocks:
        k = key(ts, result)
        if k in have:
            continue
        have.add(k)
        c.execute(
            "INSERT INTO mocks (ts, result) VALUES (?, ?)", (ts, json.dumps(result, sort_keys=True))
        )
        added += 1
    return added


def _flags(c: sqlite3.Connection) -> dict[str, int]:
    """This home's flags (:mod:`quizapp.srs.marks`' map in ``meta``), read on ``c``."""
    row = c.execute("SELECT value FROM meta WHERE key = ?", (FLAGS_KEY,)).fetchone()
    return marks.decode(row[0] if row else None)


def _merge_flags(c: sqlite3.Connection, flags: Mapping[str, int]) -> int:
    """Flag the items flagged in the file and not here; a flag here stays as it is."""
    mine = _flags(c)
    new = {i: f for i, f in flags.items() if i not in mine}
    if new:
        mine.update(new)
        c.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
            (FLAGS_KEY, marks.encode(mine)),
        )
    return len(new)
