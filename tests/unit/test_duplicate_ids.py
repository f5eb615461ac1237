"""A file that repeats an id is left out whole, with one located problem per repeat naming
where the id was first defined (in an earlier file, or earlier in the same file); the
files before it keep their items (the one-pass merge of the loader)."""

from __future__ import annotations

from pathlib import Path

from quizapp.decks.loader import load_paths

FIRST = """deck = "d"

[[flashcard]]
id = "d.one"
front = "Q1"
back = "A1"

[[flashcard]]
id = "d.two"
front = "Q2"
back = "A2"
"""

SECOND = """deck = "d"

[[flashcard]]
id = "d.three"
front = "Q3"
back = "A3"

[[flashcard]]
id = "d.one"
front = "Q1 again"
back = "A1"

[[flashcard]]
id = "d.three"
front = "Q3 again"
back = "A3"
"""


def test_repeats_are_located_and_the_file_is_left_out(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text(FIRST, encoding="utf-8")
    (tmp_path / "b.toml").write_text(SECOND, encoding="utf-8")
    for index in (False, True, True):  # parsed, then from the content index (twice)
        catalog = load_paths([tmp_path], index=index)
        assert sorted(catalog.items) == ["d.one", "d.two"]  # b.toml left out whole
        assert catalog.skipped == [str((tmp_path / "b.toml").resolve())]
        assert catalog.items["d.one"].path.endswith("a.toml")
        found = [(p.line, p.message) for p in catalog.problems]
        a = (tmp_path / "a.toml").resolve()
        b = (tmp_path / "b.toml").resolve()
        assert found == [
            (8, f"duplicate id 'd.one'; first defined at {a}:3"),
            (13, f"duplicate id 'd.three'; first defined at {b}:3"),
        ]
