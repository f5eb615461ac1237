"""Keys that change while the terminal has lost focus are shown once it has it back.

Textual's Footer draws nothing while the app is blurred and redraws when focus returns (the
screen refreshes its bindings then). The footer must not count the keys of a blurred change
as shown, or the redraw on focus finds nothing new and the old keys stay."""

from __future__ import annotations

from textual import events

from tests.tui.test_footer_in_place import Dimming, keys


async def test_keys_changed_while_blurred_show_when_focus_returns() -> None:
    app = Dimming()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert [k.description for k in keys(app)] == ["Toggle", "Bee"]
        app.post_message(events.AppBlur())
        await pilot.pause()
        app.action_toggle()  # e.g. a timer's change while the learner is in another window
        await pilot.pause()
        assert not app.app_focus
        app.post_message(events.AppFocus())
        await pilot.pause()
        await pilot.pause()
        shown = keys(app)
        assert [k.description for k in shown] == ["Toggle", "Bee", "Sea"]
        assert shown[1].has_class("-disabled")
