"""The progress database schema and its forward-only migrations.

``PRAGMA application_id`` marks a file as ours; ``PRAGMA user_version`` is the schema
version. ``MIGRATIONS[n]`` takes a database from version ``n`` to ``n + 1``; a
database is only ever migrated forward, each step in its own transaction.

Times are epoch milliseconds (UTC) and study days are date ordinals (see
:mod:`quizapp.srs.days`), so every queue/stats query is an integer range scan.
"""

from __future__ import annotations

#: ``PRAGMA application_id`` of a quizapp progress file ("QZAP").
APP_ID = 0x515A4150
#: The schema version this code writes.
SCHEMA_VERSION = 3

# Version 1: the first schema.
V1 = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
-- Current state of every item the learner has touched. `id` doubles as the fsrs card_id.
-- state: 0 new (never answered), 1 learning, 2 review, 3 relearning (fsrs.State values).
CREATE TABLE items (
    id INTEGER PRIMARY KEY,
    item_id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL DEFAULT '',
    deck TEXT,
    topic TEXT,
    subkind TEXT,
    state INTEGER NOT NULL DEFAULT 0,
    step INTEGER,
    stability REAL,
    difficulty REAL,
    due INTEGER,
    last_review INTEGER,
    first_review INTEGER,
    reps INTEGER NOT NULL DEFAULT 0,
    lapses INTEGER NOT NULL DEFAULT 0,
    suspended INTEGER NOT NULL DEFAULT 0,
    leech INTEGER NOT NULL DEFAULT 0
);
-- The queue reads due items straight from this index (never from the log).
CREATE INDEX items_due ON items (due) WHERE suspended = 0;
-- The review log: one row per answer, never rewritten (undo deletes the last row).
CREATE TABLE reviews (
    id INTEGER PRIMARY KEY,
    item INTEGER NOT NULL REFERENCES items (id),
    ts INTEGER NOT NULL,
    day INTEGER NOT NULL,
    mode TEXT NOT NULL,
    rating INTEGER NOT NULL,
    correct INTEGER NOT NULL,
    duration_ms INTEGER,
    answer TEXT,
    seed INTEGER,
    mistake TEXT,
    prev_state INTEGER NOT NULL,
    prev_ivl REAL,
    first_of_day INTEGER NOT NULL,
    meta TEXT
);
CREATE INDEX reviews_item ON reviews (item, ts);
CREATE INDEX reviews_day ON reviews (day);
CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    mode TEXT NOT NULL,
    started INTEGER NOT NULL,
    ended INTEGER,
    summary TEXT
);
CREATE TABLE mocks (id INTEGER PRIMARY KEY, ts INTEGER NOT NULL, result TEXT NOT NULL);
-- The item row as it was before each recent answer, so undo survives a restart.
CREATE TABLE undo (
    review_id INTEGER PRIMARY KEY REFERENCES reviews (id) ON DELETE CASCADE,
    item INTEGER NOT NULL,
    before TEXT
);
"""

# Version 2: a per-day rollup and per-item answer counters, so stats never scan the
# whole log; indexes for the most frequent mistakes, due learning steps, a
# covering due index for the queue and the few unseen-but-known items. Backfilled from the log.
V2 = """
CREATE TABLE daily (
    day INTEGER PRIMARY KEY,
    reviews INTEGER NOT NULL,
    correct INTEGER NOT NULL,
    new_items INTEGER NOT NULL,
    due_reviews INTEGER NOT NULL,
    young_pass INTEGER NOT NULL,
    young_fail INTEGER NOT NULL,
    mature_pass INTEGER NOT NULL,
    mature_fail INTEGER NOT NULL,
    time_ms INTEGER NOT NULL
);
ALTER TABLE items ADD COLUMN answered INTEGER NOT NULL DEFAULT 0;
ALTER TABLE items ADD COLUMN n_correct INTEGER NOT NULL DEFAULT 0;
CREATE INDEX reviews_mistake ON reviews (mistake) WHERE mistake IS NOT NULL;
CREATE INDEX items_learning ON items (due) WHERE suspended = 0 AND state IN (1, 3);
-- Covering: the queue's due-review query never touches the table.
DROP INDEX items_due;
CREATE INDEX items_due ON items (due, state, stability, last_review, item_id, kind)
    WHERE suspended = 0;
-- Covering: stats count states and sum accuracy per kind/topic/drill in one scan.
CREATE INDEX items_groups ON items (kind, topic, subkind, state, suspended, leech, answered,
    n_correct);
-- Answered-or-suspended ids = all ids minus this (small) set; see Store.known_ids.
CREATE INDEX items_unseen ON items (item_id) WHERE state = 0 AND suspended = 0;
UPDATE items SET
    answered = (SELECT count(*) FROM reviews r WHERE r.item = items.id),
    n_correct = (SELECT count(*) FROM reviews r WHERE r.item = items.id AND r.correct = 1);
"""

# Version 3: a stable id per review (``uid``), so a log merged from another machine
# (``quizapp progress import``) adds each answer once. Answers recorded from now on get a
# random id (the trigger: every writer of ``reviews`` gets one without knowing it); answers
# already logged get one made from the item id, the time and their rank among answers of the
# same item at the same millisecond, so two copies of one file migrated apart agree.
V3 = """
ALTER TABLE reviews ADD COLUMN uid TEXT;
UPDATE reviews SET uid = (SELECT i.item_id FROM items i WHERE i.id = reviews.item) || '@' || ts
    || '#' || (SELECT count(*) FROM reviews r WHERE r.item = reviews.item AND r.ts = reviews.ts
               AND r.id < reviews.id);
CREATE UNIQUE INDEX reviews_uid ON reviews (uid);
CREATE TRIGGER reviews_uid_default AFTER INSERT ON reviews WHEN NEW.uid IS NULL
BEGIN
    UPDATE reviews SET uid = lower(hex(randomblob(8))) WHERE id = NEW.id;
END;
"""

#: Interval (days) from which a review item counts as mature (Anki).
MATURE_DAYS = 21

# One day's rollup, recomputed from the log (used after each answer, undo and the
# v2 backfill), so the rollup can never drift from the log. Cram answers count as
# reviews but neither against the daily limits nor in true retention.
DAILY_SELECT = f"""
SELECT day,
    count(*),
    coalesce(sum(correct), 0),
    coalesce(sum(prev_state = 0 AND mode != 'cram'), 0),
    coalesce(sum(prev_state = 2 AND mode != 'cram'), 0),
    coalesce(sum({{tr}} AND prev_ivl < {MATURE_DAYS} AND rating > 1), 0),
    coalesce(sum({{tr}} AND prev_ivl < {MATURE_DAYS} AND rating = 1), 0),
    coalesce(sum({{tr}} AND prev_ivl >= {MATURE_DAYS} AND rating > 1), 0),
    coalesce(sum({{tr}} AND prev_ivl >= {MATURE_DAYS} AND rating = 1), 0),
    coalesce(sum(duration_ms), 0)
FROM reviews
""".format(tr="(prev_state = 2 AND first_of_day = 1 AND mode != 'cram')")

REBUILD_DAY = f"INSERT OR REPLACE INTO daily {DAILY_SELECT} WHERE day = ? GROUP BY day"
BACKFILL_DAILY = f"INSERT OR REPLACE INTO daily {DAILY_SELECT} GROUP BY day"

#: MIGRATIONS[n] upgrades version n to n + 1 (a list of SQL scripts).
MIGRATIONS: list[list[str]] = [
    [V1],
    [V2, BACKFILL_DAILY],
    [V3],
]
assert len(MIGRATIONS) == SCHEMA_VERSION
