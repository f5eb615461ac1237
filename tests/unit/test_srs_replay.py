"""A home's own log, replayed (quizapp.srs.replay, what a merge does), gives back the states
the scheduler stored: one rule (intervals.next_cards) for answering and for replaying.

Random answer sequences go through ReviewScheduler with fuzz on; after every answer the
replay of the log so far must give the stored state. Without load balancing it is exact;
with it the memory state is exact and the due day is the stored one when the replay is given
the day loads the answer saw (the promise in replay.py's docstring)."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizapp.srs import scheduler as scheduler_module
from quizapp.srs.merge import logged_reviews
from quizapp.srs.records import CardState
from quizapp.srs.replay import replay, replayed_state
from quizapp.srs.scheduler import Rating, ReviewScheduler, SchedulerConfig
from quizapp.srs.store import Store
from quizapp.study.clock import FakeClock
from tests.sampling import examples

T0 = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
ITEM = "d.replayed"
FUZZ = SchedulerConfig(enable_fuzzing=True, load_balance=False, timezone="UTC")
BALANCED = SchedulerConfig(enable_fuzzing=True, load_balance=True, timezone="UTC")
NO_FUZZ = SchedulerConfig(enable_fuzzing=False, timezone="UTC")
MEMORY = ("state", "step", "stability", "difficulty", "last_review")
EVERYTHING = (*MEMORY, "due", "first_review", "reps", "lapses")

# the gap before an answer: inside a learning step, a step, hours, a few days … months
GAPS = st.sampled_from(
    [timedelta(minutes=m) for m in (1, 10, 30)]
    + [timedelta(hours=h) for h in (5, 13, 23)]
    + [timedelta(days=d) for d in (1, 2, 3, 7, 15, 40, 120)]
)
ANSWERS = st.lists(
    st.tuples(st.sampled_from(list(Rating)), GAPS, st.booleans()), min_size=1, max_size=18
)


def _other_items(store: Store) -> None:
    """Reviews already due on the days ahead, unevenly, so that balancing has a choice."""
    states = [
        CardState(
            item_id=f"d.other{n}",
            kind="flashcard",
            state=2,
            stability=10.0,
            difficulty=5.0,
            due=T0 + timedelta(days=1 + (n * 7) % 90, hours=1),
            last_review=T0 - timedelta(days=5),
            reps=3,
        )  # fmt: skip
        for n in range(60)
    ]
    store.write_states(states)


def _answer_all(config: SchedulerConfig, path: Path, answers) -> list[CardState]:  # noqa: ANN001
    """Answer ``ITEM`` as ``answers`` say; the stored state after each answer."""
    clock = FakeClock(T0)
    stored: list[CardState] = []
    with Store.open(path) as store:
        _other_items(store)
        sched = ReviewScheduler(store, config, clock)
        for rating, gap, cram in answers:
            clock.advance(seconds=gap.total_seconds())
            sched.answer(ITEM, "flashcard", rating, mode="cram" if cram else "review")
            stored.append(store.get(ITEM))
    return stored


def _check(config: SchedulerConfig, answers, fields: tuple[str, ...]) -> None:  # noqa: ANN001
    loads: dict[tuple, int] = {}  # (answer time, interval, low, high) -> the day balancing chose
    original = scheduler_module.balanced_in_range

    def recording(store, cfg, now, interval, low, high):  # noqa: ANN001, ANN202
        chosen = original(store, cfg, now, interval, low, high)
        loads[(now, interval, low, high)] = chosen
        return chosen

    with tempfile.TemporaryDirectory() as tmp, pytest.MonkeyPatch.context() as patch:
        patch.setattr(scheduler_module, "balanced_in_range", recording)
        path = Path(tmp) / "p.db"
        stored = _answer_all(config, path, answers)
        with Store.open(path) as store:
            log = [r for r in logged_reviews(store) if r.item_id == ITEM]
            card_id = store.get(ITEM).card_id
    assert len(log) == len(stored)

    def seen(at: datetime, interval: int, low: int, high: int) -> int:
        return loads[(at, interval, low, high)]

    for n, want in enumerate(stored, start=1):
        got = replayed_state(replay(config, log[:n], None, card_id, load=seen), want, ITEM, card_id)
        for name in fields:
            assert getattr(got, name) == getattr(want, name), (n, name, answers[:n])


@settings(max_examples=examples(200), deadline=None)
@given(ANSWERS)
def test_replaying_a_fuzzed_log_gives_every_stored_state_exactly(answers) -> None:  # noqa: ANN001
    _check(FUZZ, answers, EVERYTHING)


@settings(max_examples=examples(200), deadline=None)
@given(ANSWERS)
def test_replaying_a_balanced_log_gives_the_stored_states_given_the_loads_seen(
    answers,  # noqa: ANN001
) -> None:
    _check(BALANCED, answers, EVERYTHING)


@settings(max_examples=examples(60), deadline=None)
@given(ANSWERS)
def test_replaying_an_unfuzzed_log_gives_every_stored_state_exactly(answers) -> None:  # noqa: ANN001
    _check(NO_FUZZ, answers, EVERYTHING)


@settings(max_examples=examples(100), deadline=None)
@given(ANSWERS)
def test_without_the_loads_seen_the_memory_state_is_still_exact(answers) -> None:  # noqa: ANN001
    """A merge has only today's loads: the due of a balanced review may move inside its fuzz
    range, the memory state may not."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "p.db"
        stored = _answer_all(BALANCED, path, answers)
        with Store.open(path) as store:
            log = [r for r in logged_reviews(store) if r.item_id == ITEM]
            card_id = store.get(ITEM).card_id

            def today(at: datetime, interval: int, low: int, high: int) -> int:
                chosen = scheduler_module.balanced_in_range(
                    store, BALANCED, at, interval, low, high
                )
                assert low <= chosen <= high
                return chosen

            for n, want in enumerate(stored, start=1):
                got = replayed_state(
                    replay(BALANCED, log[:n], None, card_id, load=today), want, ITEM, card_id
                )
                for name in (*MEMORY, "reps", "lapses"):
                    assert getattr(got, name) == getattr(want, name), (n, name)
                if want.state != 2:  # a (re)learning step is never balanced
                    assert got.due == want.due
