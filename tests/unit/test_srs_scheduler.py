"""FSRS scheduling through the store: answers, preview, cram, undo, leeches, ratings."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fsrs import Card, Scheduler, State

from quizapp.srs.ratings import EXPECTED_MS, rating_from_outcome
from quizapp.srs.scheduler import Rating, ReviewScheduler, SchedulerConfig
from quizapp.srs.store import CardState, Store
from quizapp.study.clock import FakeClock

T0 = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
CFG = SchedulerConfig(enable_fuzzing=False, timezone="UTC")
SCHEDULE_FIELDS = (
    "state",
    "step",
    "stability",
    "difficulty",
    "due",
    "last_review",
    "reps",
    "lapses",
)


@pytest.fixture
def env(tmp_path: Path):  # noqa: ANN201
    clock = FakeClock(T0)
    store = Store.open(tmp_path / "p.db")
    yield store, ReviewScheduler(store, CFG, clock), clock
    store.close()


def schedule(state: CardState | None) -> tuple[object, ...]:
    assert state is not None
    return tuple(getattr(state, f) for f in SCHEDULE_FIELDS)


def graduate(sched: ReviewScheduler, clock: FakeClock, item: str, kind: str = "flashcard") -> None:
    """New -> review with the default steps (1 min, 10 min): Good, wait, Good."""
    sched.answer(item, kind, Rating.Good)
    clock.advance(minutes=10)
    result = sched.answer(item, kind, Rating.Good)
    assert result.state.status == "review"


def test_answer_matches_fsrs_and_is_committed(env, tmp_path: Path) -> None:  # noqa: ANN001
    store, sched, clock = env
    result = sched.answer("d.a", "flashcard", Rating.Good, duration_ms=4000, topic="adam")
    ref = Scheduler(enable_fuzzing=False)
    card, _ = ref.review_card(Card(card_id=1, due=T0), Rating.Good, T0)
    assert result.state.stability == card.stability
    assert result.state.difficulty == card.difficulty
    assert result.due == card.due and result.interval == timedelta(minutes=10)
    assert result.previous is None and not result.became_leech
    # committed before returning: a second connection sees it
    with Store.open(tmp_path / "p.db") as other:
        (review,) = other.reviews("d.a")
        assert review.rating == Rating.Good and review.correct and review.duration_ms == 4000
        assert other.get("d.a") == result.state


def test_preview_gives_each_rating_without_writing(env) -> None:  # noqa: ANN001
    store, sched, clock = env
    preview = sched.preview("d.a")
    assert preview[Rating.Again] == timedelta(minutes=1)
    assert preview[Rating.Good] == timedelta(minutes=10)
    assert preview[Rating.Easy] >= timedelta(days=1)
    assert store.get("d.a") is None and store.review_count() == 0
    graduate(sched, clock, "d.a")
    clock.advance(days=3)
    p = sched.preview("d.a")
    assert p[Rating.Again] == timedelta(minutes=10)  # relearning step
    assert p[Rating.Hard] <= p[Rating.Good] <= p[Rating.Easy]


def test_drill_seed_answer_and_mistake_are_logged(env) -> None:  # noqa: ANN001
    store, sched, clock = env
    sched.answer(
        "d.adam-step", "drill", Rating.Again, seed=1234, answer="0.0123", mistake="no-bias-correction",
        correct=False, subkind="adam-step", meta={"expected": 0.0124},
    )  # fmt: skip
    (r,) = store.reviews("d.adam-step")
    assert (r.seed, r.answer, r.mistake, r.correct) == (1234, "0.0123", "no-bias-correction", False)
    assert r.meta == {"expected": 0.0124}
    assert store.get("d.adam-step").subkind == "adam-step"  # type: ignore[union-attr]


def test_cram_logs_but_leaves_schedule_untouched(env) -> None:  # noqa: ANN001
    store, sched, clock = env
    graduate(sched, clock, "d.a")
    before = store.get("d.a")
    clock.advance(hours=5)
    result = sched.answer("d.a", "flashcard", Rating.Again, mode="cram")
    assert schedule(store.get("d.a")) == schedule(before)
    assert not result.lapsed and result.interval is None
    sched.answer("d.new", "trap", Rating.Good, mode="cram")
    assert store.get("d.new").is_new  # type: ignore[union-attr]
    assert [r.mode for r in store.reviews()][-2:] == ["cram", "cram"]


def test_undo_restores_exact_state_also_after_reopen(env, tmp_path: Path) -> None:  # noqa: ANN001
    store, sched, clock = env
    graduate(sched, clock, "d.a")
    clock.advance(days=4)
    before = store.get("d.a")
    n = store.review_count()
    sched.answer("d.a", "flashcard", Rating.Again, answer="oops")
    assert store.get("d.a") != before
    undone = sched.undo_last()
    assert undone is not None and undone.review.rating == Rating.Again
    assert store.get("d.a") == before and undone.state == before
    assert store.review_count() == n
    # persisted: answer, close, reopen, undo
    sched.answer("d.a", "flashcard", Rating.Easy)
    store.close()
    with Store.open(tmp_path / "p.db") as again:
        undone = ReviewScheduler(again, CFG, clock).undo_last()
        assert undone is not None and undone.review.rating == Rating.Easy
        assert again.get("d.a") == before
        assert again.review_count() == n
        assert again.day_counts(undone.review.day).reviews == sum(
            1 for r in again.reviews() if r.day == undone.review.day
        )


def test_undo_of_first_answer_makes_item_new_again_and_stacks(env) -> None:  # noqa: ANN001
    store, sched, clock = env
    sched.answer("d.a", "flashcard", Rating.Good)
    sched.answer("d.b", "trap", Rating.Again)
    assert sched.undo_last().review.item_id == "d.b"  # type: ignore[union-attr]
    assert sched.undo_last().state is None  # type: ignore[union-attr]
    assert store.item_ids() == [] and store.review_count() == 0
    assert sched.undo_last() is None


def test_leech_after_eight_lapses(env) -> None:  # noqa: ANN001
    store, sched, clock = env
    graduate(sched, clock, "d.hard", "trap")
    for lapse in range(1, 9):
        clock.set(store.get("d.hard").due + timedelta(hours=1))  # type: ignore[union-attr]
        result = sched.answer("d.hard", "trap", Rating.Again)
        assert result.lapsed and result.state.lapses == lapse
        assert result.became_leech == (lapse == 8)
        if lapse < 8:
            clock.advance(minutes=10)
            assert sched.answer("d.hard", "trap", Rating.Good).state.status == "review"
    state = store.get("d.hard")
    assert state is not None and state.suspended and state.leech and "leech" in state.tags
    store.unsuspend("d.hard")
    assert store.get("d.hard").leech  # type: ignore[union-attr]


def test_learning_again_is_not_a_lapse(env) -> None:  # noqa: ANN001
    store, sched, clock = env
    for _ in range(10):
        assert not sched.answer("d.a", "flashcard", Rating.Again).lapsed
        clock.advance(minutes=1)
    assert store.get("d.a").lapses == 0  # type: ignore[union-attr]


def test_config_reaches_fsrs() -> None:
    cfg = SchedulerConfig(
        desired_retention=0.8, maximum_interval=30, learning_steps=(timedelta(minutes=5),)
    )
    f = cfg.fsrs_scheduler()
    assert (f.desired_retention, f.maximum_interval, f.learning_steps) == (
        0.8,
        30,
        (timedelta(minutes=5),),
    )
    assert SchedulerConfig().leech_threshold == 8 and SchedulerConfig().day_starts_at_hour == 4
    with pytest.raises(ValueError):
        SchedulerConfig(unknown=1)  # type: ignore[call-arg]


def test_maximum_interval_caps_due(tmp_path: Path) -> None:
    clock = FakeClock(T0)
    cfg = SchedulerConfig(enable_fuzzing=False, maximum_interval=3, timezone="UTC")
    with Store.open(tmp_path / "p.db") as store:
        r = ReviewScheduler(store, cfg, clock).answer("d.a", "flashcard", Rating.Easy)
        assert r.interval == timedelta(days=3) and r.state.state == State.Review


def test_rejects_unknown_mode(env) -> None:  # noqa: ANN001
    _, sched, _ = env
    with pytest.raises(ValueError):
        sched.answer("d.a", "flashcard", Rating.Good, mode="exam")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kind", "correct", "ms", "expected"),
    [
        ("trap", False, 1000, Rating.Again),
        ("trap", True, None, Rating.Good),
        ("trap", True, 7_499, Rating.Easy),
        ("trap", True, 7_500, Rating.Good),
        ("trap", True, 30_000, Rating.Good),
        ("trap", True, 30_001, Rating.Hard),
        ("drill", True, 44_000, Rating.Easy),
        ("drill", True, 100_000, Rating.Good),
        ("drill", True, 181_000, Rating.Hard),
        ("flashcard", True, 3_000, Rating.Easy),
    ],
)
def test_rating_from_outcome(kind: str, correct: bool, ms: int | None, expected: Rating) -> None:
    assert rating_from_outcome(kind, correct, ms) == expected


def test_rating_expected_time_override() -> None:
    assert EXPECTED_MS == {"flashcard": 8_000, "trap": 15_000, "drill": 90_000}
    assert rating_from_outcome("drill", True, 20_000, expected_ms=10_000) == Rating.Good
    assert rating_from_outcome("drill", True, 20_000, expected_ms={"drill": 50_000}) == Rating.Easy


def test_card_state_fields_round_trip(env) -> None:  # noqa: ANN001
    store, sched, clock = env
    graduate(sched, clock, "d.a")
    state = store.get("d.a")
    assert state is not None
    again = CardState.from_row({**state.to_row(), "id": state.card_id})
    assert all(getattr(again, name) == getattr(state, name) for name in CardState.__slots__)


def test_undo_takes_back_own_answers_not_another_instance(env, tmp_path: Path) -> None:  # noqa: ANN001
    store, sched, clock = env
    with Store.open(tmp_path / "p.db") as other_store:
        other = ReviewScheduler(other_store, CFG, clock)
        sched.answer("d.mine", "trap", Rating.Good)
        before_other = store.get("d.theirs")
        other.answer("d.theirs", "trap", Rating.Again)
        undone = sched.undo_last()
        assert undone is not None and undone.review.item_id == "d.mine"
        assert store.get("d.mine") is None and store.get("d.theirs") is not None
        # an own answer whose item was answered elsewhere since is not undone
        sched.answer("d.shared", "flashcard", Rating.Good)
        clock.advance(minutes=10)
        other.answer("d.shared", "flashcard", Rating.Good)
        assert sched.undo_last() is None
        assert len(store.reviews("d.shared")) == 2
        assert other.undo_last().review.item_id == "d.shared"  # type: ignore[union-attr]
        assert other.undo_last().review.item_id == "d.theirs"  # type: ignore[union-attr]
        assert store.get("d.theirs") == before_other


def test_config_rejects_unknown_zone_and_bad_steps() -> None:
    with pytest.raises(ValueError, match="time zone"):
        SchedulerConfig(timezone="Mars/Olympus")
    with pytest.raises(ValueError, match="positive"):
        SchedulerConfig(learning_steps=(timedelta(0),))
    assert SchedulerConfig(timezone="Europe/Berlin").tz() is not None
