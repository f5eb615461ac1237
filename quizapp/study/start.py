"""Build a study session from the catalog, the store and today's queue."""

from __future__ import annotations

import heapq
import itertools
import random
from collections import Counter
from collections.abc import Iterator, Sequence
from typing import overload

from quizapp import collector
from quizapp.decks.columns import item_columns
from quizapp.decks.loader import Catalog
from quizapp.srs.scheduler import ReviewScheduler
from quizapp.study.clock import Clock
from quizapp.study.queue import CandidateSource, QueueCandidate, QueueFilter, build_queue
from quizapp.study.rules import count_bucket
from quizapp.study.session import Mode, StudySession


def candidates(catalog: Catalog) -> list[QueueCandidate]:
    """The catalog as the queue sees it, in the order new items are introduced.

    Each kind keeps its catalog (curriculum) order, and the kinds advance through the
    curriculum together: an item's rank is its position within its kind as a fraction
    of that kind's count. So the first twenty new items of a day hold flashcards, traps
    and drills in proportion, rather than a hundred flashcards before the first drill.
    Read from the catalog's columns: no item entry is made.
    """
    ids, kinds, decks, topics, tags = item_columns(catalog.items)
    counts = Counter(kinds)
    seen = dict.fromkeys(counts, 0)
    rank: list[float] = []
    for kind in kinds:
        index = seen[kind]
        seen[kind] = index + 1
        rank.append((index + 0.5) / counts[kind])
    # a stable sort of the positions by rank: equal ranks keep their catalog order
    order = sorted(range(len(kinds)), key=rank.__getitem__)
    return [QueueCandidate(ids[i], kinds[i], decks[i], topics[i], tuple(tags[i])) for i in order]


class CandidatePool(CandidateSource):
    """:func:`candidates` of a catalog, made as they are read.

    Looking one up by id, or reading the first few in order (an unfiltered queue: the
    answered items, then today's first new ones), makes only those; the whole list is
    made once, when something asks for an index, a slice or :meth:`all`."""

    def __init__(self, catalog: Catalog) -> None:
        self._catalog = catalog
        self._all: list[QueueCandidate] | None = None

    def all(self) -> list[QueueCandidate]:
        """Every candidate, in order (made once)."""
        if self._all is None:
            with collector.paused():  # one record per item, kept as long as the pool
                self._all = candidates(self._catalog)
        return self._all

    def __len__(self) -> int:
        return len(self._catalog.items)

    @overload
    def __getitem__(self, index: int) -> QueueCandidate: ...
    @overload
    def __getitem__(self, index: slice) -> list[QueueCandidate]: ...
    def __getitem__(self, index: int | slice) -> QueueCandidate | list[QueueCandidate]:
        return self.all()[index]

    def __iter__(self) -> Iterator[QueueCandidate]:
        return iter(self._all) if self._all is not None else self._lazily()

    #: Read this many lazily; past them (a learner who has seen thousands of items), the
    #: whole list is made once and read on: the merge costs more per item than the list.
    LAZY = 2000

    def _lazily(self) -> Iterator[QueueCandidate]:
        for count, candidate in enumerate(self._in_order()):
            if count == self.LAZY:
                yield from itertools.islice(self.all(), count, None)
                return
            yield candidate

    def get(self, item_id: str) -> QueueCandidate | None:
        entry = self._catalog.items.get(item_id)
        if entry is None:
            return None
        return QueueCandidate(entry.id, entry.kind, entry.deck, entry.topic, entry.tags)

    def _in_order(self) -> Iterator[QueueCandidate]:
        """:func:`candidates`' order, lazily: one stream per kind of (rank, position),
        each found by ``list.index`` from the last, merged (ties by position, as the
        stable sort)."""
        ids, kinds, decks, topics, tags = item_columns(self._catalog.items)

        def ranked(kind: str, count: int) -> Iterator[tuple[float, int]]:
            at = -1
            for index in range(count):
                at = kinds.index(kind, at + 1)
                yield (index + 0.5) / count, at

        streams = [ranked(kind, count) for kind, count in Counter(kinds).items()]
        for _, i in heapq.merge(*streams):
            yield QueueCandidate(ids[i], kinds[i], decks[i], topics[i], tuple(tags[i]))


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
