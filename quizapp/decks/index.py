"""The content index: what each deck file gave when it was last read, so a start after no
change parses nothing and a change re-parses only the files that changed.

One SQLite file in the data dir (``content-index.sqlite3``; never pickle), one row per deck
file, keyed by the file's resolved path and checked against its size, mtime and content
hash (BLAKE2b). A row holds the file's deck fields, its problems (so a file with errors is
left out with the same located messages without being read), the items' index columns
(ids, kinds, topics, tags, drills, lines: one list each, cheap to read back) and, apart,
the items' tables as parsed (JSON), from which :attr:`~quizapp.decks.catalog.CatalogItem.item` builds a model on first use.

A file whose size and mtime match its row is taken as is, unless it was written within
:data:`RACY_NS` of being indexed (git's "racily clean" case: a change in the same clock
tick), in which case its hash decides. A file whose size or mtime changed is hashed: same
hash, the row stands (its stat is updated); else it is parsed again.

The index is a cache: missing, corrupt, locked, read-only or from another version (of the
format or of the code that checks decks) it is rebuilt or bypassed silently; nothing here
ever stops a deck from loading. It is written only where the data dir already exists.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from quizapp.decks.problems import ContentProblem
from quizapp.plain import Plain

INDEX_FILENAME = "content-index.sqlite3"
#: Bump when the stored record changes shape.
FORMAT = 3
#: A file modified this close to (or after) the moment it was indexed is verified by hash.
RACY_NS = 2_000_000_000
# The code that decides what a deck file gives: a change to any of it (an upgrade, a
# checkout) makes the index another version. Every module of decks/ and engine/ counts:
# checking a drill item's params reads its kind's own module (engine/drills/<kind>.py), and
# drawing the sample problems runs optim, schedules, ... -- not only the registry
# (engine/drills/catalog.py). A few dozen stats, read without importing anything.
_CODE = ("__init__.py",)
_CODE_TREES = ("decks", "engine")
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    hash TEXT NOT NULL,
    indexed_ns INTEGER NOT NULL,
    record TEXT NOT NULL,
    bodies TEXT
);
"""


def content_hash(raw: bytes) -> str:
    # imported when a file must be hashed: a warm start (every stat unchanged) hashes
    # nothing, and hashlib (OpenSSL's bindings) is ~7 M instructions to import
    import hashlib

    return hashlib.blake2b(raw, digest_size=16).hexdigest()


def code_stamp() -> str:
    """The format, the version and the stats of the deck-checking modules."""
    from quizapp import __version__

    root = Path(__file__).resolve().parent.parent
    parts = [f"format={FORMAT}", f"version={__version__}"]
    for name in _CODE:
        try:
            st = (root / name).stat()
            parts.append(f"{name}:{st.st_size}:{st.st_mtime_ns}")
        except OSError:
            parts.append(f"{name}:-")
    for tree in _CODE_TREES:
        parts.extend(_tree_stats(os.path.join(root, tree), tree))
    return "|".join(parts)


def _tree_stats(folder: str, name: str) -> list[str]:
    """``name/module.py:size:mtime_ns`` for every module under ``folder``, sorted; a folder
    that cannot be read gives one ``name:-``."""
    out: list[str] = []
    try:
        with os.scandir(folder) as entries:
            found = sorted((e.name, e) for e in entries)
    except OSError:
        return [f"{name}:-"]
    for entry_name, entry in found:
        try:
            if entry_name.endswith(".py"):
                st = entry.stat()
                out.append(f"{name}/{entry_name}:{st.st_size}:{st.st_mtime_ns}")
            elif entry_name != "__pycache__" and entry.is_dir():
                out.extend(_tree_stats(entry.path, f"{name}/{entry_name}"))
        except OSError:
            out.append(f"{name}/{entry_name}:-")
    return out


class FileState(Plain):
    """What the index knows of one file, and what the disk says now."""

    __slots__ = ("path", "size", "mtime_ns", "hash", "raw")

    def __init__(
        self, path: str, size: int, mtime_ns: int, hash: str, raw: bytes | None = None
    ) -> None:
        self.path = path
        self.size = size
        self.mtime_ns = mtime_ns
        self.hash = hash
        self.raw = raw  # the bytes read to hash it, when they were read


