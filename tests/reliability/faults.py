"""Shared helpers of the reliability tests: a deck, injected SQLite faults, and running
every command that uses the progress file in-process (the app itself must not start)."""

from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:  # the app processes tui_run.py starts import this module without pytest
    import pytest

ROOT = Path(__file__).resolve().parents[2]

DECK = """\
deck = "faults"
topic = "adam"

[[flashcard]]
id = "faults.card-1"
front = "What is η?"
back = "The learning rate."

[[flashcard]]
id = "faults.card-2"
front = "What is ε?"
back = "A small constant."

[[trap]]
id = "faults.trap"
claim = "Backprop updates the weights."
why_wrong = "Backprop only computes gradients."
correct = "The optimizer updates the weights."
distractors = ["The optimizer applies the update rule.", "Backprop fills the gradients."]

[[drill]]
id = "faults.drill"
drill = "adam"
"""

#: Every command that opens the progress file; [] is the app's home screen.
DB_COMMANDS: list[list[str]] = [
    ["stats"], ["stats", "--json"], ["check", "--orphans"], ["review"], ["study"],
    ["study", "--cram"], ["mock"], ["drill", "adam"], [],
]  # fmt: skip
#: A sample for the default run; the rest run under @pytest.mark.slow.
SAMPLE = [["stats"], ["check", "--orphans"], ["review"], []]

_WRITES = re.compile(r"\s*(INSERT|UPDATE|DELETE|REPLACE|PRAGMA\s+user_version\s*=)", re.I)
MESSAGES = {
    5: "database is locked",
    8: "attempt to write a readonly database",
    13: "database or disk is full",
}


class FaultyConnection(sqlite3.Connection):
    """A connection whose writes fail with ``fault`` (a SQLite result code) while it is
    set — the error SQLite itself raises for a held lock (at BEGIN IMMEDIATE), a
    read-only file or a full disk."""

    fault: ClassVar[int | None] = None

    @classmethod
    def current(cls) -> int | None:
        """The fault to raise now (a subclass may read it from elsewhere)."""
        return FaultyConnection.fault

    def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:  # type: ignore[override]
        code = self.current()
        if code is not None and (
            _WRITES.match(sql) or (code == 5 and sql.startswith("BEGIN IMMEDIATE"))
        ):
            error = sqlite3.OperationalError(MESSAGES[code])
            error.sqlite_errorcode = code  # type: ignore[attr-defined]
            raise error
        return super().execute(sql, *args)


class FileFaultConnection(FaultyConnection):
    """A :class:`FaultyConnection` steered from another process: the fault is the SQLite
    result code written in :attr:`control` (empty or missing: none). Used by
    ``tui_run.py`` to make the real app's writes fail while a test drives it."""

    control: ClassVar[Path | None] = None

    @classmethod
    def current(cls) -> int | None:
        try:
            text = cls.control.read_text() if cls.control is not None else ""
        except OSError:
            return None
        return int(text) if text.strip() else None


def install(factory: type[FaultyConnection]) -> None:
    """Every store connection opened from now on is a ``factory`` (for a process of its
    own; tests use :func:`injected`)."""
    real = sqlite3.connect

    def connect(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        if not kwargs.get("uri"):
            kwargs["factory"] = factory
        return real(*args, **kwargs)

    sqlite3.connect = connect  # type: ignore[assignment]


@contextmanager
def injected(monkeypatch: pytest.MonkeyPatch) -> Iterator[type[FaultyConnection]]:
    """Every store connection opened inside is a :class:`FaultyConnection`."""
    real = sqlite3.connect

    def connect(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        if not kwargs.get("uri"):  # the store's own connection (inspection stays read-only)
            kwargs["factory"] = FaultyConnection
        return real(*args, **kwargs)

    monkeypatch.setattr(sqlite3, "connect", connect)
    try:
        yield FaultyConnection
    finally:
        FaultyConnection.fault = None


def run_command(
    args: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str, str]:
    """Run ``quizapp ARGS`` in-process; fail if the Textual app would start."""
    from textual.app import App

    from quizapp.cli import main

    def started(*_: object, **__: object) -> None:
        raise AssertionError(f"quizapp {' '.join(args)} started the app on a bad progress file")

    with monkeypatch.context() as m:
        m.setattr(App, "run", started)
        # as on a terminal: the home screen and `drill KIND` open the app only there
        m.setattr(sys.stdout, "isatty", lambda: True)
        m.setattr(sys.stdin, "isatty", lambda: True)
        code = main(args)
    out = capsys.readouterr()
    assert "Traceback" not in out.out + out.err
    return code, out.out, out.err


def answer(session: Any) -> None:
    """Answer the session's current item, whatever its kind (a StudySession)."""
    from fsrs import Rating

    from quizapp.study.items import DrillView, FlashcardView, TrapView

    view = session.current
    if isinstance(view, FlashcardView):
        session.reveal()
        session.rate(Rating.Good)
    elif isinstance(view, TrapView):
        session.answer_trap(view.trap_index if view.mode == "pick" else view.holds)
    elif isinstance(view, DrillView):
        session.answer_drill("0")


@cache
def private_mounts() -> bool:
    """Whether this machine lets us mount a small tmpfs in a private namespace."""
    unshare = shutil.which("unshare")
    if unshare is None or not sys.platform.startswith("linux"):
        return False
    probe = subprocess.run(
        [unshare, "-rm", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt && true"],
        capture_output=True,
        timeout=30,
    )
    return probe.returncode == 0
