"""The footer every quizapp screen uses: Textual's Footer, compact only when its keys
would not fit otherwise, and recomposed only when the keys it shows actually change.

Fit: every key a screen offers must be readable at 80 columns. Textual's roomy style
(a space either side of each key) is kept wherever it fits; when it would not, the footer
switches itself to Textual's compact style, which fits some 20 % more keys.

Speed: the study screen refreshes its bindings after every answer, and a recompose builds
a dozen widgets. Memory: in Textual 8 each recomposed ``FooterKey`` stays registered as a
watcher of ``Footer.compact`` (``data_bind``), and watchers are only pruned when that
reactive changes, which it rarely does here; a long review session leaked every footer it
ever showed. We prune the watchers of keys that are gone.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from quizapp.tui.widgets.render_caches import release_removed_widgets

Signature = tuple[tuple[str, str, str, bool], ...]


class QuizFooter(Footer):
    """A Footer that fits its keys, skips identical recomposes and drops watchers of
    removed keys.

    ``keys_at_compose``: the keys are composed with the footer, from the screen's bindings
    as they are then, instead of by a recompose once the screen reports its bindings
    (Textual's way, a second build and layout of the screen before its first complete
    frame). For a screen whose ``check_action`` already answers while it is being
    composed (the study screen's comes from the session's state)."""

    # Textual's compact style drops a group label's right margin, and a compact key has no
    # left padding, so a group ran into the next key ("↑↓←→ Knobstab Panel").
    DEFAULT_CSS = """
    QuizFooter.-compact FooterLabel {
        margin: 0 1 0 0;
    }
    """

    _shown: Signature | None = None
    _composed: Signature | None = None  # the keys the last compose built

    def __init__(self, *, keys_at_compose: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if keys_at_compose:
            self.set_reactive(Footer._bindings_ready, True)

    def compose(self) -> ComposeResult:
        if self._bindings_ready:
            if self._shown is None:
                # the first compose: what it shows now needs no recompose to show again
                self._shown = self._signature(self.screen)
            # the style the keys fit in is chosen before they exist, at every compose (a
            # footer that got its keys before its first layout had no width to fit them
            # in): the footer spans the app's width (a resize fits it again), and a switch
            # once the keys are there restyles every one of them
            width = self.size.width or self.app.size.width
            self.compact = self.roomy_width(self.screen) > width
            self._composed = self._signature(self.screen)
        for widget in super().compose():
            if isinstance(widget, FooterKey) and "compact" in (widget._reactive_connect or {}):
                # a key bound to the footer's style is made in it: it starts compact, and
                # was restyled at mount and again when its data_bind set it to the footer's
                # roomy style (~10 % of a key press's CPU in a study session). The palette
                # key is not bound: it stays compact.
                widget.set_reactive(FooterKey.compact, self.compact)
                widget.set_class(self.compact, "-compact", update=False)
            yield widget

    def _signature(self, screen: Screen) -> Signature:
        return tuple(
            (binding.key, binding.key_display or "", binding.description, enabled)
            for _node, binding, enabled, _tooltip in screen.active_bindings.values()
            if binding.show
        )

    def roomy_width(self, screen: Screen) -> int:
        """Columns the keys take in the roomy style: `` k `` + ``description `` per action
        (keys of one action show once, as Footer does), and the palette key docked right
        (always drawn compact, ``k description``) with its border and right padding."""
        width = 0
        seen: set[str] = set()
        for _node, binding, _enabled, _tip in screen.active_bindings.values():
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            width += len(self.app.get_key_display(binding)) + 2 + len(binding.description) + 1
        palette = screen.active_bindings.get(self.app.COMMAND_PALETTE_BINDING)
        if palette is not None and self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE:
            binding = palette[1]
            width += len(self.app.get_key_display(binding)) + 1 + len(binding.description) + 2
        return width

    def _fit(self, screen: Screen) -> None:
        if self.size.width:
            self.compact = self.roomy_width(screen) > self.size.width

    def on_resize(self, event: events.Resize) -> None:
        if self.is_attached:
            self._fit(self.screen)

    def bindings_changed(self, screen: Screen) -> None:
        signature = self._signature(screen)
        if signature == self._shown:
            return
        self._shown = signature
        if self.is_attached and screen is self.screen:
            self._fit(screen)
        super().bindings_changed(screen)

    async def recompose(self) -> None:
        # Each change of the keys queues a recompose (after the next refresh); two changes
        # in one key press queue two, and the first one already builds the newest keys.
        if self.is_attached and self._signature(self.screen) == self._composed:
            return
        await super().recompose()
        # Textual stores watchers under this literal attribute name (reactive._watch).
        for watchers in getattr(self, "__watchers", {}).values():
            watchers[:] = [(node, callback) for node, callback in watchers if node.is_attached]
        release_removed_widgets()  # the old keys' rendered lines
