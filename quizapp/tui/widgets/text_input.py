"""A text box that keeps the keys in the order they were typed.

Textual's :class:`~textual.widgets.Input` inserts a printable key as soon as it arrives, but a
key bound to an action — its own editing keys (backspace, delete, the arrows, home/end …) and the
screen's and app's keys (tab, ctrl+s, ctrl+z, F1 …) — runs only after the key event has bubbled
back up to the app through every ancestor's message queue. When keys arrive in a burst — a fast
typist, a terminal under load, tmux ``send-keys`` — the characters typed *after* such a key are
inserted before its action runs: ``36261`` + backspace + ``9`` read ``3626``, and tab + ``3`` in the
mock form typed the 3 into the box tab was leaving (Textualize/textual#6605, open). For an answer
box that is an answer the learner did not type, so every text box of the app runs the bindings of
a non-printable key here, in order with the characters, through the same binding chain and
``check_action`` the app would use — when the binding is the box's own or only moves the focus
(tab); any other (ctrl+s, F1 …) may rebuild the screen and so stays with the app — and a key that
reaches a box after the focus has left it goes on to where the focus is now.

A removed box also leaves its screen's ``text_selection_started_signal``: Input subscribes to it
on mount and never unsubscribes, and the signal drops removed subscribers only when it is
published (a mouse text selection), so keyboard study kept every answer box of the session alive
— with its render caches, ~0.15 MiB a drill — until the screen closed.
"""

from __future__ import annotations

import contextlib

from textual import events
from textual.dom import NoScreen
from textual.widgets import Input

__all__ = ["InOrderInput"]


#: Actions of the screen or app that only move the focus: safe to run from inside the box
#: (an action that rebuilds the screen would wait on this very box's removal).
FOCUS_ACTIONS = frozenset({"focus_next", "focus_previous"})


class InOrderInput(Input):
    """An :class:`~textual.widgets.Input` whose keys' bindings run in typing order."""

    async def _on_key(self, event: events.Key) -> None:
        screen = self.app.screen
        if screen.focused is not self:
            # The app routed this key here before an earlier key of the burst moved the focus
            # (tab, enter to the next box …): it belongs where the focus is now.
            event.stop()
            event.prevent_default()
            (screen.focused or screen)._forward_event(events.Key(event.key, event.character))
            return
        if not event.is_printable and await self._run_binding(event.key):
            event.stop()
            event.prevent_default()
            return
        await super()._on_key(event)

    def _on_unmount(self) -> None:
        # (Widget's own _on_unmount runs too: Textual calls the handler of every class)
        with contextlib.suppress(NoScreen):  # never mounted on a screen
            self.screen.text_selection_started_signal.unsubscribe(self)

    async def _run_binding(self, key: str) -> bool:
        """Run the binding the app would run for ``key`` — if it is this box's own or only
        moves the focus; False leaves the key to the app, as Textual does."""
        # focused widget first, then its ancestors, the screen and the app (up to a modal)
        for namespace, bindings in self.screen._modal_binding_chain:
            for binding in bindings.key_to_bindings.get(key, ()):
                if binding.priority:
                    continue  # the app ran (or declined) these before the key came here
                action = binding.action.rpartition(".")[2].partition("(")[0]
                if namespace is not self and action not in FOCUS_ACTIONS:
                    return False  # the first binding that applies is the screen's: the app's job
                if await self.app.run_action(binding.action, namespace):
                    return True
        return False
