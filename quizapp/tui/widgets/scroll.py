"""A scroll area whose keys are the screen's: its own ↑↓ PgUp PgDn (hidden in the footer)
give way to the screen's bindings, which the footer shows (from inside an answer box the
keys reach the scroll area first), and when whether it scrolls changes, the screen's
footer follows (its Scroll key is offered only when there is more to see)."""

from __future__ import annotations

from textual.containers import VerticalScroll

_OWN_KEYS = frozenset({"scroll_up", "scroll_down", "page_up", "page_down"})


class ScreenKeysScroll(VerticalScroll):
    def watch_show_vertical_scrollbar(self) -> None:
        if self.is_attached:
            self.screen.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return action not in _OWN_KEYS
