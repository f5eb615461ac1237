"""Export for Anki: Rich markup → HTML, the notes of each kind, Anki's text format and the
``quizapp export`` command (the .apkg itself is read back in test_export_apkg.py and by
Anki's own importer in test_export_anki.py)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from quizapp.cli import main
from quizapp.decks.loader import load_catalog, load_paths
from quizapp.interop.cards import (
    NOTE_TYPES,
    ExportError,
    anki_tag,
    deck_id,
    guid,
    notes,
    sample_seed,
)
from quizapp.interop.markup import to_html
from quizapp.interop.tsv import HEADERS, basic_sides, render_tsv

DECK = '''
deck = "mini"
title = "Mini deck"
topic = "adam basics"

[[flashcard]]
id = "mini.card"
tags = ["formula", "bias-correction"]
front = "Why [b]bias[/b] correction? θ ← θ − η·m̂/(√v̂ + ε) & <tag>"
back = """m and v start at [i]zero[/i].
Second line."""
hint = "Think of t = 1."
source = "Kingma & Ba, 2015"

[[trap]]
id = "mini.trap"
question = "Does Adam need warmup?"
claim = "Adam never needs warmup."
why_wrong = "Early v̂ is [b]noisy[/b]."
correct = "Warmup often helps Adam."
distractors = ["Adam keeps m and v.", "Adam divides by √v̂ + ε.", "Adam has two betas."]
why_true = ["exp_avg, exp_avg_sq.", "The denominator.", "β₁ and β₂."]

[[drill]]
id = "mini.drill"
drill = "adam"
title = "An Adam step"
note = "ε outside the root."
params = { t = [2, 5] }
'''


@pytest.fixture
def mini(tmp_path: Path):
    path = tmp_path / "mini.toml"
    path.write_text(DECK, encoding="utf-8")
    catalog = load_paths([path])
    assert catalog.ok, catalog.problems
    return catalog


# ------------------------------------------------------------------ markup → HTML
@pytest.mark.parametrize(
    ("markup", "html"),
    [
        ("plain & <x>", "plain &amp; &lt;x&gt;"),
        ("[b]bold[/b] [i]it[/i]", "<b>bold</b> <i>it</i>"),
        ("[bold italic]both[/]", "<b><i>both</i></b>"),
        ("[u]u[/u][strike]s[/strike]", "<u>u</u><s>s</s>"),
        ("[red]warm[/red]", '<span style="color:#800000">warm</span>'),
        ("a\nb", "a<br>b"),
        ("θ ← θ − η·∇L(θ), β₁ = 0.9", "θ ← θ − η·∇L(θ), β₁ = 0.9"),
        (r"list\[int] a\[i]", "list[int] a[i]"),
        ("[1, 2]", "[1, 2]"),
    ],
)
def test_markup_becomes_html(markup: str, html: str) -> None:
    assert to_html(markup) == html


@pytest.mark.parametrize(
    "hostile",
    [
        "[@click=app.quit]quit[/]",
        "[link=https://example.com]site[/link]",
        "[on_click=x]y[/]",
        "[/] unbalanced",
        "[b]never closed",
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
    ],
)
def test_nothing_but_formatting_survives(hostile: str) -> None:
    out = to_html(hostile)
    assert "<script" not in out and "<img" not in out and "href" not in out
    assert "@click" not in out and "app.quit" not in out
    for tag in ("<b>", "<i>", "<span"):
        out = out.replace(tag, "")
    assert "<" not in out.replace("</b>", "").replace("</i>", "").replace("</span>", "")


# --------------------------------------------------------------------------- notes
def test_each_kind_becomes_its_notes(mini) -> None:
    out = notes(mini)
    assert [n.note_type.key for n in out] == ["flashcard", "trap-pick", "trap-fix", "drill-sample"]
    card, pick, fix, drill = out
    assert card.field("Front").startswith("Why <b>bias</b> correction? θ ← θ − η·m̂/(√v̂ + ε)")
    assert "&amp; &lt;tag&gt;" in card.field("Front")
    assert card.field("Back") == "m and v start at <i>zero</i>.<br>Second line."
    assert card.field("Source") == "Kingma &amp; Ba, 2015"
    assert {n.field("Id") for n in out} == {"mini.card", "mini.trap", "mini.drill"}
    assert card.tags == ("adam_basics", "formula", "bias-correction", "quizapp::flashcard")
    assert pick.deck_name == "Mini deck::Traps" and card.deck_name == "Mini deck::Flashcards"
    # which claim is false: the claim among the distractors, the letter on the back
    statements = pick.field("Statements")
    assert statements.count("<li>") == 4 and "Adam never needs warmup." in statements
    letter = pick.field("FalseClaim")[1]
    items = statements.removeprefix("<li>").removesuffix("</li>").split("</li><li>")
    assert items["ABCD".index(letter)] == "Adam never needs warmup."
    assert "exp_avg, exp_avg_sq." in pick.field("WhyTrue")
    assert fix.field("Claim") == "Adam never needs warmup."
    assert fix.field("WhyWrong") == "Early v̂ is <b>noisy</b>."
    assert fix.field("Correct") == "Warmup often helps Adam."


def test_drill_exports_a_marked_sample_with_the_engine_solution(mini) -> None:
    from quizapp.engine import drills

    (drill,) = [n for n in notes(mini) if n.note_type.key == "drill-sample"]
    seed = sample_seed("mini.drill")
    problem = drills.generate("adam", seed, {"t": [2, 5]})
    assert drill.field("Title") == "An Adam step"
    assert f"quizapp drill adam --seed {seed} --param t=2,5" in drill.field("Sample")
    assert "Sample problem" in drill.field("Sample")
    assert "drill-sample" in drill.tags[-1]
    from quizapp.engine.drills.verdicts import display_value

    assert display_value(problem, problem.primary) in drill.field("Answer")
    assert drill.field("Solution").count("<br>") == len(problem.solution) - 1
    assert problem.prompt.split(",")[0] in drill.field("Problem")


def test_guids_and_ids_are_fixed_by_the_item(mini) -> None:
    first, again = notes(mini), notes(mini)
    assert [n.guid for n in first] == [n.guid for n in again]
    assert [n.fields for n in first] == [n.fields for n in again]  # shuffles and samples too
    assert len({n.guid for n in first}) == 4
    assert first[1].guid == guid("mini.trap", "trap-pick") != first[2].guid
    assert first[0].deck_id == deck_id("mini", "flashcard") != first[1].deck_id
    assert len({t.model_id for t in NOTE_TYPES.values()}) == 4


def test_filters_and_their_messages(mini) -> None:
    assert {n.item_id for n in notes(mini, topic="adam basics")} == {
        "mini.card",
        "mini.trap",
        "mini.drill",
    }
    with pytest.raises(ExportError, match="no deck 'nope'; decks: mini") as exc:
        notes(mini, deck="nope")
    assert exc.value.usage
    with pytest.raises(ExportError, match="topics: adam basics"):
        notes(mini, topic="sgd")


@pytest.mark.parametrize(
    ("tag", "anki"), [("weight decay", "weight_decay"), ("a  b\tc", "a_b_c"), ('x"y', "xy")]
)
def test_anki_tags_have_no_spaces(tag: str, anki: str) -> None:
    assert anki_tag(tag) == anki


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
def test_every_shipped_item_exports() -> None:
    catalog = load_catalog()
    out = notes(catalog)
    traps = sum(1 for e in catalog.items.values() if e.kind == "trap")
    assert len(out) == len(catalog.items) + traps
    assert len({n.guid for n in out}) == len(out)
    for note in out:
        assert len(note.fields) == len(note.note_type.fields)
        assert note.fields[0], note.item_id  # Anki refuses an empty first field
        assert all(" " not in t for t in note.tags)


# ------------------------------------------------------------------- Anki's text format
def test_tsv_has_anki_headers_and_one_basic_row_per_note(mini) -> None:
    out = notes(mini)
    text = render_tsv(out)
    lines = text.splitlines()
    assert tuple(lines[: len(HEADERS)]) == HEADERS
    assert "#separator:tab" in lines and "#html:true" in lines
    assert "#tags column:5" in lines and "#guid column:1" in lines
    rows = list(csv.reader(io.StringIO("\n".join(lines[len(HEADERS) :])), delimiter="\t"))
    assert len(rows) == len(out)
    for row, note in zip(rows, out, strict=True):
        assert len(row) == 5
        assert row[0] == note.guid and row[1] == note.deck_name
        assert row[4].split() == list(note.tags)
        assert (row[2], row[3]) == basic_sides(note)
    front, back = basic_sides(out[0])
    assert "<details><summary>Hint</summary>Think of t = 1.</details>" in front
    assert back.startswith('<div class="answer">m and v') and "mini.card" in back
    assert "{{" not in text and "}}" not in text


# ------------------------------------------------------------------------- the command
def test_export_command_writes_both_files(tmp_path: Path, capsys, mini) -> None:
    deck = tmp_path / "mini.toml"
    pytest.importorskip("genanki")
    apkg, tsv = tmp_path / "out.apkg", tmp_path / "out.txt"
    code = main(
        ["export", "--content", str(deck), "--deck", "mini", "--apkg", str(apkg), "--tsv", str(tsv)]
    )
    out = capsys.readouterr().out
    assert code == 0, out
    assert "exported 4 notes from 3 items: 1 flashcard, 1 trap × 2" in out
    assert apkg.stat().st_size > 0 and tsv.read_text(encoding="utf-8").startswith("#separator:tab")
    assert not list(tmp_path.glob(".*partial"))


def test_export_without_a_target_is_a_usage_error(capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["export"])
    assert exc.value.code == 2
    assert "give --apkg FILE and/or --tsv FILE" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (["--tsv", "{tmp}/missing/x.txt"], 1, "the folder {tmp}/missing does not exist"),
        (["--tsv", "{tmp}"], 2, "is a folder"),
        (["--tsv", "{tmp}/x.txt", "--deck", "nope"], 2, "no deck 'nope'; decks: optimizers"),
        (["--tsv", "{tmp}/x.txt", "--topic", "nope"], 2, "no items with topic 'nope'"),
    ],
)
def test_export_command_bad_input(tmp_path: Path, capsys, argv, code, message) -> None:
    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    assert main(["export", *argv]) == code
    assert message.replace("{tmp}", str(tmp_path)) in capsys.readouterr().err


def test_a_broken_deck_file_is_named_and_left_out(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('deck = "bad"\n[[flashcard]]\nid = "bad.x"\nfront = "q"\n', encoding="utf-8")
    out = tmp_path / "x.txt"
    assert main(["export", "--content", str(bad), "--tsv", str(out)]) == 0
    err = capsys.readouterr().err
    assert f"quizapp: {bad} has 1 error and was left out; `quizapp check` shows where" in err
    assert "bad.x" not in out.read_text(encoding="utf-8")
    assert main(["export", "--content", str(bad), "--deck", "bad", "--tsv", str(out)]) == 2
    assert "no deck 'bad'" in capsys.readouterr().err
