"""How much of a long sweep a run takes: all of it in the full run (CI), a sample by default.

``FULL`` is set by tests/conftest.py's ``pytest_configure`` (the same switch that runs the
``@pytest.mark.slow`` sweeps: CI, QUIZAPP_SLOW=1, --run-slow or ``-m slow``), before any
test module is imported, so a module-level ``@settings(max_examples=examples(800))`` reads it.
"""

from __future__ import annotations

from collections.abc import Iterable

#: Whether this run takes every sweep whole (CI). Set by tests/conftest.py.
FULL = False

#: The share of a hypothesis test's examples that the default run draws.
DEFAULT_SHARE = 4
#: ... and never fewer than this many.
DEFAULT_FLOOR = 10


def examples(full: int) -> int:
    """``max_examples`` for a hypothesis test: ``full`` in the full run (CI), a quarter of it
    (at least 10) by default. Each default run draws new examples (CI's are derandomized),
    so the default runs of a day cover more than one of them."""
    if FULL:
        return full
    return min(full, max(full // DEFAULT_SHARE, DEFAULT_FLOOR))


def sample(values: Iterable[object], every: int = 3, *, ids: Iterable[str] | None = None) -> list:
    """A parametrized sweep split for the default run: the first value and every ``every``-th
    after it run by default, the others carry ``@pytest.mark.slow`` (the full run, CI, takes
    them all). The test ids are those pytest gives the plain list (or ``ids``), so the full
    run collects the same tests as before the split. A tuple value is one parameter (use
    ``pytest.param`` lists by hand for several argnames)."""
    import pytest

    names = list(ids) if ids is not None else None
    out = []
    for n, value in enumerate(values):
        marks = () if n % every == 0 else (pytest.mark.slow,)
        if names is None:
            out.append(pytest.param(value, marks=marks))
        else:
            out.append(pytest.param(value, marks=marks, id=names[n]))
    return out
