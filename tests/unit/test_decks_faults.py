"""Deck faults found by trying to break quizapp: each gets a located message, never a
traceback, and one bad file never keeps the good decks from loading."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.cli import main
from quizapp.decks import load_paths
from quizapp.decks.locate import MAX_DEPTH

HEAD = 'deck = "demo"\ntitle = "Demo"\ntopic = "basics"\n'
CARD = '\n[[flashcard]]\nid = "demo.{n}"\nfront = "Q{n}"\nback = "A{n}"\n'
TRAP = """
[[trap]]
id = "demo.trap"
question = "Q?"
claim = "Backprop updates the weights."
why_wrong = "Backprop only computes gradients."
correct = "The optimizer updates the weights."
distractors = ["The optimizer applies the update rule.", "Backprop fills the gradients."]
why_true = ["It is step().", "It is backward()."]
"""
DRILL = '\n[[drill]]\nid = "demo.drill"\ndrill = "adam"\ntitle = "Adam"\nnote = "n"\n'


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def check(capsys: pytest.CaptureFixture[str], *paths: Path) -> tuple[int, str]:
    code = main(["check", "--no-shipped", *map(str, paths)])
    out = capsys.readouterr()
    assert "Traceback" not in out.out + out.err
    return code, out.out


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


# ------------------------------------------------------------- F4: markup that acts
ACTION = "[@click=app.quit]click me[/]"
FIELDS = [
    ("front", CARD.format(n=1).replace('"Q1"', f'"{ACTION}"')),
    ("back", CARD.format(n=1).replace('"A1"', f'"{ACTION}"')),
    ("hint", CARD.format(n=1) + f'hint = "{ACTION}"\n'),
    ("deeper", CARD.format(n=1) + f'deeper = "{ACTION}"\n'),
    ("source", CARD.format(n=1) + f'source = "{ACTION}"\n'),
    ("question", TRAP.replace('"Q?"', f'"{ACTION}"')),
    ("claim", TRAP.replace('"Backprop updates the weights."', f'"{ACTION}"')),
    ("why_wrong", TRAP.replace('"Backprop only computes gradients."', f'"{ACTION}"')),
    ("correct", TRAP.replace('"The optimizer updates the weights."', f'"{ACTION}"')),
    ("distractors[2]", TRAP.replace('"Backprop fills the gradients."', f'"{ACTION}"')),
    ("why_true[1]", TRAP.replace('"It is step()."', f'"{ACTION}"')),
    ("title", DRILL.replace('"Adam"', f'"{ACTION}"')),
    ("note", DRILL.replace('note = "n"', f'note = "{ACTION}"')),
]


@pytest.mark.parametrize(("field", "body"), FIELDS, ids=[f for f, _ in FIELDS])
def test_action_markup_is_refused_in_every_text_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], field: str, body: str
) -> None:
    text = HEAD + body
    path = write(tmp_path, "bad.toml", text)
    code, out = check(capsys, path)
    assert code == 1, out
    assert f"{path}:{line_of(text, ACTION)}: error: " in out
    assert f".{field}: '[@click=app.quit]' is markup that could make the app act" in out


@pytest.mark.parametrize(
    "markup",
    ["[link=https://example.com]x[/link]", "[bold @click=app.bell]x[/]", "[onclick=app.quit]x[/]",
     "[link https://example.com]x[/]"],
)  # fmt: skip
def test_links_and_handlers_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], markup: str
) -> None:
    path = write(tmp_path, "bad.toml", HEAD + CARD.format(n=1).replace('"A1"', f'"{markup}"'))
    code, out = check(capsys, path)
    assert code == 1 and "could make the app act" in out


def test_deck_description_is_checked_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = HEAD + f'description = "{ACTION}"\n' + CARD.format(n=1)
    path = write(tmp_path, "bad.toml", text)
    code, out = check(capsys, path)
    assert code == 1 and f"{path}:4: error: description: " in out


# ----------------------------------------------------- F3: plain fields take no markup
@pytest.mark.parametrize(
    ("text", "needle", "field"),
    [
        (HEAD.replace('topic = "basics"', 'topic = "[/]"') + CARD.format(n=1), "[/]", "topic"),
        (HEAD.replace('"Demo"', '"[b]Demo[/b]"') + CARD.format(n=1), "[b]", "title"),
        (HEAD + CARD.format(n=1) + 'topic = "[red]adam"\n', "[red]", "flashcard[1].topic"),
        (HEAD + CARD.format(n=1) + 'tags = ["ok", "[i]x"]\n', "[i]", "flashcard[1].tags[2]"),
        (HEAD + CARD.format(n=1) + 'section = "[/]"\n', "[/]", "flashcard[1].section"),
    ],
)
def test_markup_in_plain_fields_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, needle: str, field: str
) -> None:
    path = write(tmp_path, "bad.toml", text)
    code, out = check(capsys, path)
    assert code == 1, out
    assert f"{path}:{line_of(text, needle)}: error: {field}: " in out
    assert "this field is plain text" in out


def test_markup_that_does_not_render_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = HEAD + CARD.format(n=1).replace('"A1"', '"one [/] two"')
    path = write(tmp_path, "bad.toml", text)
    code, out = check(capsys, path)
    assert code == 1 and f"{path}:8: error: flashcard[1].back: Rich markup does not render" in out


# ----------------------------------------- issue 10 item 10: text Rich would swallow
def test_swallowed_brackets_are_warnings_with_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (
        HEAD
        + CARD.format(n=1).replace(
            '"A1"', '"""\nThe update reads\nv[t] from list[int] and a[i].\n"""'
        )
        + CARD.format(n=2).replace('"Q2"', '"Is [b]this[/b] fine?"')
    )
    path = write(tmp_path, "warn.toml", text)
    code, out = check(capsys, path)
    assert code == 0, out  # warnings only
    line = line_of(text, "v[t]")
    for tag in ("[t]", "[int]", "[i]"):
        assert f"{path}:{line}: warning: flashcard[1].back: '{tag}' would be read as Rich" in out
    assert "[b]" not in out  # real styling is fine
    assert "3 warnings" in out


def test_escaped_brackets_are_fine(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "ok.toml", HEAD + CARD.format(n=1).replace('"A1"', r"'list\[int]'"))
    code, out = check(capsys, path)
    assert code == 0 and "0 warnings" in out


# ------------------------------------------------------------- F5: deep nesting
@pytest.mark.parametrize(
    "value",
    [
        "params = { lr = " + "[" * 500 + "1" + "]" * 500 + " }",
        "tags = " + "[" * 500 + '"x"' + "]" * 500,
        "x = " + "{a = " * 500 + "1" + "}" * 500,
        "x = [" * 300 + "\n" + "]" * 300,
    ],
)
def test_deep_nesting_is_a_located_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str
) -> None:
    text = HEAD + DRILL + value + "\n"
    path = write(tmp_path, "deep.toml", text)
    code, out = check(capsys, path)
    assert code == 1
    assert f"{path}:{text.count(chr(10)) - value.count(chr(10))}: error: values are nested" in out
    assert f"at most {MAX_DEPTH}" in out


def test_nesting_up_to_the_limit_is_read(tmp_path: Path) -> None:
    value = "[" * (MAX_DEPTH - 1) + "1" + "]" * (MAX_DEPTH - 1)
    path = write(tmp_path, "ok.toml", HEAD + CARD.format(n=1) + f"[extra]\nx = {value}\n")
    catalog = load_paths([path])
    assert [p.message for p in catalog.problems] == ["unknown field 'extra'"]


def test_brackets_inside_strings_do_not_count_as_nesting(tmp_path: Path) -> None:
    body = (
        CARD.format(n=1).replace('"A1"', '"""' + "[" * 100 + '"""') + "hint = '" + "{" * 99 + "'\n"
    )
    catalog = load_paths([write(tmp_path, "ok.toml", HEAD + body)])
    assert not catalog.errors, catalog.errors


# ------------------------------------------------------- messages that had no line
@pytest.mark.parametrize(
    ("text", "needle", "line"),
    [
        ("", "the file is empty", 1),
        ("\n\n  \n", "the file is empty", 1),
        (CARD.format(n=1), "deck: required field is missing (add deck = ... at the top", 1),
        (HEAD + CARD.format(n=1) + 'hint = "never closed\n', "TOML syntax error", 9),
        (HEAD + CARD.format(n=1) + "x = [1,\n", "TOML syntax error", 9),
        (HEAD + CARD.format(n=1) + '\n[[card]]\nid = "demo.2"\n', "card: unknown field 'card'", 10),
        (HEAD + '\n[card]\nx = 1\n' + CARD.format(n=1), "card: unknown field 'card'", 5),
    ],
)  # fmt: skip
def test_every_deck_message_has_a_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, needle: str, line: int
) -> None:
    path = write(tmp_path, "bad.toml", text)
    code, out = check(capsys, path)
    assert code == 1
    assert f"{path}:{line}" in out and needle in out, out


def test_toml_end_of_document_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "bad.toml", HEAD + "x = [1,\n")
    _, out = check(capsys, path)
    assert "(at end of document)" not in out and "at the end of the file" in out


def test_a_huge_file_is_refused_with_a_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from quizapp.decks import loader

    monkeypatch.setattr(loader, "MAX_FILE_BYTES", 1000)
    path = write(tmp_path, "big.toml", HEAD + "".join(CARD.format(n=i) for i in range(40)))
    code, out = check(capsys, path)
    assert code == 1 and f"{path}:1: error: the file is" in out and "split it" in out


def test_long_values_are_shortened_in_messages(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "bad.toml", HEAD + CARD.format(n=1) + f"hint = [{'1, ' * 5000}1]\n")
    code, out = check(capsys, path)
    assert code == 1 and max(len(line) for line in out.splitlines()) < 400


# ---------------------------------- issue 10 item 9: one bad file never blocks the rest
def test_a_bad_file_is_left_out_and_named(tmp_path: Path) -> None:
    good = write(tmp_path, "good.toml", HEAD + CARD.format(n=1) + TRAP)
    bad = write(
        tmp_path,
        "mine.toml",
        'deck = "mine"\n' + CARD.format(n=9).replace("demo.9", "mine.9") + "front = 1\n",
    )
    also_bad_item = write(
        tmp_path,
        "partly.toml",
        'deck = "partly"\n'
        + CARD.format(n=1).replace("demo.1", "partly.1")
        + CARD.format(n=2).replace("demo.2", "partly.2").replace('"A2"', f'"{ACTION}"'),
    )
    catalog = load_paths([tmp_path])
    assert set(catalog.decks) == {"demo"}
    assert set(catalog.items) == {"demo.1", "demo.trap"}
    assert catalog.skipped == [str(bad), str(also_bad_item)]
    assert str(good) not in catalog.skipped
    notice = catalog.notice
    assert notice is not None and "\n" not in notice
    assert "2 deck files" in notice and str(bad) in notice and "quizapp check" in notice


def test_one_bad_file_notice_names_it(tmp_path: Path) -> None:
    write(tmp_path, "good.toml", HEAD + CARD.format(n=1))
    bad = write(tmp_path, "bad.toml", 'deck = "x"\n[[flashcard]\n')
    catalog = load_paths([tmp_path])
    assert set(catalog.items) == {"demo.1"}
    assert catalog.notice == (
        f"{bad} has 1 error and was left out; `quizapp check` shows where and how to fix them"
    )
    assert load_paths([tmp_path / "good.toml"]).notice is None


def test_a_missing_content_path_is_named_in_the_notice(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """D18: the notice said "has 1 error; `quizapp check` shows where", and plain `check`
    (without the same --content) showed nothing: the notice names the problem itself."""
    missing = tmp_path / "nonexistent"
    catalog = load_paths([missing])
    assert catalog.notice == f"{missing}: no such file or folder (check the path)"
    bad = write(tmp_path, "bad.toml", 'deck = "x"\n[[flashcard]\n')
    both = load_paths([missing, bad]).notice
    assert both == (
        f"{missing}: no such file or folder (check the path); {bad} has 1 error and was left "
        "out; `quizapp check` shows where and how to fix them"
    )
    assert main(["--content", str(missing), "browse", "adam"]) == 0
    err = capsys.readouterr().err
    assert err == f"quizapp: {missing}: no such file or folder (check the path)\n"
    assert main(["--content", str(missing), "check"]) == 1
    assert f"{missing}: error: no such file or folder" in capsys.readouterr().out


def test_a_duplicate_id_leaves_the_later_file_out(tmp_path: Path) -> None:
    write(tmp_path, "a.toml", HEAD + CARD.format(n=1))
    later = write(tmp_path, "b.toml", HEAD + CARD.format(n=1) + CARD.format(n=2))
    catalog = load_paths([tmp_path])
    assert set(catalog.items) == {"demo.1"} and catalog.skipped == [str(later)]
    assert catalog.items["demo.1"].path.endswith("a.toml")


def test_the_app_starts_with_a_bad_deck_of_the_learner(
    quizapp_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    decks = quizapp_home / "decks"
    decks.mkdir()
    bad = write(decks, "mine.toml", 'deck = "mine"\n[[flashcard]]\nid = "mine.1"\nfront = 1\n')
    assert main([]) == 0  # no terminal here: the home command lists the decks
    out = capsys.readouterr()
    assert "Traceback" not in out.out + out.err
    assert "Optimizers" in out.out  # the shipped decks loaded
    (notice,) = out.err.strip().splitlines()
    assert str(bad) in notice and "left out" in notice and "quizapp check" in notice
