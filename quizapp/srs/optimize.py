"""FSRS parameters fitted to the learner's own review log (``quizapp optimize``).

The fit is fsrs-rs's (the Rust FSRS that Anki uses) through ``fsrs-rs-python``, an
optional extra: ``pip install 'quizapp[optimize]'``. Without it :func:`require` raises
:class:`OptimizerMissing` whose message is the install line.

Training items are built as Anki builds them: per item, its scheduling answers in order
(cram and free-practice answers are excluded: they never moved the schedule; answers
from before a reset are dropped), and one training item for every answer given at least
one study day after the previous one, holding the history up to and including it. All
kinds are fitted together (see ``docs/srs.md`` for the held-out measurement behind that).
"""

from __future__ import annotations

import math
import types
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from fsrs import Scheduler
from fsrs.scheduler import DEFAULT_PARAMETERS

from quizapp.srs.answers import Review
from quizapp.srs.days import to_ms
from quizapp.srs.store import Store

__all__ = [
    "INSTALL_LINE",
    "MIN_TRAINING_ITEMS",
    "FitResult",
    "Metrics",
    "OptimizeError",
    "OptimizerMissing",
    "TrainingSet",
    "evaluate",
    "fit",
    "optimize",
    "require",
    "training_set",
    "write_parameters",
]

INSTALL_LINE = "pip install 'quizapp[optimize]'   (or: pip install fsrs-rs-python)"
#: Fewer training items than this and the fit is refused (the defaults are then better).
MIN_TRAINING_ITEMS = 400
#: Parameters are written rounded to this many decimals (as Anki shows them).
DECIMALS = 4


class OptimizeError(Exception):
    """The fit was refused; the message says why and what to do."""


class OptimizerMissing(OptimizeError):
    """fsrs-rs-python is not installed."""


def require() -> types.ModuleType:
    """The ``fsrs_rs_python`` module, or :class:`OptimizerMissing` with the install line."""
    try:
        import fsrs_rs_python
    except ImportError:
        raise OptimizerMissing(
            "fitting FSRS to your reviews needs the optional package fsrs-rs-python; "
            f"install it with: {INSTALL_LINE}"
        ) from None
    return fsrs_rs_python


# -------------------------------------------------------------------- training data
@dataclass(frozen=True, slots=True)
class History:
    """One item's scheduling answers: (rating, study day) in order."""

    card_id: int
    item_id: str
    kind: str
    answers: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class TrainingSet:
    """Histories of every item and the training items they give."""

    histories: tuple[History, ...]
    excluded: int = 0  # cram/practice answers and answers from before a reset

    @property
    def reviews(self) -> int:
        return sum(len(h.answers) for h in self.histories)

    @property
    def items(self) -> int:
        """Training items: answers given at least one study day after the previous one."""
        return sum(
            1
            for h in self.histories
            for (_, a), (_, b) in zip(h.answers, h.answers[1:], strict=False)
            if b - a >= 1
        )

    def of_kinds(self, kinds: Iterable[str]) -> TrainingSet:
        wanted = set(kinds)
        return TrainingSet(tuple(h for h in self.histories if h.kind in wanted), self.excluded)

    def split(self, held_out: float, seed: int = 0) -> tuple[TrainingSet, TrainingSet]:
        """(train, test) by item, so no item's history is on both sides."""
        import random

        order = list(self.histories)
        random.Random(seed).shuffle(order)
        n = round(len(order) * held_out)
        return TrainingSet(tuple(order[n:])), TrainingSet(tuple(order[:n]))

    def fsrs_items(self) -> tuple[list[object], list[int]]:
        """fsrs-rs ``FSRSItem``s and the card id of each."""
        rs = require()
        items: list[object] = []
        cards: list[int] = []
        for h in self.histories:
            reviews = []
            prev_day: int | None = None
            for rating, day in h.answers:
                delta = 0 if prev_day is None else day - prev_day
                reviews.append(rs.FSRSReview(rating, delta))
                if prev_day is not None and delta >= 1:
                    items.append(rs.FSRSItem(list(reviews)))
                    cards.append(h.card_id)
                prev_day = day
        return items, cards


def _counts(review: Review) -> bool:
    """Did this answer move the schedule? (cram and free practice never do)."""
    return review.mode != "cram" and not (review.meta or {}).get("practice")


def training_set(store: Store) -> TrainingSet:
    """Every item's scheduling answers from the log (see the module doc for what counts)."""
    states = store.states()
    by_item: dict[str, list[tuple[int, int]]] = {}
    excluded = 0
    starts = {item_id: to_ms(s.first_review) for item_id, s in states.items() if s.first_review}
    for review in store.reviews():
        start = starts.get(review.item_id)
        if not _counts(review) or start is None or to_ms(review.at) < start:
            excluded += 1
            continue
        by_item.setdefault(review.item_id, []).append((int(review.rating), review.day))
    histories = tuple(
        History(states[item_id].card_id or 0, item_id, states[item_id].kind, tuple(answers))
        for item_id, answers in by_item.items()
    )
    return TrainingSet(histories, excluded)


