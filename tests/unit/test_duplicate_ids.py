"""A file that repeats an id is left out whole, with one located problem per repeat naming
where the id was first defined (in an earlier file, or earlier in the same file); the
files before it keep their items (the one-pass merge of the loader). Each problem is at the
repeat's `id = ` line and comes in file order among the other problems, as `check` prints
every message; a file left out for another error still has its repeats reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.cli import main
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
        found = [(p.line, p.field, p.message) for p in catalog.problems]
        a = (tmp_path / "a.toml").resolve()
        b = (tmp_path / "b.toml").resolve()
        # at the `id = ` lines, in the file's order
        assert found == [
            (9, "flashcard[2].id", f"duplicate id 'd.one'; first defined at {a}:4"),
            (14, "flashcard[3].id", f"duplicate id 'd.three'; first defined at {b}:4"),
        ]


THIRD = """deck = "d"

[[trap]]
id = "d.trap"
claim = "c"
why_wrong = "w"
correct = "r"
distractors = ["x", "y"]
"""

BROKEN = """deck = "d"

[[flashcard]]
id = "d.four"
front = "Q4"
back = "A4"
frnt = "typo"

[[flashcard]]

# the repeat is on its own line, below the header
id = "d.four"
front = "Q4 again"
back = "A4"

[[flashcard]]
id = "d.two"
front = "Q2 again"
back = "A2"
"""

MARKUP = """deck = "d"

[[flashcard]]
id = "d.five"
front = "Q5[/b]"
back = "A5"
[[flashcard]]
id = "d.two"
front = "Q2 again"
back = "A2"
"""


@pytest.mark.parametrize("cache", [False, True])
def test_check_prints_repeats_in_file_order_at_the_id_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], cache: bool
) -> None:
    """b.toml repeats an id of a.toml; c.toml (after it) has an error: the repeat is printed
    before c.toml's error, at its `id = ` line, with the field like every other message.
    d.toml has an unknown field, an in-file repeat and repeats an id of a.toml: all three,
    by line (the models refuse it, its ids are read from its tables); e.toml has a markup
    error and repeats an id of a.toml: both (a left-out file's ids are still checked)."""
    a = tmp_path / "a.toml"
    a.write_text(FIRST, encoding="utf-8")
    b = tmp_path / "b.toml"
    b.write_text(SECOND, encoding="utf-8")
    c = tmp_path / "c.toml"
    c.write_text(THIRD.replace('correct = "r"', 'corect = "r"'), encoding="utf-8")
    d = tmp_path / "d.toml"
    d.write_text(BROKEN, encoding="utf-8")
    e = tmp_path / "e.toml"
    e.write_text(MARKUP, encoding="utf-8")
    hint = "(give every item its own id; progress is keyed by it)"
    expected = [
        f"{b}:9: error: flashcard[2].id: duplicate id 'd.one'; first defined at {a}:4 {hint}",
        f"{b}:14: error: flashcard[3].id: duplicate id 'd.three'; first defined at {b}:4 {hint}",
        f"{c}:3: error: trap[1].correct: required field is missing (add correct = ...)",
        f"{c}:7: error: trap[1].corect: unknown field 'corect' (did you mean 'correct'?)",
        f"{d}:7: error: flashcard[1].frnt: unknown field 'frnt' (did you mean 'front'?)",
        f"{d}:12: error: flashcard[2].id: duplicate id 'd.four'; first defined at {d}:4 {hint}",
        f"{d}:17: error: flashcard[3].id: duplicate id 'd.two'; first defined at {a}:9 {hint}",
        f"{e}:5: error: flashcard[1].front: Rich markup does not render: closing tag '[/b]' "
        r"matches no open tag (write a literal '[' as '\[' (e.g. list\[int]))",
        f"{e}:8: error: flashcard[2].id: duplicate id 'd.two'; first defined at {a}:9 {hint}",
    ]
    options = ["--cache"] if cache else []
    for _ in range(2 if cache else 1):  # with --cache: parsed, then from the index
        code = main(["check", "--no-shipped", *options, str(tmp_path)])
        out = capsys.readouterr().out.splitlines()
        assert code == 1
        assert out[:-1] == expected


REFUSED = """deck = "d"

[[flashcard]]
id = "d.one"
front = "Q1 again"
back = "A1"
say_aloud = "yes"

[[trap]]
id = 7
claim = "c"

[[flashcard]]
id = "d.two"
front = "Q2 again"
back = "A2"
"""


@pytest.mark.parametrize("index", [False, True])
def test_a_file_the_models_refuse_has_its_ids_checked_against_the_others(
    tmp_path: Path, index: bool
) -> None:
    """Its readable ids (not the number 7), at their `id = ` lines, beside its errors."""
    (tmp_path / "a.toml").write_text(FIRST, encoding="utf-8")
    (tmp_path / "b.toml").write_text(REFUSED, encoding="utf-8")
    a, b = (tmp_path / "a.toml").resolve(), (tmp_path / "b.toml").resolve()
    for _ in range(2 if index else 1):  # from the content index the second time
        catalog = load_paths([tmp_path], index=index)
        assert catalog.skipped == [str(b)] and sorted(catalog.items) == ["d.one", "d.two"]
        found = [(p.line, p.field, p.message) for p in catalog.problems]
        assert found == [
            (4, "flashcard[1].id", f"duplicate id 'd.one'; first defined at {a}:4"),
            (7, "flashcard[1].say_aloud", "Input should be a valid boolean; found 'yes'"),
            (9, "trap[1].why_wrong", "required field is missing"),  # at the table's header
            (9, "trap[1].correct", "required field is missing"),
            (9, "trap[1].distractors", "required field is missing"),
            (10, "trap[1].id", "Input should be a valid string; found 7"),
            (14, "flashcard[2].id", f"duplicate id 'd.two'; first defined at {a}:9"),
        ]
