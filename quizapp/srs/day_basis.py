"""Study days follow the learner's clock, as Anki's rollover does.

Every answer's ``day`` column (and the per-day rollup built from it) is the study day of
its timestamp *in the zone and day start the home had when it was written*. When either
changes — the laptop travels to another time zone, the learner sets ``timezone`` or
``day_starts_at_hour`` in ``config.toml`` — the stored days would keep the old zone: an
evening's work would show as "0 answered today, streak 0", and the new-per-day limit would
restart. So the zone and hour the days were derived with (the *basis*) are kept in
``meta``; when a writer opens the store under another basis, every answer's day is derived
again from its timestamp (epoch ms, never changed) and the rollup is rebuilt, in one
transaction. Nothing else moves: schedules, due times and the log's timestamps are instants.

``first_of_day`` (used by true retention) stays as judged when the answer was given.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from quizapp.srs.days import from_ms, study_day
from quizapp.srs.errors import StoreError
from quizapp.srs.schema import BACKFILL_DAILY
from quizapp.srs.store import Store

if TYPE_CHECKING:
    from quizapp.srs.scheduler import SchedulerConfig

__all__ = ["BASIS_KEY", "day_basis", "reconcile_days"]

BASIS_KEY = "days.basis"

# Instants at which the system zone's offset and name are sampled: a zone is told apart
# from another by its standard and daylight-saving offsets and names.
_SAMPLES = tuple(datetime(2026, month, 15, 12, tzinfo=UTC) for month in (1, 4, 7, 10))


def _system_zone() -> str:
    local = [moment.astimezone() for moment in _SAMPLES]
    return "system " + " ".join(f"{m.tzname()}{m.utcoffset()}" for m in local)


def day_basis(config: SchedulerConfig) -> str:
    """What study days are derived with: the zone (the configured IANA name, or the
    system zone's offsets and names) and the hour a day starts."""
    zone = config.timezone or _system_zone()
    return json.dumps({"zone": zone, "day_starts_at_hour": config.day_starts_at_hour})


def reconcile_days(store: Store, config: SchedulerConfig, *, wait: bool = True) -> int:
    """Derive every answer's study day again if the basis changed since they were
    written; returns how many answers moved to another day (0 when nothing changed).

    One transaction: the days, the rollup and the new basis land together or not at all.
    A store opened read-only is left as it is (the caller reads the recorded days). With
    ``wait=False`` (a command that only reads) so is a store that cannot take the write
    now: another quizapp holds the lock, or the disk is full.
    """
    want = day_basis(config)
    if store.meta_value(BASIS_KEY) == want:
        return 0
    hour, tz = config.day_starts_at_hour, config.tz()
    moved = 0
    try:
        with store._write(wait=wait) as c:
            rows = c.execute("SELECT id, ts, day FROM reviews").fetchall()
            changes = []
            for rid, ts, day in rows:
                derived = study_day(from_ms(ts), hour, tz)
                if derived != day:
                    changes.append((derived, rid))
            if changes:
                c.executemany("UPDATE reviews SET day = ? WHERE id = ?", changes)
                c.execute("DELETE FROM daily")
                c.execute(BACKFILL_DAILY)
            c.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (BASIS_KEY, want))
            moved = len(changes)
    except StoreError as exc:
        if exc.kind == "read_only" or (exc.kind in ("locked", "disk_full") and not wait):
            return 0
        raise
    return moved
