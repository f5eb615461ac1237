"""Progress that moves: the review uid (schema v3), the JSON Lines export, and the merge of
two homes that diverged (every answer of both survives; importing twice changes nothing)."""

from __future__ import annotations

import json
import shutil
import sqlite3
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from quizapp.cli import main
from quizapp.interop.progress_io import (
    VERSION,
    ProgressFileError,
    export_progress,
    import_progress,
    read_progress,
)
from quizapp.srs.backup import backups
from quizapp.srs.merge import logged_reviews
from quizapp.srs.opening import statements
from quizapp.srs.records import CardState
from quizapp.srs.scheduler import Rating, ReviewScheduler, SchedulerConfig
from quizapp.srs.schema import APP_ID, BACKFILL_DAILY, MIGRATIONS
from quizapp.srs.store import Store
from quizapp.study.clock import FakeClock
from tests.sampling import examples

T0 = datetime(2026, 3, 2, 12, tzinfo=UTC)
CFG = SchedulerConfig(enable_fuzzing=False, timezone="UTC")


def _study(path: Path, clock: FakeClock, plan: list[tuple[str, int]], **kw) -> None:
    """Answer ``(item, rating)`` pairs, 13 hours apart."""
    with Store.open(path) as store:
        sched = ReviewScheduler(store, CFG, clock)
        for item, rating in plan:
            sched.answer(item, "flashcard", Rating(rating), deck="d", topic="t", **kw)
            clock.advance(hours=13)


def _uids(path: Path) -> dict[str, tuple]:
    with Store.open(path) as store:
        return {r.uid: (r.item_id, r.ts, r.rating, r.mode) for r in logged_reviews(store)}


