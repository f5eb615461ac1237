"""``quizapp COMMAND …`` builds a parser with that subcommand alone (issue 16: ``drill
--json`` does not import the other fifteen commands); it parses, and refuses, every command
line as the whole parser does."""

from __future__ import annotations

import argparse
import contextlib
import importlib
import io
from pathlib import Path

import pytest

from quizapp import cli
from tests.fresh_python import last_line


def test_every_command_module_registers_its_own_name() -> None:
    names = [n for n in cli._command_names() if n != "home"]  # home: the app, no subcommand
    assert len(names) >= 15
    for name in names:
        parser = argparse.ArgumentParser()
        sub = parser.add_subparsers()
        importlib.import_module(f"quizapp.commands.{name}").register(sub)
        assert list(sub.choices) == [cli._command_of(name)], name


@pytest.mark.parametrize(
    ("argv", "command"),
    [
        (["drill", "adam", "--seed", "1", "--json"], "drill"),
        (["--home", "/x", "check", "--json"], "check"),
        (["--home=/x", "--content", "d", "reset-progress", "--yes"], "reset-progress"),
        (["import", "deck.apkg"], "import"),
        (["--home", "review", "stats"], "stats"),  # DIR named like a command
        (["-h"], None),
        (["--ho", "/x", "stats"], None),  # an abbreviation: the whole parser decides
        (["stat"], None),
        ([], None),
        (["--home"], None),
    ],
)
def test_the_command_is_found_only_where_plain(argv: list[str], command: str | None) -> None:
    assert cli._command_in(argv) == command


def _outcome(parser: argparse.ArgumentParser, argv: list[str]) -> tuple[object, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            ns = vars(parser.parse_args(argv))
            ns.pop("func", None)
            result: object = sorted(ns.items(), key=str)
        except SystemExit as exc:
            result = ("exit", exc.code)
    return result, out.getvalue(), err.getvalue()


@pytest.mark.parametrize(
    "argv",
    [
        ["drill", "adam", "--seed", "1", "--json"],
        ["drill", "--list"],
        ["drill", "adam", "--bogus"],
        ["--home", "/tmp/h", "stats", "--json"],
        ["check", "--home", "/tmp/h", "--content", "a", "--content", "b"],
        ["--content", "x", "review", "--deck", "adam"],
        ["reset-progress", "--help"],
        ["progress", "export"],
        ["progress", "export", "--help"],
        ["import", "--help"],
        ["study", "extra", "args", "here"],
        ["review", "-h"],
    ],
)
def test_one_command_parses_as_the_whole_parser(argv: list[str]) -> None:
    command = cli._command_in(argv)
    assert command is not None
    assert _outcome(cli.build_parser(command), argv) == _outcome(cli.build_parser(), argv)


def test_drill_json_imports_no_other_command(tmp_path: Path) -> None:
    code = (
        "import sys; from quizapp.cli import main; main(['drill', 'adam', '--seed', '1', "
        "'--json']); print(sorted(m for m in sys.modules if m.startswith('quizapp.commands.')))"
    )
    last = last_line(code, home=tmp_path)
    assert last == "['quizapp.commands._common', 'quizapp.commands.drill']"
