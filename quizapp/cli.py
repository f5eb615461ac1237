"""The ``quizapp`` command line.

Subcommands live in :mod:`quizapp.commands`, one module each; this module only
builds the parser, applies the global options and turns our own errors into
clear messages and exit codes (never a traceback for something a user did).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from quizapp import __version__, paths


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The ``quizapp`` parser. With ``command`` (a subcommand's name) only that subcommand is
    registered: its command line parses and fails as with the whole parser, and the other
    commands' modules are not imported (nor what they import at the top, e.g. ``socket``)."""
    parser = argparse.ArgumentParser(
        prog="quizapp",
        description=(
            "A terminal trainer for deep-learning interviews: flashcards, interview traps, "
            "numeric drills graded by a PyTorch-exact engine, mock interviews and FSRS review. "
            "Run without a command to open the app."
        ),
    )
    parser.add_argument("--version", action="version", version=f"quizapp {__version__}")
    _add_global_options(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    # Global options are accepted after the subcommand too (`quizapp check --home DIR`).
    common = argparse.ArgumentParser(add_help=False, argument_default=argparse.SUPPRESS)
    _add_global_options(common, suppress=True)
    add_parser = sub.add_parser

    def add_parser_with_globals(name: str, **kwargs: object) -> argparse.ArgumentParser:
        kwargs["parents"] = [*kwargs.get("parents", []), common]  # type: ignore[list-item]
        return add_parser(name, **kwargs)  # type: ignore[arg-type]

    sub.add_parser = add_parser_with_globals  # type: ignore[method-assign]
    for name in _command_names():
        if command is not None and _command_of(name) != command:
            continue
        module = importlib.import_module(f"quizapp.commands.{name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(sub)
    return parser


def _command_names() -> list[str]:
    """The modules of :mod:`quizapp.commands`, sorted; ``_private`` ones are helpers.
    (A directory listing: ``pkgutil.iter_modules`` imports ``inspect``, ~10 ms of every
    ``quizapp --version``.)"""
    import quizapp.commands as commands

    names: set[str] = set()
    for folder in commands.__path__:
        try:
            entries = os.listdir(folder)
        except OSError:
            continue
        for entry in entries:
            stem, dot, ext = entry.partition(".")
            if dot and ext == "py" and stem.isidentifier() and not stem.startswith("_"):
                names.add(stem)
    return sorted(names)


def _command_of(module: str) -> str:
    """The subcommand a module of :mod:`quizapp.commands` registers: ``import_`` → ``import``,
    ``reset_progress`` → ``reset-progress`` (a test checks every module keeps to it)."""
    return module.rstrip("_").replace("_", "-")


def _command_in(argv: Sequence[str]) -> str | None:
    """The subcommand ``argv`` names where it is plain to see: its first argument that is
    not an option, after nothing but ``--home DIR`` / ``--content DIR`` (or ``--home=DIR``).
    None when anything else comes first or the name is no command: the whole parser decides
    (and says what is wrong)."""
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg in ("--home", "--content"):
            i += 2
        elif arg.startswith(("--home=", "--content=")):
            i += 1
        elif arg.startswith("-"):
            return None
        else:
            return arg if arg in {_command_of(name) for name in _command_names()} else None
    return None


def _negative_answers_joined(argv: Sequence[str]) -> list[str]:
    """``--answer -1.2e-3`` as ``--answer=-1.2e-3``. argparse takes an argument that starts
    with '-' for an option unless it looks like a plain negative number (``-0.0012``), so a
    negative answer in e-notation or arithmetic (``-1.2e-3``, ``-0.9*0.1``) was refused with
    "expected one argument". A value after ``--answer`` (or an abbreviation such as
    ``--ans``) that starts with a single '-' is joined to it: no option of the command does
    (``-h`` aside), and a double dash or a bare ``--`` is left to the parser."""
    out: list[str] = []
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--":
            return [*out, *argv[i:]]
        value = argv[i + 1] if i + 1 < len(argv) else ""
        if (
            len(arg) >= 4
            and "--answer".startswith(arg)
            and value.startswith("-")
            and not value.startswith("--")
            and value != "-h"
        ):
            out.append(f"--answer={value}")
            i += 2
        else:
            out.append(arg)
            i += 1
    return out


def _add_global_options(parser: argparse.ArgumentParser, *, suppress: bool = False) -> None:
    parser.add_argument(
        "--home",
        metavar="DIR",
        type=Path,
        help="keep progress and settings in DIR (overrides QUIZAPP_HOME and the platform dirs)",
    )
    parser.add_argument(
        "--content",
        metavar="DIR",
        type=Path,
        action="append",
        default=argparse.SUPPRESS if suppress else [],
        help="also load the decks under DIR (repeatable)",
    )


def main(argv: Sequence[str] | None = None) -> int:
    if list(sys.argv[1:] if argv is None else argv) == ["--version"]:
        # the one answer that needs no parser: skip importing the sixteen commands
        print(f"quizapp {__version__}")
        return 0
    given = _negative_answers_joined(sys.argv[1:] if argv is None else argv)
    # only the subcommand named is registered (its module alone imported), when it is plain
    parser = build_parser(_command_in(given))
    args = parser.parse_args(given)
    if args.home is not None:
        paths.set_home(args.home)
    func = getattr(args, "func", None)
    try:
        if func is None:
            from quizapp.commands.home import run as run_home

            return run_home(args)
        return int(func(args) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    finally:
        if args.home is not None:
            paths.set_home(None)
