"""What went wrong with the progress file, in the learner's words, and whether trying
again can help.

Every SQLite or OS failure under :mod:`quizapp.srs` becomes a :class:`StoreError`
whose :attr:`~StoreError.kind` tells a caller what to do: keep the unsaved answer and
offer to retry (``locked``, ``disk_full``, ``read_only``, ``io``), or stop and show the
way out (``corrupt``, ``refused``, ``moved``).
"""

from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path
from typing import Literal

Kind = Literal["locked", "disk_full", "read_only", "corrupt", "refused", "moved", "io"]

#: Kinds where nothing is wrong with the file itself: the same call can succeed later.
RETRYABLE: frozenset[str] = frozenset({"locked", "disk_full", "read_only", "io"})
#: What a database call can raise for reasons outside our code.
FAILURES = (sqlite3.DatabaseError, UnicodeDecodeError, OSError)

ADVICE = (
    "Your progress file was left untouched. Use another data folder with "
    "`quizapp --home DIR`, or start fresh with `quizapp reset-progress` "
    "(it moves this file aside, as <name>.corrupt-<timestamp> when it is damaged; "
    "nothing is deleted)."
)

# SQLite primary result codes (sqlite3.h) and the one extended code we name.
_BUSY, _LOCKED, _READONLY, _PERM, _AUTH = 5, 6, 8, 3, 23
_CORRUPT, _NOTADB, _FORMAT, _FULL = 11, 26, 24, 13
_READONLY_DBMOVED = 1032


class StoreError(Exception):
    """The progress database cannot be used; the message says what, where and what to do.

    ``kind`` is one of ``locked`` (another program holds the write lock past the busy
    timeout), ``disk_full``, ``read_only`` (file, folder or file system), ``corrupt``,
    ``refused`` (not ours, a newer schema, a folder), ``moved`` (the file was moved or
    deleted while open) and ``io`` (any other failure). Nothing is ever half-written:
    after a retryable error the same call can simply be made again.
    """

    def __init__(self, message: str, *, kind: Kind = "io", path: Path | None = None) -> None:
        super().__init__(message)
        self.kind: Kind = kind
        self.path = path

    @property
    def retryable(self) -> bool:
        """True when the file is fine and the same call may succeed later."""
        return self.kind in RETRYABLE


def kind_of(exc: BaseException) -> Kind:
    """Classify a SQLite, OS or decoding failure."""
    if isinstance(exc, UnicodeDecodeError):
        return "corrupt"  # text columns hold bytes that are not UTF-8
    if isinstance(exc, OSError):
        if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
            return "disk_full"
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            return "read_only"
        return "io"
    code = getattr(exc, "sqlite_errorcode", None)
    if code is None:
        return _kind_from_text(str(exc))
    if code == _READONLY_DBMOVED:
        return "moved"
    primary = code & 0xFF
    if primary in (_BUSY, _LOCKED):
        return "locked"
    if primary == _FULL:
        return "disk_full"
    if primary in (_READONLY, _PERM, _AUTH):
        return "read_only"
    if primary in (_CORRUPT, _NOTADB, _FORMAT):
        return "corrupt"
    return _kind_from_text(str(exc))


def _kind_from_text(text: str) -> Kind:
    text = text.lower()
    if "locked" in text or "busy" in text:
        return "locked"
    if "disk is full" in text or "disk full" in text:
        return "disk_full"
    if "readonly" in text or "read-only" in text:
        return "read_only"
    damaged = (
        "malformed",
        "not a database",
        "corrupt",
        "decode to utf-8",
        "unsupported file format",
    )
    if any(w in text for w in damaged):
        return "corrupt"
    return "io"


def refuse(path: Path, what: str, *, kind: Kind = "corrupt") -> StoreError:
    """The error for a file we will not use: what is wrong, where, and the way out."""
    return StoreError(f"{path}: {what}. {ADVICE}", kind=kind, path=path)


def read_only_place(path: Path) -> bool:
    """Whether ``path`` or its folder cannot be written (permissions or a read-only mount)."""
    try:
        if os.statvfs(path.parent).f_flag & os.ST_RDONLY:
            return True
        return not os.access(path.parent, os.W_OK) or (
            path.exists() and not os.access(path, os.W_OK)
        )
    except (OSError, AttributeError):  # no statvfs (Windows) or no folder
        return False


def read_only_mount(path: Path) -> bool:
    """Whether ``path``'s folder is on a file system mounted read-only (EROFS)."""
    try:
        return bool(os.statvfs(path.parent).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):
        return False


def describe(exc: BaseException) -> str:
    """A short description of ``exc`` for a message."""
    if isinstance(exc, UnicodeDecodeError):
        return "it holds text that is not UTF-8"
    return getattr(exc, "strerror", None) or str(exc) or type(exc).__name__


def store_error(path: Path, exc: BaseException, doing: str) -> StoreError:
    """A :class:`StoreError` for ``exc`` met while ``doing`` (e.g. "save progress")."""
    kind = kind_of(exc)
    if kind == "io" and read_only_place(path):
        kind = "read_only"  # SQLite says "unable to open" when it cannot create -wal/-shm
    detail = describe(exc)
    if kind == "disk_full":
        text = (
            f"{path}: cannot {doing}: the disk is full. Nothing already saved is lost; "
            "free some space and try again"
        )
    elif kind == "locked":
        text = (
            f"{path}: cannot {doing}: another program (another quizapp?) has kept the "
            "progress file locked for over 10 seconds. Nothing was half-written; close the other "
            "program and try again"
        )
    elif kind == "read_only" and read_only_mount(path):  # chmod cannot help there
        text = (
            f"{path}: cannot {doing}: the folder is on a read-only file system ({detail}). "
            "Copy the folder to a writable place and use it with `quizapp --home DIR`"
        )
    elif kind == "read_only":
        text = (
            f"{path}: cannot {doing}: the progress file or its folder is read-only "
            f"({detail}). Make both writable (e.g. `chmod u+w`), or use `quizapp --home DIR`"
        )
    elif kind == "moved":
        text = (
            f"{path}: cannot {doing}: the progress file was moved or deleted while quizapp "
            "had it open (by `quizapp reset-progress`?). Restart quizapp"
        )
    elif kind == "corrupt":
        return refuse(path, f"is damaged ({detail}); nothing was half-written")
    else:
        text = f"{path}: cannot {doing} ({detail}). Nothing was half-written; try again"
    return StoreError(text, kind=kind, path=path)