# ---------------------------------------------------------------------- the fit
@dataclass(frozen=True, slots=True)
class Metrics:
    """How well parameters predict recall on a set of training items (lower is better)."""

    log_loss: float
    rmse: float


@dataclass(frozen=True)
class FitResult:
    """Fitted parameters with the fit before (current parameters) and after."""

    parameters: tuple[float, ...]
    before: Metrics
    after: Metrics
    reviews: int
    items: int
    cards: int
    previous: tuple[float, ...] = field(default=tuple(DEFAULT_PARAMETERS))


def evaluate(parameters: Sequence[float], training: TrainingSet) -> Metrics:
    """Log loss and RMSE (binned, as Anki reports it) of ``parameters`` on ``training``."""
    rs = require()
    items, _ = training.fsrs_items()
    if not items:
        raise OptimizeError("no training items to evaluate on")
    result = rs.FSRS(list(parameters)).evaluate(items)
    return Metrics(float(result.log_loss), float(result.rmse_bins))


def _scheduling(training: TrainingSet) -> str:
    """How many answers can train FSRS, out of the "answers in all" stats counts (every
    answer in the log): cram, free practice and answers from before a reset never move a
    schedule, so they are left out."""
    n, total = training.reviews, training.reviews + training.excluded
    if n == total:
        return f"{n} answer{'' if n == 1 else 's'} in all"
    return (
        f"{n} of the {total} answers in all moved a schedule; cram, free practice and "
        "answers from before a reset do not"
    )


def fit(
    training: TrainingSet,
    current: Sequence[float] | None = None,
    *,
    min_items: int = MIN_TRAINING_ITEMS,
) -> FitResult:
    """Fit FSRS-6 to ``training``; refuse (OptimizeError) when there is too little data,
    when fsrs-rs returns the defaults, or when the result does not beat ``current``."""
    rs = require()
    current = tuple(current) if current is not None else tuple(DEFAULT_PARAMETERS)
    n = training.items
    if n < min_items:
        raise OptimizeError(
            f"too few reviews to fit: {n} answers given a day or more after the previous one "
            f"({_scheduling(training)}); at least {min_items} are needed. "
            "Keep reviewing with the defaults and try again later."
        )
    items, cards = training.fsrs_items()
    fitted = rs.FSRS(list(current)).compute_parameters(items, card_ids=cards)
    params = _rounded(fitted)
    if _same(params, DEFAULT_PARAMETERS):
        raise OptimizeError(
            "the fit returned FSRS's default parameters (the data does not pin any of them "
            "down yet); nothing was changed. Try again after more reviews."
        )
    before = evaluate(current, training)
    after = evaluate(params, training)
    if after.log_loss >= before.log_loss:
        raise OptimizeError(
            f"your current parameters already fit your reviews at least as well "
            f"(log loss {before.log_loss:.4f} now vs {after.log_loss:.4f} fitted); "
            "nothing was changed."
        )
    return FitResult(
        parameters=params,
        before=before,
        after=after,
        reviews=training.reviews,
        items=n,
        cards=len(training.histories),
        previous=current,
    )


def optimize(store: Store, current: Sequence[float] | None = None) -> FitResult:
    """The UI-free entry point (the command now, a stats-screen button later)."""
    return fit(training_set(store), current)


def _rounded(values: Sequence[float]) -> tuple[float, ...]:
    params = tuple(round(float(v), DECIMALS) for v in values)
    try:  # py-fsrs schedules with them: they must pass its bounds after rounding
        Scheduler(parameters=params)
    except ValueError:
        lo, hi = _bounds()
        params = tuple(min(max(v, a), b) for v, a, b in zip(params, lo, hi, strict=True))
    return params


def _bounds() -> tuple[tuple[float, ...], tuple[float, ...]]:
    from fsrs.scheduler import LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS

    return tuple(LOWER_BOUNDS_PARAMETERS), tuple(UPPER_BOUNDS_PARAMETERS)


def _same(a: Sequence[float], b: Sequence[float]) -> bool:
    return len(a) == len(b) and all(
        math.isclose(x, y, abs_tol=5e-4) for x, y in zip(a, b, strict=True)
    )


# ------------------------------------------------------------------- config.toml
def write_parameters(path: Path, parameters: Sequence[float]) -> None:
    """Set ``[scheduling] parameters`` in ``path``, keeping every comment and other setting.

    tomlkit edits the document in place (style-preserving); the file is written to a
    temporary name and renamed, so a crash never leaves half a settings file.
    """
    import os

    import tomlkit

    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    doc = tomlkit.parse(text)
    table = doc.get("scheduling")
    if table is None:
        table = tomlkit.table()
        doc["scheduling"] = table
    array = tomlkit.array()
    array.extend(round(float(v), DECIMALS) for v in parameters)
    if "parameters" not in table:
        table.add(tomlkit.comment("fitted to your reviews by `quizapp optimize`"))
    table["parameters"] = array
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(tomlkit.dumps(doc), encoding="utf-8")
    os.replace(tmp, path)
