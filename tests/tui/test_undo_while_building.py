"""usertest5 D1: an undo pressed while the next item's card is still being built (its first
drill, say: keys sent together, as a learner who undoes a mis-rating at once) brings the
previous item back alone; the half-built card stays hidden, and is shown when its item comes."""

from __future__ import annotations

from typing import Any

from textual import events

from quizapp.study.items import DrillView, TrapView
from tests.tui.test_flows import trap_keys
from tests.tui.test_footers import assert_footer_true


def shown_cards(screen: Any) -> list[str]:
    return [card.id for card in screen.query_one("#cards").children if card.display]


async def test_go_on_and_undo_at_once_shows_only_the_item_undone(make_app) -> None:
    app = make_app(review=True)  # a flashcard, the trap, the drill, a flashcard
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await pilot.pause()
        await pilot.press("space", "3")
        await pilot.pause()
        view = screen.session.current
        assert isinstance(view, TrapView)
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
