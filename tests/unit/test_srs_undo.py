"""Undo, as a property: any sequence of answers undone in reverse restores every state."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizapp.srs.scheduler import Rating, ReviewScheduler, SchedulerConfig
from quizapp.srs.store import Store
from quizapp.study.clock import FakeClock
from tests.sampling import examples

CFG = SchedulerConfig(enable_fuzzing=False, timezone="UTC")
step = st.tuples(
    st.sampled_from(["d.a", "d.b", "d.c"]),
    st.sampled_from(list(Rating)),
    st.sampled_from(["review", "study", "cram", "mock"]),
    st.sampled_from(
        [timedelta(seconds=30), timedelta(minutes=11), timedelta(hours=20), timedelta(days=9)]
    ),
)


@settings(max_examples=examples(25), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(step, min_size=1, max_size=25), st.booleans())
def test_undo_in_reverse_restores_every_state(steps: list, reopen: bool) -> None:  # type: ignore[type-arg]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "p.db"
        clock = FakeClock(datetime(2026, 3, 2, 12, tzinfo=UTC))
        store = Store.open(path)
        sched = ReviewScheduler(store, CFG, clock)
        snapshots = []
        for item, rating, mode, wait in steps:
            snapshots.append((store.states(), store.review_count(), store.days()))
            sched.answer(item, "trap", rating, mode=mode)  # type: ignore[arg-type]
            clock.advance(wait)
        if reopen:  # undo must also work from the file alone
            store.close()
            store = Store.open(path)
            sched = ReviewScheduler(store, CFG, clock)
        for states, count, days in reversed(snapshots):
            assert sched.undo_last() is not None
            assert store.states() == states
            assert store.review_count() == count
            assert store.days() == days  # the daily rollup follows
        assert sched.undo_last() is None
        assert store.integrity_check() == ["ok"]
        store.close()
