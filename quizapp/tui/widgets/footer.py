"""The footer every quizapp screen uses: Textual's Footer, recomposed only when the keys
it shows actually change.

Two reasons. Speed: the study screen refreshes its bindings after every answer, and a
recompose builds a dozen widgets. Memory: in Textual 8 each recomposed ``FooterKey`` stays
registered as a watcher of ``Footer.compact`` (``data_bind``), and watchers are only
pruned when that reactive changes, which it never does here; a long review session leaked
every footer it ever showed. We prune the watchers of keys that are gone.
"""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer

Signature = tuple[tuple[str, str, str, bool], ...]


class QuizFooter(Footer):
    """A Footer that skips identical recomposes and drops watchers of removed keys."""

    _shown: Signature | None = None

    def _signature(self, screen: Screen) -> Signature:
        return tuple(
            (binding.key, binding.key_display or "", binding.description, enabled)
            for _node, binding, enabled, _tooltip in screen.active_bindings.values()
            if binding.show
        )

    def bindings_changed(self, screen: Screen) -> None:
        signature = self._signature(screen)
        if signature == self._shown:
            return
        self._shown = signature
        super().bindings_changed(screen)

    async def recompose(self) -> None:
        await super().recompose()
        # Textual stores watchers under this literal attribute name (reactive._watch).
        for watchers in getattr(self, "__watchers", {}).values():
            watchers[:] = [(node, callback) for node, callback in watchers if node.is_attached]
