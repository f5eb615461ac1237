"""Choosing the questions of a mock interview, weighted toward the learner's weak spots.

A real screening interview mixes conceptual questions, "is this right?" traps and a
back-of-the-envelope computation. :func:`plan_questions` keeps that mix (about half
flashcards, a quarter traps, a quarter drills, rebalanced to what the catalog has) and,
within each kind, draws items without replacement with probability proportional to a
weakness weight (Efraimidis–Spirakis: key = u^(1/w), keep the largest keys), so the same
seed, catalog and progress always give the same interview.

The weight of an item (:func:`item_weight`) grows with what the review log says is weak:
low accuracy on the item, on its topic and on its drill kind, recent Again ratings, and
drill kinds whose answers often carry a diagnosed mistake. Unseen items keep a middling
weight: a mock may ask something never studied, as an interviewer would.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from fsrs import Rating

from quizapp.decks.loader import Catalog, CatalogItem
from quizapp.srs.store import Store

__all__ = [
    "KIND_SHARE",
    "MockPlanError",
    "Weakness",
    "drill_kind_of",
    "item_weight",
    "load_weakness",
    "plan_questions",
]

#: The share of each kind in a mock, as in a typical first-round screen.
KIND_SHARE: dict[str, float] = {"flashcard": 0.5, "trap": 0.25, "drill": 0.25}
#: How far back recent Again ratings count toward an item's weight.
RECENT = timedelta(days=30)


class MockPlanError(Exception):
    """No mock can be built from what was asked (e.g. a topic with no items)."""


def drill_kind_of(entry: CatalogItem) -> str | None:
    """The engine drill kind of a drill item (``"bias-correction"``), None for other kinds."""
    return entry.drill


@dataclass(frozen=True)
class _Tally:
    answered: int = 0
    correct: int = 0

    def accuracy(self) -> float:
        """Laplace-smoothed accuracy (c + 1) / (n + 2): 0.5 with no answers yet."""
        return (self.correct + 1) / (self.answered + 2)

    def plus(self, answered: int, correct: int) -> _Tally:
        return _Tally(self.answered + answered, self.correct + correct)


@dataclass(frozen=True)
class Weakness:
    """What the review log says about the learner, in the shape the weighting needs."""

    items: dict[str, _Tally] = field(default_factory=dict)
    topics: dict[str, _Tally] = field(default_factory=dict)
    drill_kinds: dict[str, _Tally] = field(default_factory=dict)
    recent_again: Counter[str] = field(default_factory=Counter)
    mistakes_by_drill_kind: Counter[str] = field(default_factory=Counter)
    mistakes: Counter[str] = field(default_factory=Counter)

    def item_accuracy(self, item_id: str) -> float:
        return self.items.get(item_id, _Tally()).accuracy()

    def topic_accuracy(self, topic: str) -> float:
        return self.topics.get(topic, _Tally()).accuracy()

    def drill_kind_accuracy(self, kind: str) -> float:
        return self.drill_kinds.get(kind, _Tally()).accuracy()

    def answered(self, item_id: str) -> int:
        return self.items.get(item_id, _Tally()).answered


def load_weakness(store: Store, catalog: Catalog, now: datetime) -> Weakness:
    """Accuracy per item / topic / drill kind (from the store's per-item counters) and the
    recent Agains and diagnosed mistakes (from the last :data:`RECENT` of the log)."""
    items: dict[str, _Tally] = {}
    topics: dict[str, _Tally] = {}
    kinds: dict[str, _Tally] = {}
    for item_id, state in store.states().items():
        if not state.answered:
            continue
        items[item_id] = _Tally(state.answered, state.n_correct)
        entry = catalog.items.get(item_id)
        topic = entry.topic if entry is not None else state.topic
        if topic:
            topics[topic] = topics.get(topic, _Tally()).plus(state.answered, state.n_correct)
        kind = (drill_kind_of(entry) if entry is not None else None) or state.subkind
        if kind and (entry is None or entry.kind == "drill"):
            kinds[kind] = kinds.get(kind, _Tally()).plus(state.answered, state.n_correct)
    again: Counter[str] = Counter()
    by_kind: Counter[str] = Counter()
    mistakes: Counter[str] = Counter()
    for review in store.reviews(since=now - RECENT):
        if review.rating == Rating.Again:
            again[review.item_id] += 1
        if review.mistake:
            mistakes[review.mistake] += 1
            entry = catalog.items.get(review.item_id)
            kind = drill_kind_of(entry) if entry is not None else None
            if kind:
                by_kind[kind] += 1
    return Weakness(items, topics, kinds, again, by_kind, mistakes)


def item_weight(entry: CatalogItem, weakness: Weakness) -> float:
    """w = 1 + 2·(1 − acc_item) + (1 − acc_topic) [+ (1 − acc_drill_kind)]
    + 0.5·min(recent Agains, 4) + 0.25·min(mistakes of its drill kind, 4).

    Accuracies are Laplace-smoothed, so an unseen item weighs 1 + 1 + 0.5 = 2.5 and an
    item always answered right drifts toward 1.5: weak items are asked more, never only.
    """
    w = 1.0 + 2.0 * (1.0 - weakness.item_accuracy(entry.id))
    w += 1.0 - weakness.topic_accuracy(entry.topic)
    kind = drill_kind_of(entry)
    if kind is not None:
        w += 1.0 - weakness.drill_kind_accuracy(kind)
        w += 0.25 * min(weakness.mistakes_by_drill_kind[kind], 4)
    w += 0.5 * min(weakness.recent_again[entry.id], 4)
    return w


def kind_quotas(n: int, available: dict[str, int]) -> dict[str, int]:
    """How many questions of each kind: :data:`KIND_SHARE` of ``n`` (largest remainder),
    then seats a kind cannot fill go to the kinds that still have items."""
    kinds = [k for k in KIND_SHARE if available.get(k, 0) > 0]
    total_share = sum(KIND_SHARE[k] for k in kinds)
    if not kinds:
        return {}
    exact = {k: n * KIND_SHARE[k] / total_share for k in kinds}
    quota = {k: int(exact[k]) for k in kinds}
    for k in sorted(kinds, key=lambda k: (quota[k] - exact[k], list(KIND_SHARE).index(k))):
        if sum(quota.values()) >= n:
            break
        quota[k] += 1
    # Cap by what exists and hand the leftover seats to kinds with items to spare.
    spare = 0
    for k in kinds:
        if quota[k] > available[k]:
            spare += quota[k] - available[k]
            quota[k] = available[k]
    while spare:
        room = [k for k in kinds if quota[k] < available[k]]
        if not room:
            break
        for k in room:
            if not spare:
                break
            quota[k] += 1
            spare -= 1
    return quota


def _weighted_sample(
    entries: Sequence[CatalogItem], weights: Sequence[float], k: int, rng: random.Random
) -> list[CatalogItem]:
    """k entries without replacement, P ∝ weight (Efraimidis–Spirakis keys u^(1/w))."""
    keyed = [(rng.random() ** (1.0 / w), i) for i, w in enumerate(weights)]
    keyed.sort(reverse=True)
    return [entries[i] for _, i in keyed[:k]]


def _mix(chosen: dict[str, list[CatalogItem]], rng: random.Random) -> list[CatalogItem]:
    """Spread the kinds through the interview: each slot takes the kind with the most
    questions still to place, ties broken at random, never the same kind twice in a row
    while another is waiting."""
    pools = {k: list(v) for k, v in chosen.items() if v}
    for pool in pools.values():
        rng.shuffle(pool)
    out: list[CatalogItem] = []
    last: str | None = None
    while pools:
        order = sorted(pools, key=lambda k: (-len(pools[k]), rng.random()))
        kind = order[0]
        if kind == last and len(order) > 1:
            kind = order[1]
        out.append(pools[kind].pop())
        if not pools[kind]:
            del pools[kind]
        last = kind
    return out


def plan_questions(
    catalog: Catalog,
    weakness: Weakness,
    *,
    questions: int,
    seed: int,
    topic: str | None = None,
) -> list[CatalogItem]:
    """The items of a mock interview, in the order they are asked (see the module doc).

    Raises :class:`MockPlanError` naming the topics there are when ``topic`` has no items.
    """
    entries = [e for e in catalog.items.values() if topic is None or e.topic == topic]
    if not entries:
        topics = sorted({e.topic for e in catalog.items.values()})
        if topic is None:
            raise MockPlanError(
                "there are no items to ask: load a deck first (see `quizapp check`)"
            )
        raise MockPlanError(f"no items in topic {topic!r}; topics: {', '.join(topics) or 'none'}")
    rng = random.Random(seed)
    by_kind: dict[str, list[CatalogItem]] = {}
    for e in sorted(entries, key=lambda e: e.id):  # catalog order must not change the draw
        by_kind.setdefault(e.kind, []).append(e)
    quotas = kind_quotas(min(questions, len(entries)), {k: len(v) for k, v in by_kind.items()})
    chosen = {
        kind: _weighted_sample(pool, [item_weight(e, weakness) for e in pool], quotas[kind], rng)
        for kind, pool in by_kind.items()
        if quotas.get(kind)
    }
    return _mix(chosen, rng)
