"""Answer submitted → next card rendered, p50/p99 over 500 answers in Pilot (goal p99 ≤ 16 ms).

A generated deck of 520 flashcards and traps; each measured step runs from the handler of
the key that commits an answer (a rating, or accepting a trap's automatic rating) until
the next card has been laid out and painted (``call_after_refresh``); Pilot's own waiting
between key presses is outside the measurement. The baseline is the same key press on a bare Textual app
whose handler only updates one Static, so the ratio shows what the study screen adds.
Every answer is committed to SQLite (synchronous=FULL) inside the measured time.

Run from the repository root: ``PYTHONPATH=. python benchmarks/bench_tui_answer.py``
"""

from __future__ import annotations

import asyncio
import os
import random
import statistics
import tempfile
import time
from pathlib import Path

ANSWERS = int(os.environ.get("BENCH_ANSWERS", "500"))


def _deck(folder: Path, n: int) -> None:
    parts = ['deck = "bench"\ntitle = "Bench"\ntopic = "bench"\n']
    for i in range(n):
        if i % 4 == 3:
            parts.append(
                f'[[trap]]\nid = "b.trap.{i}"\nclaim = "Claim {i} is false."\n'
                f'why_wrong = "Because {i}."\ncorrect = "Claim {i} is not true."\n'
                f'distractors = ["True fact {i}a.", "True fact {i}b."]\n'
            )
        else:
            parts.append(
                f'[[flashcard]]\nid = "b.card.{i}"\nfront = "Question {i}?"\nback = "Answer {i}."\n'
            )
    (folder / "bench.toml").write_text("\n".join(parts), encoding="utf-8")


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def _quizapp(home: Path) -> list[float]:
    from quizapp.decks.loader import load_paths
    from quizapp.srs.scheduler import SchedulerConfig
    from quizapp.study.clock import FakeClock
    from quizapp.study.context import AppContext, StudyRequest
    from quizapp.study.items import FlashcardView, TrapView
    from quizapp.tui.app import QuizApp
    from quizapp.tui.widgets.trap.card import LETTERS

    folder = home / "decks"
    folder.mkdir()
    _deck(folder, ANSWERS + 20)
    config = SchedulerConfig(enable_fuzzing=False, new_per_day=10_000)
    ctx = AppContext.open(
        load_paths([folder]),
        home / "p.sqlite3",
        clock=FakeClock(),
        rng=random.Random(1),
        config=config,
    )
    from quizapp.tui.screens.study import StudyScreen

    times: list[float] = []
    rate, next_ = StudyScreen.action_rate, StudyScreen.action_next

    def timed(method):  # type: ignore[no-untyped-def]
        def wrapper(self, *args):  # type: ignore[no-untyped-def]
            start = time.perf_counter()
            method(self, *args)
            self.call_after_refresh(lambda: times.append(time.perf_counter() - start))

        return wrapper

    StudyScreen.action_rate, StudyScreen.action_next = timed(rate), timed(next_)  # type: ignore[method-assign]
    app = QuizApp(ctx, start="review", request=StudyRequest())
    async with app.run_test(size=(120, 40)) as pilot:
        session = app.screen.session
        while len(times) < ANSWERS:
            view = session.current
            if isinstance(view, FlashcardView):
                await pilot.press("space")
                key = "3"
            else:
                assert isinstance(view, TrapView)
                right = (
                    LETTERS[view.trap_index]
                    if view.mode == "pick"
                    else ("y" if view.holds else "n")
                )
                await pilot.press(right)
                key = "enter"
            await pilot.press(key)
            await pilot.pause()
        assert ctx.store.review_count() == ANSWERS
    StudyScreen.action_rate, StudyScreen.action_next = rate, next_  # type: ignore[method-assign]
    return times[:ANSWERS]


async def _bare() -> list[float]:
    from textual.app import App
    from textual.widgets import Footer, Header, Static

    class Bare(App[None]):
        BINDINGS = [("3", "next", "Next")]
        n = 0

        def compose(self):  # type: ignore[no-untyped-def]
            yield Header()
            yield Static("Question 0?", id="q")
            yield Footer()

        def action_next(self) -> None:
            start = time.perf_counter()
            self.n += 1
            self.query_one("#q", Static).update(f"Question {self.n}?")
            self.call_after_refresh(lambda: times.append(time.perf_counter() - start))

    times: list[float] = []
    app = Bare()
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(ANSWERS):
            await pilot.press("3")
            await pilot.pause()
    return times


def main() -> None:
    os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")
    with tempfile.TemporaryDirectory() as tmp:
        quiz = asyncio.run(_quizapp(Path(tmp)))
    bare = asyncio.run(_bare())
    for name, t in (
        ("bare Textual app (update one Static)", bare),
        ("quizapp answer -> next card", quiz),
    ):
        print(
            f"{name:38s} p50 {statistics.median(t) * 1000:6.2f} ms   p99 {_p(t, 0.99) * 1000:6.2f} ms"
        )
    print(
        f"ratio p99: {_p(quiz, 0.99) / _p(bare, 0.99):.2f}x · goal p99 <= 16 ms: {'met' if _p(quiz, 0.99) <= 0.016 else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
