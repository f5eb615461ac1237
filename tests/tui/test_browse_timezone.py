"""D6: browse's info pane shows due dates and answer times in the configured time zone
(the zone study days are counted in), not in UTC."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from quizapp.srs.scheduler import Rating, ReviewScheduler, SchedulerConfig
from quizapp.srs.store import Store
from quizapp.study.browse import Browser
from quizapp.study.clock import FakeClock
from quizapp.tui.screens.browse import info_text
from tests.synthetic_catalog import make_catalog

TOKYO = "Asia/Tokyo"  # UTC+9 all year: 20:30 UTC is 05:30 the next morning


def test_the_info_pane_shows_times_in_the_configured_zone(tmp_path: Path) -> None:
    catalog = make_catalog(40, seed=1)
    config = SchedulerConfig(enable_fuzzing=False, timezone=TOKYO)
    clock = FakeClock(datetime(2026, 3, 2, 20, 30, tzinfo=UTC))
    store = Store.open(tmp_path / "progress.sqlite3")
    try:
        item_id = next(iter(catalog.items))
        ReviewScheduler(store, config, clock).answer(
            item_id, catalog.items[item_id].kind, Rating.Good
        )
        state = store.get(item_id)
        assert state is not None and state.due is not None
        text = info_text(Browser(catalog, store, config, clock).info(item_id))
    finally:
        store.close()
    due_line = next(ln for ln in text.splitlines() if ln.startswith("due"))
    local_due = state.due.astimezone(ZoneInfo(TOKYO))
    assert f"{local_due:%Y-%m-%d %H:%M} JST" in due_line, due_line
    assert "UTC" not in due_line
    assert "  2026-03-03 05:30  Good" in text  # the answer, at Tokyo's clock
