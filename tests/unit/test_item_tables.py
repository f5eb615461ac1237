"""An indexed item's table read without pydantic (issue 16, the first card): the plain
shape check of :mod:`quizapp.decks.tables` against its oracle, the deck models. Its fields,
required fields and defaults are the models'; on every shipped item it gives what the
model gives; every table it accepts (the shipped ones bent every way a hand edit or a
corrupt index could) the model accepts with the same values; and a view built from a
stored table is the view built from the model."""

from __future__ import annotations

import datetime
import itertools
import json
import math
import random
import sqlite3
import string
import sys
import tomllib
from pathlib import Path
from typing import Any, get_origin

import pytest
from pydantic import BaseModel, ValidationError

from quizapp.decks.index import INDEX_FILENAME
from quizapp.decks.loader import load_file, load_paths
from quizapp.decks.models import DeckFile, DrillItem, Flashcard, Trap
from quizapp.decks.tables import (
    DECK_FIELDS,
    FIELDS,
    LOWER_TO_ASCII,
    REQUIRED,
    TABLES,
    TEXT_LISTS,
    file_tables,
    item_fields,
    statement_key,
    statement_keys,
)
from quizapp.study.items import ViewFactory

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = sorted((ROOT / "content").rglob("*.toml"))
MODELS: dict[str, type[BaseModel]] = {"flashcard": Flashcard, "trap": Trap, "drill": DrillItem}


def _plain(value: Any) -> Any:
    """Sequences as lists, so that a model's tuples compare with a JSON table's lists."""
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _shipped() -> list[tuple[str, str | None, dict[str, Any], BaseModel]]:
    """(kind, the file's topic, the table as the index keeps it, the validated model)."""
    out = []
    for path in SHIPPED:
        loaded, bodies = load_file(path)
        assert loaded.ok and bodies is not None
        file_model = DeckFile.model_validate(tomllib.loads(path.read_text(encoding="utf-8")))
        models = {item.id: item for item in file_model.items}
        for kind, table in zip(loaded.columns.kinds, json.loads(json.dumps(bodies)), strict=True):
            model = models[table["id"]]
            if loaded.topic and not model.topic:  # what the catalog's entry holds
                model = model.model_copy(update={"topic": loaded.topic})
            out.append((kind, loaded.topic, table, model))
    return out


SHIPPED_ITEMS = _shipped()


@pytest.mark.parametrize("kind", [*sorted(FIELDS), "file"])
def test_the_fields_required_and_defaults_are_the_models(kind: str) -> None:
    model = DeckFile if kind == "file" else MODELS[kind]
    model_fields = {
        n: f for n, f in model.model_fields.items() if kind != "file" or n not in TABLES
    }
    fields = DECK_FIELDS if kind == "file" else FIELDS[kind]
    assert list(fields) == list(model_fields)  # in the models' order (check's messages)
    lists = {n for n, f in model_fields.items() if get_origin(f.annotation) is tuple}
    assert lists == TEXT_LISTS & set(fields)
    for name, (_, default) in fields.items():
        info = model_fields[name]
        if info.is_required():
            assert default is REQUIRED, name
        else:
            assert default == info.get_default(call_default_factory=True), name


def test_every_shipped_item_reads_as_its_model() -> None:
    kinds = {kind for kind, *_ in SHIPPED_ITEMS}
    assert kinds == {"flashcard", "trap", "drill"}
    for kind, topic, table, model in SHIPPED_ITEMS:
        fields = item_fields(kind, table["id"], table, topic)
        assert fields is not None, table["id"]
        assert _plain(fields) == _plain(dict(model)), table["id"]


ODD_VALUES: list[Any] = [
    None, "", "   ", "\n", "text", "Another text", 0, 7, -1, 1.5, math.nan, math.inf, True,
    False, [], ["a"], ["a", "b"], ["a b", "c"], [""], ["x", "y", "z", "w", "v", "u"], [1, 2],
    [[1]], {}, {"lr": 0.1}, {"lr": [0.1, 0.2]}, {"lr": []}, {"lr": math.nan}, {"lr": None},
    {"lr": {"a": 1}}, "UPPER.case", "ok-id.1", "a" * 121, "ok-id\n", "a\x00b", ["a", 1], ["x", "  "],
    ("a",), [" a"], ["a\u2028b"], datetime.date(2026, 1, 2), {"lr": [1, "a", True, 0.5]},
]  # fmt: skip


