"""Run a snippet in a fresh interpreter (nothing imported yet, an isolated home and
environment) and read what it printed last: the tests of what a command imports."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def last_line(
    code: str, *args: str, home: Path, timeout: float = 60, env: dict[str, str] | None = None
) -> str:
    """The last line ``python -c CODE ARGS…`` printed (QUIZAPP_HOME=home, this checkout
    on the path, no inherited environment but ``env``); fails the test on a non-zero exit."""
    result = subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={
            "QUIZAPP_HOME": str(home),
            "PATH": "/usr/bin:/bin",
            "PYTHONPATH": str(ROOT),
            **(env or {}),
        },
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout.strip().splitlines()[-1]
