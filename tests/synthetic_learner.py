"""A simulated learner for tests and benchmarks: a review log made by quizapp's own scheduler.

The learner's memory follows FSRS-6 with :data:`TRUE_PARAMETERS` (faster forgetting than
FSRS's defaults, as a learner of hard material), while quizapp schedules them with its
settings (the defaults, unless told otherwise). Every answer goes through
:meth:`ReviewScheduler.answer` under a :class:`FakeClock`, so the log, the study days and
the item states are exactly what a real learner's would be.
"""

from __future__ import annotations

import copy
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from fsrs import Card, Rating, Scheduler, State

from quizapp.srs.scheduler import ReviewScheduler, SchedulerConfig
from quizapp.srs.store import Store
from quizapp.study.clock import FakeClock

#: The simulated learner's true memory model (FSRS-6 weights): initial stabilities a third of
#: the defaults', a steeper difficulty response and a flatter forgetting curve.
TRUE_PARAMETERS = (
    0.08, 0.45, 0.9, 3.5, 6.8, 0.9, 2.2, 0.01, 1.6, 0.12, 0.9, 1.7, 0.08, 0.35, 1.5,
    0.45, 2.2, 0.55, 0.1, 0.05, 0.25,
)  # fmt: skip
KINDS = ("flashcard", "trap", "drill")
START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


@dataclass
class SyntheticLog:
    """What :func:`generate` made: the ids by kind and the clock at the end."""

    item_ids: list[str]
    kinds: dict[str, str]
    clock: FakeClock
    reviews: int


def generate(
    store: Store,
    *,
    items: int = 300,
    days: int = 120,
    new_per_day: int = 12,
    seed: int = 0,
    config: SchedulerConfig | None = None,
    true_parameters: tuple[float, ...] = TRUE_PARAMETERS,
    cram_every: int = 0,
    kind_parameters: dict[str, tuple[float, ...]] | None = None,
) -> SyntheticLog:
    """Study ``items`` items for ``days`` days, answering as the simulated learner would.

    ``cram_every`` > 0 adds a cram answer every that many answers (they must not change
    what the optimizer sees). ``kind_parameters`` gives some kinds a memory of their own
    (e.g. drills forgotten faster than flashcards).
    """
    rng = random.Random(seed)
    config = config or SchedulerConfig(enable_fuzzing=False, timezone="UTC")
    clock = FakeClock(START)
    sched = ReviewScheduler(store, config, clock)
    truth = Scheduler(parameters=true_parameters, enable_fuzzing=False)
    truths = {
        kind: Scheduler(parameters=params, enable_fuzzing=False)
        for kind, params in (kind_parameters or {}).items()
    }
    memory: dict[str, Card] = {}
    ids = [f"syn.{KINDS[i % 3]}-{i:05d}" for i in range(items)]
    kinds = {item_id: KINDS[i % 3] for i, item_id in enumerate(ids)}
    introduced = 0
    due: dict[str, datetime] = {}
    learning: set[str] = set()
    answers = 0
    for day in range(days):
        clock.set(START + timedelta(days=day))
        evening = START + timedelta(days=day, hours=12)
        fresh = ids[introduced : introduced + new_per_day]
        introduced += len(fresh)
        pending = set(fresh)
        while True:
            now = clock.now()
            batch = sorted(pending) + sorted(i for i, d in due.items() if d <= now)
            pending.clear()
            if not batch:
                upcoming = [d for i, d in due.items() if now < d <= evening and i in learning]
                if not upcoming:
                    break
                clock.set(min(upcoming))
                continue
            for item_id in batch:
                card = memory.get(item_id) or Card(card_id=len(memory) + 1)
                mind = truths.get(kinds[item_id], truth)
                rating = _rating(rng, mind, card, clock.now())
                memory[item_id], _ = mind.review_card(card, rating, clock.now())
                result = sched.answer(
                    item_id, kinds[item_id], rating, duration_ms=rng.randint(3, 40) * 1000
                )
                answers += 1
                if result.due is not None and not result.state.suspended:
                    due[item_id] = result.due
                else:
                    due.pop(item_id, None)
                if result.state.state in (1, 3):
                    learning.add(item_id)
                else:
                    learning.discard(item_id)
                if cram_every and answers % cram_every == 0:
                    sched.answer(item_id, kinds[item_id], Rating.Again, mode="cram")
                clock.advance(seconds=20)
    return SyntheticLog(ids[:introduced], kinds, clock, answers)


#: progress files made by :func:`generated` in this process, by its arguments
_MADE: dict[str, tuple[bytes, SyntheticLog]] = {}


def generated(path: Path, **kwargs: Any) -> SyntheticLog:
    """:func:`generate` into a new progress file at ``path``. The learner is deterministic, so
    a second call with the same arguments in this process writes a copy of the file made
    the first time (and a copy of its log) instead of simulating it again (~2 s of CPU)."""
    key = repr(sorted(kwargs.items()))
    if key not in _MADE:
        with Store.open(path) as store:
            # a test file: no fsync per answer (~7,000 commits; the file is the same)
            store._conn.execute("PRAGMA synchronous = OFF")
            log = generate(store, **kwargs)
        _MADE[key] = (path.read_bytes(), copy.deepcopy(log))
        return log
    data, log = _MADE[key]
    path.write_bytes(data)
    return copy.deepcopy(log)


def _rating(rng: random.Random, truth: Scheduler, card: Card, now: datetime) -> Rating:
    if card.last_review is None:  # first sight: how well the learner already knows it
        return rng.choices(list(Rating), weights=(0.25, 0.1, 0.5, 0.15))[0]
    # same-day learning steps: FSRS counts whole days, so R would read 1.0
    recall = truth.get_card_retrievability(card, now) if card.state == State.Review else 0.85
    if rng.random() >= recall:
        return Rating.Again
    return rng.choices((Rating.Hard, Rating.Good, Rating.Easy), weights=(0.15, 0.7, 0.15))[0]
