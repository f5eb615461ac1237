"""The command line counts in English: one item, one note, one flashcard."""

from __future__ import annotations

from pathlib import Path

from quizapp.cli import main

DECK = 'deck = "one"\ntitle = "One"\ntopic = "t"\n\n[[flashcard]]\nid = "one.q"\nfront = "Q"\nback = "A"\n'


def test_check_and_export_say_one_item(tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("QUIZAPP_HOME", str(tmp_path / "home"))
    (tmp_path / "one.toml").write_text(DECK, encoding="utf-8")
    assert main(["check", "--no-shipped", str(tmp_path / "one.toml")]) == 0
    out = capsys.readouterr().out
    assert "one (1 item);" in out and "1 items" not in out
    target = tmp_path / "one.tsv"
    assert main(["--content", str(tmp_path), "export", "--deck", "one", "--tsv", str(target)]) == 0
    out = capsys.readouterr().out
    assert "exported 1 note from 1 item: 1 flashcard, 0 traps × 2" in out, out
    assert "0 drill samples" in out
