"""Let go of the rendered lines of widgets that are gone.

Textual 8.2's ``StylesCache.get_inner_outer`` (``textual/_styles_cache.py``) is a method under
``functools.lru_cache(1024)`` without ``@classmethod``, so each entry's key holds the widget's
``StylesCache`` — and with it every line that widget last rendered (strips, segments, their
crop and style caches). A removed widget stays alive that way until 1,024 newer entries push
it out. The study cards rebuild their answer rows, trap choices and footer keys for every
item, so a 100-answer review kept some 900 dead widgets' lines (~10 MiB of peak RSS). The
cache only memoises two ``Style`` objects per colour pair, so emptying it when a screen
removes widgets costs a few microseconds on the next paint and changes nothing on screen.
"""

from __future__ import annotations

__all__ = ["release_removed_widgets"]


def release_removed_widgets() -> None:
    """Drop Textual's memo that keeps removed widgets' rendered lines alive (a no-op when a
    Textual version no longer has it)."""
    try:
        from textual._styles_cache import StylesCache
    except ImportError:  # pragma: no cover - a Textual without the private module
        return
    clear = getattr(getattr(StylesCache, "get_inner_outer", None), "cache_clear", None)
    if clear is not None:
        clear()
