"""drills.base.fmt: the memoised and direct fast paths print exactly what the general path
prints, for every precision."""

from __future__ import annotations

from typing import Any

import numpy as np

from quizapp.engine.drills import base


def _reference(x: Any, sig: int = 6) -> str:
    """fmt as first written (no memo, no e-notation shortcut)."""
    if x.__class__ is float and sig == 6:
        s = f"{x:.6g}"
        if "e" not in s and (len(s) < 5 or "." in s) and s != "0" and s != "-0":
            return "−" + s[1:] if s[0] == "-" else s
    if isinstance(x, bool | str):
        return str(x)
    if isinstance(x, int | np.integer):
        return f"{int(x):,}".replace("-", "−")
    v = float(x)
    if v == 0:
        return "0"
    if v == int(v) and abs(v) < 1e7:
        return f"{int(v):,}".replace("-", "−") if abs(v) >= 1e4 else str(int(v)).replace("-", "−")
    a = abs(v)
    if 1e-4 <= a < 1e6:
        s = f"{v:.{sig}g}"
        if "e" in s:
            s = f"{v:.{sig}f}".rstrip("0").rstrip(".")
    else:
        mant, exp = f"{v:.{sig - 1}e}".split("e")
        mant = mant.rstrip("0").rstrip(".") if "." in mant else mant
        s = f"{mant}e{int(exp)}"
    return s.replace("-", "−")


def test_fmt_equals_the_general_path() -> None:
    rng = np.random.default_rng(0)
    n = 40_000
    vals = (10 ** rng.uniform(-320, 300, n) * rng.choice([-1, 1], n)).tolist()
    vals += [float(f"{v:.2g}") for v in (10 ** rng.uniform(-12, 3, n)).tolist()]
    edge = np.nextafter(1e-4, 0) * (1 - np.arange(0, 1e-5, 1e-8))
    vals += edge.tolist() + (-edge).tolist()
    vals += [9.9999949e-5, 9.9999951e-5, 1e-4, -1e-4, 5e-324, 1e-5, 0.0, -0.0, 2e6, 1e7, 1e300]
    vals += [float("nan"), float("inf"), float("-inf")]
    for v in vals:
        assert base.fmt(v) == _reference(v), v
        assert base.fmt(v) == _reference(v), v  # memoised
    for v in (1, -3, 12345, True, "x", np.int64(4), np.float64(1e-7), 1e-7, 0.5):
        for sig in (3, 6):
            assert base.fmt(v, sig) == _reference(v, sig), (v, sig)


def test_fmt_other_precisions_equal_the_general_path() -> None:
    rng = np.random.default_rng(1)
    n = 4000
    vals = (10 ** rng.uniform(-8, 9, n) * rng.choice([-1, 1], n)).tolist()
    vals += np.round(10 ** rng.uniform(0, 8, n)).tolist()
    edge = np.nextafter(1e-4, 0) * (1 - np.arange(0, 1e-3, 1e-6))
    vals += edge.tolist() + (-edge).tolist()
    vals += [999999.5, 999999.4999, 1e6, -1e6, 999999.0, 1234567.5, 99999.5, 9999.5, 1e-4]
    vals += [5e-5, 0.0, -0.0]
    for sig in range(1, 13):
        for v in vals:
            assert base.fmt(v, sig) == _reference(v, sig), (v, sig)
