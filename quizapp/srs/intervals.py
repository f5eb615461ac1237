"""The four answers' next cards, ordered as Anki orders them (rslib/src/scheduler/states).

py-fsrs schedules each rating on its own, so after rounding to whole days Easy can land on
Good's day (a learning card: ``3 Good · 1d  4 Easy · 1d``). Anki constrains the passing
intervals when a card graduates or is reviewed:

* a review card (review.rs, ``passing_fsrs_review_intervals``): Hard ≥ 1 day, Good ≥ Hard + 1,
  Easy ≥ Good + 1, each fuzzed inside its own lower bound;
* a learning or relearning card (learning.rs ``answer_easy``): Easy ≥ Good + 1, Good being
  FSRS's interval for Good's memory state, fuzzed, whether or not Good itself graduates.

Fuzz is Anki's ``with_review_fuzz``: the FSRS fuzz range of the interval, clamped to
[minimum, maximum_interval] (widened by a day when the clamp leaves one day above 2), and a
day in it picked by a fuzz factor seeded by the item and its review count, so the buttons'
labels and the stored interval agree; with load balancing the least-loaded day of that range
(:mod:`quizapp.srs.balance`). Without fuzzing the interval is clamped to its minimum.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from copy import copy
from datetime import datetime, timedelta

from fsrs import Card, Rating, Scheduler, State

from quizapp.srs.balance import fuzz_range

__all__ = ["Load", "constrained_range", "fsrs_interval", "fuzz_factor", "next_cards", "place"]

#: Load balancing's choice: (interval, low, high) -> the interval (days) in [low, high].
Load = Callable[[int, int, int], int]

PASSING = (Rating.Hard, Rating.Good, Rating.Easy)


def constrained_range(interval: int, minimum: int, maximum: int) -> tuple[int, int]:
    """The days fuzz may give ``interval`` when it must be at least ``minimum`` (Anki's
    ``constrained_fuzz_bounds``)."""
    minimum = min(max(minimum, 1), maximum)
    interval = min(max(interval, minimum), maximum)
    low, high = fuzz_range(interval, maximum)
    low, high = min(max(low, minimum), maximum), min(max(high, minimum), maximum)
    if low == high and 2 < high < maximum:
        high = low + 1
    return low, high


def fsrs_interval(fsrs: Scheduler, stability: float) -> int:
    """FSRS's interval (whole days, 1 … maximum_interval) for ``stability`` at the
    scheduler's desired retention. py-fsrs has no public call for it: this is its private
    ``Scheduler._next_interval``, the one ``review_card`` schedules a review with; fsrs is
    pinned in pyproject.toml and tests/unit/test_srs_fsrs_api.py fails, naming it, if a
    release renames it or changes what it returns."""
    return fsrs._next_interval(stability=stability)


def fuzz_factor(seed: str) -> float:
    """The fuzz factor in [0, 1) of ``seed`` (the item and its review count), as Anki's
    ``get_fuzz_factor`` seeds one by the card and its reps."""
    return random.Random(seed).random()


def place(
    interval: int,
    minimum: int,
    maximum: int,
    *,
    factor: float,
    fuzz: bool,
    load: Load | None = None,
) -> int:
    """The days a review interval of ``interval`` gets when it must be at least ``minimum``:
    clamped without fuzz; with fuzz the day of its constrained range that ``factor`` picks
    (Anki's ``with_review_fuzz``), or the one ``load`` picks (load balancing)."""
    if not fuzz:
        return min(max(interval, minimum, 1), maximum)
    low, high = constrained_range(interval, minimum, maximum)
    if load is not None and low < high:
        return load(min(max(interval, low), high), low, high)
    return low + int(factor * (high - low + 1)) if low < high else low


def next_cards(
    fsrs: Scheduler,
    card: Card,
    now: datetime,
    *,
    seed: str,
    fuzz: bool,
    load: Load | None = None,
    rating: Rating | None = None,
) -> dict[Rating, Card]:
    """The card each rating leads to, answered at ``now``. ``fsrs`` must not fuzz (this
    does). ``seed`` names the item and its review count (the fuzz factor's seed); ``load``,
    when given, places a review interval on the least-loaded day of its range: it gets
    (interval, low, high) and returns the chosen interval. With ``rating``, only that
    rating's card is sure to be in the result (and the ones its interval is ordered after:
    an answer, or a replay, needs no more); it is the card all four would give it."""
    wanted: tuple[Rating, ...] = tuple(Rating)
    if rating is not None:
        before = PASSING[: PASSING.index(rating) + 1] if rating in PASSING else ()
        wanted = (rating, *before, *((Rating.Good,) if rating == Rating.Easy else ()))
    out = {r: fsrs.review_card(card, r, now)[0] for r in Rating if r in wanted}
    maximum = fsrs.maximum_interval
    factor = fuzz_factor(seed)

    def days(c: Card) -> int:
        return round((c.due - now) / timedelta(days=1))

    def fuzzed(c: Card, minimum: int) -> int:
        return place(days(c), minimum, maximum, factor=factor, fuzz=fuzz, load=load)

    placed: set[Rating] = set()

    def set_days(r: Rating, n: int) -> None:
        out[r].due = now + timedelta(days=n)
        placed.add(r)

    if card.state == State.Review:
        minimum = 1
        for r in PASSING:
            if r not in out:  # (a prefix was asked for)
                break
            n = fuzzed(out[r], minimum)
            set_days(r, n)
            minimum = n + 1
    elif Rating.Easy in out and out[Rating.Easy].state == State.Review:
        good = out[Rating.Good]
        if good.state == State.Review:
            n = fuzzed(good, 1)
            set_days(Rating.Good, n)
        else:  # Good stays in its steps: FSRS's interval for Good's memory state
            assert good.stability is not None
            probe = copy(good)
            probe.due = now + timedelta(days=fsrs_interval(fsrs, good.stability))
            n = fuzzed(probe, 1)
        set_days(Rating.Easy, fuzzed(out[Rating.Easy], n + 1))
    for r, c in out.items():  # any other answer that schedules a review (no steps)
        if r not in placed and c.state == State.Review:
            set_days(r, fuzzed(c, 1))
    return out