def _bent(table: dict[str, Any], kind: str, rng: random.Random) -> list[dict[str, Any]]:
    """The table with each field dropped, each field (and an unknown one) set to each odd
    value, and the trap rules broken (a distractor repeating the claim or another one)."""
    out = []
    for name in [*FIELDS[kind], "kind", "unknown"]:
        if name in table:
            out.append({k: v for k, v in table.items() if k != name})
        out.extend({**table, name: value} for value in ODD_VALUES)
    out.append({**table, "kind": "trap" if kind != "trap" else "drill"})
    if kind == "trap":
        claim, distractors = table["claim"], list(table["distractors"])
        out.append({**table, "distractors": [*distractors[:-1], claim.upper() + "!"]})
        out.append({**table, "distractors": [distractors[0], *distractors[:-1]]})
        out.append({**table, "why_true": ["one reason"]})
        # without reasons, whose count would refuse most bent distractors by itself
        reasonless = {k: v for k, v in table.items() if k != "why_true"}
        out.extend({**reasonless, "distractors": value} for value in ODD_VALUES)
    rng.shuffle(out)
    return out


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
def test_what_the_check_accepts_the_model_accepts_with_the_same_values() -> None:
    rng = random.Random(16)
    by_kind: dict[str, list[Any]] = {}
    for item in SHIPPED_ITEMS:
        by_kind.setdefault(item[0], []).append(item)
    accepted = refused = 0
    for kind, items in by_kind.items():
        for _, topic, table, _ in rng.sample(items, min(len(items), 6)):
            for bent in _bent(table, kind, rng):
                fields = item_fields(kind, table["id"], bent, topic)
                if fields is None:
                    refused += 1
                    continue
                accepted += 1
                given = bent if not topic or bent.get("topic") else {**bent, "topic": topic}
                model = MODELS[kind].model_validate(given)  # raises if the check was lax
                assert _plain(fields) == _plain(dict(model)), (kind, bent)
    assert accepted > 100 and refused > 1000


def _bent_files(rng: random.Random) -> list[dict[str, Any]]:
    """Small deck files of shipped items (several of each kind, some fields missing in some
    items, so that each table's columns mix values and defaults), each bent once: one item
    bent as :func:`_bent` does, a deck-level field set to each odd value or dropped, an
    unknown top-level key, a table that is not a list or holds something not a table."""
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for kind, _, table, _ in SHIPPED_ITEMS:
        by_kind.setdefault(kind, []).append(table)
    out: list[dict[str, Any]] = []
    for _ in range(2):
        base: dict[str, Any] = {"deck": "bent", "title": "Bent", "topic": "t"}
        for kind in TABLES:
            base[kind] = [dict(t) for t in rng.sample(by_kind[kind], 3)]
        out.append(base)
        for kind in TABLES:
            for bent in _bent(base[kind][1], kind, rng):  # between two good items
                out.append({**base, kind: [base[kind][0], bent, base[kind][2]]})
            for name in FIELDS[kind]:  # a field that no item of the table has
                rows = [{k: v for k, v in row.items() if k != name} for row in base[kind]]
                out.append({**base, kind: rows})
            out.append({**base, kind: base[kind][0]})
            out.append({**base, kind: [*base[kind], 7]})
            out.append({k: v for k, v in base.items() if k != kind})
        for name in [*DECK_FIELDS, "unknown"]:
            out.append({k: v for k, v in base.items() if k != name})
            out.extend({**base, name: value} for value in ODD_VALUES)
    return out


def test_what_the_file_check_accepts_the_model_accepts_with_the_same_values() -> None:
    accepted = refused = 0
    for data in _bent_files(random.Random(161)):
        plain = file_tables(data)
        if plain is None:
            refused += 1
            continue
        accepted += 1
        model = DeckFile.model_validate(data)  # raises if the check was lax
        assert plain.deck == {name: getattr(model, name) for name in DECK_FIELDS}, data
        for kind in TABLES:
            rows = plain.tables[kind]
            assert len(rows) == len(getattr(model, kind))
            for row, item in zip(rows, getattr(model, kind), strict=True):
                assert _plain(item_fields(kind, row["id"], row)) == _plain(dict(item)), data
    assert accepted > 100 and refused > 1000


def test_a_statement_key_read_with_the_others_is_its_own() -> None:
    """The file check finds a trap's statement keys in one pass over all of them."""
    trap = next(t for kind, _, t, _ in SHIPPED_ITEMS if kind == "trap")
    odd = ["İSTANBUL ok", "\u212aELVIN ok", "Σ ok", "x ΑΣ", "a\x00b"]  # İ, the Kelvin sign, sigma
    for claim in odd:
        for distractor in odd:
            rows = [dict(trap), {**trap, "claim": claim, "distractors": [distractor, "other."]}]
            expected = all(
                item_fields("trap", r["id"], r) is not None for r in rows
            )  # the one-trap check, key by key
            assert (file_tables({"deck": "d", "trap": rows}) is not None) == expected


