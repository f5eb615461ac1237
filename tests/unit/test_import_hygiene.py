"""The core layers must import without Textual (DESIGN.md: arrows point down)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

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
