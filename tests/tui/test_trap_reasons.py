"""After a trap is answered the learner sees why each true statement is true (the deck's
``why_true``) and the item's source; a flashcard shows its source after the reveal, a drill
after the answer (issue 10 Part 2, brief item 9)."""

from __future__ import annotations

import html
import random
from pathlib import Path

import pytest

from quizapp.decks.loader import load_paths
from quizapp.srs.scheduler import SchedulerConfig
from quizapp.study.clock import FakeClock
from quizapp.study.context import AppContext, StudyRequest
from quizapp.study.items import TrapView, ViewFactory
from quizapp.tui.app import QuizApp
from quizapp.tui.widgets.trap.card import LETTERS

DECK = """
deck = "src"
topic = "adam"

[[flashcard]]
id = "s.card"
front = "Who proposed Adam?"
back = "Kingma and Ba."
source = "Kingma & Ba, 2015"

[[trap]]
id = "s.trap"
claim = "Adam needs no learning-rate tuning."
why_wrong = "The global step size still matters."
correct = "Adam's lr still needs tuning."
distractors = ["Adam keeps two moment estimates.", "Adam's first step is about lr in size."]
why_true = ["m and v, one of each per parameter.", "m-hat over sqrt(v-hat) is ±1 at t = 1."]
source = "torch docs: torch.optim.Adam"

[[drill]]
id = "s.drill"
drill = "sgd"
source = "torch docs: torch.optim.SGD"
"""


@pytest.fixture
def catalog(tmp_path: Path):
    (tmp_path / "src.toml").write_text(DECK, encoding="utf-8")
    catalog = load_paths([tmp_path / "src.toml"])
    assert catalog.ok, catalog.problems
    return catalog


def app_for(catalog, home: Path, kind: str, seed: int) -> QuizApp:
    ctx = AppContext.open(
        catalog,
        home / "progress.sqlite3",
        clock=FakeClock(),
        rng=random.Random(seed),
        config=SchedulerConfig(enable_fuzzing=False),
    )
    return QuizApp(ctx, start="study", request=StudyRequest(mode="study", kind=kind))


def seed_for(catalog, wanted) -> int:
    """A seed whose first trap layout is ``wanted(view)``."""
    entry = catalog.items["s.trap"]
    return next(s for s in range(200) if wanted(ViewFactory(random.Random(s)).build(entry)))


def shown(app) -> str:
    return html.unescape(app.export_screenshot()).replace("\xa0", " ")


def test_reasons_follow_their_statements_through_the_shuffle(catalog) -> None:
    entry = catalog.items["s.trap"]
    why = dict(zip(entry.item.distractors, entry.item.why_true, strict=True))
    for seed in range(40):
        view = ViewFactory(random.Random(seed)).build(entry)
        assert isinstance(view, TrapView)
        for i, statement in enumerate(view.statements):
            assert view.reason(i) == why.get(statement)  # None for the claim


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
async def test_pick_shows_why_each_true_statement_is_true_and_the_source(
    catalog, quizapp_home
) -> None:
    seed = seed_for(catalog, lambda v: v.mode == "pick")
    app = app_for(catalog, quizapp_home, "trap", seed)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        view = app.screen.session.current
        assert isinstance(view, TrapView) and view.mode == "pick"
        before = shown(app)
        assert "m and v, one of each" not in before and "torch.optim.Adam" not in before
        await pilot.press(LETTERS[view.trap_index])
        await pilot.pause()
        after = shown(app)
        assert "m and v, one of each per parameter." in after
        assert "is ±1 at t = 1." in after
        assert "Source" in after and "torch docs: torch.optim.Adam" in after


async def test_holds_on_a_true_statement_says_why_it_holds(catalog, quizapp_home) -> None:
    seed = seed_for(catalog, lambda v: v.mode == "holds" and v.holds)
    app = app_for(catalog, quizapp_home, "trap", seed)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        view = app.screen.session.current
        assert view.mode == "holds" and view.holds
        await pilot.press("y")
        await pilot.pause()
        assert "It holds" in shown(app) and view.reason(0) in shown(app)


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
async def test_flashcard_and_drill_show_their_source_after_the_answer(
    catalog, quizapp_home
) -> None:
    app = app_for(catalog, quizapp_home, "flashcard", 1)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        assert "Kingma & Ba, 2015" not in shown(app)
        await pilot.press("space")
        await pilot.pause()
        assert "Kingma & Ba, 2015" in shown(app)
    app = app_for(catalog, quizapp_home, "drill", 1)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        assert "torch docs: torch.optim.SGD" not in shown(app)
        await pilot.press("1", "enter")
        await pilot.pause()
        assert "torch docs: torch.optim.SGD" in str(app.screen.query_one("#drill-source").render())