def _dump(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


@pytest.fixture
def homes(tmp_path: Path) -> tuple[Path, Path, dict[str, tuple]]:
    """Two machines: B starts as a copy of A, then both study on their own."""
    a, b = tmp_path / "a" / "progress.sqlite3", tmp_path / "b" / "progress.sqlite3"
    clock = FakeClock(T0)
    _study(a, clock, [("x", 3), ("y", 3), ("x", 3), ("y", 1)])
    shared = _uids(a)
    b.parent.mkdir()
    shutil.copy(a, b)
    later = clock.now()
    _study(a, FakeClock(later), [("x", 3), ("z", 3), ("x", 1), ("z", 4)])
    _study(b, FakeClock(later + timedelta(hours=2)), [("x", 4), ("w", 3), ("w", 3), ("y", 3)])
    return a, b, shared


# ------------------------------------------------------------------------ the uid (v3)
def _v2_file(path: Path) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    for script in [*MIGRATIONS[0], *MIGRATIONS[1]]:
        for statement in statements(script):
            conn.execute(statement)
    conn.execute(f"PRAGMA application_id = {APP_ID}")
    conn.execute("PRAGMA user_version = 2")
    conn.execute("INSERT INTO items (id, item_id, kind, state) VALUES (1, 'a.b', 'trap', 0)")
    for ts in (1000, 2000, 2000):  # two answers in the same millisecond
        conn.execute(
            "INSERT INTO reviews (item, ts, day, mode, rating, correct, prev_state, first_of_day) "
            "VALUES (1, ?, 1, 'review', 3, 1, 0, 1)",
            (ts,),
        )
    conn.close()


def test_v3_gives_every_review_a_uid_the_same_on_any_copy(tmp_path: Path) -> None:
    one, two = tmp_path / "one.db", tmp_path / "two.db"
    _v2_file(one)
    shutil.copy(one, two)
    assert _uids(one) == _uids(two)
    assert sorted(_uids(one)) == ["a.b@1000#0", "a.b@2000#0", "a.b@2000#1"]
    _study(one, FakeClock(T0), [("a.b", 3)])
    new = set(_uids(one)) - set(_uids(two))
    assert (
        len(new) == 1 and len(next(iter(new))) == 16
    )  # a random hex id (64 bits) from the trigger
    with sqlite3.connect(one) as conn, pytest.raises(sqlite3.IntegrityError):
        conn.execute("UPDATE reviews SET uid = 'a.b@1000#0' WHERE uid = 'a.b@2000#0'")


# ------------------------------------------------------------------------- the format
def test_export_is_versioned_json_lines(tmp_path: Path, homes) -> None:
    a, _, _ = homes
    target = tmp_path / "a.jsonl"
    with Store.open(a) as store:
        summary = export_progress(store, target, now=T0)
        states, log = store.states(), list(logged_reviews(store))
    lines = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    header = lines[0]
    assert header["format"] == "quizapp-progress" and header["version"] == VERSION
    assert header["exported"] == "2026-03-02T12:00:00.000Z"
    assert (header["items"], header["reviews"], header["mocks"]) == (3, 8, 0)
    assert (summary.items, summary.reviews) == (3, 8)
    kinds = [line["type"] for line in lines[1:]]
    assert kinds == ["item"] * 3 + ["review"] * 8
    review = lines[4]
    assert set(review) >= {"uid", "item_id", "ts", "mode", "rating", "correct", "duration_ms"}
    data = read_progress(target)
    assert data.states == {k: _no_card_id(v) for k, v in states.items()}
    assert [r.uid for r in data.reviews] == [r.uid for r in log]
    assert data.reviews == log


def _no_card_id(state: CardState) -> CardState:

    return state.replace(card_id=None)


# ---------------------------------------------------------------------------- the merge
def test_two_diverged_homes_merge_and_nothing_is_lost(tmp_path: Path, homes) -> None:
    a, b, shared = homes
    only_a = {u: v for u, v in _uids(a).items() if u not in shared}
    only_b = {u: v for u, v in _uids(b).items() if u not in shared}
    assert len(shared) == 4 and len(only_a) == 4 and len(only_b) == 4
    b_file = tmp_path / "b.jsonl"
    with Store.open(b) as store:
        export_progress(store, b_file)
        b_states = store.states()
    with Store.open(a) as store:
        a_states = store.states()
        report, saved = import_progress(store, read_progress(b_file), CFG)
        merged = store.states()
        log = store.reviews()
        assert store.integrity_check() == ["ok"]
        assert store.undo_last() is None  # undo cleared: restore the backup instead
    assert (report.reviews_in_file, report.reviews_added) == (8, 4)
    assert (report.items_added, report.items_taken, report.items_replayed) == (1, 1, 1)
    assert _uids(a) == {**shared, **only_a, **only_b}  # every answer of both machines
    # the log keeps time order by id (B's answers came in between A's)
    assert [r.at for r in log] == sorted(r.at for r in log)
    assert saved is not None and saved in [bk.path for bk in backups(a)]
    # w: only on B → B's state; z: only on A → untouched; y: B went further → B's state;
    # x: answered on both → replayed from the merged log
    for item in ("w", "y"):
        assert _no_card_id(merged[item]) == _no_card_id(b_states[item])
    assert merged["z"] == a_states["z"]
    x = merged["x"]
    x_log = [r for r in log if r.item_id == "x"]
    assert x.answered == len(x_log) == 5 and x.reps == 5
    assert x.last_review == max(r.at for r in x_log)
    assert x.lapses == 1  # A's Again on x came after reviews in review state
    # each answer's "state before" is the merged history's
    assert [r.prev_state for r in x_log][0] == 0 and all(r.prev_state > 0 for r in x_log[1:])
    # the daily rollup equals one recomputed from the merged log
    conn = sqlite3.connect(a)
    daily = conn.execute("SELECT * FROM daily ORDER BY day").fetchall()
    conn.execute("DELETE FROM daily")
    conn.execute(BACKFILL_DAILY)
    assert conn.execute("SELECT * FROM daily ORDER BY day").fetchall() == daily
    conn.rollback()
    conn.close()


def test_importing_twice_changes_nothing(tmp_path: Path, homes) -> None:
    a, b, _ = homes
    b_file = tmp_path / "b.jsonl"
    with Store.open(b) as store:
        export_progress(store, b_file)
    data = read_progress(b_file)
    with Store.open(a) as store:
        import_progress(store, data, CFG)
    before, n_backups = _dump(a), len(backups(a))
    with Store.open(a) as store:
        report, saved = import_progress(store, data, CFG)
    assert not report.changed and saved is None
    assert _dump(a) == before and len(backups(a)) == n_backups
    # and the other way round: B takes A's merged file, then both hold the same answers
    a_file = tmp_path / "a.jsonl"
    with Store.open(a) as store:
        export_progress(store, a_file)
    with Store.open(b) as store:
        import_progress(store, read_progress(a_file), CFG)
    assert _uids(a) == _uids(b)


def test_suspension_cram_and_mocks_merge(tmp_path: Path) -> None:
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    clock = FakeClock(T0)
    _study(a, clock, [("x", 3)])
    _study(b, clock, [("x", 3)], mode="cram")  # cram: logged, never moves the schedule
    with Store.open(b) as store:
        store.suspend("s", "trap")
        store.save_mock({"score": 7}, T0)
    b_file = tmp_path / "b.jsonl"
    with Store.open(b) as store:
        export_progress(store, b_file)
    with Store.open(a) as store:
        before = store.get("x")
        report, _ = import_progress(store, read_progress(b_file), CFG)
        x, s = store.get("x"), store.get("s")
        assert store.mocks()[0].result == {"score": 7}
        report_again, _ = import_progress(store, read_progress(b_file), CFG)
        assert len(store.mocks()) == 1 and not report_again.changed
    assert report.suspended == ["s"] and s is not None and s.suspended and s.state == 0
    assert before is not None and x is not None
    assert (x.stability, x.due, x.reps) == (before.stability, before.due, before.reps)
    assert x.answered == 2  # the cram answer is in the log and the counts


def test_a_reset_on_one_side_is_kept(tmp_path: Path, homes) -> None:
    a, b, _ = homes
    with Store.open(a) as store:  # A resets x (as the browser does), then answers it once
        x = store.get("x")
        assert x is not None
        store.write_states(
            [
                CardState(
                    item_id="x",
                    kind=x.kind,
                    answered=x.answered,
                    n_correct=x.n_correct,
                    card_id=x.card_id,
                    deck=x.deck,
                    topic=x.topic,
                )
            ]
        )
    _study(a, FakeClock(T0 + timedelta(days=10)), [("x", 3)])
    b_file = tmp_path / "b.jsonl"
    with Store.open(b) as store:
        export_progress(store, b_file)
    with Store.open(a) as store:
        import_progress(store, read_progress(b_file), CFG)
        x = store.get("x")
    assert x is not None and x.reps == 1 and x.lapses == 0  # only the answer after the reset
    assert x.first_review == T0 + timedelta(days=10)


# ------------------------------------------------------------------------ bad files
@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (["not json"], "{f}:1:1: not JSON"),
        (['{"hello": 1}'], "{f}:1: not a quizapp progress file"),
        (
            ['{"format": "quizapp-progress", "version": 9}'],
            "{f}:1: written by a newer quizapp (progress format 9",
        ),
        (
            ["HEADER", '{"type": "review", "uid": "u"}'],
            "{f}:2: review: item_id: required field is missing",
        ),
        (
            ["HEADER", '{"type": "item", "item_id": "x", "colour": 1}'],
            "{f}:2: item: colour: unknown field",
        ),
        (
            ["HEADER", "REVIEW".replace('"rating": 3', '"rating": 7')],
            "{f}:2: review: rating: Input should be less than or equal to 4",
        ),
        (["HEADER", '{"type": "badge"}'], "{f}:2: badge:"),
        ([], "{f}: the file is empty"),
    ],
)
def test_bad_files_are_located_and_change_nothing(tmp_path: Path, capsys, lines, message) -> None:
    header = json.dumps(
        {
            "format": "quizapp-progress",
            "version": 1,
            "exported": "x",
            "items": 0,
            "reviews": 1,
            "mocks": 0,
        }
    )
    review = json.dumps(
        {
            "type": "review",
            "uid": "u1",
            "item_id": "x",
            "kind": "trap",
            "ts": 5,
            "mode": "review",
            "rating": 7,
            "correct": True,
        }
    )
    path = tmp_path / "p.jsonl"
    text = "\n".join(line.replace("HEADER", header).replace("REVIEW", review) for line in lines)
    path.write_text(text + ("\n" if text else ""), encoding="utf-8")
    with pytest.raises(ProgressFileError) as exc:
        read_progress(path)
    assert message.format(f=path) in "\n".join(exc.value.problems)
    assert main(["progress", "import", str(path)]) == 1
    err = capsys.readouterr().err
    assert message.format(f=path) in err and "nothing was imported" in err


