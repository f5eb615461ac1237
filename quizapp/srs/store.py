"""The SQLite progress store: item state, the review log, sessions and mock results.

One file (``quizapp.paths.db_path()``), WAL journal, foreign keys on, a busy
timeout and short ``BEGIN IMMEDIATE`` transactions, so a second quizapp on the same
file waits instead of losing a review, and a SIGKILL loses nothing committed.

:meth:`Store.open` refuses (with :class:`StoreError`, touching nothing) a corrupt
file, a SQLite file of another application, or a schema newer than this code; the
learner then chooses ``quizapp --home DIR`` or ``quizapp reset-progress``
(:meth:`Store.start_fresh`), which moves the bad file aside, never deletes it.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from quizapp.srs.days import from_ms, to_ms
from quizapp.srs.records import (
    CardState,
    DayCounts,
    MockRecord,
    Review,
    ReviewDraft,
    SessionRecord,
    StoreError,
)
from quizapp.srs.schema import APP_ID, MIGRATIONS, REBUILD_DAY, SCHEMA_VERSION

__all__ = ["CardState", "Review", "Store", "StoreError"]

BUSY_TIMEOUT_MS = 10_000
SQLITE_HEADER = b"SQLite format 3\x00"
UNDO_DEPTH = 50
_ADVICE = (
    "Your progress file was left untouched. Use another data folder with "
    "`quizapp --home DIR`, or start fresh with `quizapp reset-progress` "
    "(it moves this file aside as <name>.corrupt-<timestamp>; nothing is deleted)."
)

_REVIEW_COLUMNS = (
    "r.id, i.item_id, i.kind, r.ts, r.day, r.mode, r.rating, r.correct, r.duration_ms, "
    "r.answer, r.seed, r.mistake, r.prev_state, r.prev_ivl, r.first_of_day, r.meta"
)
_ITEM_COLUMNS = (
    "item_id", "kind", "deck", "topic", "subkind", "state", "step", "stability", "difficulty",
    "due", "last_review", "first_review", "reps", "lapses", "suspended", "leech",
    "answered", "n_correct",
)  # fmt: skip


def _refuse(path: Path, what: str) -> StoreError:
    return StoreError(f"{path}: {what}. {_ADVICE}")


class Store:
    """An open progress database. Create with :meth:`Store.open`; close with :meth:`close`."""

    def __init__(self, path: Path, conn: sqlite3.Connection) -> None:
        self.path = path
        self._conn = conn
        self._lock = threading.RLock()
        self._writes = 0  # own commits, for the known_ids cache
        self._ids: tuple[tuple[int, int], set[str], set[str]] | None = None

    # ----------------------------------------------------------------- opening
    @classmethod
    def open(cls, path: str | os.PathLike[str]) -> Store:
        """Open (creating file and parent folders if missing) and migrate forward.

        Raises :class:`StoreError` for a corrupt file, a non-quizapp SQLite file or a
        schema newer than :data:`SCHEMA_VERSION`; such a file is left byte-identical.
        """
        path = Path(path)
        if path.exists():
            _inspect(path)
        else:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(
                    f"{path}: cannot create the folder: {exc.strerror or exc}"
                ) from exc
        try:
            conn = sqlite3.connect(
                path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
            )
        except sqlite3.Error as exc:
            raise StoreError(f"{path}: cannot open the progress file: {exc}") from exc
        conn.row_factory = sqlite3.Row
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA foreign_keys = ON")
            _migrate(conn, path)
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise _refuse(path, f"cannot use the progress file ({exc})") from exc
        except StoreError:
            conn.close()
            raise
        return cls(path, conn)

    @staticmethod
    def start_fresh(path: str | os.PathLike[str], now: datetime | None = None) -> Path | None:
        """Move ``path`` (and its -wal/-shm files) aside as ``<name>.corrupt-<timestamp>``.

        Returns the new location of the old file, or None if there was no file. Never
        overwrites or deletes anything; the next :meth:`open` creates an empty store.
        """
        path = Path(path)
        if not path.exists():
            return None
        stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
        target = path.with_name(f"{path.name}.corrupt-{stamp}")
        n = 1
        while target.exists():
            target = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
            n += 1
        try:
            os.rename(path, target)
            for suffix in ("-wal", "-shm", "-journal"):
                side = path.with_name(path.name + suffix)
                if side.exists():
                    os.rename(side, target.with_name(target.name + suffix))
        except OSError as exc:
            raise StoreError(f"{path}: cannot move the file aside: {exc.strerror or exc}") from exc
        return target

    def close(self) -> None:
        """Close the connection (everything is already committed)."""
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        return int(self._read("PRAGMA user_version")[0][0])

    # ------------------------------------------------------------ transactions
    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One short write transaction, taken eagerly (BEGIN IMMEDIATE) so that two
        writers serialize on the busy timeout instead of failing on upgrade."""
        with self._lock:
            try:
                self._conn.execute("BEGIN IMMEDIATE")
            except sqlite3.DatabaseError as exc:
                raise StoreError(f"{self.path}: cannot write progress: {exc}") from exc
            try:
                yield self._conn
            except sqlite3.DatabaseError as exc:  # locked past the timeout, disk full, corrupt
                self._rollback()
                raise StoreError(
                    f"{self.path}: cannot save progress ({exc}); nothing was half-written"
                ) from exc
            except BaseException:
                self._rollback()
                raise
            else:
                self._writes += 1
                try:
                    self._conn.execute("COMMIT")
                except sqlite3.DatabaseError as exc:
                    self._rollback()
                    raise StoreError(f"{self.path}: cannot save progress: {exc}") from exc

    def _rollback(self) -> None:
        # A failed statement may already have ended the transaction.
        if self._conn.in_transaction:
            with suppress(sqlite3.DatabaseError):
                self._conn.execute("ROLLBACK")

    def _read(self, sql: str, params: Any = ()) -> list[sqlite3.Row]:
        with self._lock:
            try:
                return self._conn.execute(sql, params).fetchall()
            except sqlite3.DatabaseError as exc:
                raise StoreError(f"{self.path}: cannot read progress: {exc}") from exc

    # -------------------------------------------------------------- item state
    def get(self, item_id: str) -> CardState | None:
        """The current state of ``item_id``, or None if it was never seen."""
        rows = self._read("SELECT * FROM items WHERE item_id = ?", (item_id,))
        return CardState.from_row(rows[0]) if rows else None

    def states(self) -> dict[str, CardState]:
        """Every item's current state, keyed by item id."""
        return {r["item_id"]: CardState.from_row(r) for r in self._read("SELECT * FROM items")}

    def item_ids(self) -> list[str]:
        """Every item id with progress (for ``quizapp check --orphans``)."""
        return [r[0] for r in self._read("SELECT item_id FROM items ORDER BY item_id")]

    def suspend(self, item_id: str, kind: str = "") -> None:
        """Keep ``item_id`` out of the queue until :meth:`unsuspend` (works for unseen items)."""
        with self._write() as c:
            c.execute(
                "INSERT INTO items (item_id, kind, suspended) VALUES (?, ?, 1) "
                "ON CONFLICT (item_id) DO UPDATE SET suspended = 1",
                (item_id, kind),
            )

    def unsuspend(self, item_id: str) -> None:
        """Put ``item_id`` back in the queue (a leech keeps its tag and lapses)."""
        with self._write() as c:
            c.execute("UPDATE items SET suspended = 0 WHERE item_id = ?", (item_id,))

    def due_learning(self, until: datetime) -> list[tuple[Any, ...]]:
        """Unsuspended learning/relearning items with ``due <= until``, by due time.

        Tuples: (item_id, kind, state, stability, due ms, last_review ms).
        """
        return self._read_tuples(
            "SELECT item_id, kind, state, stability, due, last_review FROM items "
            "WHERE suspended = 0 AND due <= ? AND state IN (1, 3) ORDER BY due",
            (to_ms(until),),
        )

    def due_reviews(self, before: datetime, now: datetime, limit: int) -> list[tuple[Any, ...]]:
        """Unsuspended review-state items due before ``before``, lowest retrievability first.

        FSRS retrievability R = (1 + F t / S)^-d falls as t / S grows (t = whole days
        since the last review), so ordering by t / S descending is ordering by R
        ascending without computing R for every due row. Same tuples as
        :meth:`due_learning`, at most ``limit`` of them.
        """
        now_ms = to_ms(now)
        return self._read_tuples(
            "SELECT item_id, kind, state, stability, due, last_review FROM items "
            "WHERE suspended = 0 AND due < ? AND state = 2 "
            "ORDER BY max(0, (? - last_review) / 86400000) / stability DESC, due LIMIT ?",
            (to_ms(before), now_ms, limit),
        )

    def known_ids(self) -> set[str]:
        """Ids of items that are no longer new (answered or suspended).

        Cached until this store writes or another connection commits (``PRAGMA
        data_version``), so rebuilding the queue after each answer stays cheap.
        Do not mutate the returned set.
        """
        return self._id_sets()[1]

    def item_id_set(self) -> set[str]:
        """Every item id with a row (cached like :meth:`known_ids`; do not mutate)."""
        return self._id_sets()[0]

    def _id_sets(self) -> tuple[set[str], set[str]]:
        with self._lock:
            version = (self._writes, self._read_tuples("PRAGMA data_version")[0][0])
            if self._ids is None or self._ids[0] != version:
                # All ids come from the small covering unique index, as one concatenated
                # string (~2x faster than 100k one-column rows); the rare unseen rows
                # (suspended, then unsuspended, never answered) come from a partial index.
                blob = self._read_tuples("SELECT group_concat(item_id, char(10)) FROM items")[0][0]
                every = set(blob.split("\n")) if blob else set()
                unseen = self._read_tuples(
                    "SELECT item_id FROM items WHERE state = 0 AND suspended = 0"
                )
                known = every.difference(r[0] for r in unseen) if unseen else every
                self._ids = (version, every, known)
            return self._ids[1], self._ids[2]

    def _read_tuples(self, sql: str, params: Any = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            try:
                cur = self._conn.cursor()
                cur.row_factory = None
                return cur.execute(sql, params).fetchall()
            except sqlite3.DatabaseError as exc:
                raise StoreError(f"{self.path}: cannot read progress: {exc}") from exc

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
            sets = ", ".join(f"{k} = :{k}" for k in _ITEM_COLUMNS)
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
            snapshot = json.dumps(row and {k: row[k] for k in _ITEM_COLUMNS})
            c.execute(
                "INSERT INTO undo (review_id, item, before) VALUES (?, ?, ?)",
                (rid, card_id, snapshot),
            )
            c.execute(
                "DELETE FROM undo WHERE review_id NOT IN "
                f"(SELECT review_id FROM undo ORDER BY review_id DESC LIMIT {UNDO_DEPTH})"
            )
            c.execute(REBUILD_DAY, (draft.day,))
            review = Review.from_row(
                c.execute(
                    f"SELECT {_REVIEW_COLUMNS} FROM reviews r JOIN items i ON i.id = r.item "
                    "WHERE r.id = ?",
                    (rid,),
                ).fetchone()
            )
        return review, after, before

    def last_undoable(self) -> Review | None:
        """The most recent answer that :meth:`undo_last` would take back."""
        rows = self._read(
            f"SELECT {_REVIEW_COLUMNS} FROM undo u JOIN reviews r ON r.id = u.review_id "
            "JOIN items i ON i.id = r.item ORDER BY u.review_id DESC LIMIT 1"
        )
        return Review.from_row(rows[0]) if rows else None

    def undo_last(self, review: Review | None = None) -> tuple[Review, CardState | None] | None:
        """Delete the last logged answer and restore the item row exactly as before it.

        With ``review``, undo that answer instead, but only if it is still its item's
        latest (else None: another instance answered the item since, and restoring the
        old state would lose that answer). Returns (removed review, restored state —
        None if the item had no row before), or None when there is nothing to undo.
        Persisted: works after a restart.
        """
        with self._write() as c:
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
            review = Review.from_row(
                c.execute(
                    f"SELECT {_REVIEW_COLUMNS} FROM reviews r JOIN items i ON i.id = r.item "
                    "WHERE r.id = ?",
                    (u["review_id"],),
                ).fetchone()
            )
            c.execute("DELETE FROM undo WHERE review_id = ?", (review.id,))
            c.execute("DELETE FROM reviews WHERE id = ?", (review.id,))
            before = json.loads(u["before"])
            restored: CardState | None = None
            if before is None:
                # The answer created the row; keep it only if other reviews point at it.
                left = c.execute(
                    "SELECT 1 FROM reviews WHERE item = ? LIMIT 1", (u["item"],)
                ).fetchone()
                if left is None:
                    c.execute("DELETE FROM items WHERE id = ?", (u["item"],))
            else:
                sets = ", ".join(f"{k} = :{k}" for k in _ITEM_COLUMNS)
                c.execute(f"UPDATE items SET {sets} WHERE id = :id", {**before, "id": u["item"]})
                restored = CardState.from_row(
                    c.execute("SELECT * FROM items WHERE id = ?", (u["item"],)).fetchone()
                )
            c.execute("DELETE FROM daily WHERE day = ?", (review.day,))
            c.execute(REBUILD_DAY, (review.day,))
        return review, restored

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
        sql = f"SELECT {_REVIEW_COLUMNS} FROM reviews r JOIN items i ON i.id = r.item"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY r.id DESC"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return [Review.from_row(r) for r in reversed(self._read(sql, params))]

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

    # --------------------------------------------------------- sessions, mocks
    def start_session(self, mode: str, now: datetime) -> int:
        """Record the start of a study session; returns its id."""
        with self._write() as c:
            sid = c.execute(
                "INSERT INTO sessions (mode, started) VALUES (?, ?)", (mode, to_ms(now))
            ).lastrowid
        assert sid is not None
        return sid

    def end_session(
        self, session_id: int, now: datetime, summary: dict[str, Any] | None = None
    ) -> None:
        """Record the end of a session and its summary (counts etc., JSON-serializable)."""
        with self._write() as c:
            c.execute(
                "UPDATE sessions SET ended = ?, summary = ? WHERE id = ?",
                (
                    to_ms(now),
                    json.dumps(summary, sort_keys=True) if summary is not None else None,
                    session_id,
                ),
            )

    def sessions(self) -> list[SessionRecord]:
        rows = self._read("SELECT * FROM sessions ORDER BY id")
        return [
            SessionRecord(
                id=r["id"],
                mode=r["mode"],
                started=from_ms(r["started"]),
                ended=from_ms(r["ended"]) if r["ended"] is not None else None,
                summary=json.loads(r["summary"]) if r["summary"] else None,
            )
            for r in rows
        ]

    def save_mock(self, result_json: str | dict[str, Any], now: datetime) -> int:
        """Store one mock interview's result (a JSON string or a JSON-serializable dict)."""
        text = (
            result_json if isinstance(result_json, str) else json.dumps(result_json, sort_keys=True)
        )
        json.loads(text)  # refuse anything that is not JSON before it reaches the file
        with self._write() as c:
            mid = c.execute(
                "INSERT INTO mocks (ts, result) VALUES (?, ?)", (to_ms(now), text)
            ).lastrowid
        assert mid is not None
        return mid

    def mocks(self) -> list[MockRecord]:
        """Every stored mock interview, oldest first."""
        rows = self._read("SELECT * FROM mocks ORDER BY ts, id")
        return [
            MockRecord(id=r["id"], at=from_ms(r["ts"]), result=json.loads(r["result"]))
            for r in rows
        ]

    # ------------------------------------------------------------------ health
    def integrity_check(self) -> list[str]:
        """``PRAGMA integrity_check`` messages (``["ok"]`` when healthy)."""
        return [r[0] for r in self._read("PRAGMA integrity_check")]


# --------------------------------------------------------------------- helpers
def _inspect(path: Path) -> None:
    """Refuse a file we must not touch, reading it through a read-only connection."""
    if path.is_dir():
        raise StoreError(f"{path}: is a folder, not a progress file. {_ADVICE}")
    try:
        with path.open("rb") as fh:
            header = fh.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise StoreError(f"{path}: cannot read the progress file: {exc.strerror or exc}") from exc
    if not header:
        return  # an empty file is an empty database: nothing to lose
    if header != SQLITE_HEADER:
        raise _refuse(path, "is not a SQLite database (the file is corrupt or something else)")
    # Without a -wal file there is nothing beyond the main file to read, and
    # immutable=1 then guarantees SQLite creates no -wal/-shm beside a file we may
    # refuse. With a -wal file (a quizapp that is running or was killed) its
    # committed pages must be seen, so read it through a normal read-only connection.
    wal = path.with_name(path.name + "-wal")
    flag = "mode=ro" if wal.exists() else "mode=ro&immutable=1"
    uri = f"file:{quote(str(path.resolve()))}?{flag}"
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as exc:
        raise _refuse(path, f"cannot be opened ({exc})") from exc
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        if app_id != APP_ID and (tables or version):
            raise _refuse(
                path,
                "is a SQLite database of another application, not quizapp progress "
                f"(tables: {', '.join(sorted(tables)[:6]) or 'none'})",
            )
        if version > SCHEMA_VERSION:
            raise _refuse(
                path,
                f"was written by a newer quizapp (schema {version}; this version reads up to "
                f"{SCHEMA_VERSION}). Upgrade quizapp to use it",
            )
        problems = [r[0] for r in conn.execute("PRAGMA quick_check(5)")]
        if problems != ["ok"]:
            raise _refuse(path, f"is corrupt ({'; '.join(problems)})")
    except sqlite3.DatabaseError as exc:
        raise _refuse(path, f"is corrupt or unreadable ({exc})") from exc
    finally:
        conn.close()


def _migrate(conn: sqlite3.Connection, path: Path) -> None:
    """Run MIGRATIONS[v:] forward, one transaction per step; never downgrade."""
    while True:
        conn.execute("BEGIN IMMEDIATE")
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise _refuse(
                    path, f"has schema {version}, newer than this quizapp ({SCHEMA_VERSION})"
                )
            if version == SCHEMA_VERSION:
                conn.execute("COMMIT")
                return
            if version == 0:
                conn.execute(f"PRAGMA application_id = {APP_ID}")
            for script in MIGRATIONS[version]:
                for statement in _statements(script):
                    conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {version + 1}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise


def _statements(script: str) -> Iterator[str]:
    """Split a migration script into statements (executescript would commit implicitly)."""
    buf = ""
    for line in script.splitlines(keepends=True):
        if line.lstrip().startswith("--"):
            continue
        buf += line
        if sqlite3.complete_statement(buf):
            yield buf.strip()
            buf = ""
    if buf.strip():
        yield buf.strip()
