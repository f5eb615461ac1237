"""Every footer says what is true at that moment, whole, at 80 columns: each screen and
pop-up shows its own keys (a pop-up never shows the keys of the screen under it), and every
key its screen offers is readable in the footer's rendered line."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.screen import Screen
from textual.widgets._footer import FooterKey

from quizapp.tui.app import QuizApp
from tests import sampling


def bottom_line(app: QuizApp) -> str:
    """The screen's last line as drawn (the footer's row)."""
    return app.screen._compositor.render_strips()[-1].text


def offered(screen: Screen) -> list[str]:
    """``key description`` of every key the screen's footer should show: one per action
    (the first binding of it, as Footer shows), only the enabled ones a check allows."""
    seen: set[str] = set()
    labels = []
    for _node, binding, enabled, _tip in screen.active_bindings.values():
        if not binding.show or binding.action in seen:
            continue
        seen.add(binding.action)
        if enabled:
            labels.append(f"{screen.app.get_key_display(binding)} {binding.description}")
    return labels


def assert_footer_true(app: QuizApp, where: str) -> str:
    """Every offered key whole in the drawn footer line; the footer is the screen's own."""
    screen = app.screen
    keys = [k for k in screen.query(FooterKey) if not k.has_class("-command-palette")]
    assert keys, f"{where}: no footer of its own ({type(screen).__name__})"
    line = bottom_line(app)
    for label in offered(screen):
        assert label in line, f"{where}: {label!r} not whole in the footer {line!r}"
    return line


# 80 columns is where a footer runs out of room: the default run walks it, the full run (CI)
# walks 120x40 too (the palette key's return at 120 is tested by default below).
SIZES = pytest.mark.parametrize(
    "size",
    [(80, 24), pytest.param((120, 40), marks=pytest.mark.slow)],
    ids=["80x24", "120x40"],
)


async def settle(pilot: Any) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
@SIZES
@pytest.mark.parametrize(
    ("key", "expected"),
    [("d", ["↑↓ Choose", "⏎ Start", "esc Back"]), ("question_mark", ["esc Close"])],
    ids=["drill-picker", "help"],
)
async def test_a_pop_up_shows_its_own_keys_not_home_s(
    make_app: Callable[..., QuizApp], size: tuple[int, int], key: str, expected: list[str]
) -> None:
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press(key)
        await settle(pilot)
        line = assert_footer_true(app, key)
        for label in expected:
            assert label in line, line
        for home_key in ("r Review", "d Drill", "q Quit"):
            assert home_key not in line, line


async def test_the_drill_picker_filters_as_you_type_and_enter_starts_the_first(
    make_app: Callable[..., QuizApp],
) -> None:
    from textual.widgets import OptionList

    from quizapp.engine import drills
    from quizapp.tui.screens.drill_pick import DrillPickScreen

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, DrillPickScreen)
        kinds = app.screen.query_one(OptionList)
        assert kinds.option_count == len(drills.kinds())
        await pilot.press(*"bias correction")
        await settle(pilot)
        shown = [kinds.get_option_at_index(i).id for i in range(kinds.option_count)]
        assert shown and len(shown) < len(drills.kinds())
        for kind in shown:
            info = drills.info(kind)
            text = f"{info.title} {info.description} {info.topic} {kind}".lower()
            assert "bias" in text and "correction" in text
        await pilot.press("down")
        assert kinds.highlighted == min(1, len(shown) - 1)
        await pilot.press(*"zzzz")
        await settle(pilot)
        line = assert_footer_true(app, "no match")
        assert kinds.option_count == 0 and "⏎ Start" not in line and "↑↓" not in line
        await pilot.press("enter")  # nothing to start: the picker stays
        await settle(pilot)
        assert isinstance(app.screen, DrillPickScreen)
        for _ in range(4):
            await pilot.press("backspace")
        await settle(pilot)
        first = kinds.get_option_at_index(0).id
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "StudyScreen"
        assert drills.info(first).title in app.screen.sub_title


def every_pop_up() -> dict[str, Callable[[], Any]]:
    """One of each of quizapp's pop-ups (a new QuizModal must be added here)."""
    from quizapp.srs.errors import StoreError
    from quizapp.tui.screens.drill_pick import DrillPickScreen
    from quizapp.tui.screens.fsrs_tools import OptimizeScreen
    from quizapp.tui.screens.help import HelpScreen
    from quizapp.tui.screens.mock import ConfirmScreen
    from quizapp.tui.screens.store_error import StoreErrorModal

    return {
        "DrillPickScreen": DrillPickScreen,
        "HelpScreen": HelpScreen,
        "ConfirmScreen": lambda: ConfirmScreen("Finish now?"),
        "OptimizeScreen": OptimizeScreen,
        "StoreErrorModal": lambda: StoreErrorModal(StoreError("database is locked", kind="locked")),
    }


