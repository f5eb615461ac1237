"""``quizapp import``: Anki's text export, Quizlet's export and CSVs into a user deck that
passes ``quizapp check``; bad rows located, good rows kept, nothing overwritten unbacked."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from quizapp import paths
from quizapp.cli import main
from quizapp.decks.loader import load_catalog, load_paths
from quizapp.interop import importer
from quizapp.interop.cards import notes
from quizapp.interop.markup import from_html, styled
from quizapp.interop.tsv import write_tsv

ANKI_EXPORT = (
    "#separator:tab\n"
    "#html:true\n"
    "#guid column:1\n"
    "#notetype column:2\n"
    "#deck column:3\n"
    "#tags column:6\n"
    "f6Xk#1\tBasic\tML::Optim\tWhat does <b>Adam</b> keep?\tm and v<br>per parameter &amp; a step\tadam ML::optim\n"
    "Zz9q!2\tBasic\tML::Optim\tWhy list[int]?\t<div>types</div><div>for <i>you</i></div>\t\n"
    "Cl0z#3\tCloze\tML::Optim\t{{c1::Adam}} is adaptive\t\t\n"
    "Qq1#4\tBasic\tML::Optim\t<img src='x.png'>\tan image only\t\n"
    'Rr2#5\tBasic\tML::Optim\t"A quoted\tfield with\na newline"\tanswer\tx\n'
    "Ss3#6\tBasic\tML::Optim\tafter the quoted row\tstill line 11\t\n"
)
QUIZLET = "SGD\tstochastic gradient descent\nAdam\tadaptive moments\n\nlonely term\nη\tthe learning rate\n"


def _write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


# ----------------------------------------------------------------------- reading
def test_anki_text_export_with_its_headers(tmp_path: Path) -> None:
    table = importer.read_table(_write(tmp_path, "ml.txt", ANKI_EXPORT))
    assert table.source == "Anki text export" and table.separator == "\t" and table.html
    fronts = [c.front for c in table.cards]
    assert fronts == [
        "What does [b]Adam[/b] keep?",
        r"Why list\[int]?",
        "A quoted\tfield with\na newline",
        "after the quoted row",
    ]
    first, second = table.cards[0], table.cards[1]
    assert first.back == "m and v\nper parameter & a step"
    assert first.tags == ("adam", "ml-optim") and first.key == "guid:f6Xk#1"
    assert second.back == "types\nfor [i]you[/i]"
    assert styled(second.front).plain == "Why list[int]?"
    errors = {(p.line, p.message.split(":")[0]) for p in table.problems if p.severity == "error"}
    assert (9, "a 'Cloze' note") in errors
    assert any(
        p.line == 10 and "the question is empty once HTML is removed" in p.message
        for p in table.problems
    )
    assert [c.line for c in table.cards] == [7, 8, 11, 13]


def test_quizlet_export_and_its_bad_row(tmp_path: Path) -> None:
    table = importer.read_table(_write(tmp_path, "quizlet.txt", QUIZLET))
    assert [(c.front, c.back) for c in table.cards] == [
        ("SGD", "stochastic gradient descent"),
        ("Adam", "adaptive moments"),
        ("η", "the learning rate"),
    ]
    assert [(p.line, p.message) for p in table.problems] == [
        (4, "needs a question and an answer separated by a tab; found 1 non-empty field")
    ]


def test_csv_with_named_columns_semicolons_and_duplicates(tmp_path: Path) -> None:
    text = (
        "Question;Answer;Notes;Source\n"
        "What is η?;the learning rate;tune it first;notes p.3\n"
        '"Two\nlines?";"yes; really";;\n'
        "what is  η?;dup;;\n"
        ";no question;;\n"
    )
    table = importer.read_table(_write(tmp_path, "s.csv", text))
    assert table.separator == ";"
    assert [(c.line, c.front, c.back, c.deeper) for c in table.cards] == [
        (2, "What is η?", "the learning rate", "tune it first"),
        (3, "Two\nlines?", "yes; really", None),
        (5, "what is  η?", "dup", None),
    ]
    messages = [(p.line, p.severity, p.message) for p in table.problems]
    assert (
        2,
        "warning",
        "column 4 not imported (only the question, answer, hint and a note are)",
    ) in messages
    assert (
        5,
        "warning",
        "the same question as line 2 with another answer; both kept as separate cards",
    ) in messages
    assert any(line == 6 and "needs a question and an answer" in m for line, _, m in messages)


def test_plain_text_brackets_are_escaped_html_only_when_it_is_html(tmp_path: Path) -> None:
    text = "a[i] and [b]x[/b]\t<b>bold</b> & <i>it</i>\nx < y\t5 > 3 [1, 2]\n"
    table = importer.read_table(_write(tmp_path, "plain.tsv", text))
    (one, two) = table.cards
    assert styled(one.front).plain == "a[i] and [b]x[/b]"  # typed markup stays literal
    assert one.back == "[b]bold[/b] & [i]it[/i]"  # looks like HTML: read as HTML
    assert (two.front, two.back) == ("x < y", "5 > 3 [1, 2]")


@pytest.mark.parametrize(
    ("html", "markup"),
    [
        ("<strong>s</strong><em>e</em><u>u</u><s>x</s>", "[b]s[/b][i]e[/i][u]u[/u][s]x[/s]"),
        ("a<br/>b<br>c", "a\nb\nc"),
        ("<ul><li>one</li><li>two</li></ul>", "• one\n• two"),
        ("<script>alert(1)</script><style>b{}</style>ok", "ok"),
        ("<a href='javascript:x'>link</a> &lt;tag&gt; &nbsp;", "link <tag>"),
        ("<b>[@click=app.quit]no[/]</b>", r"[b]\[@click=app.quit]no\[/][/b]"),
        ("<b><i>nested</b> rest</i>", "[b][i]nested[/i][/b] rest"),
        ("C:\\<b>x</b>", "C:\\\\[b]x[/b]"),
        ("<b></b>empty", "empty"),
        ("<details><summary>Hint</summary>t = 1</details>", "t = 1"),
    ],
)
def test_html_becomes_safe_markup(html: str, markup: str) -> None:
    assert from_html(html) == markup
    styled(markup)  # renders; never acts


def test_unreadable_files_get_located_messages(tmp_path: Path) -> None:
    cases = {
        "latin1.txt": (
            "q\tr\u00e9ponse\n".encode("latin-1"),
            "latin1.txt:1: byte 0xe9 is not UTF-8",
        ),
        "empty.txt": (b"", "no rows to import"),
        "headers.txt": (b"#separator:tab\n#html:true\n", "no rows to import"),
        "deck.apkg": (b"PK\x03\x04rest", "is a zip file"),
    }
    for name, (data, message) in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(importer.TableError, match=message.replace(".", r"\.")):
            importer.read_table(path)


# -------------------------------------------------------------------------- the deck
def test_ids_are_stable_from_the_content(tmp_path: Path) -> None:
    table = importer.read_table(_write(tmp_path, "ml.txt", ANKI_EXPORT))
    edited = importer.read_table(
        _write(
            tmp_path,
            "ml2.txt",
            ANKI_EXPORT.replace("What does <b>Adam</b> keep?", "What does Adam store?"),
        )
    )
    ids = [importer.item_id("ml", c) for c in table.cards]
    assert importer.item_id("ml", edited.cards[0]) == ids[0]  # same GUID, same id
    assert ids[0].startswith("ml.anki-") and len(set(ids)) == 4
    quiz = importer.read_table(_write(tmp_path, "q.txt", QUIZLET))
    again = importer.read_table(
        _write(tmp_path, "q2.txt", QUIZLET.replace("adaptive moments", "Adam!"))
    )
    assert [importer.item_id("q", c) for c in quiz.cards] == [
        importer.item_id("q", c) for c in again.cards
    ]
    assert importer.deck_id_for("My ML  Deck!") == "my-ml-deck"
    assert importer.deck_id_for("深層学習").startswith("imported-")


def test_built_deck_passes_check(tmp_path: Path) -> None:
    table = importer.read_table(_write(tmp_path, "ml.txt", ANKI_EXPORT))
    plan = importer.build(table, "ML cards", tmp_path / "decks")
    assert importer.problems_of(plan) == []
    plan.target.parent.mkdir()
    importer.write(plan)
    catalog = load_paths([plan.target])
    assert catalog.ok and not catalog.problems
    deck = catalog.decks["ml-cards"]
    assert deck.title == "ML cards" and len(deck.items) == 4
    card = deck.items[0]
    assert card.front == "What does [b]Adam[/b] keep?" and card.tags == ("adam", "ml-optim")


def test_exported_tsv_imports_back(tmp_path: Path) -> None:
    source = tmp_path / "mini.toml"
    source.write_text(
        'deck = "mini"\n[[flashcard]]\nid = "mini.q"\nfront = "Why [b]β₁[/b] = 0.9?"\n'
        'back = "It averages ~10 steps: 1/(1 − β₁)."\n',
        encoding="utf-8",
    )
    exported = write_tsv(notes(load_paths([source])), tmp_path / "mini.txt")
    (card,) = importer.read_table(exported).cards
    assert card.front == "Why [b]β₁[/b] = 0.9?"
    assert card.back == "It averages ~10 steps: 1/(1 − β₁)."  # no item-id footer
    assert card.key.startswith("guid:qz")


def test_exported_tsv_round_trips_every_flashcard_field(tmp_path: Path) -> None:
    """Our own --tsv export read back: the hint is the hint (not part of the question),
    the note after the answer and the source keep their fields, the item id footer is
    dropped; the deck written passes check and a second round trip changes nothing."""
    source = tmp_path / "mini.toml"
    source.write_text(
        'deck = "mini"\n[[flashcard]]\nid = "mini.q"\nfront = "Why [b]β₁[/b] = 0.9?"\n'
        'back = "It averages ~10 steps:\\n1/(1 − β₁)."\nhint = "Think of 1/(1 − β)."\n'
        'deeper = "An EMA\'s memory is [i]about[/i] 1/(1 − β) steps."\n'
        'source = "Kingma & Ba, 2015"\n',
        encoding="utf-8",
    )
    original = load_paths([source]).items["mini.q"].item
    exported = write_tsv(notes(load_paths([source])), tmp_path / "mini.txt")
    (card,) = importer.read_table(exported).cards
    got = (card.front, card.back, card.hint, card.deeper, card.source)
    assert got == (original.front, original.back, original.hint, original.deeper, original.source)
    plan = importer.build(importer.read_table(exported), "Round trip", tmp_path / "decks")
    assert importer.problems_of(plan) == []
    plan.target.parent.mkdir()
    plan.target.write_text(plan.text, encoding="utf-8")
    (item,) = load_paths([plan.target]).items.values()
    again = write_tsv(notes(load_paths([plan.target])), tmp_path / "again.txt")
    (card2,) = importer.read_table(again).cards
    assert (item.item.hint, item.item.source) == (original.hint, original.source)
    assert (card2.front, card2.back, card2.hint, card2.deeper, card2.source) == got


def test_a_plain_two_column_table_with_divs_is_not_taken_for_our_export(tmp_path: Path) -> None:
    text = (
        "#separator:tab\n#html:true\n"
        '<div class="question">Q?</div><div class="hint">h</div>\t<div>A</div>\n'
    )
    (card,) = importer.read_table(_write(tmp_path, "two.txt", text)).cards
    assert (card.front, card.back, card.hint) == ("Q?\nh", "A", None)


# ------------------------------------------------------------------------ the command
def test_import_command_writes_backs_up_and_reports(tmp_path: Path, capsys) -> None:
    src = _write(tmp_path, "quizlet.txt", QUIZLET)
    assert main(["import", str(src), "--deck", "Quizlet words"]) == 0
    out, err = capsys.readouterr()
    target = paths.user_content_dir() / "quizlet-words.toml"
    assert f"wrote deck 'quizlet-words' to {target}: 3 cards" in out and "1 row skipped" in out
    assert f"{src}:4: error: needs a question and an answer" in err
    catalog = load_catalog()
    assert catalog.ok and len(catalog.decks["quizlet-words"].items) == 3
    assert main(["check"]) == 0
    capsys.readouterr()

    first = target.read_text(encoding="utf-8")
    assert main(["import", str(src), "--deck", "Quizlet words"]) == 0  # same file: untouched
    assert "already up to date" in capsys.readouterr().out
    assert list(target.parent.iterdir()) == [target]

    _write(tmp_path, "quizlet.txt", QUIZLET + "Lion\tsign momentum\n")
    assert main(["import", str(src), "--deck", "Quizlet words"]) == 0
    out = capsys.readouterr().out
    (backup,) = [p for p in target.parent.iterdir() if p != target]
    assert backup.name.startswith("quizlet-words.toml.") and backup.suffix == ".bak"
    assert backup.read_text(encoding="utf-8") == first and str(backup) in out
    assert "Lion" in target.read_text(encoding="utf-8")
    assert len(load_catalog().decks["quizlet-words"].items) == 4  # the .bak is not loaded


def test_dry_run_writes_nothing(tmp_path: Path, capsys) -> None:
    src = _write(tmp_path, "q.txt", QUIZLET)
    assert main(["import", str(src), "--deck", "words", "--dry-run"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("# Imported by `quizapp import` from q.txt") and 'deck = "words"' in out
    assert "dry run: would write" in err
    assert not paths.user_content_dir().exists()


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (["{tmp}/missing.txt", "--deck", "x"], 2, "missing.txt: no such file"),
        (["{tmp}/q.txt", "--deck", " "], 2, "--deck needs a name"),
        (
            ["{tmp}/q.txt", "--deck", "Optimizers"],
            1,
            "'optimizers' is a deck that ships with quizapp",
        ),
        (["{tmp}/bad.txt", "--deck", "x"], 1, "no card could be imported (1 bad row above)"),
    ],
)
def test_import_command_refusals(tmp_path: Path, capsys, argv, code, message) -> None:
    _write(tmp_path, "q.txt", QUIZLET)
    _write(tmp_path, "bad.txt", "just one field\n")
    assert main(["import", *[a.replace("{tmp}", str(tmp_path)) for a in argv]]) == code
    assert message in capsys.readouterr().err
    assert not paths.user_content_dir().exists()


def test_import_without_deck_is_a_usage_error(tmp_path: Path, capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["import", str(_write(tmp_path, "q.txt", QUIZLET))])
    assert exc.value.code == 2 and "--deck" in capsys.readouterr().err


_CELL = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40
) | st.sampled_from(
    ["[b]x", "a[i]", "<b>y</b>", "\\", "[/]", "[@click=app.quit]z", "&amp;", '"q"', "#x:y"]
)


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(st.lists(_CELL, min_size=0, max_size=4), max_size=6),
    sep=st.sampled_from(["\t", ",", ";"]),
    header=st.sampled_from(["", "#separator:tab\n#html:true\n", "#html:false\n", "front,back\n"]),
)
def test_any_table_gives_located_rows_and_a_deck_that_passes_check(
    tmp_path: Path, rows, sep, header
) -> None:
    path = tmp_path / "fuzz.txt"
    path.write_text(header + "\n".join(sep.join(r) for r in rows), encoding="utf-8")
    try:
        table = importer.read_table(path)
    except importer.TableError as exc:
        assert str(exc).startswith(str(path))
        return
    assert all(p.path == str(path) for p in table.problems)
    if table.cards:
        event("cards imported")
        plan = importer.build(table, "Fuzz deck", tmp_path / "decks")
        assert importer.problems_of(plan) == []
        probe = tmp_path / "probe.toml"
        probe.write_text(plan.text, encoding="utf-8")
        assert load_paths([probe]).problems == []  # no warning either (e.g. a[i] swallowed)


def test_a_hand_written_deck_of_that_name_is_kept_aside(tmp_path: Path, capsys) -> None:
    target = paths.user_content_dir() / "words.toml"
    target.parent.mkdir(parents=True)
    mine = 'deck = "words"\n[[flashcard]]\nid = "words.mine"\nfront = "q"\nback = "a"\n'
    target.write_text(mine, encoding="utf-8")
    assert main(["import", str(_write(tmp_path, "q.txt", QUIZLET)), "--deck", "words"]) == 0
    out, err = capsys.readouterr()
    assert "was not written by an import; it is replaced" in err
    (saved,) = [p for p in target.parent.iterdir() if p != target]
    assert saved.read_text(encoding="utf-8") == mine and str(saved) in out


def test_a_tags_column_and_a_question_asked_twice_with_two_answers(tmp_path: Path) -> None:
    text = (
        "front,back,tags\n"
        '"What is SGD?","Stochastic gradient descent",basics\n'
        '"Dup?","one"\n'
        '"Dup?","two",ML::Optim extra\n'
        '"dup?","ONE"\n'
        '"Dup?","two"\n'
    )
    table = importer.read_table(_write(tmp_path, "im.csv", text))
    assert [(c.line, c.back, c.tags) for c in table.cards] == [
        (2, "Stochastic gradient descent", ("basics",)),
        (3, "one", ()),
        (4, "two", ("ml-optim", "extra")),
    ]
    messages = [(p.line, p.severity, p.message) for p in table.problems]
    assert messages == [
        (4, "warning", "the same question as line 3 with another answer; both kept as separate cards"),
        (5, "error", "the same card as line 3; kept the first"),
        (6, "error", "the same card as line 4; kept the first"),
    ]  # fmt: skip
    ids = [importer.item_id("mine", c) for c in table.cards]
    assert len(set(ids)) == 3
    # the first card of a question keeps the id it had before (from the question alone), so
    # progress on a card imported earlier stays with it; only the second card is new
    alone = importer.read_table(_write(tmp_path, "old.csv", 'front,back\n"Dup?","one"\n'))
    assert importer.item_id("mine", alone.cards[0]) == ids[1]
    edited = importer.read_table(_write(tmp_path, "ed.csv", text.replace('"one"', '"uno"')))
    assert [importer.item_id("mine", c) for c in edited.cards[:2]] == ids[:2]
    plan = importer.build(table, "mine", tmp_path / "decks")
    assert 'tags = ["basics"]' in plan.text and not importer.problems_of(plan)
