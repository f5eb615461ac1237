"""The desired-retention helper (``quizapp retention``): the workload each desired
retention costs over the next year, from fsrs-rs's simulator (``fsrs-rs-python``, the
optional ``quizapp[optimize]`` extra), with the package's optimal retention.

The simulator is set up as this learner's collection: as many items as the catalog
holds, the daily new/review limits, maximum interval, learning and relearning steps and
leech threshold from the settings, the learner's parameters (fitted or not), and — when
the log holds enough answers — the learner's own first-rating and review-rating
frequencies and seconds per answer. ``fsrs-rs-python`` 0.9's ``simulate`` cannot start
from existing cards (fsrs-rs can; the binding passes none), so each row simulates the
collection from today as if unseen; the optimal retention is computed by
``optimal_retention`` *with* the learner's current cards.

Every row averages the same simulations (common random numbers: seeds ``seed`` …
``seed + n − 1`` for every retention), ``n`` chosen so that each row simulates about
:data:`CARD_YEARS` item-years (at most :data:`MAX_SEEDS` runs): one run of a few hundred
items is noisier than the step between neighbouring rows (reviews/day went down as
retention went up, tester D17), twelve are not. fsrs-rs's ``optimal_retention`` searches
only :data:`OPTIMAL_RANGE` (Brent's method on study time per item remembered); an answer at
either end means "this end or beyond", which the screens say.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from fsrs.scheduler import DEFAULT_PARAMETERS

from quizapp.srs.optimize import require
from quizapp.srs.records import NEW
from quizapp.srs.scheduler import SchedulerConfig
from quizapp.srs.store import Store

__all__ = ["OPTIMAL_RANGE", "RETENTIONS", "RetentionRow", "RetentionTable", "retention_table"]

#: The desired retentions of the table: 0.70 … 0.97 in steps of 0.01.
RETENTIONS = tuple(round(0.70 + 0.01 * k, 2) for k in range(28))
DAYS = 365
MIN_ANSWERS = 50  # fewer and the simulator's defaults stand in for the learner's habits
CARD_YEARS = 4000  # simulated item-years per row: 12 runs of ~350 items, 1 run of 4,000+
MAX_SEEDS = 12
#: fsrs-rs's search interval for the optimal retention (R_MIN, R_MAX in simulation.rs).
OPTIMAL_RANGE = (0.70, 0.95)


@dataclass(frozen=True, slots=True)
class RetentionRow:
    retention: float
    reviews_per_day: float
    minutes_per_day: float
    memorized: float  # expected items remembered at the end of the year


@dataclass(frozen=True)
class RetentionTable:
    rows: tuple[RetentionRow, ...]
    optimal: float
    items: int
    answered: int
    learner_habits: bool  # rating frequencies and times come from the log
    seeds: int = 1  # simulations averaged per row (the same seeds for every row)

    @property
    def optimal_row(self) -> RetentionRow:
        return min(self.rows, key=lambda r: abs(r.retention - self.optimal))

    @property
    def optimal_edge(self) -> str:
        """ "low"/"high" when fsrs-rs's answer is at an end of its search range (the best
        value may lie beyond it), else ""."""
        lo, hi = OPTIMAL_RANGE
        if self.optimal <= lo + 0.005:
            return "low"
        if self.optimal >= hi - 0.005:
            return "high"
        return ""

    @property
    def optimal_label(self) -> str:
        """0.83, or ≤ 0.70 / ≥ 0.95 at an end of fsrs-rs's search range."""
        edge = self.optimal_edge
        if edge == "low":
            return f"≤ {OPTIMAL_RANGE[0]:.2f}"
        if edge == "high":
            return f"≥ {OPTIMAL_RANGE[1]:.2f}"
        return f"{self.optimal:.2f}"

    def optimal_note(self) -> str:
        """Why an optimum at an end of the range is shown as it is ("" inside the range)."""
        edge = self.optimal_edge
        if edge == "low":
            return (
                "fsrs-rs finds the least study time per item remembered at the low end of the "
                "0.70–0.95 it searches: with a small collection over one year, the extra "
                "forgetting of a lower retention costs less than the extra reviews of a higher "
                "one. Below 0.70 you forget too often for review to be worth it; choose the "
                "retention you want to keep, 0.70 or above."
            )
        if edge == "high":
            return (
                "fsrs-rs finds the least study time per item remembered at the high end of the "
                "0.70–0.95 it searches: forgetting costs you much more than a review."
            )
        return ""