@SIZES
async def test_every_pop_up_has_a_footer_of_its_own_keys(
    make_app: Callable[..., QuizApp], size: tuple[int, int]
) -> None:
    from quizapp.tui.screens.modal import QuizModal

    pop_ups = every_pop_up()
    assert {cls.__name__ for cls in QuizModal.__subclasses__()} <= set(pop_ups)
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        for name, make in pop_ups.items():
            await app.push_screen(make())
            await settle(pilot)
            line = assert_footer_true(app, name)
            assert "d Drill" not in line and "l Lab" not in line, f"{name}: {line!r}"
            app.pop_screen()
            await settle(pilot)


async def walk(pilot: Any, keys: list[str], where: str) -> str:
    await pilot.press(*keys)
    await settle(pilot)
    return assert_footer_true(pilot.app, where)


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
@SIZES
async def test_every_screen_s_footer_shows_every_key_whole(
    make_app: Callable[..., QuizApp], size: tuple[int, int]
) -> None:
    """Home, the browser (typing; results with an item suspended, buried and flagged),
    the lab (free play; each guided experiment before and after its answer), stats, the
    mock setup: every key offered is whole in the footer's drawn line. The default run
    walks the first two guided experiments (their footers are the same keys), the full run
    (CI) all six."""
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await walk(pilot, [], "home")
        await walk(pilot, ["s"], "study")
        await walk(pilot, ["space", "space"], "study: answered")  # now learning
        await walk(pilot, ["escape"], "summary")
        await walk(pilot, ["escape"], "home again")
        await walk(pilot, ["b"], "browse: typing")
        line = await walk(pilot, [*"is:learning", "enter"], "browse: results")
        assert "- Bury" in line and "r Reset" in line, line  # the tester's 80 columns
        for key in ("s", "minus", "f"):
            line = await walk(pilot, [key], f"browse: results after {key}")
        assert "s Unsuspend" in line and "- Unbury" in line and "f Unflag" in line, line
        await walk(pilot, ["escape"], "home again")
        await walk(pilot, ["l"], "lab")
        line = await walk(pilot, ["g"], "lab: guided 1")
        for n in range(2, 7 if sampling.FULL else 3):
            await walk(pilot, ["space"], f"lab: guided {n - 1}, answered")
            line = await walk(pilot, ["n"], f"lab: guided {n}")
        await walk(pilot, ["escape"], "lab: free play again")
        await walk(pilot, ["escape"], "home again")
        await walk(pilot, ["t"], "stats")
        await walk(pilot, ["escape", "m"], "mock setup")


# the drill (the most keys) by default before the coverage-guided sample, the others under slow
# (CI): every kind's footer is also checked at 80 columns by default in test_study_keys.py's
# every-state footer test
# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
@SIZES
@pytest.mark.parametrize("kind", sampling.sample(["drill", "flashcard", "trap"]))
async def test_a_study_screen_s_footer_shows_every_key_whole(
    make_app: Callable[..., QuizApp], size: tuple[int, int], kind: str
) -> None:
    app = make_app(kind)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await walk(pilot, [], f"{kind}: asked")
        for key in ("space", "space", "escape"):  # reveal / answer, go on, the summary
            await walk(pilot, [key], f"{kind}: after {key}")


async def test_the_lab_s_footer_counts_the_optimizers_it_holds(
    make_app: Callable[..., QuizApp],
) -> None:
    from quizapp.tui.screens.lab import LabScreen

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        line = await walk(pilot, ["l"], "lab")
        screen = app.screen
        assert isinstance(screen, LabScreen)
        assert f"1–{len(screen.session.state.racers)} On/off" in line, line
        line = await walk(pilot, ["g"], "lab: guided")
        count = len(screen.session.state.racers)
        assert count < 8 and f"1–{count} On/off" in line and "1–8" not in line, line
        before = screen.session.state.racers
        await walk(pilot, [str(count + 1)], "lab: a key past the optimizers")
        assert screen.session.state.racers == before
        notices = [n.message for n in app._notifications]
        assert any(f"1–{count}" in message for message in notices), notices
        await walk(pilot, ["1"], "lab: the first optimizer")
        assert screen.session.state.racers[0].enabled != before[0].enabled


async def test_the_palette_key_gives_way_at_80_columns_and_comes_back_at_120(
    make_app: Callable[..., QuizApp],
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await walk(pilot, ["s", "space", "space", "escape", "escape"], "home, one answered")
        line = await walk(pilot, ["b", *"is:learning", "enter", "s", "minus", "f"], "browse")
        assert "^p palette" in line, line
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        line = assert_footer_true(app, "browse at 80")
        assert "^p palette" not in line and "? Help" in line, line
        await pilot.resize_terminal(120, 40)
        await settle(pilot)
        assert "^p palette" in assert_footer_true(app, "browse at 120 again")
