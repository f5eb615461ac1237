"""Cold start: ``quizapp review`` to the first card rendered, against a bare Textual app
(Header + Static + Footer) started the same way (a fresh interpreter, headless): the time
from spawning the process to the first paint of the first card (or of the Static). Goal: ratio ≤ 1.3×.

Run from the repository root: ``PYTHONPATH=. python benchmarks/bench_tui_startup.py [runs]``

``--instructions`` counts instead, once each, the CPU instructions from spawn to the paint
(valgrind's callgrind; the child exits at the paint): a figure the load of a shared machine
does not move, for comparing two commits (``--code DIR`` measures another checkout).
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The child reports the wall-clock time from its spawn (QUIZ_T0, set by the parent) to the
# paint, then exits a little later so that shutting down is not part of the figure.
PAINTED = """
import os, time

def painted(app):
    with open(os.environ["QUIZ_OUT"], "w") as out:  # the app owns stdout
        out.write(repr(time.time() - float(os.environ["QUIZ_T0"])))
    app.set_timer(0.05, app.exit)
"""

BARE = (
    PAINTED
    + """
from textual.app import App
from textual.widgets import Footer, Header, Static

class Bare(App):
    def compose(self):
        yield Header()
        yield Static("What does Adam stand for?")
        yield Footer()

    def on_mount(self):
        self.call_after_refresh(painted, self)

Bare().run(headless=True)
"""
)

QUIZAPP = (
    PAINTED
    + """
from quizapp.decks.loader import load_catalog
from quizapp.tui.app import QuizApp
from quizapp.study.context import AppContext, StudyRequest

class FirstCard(QuizApp):
    def start_study(self, request, **kw):
        started = super().start_study(request, **kw)
        screen = self.screen

        def check():
            # the card is mounted lazily: wait until it is laid out, then for its paint
            cards = screen.query(".card")
            if cards and cards.first().region.height:
                timer.stop()
                screen.call_after_refresh(painted, self)

        timer = self.set_interval(0.002, check)
        return started

ctx = AppContext.open(load_catalog())
FirstCard(ctx, start="review", request=StudyRequest()).run(headless=True)
"""
)


def _time(code: str, env: dict[str, str]) -> float:
    result = Path(env["QUIZAPP_HOME"]) / "painted.txt"
    env = {**env, "QUIZ_OUT": str(result), "QUIZ_T0": repr(time.time())}
    subprocess.run([sys.executable, "-c", code], check=True, env=env, cwd=ROOT)
    return float(result.read_text())


def _instructions(code: str, env: dict[str, str], root: Path) -> int:
    """Instructions (callgrind's total) of one child run to its paint, warm."""
    code = code.replace("app.set_timer(0.05, app.exit)", "os._exit(0)")
    assert "os._exit(0)" in code, "the child's exit after the paint has changed"
    out = Path(env["QUIZAPP_HOME"]) / "callgrind.out"
    env = {**env, "PYTHONPATH": str(root), "QUIZ_OUT": str(out.with_suffix(".txt"))}
    for tool in ((), ("valgrind", "--tool=callgrind", f"--callgrind-out-file={out}")):
        env["QUIZ_T0"] = repr(time.time())  # the first run warms the index and the .pyc
        subprocess.run(
            [*tool, sys.executable, "-c", code], check=True, env=env, cwd=root, capture_output=True
        )
    found = re.search(r"^(?:summary|totals):\s*(\d+)", out.read_text(), re.MULTILINE)
    assert found, f"no total in {out}"
    return int(found.group(1))


def instructions(root: Path = ROOT) -> tuple[int, int]:
    """(bare app, quizapp review) instructions from spawn to the first paint."""
    if shutil.which("valgrind") is None:
        raise SystemExit("--instructions needs valgrind (apt-get install valgrind)")
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "QUIZAPP_HOME": home, "TEXTUAL_ANIMATIONS": "none"}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        return _instructions(BARE, env, root), _instructions(QUIZAPP, env, root)


def main(runs: int = 7) -> None:
    with tempfile.TemporaryDirectory() as home:
        env = {
            **os.environ,
            "QUIZAPP_HOME": home,
            "PYTHONPATH": str(ROOT),
            "TEXTUAL_ANIMATIONS": "none",
        }
        # The children cache their bytecode, as an installed quizapp has it (pip compiles
        # it): with PYTHONDONTWRITEBYTECODE inherited, every measured start would compile
        # quizapp from source (~100 ms of the first card) while Textual's .pyc are there.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        _time(BARE, env), _time(QUIZAPP, env)  # warm the OS file cache and the .pyc files
        bare, quiz = [], []
        for _ in range(runs):  # interleaved, so drift hits both alike
            bare.append(_time(BARE, env))
            quiz.append(_time(QUIZAPP, env))
    b, q = statistics.median(bare), statistics.median(quiz)
    print(f"bare Textual app (Header+Static+Footer): median {b * 1000:.0f} ms over {runs} runs")
    print(f"quizapp review, first card rendered:      median {q * 1000:.0f} ms over {runs} runs")
    print(f"ratio: {q / b:.2f}x (goal <= 1.3x)")


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("runs", nargs="?", type=int, default=7, help="runs per median")
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="callgrind's instruction counts instead (once each; the load does not move them)",
    )
    parser.add_argument("--code", type=Path, default=ROOT, help="the checkout to measure")
    args = parser.parse_args()
    if args.instructions:
        bare, quiz = instructions(args.code.resolve())
        print(f"bare Textual app (Header+Static+Footer): {bare / 1e6:.0f} M instructions")
        print(f"quizapp review, first card rendered:      {quiz / 1e6:.0f} M instructions")
        print(f"ratio: {quiz / bare:.2f}x")
    else:
        main(args.runs)
