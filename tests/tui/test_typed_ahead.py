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
