"""Reschedule from history: a preview that matches what is applied, one transaction, and
an undo that restores the exact states."""

from __future__ import annotations

import json
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest

from quizapp.cli import main
from quizapp.srs import reschedule
from quizapp.srs.backup import backups
from quizapp.srs.scheduler import Rating, ReviewScheduler, SchedulerConfig
from quizapp.srs.store import Store
from tests.synthetic_learner import TRUE_PARAMETERS, SyntheticLog, generated

SAME = SchedulerConfig(enable_fuzzing=False, timezone="UTC")
NEW = SchedulerConfig(timezone="UTC", parameters=TRUE_PARAMETERS, desired_retention=0.85)


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, SyntheticLog]:
    path = tmp_path_factory.mktemp("resched") / "progress.sqlite3"
    return path, generated(path, cram_every=10)  # the same learner as test_srs_optimize's


@pytest.fixture
def db(made: tuple[Path, SyntheticLog], tmp_path: Path) -> Path:
    copy = tmp_path / "progress.sqlite3"
    copy.write_bytes(made[0].read_bytes())
    return copy


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
def test_same_settings_move_nothing(db: Path, made: tuple[Path, SyntheticLog]) -> None:
    with Store.open(db) as store:
        planned = reschedule.plan(store, SAME, made[1].clock.now())
    assert planned.moves == () and planned.unchanged == 300


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
def test_reschedule_then_undo_restores_the_exact_states(
    db: Path, made: tuple[Path, SyntheticLog]
) -> None:
    now = made[1].clock.now()
    with Store.open(db) as store:
        before = store.states()
        log_before = store.review_count()
        planned = reschedule.plan(store, NEW, now)
        assert store.states() == before  # a plan writes nothing
        assert planned.summary()["moved"] == len(planned.moves) > 200
        assert reschedule.apply(store, planned) == len(planned.moves)
        after = store.states()
        for move in planned.moves:  # what the preview showed is what was written
            assert after[move.after.item_id] == move.after
            kept = move.before
            got = after[kept.item_id]
            assert (got.reps, got.lapses, got.leech, got.suspended, got.answered) == (
                kept.reps, kept.lapses, kept.leech, kept.suspended, kept.answered,
            )  # fmt: skip
        assert [b.reason for b in backups(db)] == ["reschedule"]
        assert reschedule.undo_available(store) == now
        result = reschedule.undo(store)
        assert result is not None and result.restored == len(planned.moves) and result.kept == 0
        assert store.states() == before
        assert store.review_count() == log_before
        assert reschedule.undo(store) is None  # one undo per reschedule


def test_undo_keeps_items_answered_since(db: Path, made: tuple[Path, SyntheticLog]) -> None:
    clock = made[1].clock
    with Store.open(db) as store:
        planned = reschedule.plan(store, NEW, clock.now())
        reschedule.apply(store, planned, backup_first=False)
        answered = planned.moves[0].after.item_id
        ReviewScheduler(store, NEW, clock).answer(answered, "trap", Rating.Good)
        newer = store.get(answered)
        result = reschedule.undo(store)
        assert result is not None and result.kept == 1
        assert store.get(answered) == newer
        assert store.get(planned.moves[1].after.item_id) == planned.moves[1].before


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
def test_balanced_reschedule_stays_in_the_fuzz_range(
    db: Path, made: tuple[Path, SyntheticLog]
) -> None:
    from quizapp.srs.balance import fuzz_range

    plain = NEW.model_copy(update={"load_balance": False, "enable_fuzzing": False})
    now = made[1].clock.now()
    with Store.open(db) as store:
        unbalanced = {m.after.item_id: m.after for m in reschedule.plan(store, plain, now).moves}
        balanced = reschedule.plan(store, NEW, now)
    moved = 0
    for move in balanced.moves:
        a, b = move.after, unbalanced[move.after.item_id]
        assert a.last_review == b.last_review and a.stability == b.stability
        ivl = (b.due - b.last_review).days
        low, high = fuzz_range(ivl, NEW.maximum_interval)
        got = a.due - a.last_review
        assert timedelta(days=low) <= got <= timedelta(days=high)
        moved += got.days != ivl
    assert moved > 0  # balancing did move some


def _progress(db: Path) -> list[str]:
    from quizapp.srs.opening import CHECKED_KEY

    conn = sqlite3.connect(db)
    try:
        return [line for line in conn.iterdump() if CHECKED_KEY not in line]
    finally:
        conn.close()


def test_reschedule_command_preview_apply_undo(
    made: tuple[Path, SyntheticLog], quizapp_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["reschedule", "--dry-run"]) == 1  # no progress yet
    db = quizapp_home / "progress.sqlite3"
    db.write_bytes(made[0].read_bytes())
    (quizapp_home / "config.toml").write_text(
        "[scheduling]\ndesired_retention = 0.8\ntimezone = 'UTC'\n", encoding="utf-8"
    )
    original = _progress(db)
    assert main(["reschedule", "--dry-run", "--json"]) == 0
    preview = json.loads(capsys.readouterr().out)
    assert preview["moved"] > 0 and "applied" not in preview
    assert _progress(db) == original  # a dry run changes no progress (an open may stamp its
    # integrity check in meta and bump the header's change counter: not progress)
    assert main(["reschedule", "--undo"]) == 1
    assert "no reschedule to undo" in capsys.readouterr().err
    assert main(["reschedule"]) == 0
    out = capsys.readouterr().out
    assert f"{preview['moved']} items of {preview['items']} moved" in out and "--undo" in out
    assert main(["reschedule", "--undo"]) == 0
    assert f"put {preview['moved']} items back" in capsys.readouterr().out


FUZZED = SchedulerConfig(timezone="UTC", load_balance=False)  # fuzz on, as a learner has it


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
def test_unchanged_settings_keep_the_days_the_buttons_gave(tmp_path: Path) -> None:
    """Anki's reschedule: FSRS's interval for the replayed stability, at least a day, fuzzed
    with the fuzz factor of the card's last answer. With the settings the answers were
    scheduled with, that is the day the button gave, except where Anki's order had raised
    it (Good ≥ Hard + 1, Easy ≥ Good + 1): such a review may come earlier, never later."""
    path = tmp_path / "progress.sqlite3"
    log = generated(path, config=FUZZED, items=120, days=90)
    with Store.open(path) as store:
        before = store.states()
        planned = reschedule.plan(store, FUZZED, log.clock.now())
        last = {}
        for review in store.reviews():
            if review.mode != "cram" and not (review.meta or {}).get("practice"):
                last[review.item_id] = review
    after = {**before, **{m.after.item_id: m.after for m in planned.moves}}
    kept = earlier = 0
    for item_id, old in before.items():
        new = after[item_id]
        for name in ("state", "step", "stability", "difficulty", "last_review", "reps"):
            assert getattr(new, name) == getattr(old, name), (item_id, name)
        if old.due is None:
            continue
        assert new.due <= old.due, item_id
        answer = last[item_id]
        raised = answer.rating in (Rating.Good, Rating.Easy) and (
            answer.prev_state == 2 or answer.rating == Rating.Easy
        )
        if not raised:  # Again, Hard, or Good in a step: the buttons asked for ≥ 1 day too
            assert new.due == old.due, (item_id, answer.rating, answer.prev_state)
        kept += new.due == old.due
        earlier += new.due < old.due
    assert kept > 10 * earlier > 0, (kept, earlier)  # raised by the order: the exception
