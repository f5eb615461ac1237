"""usertest5 D7: the notice for an empty review says why and what to do instead. With
new_per_day = 0 it said "New items come in daily", and never suggested cramming."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from quizapp.srs.scheduler import SchedulerConfig
from quizapp.study.format import nothing_today
from quizapp.tui.app import QuizApp
from quizapp.tui.screens.home import HomeScreen

NOW = datetime(2026, 12, 3, 12, tzinfo=UTC)


def say(**given: object) -> str:
    figures: dict[str, object] = {
        "items": 10,
        "unseen": 0,
        "next_due": None,
        "now": NOW,
        "new_per_day": 20,
        "reviews_per_day": 200,
    }
    return nothing_today("review", **{**figures, **given})  # type: ignore[arg-type]


def test_each_reason_is_said() -> None:
    off = say(unseen=4, new_per_day=0, next_due=NOW + timedelta(days=3))
    assert off.startswith("Nothing is due. The next review is due in 3d. ")
    assert "4 new items wait: new items are off (new_per_day = 0 in config.toml)." in off
    assert "come in daily" not in off and "quizapp study --cram" in off
    later = say(unseen=1, next_due=NOW + timedelta(minutes=30))
    assert "The next review is due in 30m." in later and "1 new item left: 20 a day" in later
    assert "Today's review limit is reached (reviews_per_day = 200)." in say(next_due=NOW)
    # nothing answered yet: nothing to cram; nothing there at all: suspended or buried
    fresh = say(items=3, unseen=3, new_per_day=0)
    assert "cram" not in fresh and fresh.endswith("Try a drill (d) meanwhile.")
    assert "suspended or buried" in say(items=0)
    assert nothing_today(
        "study", items=0, unseen=0, next_due=None, now=NOW, new_per_day=1, reviews_per_day=1
    ).startswith("Nothing to study there today.")


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
async def test_review_with_new_items_off_says_so(make_app: Callable[..., QuizApp]) -> None:
    app = make_app()
    app.ctx.use_config(SchedulerConfig(enable_fuzzing=False, new_per_day=0))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        messages = [n.message for n in app._notifications]
        assert any("new items are off (new_per_day = 0" in m for m in messages), messages
        unseen = len(app.ctx.catalog.items)
        assert any(f"{unseen} new items wait" in m for m in messages), messages
