"""The cyclic garbage collector, paused while a pass builds objects that all stay alive.

Loading a large library, ranking it for the queue or checking it creates a few hundred
thousand objects that live as long as the catalog (or the command); meanwhile the
collector would scan the growing heap again and again for cycles there are none of (at
100k items the collections cost about as much as the work). :func:`paused` holds it off
for the pass; it runs again normally afterwards.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

__all__ = ["paused"]


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """No automatic collection inside the block (nested blocks are fine)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
