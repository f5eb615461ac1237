"""Opening a progress file safely: inspect it read-only, refuse what we must not
touch, migrate forward, or move a bad file aside on request.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

from quizapp.srs.records import StoreError
from quizapp.srs.schema import APP_ID, MIGRATIONS, SCHEMA_VERSION

BUSY_TIMEOUT_MS = 10_000
SQLITE_HEADER = b"SQLite format 3\x00"
ADVICE = (
    "Your progress file was left untouched. Use another data folder with "
    "`quizapp --home DIR`, or start fresh with `quizapp reset-progress` "
    "(it moves this file aside as <name>.corrupt-<timestamp>; nothing is deleted)."
)


def refuse(path: Path, what: str) -> StoreError:
    """The error for a file we will not use: what is wrong, where, and what to do."""
    return StoreError(f"{path}: {what}. {ADVICE}")


def inspect_file(path: Path) -> None:
    """Refuse a file we must not touch, reading it through a read-only connection."""
    if path.is_dir():
        raise StoreError(f"{path}: is a folder, not a progress file. {ADVICE}")
    try:
        with path.open("rb") as fh:
            header = fh.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise StoreError(f"{path}: cannot read the progress file: {exc.strerror or exc}") from exc
    if not header:
        return  # an empty file is an empty database: nothing to lose
    if header != SQLITE_HEADER:
        raise refuse(path, "is not a SQLite database (the file is corrupt or something else)")
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
        raise refuse(path, f"cannot be opened ({exc})") from exc
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        if app_id != APP_ID and (tables or version):
            raise refuse(
                path,
                "is a SQLite database of another application, not quizapp progress "
                f"(tables: {', '.join(sorted(tables)[:6]) or 'none'})",
            )
        if version > SCHEMA_VERSION:
            raise refuse(
                path,
                f"was written by a newer quizapp (schema {version}; this version reads up to "
                f"{SCHEMA_VERSION}). Upgrade quizapp to use it",
            )
        problems = [r[0] for r in conn.execute("PRAGMA quick_check(5)")]
        if problems != ["ok"]:
            raise refuse(path, f"is corrupt ({'; '.join(problems)})")
    except sqlite3.DatabaseError as exc:
        raise refuse(path, f"is corrupt or unreadable ({exc})") from exc
    finally:
        conn.close()


def migrate(conn: sqlite3.Connection, path: Path) -> None:
    """Run MIGRATIONS[v:] forward, one transaction per step; never downgrade."""
    while True:
        conn.execute("BEGIN IMMEDIATE")
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise refuse(
                    path, f"has schema {version}, newer than this quizapp ({SCHEMA_VERSION})"
                )
            if version == SCHEMA_VERSION:
                conn.execute("COMMIT")
                return
            if version == 0:
                conn.execute(f"PRAGMA application_id = {APP_ID}")
            for script in MIGRATIONS[version]:
                for statement in statements(script):
                    conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {version + 1}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise


def statements(script: str) -> Iterator[str]:
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
