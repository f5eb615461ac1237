"""``quizapp drill``: JSON shapes, verdicts, readable text and exit 2 on bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from quizapp.cli import main
from quizapp.engine import drills

ROOT = Path(__file__).resolve().parents[2]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["drill", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_list_text_and_json(capsys) -> None:
    code, out, _ = run(capsys, "--list")
    assert code == 0
    for kind in drills.kinds():
        assert f"  {kind} " in out
    code, out, _ = run(capsys, "--list", "--json")
    infos = json.loads(out)
    assert [i["kind"] for i in infos] == drills.kinds()
    assert {"title", "description", "topic", "fields", "primary", "mistakes", "params"} <= set(
        infos[0]
    )


@pytest.mark.parametrize("kind", ["adam", "lr-cosine", "steps-per-epoch"])
def test_problem_json_is_the_problem_model(capsys, kind: str) -> None:
    code, out, err = run(capsys, kind, "--seed", "42", "--json")
    assert code == 0 and err == ""
    data = json.loads(out)
    assert data == drills.generate(kind, 42).model_dump(mode="json")
    for key in (
        "kind",
        "seed",
        "prompt",
        "given",
        "answers",
        "primary",
        "tolerance",
        "convention",
        "solution",
    ):
        assert key in data
    assert data["seed"] == 42 and data["kind"] == kind


def test_primary_answer_verdict_json(capsys) -> None:
    p = drills.generate("adam", 42)
    code, out, _ = run(
        capsys, "adam", "--seed", "42", "--answer", repr(p.answers["theta"]), "--json"
    )
    v = json.loads(out)
    assert code == 0
    assert v["correct"] is True and v["mistake"] is None
    assert v["expected"] == p.answers["theta"] and v["given_answer"] == p.answers["theta"]
    assert {"feedback", "fields", "score", "problem"} <= set(v)
    assert v["problem"]["seed"] == 42


def test_field_answers_and_a_diagnosed_mistake(capsys) -> None:
    p = drills.generate("adam", 42)
    wrong = drills.solve(p, "no_bias_correction")
    code, out, _ = run(
        capsys,
        "adam",
        "--seed",
        "42",
        "--answer",
        f"m={p.answers['m']!r}",
        "--answer",
        f"theta = {wrong['theta']!r}",
        "--json",
    )
    v = json.loads(out)
    assert code == 0 and v["correct"] is False
    assert v["mistake"] == "no_bias_correction"
    assert [(f["field"], f["correct"]) for f in v["fields"]] == [("m", True), ("theta", False)]
    assert v["score"] == 0.5 and v["mistake_field"] == "theta"
    assert [f["given_text"] for f in v["fields"]] == [repr(p.answers["m"]), repr(wrong["theta"])]
    code, out, _ = run(capsys, "adam", "--seed", "42", "--answer", repr(wrong["theta"]))
    assert out.count(drills.MISTAKES["no_bias_correction"]) == 1  # said once


def test_expression_answers_are_parsed(capsys) -> None:
    p = drills.generate("linear-scaling", 3)
    g = p.given
    expr = f"{g['lr']}*{g['new_batch_size']}/{g['batch_size']}"
    code, out, _ = run(capsys, "linear-scaling", "--seed", "3", "--answer", expr, "--json")
    assert code == 0 and json.loads(out)["correct"] is True


def test_a_negative_answer_in_any_notation_follows_answer(capsys) -> None:
    """``--answer -1.2e-3`` was refused by argparse ("expected one argument": only a plain
    -0.0012 looks like a number to it), though the README shows -1.2e-3 as an answer."""
    seed = next(s for s in range(100) if drills.generate("sgd", s).answers["theta"] < 0)
    x = drills.generate("sgd", seed).answers["theta"]
    for typed in (f"{x:.17e}", f"{x * 2!r}/2", f"{x:.17e}".replace("-", "−", 1)):
        code, out, err = run(capsys, "sgd", "--seed", str(seed), "--answer", typed, "--json")
        assert code == 0, (typed, err)
        v = json.loads(out)
        assert v["correct"] is True and v["fields"][0]["given_text"] == typed
    # an abbreviated --answer, and a wrong one, graded (not an argparse error)
    code, out, err = run(capsys, "sgd", "--seed", str(seed), "--ans", "-1.2e-3", "--json")
    assert code == 0 and json.loads(out)["given_answer"] == -1.2e-3, err
    # -h is still an option, never an answer
    with pytest.raises(SystemExit):
        run(capsys, "sgd", "--answer", "-h")
    assert "--answer: expected one argument" in capsys.readouterr().err


def test_readable_text_problem_and_verdict(capsys) -> None:
    code, out, _ = run(capsys, "adam", "--seed", "5")
    assert code == 0
    assert "One Adam step" in out and "--seed 5" in out and "convention:" in out and "given:" in out
    p = drills.generate("adam", 5)
    code, out, _ = run(capsys, "adam", "--seed", "5", "--answer", repr(p.given["theta"]))
    assert code == 0
    assert "NOT YET" in out and "worked solution:" in out and "m̂ = " in out


def test_random_seed_is_reported(capsys) -> None:
    code, out, _ = run(capsys, "sgd")
    assert code == 0 and "(random)" in out
    code, out, err = run(capsys, "sgd", "--json")
    seed = json.loads(out)["seed"]
    assert f"random seed {seed}" in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["nope", "--seed", "1", "--json"], "unknown drill kind 'nope'"),
        (["adam", "--seed", "-3", "--json"], "--seed must be a whole number"),
        (["adam", "--seed", "x"], "--seed must be a whole number"),
        (["adam", "--seed", "1", "--answer", "velocity=1", "--json"], "no field 'velocity'"),
        (["adam", "--seed", "1", "--answer", "1.2.3"], "cannot read the answer"),
        (["adam", "--seed", "1", "--answer", "m=abc", "--json"], "m: unknown word 'abc'"),
        (["adam", "--seed", "1", "--answer", "theta="], "has no value"),
        (["adam", "--seed", "1", "--answer", "1", "--answer", "theta=2"], "given twice"),
        (["--json"], "give a drill KIND"),
    ],
)
def test_bad_input_exits_2_with_a_clear_message(capsys, argv: list[str], message: str) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert message in err and err.startswith("quizapp drill: ") and "Traceback" not in err


def test_no_kind_without_a_terminal_lists_kinds(capsys) -> None:
    code, out, _ = run(capsys)
    assert code == 0 and "drill kinds:" in out and "give a KIND" in out


def test_python_dash_m_subprocess() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, "-m", "quizapp", "drill", "lr-step", "--seed", "9", "--json"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["kind"] == "lr-step"
    proc = subprocess.run(
        [sys.executable, "-m", "quizapp", "drill", "lr-step", "--seed", "9", "--answer", "x"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=60,
    )
    assert proc.returncode == 2 and "cannot read the answer" in proc.stderr


def test_terminal_without_json_opens_the_tui_drill_screen(capsys, monkeypatch) -> None:
    import quizapp.commands.drill as drill_cmd

    pytest.importorskip("textual")
    import quizapp.tui.app as tui_app

    seen = []
    monkeypatch.setattr(drill_cmd, "_interactive", lambda: True)
    monkeypatch.setattr(tui_app, "run_drill", lambda catalog, kind, **kw: seen.append(kind) or 0)
    code, out, _ = run(capsys, "adam", "--seed", "3")
    assert code == 0 and seen == ["adam"] and out == ""
    code, _, err = run(capsys, "nope")
    assert code == 2 and "unknown drill kind" in err and seen == ["adam"]


def test_param_overrides_like_a_deck(capsys) -> None:
    code, out, _ = run(
        capsys, "adam", "--seed", "4", "--param", "t=7", "--param", "lr=0.01,0.02", "--json"
    )
    data = json.loads(out)
    assert code == 0 and data["given"]["t"] == 7 and 0.01 <= data["given"]["lr"] <= 0.02
    assert data["overrides"] == {"t": 7, "lr": [0.01, 0.02]}
    assert data == drills.generate("adam", 4, {"t": 7, "lr": [0.01, 0.02]}).model_dump(mode="json")
    code, out, _ = run(
        capsys,
        "optimizer-memory",
        "--seed",
        "1",
        "--param",
        "optimizer=adam",
        "--param",
        "precision=bf16,mixed",
    )
    assert code == 0 and "--param optimizer=adam --param precision=bf16,mixed" in out


@pytest.mark.parametrize(
    ("param", "message"),
    [
        ("t", "expected NAME=VALUE"),
        ("lr=0,1", "lr must be a number in (0.0, 10.0]"),
        ("nope=1", "unknown parameter 'nope'"),
    ],
)
def test_bad_param_exits_2(capsys, param: str, message: str) -> None:
    code, out, err = run(capsys, "adam", "--seed", "1", "--param", param)
    assert code == 2 and out == "" and message in err
