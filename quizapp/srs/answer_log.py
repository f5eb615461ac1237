"""The review log side of the store: recording an answer with its FSRS state in one
transaction, undo, and reading the log and its per-day rollup.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from quizapp.srs.connection import Connection
from quizapp.srs.days import to_ms
from quizapp.srs.records import CardState, DayCounts
from quizapp.srs.schema import REBUILD_DAY

if TYPE_CHECKING:  # imported when the log is first read or written
    from quizapp.srs.answers import Review, ReviewDraft

UNDO_DEPTH = 50
REVIEW_COLUMNS = (
    "r.id, i.item_id, i.kind, r.ts, r.day, r.mode, r.rating, r.correct, r.duration_ms, "
    "r.answer, r.seed, r.mistake, r.prev_state, r.prev_ivl, r.first_of_day, r.meta"
)
ITEM_COLUMNS = (
    "item_id", "kind", "deck", "topic", "subkind", "state", "step", "stability", "difficulty",
    "due", "last_review", "first_review", "reps", "lapses", "suspended", "leech",
    "answered", "n_correct",
)  # fmt: skip


class AnswerLog(Connection):
    """Answers, undo and the log (the :class:`~quizapp.srs.store.Store` builds on it)."""

    # ------------------------------------------------------------------ answers
    def apply_answer(
        self,
        item_id: str,
        kind: str,
        compute: Callable[[CardState | None, int], tuple[CardState, ReviewDraft]],
    ) -> tuple[Review, CardState, CardState | None]:
        """Read the item, let ``compute(before, card_id)`` decide, write state + log: one transaction.

        ``compute`` runs inside the write lock, so two writers can never both start from
        the same state. Returns (logged review, new state, state before or None).
        """
        with self._write() as c:
            return _apply(c, item_id, kind, compute)

    def rerate(
        self,
        review: Review,
        item_id: str,
        kind: str,
        compute: Callable[[CardState | None, int], tuple[CardState, ReviewDraft]],
    ) -> tuple[Review, CardState, CardState | None] | None:
        """Replace ``review`` (the answer just given) by a new one: one transaction.

        Takes ``review`` back exactly as :meth:`undo_last` would, then records the new
        answer from the restored state as :meth:`apply_answer` does. A kill or an error
        in between leaves the old answer in place: there is no moment when neither is
        recorded. None (nothing changed) when ``review`` is no longer its item's latest
        answer.
        """
        with self._write() as c:
            if _undo(c, review) is None:
                return None
            return _apply(c, item_id, kind, compute)

    def undo_last(self, review: Review | None = None) -> tuple[Review, CardState | None] | None:
        """Delete the last logged answer and restore the item row exactly as before it.

        With ``review``, undo that answer instead, but only if it is still its item's
        latest (else None: another instance answered the item since, and restoring the
        old state would lose that answer). Returns (removed review, restored state —
        None if the item had no row before), or None when there is nothing to undo.
        Persisted: works after a restart.
        """
        with self._write() as c:
            return _undo(c, review)

    # ------------------------------------------------------------------ the log
    def reviews(
        self, item_id: str | None = None, *, since: datetime | None = None, limit: int | None = None
    ) -> list[Review]:
        """Logged answers, oldest first (optionally one item's, since a time, the last ``limit``)."""
        where, params = [], []
        if item_id is not None:
            where.append("i.item_id = ?")
            params.append(item_id)
        if since is not None:
            where.append("r.ts >= ?")
            params.append(to_ms(since))
        sql = f"SELECT {REVIEW_COLUMNS} FROM reviews r JOIN items i ON i.id = r.item"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY r.id DESC"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return [_review(r) for r in reversed(self._read(sql, params))]

    def review_count(self) -> int:
        return int(self._read("SELECT count(*) FROM reviews")[0][0])

    def day_counts(self, day: int) -> DayCounts:
        """The rollup of study day ``day`` (zeros if nothing was answered)."""
        rows = self._read("SELECT * FROM daily WHERE day = ?", (day,))
        return DayCounts(**dict(rows[0])) if rows else DayCounts(day=day)

    def days(self, first: int | None = None, last: int | None = None) -> list[DayCounts]:
        """Rollups of the study days in [first, last] that have answers, in day order."""
        rows = self._read(
            "SELECT * FROM daily WHERE day >= ? AND day <= ? ORDER BY day",
            (first if first is not None else 0, last if last is not None else 1 << 40),
        )
        return [DayCounts(**dict(r)) for r in rows]


# ---------------------------------------------------------------- in one transaction
def _review(row: Any) -> Review:
    """The logged answer in ``row`` (a ``REVIEW_COLUMNS`` row)."""
    from quizapp.srs.answers import Review

    return Review.from_row(row)


def _apply(
    c: sqlite3.Connection,
    item_id: str,
    kind: str,
    compute: Callable[[CardState | None, int], tuple[CardState, ReviewDraft]],
) -> tuple[Review, CardState, CardState | None]:
    """Record an answer inside the open transaction ``c`` (see ``apply_answer``)."""
    row = c.execute("SELECT * FROM items WHERE item_id = ?", (item_id,)).fetchone()
    before = CardState.from_row(row) if row else None
    if row is None:
        card_id = c.execute(
            "INSERT INTO items (item_id, kind) VALUES (?, ?)", (item_id, kind)
        ).lastrowid
    else:
        card_id = row["id"]
    assert card_id is not None
    after, draft = compute(before, card_id)
    values = after.to_row()
    sets = ", ".join(f"{k} = :{k}" for k in ITEM_COLUMNS)
    c.execute(f"UPDATE items SET {sets} WHERE id = :id", {**values, "id": card_id})
    prev_state = before.state if before else 0
    prev_ivl = before.interval_days if before else None
    rid = c.execute(
        "INSERT INTO reviews (item, ts, day, mode, rating, correct, duration_ms, answer, "
        "seed, mistake, prev_state, prev_ivl, first_of_day, meta) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            card_id, to_ms(draft.at), draft.day, draft.mode, int(draft.rating),
            int(draft.correct), draft.duration_ms, draft.answer, draft.seed,
            draft.mistake, prev_state, prev_ivl, int(draft.first_of_day),
            json.dumps(draft.meta, sort_keys=True) if draft.meta else None,
        ),
    ).lastrowid  # fmt: skip
    snapshot = json.dumps(row and {k: row[k] for k in ITEM_COLUMNS})
    c.execute(
        "INSERT INTO undo (review_id, item, before) VALUES (?, ?, ?)",
        (rid, card_id, snapshot),
    )
    c.execute(
        "DELETE FROM undo WHERE review_id NOT IN "
        f"(SELECT review_id FROM undo ORDER BY review_id DESC LIMIT {UNDO_DEPTH})"
    )
    c.execute(REBUILD_DAY, (draft.day,))
    review = _review(
        c.execute(
            f"SELECT {REVIEW_COLUMNS} FROM reviews r JOIN items i ON i.id = r.item WHERE r.id = ?",
            (rid,),
        ).fetchone()
    )
    return review, after, before


