"""Opening a progress file safely: inspect it read-only, refuse what we must not
touch, migrate forward, or move a bad file aside on request.

The checks at open, cheapest first (a refused file is left byte-identical):

1. the header: a SQLite file, a sane page size, and — when there is no -wal to
   complete it — a size that is a whole number of pages and at least the page count
   the header records (a truncated file passes ``quick_check``: SQLite reads the
   missing tail as zeros);
2. the schema text is UTF-8, the application id is ours, the schema not newer;
3. ``PRAGMA quick_check`` on every open (~25 ms for 100k reviews, ~230 ms for 1M);
4. a full ``PRAGMA integrity_check`` (which also matches every index to its table)
   on the first open after :data:`FULL_CHECK_EVERY_MS` (~0.1 s for 100k reviews,
   ~1.0–1.5 s for 1M); the time of the last passed check is kept in ``meta``.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import suppress
from pathlib import Path
from urllib.parse import quote

from quizapp.srs.errors import (
    ADVICE,
    FAILURES,
    StoreError,
    describe,
    kind_of,
    refuse,
    store_error,
)
from quizapp.srs.schema import APP_ID, MIGRATIONS, SCHEMA_VERSION

__all__ = [
    "ADVICE",
    "BUSY_TIMEOUT_MS",
    "connect",
    "connect_read_only",
    "create_file",
    "in_use",
    "inspect_file",
    "migrate",
    "move_no_replace",
    "refuse",
]

BUSY_TIMEOUT_MS = 10_000
SQLITE_HEADER = b"SQLite format 3\x00"
#: A full integrity check runs when the last one passed longer ago than this.
FULL_CHECK_EVERY_MS = 20 * 3600 * 1000
CHECKED_KEY = "integrity_checked_at"
#: Files SQLite keeps beside a database; they belong to it and move with it.
SIDE_FILES = ("-wal", "-shm", "-journal")
# The "dead man switch" byte of a -shm file: every process with the database open in
# WAL mode holds a shared lock on it (SQLite's os_unix.c, UNIX_SHM_DMS).
_SHM_DMS_BYTE = 128


def inspect_file(path: Path, *, full_check: bool | None = None) -> bool:
    """Refuse a file we must not touch, reading it through a read-only connection.

    ``full_check``: True always runs ``integrity_check``, False never, None when the
    last passed check is older than :data:`FULL_CHECK_EVERY_MS`. Returns whether a
    full check ran (and passed), so that the caller records it.
    """
    if path.is_dir():
        raise refuse(path, "is a folder, not a progress file", kind="refused")
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            header = fh.read(100)
    except OSError as exc:
        raise store_error(path, exc, "read the progress file") from exc
    if not header:
        return False  # an empty file is an empty database: nothing to lose
    if not header.startswith(SQLITE_HEADER):
        raise refuse(path, "is not a SQLite database (the file is corrupt or something else)")
    # Without a -wal (or a rollback journal) the main file alone is the database and
    # its size must agree with its header. A -wal may legitimately complete a file
    # cut short by a checkpoint that was killed half-way; SQLite finishes it on open.
    wal = path.with_name(path.name + "-wal")
    has_wal = wal.exists() and wal.stat().st_size > 0
    if not has_wal and not path.with_name(path.name + "-journal").exists():
        _check_size(path, header, size)
    # immutable=1 guarantees SQLite creates no -wal/-shm beside a file we may refuse;
    # with a -wal its committed pages must be seen, so read through mode=ro.
    flag = "mode=ro" if wal.exists() else "mode=ro&immutable=1"
    uri = f"file:{quote(str(path.resolve()))}?{flag}"
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    except FAILURES as exc:
        raise _open_error(path, exc) from exc
    conn.text_factory = bytes  # the schema's text is checked below, not trusted
    try:
        return _inspect(conn, path, full_check)
    except FAILURES as exc:
        raise _open_error(path, exc) from exc
    finally:
        conn.close()


def _inspect(conn: sqlite3.Connection, path: Path, full_check: bool | None) -> bool:
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    tables = []
    for kind, name, sql in conn.execute("SELECT type, name, sql FROM sqlite_master"):
        try:
            name = name.decode("utf-8") if name is not None else ""
            if sql is not None:
                sql.decode("utf-8")
        except (UnicodeDecodeError, AttributeError):
            raise refuse(path, "is corrupt (its schema holds text that is not UTF-8)") from None
        if kind == b"table":
            tables.append(name)
    if app_id != APP_ID and (tables or version):
        raise refuse(
            path,
            "is a SQLite database of another application, not quizapp progress "
            f"(tables: {', '.join(sorted(tables)[:6]) or 'none'})",
            kind="refused",
        )
    if version > SCHEMA_VERSION:
        raise refuse(
            path,
            f"was written by a newer quizapp (schema {version}; this version reads up to "
            f"{SCHEMA_VERSION}). Upgrade quizapp to use it",
            kind="refused",
        )
    _run_check(conn, path, "quick_check")
    if full_check is None:
        full_check = _full_check_due(conn, tables)
    if full_check:
        _run_check(conn, path, "integrity_check")
    return full_check


def _run_check(conn: sqlite3.Connection, path: Path, pragma: str) -> None:
    found = [_text(r[0]) for r in conn.execute(f"PRAGMA {pragma}(5)")]
    if found != ["ok"]:
        raise refuse(path, f"is corrupt ({'; '.join(found)})")


def _full_check_due(conn: sqlite3.Connection, tables: list[str]) -> bool:
    if "meta" not in tables:
        return True
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (CHECKED_KEY,)).fetchone()
    try:
        last = int(row[0]) if row else 0
    except ValueError:
        return True
    return not 0 <= now_ms() - last < FULL_CHECK_EVERY_MS


def _check_size(path: Path, header: bytes, size: int) -> None:
    """Refuse a file shorter than its header says (or not a whole number of pages)."""
    if len(header) < 100:
        raise refuse(path, f"is truncated ({size} bytes, shorter than a SQLite header)")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        raise refuse(path, f"is corrupt (its header gives a page size of {page_size} bytes)")
    pages = int.from_bytes(header[28:32], "big")
    size_valid = header[92:96] == header[24:28]  # "version-valid-for" = change counter
    expected = pages * page_size if size_valid and pages else None
    if size % page_size or (expected is not None and size < expected):
        said = f"; its header says {expected:,}" if expected is not None else ""
        raise refuse(
            path,
            f"is truncated ({size:,} bytes, not whole pages of {page_size:,} bytes{said})",
        )


def _open_error(path: Path, exc: BaseException) -> StoreError:
    if kind_of(exc) == "corrupt":
        return refuse(path, f"is corrupt or unreadable ({describe(exc)})")
    return store_error(path, exc, "open the progress file")


def _text(value: object) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def now_ms() -> int:
    return int(time.time() * 1000)


def in_use(path: Path) -> bool:
    """Whether another process has the database ``path`` open (WAL mode, POSIX locks).

    Tries to take the -shm file's dead-man-switch byte exclusively for an instant:
    that fails while any other process holds its shared lock. A connection of this
    process does not count (POSIX locks belong to the process), and this process must
    not have the file open itself: closing our descriptor of the -shm would drop its
    SQLite locks (the CLI's reset-progress opens nothing). False where it cannot tell
    (no fcntl, no -shm file, no access).
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        return False
    shm = path.with_name(path.name + "-shm")
    try:
        fd = os.open(shm, os.O_RDWR)
    except OSError:
        return False  # no -shm: no WAL connection is open
    try:
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, _SHM_DMS_BYTE, os.SEEK_SET)
        except OSError:
            return True
        fcntl.lockf(fd, fcntl.LOCK_UN, 1, _SHM_DMS_BYTE, os.SEEK_SET)
        return False
    finally:
        os.close(fd)


