"""What the first card of a review imports (issue 16, second pass): a review that opens on a
flashcard (on a warm content index) paints it without NumPy, the drill engine, the mock
interview or the stats, and imports the engine when a drill first shows. A first
flashcard or trap imports no pydantic and builds no deck model (fourth pass): the card
is shown from the index's stored table. Nor does it build the mock's snapshots or the
store's session and mock history (fifth pass: dataclasses cost ~4 M instructions each
to build), nor the records an answer makes (the logged review, the scheduler's result,
the answer record, its outcome and the session's undo history): those come with the
first answer (issue 16, sixth pass). Nor the trap card's module (three widget classes),
which comes with the first trap, nor Textual's progress-bar module (the study line draws
its bar itself), nor the dialogs' base class. Nor fsrs (the buttons' intervals are
previewed at the reveal), zoneinfo (only a named study-day zone needs it), hashlib (only a
changed deck file is hashed) or the TOML line finder (only a parse or a problem needs it):
seventh pass. Nor Textual's ContentSwitcher (the card's scroll area shows one card at a
time itself): eleventh pass. Checked in a fresh interpreter through ``sys.modules``, with the real app
run headless."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from tests.fresh_python import last_line

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
         "quizapp.tui.widgets.drill.card", "pydantic", "quizapp.decks.models",
         "quizapp.study.mock_state", "quizapp.srs.history", "quizapp.srs.answers",
         "quizapp.study.outcome", "quizapp.study.record", "quizapp.tui.widgets.trap.card",
         "textual.widgets._progress_bar", "quizapp.tui.screens.modal", "fsrs", "zoneinfo",
         "hashlib", "quizapp.decks.locate", "textual.widgets._content_switcher")

async def main():
    ctx = AppContext.open(load_paths([Path(sys.argv[1])]), Path(sys.argv[2]))
    app = QuizApp(ctx, start="review", request=StudyRequest())
    seen = {}
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        seen["first"] = [app.screen.query_one(".card").id, [m for m in WATCH if m in sys.modules]]
        if len(sys.argv) > 3:
            return print(json.dumps(seen))
        await pilot.press("space", "3")  # Good: the drill is next
        await pilot.pause()
        card = app.screen.query_one("#drill")
        seen["drill"] = [card.display, [m for m in WATCH if m in sys.modules]]
    print(json.dumps(seen))

asyncio.run(main())
"""


def _run(tmp_path: Path, deck_text: str, *first_only: str) -> dict[str, list[object]]:
    """What RUN saw for a deck, on a warm content index."""
    deck = tmp_path / "first.toml"
    deck.write_text(deck_text, encoding="utf-8")
    # written an hour ago, as a deck is: one written this second is "racily clean" to the
    # content index, which then hashes it on the next start to be sure it is unchanged
    an_hour_ago = time.time() - 3600
    os.utime(deck, (an_hour_ago, an_hour_ago))
    home = tmp_path / "home"
    home.mkdir()  # the learner's data dir, where the content index lives
    env = {"TEXTUAL_ANIMATIONS": "none"}
    # the first start parses the deck (checking a drill's overrides draws sample problems);
    # the second reads the content index, as every start after it does
    warm = "from pathlib import Path; import sys; from quizapp.decks.loader import load_paths; "
    warm += "load_paths([Path(sys.argv[1])]); print('warm')"
    last_line(warm, str(deck), home=home, timeout=120, env=env)
    line = last_line(
        RUN, str(deck), str(home / "progress.sqlite3"), *first_only, home=home, timeout=120, env=env
    )
    seen: dict[str, list[object]] = json.loads(line)
    return seen


def test_a_flashcard_first_imports_no_engine_and_a_drill_then_does(tmp_path: Path) -> None:
    seen = _run(tmp_path, DECK)
    assert seen["first"] == ["flashcard", []]
    shown, imported = seen["drill"]
    assert shown
    assert {"numpy", "quizapp.engine.drills.catalog", "quizapp.tui.widgets.drill.card"} <= set(
        imported  # type: ignore[arg-type]
    )
    assert "quizapp.study.mock" not in imported and "quizapp.srs.stats" not in imported
    assert "quizapp.tui.widgets.trap.card" not in imported  # no trap shown yet
    # the answer to the flashcard made its records, scheduled by fsrs
    assert {"quizapp.srs.answers", "quizapp.study.outcome", "quizapp.study.record", "fsrs"} <= set(
        imported  # type: ignore[arg-type]
    )


TRAP = """
deck = "first"

[[trap]]
id = "first.trap"
claim = "Adam needs no learning rate."
why_wrong = "The step is lr times the ratio of the moments."
correct = "Adam scales a learning rate per parameter."
distractors = ["Adam keeps two moving averages.", "Adam corrects the bias of both."]
why_true = ["m and v.", "Both start at 0."]
"""


def test_a_trap_first_imports_no_pydantic(tmp_path: Path) -> None:
    # the trap card's module comes with the first trap (a flashcard first does without it)
    assert _run(tmp_path, TRAP, "first only") == {
        "first": ["trap", ["quizapp.tui.widgets.trap.card"]]
    }


NEEDED = """
import json, sys
from pathlib import Path
seen = {}
from quizapp.decks.index import content_hash
from quizapp.decks.loader import load_file
from quizapp.srs.days import resolve_tz
from quizapp.study.session import Preview
before = [m for m in ("hashlib", "zoneinfo", "quizapp.decks.locate", "fsrs") if m in sys.modules]
content_hash(b"a deck file that changed")
resolve_tz("Europe/Paris")
loaded, _ = load_file(Path(sys.argv[1]))  # parsed: its problem is located
print(json.dumps([before, [m for m in ("hashlib", "zoneinfo", "quizapp.decks.locate") if m in
      sys.modules], [str(p) for p in loaded.problems]]))
"""


def test_what_the_first_card_leaves_out_comes_when_needed(tmp_path: Path) -> None:
    deck = tmp_path / "broken.toml"
    deck.write_text('deck = "x"\n\n[[flashcard]]\nid = "x.a"\nfront = "F"\n', encoding="utf-8")
    env = {"QUIZAPP_HOME": str(tmp_path / "home"), "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", NEEDED, str(deck)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    before, after, problems = json.loads(result.stdout.strip().splitlines()[-1])
    assert before == []
    assert after == ["hashlib", "zoneinfo", "quizapp.decks.locate"]
    # the flashcard without a back is refused at its line
    assert any(":3" in p and "back" in p for p in problems), problems
