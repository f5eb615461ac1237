"""A text box that keeps the keys in the order they were typed.

Textual's :class:`~textual.widgets.Input` inserts a printable key as soon as it arrives, but its
own editing keys (backspace, delete, the arrows, home/end …) are bindings, run only after the key
has travelled back up to the app. When keys arrive in a burst — a fast typist, a paste of keys,
a terminal under load, tmux ``send-keys`` — a backspace then lands *after* characters typed later:
``36261`` + backspace + ``9`` typed quickly reads ``3626`` (Textualize/textual#6605, open). For an
answer box that is a wrong answer the learner did not type, so every text box of the app runs its
own bindings here, in order with the characters. Bindings of the screen and the app (ctrl+s,
ctrl+z, F1 …) are untouched: they still go the usual way.
"""

from __future__ import annotations

from textual import events
from textual.widgets import Input

__all__ = ["InOrderInput"]


class InOrderInput(Input):
    """An :class:`~textual.widgets.Input` whose own key bindings run in typing order."""

    async def _on_key(self, event: events.Key) -> None:
        for binding in self._bindings.key_to_bindings.get(event.key, ()):
            if binding.priority:
                continue  # the app has already run (or declined) these before the key came here
            if await self.app.run_action(binding.action, self):
                event.stop()
                event.prevent_default()
                return
        await super()._on_key(event)
