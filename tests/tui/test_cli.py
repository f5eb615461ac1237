"""The TUI commands refuse bad arguments (exit 2) and an unusable progress file (exit 1)
before any screen opens."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp import cli
from quizapp.decks import loader


@pytest.fixture
def only_test_deck(monkeypatch: pytest.MonkeyPatch, catalog) -> None:
    monkeypatch.setattr(loader, "load_catalog", lambda *a, **k: catalog)


def _no_app(monkeypatch: pytest.MonkeyPatch) -> None:
    from quizapp.tui import app

    def boom(*a, **k):  # pragma: no cover - reaching it is the failure
        raise AssertionError("the app must not start")

    monkeypatch.setattr(app, "launch", boom)


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["study", "--deck", "nope"], "unknown deck 'nope'"),
        (["study", "--topic", "adamm"], "did you mean 'adam'"),
        (["study", "--kind", "quiz"], "unknown kind 'quiz'"),
        (["study", "--tag", "zzz"], "unknown tag 'zzz'"),
    ],
)
def test_bad_study_arguments_exit_2(argv, needle, only_test_deck, monkeypatch, capsys) -> None:
    _no_app(monkeypatch)
    assert cli.main(argv) == 2
    assert needle in capsys.readouterr().err


def test_unusable_progress_file_exits_1(
    only_test_deck, quizapp_home: Path, monkeypatch, capsys
) -> None:
    _no_app(monkeypatch)
    (quizapp_home / "progress.sqlite3").write_bytes(b"this is not a database at all" * 10)
    assert cli.main(["review"]) == 1
    err = capsys.readouterr().err
    assert "progress.sqlite3" in err and "Traceback" not in err


def test_unknown_drill_kind_exits_2(monkeypatch, capsys) -> None:
    import argparse

    from quizapp.tui.app import run_drill

    _no_app(monkeypatch)
    assert run_drill(argparse.Namespace(kind="nope", content=[])) == 2
    assert "unknown kind 'nope'" in capsys.readouterr().err


def test_good_arguments_reach_the_app(only_test_deck, monkeypatch) -> None:
    from quizapp.tui import app

    seen = {}
    monkeypatch.setattr(app, "launch", lambda ctx, **kw: seen.update(kw) or 0)
    assert cli.main(["study", "--topic", "adam", "--kind", "trap"]) == 0
    assert seen["request"].topic == "adam" and seen["request"].kind == "trap"


def test_settings_reach_the_app_and_bad_settings_exit_1(
    only_test_deck, quizapp_home: Path, monkeypatch, capsys
) -> None:
    from quizapp.tui import app

    seen = {}
    monkeypatch.setattr(app, "launch", lambda ctx, **kw: seen.update(config=ctx.config) or 0)
    (quizapp_home / "config.toml").write_text("[scheduling]\nnew_per_day = 7\n")
    assert cli.main(["review"]) == 0
    assert seen["config"].new_per_day == 7
    (quizapp_home / "config.toml").write_text("[scheduling]\nnew_per_day = -1\n")
    assert cli.main(["review"]) == 1
    err = capsys.readouterr().err
    assert f"{quizapp_home / 'config.toml'}:2: scheduling.new_per_day" in err
    assert "Traceback" not in err
