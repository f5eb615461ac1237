"""Shared fixtures: every test runs with its own QUIZAPP_HOME, never the real data dir."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# CI runs are reproducible: hypothesis draws the same examples every time there.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--run-slow", action="store_true", help="also run @pytest.mark.slow sweeps")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Long sweeps (@pytest.mark.slow) run in CI (CI or QUIZAPP_SLOW set) or with --run-slow;
    the default run stays fast."""
    if config.getoption("--run-slow") or os.environ.get("CI") or os.environ.get("QUIZAPP_SLOW"):
        return
    skip = pytest.mark.skip(reason="slow sweep: run with --run-slow or QUIZAPP_SLOW=1")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    home = tmp_path_factory.mktemp("quizapp-home")
    monkeypatch.setenv("QUIZAPP_HOME", str(home))
    from quizapp import paths

    paths.set_home(None)
    return home


@pytest.fixture
def quizapp_home(_isolated_home: Path) -> Path:
    return _isolated_home