def _habits(store: Store, sim: object) -> bool:
    """Set the simulator's rating frequencies and costs from the log; False if too few."""
    reviews = [r for r in store.reviews() if r.mode != "cram"]
    if len(reviews) < MIN_ANSWERS:
        return False
    first = [0, 0, 0, 0]
    passed = [0, 0, 0]
    cost: dict[tuple[int, int], list[float]] = {}
    for r in reviews:
        rating = int(r.rating)
        if r.prev_state == NEW:
            first[rating - 1] += 1
        elif r.prev_state == 2 and rating > 1:
            passed[rating - 2] += 1
        if r.duration_ms and r.prev_state in (1, 2, 3):
            cost.setdefault((r.prev_state, rating), []).append(r.duration_ms / 1000)
    if sum(first) >= 10:
        sim.first_rating_prob = [n / sum(first) for n in first]  # type: ignore[attr-defined]
    if sum(passed) >= 10:
        sim.review_rating_prob = [n / sum(passed) for n in passed]  # type: ignore[attr-defined]
    costs = [list(row) for row in sim.state_rating_costs]  # type: ignore[attr-defined]
    for (state, rating), seconds in cost.items():
        if len(seconds) >= 5:
            # rows: learning, review, relearning; median-like robust mean (trim 10 %)
            seconds.sort()
            k = len(seconds) // 10
            trimmed = seconds[k : len(seconds) - k] or seconds
            costs[{1: 0, 2: 1, 3: 2}[state]][rating - 1] = sum(trimmed) / len(trimmed)
    sim.state_rating_costs = costs  # type: ignore[attr-defined]
    return True


def _cards(store: Store, config: SchedulerConfig, now: datetime, rs: object) -> list[object]:
    """The learner's answered items as fsrs-rs simulator cards (days relative to today)."""
    today = config.today(now)
    cards = []
    for s in store.states().values():
        if s.state == NEW or s.suspended or s.stability is None or s.difficulty is None:
            continue
        if s.due is None or s.last_review is None:
            continue
        card = rs.Card()  # type: ignore[attr-defined]
        card.id = s.card_id or 0
        card.difficulty = s.difficulty
        card.stability = s.stability
        card.last_date = float(config.today(s.last_review) - today)
        card.due = float(config.today(s.due) - today)
        card.interval = max(0.0, card.due - card.last_date)
        card.lapses = s.lapses
        cards.append(card)
    return cards


def retention_table(
    store: Store,
    config: SchedulerConfig,
    items: int,
    now: datetime,
    *,
    retentions: Sequence[float] = RETENTIONS,
    seed: int = 42,
    seeds: int | None = None,
) -> RetentionTable:
    """Reviews and minutes per day over the next year for each desired retention, each
    row the mean of ``seeds`` simulations (default: enough for :data:`CARD_YEARS`) with the
    seeds ``seed`` … ``seed + seeds − 1`` for every row."""
    rs = require()
    params = list(config.parameters or DEFAULT_PARAMETERS)
    sim = rs.default_simulator_config()
    cards = _cards(store, config, now, rs)
    sim.deck_size = max(1, items, len(cards))  # the simulator refuses fewer than the cards
    sim.learn_span = DAYS
    sim.learn_limit = config.new_per_day
    sim.review_limit = config.reviews_per_day
    sim.max_ivl = float(config.maximum_interval)
    sim.learning_step_count = len(config.learning_steps)
    sim.relearning_step_count = len(config.relearning_steps)
    sim.suspend_after_lapses = config.leech_threshold
    habits = _habits(store, sim)
    n = seeds or min(MAX_SEEDS, max(1, -(-CARD_YEARS // sim.deck_size)))
    rows = []
    for retention in retentions:
        results = [rs.simulate(params, retention, sim, seed + k) for k in range(n)]
        rows.append(
            RetentionRow(
                retention=retention,
                reviews_per_day=sum(sum(r.review_cnt_per_day) for r in results) / DAYS / n,
                minutes_per_day=sum(sum(r.cost_per_day) for r in results) / DAYS / 60 / n,
                memorized=sum(float(r.memorized_cnt_per_day[-1]) for r in results) / n,
            )
        )
    optimal = float(rs.optimal_retention(sim, params, cards or None))
    return RetentionTable(tuple(rows), round(optimal, 3), items, len(cards), habits, n)
