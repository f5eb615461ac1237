"""Forward-only migrations from the first schema (v1), with data, keep every review."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from quizapp.srs.scheduler import Rating, ReviewScheduler, SchedulerConfig
from quizapp.srs.schema import APP_ID, SCHEMA_VERSION
from quizapp.srs.stats import compute_stats
from quizapp.srs.store import Store
from quizapp.study.clock import FakeClock
from quizapp.study.queue import QueueCandidate, build_queue

# The schema as first released (user_version 1), frozen here on purpose: the
# migration code must keep upgrading files exactly like this one.
V1_SQL = """
PRAGMA application_id = 1364869456;
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE items (
    id INTEGER PRIMARY KEY, item_id TEXT NOT NULL UNIQUE, kind TEXT NOT NULL DEFAULT '',
    deck TEXT, topic TEXT, subkind TEXT, state INTEGER NOT NULL DEFAULT 0, step INTEGER,
    stability REAL, difficulty REAL, due INTEGER, last_review INTEGER, first_review INTEGER,
    reps INTEGER NOT NULL DEFAULT 0, lapses INTEGER NOT NULL DEFAULT 0,
    suspended INTEGER NOT NULL DEFAULT 0, leech INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX items_due ON items (due) WHERE suspended = 0;
CREATE TABLE reviews (
    id INTEGER PRIMARY KEY, item INTEGER NOT NULL REFERENCES items (id), ts INTEGER NOT NULL,
    day INTEGER NOT NULL, mode TEXT NOT NULL, rating INTEGER NOT NULL, correct INTEGER NOT NULL,
    duration_ms INTEGER, answer TEXT, seed INTEGER, mistake TEXT, prev_state INTEGER NOT NULL,
    prev_ivl REAL, first_of_day INTEGER NOT NULL, meta TEXT
);
CREATE INDEX reviews_item ON reviews (item, ts);
CREATE INDEX reviews_day ON reviews (day);
CREATE TABLE sessions (id INTEGER PRIMARY KEY, mode TEXT NOT NULL, started INTEGER NOT NULL,
    ended INTEGER, summary TEXT);
CREATE TABLE mocks (id INTEGER PRIMARY KEY, ts INTEGER NOT NULL, result TEXT NOT NULL);
CREATE TABLE undo (review_id INTEGER PRIMARY KEY REFERENCES reviews (id) ON DELETE CASCADE,
    item INTEGER NOT NULL, before TEXT);
PRAGMA user_version = 1;
"""

DAY = 86_400_000
T0_MS = 1_772_452_800_000  # 2026-03-02 12:00 UTC
D0 = datetime(2026, 3, 2).toordinal()

V1_DATA = f"""
INSERT INTO items VALUES
 (1, 'opt.adam.bias', 'flashcard', 'optimizers', 'adam', NULL, 2, NULL, 30.0, 5.0,
  {T0_MS + 30 * DAY}, {T0_MS}, {T0_MS - 40 * DAY}, 4, 1, 0, 0),
 (2, 'opt.adam.step', 'drill', 'optimizers', 'adam', 'adam-step', 2, NULL, 3.0, 6.0,
  {T0_MS + 3 * DAY}, {T0_MS}, {T0_MS - 2 * DAY}, 2, 0, 0, 0),
 (3, 'opt.sgd.trap', 'trap', 'optimizers', 'sgd', NULL, 1, 0, 0.2, 7.0,
  {T0_MS + 60000}, {T0_MS}, {T0_MS}, 1, 0, 0, 0);
INSERT INTO reviews (item, ts, day, mode, rating, correct, duration_ms, answer, seed, mistake,
                     prev_state, prev_ivl, first_of_day, meta) VALUES
 (1, {T0_MS - 40 * DAY}, {D0 - 40}, 'review', 3, 1, 5000, NULL, NULL, NULL, 0, NULL, 1, NULL),
 (1, {T0_MS}, {D0}, 'review', 3, 1, 4000, NULL, NULL, NULL, 2, 25.0, 1, NULL),
 (2, {T0_MS - 2 * DAY}, {D0 - 2}, 'study', 3, 1, 60000, '0.1', 7, NULL, 0, NULL, 1, NULL),
 (2, {T0_MS}, {D0}, 'review', 1, 0, 90000, '0.2', 8, 'no-bias-correction', 2, 2.0, 1, NULL),
 (3, {T0_MS}, {D0}, 'review', 1, 0, 9000, 'yes', NULL, 'trap-fell', 0, NULL, 1, NULL);
INSERT INTO mocks (ts, result) VALUES ({T0_MS}, '{{"score": 6}}');
INSERT INTO sessions (mode, started, ended, summary) VALUES ('review', {T0_MS}, {T0_MS + 600000}, '{{"n": 5}}');
"""


def make_v1(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.executescript(V1_SQL + V1_DATA)
    conn.close()


def test_v1_fixture_migrates_forward(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    make_v1(path)
    with Store.open(path) as store:
        assert store.schema_version == SCHEMA_VERSION == 3
        assert store.integrity_check() == ["ok"]
        assert store.review_count() == 5
        adam = store.get("opt.adam.step")
        assert adam is not None and (adam.answered, adam.n_correct) == (2, 1)
        today = store.day_counts(D0)
        assert (today.reviews, today.correct, today.due_reviews) == (3, 1, 2)
        assert (today.mature_pass, today.young_fail, today.new_items) == (1, 1, 1)
        assert store.mocks()[0].result == {"score": 6}
        assert store.sessions()[0].summary == {"n": 5}
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APP_ID
    conn.close()


def test_migrated_store_is_fully_usable(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    make_v1(path)
    clock = FakeClock(datetime(2026, 3, 2, 12, 0, tzinfo=UTC) + timedelta(days=3, hours=1))
    cfg = SchedulerConfig(enable_fuzzing=False, timezone="UTC")
    with Store.open(path) as store:
        catalog = [
            QueueCandidate("opt.adam.bias", "flashcard", "optimizers", "adam"),
            QueueCandidate("opt.adam.step", "drill", "optimizers", "adam"),
            QueueCandidate("opt.sgd.trap", "trap", "optimizers", "sgd"),
            QueueCandidate("opt.new", "trap", "optimizers", "sgd"),
        ]
        q = build_queue(store, catalog, clock, cfg)
        assert [(e.item_id, e.status) for e in q] == [
            ("opt.sgd.trap", "learning"), ("opt.adam.step", "review"), ("opt.new", "new"),
        ]  # fmt: skip
        r = ReviewScheduler(store, cfg, clock).answer("opt.adam.step", "drill", Rating.Good, seed=9)
        assert r.previous is not None and r.previous.stability == 3.0
        stats = compute_stats(store, clock, cfg, candidates=catalog)
        assert stats.total_reviews == 6
        assert {m.mistake: m.count for m in stats.top_mistakes} == {
            "no-bias-correction": 1, "trap-fell": 1,
        }  # fmt: skip
        assert stats.true_retention.mature.passed == 1


def test_migration_is_idempotent_on_reopen(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    make_v1(path)
    for _ in range(3):
        with Store.open(path) as store:
            assert store.review_count() == 5 and store.schema_version == SCHEMA_VERSION
