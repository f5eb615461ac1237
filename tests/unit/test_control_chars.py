"""Control characters in deck or learner text never reach the terminal (tester's D7).

ESC (CSI/OSC sequences: clear the screen, set the window title, write the clipboard), BEL,
backspace, CR, DEL, C1 and the bidi overrides are refused by ``check`` and the loader with
their location, refused row by row by ``import``, and dropped on every way out (the text
renderers, the CLI listings, the Anki exports) should one come another way."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from quizapp import paths
from quizapp.cli import main
from quizapp.decks import load_paths
from quizapp.decks.controls import (
    describe,
    escape_controls,
    has_control,
    has_control_utf8,
    strip_controls,
)
from quizapp.decks.text import plain_text, safe_markup
from quizapp.interop.cards import notes
from quizapp.interop.tsv import render_tsv

# The tester's deck, as written in tester-report.md (D7).
EVIL = r"""deck = "evil2"
title = "Escapes"
topic = "escapes"
[[flashcard]]
id = "evil2.ansi"
front = "Before\u001b[2J\u001b]0;PWNED\u001b\\ after \u001b[31mred"
back = "bell\u0007 and backspace\u0008\u0008\u0008X and RTL \u202eevil\u202c"
"""

CLEAN = """deck = "calm"
title = "Calm"
[[flashcard]]
id = "calm.one"
front = "Tabs\\tand\\nnewlines are fine"
back = \"\"\"Two
lines\"\"\"
"""

EVERY_BAD = ["\x00", "\x07", "\x08", "\x0b", "\x0c", "\r", "\x1b", "\x7f", "\x85", "\x9b", "\x9d"]
EVERY_BAD += ["\u202a", "\u202e", "\u2066", "\u2069"]


def _check(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["check", "--no-shipped", *args])
    out = capsys.readouterr()
    assert "Traceback" not in out.out + out.err
    return code, out.out + out.err


def test_the_testers_deck_is_refused_with_file_line_item_and_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "evil2.toml"
    path.write_text(EVIL, encoding="utf-8")
    code, out = _check(capsys, str(path))
    assert code == 1
    assert (
        f"{path}:6: error: flashcard[1].front: item 'evil2.ansi': the text holds 4 control "
        "characters on this line: U+001B (ESC) ×4;" in out
    )
    assert "(remove the control characters U+001B)" in out
    assert (
        f"{path}:7: error: flashcard[1].back: item 'evil2.ansi': the text holds 6 control "
        "characters on this line: U+0007 (BEL), U+0008 (backspace) ×3, U+202E (RIGHT-TO-LEFT "
        "OVERRIDE), U+202C (POP DIRECTIONAL FORMATTING);" in out
    )
    assert "\x1b" not in out and "\x07" not in out
    catalog = load_paths([path])
    assert "evil2.ansi" not in catalog.items and "evil2" not in catalog.decks
    assert str(path) in catalog.skipped


# TOML itself refuses C0 and DEL written raw (a located syntax error); the rest it takes.
RAW_IN_TOML = [c for c in EVERY_BAD if ord(c) >= 0x80]


@pytest.mark.parametrize(
    ("char", "escaped"), [(c, True) for c in EVERY_BAD] + [(c, False) for c in RAW_IN_TOML]
)
def test_every_control_character_is_refused_escaped_or_raw(
    tmp_path: Path, char: str, escaped: bool
) -> None:
    written = f"\\u{ord(char):04x}" if escaped else char
    path = tmp_path / "d.toml"
    path.write_text(CLEAN.replace("Two\nlines", f"Two\nli{written}nes"), encoding="utf-8")
    catalog = load_paths([path], index=False)
    errors = [p for p in catalog.problems if p.severity == "error"]
    assert len(errors) == 1, errors
    assert errors[0].line == 7 and errors[0].field == "flashcard[1].back"
    assert f"U+{ord(char):04X}" in errors[0].message
    assert "calm.one" not in catalog.items


@pytest.mark.parametrize(
    ("snippet", "field"),
    [
        ('title = "Ti\\u001btle"', "title"),
        ('description = "x\\u009dy"', "description"),
        ('topic = "t\\u202eo"', "topic"),
    ],
)
def test_deck_level_fields_are_checked(tmp_path: Path, snippet: str, field: str) -> None:
    path = tmp_path / "d.toml"
    path.write_text(CLEAN.replace('title = "Calm"', snippet), encoding="utf-8")
    errors = [p for p in load_paths([path], index=False).problems if p.severity == "error"]
    assert [(p.field, p.line) for p in errors] == [(field, 2)]


def test_every_item_field_is_checked(tmp_path: Path) -> None:
    path = tmp_path / "d.toml"
    path.write_text(
        """deck = "d"
[[trap]]
id = "d.trap"
claim = "Adam never needs warmup."
why_wrong = "It does."
correct = "Warmup helps."
distractors = ["Adam keeps m.", "Adam keeps \\u001b[2Jv."]
tags = ["ok", "b\\u0007ell"]

