"""How times and numbers read on screen (pure functions, no Textual)."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def interval(delta: timedelta) -> str:
    """Anki-style short interval: <1m, 10m, 3h, 4d, 2.1mo, 1.3y."""
    seconds = delta.total_seconds()
    if seconds < 60:
        return "<1m"
    minutes = seconds / 60
    if minutes < 60:
        return f"{round(minutes)}m"
    hours = minutes / 60
    if hours < 24:
        return f"{round(hours)}h"
    days = hours / 24
    if days < 30:
        return f"{round(days)}d"
    if days < 365:
        return f"{days / 30:.1f}mo".replace(".0mo", "mo")
    return f"{days / 365:.1f}y".replace(".0y", "y")


def duration(delta: timedelta) -> str:
    """Elapsed study time: 45s, 3m 20s, 1h 05m."""
    total = max(0, int(delta.total_seconds()))
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"{hours}h {minutes:02d}m"
    if minutes:
        return f"{minutes}m {seconds:02d}s"
    return f"{seconds}s"


def due_in(moment: datetime | None, now: datetime) -> str:
    """When something is due next, relative to ``now``."""
    if moment is None:
        return "nothing scheduled"
    if moment <= now:
        return "now"
    return f"in {interval(moment - now)}"


def number(value: float | int | bool | str) -> str:
    """A given value or result as a learner reads it: Unicode minus, up to 6 significant digits."""
    if isinstance(value, bool | str):
        return str(value)
    if isinstance(value, int):
        return (
            f"{value:,}".replace(",", " ").replace("-", "−")
            if abs(value) >= 10_000
            else str(value).replace("-", "−")
        )
    if value == 0:
        return "0"
    magnitude = abs(value)
    if 1e-4 <= magnitude < 1e6:
        text = f"{value:.6g}"
    else:
        mantissa, exponent = f"{value:.4e}".split("e")
        mantissa = mantissa.rstrip("0").rstrip(".")
        text = f"{mantissa}×10{str(int(exponent)).translate(_SUPERSCRIPT)}"
    return text.replace("-", "−")


def compact(value: float, digits: int = 2) -> str:
    """A number in a narrow column: ``digits`` significant digits, ×10ⁿ outside 0.001…10⁴,
    ∞ for an overflow and "—" for NaN (0.052, 1200, 2.4×10⁻⁴, −3.1×10⁵)."""
    if value != value:
        return "—"
    if value in (float("inf"), float("-inf")):
        return "∞" if value > 0 else "−∞"
    if value == 0:
        return "0"
    rounded = float(f"{value:.{digits}g}")
    if 1e-3 <= abs(rounded) < 1e4:
        decimals = max(0, digits - 1 - math.floor(math.log10(abs(rounded))))
        text = f"{rounded:.{decimals}f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        return text.replace("-", "−")
    mantissa, exponent = f"{value:.{digits - 1}e}".split("e")
    mantissa = mantissa.rstrip("0").rstrip(".") if "." in mantissa else mantissa
    return f"{mantissa}×10{str(int(exponent)).translate(_SUPERSCRIPT)}".replace("-", "−")


def percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "—"
