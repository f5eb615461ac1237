"""The one number formatter: how numbers read, and that every string it prints parses back."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizapp.engine.answers import parse
from quizapp.engine.drills import base
from quizapp.engine.numfmt import fmt


@pytest.mark.parametrize(
    ("value", "sig", "shown"),
    [
        (1e-8, 6, "1e−8"),
        (1.5e-8, 6, "1.5e−8"),
        (-0.0123, 6, "−0.0123"),
        (0.1 + 0.2, 6, "0.3"),
        (50_000, 6, "50,000"),
        (50_000.0, 6, "50,000"),
        (1234, 6, "1234"),
        (1234.5, 6, "1234.5"),
        # usertest8: "413,000/32 = 12906.2" beside "= 12,906": the whole part of a decimal
        # has its separators as a whole number of that size does
        (12_906.25, 6, "12,906.2"),
        (12_906.25, 9, "12,906.25"),
        (-55_555.5556, 6, "−55,555.6"),
        (500_000.00000000006, 6, "500,000"),
        (999_999.5, 7, "999,999.5"),
        (-1_234_567, 6, "−1,234,567"),
        (7e10, 6, "7e10"),
        (12_345_678.0, 6, "1.23457e7"),
        (12_345_678.0, 8, "1.2345678e7"),
        (1.0999948, 6, "1.09999"),
        (1.0999948, 8, "1.0999948"),
        (0.0, 6, "0"),
        (-0.0, 6, "0"),
        (0.00012345678, 6, "0.000123457"),
        (np.float64(0.25), 6, "0.25"),
        (np.int64(20_000), 6, "20,000"),
        (True, 6, "True"),
        ("adam", 6, "adam"),
    ],
)
def test_how_numbers_read(value: object, sig: int, shown: str) -> None:
    assert fmt(value, sig) == shown


def test_drills_base_fmt_is_the_one_formatter() -> None:
    assert base.fmt is fmt


@settings(max_examples=500, deadline=None)
@given(
    st.floats(min_value=-1e15, max_value=1e15, allow_nan=False, allow_infinity=False),
    st.integers(min_value=1, max_value=17),
)
def test_every_printed_number_parses_back_to_its_rounding(x: float, sig: int) -> None:
    text = fmt(x, sig)
    back = parse(text)
    # the printed value is x rounded to sig significant digits (whole numbers below 10⁷ in full)
    assert back == pytest.approx(x, rel=10.0 ** (1 - sig), abs=1e-300)
    assert math.isfinite(back)


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(
    st.floats(min_value=1e-300, max_value=1e300) | st.floats(min_value=-1e300, max_value=-1e-300)
)
def test_seventeen_digits_round_trip_exactly(x: float) -> None:
    assert parse(fmt(x, 17)) == x