[[drill]]
id = "d.drill"
drill = "adam"
note = "\\b"
""",
        encoding="utf-8",
    )
    errors = [p for p in load_paths([path], index=False).problems if p.severity == "error"]
    assert {(p.field, p.line) for p in errors} == {
        ("trap[1].distractors[2]", 7),
        ("trap[1].tags[2]", 8),
        ("drill[1].note", 13),
    }


SEVERAL = r'''deck = "d"
[[flashcard]]
id = "d.many"
front = "Q\u0007 x \u0001 and \u0007"
back = """first line \u001b[2J
second line is fine
third \u202e here"""
tags = [
  "a\u0002",
  "fine",
  "b\u0002",
]
'''


def test_every_control_character_is_reported_in_one_pass(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A text with several control characters: every line that writes one is reported with
    each of them named (a repeat counted), so the author cleans the file in one pass."""
    path = tmp_path / "d.toml"
    path.write_text(SEVERAL, encoding="utf-8")
    errors = [p for p in load_paths([path], index=False).problems if p.severity == "error"]
    assert [(p.line, p.field, p.message, p.hint) for p in errors] == [
        (
            4,
            "flashcard[1].front",
            "item 'd.many': the text holds 3 control characters on this line: U+0007 (BEL) ×2, "
            "U+0001 (control character); they would act on the terminal (deck text is data)",
            "remove the control characters U+0007, U+0001",
        ),
        (
            5,
            "flashcard[1].back",
            "item 'd.many': the text holds the control character U+001B (ESC); it would act "
            "on the terminal (deck text is data)",
            "remove the control character U+001B",
        ),
        (
            7,
            "flashcard[1].back",
            "item 'd.many': the text holds the control character U+202E (RIGHT-TO-LEFT "
            "OVERRIDE); it would act on the terminal (deck text is data)",
            "remove the control character U+202E",
        ),
        (9, "flashcard[1].tags[1]", ANY_U0002, "remove the control character U+0002"),
        (11, "flashcard[1].tags[3]", ANY_U0002, "remove the control character U+0002"),
    ]
    code, out = _check(capsys, str(path))
    assert code == 1
    assert [line.split(": error: ")[0] for line in out.splitlines()[:-1]] == [
        f"{path}:{line}" for line in (4, 5, 7, 9, 11)
    ]


ANY_U0002 = (
    "item 'd.many': the text holds the control character U+0002 (control character); it "
    "would act on the terminal (deck text is data)"
)


def test_clean_text_with_tabs_and_newlines_loads(tmp_path: Path) -> None:
    path = tmp_path / "d.toml"
    path.write_text(CLEAN, encoding="utf-8")
    catalog = load_paths([path], index=False)
    assert not catalog.problems
    assert catalog.items["calm.one"].item.front == "Tabs\tand\nnewlines are fine"


def test_the_content_index_does_not_keep_an_old_verdict(tmp_path: Path) -> None:
    """The indexed load (what the app does at start) refuses it too."""
    folder = paths.user_content_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "evil2.toml").write_text(EVIL, encoding="utf-8")
    for _ in range(2):  # the second load comes from the index
        catalog = load_paths([folder])
        assert "evil2.ansi" not in catalog.items
        assert any("U+001B" in p.message for p in catalog.problems)


@pytest.mark.parametrize("char", EVERY_BAD)
def test_renderers_drop_control_characters(char: str) -> None:
    text = f"[b]bold{char}[/b] and {char}[2J plain\tand\nlines"
    shown = safe_markup(text)
    assert not has_control(shown.plain)
    assert shown.plain == "bold and [2J plain\tand\nlines"
    assert shown.spans  # the styling survives
    assert plain_text(f"topic{char}").plain == "topic"


def test_helpers() -> None:
    assert strip_controls("a\x1b]0;x\x07b\u202ec\n\t") == "a]0;xbc\n\t"
    assert describe("\x1b") == "U+001B (ESC)"
    assert describe("\u202e") == "U+202E (RIGHT-TO-LEFT OVERRIDE)"
    dumped = escape_controls(json.dumps({"a": "x\x85y\u2066"}, ensure_ascii=False))
    assert json.loads(dumped) == {"a": "x\x85y\u2066"} and not has_control(dumped)


