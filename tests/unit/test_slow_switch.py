"""The switch between the default run and the full run (tests/conftest.py): ``-m`` is read
with pytest's own grammar, so ``-m "not slow"`` stays the default run."""

from __future__ import annotations

import pytest

from tests.conftest import _selects_slow


@pytest.mark.parametrize(
    ("markexpr", "full"),
    [
        ("", False),
        ("slow", True),
        ("slow or not slow", True),
        ("slow and not torch", True),
        ("not slow", False),
        ("torch and not slow", False),
        ("torch", False),
    ],
)
def test_marker_expression_selects_the_slow_sweeps(markexpr: str, full: bool) -> None:
    assert _selects_slow(markexpr) is full
