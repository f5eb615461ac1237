"""The footer every quizapp screen uses: Textual's Footer, compact only when its keys
would not fit otherwise, and recomposed only when the keys it shows actually change.

Fit: every key a screen offers must be readable at 80 columns. Textual's roomy style
(a space either side of each key) is kept wherever it fits; when it would not, the footer
switches itself to Textual's compact style, which fits some 20 % more keys. When even the
compact keys would not fit beside the command palette's key, that key is left out (ctrl+p
still opens the palette; the help lists it under "Everywhere"): the screen's own keys first.

Speed: the study screen refreshes its bindings after every answer, and a recompose builds
a dozen widgets. Memory: in Textual 8 each recomposed ``FooterKey`` stays registered as a
watcher of ``Footer.compact`` (``data_bind``), and watchers are only pruned when that
reactive changes, which it rarely does here; a long review session leaked every footer it
ever showed. We prune the watchers of keys that are gone.

In place: when the keys are a plain row (no key groups) and the palette's key neither comes
nor goes, the recompose a change of the keys queues updates the ``FooterKey`` widgets already
there (key, label, dimmed state, tooltip), mounts only the keys added at the end and removes
only those gone, instead of building a dozen widgets per key press. A key that is updated
draws as one built from the same binding would. It still runs after the next refresh, as
Textual's recompose does: done at once, with the change, the footer's relayout and repaint
went into the frame that shows the next card and delayed it (~4 ms at p50, 120x40).
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import groupby
from typing import Any, NamedTuple

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from quizapp.tui.widgets.render_caches import release_removed_widgets

Signature = tuple[tuple[str, str, str, bool], ...]


class KeySpec(NamedTuple):
    """What a ``FooterKey`` is built from (``Footer.compose``'s arguments)."""

    key: str
    key_display: str
    description: str
    action: str
    disabled: bool
    tooltip: str


class QuizFooter(Footer):
    """A Footer that fits its keys, updates them in place where it can, skips identical
    recomposes and drops watchers of removed keys.

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
    _palette_shown: bool = True  # whether the last compose showed the palette's key

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
            self.compact = self.roomy_width(self.screen) > self._width
            self._composed = self._signature(self.screen)
        self._palette_shown = self.palette_fits(self.screen, self._width)
        for widget in super().compose():
            if widget.has_class("-command-palette") and not self._palette_shown:
                continue
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

    @property
    def _width(self) -> int:
        """The footer's width, or the app's before its first layout (it spans the app)."""
        return self.size.width or self.app.size.width

    def _keys(self, screen: Screen) -> list[Binding]:
        """The bindings the footer shows, one per action (the first), as Footer does."""
        first: dict[str, Binding] = {}
        for _node, binding, _enabled, _tip in screen.active_bindings.values():
            if binding.show:
                first.setdefault(binding.action, binding)
        return list(first.values())

    def key_for(self, screen: Screen, action: str) -> str | None:
        """The key the footer shows for ``action`` now (None when it shows none), so a
        message can name the key the learner sees."""
        for binding in self._keys(screen):
            if binding.action == action:
                return self.app.get_key_display(binding)
        return None

    def _palette(self, screen: Screen) -> Binding | None:
        """The command palette's binding when the footer would show its key."""
        palette = screen.active_bindings.get(self.app.COMMAND_PALETTE_BINDING)
        if palette is None or not (self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE):
            return None
        return palette[1]

    def roomy_width(self, screen: Screen) -> int:
        """Columns the keys take in the roomy style: `` k `` + ``description `` per action
        (keys of one action show once, as Footer does), and the palette key docked right
        (always drawn compact, ``k description``) with its border and right padding."""
        display = self.app.get_key_display
        width = sum(len(display(b)) + 2 + len(b.description) + 1 for b in self._keys(screen))
        palette = self._palette(screen)
        if palette is not None:
            width += len(display(palette)) + 1 + len(palette.description) + 2
        return width

    def palette_fits(self, screen: Screen, width: int) -> bool:
        """Whether the keys in the compact style and the palette's key fit in ``width``
        columns (Textual's compact footer: ``k description`` and a column after each key; a
        group of keys ``␣kk… description␣``; the palette key ``▏k description``)."""
        palette = self._palette(screen)
        if palette is None:
            return True
        display = self.app.get_key_display
        used = 0
        for group, members in groupby(self._keys(screen), lambda binding: binding.group):
            bindings = list(members)
            if group is not None and len(bindings) > 1:
                used += 3 + sum(len(display(b)) for b in bindings) + len(group.description)
            else:
                used += sum(len(display(b)) + 2 + len(b.description) for b in bindings)
        return used + len(display(palette)) + 2 + len(palette.description) <= width

    def _fit(self, screen: Screen) -> None:
        if self.size.width:
            self.compact = self.roomy_width(screen) > self.size.width
            if self.palette_fits(screen, self.size.width) != self._palette_shown:
                self.call_later(self.recompose)  # the palette's key comes or goes

    def on_resize(self, event: events.Resize) -> None:
        if self.is_attached:
            self._fit(self.screen)

    def bindings_changed(self, screen: Screen) -> None:
        if not screen.app.app_focus:
            # Footer draws nothing while the terminal is blurred, and redraws when focus
            # returns: these keys are not shown yet, so they are not recorded as shown
            super().bindings_changed(screen)
            return
        signature = self._signature(screen)
        if signature == self._shown:
            return
        self._shown = signature
        if self.is_attached and screen is self.screen:
            self._fit(screen)
        super().bindings_changed(screen)

    def _key_specs(self, screen: Screen) -> list[KeySpec] | None:
        """The keys ``Footer.compose`` would build now, in order (the first binding of each
        action), or None when a key group would be built (those are recomposed)."""
        first: dict[str, tuple[Binding, bool, str]] = {}
        for _node, binding, enabled, tooltip in screen.active_bindings.values():
            if binding.show:
                if binding.group is not None:
                    return None
                first.setdefault(binding.action, (binding, enabled, tooltip))
        display = self.app.get_key_display
        return [
            KeySpec(b.key, display(b), b.description, b.action, not enabled, tooltip)
            for b, enabled, tooltip in first.values()
        ]

    def _palette_spec(self, screen: Screen) -> KeySpec | None:
        """The palette's key as ``Footer.compose`` builds it, when this footer shows it."""
        if not self._palette_shown or self._palette(screen) is None:
            return None
        _node, binding, enabled, _tooltip = screen.active_bindings[self.app.COMMAND_PALETTE_BINDING]
        return KeySpec(
            binding.key,
            self.app.get_key_display(binding),
            binding.description,
            binding.action,
            not enabled,
            binding.tooltip or binding.description,
        )

    def _update_in_place(self, screen: Screen, signature: Signature) -> bool:
        """Show the screen's keys by updating the keys there (see the module's note); False
        when the footer must be recomposed instead (key groups, or the palette's key comes or
        goes)."""
        specs = self._key_specs(screen)
        if specs is None or self.palette_fits(screen, self._width) != self._palette_shown:
            return False
        children = list(self.children)
        palette_key = None
        if children and children[-1].has_class("-command-palette"):
            palette_key = children.pop()
        palette = self._palette_spec(screen)
        if (palette is None) != (palette_key is None) or not all(
            type(key) is FooterKey and not key.has_class("-grouped") for key in children
        ):
            return False
        # as compose does: the style the keys fit in, chosen before the keys change
        self.compact = self.roomy_width(screen) > self._width
        self.styles.grid_size_columns = len(specs)
        keys: list[FooterKey] = children  # type: ignore[assignment]
        for key, spec in zip(keys, specs, strict=False):
            _update_key(key, spec)
        if palette_key is not None and palette is not None:
            assert isinstance(palette_key, FooterKey)
            _update_key(palette_key, palette)
        gone = keys[len(specs) :]
        if gone:
            gone_ids = {id(key) for key in gone}
            self._drop_watchers(lambda node: id(node) in gone_ids)
            self.remove_children(gone)
        if len(specs) > len(keys):
            with self._context():  # data_bind binds to the footer as the composing node
                new = [self._new_key(spec) for spec in specs[len(keys) :]]
            if palette_key is not None:
                self.mount(*new, before=palette_key)
            else:
                self.mount(*new)
        self._composed = signature
        return True

    def _new_key(self, spec: KeySpec) -> FooterKey:
        """A key as ``compose`` makes one (bound to the footer's style, made in it)."""
        key = FooterKey(
            spec.key,
            spec.key_display,
            spec.description,
            spec.action,
            disabled=spec.disabled,
            tooltip=spec.tooltip,
        ).data_bind(compact=Footer.compact)
        key.set_reactive(FooterKey.compact, self.compact)
        key.set_class(self.compact, "-compact", update=False)
        return key

    async def recompose(self) -> None:
        # Each change of the keys queues a recompose (after the next refresh); two changes
        # in one key press queue two, and the first one already builds the newest keys.
        if (
            self.is_attached
            and self._signature(self.screen) == self._composed
            and self.palette_fits(self.screen, self._width) == self._palette_shown
        ):
            return
        if (
            self.is_attached
            and self._composed is not None
            and self._update_in_place(self.screen, self._signature(self.screen))
        ):
            return
        await super().recompose()
        self._drop_watchers(lambda node: not node.is_attached)
        release_removed_widgets()  # the old keys' rendered lines

    def _drop_watchers(self, gone: Callable[[Any], bool]) -> None:
        """Forget the watchers (of ``compact``) registered by the keys ``gone`` picks (see the
        module's note). Textual stores them under this literal attribute name
        (reactive._watch)."""
        for watchers in getattr(self, "__watchers", {}).values():
            watchers[:] = [(node, callback) for node, callback in watchers if not gone(node)]


def _update_key(key: FooterKey, spec: KeySpec) -> None:
    """Make ``key`` what ``FooterKey(*spec)`` would be: its key, label, dimmed state
    (``-disabled``) and tooltip; a new label is laid out again (its width is ``auto``)."""
    if (key.key_display, key.description) != (spec.key_display, spec.description):
        key.key_display, key.description = spec.key_display, spec.description
        key.refresh(layout=True)
    key.key, key.action = spec.key, spec.action
    if key._disabled != spec.disabled:
        key._disabled = spec.disabled
        key.set_class(spec.disabled, "-disabled")
    tooltip = spec.tooltip or None
    if key.tooltip != tooltip:
        key.tooltip = tooltip
