"""The cyclic garbage collector, paused while a pass builds objects that all stay alive.

Loading a large library, ranking it for the queue or checking it creates a few hundred
thousand objects that live as long as the catalog (or the command); meanwhile the
collector would scan the growing heap again and again for cycles there are none of (at
100k items the collections cost about as much as the work). :func:`paused` holds it off
for the pass; it runs again normally afterwards.

While the app runs, :func:`hold_full_collections` keeps the collector's full
collections (the whole heap built since start-up: tens of milliseconds with a study
screen's widgets) for the moments the learner reads (:func:`collect_if_due`), where
CPython would start one at whatever allocation crosses its threshold, between a key
press and the next card among them.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

__all__ = ["collect_if_due", "hold_full_collections", "kept", "paused"]

#: CPython's default: a full collection is due after 10 collections of the middle generation
FULL_EVERY = 10
#: ... and, while the app holds them for idle moments, the collector starts one itself only
#: after this many (a backstop for a busy stretch with no pause)
HELD_FULL_EVERY = 30


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


@contextlib.contextmanager
def kept() -> Iterator[None]:
    """:func:`paused`, then every object there is (what the block built among them) is
    moved out of the collector's sight for good (``gc.freeze``): for a block that builds
    what lives as long as the process, such as the modules the app imports. Else each
    collection until the app freezes the heap itself (:class:`quizapp.tui.app.QuizApp`)
    scans them again."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()  # before the collector runs again: the first allocation would start it
        if was_enabled:
            gc.enable()


def hold_full_collections() -> tuple[int, int, int]:
    """Let automatic full collections wait (see :data:`HELD_FULL_EVERY`); the caller runs
    :func:`collect_if_due` when idle. Returns the thresholds to restore afterwards."""
    before = gc.get_threshold()
    gc.set_threshold(before[0], before[1], max(before[2], HELD_FULL_EVERY))
    return before


def collect_if_due() -> bool:
    """A full collection now if CPython's own rule would have started one by now (at least
    :data:`FULL_EVERY` middle collections since the last); returns whether it ran."""
    if not gc.isenabled() or gc.get_count()[2] < FULL_EVERY:
        return False
    gc.collect()
    return True
