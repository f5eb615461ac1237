"""A scripted learner driving the real study session API (run as a subprocess).

    python learner.py DB DECK RUN [--mode MODE]

Answers items through :class:`quizapp.study.session.StudySession` forever — flashcards
rated, traps picked, drills typed — and sometimes re-rates the answer just given or
undoes the last one, until it is killed. Each action is announced before it starts
and confirmed after it returns::

    begin answer TAG        done answer TAG
    begin rerate OLD NEW    done rerate OLD NEW
    begin undo TAG          done undo TAG

A TAG is ``item_id@ms``: the item and the millisecond the answer is stored with
(the fake clock moves at least 1 ms before every answer, and each RUN starts on its
own day, so a tag names one review row). A kill between ``begin`` and ``done`` leaves
either outcome possible, except a re-rate, which must leave exactly one of OLD, NEW.
"""

from __future__ import annotations

import random
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from fsrs import Rating  # noqa: E402

from quizapp.decks import load_paths  # noqa: E402
from quizapp.srs.days import to_ms  # noqa: E402
from quizapp.srs.scheduler import ReviewScheduler, SchedulerConfig  # noqa: E402
from quizapp.srs.store import Store  # noqa: E402
from quizapp.study.clock import FakeClock  # noqa: E402
from quizapp.study.items import DrillView, FlashcardView, TrapView  # noqa: E402
from quizapp.study.session import StudySession  # noqa: E402


def say(*words: str) -> None:
    print(*words, flush=True)


def main() -> None:
    db, deck, run = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
    mode = sys.argv[sys.argv.index("--mode") + 1] if "--mode" in sys.argv else "review"
    rng = random.Random(run)
    clock = FakeClock(datetime(2026, 3, 2, 9, tzinfo=UTC) + timedelta(days=3 * run))
    catalog = load_paths([deck])
    store = Store.open(db)
    sched = ReviewScheduler(store, SchedulerConfig(enable_fuzzing=False, timezone="UTC"), clock)
    ids = sorted(catalog.items)
    session = StudySession(
        catalog, sched, clock, [rng.choice(ids) for _ in range(5000)], mode=mode, rng=rng
    )  # type: ignore[arg-type]
    tags: list[str] = []  # parallel to session.history

    def tick() -> str:
        clock.advance(timedelta(milliseconds=rng.choice((1, 7, 900, 60_000, 3_600_000))))
        return f"{session.current.item_id}@{to_ms(clock.now())}"  # type: ignore[union-attr]

    while session.current is not None:
        view = session.current
        tag = tick()
        say("begin", "answer", tag)
        if isinstance(view, FlashcardView):
            session.reveal()
            session.rate(rng.choice(list(Rating)))
        elif isinstance(view, TrapView):
            n = len(view.statements)
            session.answer_trap(rng.randrange(n) if view.mode == "pick" else rng.random() < 0.5)
        elif isinstance(view, DrillView):
            session.answer_drill(rng.choice(("0", "1.5", "-0.001", "2e-3")))
        say("done", "answer", tag)
        tags.append(tag)
        if rng.random() < 0.25:
            new = tick()
            say("begin", "rerate", tag, new)
            session.override(rng.choice(list(Rating)))
            say("done", "rerate", tag, new)
            tags[-1] = new
        session.next()
        if rng.random() < 0.15 and tags:
            undone = tags[-1]
            say("begin", "undo", undone)
            session.undo()
            say("done", "undo", undone)
            tags.pop()
    store.close()


if __name__ == "__main__":
    main()
