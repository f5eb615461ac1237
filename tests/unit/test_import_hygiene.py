"""The core layers must import without Textual (DESIGN.md: arrows point down), and the
import-linter contracts in pyproject.toml (the layers) hold."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CORE = [
    "quizapp.engine",
    "quizapp.decks",
    "quizapp.srs",
    "quizapp.study",
    "quizapp.interop",
    "quizapp.paths",
    "quizapp.cli",
]


def test_core_imports_without_textual() -> None:
    code = (
        "import importlib, pkgutil, sys\n"
        f"for name in {CORE!r}:\n"
        "    mod = importlib.import_module(name)\n"
        "    for info in pkgutil.walk_packages(getattr(mod, '__path__', []), name + '.'):\n"
        "        importlib.import_module(info.name)\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "assert not bad, bad\n"
        "assert 'torch' not in sys.modules\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr


def test_importing_paths_creates_nothing(tmp_path: Path) -> None:
    home = tmp_path / "home"
    code = "import quizapp.paths as p, quizapp.cli; p.db_path(); p.user_content_dir()"
    env = {"QUIZAPP_HOME": str(home), "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, env=env, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert not home.exists()


def test_layer_contracts_hold() -> None:
    """``lint-imports`` on this checkout: cli > commands > tui > study > srs | decks > engine,
    nothing below the TUI imports Textual, screens reach the store only through study."""
    pytest.importorskip("importlinter")
    code = (
        "import sys\n"
        "from importlinter.cli import lint_imports\n"
        "sys.exit(lint_imports(no_cache=True, no_logo=True))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
