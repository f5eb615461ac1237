"""Answer submitted → next card rendered, p50/p99 over 500 answers in Pilot (goal p99 ≤ 16 ms).

A generated deck of 520 flashcards and traps; each measured step runs from the handler of
the key that commits an answer (a rating, or accepting a trap's automatic rating) until
the next card has been laid out and painted (``call_after_refresh``); Pilot's own waiting
between key presses is outside the measurement. The baseline is the same key press on a bare Textual app
whose handler only updates one Static, so the ratio shows what the study screen adds.
Every answer is committed to SQLite (synchronous=FULL) inside the measured time.

For the tail it also prints p90, p99.9 and the maximum, and a breakdown of the same
window: the CPU time of the thread (wall minus CPU is waiting: the disk's fsync, or another
process on the core), the time inside the store's answer transaction (its COMMIT included),
and the garbage collector's pauses. ``BENCH_ANSWERS`` sets the number of answers.

``call_after_refresh`` runs once the screen's own queue is idle, which is most often
before the widgets' updates have reached the screen: the card is then painted a little
later, on Textual's next screen update (a 60 Hz timer). So each app also gets a row
"until painted": from the same start to the first frame Textual writes afterwards
(``App._display``; answers after which no frame came before the next key are left out).

Run from the repository root: ``PYTHONPATH=. python benchmarks/bench_tui_answer.py``
"""

from __future__ import annotations

import asyncio
import gc
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


class Breakdown:
    """Per-answer CPU, store-transaction and collector time inside each measured window."""

    def __init__(self) -> None:
        self.open = False
        self.cpu: list[float] = []
        self.store: list[float] = []
        self.gc: list[float] = []
        self._store = self._gc = self._cpu0 = self._gc0 = 0.0

    def start(self) -> None:
        self.open = True
        self._store = self._gc = 0.0
        self._cpu0 = time.thread_time()

    def stop(self) -> None:
        self.open = False
        self.cpu.append(time.thread_time() - self._cpu0)
        self.store.append(self._store)
        self.gc.append(self._gc)

    def timing_store(self, method):  # type: ignore[no-untyped-def]
        def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
            start = time.perf_counter()
            try:
                return method(*args, **kwargs)
            finally:
                if self.open:
                    self._store += time.perf_counter() - start

        return wrapper

    def on_gc(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._gc0 = time.perf_counter()
        elif self.open:
            self._gc += time.perf_counter() - self._gc0


class Frames:
    """When Textual wrote a frame (``App._display`` with something to show)."""

    def __init__(self) -> None:
        self.at: list[float] = []
        self.starts: list[float] = []
        self.cpu_at: list[float] = []  # this thread's CPU clock at each frame
        self.cpu_starts: list[float] = []  # ... and at each start

    def __enter__(self) -> Frames:
        from textual.app import App

        self._display = display = App._display

        def recording(app, screen, renderable):  # type: ignore[no-untyped-def]
            if renderable is not None:
                self.at.append(time.perf_counter())
                result = display(app, screen, renderable)
                self.cpu_at.append(time.thread_time())
                return result
            return display(app, screen, renderable)

        App._display = recording  # type: ignore[method-assign]
        return self

    def __exit__(self, *exc: object) -> None:
        from textual.app import App

        App._display = self._display  # type: ignore[method-assign]

    def start(self) -> None:
        self.starts.append(time.perf_counter())
        self.cpu_starts.append(time.thread_time())

    def painted(self, cpu: bool = False) -> list[float]:
        """From each start to the first frame after it (and before the next start): the
        wall time, or with ``cpu`` this thread's CPU time until that frame was written."""
        out, frames = [], iter(zip(self.at, self.cpu_at, strict=True))
        frame = next(frames, None)
        ends = [*self.starts[1:], float("inf")]
        for start, cpu_start, end in zip(self.starts, self.cpu_starts, ends, strict=True):
            while frame is not None and frame[0] < start:
                frame = next(frames, None)
            if frame is not None and frame[0] < end:
                out.append(frame[1] - cpu_start if cpu else frame[0] - start)
        return out


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def _quizapp(home: Path, probe: Breakdown, frames: Frames) -> list[float]:
    from quizapp.decks.loader import load_paths
    from quizapp.srs.answer_log import AnswerLog
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
            frames.start()
            start = time.perf_counter()
            probe.start()
            method(self, *args)

            def done() -> None:
                times.append(time.perf_counter() - start)
                probe.stop()

            self.call_after_refresh(done)

        return wrapper

    StudyScreen.action_rate, StudyScreen.action_next = timed(rate), timed(next_)  # type: ignore[method-assign]
    apply, rerate = AnswerLog.apply_answer, AnswerLog.rerate
    AnswerLog.apply_answer = probe.timing_store(apply)  # type: ignore[method-assign]
    AnswerLog.rerate = probe.timing_store(rerate)  # type: ignore[method-assign]
    gc.callbacks.append(probe.on_gc)
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
    AnswerLog.apply_answer, AnswerLog.rerate = apply, rerate  # type: ignore[method-assign]
    gc.callbacks.remove(probe.on_gc)
    return times[:ANSWERS]


async def _bare(frames: Frames) -> list[float]:
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
            frames.start()
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


def _row(name: str, t: list[float]) -> str:
    figures = "  ".join(
        f"{label} {value * 1000:6.2f}"
        for label, value in (
            ("p50", statistics.median(t)),
            ("p90", _p(t, 0.9)),
            ("p99", _p(t, 0.99)),
            ("p99.9", _p(t, 0.999)),
            ("max", max(t)),
        )
    )
    return f"{name:38s} {figures}  ms"


def main() -> None:
    os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")
    probe = Breakdown()
    with tempfile.TemporaryDirectory() as tmp, Frames() as quiz_frames:
        quiz = asyncio.run(_quizapp(Path(tmp), probe, quiz_frames))
    with Frames() as bare_frames:
        bare = asyncio.run(_bare(bare_frames))
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} · {len(quiz)} answers")
    print(_row("bare Textual app (update one Static)", bare))
    print(_row("quizapp answer -> next card", quiz))
    print(_row("  of which: CPU of this thread", probe.cpu))
    print(_row("  of which: answer transaction", probe.store))
    print(_row("  of which: garbage collector", probe.gc))
    for name, frames in (("bare", bare_frames), ("quizapp", quiz_frames)):
        painted = frames.painted()
        print(_row(f"{name} until painted ({len(painted)} frames)", painted))
        print(_row("  of which: CPU of this thread", frames.painted(cpu=True)))
    slow = sorted(range(len(quiz)), key=quiz.__getitem__)[-max(1, len(quiz) // 100) :]
    print(
        "slowest 1 %: "
        + ", ".join(
            f"{quiz[i] * 1000:.1f} ms (cpu {probe.cpu[i] * 1000:.1f}, "
            f"store {probe.store[i] * 1000:.1f}, gc {probe.gc[i] * 1000:.1f})"
            for i in sorted(slow)
        )
    )
    print(
        f"ratio p99: {_p(quiz, 0.99) / _p(bare, 0.99):.2f}x · goal p99 <= 16 ms: {'met' if _p(quiz, 0.99) <= 0.016 else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