def test_flags_move_with_the_progress_and_a_flag_here_stays(tmp_path: Path, homes) -> None:
    """A red flag set on A arrives on B; B's own flag on an item A flagged differently stays
    (flags carry no time); a second import changes nothing; an export from before flags
    (format version 1: no flag lines, no "flags" count) still imports."""
    from quizapp.srs import marks

    a, b, _ = homes
    with Store.open(a) as store:
        marks.set_flag(store, ["x", "w-never-answered"], 1)  # red (a new item may be flagged)
        marks.set_flag(store, ["y"], 4)  # blue
    with Store.open(b) as store:
        marks.set_flag(store, ["y"], 3)  # green here
    a_file = tmp_path / "a.jsonl"
    with Store.open(a) as store:
        summary = export_progress(store, a_file)
    assert summary.flags == 3
    lines = [json.loads(line) for line in a_file.read_text(encoding="utf-8").splitlines()]
    assert lines[0]["flags"] == 3 and lines[-1] == {"type": "flag", "item_id": "y", "flag": 4}
    with Store.open(b) as store:
        report, _ = import_progress(store, read_progress(a_file), CFG)
        assert report.flags_added == 2
        assert marks.flags(store) == {"x": 1, "w-never-answered": 1, "y": 3}
    before = _dump(b)
    with Store.open(b) as store:
        report, saved = import_progress(store, read_progress(a_file), CFG)
    assert not report.changed and saved is None and _dump(b) == before
    # flags alone are news: a file whose answers are all here still brings its flag
    with Store.open(a) as store:
        marks.set_flag(store, ["z"], 7)
        export_progress(store, a_file)
    with Store.open(b) as store:
        report, _ = import_progress(store, read_progress(a_file), CFG)
        assert report.flags_added == 1 and marks.flags(store)["z"] == 7
    # an old export: version 1, no flags
    old = tmp_path / "old.jsonl"
    header, *body = a_file.read_text(encoding="utf-8").splitlines()
    head = json.loads(header)
    head["version"] = 1
    del head["flags"]
    old.write_text(
        "\n".join([json.dumps(head), *(b for b in body if '"type":"flag"' not in b)]) + "\n",
        encoding="utf-8",
    )
    data = read_progress(old)
    assert data.flags == {} and data.header.version == 1
    with Store.open(tmp_path / "fresh.sqlite3") as store:
        report, _ = import_progress(store, data, CFG)
        assert report.items_added == 3 and marks.flags(store) == {}


