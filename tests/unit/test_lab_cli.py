"""``quizapp lab`` on the command line: listing, settings, images, and exit codes
(2 for bad arguments, 1 for a refusal), never a traceback."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from quizapp.cli import main
from quizapp.study.lab import LabError, LabSession
from quizapp.study.lab_experiments import EXPERIMENTS


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["lab", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_list_names_experiments_surfaces_and_optimizers(capsys) -> None:
    code, out, _ = run(capsys, "--list")
    assert code == 0
    for e in EXPERIMENTS:
        assert f"  {e.id} " in out
    for name in ("bowl", "rosenbrock", "saddle", "cliff", "noisy", "adamw", "lion"):
        assert name in out


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["--surface", "valley"], "unknown surface 'valley'"),
        (["--experiment", "nope"], "unknown experiment 'nope'"),
        (["--start", "1"], "--start must be two numbers"),
        (["--start", "1,inf"], "finite"),
        (["--steps", "many"], "--steps must be a whole number"),
        (["--steps", "0"], "steps must be between 1 and 20,000"),
        (["--optimizers", "sgd,adamz"], "unknown optimizer(s) adamz"),
        (["--optimizers", "lion,radam"], "only one optimizer beyond the main seven"),
        (["--optimizers", ","], "name one to eight optimizers"),
    ],
)
def test_bad_arguments_exit_2_with_a_message(capsys, argv: list[str], needle: str) -> None:
    code, _, err = run(capsys, *argv, "--png", "unused.png")
    assert code == 2 and needle in err and "Traceback" not in err


def test_png_and_svg_together_is_a_usage_error(capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["lab", "--png", "a.png", "--svg", "b.svg"])
    assert exc.value.code == 2


def test_without_a_terminal_it_points_to_the_image_options(capsys, monkeypatch) -> None:
    monkeypatch.setattr("quizapp.commands.lab._interactive", lambda: False)
    code, _, err = run(capsys)
    assert code == 1 and "--png FILE" in err


def test_without_matplotlib_the_message_says_what_to_install(
    capsys, monkeypatch, tmp_path: Path
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib -> ImportError
    monkeypatch.delitem(sys.modules, "quizapp.commands._lab_image", raising=False)
    code, _, err = run(capsys, "--png", str(tmp_path / "x.png"))
    assert code == 1 and "pip install 'quizapp[plot]'" in err
    assert not (tmp_path / "x.png").exists()


@pytest.mark.parametrize(("flag", "magic"), [("--png", b"\x89PNG"), ("--svg", b"<?xml")])
def test_images_are_written(capsys, tmp_path: Path, flag: str, magic: bytes) -> None:
    pytest.importorskip("matplotlib")
    target = tmp_path / f"lab.{flag[2:]}"
    argv = ["--experiment", "warmup", flag, str(target)]
    code, out, err = run(capsys, *argv)
    assert code == 0, err
    assert target.read_bytes().startswith(magic) and str(target) in out
    if flag == "--svg":
        text = target.read_text(encoding="utf-8")
        assert "SGD+warmup" in text and "diverged at step 6" in text


def test_an_unwritable_image_is_a_refusal(capsys, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    code, _, err = run(capsys, "--png", str(tmp_path / "missing" / "x.png"))
    assert code == 1 and "cannot write" in err and "Traceback" not in err


def test_settings_reach_the_session(monkeypatch) -> None:
    seen: dict[str, LabSession] = {}

    def fake_run_lab(args: object, session: LabSession) -> int:
        seen["session"] = session
        return 0

    monkeypatch.setattr("quizapp.commands.lab._interactive", lambda: True)
    monkeypatch.setattr("quizapp.tui.app.run_lab", fake_run_lab)
    argv = ["lab", "--surface", "saddle", "--start=-1,0.5", "--steps", "70"]
    assert main([*argv, "--optimizers", "momentum,lion"]) == 0
    state = seen["session"].state
    assert state.surface.name == "saddle" and state.start == (-1.0, 0.5) and state.steps == 70
    assert [r.label for r in state.active] == ["Momentum", "Lion"]
    assert state.racer.label == "Momentum"


def test_apply_refuses_with_lab_errors() -> None:
    with pytest.raises(LabError, match="unknown surface"):
        LabSession().apply(surface="x")
    with pytest.raises(LabError, match="between 1 and"):
        LabSession().apply(steps=10**6)
