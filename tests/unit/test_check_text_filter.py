"""`check`'s markup checks look only at tables whose texts hold a '[' (one C-level join per
table, :func:`quizapp.decks.validate._texts_hold_bracket`): the problems are exactly those
of checking every item's every text field, in the same order, whichever field of whichever
kind holds the markup. The fields come from the models, so a new text field is covered."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from quizapp.decks import validate
from quizapp.decks.loader import load_file
from quizapp.decks.locate import TomlIndex
from quizapp.decks.models import DeckFile, DrillItem, Flashcard, Trap
from quizapp.decks.problems import ContentProblem

MODELS = {"flashcard": Flashcard, "trap": Trap, "drill": DrillItem}
REQUIRED: dict[str, dict[str, object]] = {
    "flashcard": {"front": "Q", "back": "A"},
    "trap": {"claim": "C.", "why_wrong": "W.", "correct": "R.",
             "distractors": ["D one.", "D two."], "why_true": ["T one.", "T two."]},
    "drill": {"drill": "adam"},
}  # fmt: skip
ACTING = "[@click=app.quit]y[/]"  # an error in every text field, plain or not


def _text_fields(kind: str) -> list[str]:
    fields = MODELS[kind].model_fields
    return [n for n in (*validate.RICH_FIELDS, *validate.PLAIN_FIELDS) if n in fields]


def _value(kind: str, name: str, text: str) -> object:
    if name in REQUIRED[kind] and isinstance(REQUIRED[kind][name], list):
        return ["D one.", text] if name == "distractors" else ["T one.", text]
    return [text] if name == "tags" else text


def _deck(marked: tuple[str, int, str] | None) -> str:
    """Three items of each kind with every text field filled; ``marked``: (kind, item
    number, field) that holds acting markup."""
    out = ['deck = "filter"', 'title = "Filter"', 'topic = "t"']
    for kind in MODELS:
        for number in range(3):
            values = {
                **{name: _value(kind, name, f"{name}_text") for name in _text_fields(kind)},
                **REQUIRED[kind],
                "id": f"filter.{kind}.{number}",
            }
            if marked is not None and marked[:2] == (kind, number):
                values[marked[2]] = _value(kind, marked[2], ACTING)
            out.append(f"\n[[{kind}]]")
            out += [f"{key} = {json.dumps(value)}" for key, value in values.items()]
    return "\n".join(out) + "\n"


def _every_item_checked(path: str, text: str) -> list[ContentProblem]:
    """What check_file says, worked out without the filter: every item's text fields."""
    import tomli

    index = TomlIndex(text)
    model = DeckFile.model_validate(tomli.loads(text))
    deck = vars(model)
    problems = list(validate._check_text(path, index, deck, "", None, None, deck_level=True))
    kinds = ["adam"]
    for table in MODELS:
        for number, item in enumerate(getattr(model, table)):
            where = f"{table}[{number + 1}]"
            fields = vars(item)
            if isinstance(item, DrillItem):
                problems += validate._check_drill(
                    path, index, fields, where, (table, number), kinds
                )
            problems += validate._check_text(path, index, fields, where, table, number)
    return problems


CASES = [(kind, name) for kind in MODELS for name in _text_fields(kind)]


@pytest.mark.parametrize(("kind", "name"), CASES, ids=[f"{k}.{n}" for k, n in CASES])
def test_markup_in_any_text_field_is_found_as_before(tmp_path: Path, kind: str, name: str) -> None:
    path = tmp_path / "deck.toml"
    text = _deck((kind, 1, name))
    path.write_text(text, encoding="utf-8")
    loaded, _ = load_file(path)
    said = [str(p) for p in loaded.problems]
    assert said == [str(p) for p in _every_item_checked(str(path), text)]
    assert any(f"{kind}[2].{name}" in line and "could make the app act" in line for line in said)


def test_a_clean_file_has_no_markup_problems(tmp_path: Path) -> None:
    path = tmp_path / "deck.toml"
    path.write_text(_deck(None), encoding="utf-8")
    loaded, _ = load_file(path)
    assert loaded.ok and [str(p) for p in loaded.problems] == []


def test_markup_in_several_tables_keeps_file_order(tmp_path: Path) -> None:
    text = _deck(("drill", 0, "note"))
    text = text.replace('"hint_text"', json.dumps("a[b]c"), 2)  # warnings in flashcards 1, 2
    text = text.replace('"question_text"', json.dumps(f"C {ACTING}"), 1)  # an error in trap 1
    path = tmp_path / "deck.toml"
    path.write_text(text, encoding="utf-8")
    problems = load_file(path)[0].problems
    assert [str(p) for p in problems] == [str(p) for p in _every_item_checked(str(path), text)]
    tables = [str(p.field).split("[")[0] for p in problems]
    assert tables == ["flashcard", "flashcard", "trap", "drill"]


def test_the_filter_is_conservative() -> None:
    card = vars(Flashcard(id="a", front="Q", back="A"))  # a model's fields, or as parsed:
    for plain in (card, {"id": "a", "front": "Q", "back": "A"}):
        assert not validate._texts_hold_bracket("flashcard", (plain, plain))
        assert validate._texts_hold_bracket("flashcard", (plain, {**plain, "hint": "x[y"}))
        assert validate._texts_hold_bracket("flashcard", ({**plain, "tags": ["ok", "t[1]"]},))
        assert validate._texts_hold_bracket("flashcard", ({**plain, "tags": ("ok", "t[1]")},))
        odd = {**plain, "back": 5}  # not a string: looked at item by item
        assert validate._texts_hold_bracket("flashcard", (odd,))
        assert not validate._texts_hold_bracket("flashcard", ())


MIXED = """deck = "mixed"
title = "Mi[b]xed"
topic = "t\\u0007"

[[flashcard]]
id = "mixed.one"
front = "Q [@click=app.quit]y[/]"
back = "A\\u001b"
tags = ["a", "b[1]"]

[[flashcard]]
id = "mixed.one"
front = "a[i] b"
back = "B"

[[trap]]
id = "mixed.trap"
claim = "C [/x]"
why_wrong = "W"
correct = "R"
distractors = ["D one.", "D [red]two"]

[[drill]]
id = "mixed.drill"
drill = "adamm"
note = "n[u]"

[[drill]]
id = "mixed.drill2"
drill = "adam"
params = { lr = -1 }
"""


def test_the_models_fields_give_what_the_plain_check_gives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file the plain check refuses but the models accept is checked from the models'
    fields: the same problems, located the same, as from the tables the plain check
    passes (markup, control characters, a repeated id, drill kinds and parameters)."""
    from quizapp.decks import tables

    path = tmp_path / "deck.toml"
    path.write_text(MIXED, encoding="utf-8")
    loaded, _ = load_file(path)
    plain = [str(p) for p in loaded.problems]
    assert len(plain) >= 10 and not loaded.ok
    refused: list[object] = []
    monkeypatch.setattr(tables, "file_tables", refused.append)  # refuses (None) every file
    by_models, _ = load_file(path)
    assert refused
    assert [str(p) for p in by_models.problems] == plain
    assert by_models.columns[:-1] == loaded.columns[:-1]
    assert list(by_models.columns.lines) == list(loaded.columns.lines)
