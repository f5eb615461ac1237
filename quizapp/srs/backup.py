"""Backups of the progress file with SQLite's online backup API.

A backup is a consistent copy taken through a read-only connection while quizapp (or a
second quizapp) may be writing: ``backups/progress-<UTC stamp>-<reason>.sqlite3`` beside
the progress file. One is taken before every bulk operation (reschedule, reset, import)
and once a study day; the newest :data:`KEEP` are kept.

:func:`restore` puts a backup in place of the progress file after checking it is a
quizapp file; the current file (with its ``-wal``/``-shm``) is moved aside, never deleted.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from quizapp.srs.errors import (
    ADVICE,
    StoreError,
    describe,
    kind_of,
    read_only_mount,
    read_only_place,
)
from quizapp.srs.opening import BUSY_TIMEOUT_MS, create_file, in_use, inspect_file, move_no_replace

__all__ = ["KEEP", "Backup", "backup", "backups", "daily_backup", "restore"]

#: How many backups are kept (the oldest beyond this are removed after each backup).
KEEP = 30
FOLDER = "backups"
_NAME = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}T\d{6}\d{3}Z)-(?P<reason>[a-z-]+)\.sqlite3$")
_STAMP = "%Y%m%dT%H%M%S"


@dataclass(frozen=True, slots=True)
class Backup:
    """One backup file: where it is, when it was taken (UTC) and why."""

    path: Path
    at: datetime
    reason: str

    @property
    def size(self) -> int:
        return self.path.stat().st_size


def backup_dir(db: Path) -> Path:
    """The folder backups of ``db`` go to."""
    return db.parent / FOLDER


def _stamp(moment: datetime) -> str:
    moment = moment.astimezone(UTC)
    return moment.strftime(_STAMP) + f"{moment.microsecond // 1000:03d}Z"


def _parse(path: Path, stem: str) -> Backup | None:
    match = _NAME.match(path.name)
    if match is None or match["stem"] != stem:
        return None
    raw = match["stamp"]
    at = datetime.strptime(raw[:15], _STAMP).replace(tzinfo=UTC, microsecond=int(raw[15:18]) * 1000)
    return Backup(path, at, match["reason"])


def backups(db: Path) -> list[Backup]:
    """The backups of ``db``, newest first."""
    folder = backup_dir(db)
    if not folder.is_dir():
        return []
    try:
        found = [b for p in folder.iterdir() if (b := _parse(p, db.stem)) is not None]
    except OSError as exc:
        raise StoreError(
            f"{folder}: cannot list the backups ({describe(exc)}); make the folder readable",
            kind=kind_of(exc),
            path=folder,
        ) from exc
    return sorted(found, key=lambda b: (b.at, b.path.name), reverse=True)


def backup(
    db: Path, *, reason: str = "manual", now: datetime | None = None, keep: int = KEEP
) -> Path:
    """Copy ``db`` into its backup folder with the online backup API; prune to ``keep``.

    Safe while another connection writes: SQLite copies a consistent snapshot. Raises
    :class:`StoreError` (naming the files) when the copy cannot be made; a half-written
    copy is removed, never left looking like a backup.
    """
    if not re.fullmatch(r"[a-z-]+", reason):
        raise ValueError(f"reason must be lowercase letters and '-', not {reason!r}")
    if not db.is_file():
        raise StoreError(f"{db}: there is no progress file to back up")
    folder = backup_dir(db)
    moment = now or datetime.now(UTC)
    target = folder / f"{db.stem}-{_stamp(moment)}-{reason}.sqlite3"
    n = 1
    while target.exists():  # two backups in the same millisecond
        target = folder / f"{db.stem}-{_stamp(moment)}-{reason}-{n}.sqlite3"
        n += 1
    partial = target.with_name(target.name + ".partial")
    try:
        _create(partial)  # 0600 in a 0700 folder: a backup is as personal as the file
        src = sqlite3.connect(
            f"file:{quote(str(db.resolve()))}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000
        )
        try:
            dst = sqlite3.connect(partial)
            try:
                src.backup(dst)
            finally:
                dst.close()
        finally:
            src.close()
        os.replace(partial, target)
    except (OSError, sqlite3.Error) as exc:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        raise _cannot_back_up(db, folder, exc) from exc
    try:
        for old in backups(db)[keep:]:
            old.path.unlink(missing_ok=True)
    except (OSError, StoreError):
        pass  # the backup is made; the oldest go next time
    return target


def _create(path: Path) -> None:
    """:func:`create_file`, its OS error kept for :func:`_cannot_back_up` to word."""
    try:
        create_file(path)
    except StoreError as exc:
        if isinstance(exc.__cause__, OSError):
            raise exc.__cause__ from None
        raise


def _cannot_back_up(db: Path, folder: Path, exc: BaseException) -> StoreError:
    """Why no backup of ``db`` could be made in ``folder``, located at the folder, with
    what the learner can do; nothing was changed (the progress file is only read)."""
    unchanged = f"Nothing was changed: {db} is as it was"
    detail = describe(exc)
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent  # the folder (or its parent) may not exist yet
    kind = kind_of(exc)
    if isinstance(exc, NotADirectoryError | FileExistsError) or (
        existing == folder and not folder.is_dir()
    ):
        what = f"{folder} is not a folder"
        todo = f"move that file away so quizapp can make the folder {folder.name}/ there"
    elif kind == "read_only" or read_only_place(existing / db.name):
        kind = "read_only"
        place = "the folder" if existing == folder else str(existing)
        if read_only_mount(existing / db.name):
            what = f"{place} is on a read-only file system ({detail})"
            todo = "copy the data folder to a writable place and use it with `quizapp --home DIR`"
        else:
            what = f"{place} cannot be written ({detail})"
            todo = f"make it writable (e.g. `chmod u+w {existing}`)"
        todo += ", or keep a copy elsewhere with `quizapp progress export FILE`"
    elif kind == "disk_full":
        what, todo = "the disk is full", "free some space and back up again"
    else:
        what, todo = detail, "try again"
    return StoreError(
        f"{folder}: cannot back up the progress file there: {what}. {unchanged}; {todo}",
        kind=kind,
        path=folder,
    )


def daily_backup(db: Path, day_start: datetime, *, now: datetime | None = None) -> Path | None:
    """Back up ``db`` unless a backup was already taken since ``day_start`` (the study
    day's start, UTC). Returns the new backup, or None when there was no need."""
    if not db.is_file():
        return None
    newest = backups(db)
    if newest and newest[0].at >= day_start:
        return None
    return backup(db, reason="daily", now=now)


_SIDES = ("-wal", "-shm", "-journal")


def _free_name(db: Path, tag: str) -> Path:
    """``<db>.<tag>`` (or ``<db>.<tag>-N``) such that neither it nor any side file of it
    exists, so moving the database and its side files there can replace nothing."""
    n = 0
    while True:
        target = db.with_name(f"{db.name}.{tag}" + (f"-{n}" if n else ""))
        if not any(target.with_name(target.name + s).exists() for s in ("", *_SIDES)):
            return target
        n += 1


# What inspect_file says of a file that was never a quizapp progress file.
_FOREIGN = ("is not a SQLite", "is a SQLite database of another", "is a folder", "is truncated")


def _inspect_backup(source: Path) -> None:
    """Refuse what cannot be restored, with the advice of restore (the progress file itself
    is fine: the advice for a damaged progress file, reset-progress, would be wrong)."""
    unchanged = "Nothing was changed: your progress file is as it was"
    listing = "`quizapp backup --list` shows the backups"
    try:
        empty = source.stat().st_size == 0
    except OSError:
        empty = False
    if empty:
        raise StoreError(
            f"{source}: is not a quizapp backup (the file is empty). {unchanged}; {listing}",
            kind="refused",
            path=source,
        )
    try:
        inspect_file(source)
    except StoreError as exc:
        if exc.kind not in ("corrupt", "refused"):
            raise
        what = str(exc).removeprefix(f"{source}: ").removesuffix(f". {ADVICE}")
        if what.startswith(_FOREIGN):
            text = (
                f"{source}: is not a quizapp backup: it {what}. {unchanged}; {listing} "
                "(a progress export, .jsonl, goes in with `quizapp progress import FILE`)"
            )
        else:
            text = f"{source}: {what}. {unchanged}; {listing}"
        raise StoreError(text, kind=exc.kind, path=source) from None


def restore(db: Path, source: Path, *, now: datetime | None = None) -> Path | None:
    """Put the backup ``source`` in place of ``db``; return where the old file went.

    ``source`` must be a quizapp progress file this version can read (checked read-only
    first, so a wrong file changes nothing). The current ``db`` and its ``-wal``/``-shm``
    are moved aside as ``<name>.before-restore-<stamp>``; the copy is written to a
    temporary name and renamed into place, so ``db`` is never half-restored. Returns
    None when there was no current file.
    """
    if not source.is_file():
        raise StoreError(f"{source}: no such backup file")
    if db.exists() and source.resolve() == db.resolve():
        raise StoreError(f"{source}: that is the progress file itself, not a backup")
    _inspect_backup(source)  # a corrupt, foreign, empty or too-new file changes nothing
    if db.exists() and in_use(db):
        raise StoreError(
            f"{db} is open in another quizapp; close it, then restore again",
            kind="locked",
            path=db,
        )
    stamp = _stamp(now or datetime.now(UTC))
    incoming = db.with_name(db.name + f".restoring-{stamp}")
    moved: Path | None = None
    try:
        create_file(incoming)  # 0600 (and 0700 folders), kept by copyfile
        shutil.copyfile(source, incoming)
        _fold_wal(source, incoming)
        if db.exists():
            moved = _free_name(db, f"before-restore-{stamp}")
            # never over an existing file: a leftover <moved>-wal must not be replaced
            move_no_replace(db, moved)
            for suffix in _SIDES:
                side = db.with_name(db.name + suffix)
                if side.exists():
                    move_no_replace(side, moved.with_name(moved.name + suffix))
        os.replace(incoming, db)
    except (OSError, sqlite3.Error) as exc:
        for suffix in ("", *_SIDES):
            incoming.with_name(incoming.name + suffix).unlink(missing_ok=True)
        detail = exc.strerror if isinstance(exc, OSError) else None
        raise StoreError(f"{db}: cannot restore {source}: {detail or exc}") from exc
    return moved


def _fold_wal(source: Path, copy: Path) -> None:
    """A file set aside by reset-progress may carry a ``-wal`` holding its latest answers
    (a backup never does): copy it beside ``copy`` and checkpoint it into ``copy``, so the
    restored file is whole on its own."""
    wal = source.with_name(source.name + "-wal")
    if not wal.is_file() or wal.stat().st_size == 0:
        return
    copy_wal = copy.with_name(copy.name + "-wal")
    create_file(copy_wal)
    shutil.copyfile(wal, copy_wal)
    conn = sqlite3.connect(copy)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    for suffix in _SIDES:
        copy.with_name(copy.name + suffix).unlink(missing_ok=True)
