"""Build a study session from the catalog, the store and today's queue."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence

from quizapp.decks.loader import Catalog
from quizapp.srs.scheduler import ReviewScheduler
from quizapp.study.clock import Clock
from quizapp.study.queue import QueueCandidate, QueueFilter, build_queue
from quizapp.study.rules import count_bucket
from quizapp.study.session import Mode, StudySession


def candidates(catalog: Catalog) -> list[QueueCandidate]:
    """The catalog as the queue sees it, in the order new items are introduced.

    Each kind keeps its catalog (curriculum) order, and the kinds advance through the
    curriculum together: an item's rank is its position within its kind as a fraction
    of that kind's count. So the first twenty new items of a day hold flashcards, traps
    and drills in proportion, rather than a hundred flashcards before the first drill.
    """
    entries = list(catalog.items.values())
    kinds = [entry.kind for entry in entries]
    counts = Counter(kinds)
    seen = dict.fromkeys(counts, 0)
    rank: list[float] = []
    for kind in kinds:
        index = seen[kind]
        seen[kind] = index + 1
        rank.append((index + 0.5) / counts[kind])
    # a stable sort of the positions by rank: equal ranks keep their catalog order
    order = sorted(range(len(entries)), key=rank.__getitem__)
    return [
        QueueCandidate(entry.id, entry.kind, entry.deck, entry.topic, entry.tags)
        for entry in map(entries.__getitem__, order)
    ]


def start_session(
    catalog: Catalog,
    scheduler: ReviewScheduler,
    clock: Clock,
    *,
    filter: QueueFilter | None = None,
    mode: Mode = "review",
    rng: random.Random | None = None,
    limit: int | None = None,
    pool: Sequence[QueueCandidate] | None = None,
) -> StudySession:
    """Today's queue (or everything matching, in cram mode) as a session.

    ``pool`` is :func:`candidates` of ``catalog`` when the caller keeps it already."""
    entries = build_queue(
        scheduler.store,
        pool if pool is not None else candidates(catalog),
        clock,
        scheduler.config,
        filter=filter,
        cram=mode == "cram",
    )
    if limit is not None:
        entries = entries[:limit]
    # Today's learning steps are shown when due (before the rest), not in queue order; a
    # cram shows everything in its order.
    learning_due = {
        e.item_id: e.due
        for e in entries
        if mode != "cram" and e.due is not None and count_bucket(e.status) == "learning"
    }
    return StudySession(
        catalog,
        scheduler,
        clock,
        [e.item_id for e in entries],
        mode=mode,
        rng=rng,
        buckets={e.item_id: e.status for e in entries},
        learning_due=learning_due,
    )
