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
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quizapp.srs.answer_log import ITEM_COLUMNS, AnswerLog
from quizapp.srs.days import from_ms, to_ms
from quizapp.srs.errors import FAILURES, StoreError, describe, kind_of, refuse, store_error
from quizapp.srs.opening import (
    SIDE_FILES,
    connect,
    connect_read_only,
    create_file,
    in_use,
    inspect_file,
    migrate,
    move_no_replace,
    schema_is_current,
    stamp_checked_if_free,
)
from quizapp.srs.records import CardState

if TYPE_CHECKING:  # built when first read: a first card reads neither
    from quizapp.srs.history import MockRecord, SessionRecord

__all__ = ["CardState", "Store", "StoreError", "damaged"]


def damaged(path: Path) -> bool:
    """Whether ``path`` is a damaged progress file (not SQLite, truncated, failing the full
    integrity check), read-only. A healthy file, an empty one, a newer quizapp's or another
    application's is not damaged (those are refused for other reasons)."""
    try:
        inspect_file(path, full_check=True)
    except StoreError as exc:
        return exc.kind == "corrupt"
    return False


class Store(AnswerLog):
    """An open progress database. Create with :meth:`Store.open`; close with :meth:`close`."""

    # ----------------------------------------------------------------- opening
    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str],
        *,
        full_check: bool | None = None,
        reading_only: bool = False,
    ) -> Store:
        """Open (creating file 0600 and parent folders 0700 if missing) and migrate forward.

        Raises :class:`StoreError` for a damaged or truncated file, a non-quizapp
        SQLite file or a schema newer than :data:`SCHEMA_VERSION` (such a file is left
        byte-identical), and for a file that is locked, read-only or on a full disk
        (``StoreError.kind`` tells which). ``full_check``: see
        :func:`~quizapp.srs.opening.inspect_file` (None = once a day).

        ``reading_only``: the caller only reads (``stats``, ``browse``, ``progress
        export``, ...). When the open-time write fails because the file, its folder or
        the file system is read-only, the existing file is then opened through a
        read-only connection (:func:`~quizapp.srs.opening.connect_read_only`) instead
        of refused; any write through it fails with a ``read_only`` StoreError.
        """
        path = Path(path)
        if path.exists() or path.is_symlink():
            checked = inspect_file(path, full_check=full_check)
        else:
            create_file(path)
            checked = True  # a new file is healthy
        try:
            return cls._open_writable(path, checked, reading_only=reading_only)
        except StoreError as exc:
            if not (reading_only and exc.kind == "read_only" and path.exists()):
                raise
            return cls(path, connect_read_only(path))

    @classmethod
    def _open_writable(cls, path: Path, checked: bool, *, reading_only: bool = False) -> Store:
        conn = connect(path)
        try:
            if reading_only and schema_is_current(conn):
                # Nothing to write: no write lock, so a reader reads while another quizapp
                # holds the lock (WAL); a read-only file shows at the first write instead.
                if checked:
                    stamp_checked_if_free(conn)
                return cls(path, conn)
            # The open-time write (migrations, the write probe) need not wait for the
            # disk: in WAL mode NORMAL never corrupts, and an unsynced probe loses nothing.
            conn.execute("PRAGMA synchronous = NORMAL")
            migrate(conn, path, checked=checked)
            conn.execute("PRAGMA synchronous = FULL")  # every answer: durable on return
        except FAILURES as exc:
            conn.close()
            if kind_of(exc) == "corrupt":
                raise refuse(path, f"cannot be used ({describe(exc)})") from exc
            raise store_error(path, exc, "open the progress file") from exc
        except StoreError:
            conn.close()
            raise
        return cls(path, conn)

    @staticmethod
    def start_fresh(path: str | os.PathLike[str], now: datetime | None = None) -> Path | None:
        """Move ``path`` (and its -wal/-shm files) aside as ``<name>.reset-<timestamp>``,
        or ``<name>.corrupt-<timestamp>`` when the file is damaged (:func:`damaged`).

        Returns the new location of the old file, or None if there was no file. Never
        overwrites or deletes anything (not even a leftover ``<target>-wal``); the next
        :meth:`open` creates an empty store. Refuses (``kind="locked"``) while another
        process has the file open: its later answers would go to the moved file.
        """
        path = Path(path)
        if not path.exists():
            return None
        if in_use(path):
            raise StoreError(
                f"{path}: another quizapp (or another program) has the progress file open. "
                "Close it first, then start fresh; nothing was moved",
                kind="locked",
                path=path,
            )
        stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
        tag = "corrupt" if damaged(path) else "reset"
        sides = [s for s in SIDE_FILES if path.with_name(path.name + s).exists()]
        n = 0
        while True:
            target = path.with_name(f"{path.name}.{tag}-{stamp}" + (f"-{n}" if n else ""))
            n += 1
            if any(target.with_name(target.name + s).exists() for s in ("", *SIDE_FILES)):
                continue
            try:
                move_no_replace(path, target)
            except FileExistsError:
                continue  # taken since we looked
            except OSError as exc:
                raise store_error(path, exc, "move the file aside") from exc
            break
        try:
            for suffix in sides:
                move_no_replace(
                    path.with_name(path.name + suffix), target.with_name(target.name + suffix)
                )
        except OSError as exc:
            raise store_error(path, exc, f"move the {suffix} file beside {target}") from exc
        return target

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

    def due_before(self, end: datetime) -> set[str]:
        """Ids of unsuspended items due before ``end`` (one range scan of ``items_due``);
        :func:`quizapp.srs.marks.due_today` takes the buried ones out."""
        rows = self._read_tuples(
            "SELECT item_id FROM items WHERE suspended = 0 AND due < ?", (to_ms(end),)
        )
        return {r[0] for r in rows}

    def due_between(self, start: datetime, end: datetime) -> list[int]:
        """Due times (epoch ms) of unsuspended review-state items in [start, end), for load
        balancing (one range scan of ``items_due``)."""
        return [
            r[0]
            for r in self._read_tuples(
                "SELECT due FROM items WHERE suspended = 0 AND due >= ? AND due < ? AND state = 2",
                (to_ms(start), to_ms(end)),
            )
        ]

    def write_states(
        self, states: Iterable[CardState], *, meta: dict[str, str | None] | None = None
    ) -> int:
        """Overwrite existing items' rows and set (None: delete) ``meta`` keys, all in one
        transaction (bulk operations: reschedule, its undo, reset). Returns rows written."""
        sets = ", ".join(f"{k} = :{k}" for k in ITEM_COLUMNS if k != "item_id")
        n = 0
        with self._write() as c:
            for state in states:
                n += c.execute(
                    f"UPDATE items SET {sets} WHERE item_id = :item_id", state.to_row()
                ).rowcount
            for key, value in (meta or {}).items():
                if value is None:
                    c.execute("DELETE FROM meta WHERE key = ?", (key,))
                else:
                    c.execute(
                        "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value)
                    )
        return n

    def meta_value(self, key: str) -> str | None:
        """A value of the ``meta`` table (None when unset)."""
        rows = self._read_tuples("SELECT value FROM meta WHERE key = ?", (key,))
        return rows[0][0] if rows else None

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
        from quizapp.srs.history import SessionRecord

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
        from quizapp.srs.history import MockRecord

        rows = self._read("SELECT * FROM mocks ORDER BY ts, id")
        return [
            MockRecord(id=r["id"], at=from_ms(r["ts"]), result=json.loads(r["result"]))
            for r in rows
        ]