def move_no_replace(source: Path, target: Path) -> None:
    """Rename ``source`` to ``target``; FileExistsError rather than replace ``target``."""
    try:
        os.link(source, target)  # fails if target exists: no window to overwrite it
    except FileExistsError:
        raise
    except OSError:  # no hard links on this file system
        if target.exists():
            raise FileExistsError(target) from None
        os.rename(source, target)
        return
    os.unlink(source)


def create_file(path: Path) -> None:
    """Create ``path`` empty with mode 0600, and its missing folders with 0700:
    progress is personal. An existing file is left as it is."""
    try:
        missing = []
        folder = path.parent
        while not folder.exists():
            missing.append(folder)
            folder = folder.parent
        for folder in reversed(missing):
            folder.mkdir(mode=0o700, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.close(fd)
    except FileExistsError:
        pass
    except OSError as exc:
        raise store_error(path, exc, "create the progress file") from exc


def connect(path: Path) -> sqlite3.Connection:
    """The store's read-write connection: WAL, synchronous=FULL, foreign keys, busy timeout."""
    try:
        conn = sqlite3.connect(
            path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
        )
    except FAILURES as exc:
        raise store_error(path, exc, "open the progress file") from exc
    conn.row_factory = sqlite3.Row
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
    except FAILURES as exc:
        conn.close()
        if kind_of(exc) == "corrupt":
            raise refuse(path, f"cannot be used ({describe(exc)})") from exc
        raise store_error(path, exc, "open the progress file") from exc
    return conn


def connect_read_only(path: Path) -> sqlite3.Connection:
    """A connection that never writes, for a file that cannot be written (read-only
    file, folder or file system) and a caller that only reads.

    ``mode=ro`` first: it sees a -wal's committed pages and waits on a writer that
    reaches the file through another (writable) mount. SQLite cannot open a WAL
    database that way when it cannot create the -shm file beside it (a read-only
    folder or file system); then, and only when there is no -wal (no connection has
    the file open and the main file alone is the whole database), ``immutable=1``,
    which reads the file as it is and takes no locks. With a -wal and no way to make
    a -shm, the original refusal stands. The schema must be this version's: an older
    file needs its migrations, which are writes.
    """
    base = f"file:{quote(str(path.resolve()))}"
    wal = path.with_name(path.name + "-wal")
    flags = ["mode=ro"]
    if not (wal.exists() and wal.stat().st_size > 0):
        flags.append("mode=ro&immutable=1")
    failure: BaseException | None = None
    for flag in flags:
        try:
            conn = sqlite3.connect(
                f"{base}?{flag}",
                uri=True,
                timeout=BUSY_TIMEOUT_MS / 1000,
                isolation_level=None,
                check_same_thread=False,
            )
        except FAILURES as exc:
            failure = exc
            continue
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA query_only = ON")
            version = conn.execute("PRAGMA user_version").fetchone()[0]
        except FAILURES as exc:
            conn.close()
            failure = exc
            continue
        if version != SCHEMA_VERSION:
            conn.close()
            raise StoreError(
                f"{path}: has schema {version}; this quizapp reads it only after upgrading "
                f"it to {SCHEMA_VERSION}, which needs a writable file. Copy the folder to a "
                "writable place and use it with `quizapp --home DIR`",
                kind="read_only",
                path=path,
            )
        conn.row_factory = sqlite3.Row
        return conn
    assert failure is not None
    raise store_error(path, failure, "open the progress file read-only")


def schema_is_current(conn: sqlite3.Connection) -> bool:
    """Whether the file holds this version's schema (a read: it waits on no writer)."""
    return bool(conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION)


def stamp_checked_if_free(conn: sqlite3.Connection) -> bool:
    """Remember that a full integrity check just passed (the next is due in a day), only
    if the write lock is free now: a reader never waits for it. False when the stamp was
    not written (locked, read-only: the check is simply due again next time)."""
    conn.execute("PRAGMA busy_timeout = 0")
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (CHECKED_KEY, str(now_ms()))
        )
        conn.execute("COMMIT")
        return True
    except FAILURES:
        if conn.in_transaction:
            with suppress(*FAILURES):
                conn.execute("ROLLBACK")
        return False
    finally:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")


def migrate(conn: sqlite3.Connection, path: Path, *, checked: bool = False) -> None:
    """Run MIGRATIONS[v:] forward, one transaction per step; never downgrade.

    ``checked``: a full integrity check just passed; remember when (in ``meta``).
    """
    while True:
        conn.execute("BEGIN IMMEDIATE")
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise refuse(
                    path,
                    f"has schema {version}, newer than this quizapp ({SCHEMA_VERSION})",
                    kind="refused",
                )
            if version == SCHEMA_VERSION:
                # A write at every open: a read-only file or folder is found now, not
                # at the learner's first answer (BEGIN IMMEDIATE alone does not fail).
                conn.execute(f"PRAGMA user_version = {version}")
                if checked:
                    conn.execute(
                        "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                        (CHECKED_KEY, str(now_ms())),
                    )
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
            if conn.in_transaction:
                with suppress(*FAILURES):
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
