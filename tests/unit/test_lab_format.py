"""The narrow number format of the lab's legend and knobs."""

from __future__ import annotations

import pytest

from quizapp.study.format import compact


@pytest.mark.parametrize(
    ("value", "digits", "text"),
    [
        (0.052, 2, "0.052"),
        (12.0, 2, "12"),
        (1234.5, 2, "1200"),
        (1234.5, 3, "1230"),
        (9999.6, 2, "1×10⁴"),
        (99.96, 2, "100"),
        (2.4e-4, 2, "2.4×10⁻⁴"),
        (0.000999, 2, "0.001"),
        (-3.1e5, 2, "−3.1×10⁵"),
        (1e-300, 2, "1×10⁻³⁰⁰"),
        (1.0, 3, "1"),
        (-0.5, 2, "−0.5"),
        (0.0, 2, "0"),
        (float("inf"), 2, "∞"),
        (float("-inf"), 2, "−∞"),
        (float("nan"), 2, "—"),
    ],
)
def test_compact(value: float, digits: int, text: str) -> None:
    assert compact(value, digits) == text
