"""A scripted writer for the two-writers test (run as a subprocess).

    python answerer.py DB SEED COUNT [TAG]

Answers COUNT items (forever if COUNT is 0) through the scheduler API, printing
``committed <answer-tag> <item_id> <rating>`` after each answer returns, i.e. after
it was committed. (The SIGKILL test drives the study session: see learner.py.)
"""

from __future__ import annotations

import random
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from quizapp.srs.scheduler import Rating, ReviewScheduler, SchedulerConfig  # noqa: E402
from quizapp.srs.store import Store  # noqa: E402
from quizapp.study.clock import FakeClock  # noqa: E402


def main() -> None:
    db, seed, count = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    tag = sys.argv[4] if len(sys.argv) > 4 else "w"
    rng = random.Random(seed)
    clock = FakeClock(datetime(2026, 3, 2, 12, tzinfo=UTC) + timedelta(days=seed % 50))
    store = Store.open(db)
    sched = ReviewScheduler(store, SchedulerConfig(enable_fuzzing=False, timezone="UTC"), clock)
    n = 0
    while count == 0 or n < count:
        item = f"deck.item-{rng.randrange(40)}"
        kind = ("flashcard", "trap", "drill")[int(item.rsplit("-", 1)[1]) % 3]
        rating = rng.choice(list(Rating))
        result = sched.answer(
            item, kind, rating, mode=rng.choice(("review", "study", "cram")),
            answer=f"{tag}-{n}", seed=rng.randrange(10**6), duration_ms=rng.randrange(1, 90_000),
        )  # fmt: skip
        print(f"committed {result.review.answer} {item} {int(rating)}", flush=True)
        clock.advance(minutes=rng.choice((1, 5, 30, 600)))
        n += 1
    store.close()


if __name__ == "__main__":
    main()
