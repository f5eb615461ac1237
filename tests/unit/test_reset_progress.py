from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.cli import main


def test_reset_moves_the_file_aside(quizapp_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = quizapp_home / "progress.sqlite3"
    db.write_bytes(b"not a database at all")
    assert main(["reset-progress"]) == 2  # no terminal to confirm
    assert db.exists()
    assert main(["reset-progress", "--yes"]) == 0
    assert not db.exists()
    moved = list(quizapp_home.glob("progress.sqlite3.corrupt-*"))
    assert len(moved) == 1 and moved[0].read_bytes() == b"not a database at all"
    assert "kept at" in capsys.readouterr().out


def test_reset_without_a_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["reset-progress", "--yes"]) == 0
    assert "nothing to do" in capsys.readouterr().out
