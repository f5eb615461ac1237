"""usertest5 D1: an undo pressed while the next item's card is still being built (its first
drill, say: keys sent together, as a learner who undoes a mis-rating at once) brings the
previous item back alone; the half-built card stays hidden, and is shown when its item comes."""

from __future__ import annotations

from typing import Any

import pytest
from textual import events

from quizapp.study.items import DrillView, TrapView
from tests.tui.test_flows import trap_keys
from tests.tui.test_footers import assert_footer_true


def shown_cards(screen: Any) -> list[str]:
    return [card.id for card in screen.query(".card") if card.display]


async def to_the_trap(pilot: Any) -> TrapView:
    """From the review's first flashcard (rated Good) to the trap after it, unanswered."""
    await pilot.pause()
    await pilot.press("space", "3")
    await pilot.pause()
    view = pilot.app.screen.session.current
    assert isinstance(view, TrapView)
    return view


async def test_go_on_and_undo_at_once_shows_only_the_item_undone(make_app) -> None:
    app = make_app(review=True)  # a flashcard, the trap, the drill, a flashcard
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        view = await to_the_trap(pilot)
        await pilot.press(trap_keys(view)[0])
        await pilot.pause()
        assert not screen.query("#drill")  # the drill's card is not built yet
        # both keys reach the app before it has built the drill's card
        app.post_message(events.Key("enter", "\r"))
        app.post_message(events.Key("u", "u"))
        for _ in range(3):
            await pilot.pause()
        assert isinstance(screen.session.current, TrapView)
        assert screen.query("#drill")  # built meanwhile, and hidden
        assert shown_cards(screen) == ["trap"]
        assert app.focused is None
        footer = assert_footer_true(app, "the trap, back")
        assert "Submit" not in footer
        # answered again, the drill comes with its own card, its box focused
        await pilot.press(trap_keys(view)[0])
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(screen.session.current, DrillView)
        assert shown_cards(screen) == ["drill"]
        assert app.focused is not None and app.focused.has_class("answer-input")
        assert "Submit" in assert_footer_true(app, "the drill")


def assert_coherent(app: Any, where: str) -> None:
    """Only the current item's card is shown, and the focus is in its answer box exactly
    when it is a drill waiting for an answer (a hidden box never has it)."""
    screen = app.screen
    view = screen.session.current
    assert shown_cards(screen) == [view.kind], where
    waiting = isinstance(view, DrillView) and screen.state.outcome is None
    focused = app.focused
    if waiting:
        assert focused is not None and focused.has_class("answer-input"), where
    else:
        assert focused is None, f"{where}: {focused!r}"
    assert_footer_true(app, where)


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
@pytest.mark.parametrize(
    "burst",
    [
        ["enter", "u"],
        ["enter", "space", "3", "space", "3", "u", "u"],
        ["enter", "ctrl+z", "space", "3", "ctrl+z", "u", "ctrl+z"],
    ],
)
async def test_bursts_with_undo_leave_one_card_and_its_focus(make_app, burst: list[str]) -> None:
    """The drill's card built once already: its box asked for the focus when it came, and
    a queued undo switched it away before that focus landed (it stayed in the hidden box,
    with the box's keys in the footer)."""
    app = make_app(review=True)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        view = await to_the_trap(pilot)
        await pilot.press(trap_keys(view)[0], "enter")
        await pilot.pause()
        assert isinstance(screen.session.current, DrillView)
        await pilot.press("ctrl+z")  # undo from the box: the trap again, the drill's card built
        await pilot.pause()
        await pilot.press(trap_keys(view)[0])
        await pilot.pause()
        characters = {"enter": "\r", "space": " ", "ctrl+z": None}
        for key in burst:
            app.post_message(events.Key(key, characters.get(key, key)))
        for _ in range(4):
            await pilot.pause()
        assert_coherent(app, " ".join(burst))
