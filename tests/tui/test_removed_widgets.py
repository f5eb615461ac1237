"""Removed widgets are freed with their rendered lines: nothing of ours keeps them, and the
Textual memo that keeps their lines (StylesCache.get_inner_outer) is released."""

from __future__ import annotations

import gc
import weakref

from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from quizapp.tui.widgets.render_caches import release_removed_widgets
from quizapp.tui.widgets.text_input import InOrderInput


class _Boxes(App[None]):
    def compose(self) -> ComposeResult:
        yield Vertical(id="box")


async def _mount_paint_remove(app: App[None], pilot, widget) -> tuple[weakref.ref, weakref.ref]:
    """Mount ``widget`` in a row, paint it, remove the row (as a card removes its answer
    rows, then shows the next item's); weak references to the widget and to its rendered
    lines (its StylesCache)."""
    box = app.query_one("#box")
    row = Vertical(widget)
    await box.mount(row)
    await pilot.pause()  # painted: its lines are in its StylesCache
    refs = weakref.ref(widget), weakref.ref(widget._styles_cache)
    assert refs[1]()._cache  # its lines are cached
    await row.remove()
    # the next item: the box lists its children again (until then Textual's cache of the
    # displayed children still names the removed row)
    await box.mount(Static("next"))
    await pilot.pause()
    return refs


async def test_removed_widget_is_freed_once_the_memo_is_released() -> None:
    app = _Boxes()
    async with app.run_test(size=(40, 10)) as pilot:
        widget, lines = await _mount_paint_remove(app, pilot, Static("What does Adam stand for?"))
        gc.collect()
        assert widget() is None
        release_removed_widgets()
        gc.collect()
        assert lines() is None


async def test_removed_text_box_leaves_the_selection_signal() -> None:
    app = _Boxes()
    async with app.run_test(size=(40, 10)) as pilot:
        box = InOrderInput("1")
        screen = app.screen
        widget, lines = await _mount_paint_remove(app, pilot, box)
        del box
        # no publish since (no mouse selection): the signal would still hold it otherwise
        assert widget() not in list(screen.text_selection_started_signal._subscriptions)
        release_removed_widgets()
        gc.collect()
        assert widget() is None
        assert lines() is None
