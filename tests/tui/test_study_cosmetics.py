"""Issue 10 item 14 on the study screens, and item 13: the header title is cut at a word,
the footer names exactly the trap's letters, a recognised mistake is said once, and
``quizapp drill KIND --param`` overrides reach the drill screen."""

from __future__ import annotations

import pytest
from rich.console import Console

from quizapp.engine import drills
from quizapp.engine.drills import MISTAKES
from quizapp.study.context import StudyRequest
from quizapp.tui.app import QuizApp
from quizapp.tui.screens.study import StudyScreen
from quizapp.tui.widgets.drill.render import verdict_group
from tests import sampling
from tests.tui.test_study_keys import footer


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
async def test_a_long_title_is_cut_at_a_word(make_ctx) -> None:
    app = QuizApp(make_ctx())
    async with app.run_test(size=(81, 24)) as pilot:
        session = app.ctx.start(StudyRequest(mode="study", kind="trap"))
        app.push_screen(StudyScreen(session, "Study · Optimizers · matrix-optimizers · traps"))
        await pilot.pause()
        shown = str(app.screen.query_one("#study-title").render())
        assert shown == "Study · Optimizers…"  # 40 % of 81 columns, at a word


async def test_the_footer_names_exactly_the_trap_letters(make_app) -> None:
    app = make_app("trap")  # the claim and two true statements
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        view = app.screen.session.current
        if view.mode == "pick":
            assert footer(app)["Pick"] == "a–c"
        else:
            assert "Pick" not in footer(app) and footer(app)["Holds"] == "y"


def test_a_recognised_mistake_is_said_once() -> None:
    p = drills.generate("adam", 3)
    v = drills.grade(p, repr(drills.solve(p, "no_bias_correction")[p.primary]))
    assert v.mistake == "no_bias_correction"
    console = Console(width=200, record=True, color_system=None)
    console.print(verdict_group(p, v))
    text = console.export_text()
    assert text.count("bias correction") == MISTAKES[v.mistake].count("bias correction")


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
async def test_param_overrides_reach_the_drill_screen(make_ctx) -> None:
    overrides = {"t": 7, "lr": [0.01, 0.02]}
    app = QuizApp(
        make_ctx(), start="drill", drill_kind="adam", drill_seed=12345, drill_overrides=overrides
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StudyScreen)
        assert screen.session.current.problem == drills.generate("adam", 12345, overrides)
        # the fresh draws after the seeded one keep the overrides: one by default, three in CI
        for _ in range(3 if sampling.FULL else 1):
            await pilot.press("1", "enter", "enter")
            await pilot.pause()
            given = screen.session.current.problem.given
            assert given["t"] == 7 and 0.01 <= given["lr"] <= 0.02


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
async def test_a_new_card_opens_at_its_top(make_app) -> None:
    """D9: the feedback of a drill answer scrolls the card down to the verdict; the next
    item (here the same drill relearnt, with new numbers) opens at its title, with the focus
    in its answer box."""
    from textual.containers import VerticalScroll
    from textual.widgets._footer import FooterKey

    from quizapp.study.items import DrillView
    from quizapp.tui.widgets.drill.answers import AnswerInput

    app = make_app("drill")
    async with app.run_test(size=(80, 16)) as pilot:
        screen = app.screen
        first = screen.session.current
        assert isinstance(first, DrillView)
        await pilot.press(*"123456", "enter")  # wrong: Again, shown again at once
        await pilot.pause(0.1)
        scroll = screen.query_one("#card-scroll", VerticalScroll)
        assert scroll.scroll_y > 0  # scrolled down to the verdict
        await pilot.press("enter")
        await pilot.pause(0.1)
        second = screen.session.current
        assert isinstance(second, DrillView) and second is not first
        assert scroll.scroll_y == 0
        assert isinstance(app.focused, AnswerInput)
        # from inside the box the footer offers the card's scroll keys, and they work
        keys = [(k.key_display, k.description) for k in screen.query(FooterKey)]
        assert ("PgUp/Dn", "Scroll") in keys
        await pilot.press("pagedown")
        assert scroll.scroll_y > 0 and isinstance(app.focused, AnswerInput)
        await pilot.press("up")
        await pilot.press("pageup")
        assert scroll.scroll_y == 0
