"""Peak memory (max RSS) of a review session: the shipped decks, 100 answers in Pilot, in a
fresh interpreter; against a bare Textual app (Header + Static + Footer) run the same way.
Goal: ≤ 80 MiB.

Run from the repository root: ``PYTHONPATH=. python benchmarks/bench_tui_memory.py``
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

RSS = "import resource; print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"

BARE = f"""
import asyncio
from textual.app import App
from textual.widgets import Footer, Header, Static

class Bare(App):
    def compose(self):
        yield Header(); yield Static("What does Adam stand for?"); yield Footer()

async def main():
    async with Bare().run_test(size=(120, 40)) as pilot:
        for _ in range(100):
            await pilot.press("3")

asyncio.run(main())
{RSS}
"""

QUIZAPP = f"""
import asyncio
from quizapp.decks.loader import load_catalog
from quizapp.study.items import DrillView, FlashcardView, TrapView
from quizapp.tui.app import QuizApp
from quizapp.study.context import AppContext, StudyRequest
from quizapp.srs.scheduler import SchedulerConfig

async def main():
    ctx = AppContext.open(load_catalog(), config=SchedulerConfig(new_per_day=100))
    app = QuizApp(ctx, start="review", request=StudyRequest())
    answered = 0
    async with app.run_test(size=(120, 40)) as pilot:
        session = app.screen.session
        while not session.finished and answered < 100:
            view = session.current
            if isinstance(view, FlashcardView):
                await pilot.press("space", "3")
            elif isinstance(view, TrapView):
                await pilot.press("a" if view.mode == "pick" else "y", "enter")
            else:
                app.screen.query_one(f"#answer-{{view.problem.primary}}").value = "1"
                await pilot.press("enter", "enter")
            answered += 1
    print("answered", answered)

asyncio.run(main())
{RSS}
"""


def _peak_mib(code: str, env: dict[str, str]) -> float:
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, env=env, cwd=ROOT, capture_output=True, text=True
    )
    return int(out.stdout.split()[-1]) / 1024  # ru_maxrss is KiB on Linux


def main() -> None:
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
        bare = _peak_mib(BARE, env)
        quiz = _peak_mib(QUIZAPP, env)
    print(f"bare Textual app, 100 key presses:      peak RSS {bare:6.1f} MiB")
    print(f"quizapp review session, 100 answers:    peak RSS {quiz:6.1f} MiB")
    print(f"ratio: {quiz / bare:.2f}x · goal <= 80 MiB: {'met' if quiz <= 80 else 'NOT met'}")


if __name__ == "__main__":
    main()
