"""Shared fixtures: every test runs with its own QUIZAPP_HOME, never the real data dir."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path_factory.mktemp("quizapp-home")
    monkeypatch.setenv("QUIZAPP_HOME", str(home))
    from quizapp import paths

    paths.set_home(None)
    return home


@pytest.fixture
def quizapp_home(_isolated_home: Path) -> Path:
    return _isolated_home
