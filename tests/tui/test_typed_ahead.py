"""A number typed after escape goes into the drill's box after what it holds: the box's focus
selected its text and the next key replaced the first digit ("12" became "2")."""

from __future__ import annotations


async def test_digits_typed_after_escape_all_land_in_the_box(make_app) -> None:
    app = make_app(drill="adam")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        box = app.focused
        assert box is not None and box.has_class("answer-input")
        await pilot.press("escape", "1", "2")
        await pilot.pause()
        assert app.focused is box and box.value == "12"  # type: ignore[attr-defined]
        await pilot.press("escape", "3", ".", "5")  # after what the box holds
        await pilot.pause()
        assert box.value == "123.5"  # type: ignore[attr-defined]


async def _drill_with_working_open(pilot) -> tuple[object, object]:
    """Adam's drill with "Your working" opened from its title (tab, enter): the asked-for
    box θ′ and the first working box m."""
    app = pilot.app
    await pilot.pause()
    asked = app.focused
    await pilot.press("tab", "enter")
    await pilot.pause()
    screen = app.screen
    first_working = screen.query_one("#working").query(".answer-input").first()
    return asked, first_working


async def test_digits_after_escape_continue_the_box_left_not_the_first_empty(make_app) -> None:
    """Tester: with the working panel open, θ′ typed, escape, 56: the 56 went into the empty
    box m (the first empty box shown), not after what θ′ held."""
    app = make_app(drill="adam")
    async with app.run_test(size=(80, 24)) as pilot:
        asked, m = await _drill_with_working_open(pilot)
        await pilot.press("shift+tab", *"0.57008", "escape", "5", "6")
        await pilot.pause()
        assert app.focused is asked
        assert (asked.value, m.value) == ("0.5700856", "")  # type: ignore[attr-defined]
        # the same from a working box: escape, and the digits continue m
        await pilot.press("tab", "tab", "1", "escape", "2")  # title, m
        await pilot.pause()
        assert app.focused is m
        assert (asked.value, m.value) == ("0.5700856", "12")  # type: ignore[attr-defined]
        await pilot.press("escape", "enter", "3")  # enter (Type answer): back into m too
        await pilot.pause()
        assert (asked.value, m.value) == ("0.5700856", "123")  # type: ignore[attr-defined]


async def test_digits_typed_on_a_panel_title_go_into_a_box(make_app) -> None:
    """Tester: tab from the answer box onto "Your working"'s title, then 5: the 5 was lost.
    Closed, the panel shows no box: the digit continues the box the learner left. Open,
    its boxes are right under the title the focus is on: the digit goes into the first."""
    app = make_app(drill="adam")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        asked = app.focused
        await pilot.press("4", "tab", "5")  # onto the closed panel's title
        await pilot.pause()
        assert app.focused is asked and asked.value == "45"  # type: ignore[attr-defined]
        await pilot.press("shift+tab", "6")  # the convention's title, before the box
        await pilot.pause()
        assert app.focused is asked and asked.value == "456"  # type: ignore[attr-defined]
        await pilot.press("tab", "enter", "7")  # the panel opened from its title
        await pilot.pause()
        m = app.screen.query_one("#working").query(".answer-input").first()
        assert app.focused is m
        assert (asked.value, m.value) == ("456", "7")  # type: ignore[attr-defined]


async def test_a_number_typed_in_one_burst_after_escape_lands_whole(make_app) -> None:
    """Tester: after escape, "130" sent at once (fast typing, a paste over ssh) left only
    the 1: the other keys had been routed to the screen before the first one moved the focus
    into the box, and the screen dropped them."""
    from textual import events

    app = make_app(drill="adam")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        box = app.focused
        await pilot.press(*"0.5", "escape")
        await pilot.pause()
        assert app.focused is None
        for key in "70e-3":  # posted together, as a terminal delivers a burst
            app.post_message(events.Key(key if key != "-" else "minus", key))
        for _ in range(3):
            await pilot.pause()
        assert app.focused is box and box.value == "0.570e-3"  # type: ignore[attr-defined]