class _Row(Plain):
    """A file's row as read back (the columns :meth:`ContentIndex._row` selects)."""

    __slots__ = ("size", "mtime_ns", "hash", "indexed_ns", "record")

    def __init__(self, size: int, mtime_ns: int, hash: str, indexed_ns: int, record: str) -> None:
        self.size = size
        self.mtime_ns = mtime_ns
        self.hash = hash
        self.indexed_ns = indexed_ns
        self.record = record


class ContentIndex:
    """An open content index. Use :meth:`open`; every method swallows SQLite errors."""

    def __init__(self, conn: sqlite3.Connection, location: Path) -> None:
        self._conn = conn
        self.location = location
        self._pending: list[tuple[Any, ...]] = []
        self._touched: list[tuple[int, int, int, str]] = []
        self.hits = 0
        self.parsed = 0

    # -- opening ----------------------------------------------------------------------------
    @classmethod
    def open(cls, location: Path | None = None) -> ContentIndex | None:
        """The index in the data dir (or ``location``), or None when it cannot be used."""
        from quizapp import paths

        if location is None:
            if not paths.data_dir().is_dir():
                return None  # nothing is created until the learner has a data dir
            location = paths.data_dir() / INDEX_FILENAME
        for attempt in range(2):
            try:
                return cls._open(location)
            except (sqlite3.Error, OSError, ValueError):
                if attempt == 0:
                    _remove(location)  # corrupt or foreign: rebuilt from scratch
        return None

    @classmethod
    def _open(cls, location: Path) -> ContentIndex:
        if not location.exists():
            os.close(os.open(location, os.O_CREAT | os.O_WRONLY, 0o600))
        conn = sqlite3.connect(location, timeout=0.2, isolation_level=None)
        try:
            conn.execute("PRAGMA synchronous=OFF")  # a cache: a torn write is rebuilt
            conn.executescript(_SCHEMA)
            stamp = code_stamp()
            found = conn.execute("SELECT value FROM meta WHERE key='stamp'").fetchone()
            if found is None or found[0] != stamp:
                with _transaction(conn):
                    conn.execute("DELETE FROM files")
                    conn.execute("INSERT OR REPLACE INTO meta VALUES ('stamp', ?)", (stamp,))
            # the columns we use, or an error (then the file is replaced): a foreign table
            conn.execute(
                "SELECT path, size, mtime_ns, hash, indexed_ns, record, bodies FROM files LIMIT 0"
            )
            return cls(conn, location)
        except BaseException:
            conn.close()
            raise

    def close(self) -> None:
        """Close the connection (the catalog's items keep the index only to read their
        bodies, through a connection of their own)."""
        self._pending.clear()
        with contextlib.suppress(sqlite3.Error):
            self._conn.close()

    # -- reading ------------------------------------------------------------------------------
    def lookup(
        self, path: Path, *, rebuild: bool = False
    ) -> tuple[dict[str, Any] | None, FileState | None]:
        """(the stored record, None) when ``path`` is unchanged; else (None, its state now,
        with the bytes read to hash it, if any). (None, None) when it cannot be read.
        ``rebuild``: every file counts as changed."""
        key = str(path)
        try:
            st = path.stat()
        except OSError:
            return None, None
        row = None if rebuild else self._row(key)
        state = FileState(key, st.st_size, st.st_mtime_ns, "")
        if row is not None and row.size == st.st_size:
            racy = row.mtime_ns >= row.indexed_ns - RACY_NS
            if row.mtime_ns == st.st_mtime_ns and not racy:
                record = self._record(row)
                if record is not None:
                    return record, None
            try:
                state.raw = path.read_bytes()
            except OSError:
                return None, state
            state.hash = content_hash(state.raw)
            if state.hash == row.hash:
                record = self._record(row)
                if record is not None:
                    if row.mtime_ns != st.st_mtime_ns or racy:
                        self._touched.append((st.st_mtime_ns, time.time_ns(), st.st_size, key))
                    return record, None
        return None, state  # parsed again, and stored over a row we could not use

    def _row(self, key: str) -> _Row | None:
        """The file's row (one query per file: rows of files not asked for stay unread)."""
        try:
            found = self._conn.execute(
                "SELECT size, mtime_ns, hash, indexed_ns, record FROM files WHERE path=?", (key,)
            ).fetchone()
        except sqlite3.Error:
            return None
        return _Row(*found) if found is not None else None

    def _record(self, row: _Row) -> dict[str, Any] | None:
        """The stored record, or None if it is not one we wrote (then the file is parsed)."""
        try:
            record = json.loads(row.record)
        except ValueError:
            return None
        columns = record.get("columns") if isinstance(record, dict) else None
        if not _columns_ok(columns):
            return None
        record["hash"] = row.hash
        self.hits += 1
        return record

    def bodies(self, path: str, hash_: str) -> list[dict[str, Any]] | None:
        """The items' tables of ``path`` as indexed with ``hash_``; None if gone or changed.

        A new connection each time: this runs when a screen first shows an item of the
        file, maybe from another thread, long after the catalog was loaded."""
        import urllib.parse

        try:
            # read-only: a deleted index is not created again by a late read
            uri = f"file:{urllib.parse.quote(str(self.location))}?mode=ro"
            conn = sqlite3.connect(uri, uri=True, timeout=0.5)
            try:
                found = conn.execute(
                    "SELECT bodies FROM files WHERE path=? AND hash=?", (path, hash_)
                ).fetchone()
            finally:
                conn.close()
            if found is None or found[0] is None:
                return None
            bodies = json.loads(found[0])
        except (sqlite3.Error, ValueError):
            return None
        return bodies if isinstance(bodies, list) else None

    # -- writing ------------------------------------------------------------------------------
    def store(self, state: FileState, record: dict[str, Any], bodies: list[Any] | None) -> None:
        """Remember what ``state``'s file gave (written by :meth:`flush`)."""
        try:
            record_json = json.dumps(record, ensure_ascii=False, allow_nan=False)
            bodies_json = (
                None if bodies is None else json.dumps(bodies, ensure_ascii=False, allow_nan=False)
            )
        except (TypeError, ValueError):  # a value JSON cannot hold: not cached
            return
        self.parsed += 1
        self._pending.append(
            (
                state.path,
                state.size,
                state.mtime_ns,
                state.hash,
                time.time_ns(),
                record_json,
                bodies_json,
            )
        )

    def flush(self) -> None:
        """Write what was stored and touched, and forget files that no longer exist."""
        if not self._pending and not self._touched:
            return
        try:
            paths = [p for (p,) in self._conn.execute("SELECT path FROM files")]
            gone = [(p,) for p in paths if not os.path.exists(p)]
            with _transaction(self._conn):
                self._conn.executemany(
                    "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?, ?)", self._pending
                )
                self._conn.executemany(
                    "UPDATE files SET mtime_ns=?, indexed_ns=? WHERE size=? AND path=?",
                    self._touched,
                )
                self._conn.executemany("DELETE FROM files WHERE path=?", gone)
        except sqlite3.Error:
            pass  # locked by another quizapp, read-only, full: next start tries again
        self._pending.clear()
        self._touched.clear()


