"""A mistyped drill kind gets a "did you mean", as ``quizapp check`` gives one for a deck's
``drill =`` (usertest4 D6: ``quizapp drill adamx`` listed every kind and no guess)."""

from __future__ import annotations

import contextlib
import io

from quizapp.cli import main


def _run(argv: list[str]) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, err.getvalue()


def test_a_near_miss_is_guessed() -> None:
    code, err = _run(["drill", "adamx", "--seed", "1", "--json"])
    assert code == 2
    assert "unknown drill kind 'adamx'; did you mean 'adam'?" in err
    assert "valid kinds:" in err and "lion-step" in err


def test_nothing_close_lists_the_kinds_only() -> None:
    code, err = _run(["drill", "zzzz"])
    assert code == 2 and "did you mean" not in err and "valid kinds:" in err
