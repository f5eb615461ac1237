"""What each command line imports (issue 16 item 3): ``--version`` and ``--help`` import
neither pydantic, numpy, fsrs nor Textual; each subcommand only what it needs; ``drill
--json`` no Textual. Checked in a fresh interpreter through ``sys.modules``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fresh_python import last_line

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("pydantic", "numpy", "fsrs", "textual", "rich", "sqlite3")

RUN = """
import json, sys
from quizapp.cli import main
codes = []
for argv in {argvs!r}:
    try:
        codes.append(main(argv))
    except SystemExit as exc:
        codes.append(exc.code)
print()
print(json.dumps([codes, sorted({{m.split(".")[0] for m in sys.modules}})]))
"""


def _imports_all(argvs: list[list[str]], home: Path) -> tuple[list[object], set[str]]:
    """(exit codes, top-level packages imported) after ``quizapp ARGV`` for each ARGV, one
    after the other in one fresh interpreter."""
    codes, modules = json.loads(last_line(RUN.format(argvs=argvs), home=home, timeout=120))
    return codes, set(modules)


def _imports(argv: list[str], home: Path) -> tuple[object, set[str]]:
    """(exit code, top-level packages imported) of ``quizapp ARGV`` in a fresh interpreter."""
    codes, modules = _imports_all([argv], home)
    return codes[0], modules


def _commands() -> list[str]:
    """The subcommands the parser knows."""
    import argparse

    from quizapp.cli import build_parser

    for action in build_parser()._actions:
        if isinstance(action, argparse._SubParsersAction):
            return sorted(action.choices)
    return []


@pytest.mark.parametrize("argv", [["--version"], ["--help"]])
def test_version_and_help_import_nothing_heavy(tmp_path: Path, argv: list[str]) -> None:
    code, modules = _imports(argv, tmp_path)
    assert code == 0
    assert not modules & set(HEAVY), sorted(modules & set(HEAVY))


def test_every_subcommand_help_imports_nothing_heavy(tmp_path: Path) -> None:
    """All of them in one interpreter: what one imported would still be there after."""
    commands = _commands()
    assert {"check", "drill", "review", "stats"} <= set(commands)
    codes, modules = _imports_all([[command, "--help"] for command in commands], tmp_path)
    assert codes == [0] * len(commands)
    assert not modules & set(HEAVY), sorted(modules & set(HEAVY))


def test_drill_json_imports_no_textual_and_no_store(tmp_path: Path) -> None:
    code, modules = _imports(["drill", "adam", "--seed", "1", "--json"], tmp_path)
    assert code == 0
    assert "numpy" in modules  # it does compute the drill
    assert not modules & {"textual", "rich", "fsrs", "sqlite3"}, sorted(modules)


def test_check_imports_no_textual_and_no_fsrs(tmp_path: Path) -> None:
    code, modules = _imports(["check"], tmp_path)
    assert code == 0
    # it validates for real, by the schema's plain check (quizapp.decks.tables): the models
    # are asked only about a file it refuses, for their located messages
    assert not modules & {"pydantic", "textual", "fsrs"}, sorted(modules)
    bad = tmp_path / "bad.toml"
    bad.write_text('deck = "bad"\n\n[[flashcard]]\nid = "bad.1"\nfront = "Q"\n', "utf-8")
    code, modules = _imports(["check", "--no-shipped", str(bad)], tmp_path)
    assert code == 1 and "pydantic" in modules


def test_check_of_plain_drill_items_imports_no_numpy(tmp_path: Path) -> None:
    """The kinds' names come from the drills' static registry; a drill item without params
    draws no problem (its defaults are the kind's own), so no drill module and no NumPy."""
    deck = tmp_path / "plain.toml"
    deck.write_text(
        'deck = "plain"\ntitle = "Plain"\ntopic = "adam"\n\n'
        '[[drill]]\nid = "plain.1"\ndrill = "adam"\n\n'
        '[[drill]]\nid = "plain.2"\ndrill = "lr-cosine"\n\n'
        '[[drill]]\nid = "plain.3"\ndrill = "adamm"\n',
        encoding="utf-8",
    )
    code, modules = _imports(["check", "--no-shipped", str(deck)], tmp_path)
    assert code == 1  # 'adamm' is no kind: the registry still names the valid ones
    assert not modules & {"numpy", "pydantic", "textual", "fsrs"}, sorted(modules)


def test_schema_imports_only_the_models(tmp_path: Path) -> None:
    code, modules = _imports(["schema"], tmp_path)
    assert code == 0
    assert not modules & {"textual", "numpy", "fsrs", "sqlite3"}, sorted(modules)


def test_the_loader_imports_no_pydantic() -> None:
    code = (
        "import sys, quizapp.decks.loader, quizapp.decks.catalog, quizapp.decks\n"
        "assert not {m.split('.')[0] for m in sys.modules} & {'pydantic', 'numpy', 'rich'}\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr


def test_commands_are_found_by_listing_the_package() -> None:
    import pkgutil

    import quizapp.commands as commands

    listed = sorted(
        m.name for m in pkgutil.iter_modules(commands.__path__) if not m.name.startswith("_")
    )
    from quizapp.cli import _command_names

    assert _command_names() == listed


def test_drills_generated_and_graded_import_no_pydantic(tmp_path: Path) -> None:
    """A review session's drills (every kind generated, graded, its JSON dumped) import no
    pydantic: the engine's records are dataclasses (about 10 MiB and 70 ms saved)."""
    code = (
        "import json, sys\n"
        "from quizapp.engine import drills\n"
        "for kind in drills.kinds():\n"
        "    p = drills.generate(kind, 3)\n"
        "    drills.grade(p, {p.primary: '0.5'}).model_dump(mode='json')\n"
        "    drills.Problem.model_validate(p.model_dump(mode='json'))\n"
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))\n"
    )
    modules = set(json.loads(last_line(code, home=tmp_path, timeout=120)))
    assert "numpy" in modules and "pydantic" not in modules, sorted(modules)