# What each column of a record may hold (ids, kinds, topics, tags, drills, lines): checked
# by C-level passes (map, set) so that a record read back costs no loop per item.
_COLUMN_TYPES = (
    {str},
    {str},
    {str, type(None)},
    {str},  # tags, space-separated
    {str, type(None)},
    {int, type(None)},
)


def _columns_ok(columns: Any) -> bool:
    if not isinstance(columns, list) or len(columns) != len(_COLUMN_TYPES):
        return False
    if not all(isinstance(c, list) for c in columns) or len({len(c) for c in columns}) != 1:
        return False
    return all(
        set(map(type, c)) <= allowed for c, allowed in zip(columns, _COLUMN_TYPES, strict=True)
    )


def problem_to_row(problem: ContentProblem) -> list[Any]:
    return [
        problem.path,
        problem.message,
        problem.line,
        problem.column,
        problem.field,
        problem.hint,
        problem.severity,
    ]


def problem_from_row(row: list[Any]) -> ContentProblem:
    path, message, line, column, field_, hint, severity = row
    return ContentProblem(path, message, line, column, field_, hint, severity)


@contextlib.contextmanager
def _transaction(conn: sqlite3.Connection) -> Iterator[None]:
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _remove(location: Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        with contextlib.suppress(OSError):
            Path(str(location) + suffix).unlink()
