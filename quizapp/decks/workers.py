"""Reading a large library on two cores: what ``quizapp check`` does with 100 files.

The files are dealt into two halves of about equal size; a forked child reads and
validates one half while this process reads the other. The child writes what each of
its files gave as one JSON line (the content index's record: deck fields, index
columns, located problems; never pickle) to an unlinked temporary file, which this
process reads when the child has exited. Every file is read by
:func:`~quizapp.decks.loader.load_file` either way, and the results go back in file
order, so the problems are the same, located the same, in the same order as from one
process. The models of the child's items are built from the file again when something
asks for one (nothing in ``check`` does). A child that fails, dies or writes something
unreadable leaves its files to this process; a small library, a single file or a
machine with no idle core is read in this process alone.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from quizapp.decks.loader import LoadedFile

#: Below this many bytes in all, one process is faster than a fork (the shipped decks).
MIN_BYTES = 2 * 2**20
#: Fork when at least this much of a core is idle (:func:`spare_cores`): 2 cores with the
#: check itself and a little else running.
SPARE = 0.5


def spare_cores() -> float:
    """The cores this process may use, less the machine's 1-minute load average.

    A second process pays off only on a core that would otherwise idle: on a busy
    machine (and with the kernel's autogroup, which gives a session's processes one
    share together) the two halves only share the same time and add the fork's copying
    (measured at load ~12 on 2 cores: 6.3-8.5 s against 5.2-5.5 s in one process)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        cores = os.cpu_count() or 1
    try:
        load = os.getloadavg()[0]
    except OSError:  # pragma: no cover - no load average
        load = 0.0
    return cores - load


def load_files(files: list[Path], workers: int = 2) -> list[LoadedFile]:
    """What each of ``files`` gave, in order, read by up to two processes."""
    from quizapp.decks.loader import load_file

    if workers < 2 or len(files) < 2 or not hasattr(os, "fork") or spare_cores() < SPARE:
        return [load_file(path)[0] for path in files]
    sizes = [_size(path) for path in files]
    if sum(sizes) < MIN_BYTES:
        return [load_file(path)[0] for path in files]
    mine, theirs = _deal(sizes)
    # One file first, here: it imports what reading deck files needs (pydantic, the
    # models, the drill kinds), once, before the child is forked with it all.
    results: dict[int, LoadedFile] = {mine[0]: load_file(files[mine[0]])[0]}
    with tempfile.TemporaryFile("w+b") as out:
        pid = os.fork()
        if pid == 0:  # the child: its half, one JSON line per file, then out
            _child(files, theirs, out.fileno())
        for number in mine[1:]:
            results[number] = load_file(files[number])[0]
        _, status = os.waitpid(pid, 0)
        if os.waitstatus_to_exitcode(status) == 0:
            out.seek(0)
            results.update(_read(files, out.read(), set(theirs)))
    for number in theirs:
        if number not in results:  # the child did not finish it
            results[number] = load_file(files[number])[0]
    return [results[number] for number in range(len(files))]


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _deal(sizes: list[int]) -> tuple[list[int], list[int]]:
    """Two lists of file numbers of about equal total size (largest first, each to the
    lighter half), each in file order."""
    halves: tuple[list[int], list[int]] = ([], [])
    weight = [0, 0]
    for number in sorted(range(len(sizes)), key=lambda n: -sizes[n]):
        lighter = 0 if weight[0] <= weight[1] else 1
        halves[lighter].append(number)
        weight[lighter] += sizes[number]
    return sorted(halves[0]), sorted(halves[1])


def _child(files: list[Path], numbers: list[int], fd: int) -> None:  # pragma: no cover - child
    """Read ``numbers`` of ``files`` and write their records; never returns."""
    code = 1
    try:
        from quizapp.decks.loader import load_file

        with open(fd, "w", encoding="utf-8", closefd=False) as out:
            for number in numbers:
                # the lines are found again here only if a problem asks for them
                record = load_file(files[number])[0].to_record(located=False)
                out.write(json.dumps([number, record], ensure_ascii=False, allow_nan=False))
                out.write("\n")
        code = 0
    finally:
        os._exit(code)  # no atexit, no buffers of the parent flushed twice


def _read(files: list[Path], raw: bytes, expected: set[int]) -> dict[int, LoadedFile]:
    """The child's records; a line that is not one (cut short, foreign) is left out, and
    its file is then read here."""
    from quizapp.decks.loader import LoadedFile

    out: dict[int, LoadedFile] = {}
    for line in raw.decode("utf-8", errors="replace").splitlines():
        try:
            number, record = json.loads(line)
            if number not in expected:
                continue
            out[number] = LoadedFile.from_record(str(files[number]), _checked(record), None)
        except (ValueError, TypeError, KeyError):
            continue
    return out


def _checked(record: Any) -> dict[str, Any]:
    if not isinstance(record, dict):
        raise TypeError("not a record")
    return record