def test_the_byte_level_test_agrees_with_the_text_level_one_for_every_code_point() -> None:
    # each character alone below U+3000 (every control is below U+2070), in blocks above
    # (a block answers for its characters: the byte test of a text is that of its parts)
    for code in range(0x3000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        text = f"a{chr(code)}b"
        assert has_control_utf8(text.encode()) is has_control(text), hex(code)
    for start in range(0x3000, 0x110000, 0x1000):
        block = "".join(chr(c) for c in range(start, start + 0x1000) if not 0xD800 <= c <= 0xDFFF)
        assert not has_control_utf8(block.encode()) and not has_control(block), hex(start)
    text = "em dash —, quotes “”, NBSP , é, then ‮"
    assert has_control_utf8(text.encode()) and not has_control_utf8(text[:-1].encode())


def test_import_refuses_rows_with_control_characters(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "esc.tsv"
    source.write_bytes(
        b"front\tback\n"
        b"What is \x1b]0;HACKED\x07 Adam?\tAn optimizer \x1b[2J\n"
        b"What is SGD?\tplain descent\n"
        b"Right to left\tbidi \xe2\x80\xae x\n"
    )
    code = main(["import", str(source), "--deck", "imported"])
    out = capsys.readouterr()
    assert code == 0, out
    assert f"{source}:2: error: the question holds the control character U+001B (ESC)" in out.err
    assert f"{source}:4: error: the answer holds the control character U+202E" in out.err
    assert "\x1b" not in out.out + out.err
    written = (paths.user_content_dir() / "imported.toml").read_text(encoding="utf-8")
    assert "SGD" in written and "HACKED" not in written and "\\u" not in written
    assert not has_control(written.replace("\n", ""))


def test_import_refuses_a_control_character_written_as_an_html_entity(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "anki.txt"
    source.write_text(
        "#separator:tab\n#html:true\nok\t<b>fine</b>\nbad\treads &#x202e;backwards\n",
        encoding="utf-8",
    )
    assert main(["import", str(source), "--deck", "ent"]) == 0
    err = capsys.readouterr().err
    assert f"{source}:4: error: the answer holds the control character U+202E" in err
    written = (paths.user_content_dir() / "ent.toml").read_text(encoding="utf-8")
    assert "fine" in written and "backwards" not in written


def test_exports_never_carry_a_control_character(tmp_path: Path) -> None:
    """Should a control character reach a loaded item another way, no note carries it."""
    path = tmp_path / "d.toml"
    path.write_text(CLEAN, encoding="utf-8")
    catalog = load_paths([path], index=False)
    entry = catalog.items["calm.one"]
    entry._item = entry.item.model_copy(  # bypasses validation, as a tampered source would
        update={"front": "x\x1b]52;c;aGk=\x07y", "back": "z\x9b2J", "source": "s\u202e"}
    )
    found = notes(catalog)
    assert found and not any(has_control(f) for n in found for f in n.fields)
    tsv = render_tsv(found)
    assert not has_control(tsv.replace("\n", "").replace("\t", ""))
    assert "x]52;c;aGk=y" in tsv


def test_cli_listings_drop_control_characters(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from quizapp.commands import browse, drill

    monkeypatch.setattr(browse, "render", lambda rows, total: "evil\x1b]0;PWNED\x07 row")
    folder = paths.user_content_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "calm.toml").write_text(CLEAN, encoding="utf-8")
    assert main(["browse", "deck:calm"]) == 0
    assert capsys.readouterr().out == "evil]0;PWNED row\n"
    # a --param value or a typed answer is echoed by the drill's text output
    monkeypatch.setattr(drill, "render_problem", lambda problem, random_seed: "p\x1b[2Jq")
    assert main(["drill", "adam", "--seed", "1"]) == 0
    assert capsys.readouterr().out == "p[2Jq\n"


REFUSED = """deck = "mixed"
title = "Mixed\\u001b"

[[flashcard]]
id = "mixed.one"
front = "Q\\u0007"
back = "A"
say_aloud = "yes"

[[flashcard]]
id = 5
front = "fine"
back = "\\u202eB"
tags = ["ok", "t\\u0002"]
"""


@pytest.mark.parametrize("cache", [False, True])
def test_a_file_the_models_refuse_has_its_control_characters_reported_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], cache: bool
) -> None:
    """The models' errors (a "yes" for true, an id that is a number) and every control
    character of the file's texts, in one pass, in line order: an item whose id is not
    readable is named by its table alone."""
    path = tmp_path / "d.toml"
    path.write_text(REFUSED, encoding="utf-8")
    one = "the text holds the control character"
    act = "it would act on the terminal (deck text is data)"
    expected = [
        f"{path}:2: error: title: {one} U+001B (ESC); {act} (remove the control character U+001B)",
        f"{path}:6: error: flashcard[1].front: item 'mixed.one': {one} U+0007 (BEL); {act} "
        "(remove the control character U+0007)",
        f"{path}:8: error: flashcard[1].say_aloud: Input should be a valid boolean; found 'yes'",
        f"{path}:11: error: flashcard[2].id: Input should be a valid string; found 5",
        f"{path}:13: error: flashcard[2].back: {one} U+202E (RIGHT-TO-LEFT OVERRIDE); {act} "
        "(remove the control character U+202E)",
        f"{path}:14: error: flashcard[2].tags[2]: {one} U+0002 (control character); {act} "
        "(remove the control character U+0002)",
    ]
    options = ["--cache"] if cache else []
    for _ in range(2 if cache else 1):  # with --cache: parsed, then from the index
        code, out = _check(capsys, *options, str(path))
        assert code == 1
        assert out.splitlines()[:-1] == expected
