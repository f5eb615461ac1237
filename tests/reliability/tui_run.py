"""Run the real app (``quizapp.cli.main``, what ``python -m quizapp`` runs) with a fault
the test controls, for the real-TUI fault tests::

    python tui_run.py [--fault-file FILE] [--busy-ms N] -- [quizapp arguments]

``--fault-file``: every write of the store fails with the SQLite result code written in
FILE (5 locked, 8 read-only, 13 disk full; empty: none) — what SQLite raises for those
faults, for the cases a test cannot make real mid-session (a file system cannot be
remounted read-only while the app holds the file open for writing). ``--busy-ms``: the
store's busy timeout, so a test holding the lock need not wait 10 s. Everything else is
the command itself; the pipe driver comes from ``TEXTUAL_DRIVER`` as usual.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def main(argv: list[str]) -> int:
    split = argv.index("--")
    ours, theirs = argv[:split], argv[split + 1 :]
    if "--fault-file" in ours:
        from tests.reliability.faults import FileFaultConnection, install

        FileFaultConnection.control = Path(ours[ours.index("--fault-file") + 1])
        install(FileFaultConnection)
    if "--busy-ms" in ours:
        from quizapp.srs import opening

        opening.BUSY_TIMEOUT_MS = int(ours[ours.index("--busy-ms") + 1])
    from quizapp.cli import main as quizapp

    return quizapp(theirs)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
