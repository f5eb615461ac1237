"""`quizapp check` and the loader: every kind of bad input gives a located message, exit 1,
and never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from quizapp.cli import main
from quizapp.decks import load_paths

GOOD = """\
deck = "demo"
title = "Demo"
topic = "basics"

[[flashcard]]
id = "demo.one"
front = "What is η?"
back = "The learning rate."

[[trap]]
id = "demo.trap"
claim = "Backprop updates the weights."
why_wrong = "Backprop only computes gradients."
correct = "The optimizer updates the weights."
distractors = ["The optimizer applies the update rule.", "Backprop fills the gradients."]
"""


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def check(capsys: pytest.CaptureFixture[str], *paths: Path) -> tuple[int, str]:
    code = main(["check", "--no-shipped", *map(str, paths)])
    out = capsys.readouterr()
    assert "Traceback" not in out.out + out.err
    return code, out.out


def test_good_file_is_clean(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = check(capsys, write(tmp_path, "good.toml", GOOD))
    assert code == 0, out
    assert "0 errors" in out
    catalog = load_paths([tmp_path])
    assert catalog.items["demo.one"].topic == "basics"
    assert catalog.decks["demo"].title == "Demo"


@pytest.mark.parametrize(
    ("text", "needle", "line"),
    [
        ('deck = "d"\n[[flashcard]\nid = "x"\n', "TOML syntax error", 2),
        (GOOD.replace('front = "What is η?"', "front = 12"), "flashcard[1].front", 7),
        (GOOD.replace('back = "The learning rate."\n', ""), "required field is missing", 5),
        (GOOD.replace('front = "What is η?"', 'frnt = "What is η?"'), "did you mean 'front'", 7),
        (
            GOOD.replace('id = "demo.trap"', 'id = "demo.one"'),
            "trap[1].id: duplicate id 'demo.one'; first defined at ",
            11,  # its id line, not its [[trap]] header
        ),
        (GOOD.replace('["The optimizer applies the update rule.", ', "["), "distractors", 15),
        (GOOD.replace("What is η?", "What is η?[/b]"), "Rich markup", 7),
        # D15: blank text is refused like empty text
        (
            GOOD.replace('front = "What is η?"', 'front = "   "'),
            "flashcard[1].front: the text is blank (only spaces or line breaks)",
            7,
        ),
        (GOOD.replace('back = "The learning rate."', 'back = "\\n\\n"'), "flashcard[1].back", 8),
        (GOOD.replace('"Backprop fills the gradients."', '" \\t "'), "distractors.1", 15),
    ],
)
def test_located_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, needle: str, line: int
) -> None:
    path = write(tmp_path, "bad.toml", text)
    code, out = check(capsys, path)
    assert code == 1
    assert needle in out
    assert f"{path}:{line}" in out


def test_duplicate_across_files_names_both(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a = write(tmp_path, "a.toml", GOOD)
    b = write(tmp_path, "b.toml", GOOD.replace('title = "Demo"\n', ""))
    code, out = check(capsys, a, b)
    assert code == 1
    assert "duplicate id 'demo.one'" in out
    assert str(a) in out and str(b) in out


def test_empty_non_utf8_directory_and_no_items(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = write(tmp_path, "empty.toml", "  \n")
    latin = write(tmp_path, "latin.toml", 'deck = "d"\n# caf\xe9\n'.encode("latin-1"))
    (tmp_path / "folder.toml").mkdir()
    bare = write(tmp_path, "bare.toml", 'deck = "bare"\n')
    code, out = check(capsys, tmp_path)
    assert code == 1
    assert f"{empty}:1: error: the file is empty" in out
    assert f"{latin}:2:6: error: byte 0xe9 is not valid UTF-8" in out
    assert "folder.toml: error: is a folder named like a deck file" in out
    assert f"{bare}:1: error: the deck file has no items" in out


def test_one_bad_file_does_not_hide_others(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path, "a.toml", "deck = \n")
    write(tmp_path, "b.toml", GOOD.replace("front = ", "front = 1 #"))
    code, out = check(capsys, tmp_path)
    assert code == 1
    assert "a.toml:1" in out and "b.toml:7" in out


DRILL = """\
deck = "d"
[[drill]]
id = "d.adam"
drill = "{kind}"
params = {{ {params} }}
"""


@pytest.mark.parametrize(
    ("kind", "params", "needle"),
    [
        ("adamm", "", "unknown drill kind 'adamm'"),
        ("adam", "lr = [0.1, 0.001]", "low > high"),
        ("adam", "lr = [-0.1, 0.001]", "lr must not be negative"),
    ],
)
def test_drill_items_are_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str, params: str, needle: str
) -> None:
    path = write(tmp_path, "drills.toml", DRILL.format(kind=kind, params=params))
    code, out = check(capsys, path)
    assert code == 1
    assert needle in out
    assert f"{path}:" in out


def test_unknown_kind_lists_valid_kinds(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "drills.toml", DRILL.format(kind="adamm", params=""))
    _, out = check(capsys, path)
    assert "did you mean 'adam'" in out
    assert "valid kinds:" in out and "sgd" in out


def test_json_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    path = write(tmp_path, "bad.toml", GOOD.replace("front = ", "fronts = "))
    code = main(["check", "--no-shipped", "--json", str(path)])
    payload = json.loads(capsys.readouterr().out)
    assert code == 1 and payload["ok"] is False
    problem = next(p for p in payload["problems"] if p["field"].endswith("fronts"))
    assert problem["path"] == str(path) and problem["line"] == 7
    assert problem["field"] == "flashcard[1].fronts"


def test_missing_path(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out = check(capsys, tmp_path / "nope")
    assert code == 1 and "no such file or folder" in out


def test_symlink_loops_and_broken_links_are_reported(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """D15: a self-looping link was skipped without a word in the folder scan."""
    write(tmp_path, "good.toml", GOOD)
    (tmp_path / "loop.toml").symlink_to("loop.toml")
    (tmp_path / "broken.toml").symlink_to("nowhere.toml")
    (tmp_path / "up").symlink_to("..")  # a folder loop: the scan must still end
    code, out = check(capsys, tmp_path)
    assert code == 1
    assert f"{tmp_path / 'loop.toml'}: error: is a symbolic link that points to itself" in out
    assert f"{tmp_path / 'broken.toml'}: error: is a symbolic link to 'nowhere.toml'" in out
    assert "decks: demo (2 items)" in out
    code, out = check(capsys, tmp_path / "loop.toml")
    assert code == 1 and "points to itself (a loop)" in out and "no such file" not in out


def test_schema_command_matches_shipped_schema(capsys: pytest.CaptureFixture[str]) -> None:
    from quizapp import paths

    assert main(["schema"]) == 0
    printed = capsys.readouterr().out
    shipped = (paths.shipped_content_dir() / "deck.schema.json").read_text(encoding="utf-8")
    assert printed == shipped, "run `quizapp schema -o content/deck.schema.json`"


@pytest.mark.parametrize(
    "damage",
    [b"not a database at all" * 10, b"SQLite format 3\x00" + b"\x10\x00" + b"\x00" * 200],
)
def test_orphans_on_an_unusable_database_is_a_message(
    quizapp_home: Path, capsys: pytest.CaptureFixture[str], damage: bytes
) -> None:
    db = quizapp_home / "progress.sqlite3"
    db.write_bytes(damage)
    assert main(["check", "--orphans"]) == 1
    out = capsys.readouterr()
    assert "Traceback" not in out.out + out.err
    assert "cannot list orphans" in out.err and str(db) in out.err
    assert "reset-progress" in out.err
    assert main(["check", "--orphans", "--json"]) == 1
    payload = json.loads(capsys.readouterr().out)
    assert payload["ok"] is False and payload["orphans"] is None
    assert str(db) in payload["progress_error"]
    assert db.read_bytes() == damage
