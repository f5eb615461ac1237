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


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["drill", "nope"], "unknown drill kind 'nope'"),
        (["drill", "adam", "--param", "beta1=7"], "beta1"),
        (["drill", "--param", "t=3"], "--param needs a drill KIND"),
        (["drill", "adam", "--seed", "x"], "--seed must be a whole number"),
    ],
)
def test_bad_drill_arguments_exit_2_before_the_drill_screen(
    argv, needle, only_test_deck, monkeypatch, capsys
) -> None:
    from quizapp.commands import drill

    _no_app(monkeypatch)
    monkeypatch.setattr(drill, "_interactive", lambda: True)
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert needle in err and "Traceback" not in err


def test_drill_seed_and_params_reach_the_drill_screen(only_test_deck, monkeypatch) -> None:
    from quizapp.commands import drill
    from quizapp.tui import app

    seen = {}
    monkeypatch.setattr(drill, "_interactive", lambda: True)
    monkeypatch.setattr(app, "launch", lambda ctx, **kw: seen.update(kw) or 0)
    argv = ["drill", "adam", "--seed", "12_345", "--param", "t=7", "--param", "lr=0.01,0.02"]
    assert cli.main(argv) == 0
    assert seen == {
        "start": "drill",
        "drill_kind": "adam",
        "drill_seed": 12345,
        "drill_overrides": {"t": 7, "lr": [0.01, 0.02]},
    }


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
