"""What the first card of a review imports (issue 16, second pass): a review that opens on a
flashcard (on a warm content index) paints it without NumPy, the drill engine, the mock
interview or the stats, and imports the engine when a drill first shows. Checked in a fresh interpreter through
``sys.modules``, with the real app run headless."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

DECK = """
deck = "first"
topic = "adam"

[[flashcard]]
id = "first.card"
front = "Why does Adam need bias correction?"
back = "m and v start at 0."

[[drill]]
id = "first.drill"
drill = "bias-correction"
"""

RUN = """
import asyncio, json, sys
from pathlib import Path
from quizapp.decks.loader import load_paths
from quizapp.study.context import AppContext, StudyRequest
from quizapp.tui.app import QuizApp

WATCH = ("numpy", "quizapp.engine.drills.catalog", "quizapp.study.mock", "quizapp.srs.stats",
         "quizapp.tui.widgets.drill.card")

async def main():
    ctx = AppContext.open(load_paths([Path(sys.argv[1])]), Path(sys.argv[2]))
    app = QuizApp(ctx, start="review", request=StudyRequest())
    seen = {}
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        seen["first"] = [app.screen.query_one(".card").id, [m for m in WATCH if m in sys.modules]]
        await pilot.press("space", "3")  # Good: the drill is next
        await pilot.pause()
        card = app.screen.query_one("#drill")
        seen["drill"] = [card.display, [m for m in WATCH if m in sys.modules]]
    print(json.dumps(seen))

asyncio.run(main())
"""


def test_a_flashcard_first_imports_no_engine_and_a_drill_then_does(tmp_path: Path) -> None:
    deck = tmp_path / "first.toml"
    deck.write_text(DECK, encoding="utf-8")
    home = tmp_path / "home"
    home.mkdir()  # the learner's data dir, where the content index lives
    env = {
        "QUIZAPP_HOME": str(home),
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": str(ROOT),
        "TEXTUAL_ANIMATIONS": "none",
    }
    # the first start parses the deck (checking a drill's overrides draws sample problems);
    # the second reads the content index, as every start after it does
    warm = "from pathlib import Path; import sys; from quizapp.decks.loader import load_paths; "
    warm += "load_paths([Path(sys.argv[1])])"
    subprocess.run([sys.executable, "-c", warm, str(deck)], cwd=ROOT, env=env, check=True)
    result = subprocess.run(
        [sys.executable, "-c", RUN, str(deck), str(home / "progress.sqlite3")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["first"] == ["flashcard", []]
    shown, imported = seen["drill"]
    assert shown
    assert {"numpy", "quizapp.engine.drills.catalog", "quizapp.tui.widgets.drill.card"} <= set(
        imported
    )
    assert "quizapp.study.mock" not in imported and "quizapp.srs.stats" not in imported
