"""Items' header lines and the deck title's line are located only when something asks for
them (a repeated id, a title set twice, an entry, the content index): a clean `check`
locates none, and what is located is what locating everything at once gave."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from quizapp.cli import main
from quizapp.decks import loader
from quizapp.decks.loader import load_paths
from quizapp.decks.locate import TomlIndex

HEAD = 'deck = "lazy"\ntitle = "{title}"\ntopic = "t"\n'
CARD = '\n[[flashcard]]\nid = "{id}"\nfront = "Q"\nback = "A"\n'
TRAP = (
    '\n[[trap]]\nid = "{id}"\nclaim = "C."\nwhy_wrong = "W."\ncorrect = "R."\n'
    'distractors = ["D one.", "D two."]\n'
)


def _write(folder: Path, name: str, title: str, ids: list[str]) -> Path:
    body = "".join((TRAP if "trap" in i else CARD).format(id=i) for i in ids)
    path = folder / name
    path.write_text(HEAD.format(title=title) + body, encoding="utf-8")
    return path


@pytest.fixture
def located(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Calls of the item-line and title-line locators."""
    calls: list[str] = []
    real_items, real_title = loader._item_lines, loader._title_line

    def items(*args):  # type: ignore[no-untyped-def]
        calls.append("items")
        return real_items(*args)

    def title(*args):  # type: ignore[no-untyped-def]
        calls.append("title")
        return real_title(*args)

    monkeypatch.setattr(loader, "_item_lines", items)
    monkeypatch.setattr(loader, "_title_line", title)
    return calls


def test_a_clean_check_locates_no_item(
    tmp_path: Path, located: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    for n in range(3):
        _write(tmp_path, f"{n}.toml", "Lazy", [f"lazy.{n}.{i}" for i in range(5)] + [f"trap{n}"])
    assert main(["check", "--no-shipped", str(tmp_path)]) == 0
    assert "18 items" in capsys.readouterr().out
    assert located == []


def test_problems_are_located_as_when_everything_was(
    tmp_path: Path, located: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    a = _write(tmp_path, "a.toml", "Lazy", ["lazy.1", "trap.a", "lazy.2"])
    b = _write(tmp_path, "b.toml", "Other", ["lazy.3", "trap.b", "lazy.2"])  # repeats lazy.2
    c = _write(tmp_path, "c.toml", "Other", ["lazy.4"])  # a second title
    assert main(["check", "--no-shipped", "--json", str(tmp_path)]) == 1
    problems = json.loads(capsys.readouterr().out)["problems"]
    header = {p: TomlIndex(p.read_text(encoding="utf-8")).arrays for p in (a, b, c)}

    def id_line(path: Path, start: int) -> int | None:  # a repeat is shown at its id line
        return TomlIndex(path.read_text(encoding="utf-8")).key_line("id", start)

    assert [(p["path"], p["line"], p["message"].split(";")[0]) for p in problems] == [
        (str(b), id_line(b, header[b]["flashcard"][1]), "duplicate id 'lazy.2'"),
        (str(c), 2, "deck 'lazy' is titled 'Other' here but 'Lazy' in " + str(a)),
    ]
    assert f"first defined at {a}:{id_line(a, header[a]['flashcard'][1])}" in problems[0]["message"]
    assert sorted(set(located)) == ["items", "title"]


def test_entries_and_the_index_get_the_lines(tmp_path: Path, located: list[str]) -> None:
    path = _write(tmp_path, "a.toml", "Lazy", ["lazy.1", "trap.a", "lazy.2"])
    arrays = TomlIndex(path.read_text(encoding="utf-8")).arrays
    catalog = load_paths([tmp_path], index=False)
    assert located == []
    assert [e.line for e in catalog.items.values()] == arrays["flashcard"] + arrays["trap"]
    assert located == ["items"]  # once for the file, whatever the number of entries
    result, _ = loader.load_file(path)
    record = result.to_record()
    assert record["columns"][-1] == arrays["flashcard"] + arrays["trap"]
    assert record["title_line"] == 2
    json.dumps(record)  # plain lists: what the content index and the forked reader write


def test_a_record_without_lines_finds_them_in_the_file(tmp_path: Path) -> None:
    """What the forked reader of `check` sends: no lines; the parent reads them from the
    file only when asked, and gets what a parse here gives."""
    path = _write(tmp_path, "a.toml", "Lazy", ["lazy.1", "trap.a", "lazy.2"])
    result, _ = loader.load_file(path)
    sent = json.loads(json.dumps(result.to_record(located=False)))
    assert sent["columns"][-1] is None and sent["title_line"] is None
    back = loader.LoadedFile.from_record(str(path), sent, None)
    here, _ = loader.load_file(path)
    arrays = TomlIndex(path.read_text(encoding="utf-8")).arrays
    assert list(back.columns.lines) == list(here.columns.lines)
    assert list(here.columns.lines) == arrays["flashcard"] + arrays["trap"]
    assert back.located_title() == here.located_title() == 2
    untitled = _write(tmp_path, "b.toml", "", ["lazy.3"])
    result, _ = loader.load_file(untitled)
    back = loader.LoadedFile.from_record(str(untitled), result.to_record(located=False), None)
    arrays = TomlIndex(untitled.read_text(encoding="utf-8")).arrays
    assert back.located_title() is None and list(back.columns.lines) == arrays["flashcard"]
