"""The app's upkeep waits for the learner to read: once no key came for a moment after an
answer, a full collection runs if one is due and the progress file is checkpointed (in a
thread): the answer is then in the main file. (That no commit checkpoints is
tests/unit/test_idle_checkpoint.py's: how long Pilot's keys take is up to the machine.)"""

from __future__ import annotations

import gc
import sqlite3
from pathlib import Path
from urllib.parse import quote

from quizapp import collector
from quizapp.study.items import FlashcardView
from quizapp.tui.app import UPKEEP_IDLE_S


def _in_main_file(db: Path) -> int:
    """Reviews in the main file alone (immutable=1 reads no -wal)."""
    conn = sqlite3.connect(f"file:{quote(str(db.resolve()))}?mode=ro&immutable=1", uri=True)
    try:
        tables = conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'reviews'")
        if not tables.fetchone()[0]:
            return 0
        return int(conn.execute("SELECT count(*) FROM reviews").fetchone()[0])
    finally:
        conn.close()


async def test_checkpoint_and_full_collection_after_a_pause(make_app) -> None:
    before = gc.get_threshold()
    app = make_app(review=True)
    db = app.ctx.store.path
    full: list[int] = []

    def note(phase: str, info: dict[str, int]) -> None:
        if phase == "start" and info["generation"] == 2:
            full.append(1)

    async with app.run_test(size=(80, 24)) as pilot:
        assert gc.get_threshold()[2] == max(before[2], collector.HELD_FULL_EVERY)
        assert isinstance(app.screen.session.current, FlashcardView)
        await pilot.press("space", "3")  # rated Good: committed, the next item shows
        await pilot.pause()
        assert app.ctx.store.review_count() == 1  # committed (in the -wal) before the card
        for _ in range(collector.FULL_EVERY):
            gc.collect(1)  # a full collection is due by CPython's rule
        gc.callbacks.append(note)
        try:
            await pilot.pause(UPKEEP_IDLE_S * 2 + 0.3)  # the learner reads
            await app.workers.wait_for_complete()
            # on a loaded machine the upkeep's timer can fire late: the learner reads on
            for _ in range(50):
                if full and _in_main_file(db) == 1:
                    break
                await pilot.pause(0.2)
                await app.workers.wait_for_complete()
        finally:
            gc.callbacks.remove(note)
        assert full, "no full collection while the learner read"
        assert _in_main_file(db) == 1
    assert gc.get_threshold() == before  # given back when the app ends
