"""How numbers, times and names read to a learner: on every screen and in the CLI.

Pure functions, no Textual. There is one of each: numbers are the engine's own formatter
(the engine writes prompts and worked solutions with it, so ε reads the same everywhere),
re-exported here as :func:`number`; screens and commands format nothing themselves.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Literal

from quizapp.engine.numfmt import fmt as number

if TYPE_CHECKING:  # screens format without the deck models (no pydantic at start)
    from quizapp.decks.models import DrillItem, Flashcard, Trap

__all__ = [
    "clock_time",
    "compact",
    "signed",
    "countdown",
    "drill_title",
    "due_in",
    "duration",
    "duration_ms",
    "fit",
    "interval",
    "item_title",
    "minutes",
    "mistake_name",
    "mm_ss",
    "number",
    "percent",
    "plural",
    "ratio",
    "right_of_graded",
    "shorten",
    "topic_title",
]

DASH = "—"
_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def compact(value: float, digits: int = 2) -> str:
    """A number in a narrow column (the lab's axes and panels): ``digits`` significant
    digits, ×10ⁿ outside 0.001…10⁴, ∞ for an overflow and "—" for NaN (0.052, 1200,
    2.4×10⁻⁴, −3.1×10⁵). Values a learner types back use :func:`number`."""
    if value != value:
        return DASH
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


# -- shares -----------------------------------------------------------------------------------
def ratio(part: float, whole: float) -> float | None:
    """``part / whole``, or None when there is no whole to divide by."""
    return part / whole if whole else None


def percent(fraction: float | None, *, decimals: int = 0) -> str:
    """A fraction in [0, 1] as ``42%`` (``42.5%`` with ``decimals=1``); None reads ``—``."""
    if fraction is None:
        return DASH
    return f"{100 * fraction:.{decimals}f}%"


def signed(n: int) -> str:
    """A change with its sign, as the app writes numbers: ``+12``, ``−75`` (the Unicode
    minus), ``0``."""
    return ("+" if n > 0 else "") + number(n)


def right_of_graded(correct: int, graded: int) -> str:
    """The one "% right" figure, on home and in stats alike: graded answers only (traps
    and drills; a flashcard is rated by the learner), ``67% right of 6 graded``."""
    if not graded:
        return "no graded answers"
    return f"{percent(ratio(correct, graded))} right of {graded} graded"


def plural(count: int, word: str, many: str | None = None) -> str:
    """``1 item``, ``4 items`` (``many`` for irregular plurals)."""
    return f"{count} {word if count == 1 else many or word + 's'}"


# -- times ------------------------------------------------------------------------------------
def interval(delta: timedelta) -> str:
    """Anki-style short interval: <1m, 10m, 3h, 4d, 2.1mo, 1.3y."""
    seconds = delta.total_seconds()
    if seconds < 60:
        return "<1m"
    minutes_ = seconds / 60
    if minutes_ < 60:
        return f"{round(minutes_)}m"
    hours = minutes_ / 60
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
    minutes_, seconds = divmod(rest, 60)
    if hours:
        return f"{hours}h {minutes_:02d}m"
    if minutes_:
        return f"{minutes_}m {seconds:02d}s"
    return f"{seconds}s"


def duration_ms(ms: int) -> str:
    """:func:`duration` of a number of milliseconds."""
    return duration(timedelta(milliseconds=ms))


def clock_time(moment: datetime, tz: tzinfo | None, *, seconds: bool = False) -> str:
    """``moment`` as the learner's clock shows it — in the zone study days are counted in
    (config ``timezone``; None: the system's) — with the zone's name: 2026-12-03 13:53 IST
    (``seconds``: 2026-12-03 13:53:07 IST, for lists where several fall in one minute)."""
    from quizapp.srs.days import local_time

    shown = "%Y-%m-%d %H:%M:%S %Z" if seconds else "%Y-%m-%d %H:%M %Z"
    return local_time(moment, tz).strftime(shown)


def nothing_today(
    mode: Literal["review", "study"],
    *,
    items: int,
    unseen: int,
    next_due: datetime | None,
    now: datetime,
    new_per_day: int,
    reviews_per_day: int,
) -> str:
    """The notice for a session with nothing to show today, over a scope of ``items``
    (unsuspended, unburied), ``unseen`` of them new: why, and what to do instead."""
    lines = ["Nothing is due." if mode == "review" else "Nothing to study there today."]
    if items == 0:
        lines.append("Every item there is suspended or buried (browse: b).")
    elif next_due is not None and next_due <= now:
        lines.append(f"Today's review limit is reached (reviews_per_day = {reviews_per_day}).")
    elif next_due is not None:
        lines.append(f"The next review is due {due_in(next_due, now)}.")
    if unseen and new_per_day <= 0:
        lines.append(
            f"{plural(unseen, 'new item')} wait: new items are off (new_per_day = 0 in "
            "config.toml)."
        )
    elif unseen:
        lines.append(f"{plural(unseen, 'new item')} left: {new_per_day} a day, more tomorrow.")
    extra = "Try a drill (d) meanwhile"
    if items > unseen:
        extra += ", or go over what you know: quizapp study --cram"
    return " ".join(lines) + " " + extra + "."


def due_in(moment: datetime | None, now: datetime) -> str:
    """When something is due next, relative to ``now``."""
    if moment is None:
        return "nothing scheduled"
    if moment <= now:
        return "now"
    return f"in {interval(moment - now)}"


def countdown(seconds: float) -> str:
    """Time left as ``mm:ss`` (``h:mm:ss`` past an hour), rounded up: 00:00 only at zero."""
    total = max(0, int(seconds + 0.999))
    hours, rest = divmod(total, 3600)
    minutes_, secs = divmod(rest, 60)
    return f"{hours}:{minutes_:02d}:{secs:02d}" if hours else f"{minutes_:02d}:{secs:02d}"


def mm_ss(ms: int) -> str:
    """Time spent on a question, ``m:ss`` to the nearest second."""
    s = round(ms / 1000)
    return f"{s // 60}:{s % 60:02d}"


def minutes(ms: int) -> str:
    """Milliseconds as minutes with one decimal: ``12.5``."""
    return f"{ms / 60_000:.1f}"


# -- names ------------------------------------------------------------------------------------
def mistake_name(mistake: str) -> str:
    """A mistake id as a learner reads it: ``no_bias_correction`` → ``no bias correction``."""
    return mistake.replace("_", " ")


def summary_title(title: str, answered: int, left: int) -> str:
    """The summary's heading: "Review done" when the queue was finished, "Review ended ·
    3 answered, 7 to go" when the learner left with ``left`` items still to show. (Not "3 of
    10": answers and items are different counts — an item in its learning steps is answered
    again — so their sum grew past the deck's size.)"""
    if left <= 0:
        return f"{title} done"
    return f"{title} ended · {answered} answered, {left} to go"


def study_these_title(matched: int, studied: int) -> str:
    """The title of a session on a browser search: it counts the items the session will
    show; the matches it leaves out (suspended or buried, which Anki's filtered deck does
    not pull in either) are said, so the title and the queue's counter agree."""
    left = matched - studied
    if left > 0:  # short enough for the header at 80 columns
        return f"Study · {studied} of {matched} found ({left} suspended or buried)"
    return f"Study · {studied} from the browser"


def topic_title(topic: str) -> str:
    """A topic id as a heading: ``lr-schedules`` → ``lr schedules``."""
    return topic.replace("-", " ").replace("_", " ")


def drill_title(kind: str) -> str:
    """A drill kind as a learner reads it: ``bias-correction`` → ``Adam's bias correction``
    (the engine's title; an unknown kind reads as its id with spaces)."""
    from quizapp.engine import drills

    try:
        return drills.info(kind).title
    except drills.DrillError:
        return topic_title(kind)


def shorten(text: str, limit: int = 160) -> str:
    """``text`` on one line, cut at ``limit`` characters with an ellipsis."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def fit(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters at a word boundary, with an ellipsis (a title
    in a narrow header never ends mid-word)."""
    if len(text) <= width:
        return text
    if width <= 1:
        return "…"[:width]
    cut = text[: width - 1]
    space = cut.rfind(" ")
    if space > 0:
        cut = cut[:space]
    return cut.rstrip(" ·,;:—-") + "…"


def item_title(item: Flashcard | Trap | DrillItem, limit: int = 160) -> str:
    """What an item is called in lists and reports, never its raw id: a flashcard's
    question, a trap's claim, a drill's title."""
    if item.kind == "flashcard":
        text = item.front
    elif item.kind == "trap":
        text = item.claim
    else:
        from quizapp.engine import drills

        text = item.title or drills.info(item.drill).title
    return shorten(text, limit)