def _undo(c: sqlite3.Connection, review: Review | None) -> tuple[Review, CardState | None] | None:
    """Take back ``review`` (or the newest undoable answer) inside ``c`` (see ``undo_last``)."""
    if review is None:
        u = c.execute("SELECT * FROM undo ORDER BY review_id DESC LIMIT 1").fetchone()
    else:
        u = c.execute(
            "SELECT u.* FROM undo u JOIN reviews r ON r.id = u.review_id "
            "JOIN items i ON i.id = r.item "
            "WHERE u.review_id = ? AND i.item_id = ? AND r.ts = ? AND r.answer IS ? "
            "AND r.id = (SELECT max(id) FROM reviews WHERE item = r.item)",
            (review.id, review.item_id, to_ms(review.at), review.answer),
        ).fetchone()
    if u is None:
        return None
    review = _review(
        c.execute(
            f"SELECT {REVIEW_COLUMNS} FROM reviews r JOIN items i ON i.id = r.item WHERE r.id = ?",
            (u["review_id"],),
        ).fetchone()
    )
    c.execute("DELETE FROM undo WHERE review_id = ?", (review.id,))
    c.execute("DELETE FROM reviews WHERE id = ?", (review.id,))
    before = json.loads(u["before"])
    restored: CardState | None = None
    if before is None:
        # The answer created the row; keep it only if other reviews point at it.
        left = c.execute("SELECT 1 FROM reviews WHERE item = ? LIMIT 1", (u["item"],)).fetchone()
        if left is None:
            c.execute("DELETE FROM items WHERE id = ?", (u["item"],))
    else:
        sets = ", ".join(f"{k} = :{k}" for k in ITEM_COLUMNS)
        c.execute(f"UPDATE items SET {sets} WHERE id = :id", {**before, "id": u["item"]})
        restored = CardState.from_row(
            c.execute("SELECT * FROM items WHERE id = ?", (u["item"],)).fetchone()
        )
    c.execute("DELETE FROM daily WHERE day = ?", (review.day,))
    c.execute(REBUILD_DAY, (review.day,))
    return review, restored
