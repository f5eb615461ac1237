"""The one number formatter: how every number reads on every screen, in the CLI, in prompts,
worked solutions and the answer preview.

    fmt(1e-8)        -> "1e−8"        fmt(-0.0123)     -> "−0.0123"
    fmt(50000)       -> "50,000"      fmt(0.1 + 0.2)   -> "0.3"
    fmt(7e10)        -> "7e10"        fmt(1.0999948, 8) -> "1.0999948"
    fmt(12906.25)    -> "12,906.2"

Rules: up to ``sig`` significant digits (6 by default), the Unicode minus sign, plain decimals
for magnitudes in [10⁻⁴, 10⁶), ``1.2e−8`` notation outside it; integers, and whole floats
below 10⁷, written out in full; comma separators in the whole part from 10⁴ on (so 12,906
and 12,906.2 read alike). Every string it prints is read back by
``quizapp.engine.answers.parse`` (``−``, ``1e−8`` and ``50,000`` included), so a value shown
with enough digits can always be typed back.
"""

from __future__ import annotations

from numbers import Integral
from typing import Any

__all__ = ["fmt"]


def fmt(x: Any, sig: int = 6) -> str:
    """``x`` as a learner reads it (see the module docstring); bools and strings as they are."""
    if isinstance(x, bool | str):
        return str(x)
    if isinstance(x, Integral):  # an exact count: every digit, separators from 10⁴ on
        n = int(x)
        return _minus(f"{n:,}" if abs(n) >= 10_000 else str(n))
    try:
        v = float(x)
    except (TypeError, ValueError):
        return str(x)
    if v != v or v in (float("inf"), float("-inf")):
        return _minus(str(v))
    if v == 0:
        return "0"
    a = abs(v)
    if v == int(v) and a < 1e7:
        n = int(v)
        return _minus(f"{n:,}" if a >= 1e4 else str(n))
    if 1e-4 <= a < 1e6:
        s = f"{v:.{sig}g}"
        if "e" in s:  # %g switched to e-notation inside the plain range: write it out
            s = f"{v:.{sig}f}".rstrip("0").rstrip(".")
        if a >= 1e4:  # separators as a whole number of this size has them
            whole, point, frac = s.partition(".")
            s = f"{int(whole):,}{point}{frac}"
        return _minus(s)
    mant, exp = f"{v:.{sig - 1}e}".split("e")
    if "." in mant:
        mant = mant.rstrip("0").rstrip(".")
    return _minus(f"{mant}e{int(exp)}")


def _minus(s: str) -> str:
    return s.replace("-", "−")
