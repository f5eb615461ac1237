"""`quizapp check` reports every independent problem of a file in one run, located, once
each (usertest2 D3: one file's ten problems came out in three rounds)."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.cli import main

DECK = """\
deck = "tdeck"
title = "T"
description = "d"

[[flashcard]]
id = "tdeck.a"
front = "What is [@click=app.quit]x[/] and [/]?"
back = "b"
colour = "red"

[[flashcard]]
id = "tdeck.a"
front = "dup"
back = "b"

[[trap]]
id = "tdeck.t"
question = "q"
claim = "c"
why_wrong = "w [/] stray"
correct = "ok"
distractors = ["a", "b", "e"]
why_true = ["x"]

[[drill]]
id = "tdeck.d1"
drill = "adamm"
title = "x"

[[drill]]
id = "tdeck.d2"
drill = "adam"
title = "x"
params = { lr = [-1, 0.1], bogus = 3, t = [20, 2] }
"""

EXPECTED = [  # (line, field, words of the message)
    (7, "flashcard[1].front", "'[@click=app.quit]' is markup that could make the app act"),
    (7, "flashcard[1].front", "closing tag '[/]' has nothing to close"),
    (9, "flashcard[1].colour", "unknown field 'colour'"),
    (12, "flashcard[2].id", "duplicate id 'tdeck.a'"),
    (16, "trap[1]", "why_true has 1 lines for 3 distractors"),
    (20, "trap[1].why_wrong", "closing tag '[/]' has nothing to close"),
    (27, "drill[1].drill", "unknown drill kind 'adamm'"),
    (34, "drill[2].params.lr", "lr must not be negative"),
    (34, "drill[2].params", "unknown parameter 'bogus'"),
    (34, "drill[2].params", "t range [20, 2] has low > high"),
]


def test_every_problem_of_a_file_in_one_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(DECK, encoding="utf-8")
    assert main(["check", "--no-shipped", "--home", str(tmp_path / "home"), str(path)]) == 1
    lines = [ln for ln in capsys.readouterr().out.splitlines() if ln.startswith(str(path))]
    assert len(lines) == len(EXPECTED), "\n".join(lines)
    for (line, field, words), shown in zip(EXPECTED, lines, strict=True):
        assert shown.startswith(f"{path}:{line}: error: {field}: "), shown
        assert words in shown, shown