# ------------------------------------------------------------------------ the command
def test_progress_commands(tmp_path: Path, capsys, quizapp_home: Path) -> None:
    out_file = tmp_path / "mine.jsonl"
    assert main(["progress", "export", str(out_file)]) == 1
    assert "no progress yet" in capsys.readouterr().err
    _study(quizapp_home / "progress.sqlite3", FakeClock(T0), [("x", 3), ("y", 2)])
    assert main(["progress", "export", str(out_file)]) == 0
    assert "exported 2 answers, 2 items, 0 mock interviews and 0 flags" in capsys.readouterr().out
    other = tmp_path / "other"
    assert main(["progress", "import", str(out_file), "--home", str(other)]) == 0
    out = capsys.readouterr().out
    assert "2 answers added (0 already here); 2 new items" in out
    assert main(["--home", str(other), "progress", "import", str(out_file)]) == 0
    assert "nothing new" in capsys.readouterr().out
    assert main(["progress", "import", str(tmp_path / "missing.jsonl")]) == 2
    assert "no such file" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["progress"])
    assert exc.value.code == 2


@pytest.mark.parametrize(
    ("field", "value", "needle"),
    [
        ("seed", 2**80, "review: seed: Input should be less than or equal to 9223372036854775807"),
        ("duration_ms", 2**80, "review: duration_ms: Input should be less than or equal to"),
        ("day", -(2**70), "review: day: Input should be greater than or equal to"),
        ("prev_ivl", 1e400, "review: prev_ivl: Input should be a finite number"),
    ],
)
def test_huge_numbers_are_located_before_any_backup(
    tmp_path: Path, capsys, quizapp_home: Path, field: str, value: object, needle: str
) -> None:
    """D25: a seed of 2**80 passed the line check, a backup was taken, then the merge died
    with an OverflowError traceback."""
    _study(quizapp_home / "progress.sqlite3", FakeClock(T0), [("x", 3)])
    exported = tmp_path / "p1.jsonl"
    assert main(["progress", "export", str(exported)]) == 0
    lines = exported.read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(lines) if json.loads(line).get("type") == "review")
    review = json.loads(lines[number])
    review.update({"uid": "another-uid", field: value})
    lines[number] = json.dumps(review)
    exported.write_text("\n".join(lines) + "\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["progress", "import", str(exported)]) == 1
    err = capsys.readouterr().err
    assert f"{exported}:{number + 1}: {needle}" in err, err
    assert "nothing was imported" in err and "Traceback" not in err
    assert backups(quizapp_home / "progress.sqlite3") == []  # refused before the backup


_VALUE = (
    st.none()
    | st.booleans()
    | st.integers(-3, 2**40)
    | st.floats(allow_nan=True)
    | st.text(max_size=8)
)
_REVIEW = st.fixed_dictionaries(
    {
        "type": st.just("review"),
        "uid": st.text(min_size=1, max_size=4),
        "item_id": st.sampled_from(["x", "y", "z"]),
        "kind": st.just("trap"),
        "ts": st.integers(0, 2 * 10**12),
        "mode": st.sampled_from(["review", "study", "cram", "mock"]),
        "rating": st.integers(1, 4),
        "correct": st.booleans(),
    },
    optional={
        "duration_ms": st.none() | st.integers(0, 10**6),
        "meta": st.just({"practice": True}),
    },
)
_JUNK = st.dictionaries(st.text(max_size=5), _VALUE, max_size=3) | _REVIEW.map(
    lambda r: {**r, "rating": 9}
)


@settings(
    max_examples=examples(60),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(body=st.lists(_REVIEW, max_size=10), junk=st.lists(_JUNK, max_size=1))
def test_any_file_is_refused_with_locations_or_merged(tmp_path: Path, body, junk) -> None:
    header = {
        "format": "quizapp-progress",
        "version": 1,
        "exported": "x",
        "items": 0,
        "reviews": 0,
        "mocks": 0,
    }
    path = tmp_path / "fuzz.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in [header, *body, *junk]), encoding="utf-8")
    try:
        data = read_progress(path)
    except ProgressFileError as exc:
        assert junk and exc.problems and all(p.startswith(f"{path}:") for p in exc.problems)
        return
    event("merged")
    db = Path(tempfile.mkdtemp(dir=tmp_path)) / "progress.sqlite3"  # one home per example
    with Store.open(db) as store:
        import_progress(store, data, CFG)
        before = _dump(db)
        import_progress(store, data, CFG)
        assert store.review_count() == len({r.uid for r in data.reviews})
        assert store.integrity_check() == ["ok"]
        log = store.reviews()
        assert [r.at for r in log] == sorted(r.at for r in log)
    assert _dump(db) == before
