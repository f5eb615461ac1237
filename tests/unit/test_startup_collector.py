"""The garbage collector at start-up (issue 16, eleventh pass): Textual and the modules the app
imports are built with the collector paused and then frozen (they live as long as the
process; each collection before the app froze the heap itself scanned them again), and the
collector is paused while the first screen is built, running again once it is drawn and
in any case when the app ends. Checked in a fresh interpreter: the freeze is process-wide."""

from __future__ import annotations

import gc
import json
from pathlib import Path

from quizapp import collector
from tests.fresh_python import last_line

ROOT = Path(__file__).resolve().parents[2]

DECK = """
deck = "first"

[[flashcard]]
id = "first.card"
front = "Why does Adam need bias correction?"
back = "m and v start at 0."
"""

RUN = """
import asyncio, gc, json, sys
from pathlib import Path

frozen = gc.get_freeze_count()
from quizapp.tui.app import QuizApp
seen = {"import": [gc.get_freeze_count() > frozen, gc.isenabled()]}

from quizapp.decks.loader import load_paths
from quizapp.study.context import AppContext, StudyRequest
from tests.fresh_python import last_line


class Watched(QuizApp):
    def start_study(self, request, **kw):  # from on_mount
        seen["building"] = gc.isenabled()
        return super().start_study(request, **kw)


async def main():
    ctx = AppContext.open(load_paths([Path(sys.argv[1])]), Path(sys.argv[2]))
    app = Watched(ctx, start="review", request=StudyRequest())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        seen["drawn"] = [app.screen.query_one(".card").id, gc.isenabled()]
    seen["ended"] = gc.isenabled()
    print(json.dumps(seen))

asyncio.run(main())
"""


def test_the_collector_at_start_up(tmp_path: Path) -> None:
    deck = tmp_path / "first.toml"
    deck.write_text(DECK, encoding="utf-8")
    line = last_line(
        RUN,
        str(deck),
        str(tmp_path / "progress.sqlite3"),
        home=tmp_path / "home",
        timeout=120,
        env={"TEXTUAL_ANIMATIONS": "none"},
    )
    seen = json.loads(line)
    assert seen == {
        "import": [True, True],  # frozen, and the collector runs again
        "building": False,  # paused while the first screen is built
        "drawn": ["flashcard", True],  # ... until it is drawn
        "ended": True,
    }


def test_kept_freezes_and_restores_the_collector() -> None:
    assert gc.isenabled()
    with collector.kept():
        assert not gc.isenabled()
        made = [[] for _ in range(10)]
    assert gc.isenabled()
    seen = {id(o) for o in gc.get_objects()}  # the frozen are in no generation
    assert all(gc.is_tracked(x) and id(x) not in seen for x in made)
    gc.disable()
    try:  # a paused collector stays paused
        with collector.kept():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