def test_statement_keys_in_one_pass_are_each_texts_own() -> None:
    """The trap rules' keys found for many texts at once compare as each text's own:
    ASCII byte by byte, or the whole text lowercased when it holds a character that
    lowercases into ASCII (and only those do)."""
    ascii_ish = set(string.ascii_lowercase + string.digits)
    into_ascii = [
        chr(c)
        for c in range(128, sys.maxunicode + 1)
        if not 0xD800 <= c <= 0xDFFF and ascii_ish & set(chr(c).lower())
    ]
    assert [c.lower() for c in into_ascii] == [c.lower() for c in LOWER_TO_ASCII]
    rng = random.Random(7)
    alphabet = "aZ09 .,-_!\tβİ\u212aKΣς\n[]é√v̂\x00 "
    texts = ["".join(rng.choices(alphabet, k=rng.randint(0, 12))) for _ in range(6000)]
    texts += [
        t for kind, _, table, _ in SHIPPED_ITEMS if kind == "trap" for t in table["distractors"]
    ]
    for start in range(0, len(texts), 9):
        group = texts[start : start + 9]
        keys = statement_keys(group)
        for a, b in itertools.combinations(range(len(group)), 2):
            assert (keys[a] == keys[b]) == (statement_key(group[a]) == statement_key(group[b]))


@pytest.mark.parametrize(
    ("kind", "table"),
    [
        ("flashcard", {"id": "d.a", "front": 5, "back": "B"}),
        ("flashcard", {"id": "d.a", "front": "  ", "back": "B"}),
        ("flashcard", {"id": "d.a", "front": "F"}),
        ("flashcard", {"id": "d.a", "front": "F", "back": "B", "fornt": "F"}),
        ("flashcard", {"id": "d.b", "front": "F", "back": "B"}),  # another item's table
        ("flashcard", {"id": "d.a", "front": "F", "back": "B", "say_aloud": 2}),
        ("flashcard", ["d.a", "F", "B"]),
        (
            "trap",
            {"id": "d.a", "claim": "C", "why_wrong": "W", "correct": "R", "distractors": ["x"]},
        ),
        ("drill", {"id": "d.a", "drill": "adam", "params": {"lr": "NaN"}, "note": 3}),
        ("flashcard", {"id": "d.a", "kind": "trap", "front": "F", "back": "B"}),
        ("quiz", {"id": "d.a", "front": "F", "back": "B"}),
    ],
)
def test_a_table_of_the_wrong_shape_gives_none(kind: str, table: Any) -> None:
    assert item_fields(kind, "d.a", table) is None
    if kind in MODELS and isinstance(table, dict) and table.get("id") == "d.a":
        with pytest.raises(ValidationError):  # the model refuses it too
            MODELS[kind].model_validate({**table, "id": "d.a"})


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
def test_a_view_from_the_stored_table_is_the_view_from_the_model(quizapp_home: Path) -> None:
    load_paths([ROOT / "content"])  # writes the index
    warm, parsed = load_paths([ROOT / "content"]), load_paths([ROOT / "content"], index=False)
    assert list(warm.items) == list(parsed.items)
    for n, (item_id, entry) in enumerate(warm.items.items()):
        if entry.kind == "drill" and n % 7:
            continue  # a drill draws its numbers from the engine either way: a sample
        fresh = parsed.items[item_id]
        assert ViewFactory(random.Random(n)).build(entry) == ViewFactory(random.Random(n)).build(
            fresh
        )
        assert entry.kind == "drill" or not entry.loaded  # no model built for a card
        assert fresh.loaded == entry.loaded  # nor from a file parsed (its tables are kept)


def test_a_tampered_table_is_read_from_the_file(tmp_path: Path, quizapp_home: Path) -> None:
    deck = tmp_path / "demo.toml"
    deck.write_text(
        'deck = "demo"\n\n[[flashcard]]\nid = "demo.a"\nfront = "Q"\nback = "A"\n'
        '\n[[flashcard]]\nid = "demo.b"\nfront = "Q2"\nback = "A2"\n',
        encoding="utf-8",
    )
    load_paths([deck])
    catalog = load_paths([deck])
    with sqlite3.connect(quizapp_home / INDEX_FILENAME) as conn:
        conn.execute(
            """UPDATE files SET bodies = '[{"id": "demo.a", "front": ["Q"], "back": "A"}, """
            """{"id": "demo.b", "front": "Tampered", "back": "A2", "rm": 1}]'"""
        )
    views = [ViewFactory().build(catalog.items[i]) for i in ("demo.a", "demo.b")]
    assert [(v.item_id, v.front, v.back) for v in views] == [  # type: ignore[union-attr]
        ("demo.a", "Q", "A"),
        ("demo.b", "Q2", "A2"),
    ]
