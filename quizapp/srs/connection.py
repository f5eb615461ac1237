"""The connection under the store: one SQLite connection, a lock, and short
transactions that turn every SQLite failure into a :class:`StoreError` whose ``kind``
says what happened (locked, disk full, read-only, damaged, ...).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, Self

from quizapp.srs import opening
from quizapp.srs.errors import FAILURES, StoreError, store_error
from quizapp.srs.opening import connect

#: While the app checkpoints on idle (:meth:`Connection.checkpoint_on_idle`), the -wal may
#: grow to this many pages (~40 MB) before a commit copies it into the main file itself
#: (SQLite's automatic checkpoint, at 1000 pages by default): a backstop for a session
#: that never pauses.
IDLE_BACKSTOP_PAGES = 10_000


class Connection:
    """An open SQLite connection with the store's transaction discipline."""

    def __init__(self, path: Path, conn: sqlite3.Connection) -> None:
        self.path = path
        self._conn = conn
        self._wal = path.with_name(path.name + "-wal")
        self._lock = threading.RLock()
        self._writes = 0  # own commits, for the known_ids cache
        self._ids: tuple[tuple[int, int], set[str], set[str]] | None = None
        self._idle_checkpoints = False  # see checkpoint_on_idle
        self._checkpointed = 0  # self._writes when the last checkpoint began

    def close(self) -> None:
        """Close the connection (everything is already committed)."""
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        return int(self._read("PRAGMA user_version")[0][0])

    # ------------------------------------------------------------- checkpoints
    def checkpoint_on_idle(self) -> None:
        """The caller runs :meth:`checkpoint` while nothing is being answered (the app:
        a moment after the last answer). SQLite's own checkpoint, every ~1000 pages of
        -wal (about 70 answers), runs inside the commit that crosses the mark: it copies
        the pages into the main file and fsyncs both files in that answer's time. From
        here on it waits for :data:`IDLE_BACKSTOP_PAGES` instead. Durability is
        unchanged: a commit is on disk in the -wal (synchronous=FULL) when it returns."""
        with self._lock:
            self._idle_checkpoints = True
            self._set_auto_checkpoint()

    def _set_auto_checkpoint(self) -> None:
        if self._idle_checkpoints:
            with suppress(*FAILURES):
                self._conn.execute(f"PRAGMA wal_autocheckpoint = {IDLE_BACKSTOP_PAGES}")

    def checkpoint(self) -> bool:
        """Copy the committed pages of the -wal into the main file: a PASSIVE checkpoint
        (it never waits for another connection), through this connection; it may be
        called from a thread. It holds this store's lock meanwhile, so an answer given in
        those few milliseconds waits for it: the app calls it once the learner paused.
        (A connection of its own would not hold the lock, but with the -wal deleted under
        us it would create a new empty one beside the deleted file this connection still
        appends to, and the rescue after the next commit would not see that it was gone.)
        Nothing is lost if it fails or the process is killed: the answers stay in the
        -wal. Returns whether it copied everything (False too when nothing was committed
        since the last one)."""
        with self._lock:
            if self._writes == self._checkpointed:
                return False
            self._checkpointed = self._writes
            try:
                busy = self._conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()[0]
            except FAILURES:
                return False
            return bool(busy == 0)

    # ------------------------------------------------------------ transactions
    @contextmanager
    def _write(self, *, wait: bool = True) -> Iterator[sqlite3.Connection]:
        """One short write transaction, taken eagerly (BEGIN IMMEDIATE) so that two
        writers serialize on the busy timeout instead of failing on upgrade.
        ``wait=False``: a write that may be left for later (a reader's upkeep) fails at
        once as ``locked`` while another connection holds the write lock."""
        with self._lock:
            try:
                if not wait:
                    self._conn.execute("PRAGMA busy_timeout = 0")
                try:
                    self._conn.execute("BEGIN IMMEDIATE")
                finally:
                    if not wait:
                        self._conn.execute(f"PRAGMA busy_timeout = {opening.BUSY_TIMEOUT_MS}")
            except FAILURES as exc:
                raise store_error(self.path, exc, "save progress") from exc
            try:
                yield self._conn
            except FAILURES as exc:  # locked past the timeout, disk full, damaged
                self._rollback()
                raise store_error(self.path, exc, "save progress") from exc
            except BaseException:
                self._rollback()
                raise
            else:
                try:
                    self._conn.execute("COMMIT")
                except FAILURES as exc:
                    self._rollback()
                    raise store_error(self.path, exc, "save progress") from exc
                self._writes += 1
                if not self._wal.exists():
                    self._rescue_wal()

    def _rescue_wal(self) -> None:
        """The -wal was deleted under us: SQLite still appends to the deleted file, so
        a kill would lose every answer since the last checkpoint, and a second process
        would start a new -wal beside the shared index. Copy everything into the main
        file now, then reconnect so that a fresh -wal is used from here on."""
        with suppress(*FAILURES):
            self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        with suppress(*FAILURES, StoreError):
            fresh = connect(self.path)
            self._conn.close()
            self._conn = fresh
            self._set_auto_checkpoint()

    def _rollback(self) -> None:
        # A failed statement may already have ended the transaction.
        if self._conn.in_transaction:
            with suppress(sqlite3.DatabaseError):
                self._conn.execute("ROLLBACK")

    def _read(self, sql: str, params: Any = ()) -> list[sqlite3.Row]:
        with self._lock:
            try:
                return self._conn.execute(sql, params).fetchall()
            except FAILURES as exc:
                raise store_error(self.path, exc, "read progress") from exc

    def _read_tuples(self, sql: str, params: Any = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            try:
                cur = self._conn.cursor()
                cur.row_factory = None
                return cur.execute(sql, params).fetchall()
            except FAILURES as exc:
                raise store_error(self.path, exc, "read progress") from exc

    # ------------------------------------------------------------------ health
    def integrity_check(self) -> list[str]:
        """``PRAGMA integrity_check`` messages (``["ok"]`` when healthy)."""
        return [r[0] for r in self._read("PRAGMA integrity_check")]
