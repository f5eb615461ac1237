"""Today's study queue: learning steps that are due, due reviews, then new items.

Order: learning/relearning items already due, by due time; review items due before the end of today, lowest FSRS retrievability first, up
to today's remaining review limit; then unseen items in catalog order up to today's
remaining new limit; last, learning items due within ``learn_ahead_minutes`` (as
Anki's learn-ahead: shown when nothing else is left, the session may wait). Kinds are interleaved so no kind runs longer than
``max_kind_run`` while another kind is waiting in the same tier. ``cram=True``
returns everything matching the filter, weakest first, and schedules nothing.

The queue reads due items from the store's ``items_due`` index, never the log.
"""

from __future__ import annotations

from abc import abstractmethod
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime

from quizapp.plain import Frozen
from quizapp.srs import marks
from quizapp.srs.days import Clock, from_ms, to_ms, utc_now_ms
from quizapp.srs.records import NEW, STATUS_NAMES
from quizapp.srs.scheduler import SchedulerConfig
from quizapp.srs.store import Store

__all__ = [
    "CandidateSource",
    "QueueCandidate",
    "QueueEntry",
    "QueueFilter",
    "build_queue",
    "interleave",
]

_DAY_MS = 86_400_000


class QueueCandidate(Frozen):
    """An item of the current catalog, as the queue needs it (no content text)."""

    __slots__ = ("item_id", "kind", "deck", "topic", "tags")
    item_id: str
    kind: str
    deck: str
    topic: str | None
    tags: tuple[str, ...]

    def __init__(
        self,
        item_id: str,
        kind: str,
        deck: str = "",
        topic: str | None = None,
        tags: tuple[str, ...] = (),
    ) -> None:
        setattr_ = object.__setattr__
        setattr_(self, "item_id", item_id)
        setattr_(self, "kind", kind)
        setattr_(self, "deck", deck)
        setattr_(self, "topic", topic)
        setattr_(self, "tags", tags)


class CandidateSource(Sequence[QueueCandidate]):
    """Candidates that can also be looked up by id, and whose iteration (in order) makes
    only what is read: an unfiltered queue then needs the answered items by id and the
    first new ones in order, not one record per item of a large library."""

    @abstractmethod
    def get(self, item_id: str) -> QueueCandidate | None:
        """The candidate of ``item_id``, or None when it is not one."""

    @abstractmethod
    def all(self) -> list[QueueCandidate]:
        """Every candidate, in order (what a filter or a cram reads)."""


class QueueEntry(Frozen):
    """One item to present: its candidate record, status and (for answered items) R."""

    __slots__ = ("item_id", "kind", "deck", "topic", "tags", "status", "due", "retrievability")
    item_id: str
    kind: str
    deck: str
    topic: str | None
    tags: tuple[str, ...]
    status: str  # "new", "learning", "review", "relearning"
    due: datetime | None
    retrievability: float | None

    def __init__(
        self,
        item_id: str,
        kind: str,
        deck: str,
        topic: str | None,
        tags: tuple[str, ...],
        status: str,
        due: datetime | None = None,
        retrievability: float | None = None,
    ) -> None:
        setattr_ = object.__setattr__
        setattr_(self, "item_id", item_id)
        setattr_(self, "kind", kind)
        setattr_(self, "deck", deck)
        setattr_(self, "topic", topic)
        setattr_(self, "tags", tags)
        setattr_(self, "status", status)
        setattr_(self, "due", due)
        setattr_(self, "retrievability", retrievability)

    @classmethod
    def of(
        cls, c: QueueCandidate, status: str, due: datetime | None = None, r: float | None = None
    ) -> QueueEntry:
        return cls(c.item_id, c.kind, c.deck, c.topic, c.tags, status, due, r)


class QueueFilter(Frozen):
    """Keep candidates in any of the given decks/topics/kinds and having any given tag.

    A field left None does not filter; filters on different fields all apply. Each given
    field is a set of names (any iterable of str is kept as a frozenset), given by
    keyword. A plain frozen record, not a pydantic model: the first card's path imports
    no pydantic.
    """

    __slots__ = ("decks", "topics", "tags", "kinds", "ids")
    decks: frozenset[str] | None
    topics: frozenset[str] | None
    tags: frozenset[str] | None
    kinds: frozenset[str] | None
    ids: frozenset[str] | None  # the browser's "study these"

    def __init__(
        self,
        *,
        decks: Iterable[str] | None = None,
        topics: Iterable[str] | None = None,
        tags: Iterable[str] | None = None,
        kinds: Iterable[str] | None = None,
        ids: Iterable[str] | None = None,
    ) -> None:
        given = {"decks": decks, "topics": topics, "tags": tags, "kinds": kinds, "ids": ids}
        for name, value in given.items():
            if value is not None and type(value) is not frozenset:
                if isinstance(value, str) or not isinstance(value, Iterable):
                    raise ValueError(f"QueueFilter.{name}: a set of names, not {value!r}")
                value = frozenset(value)
            object.__setattr__(self, name, value)

    def matches(self, c: QueueCandidate) -> bool:
        return (
            (self.decks is None or c.deck in self.decks)
            and (self.topics is None or c.topic in self.topics)
            and (self.kinds is None or c.kind in self.kinds)
            and (self.tags is None or not self.tags.isdisjoint(c.tags))
            and (self.ids is None or c.item_id in self.ids)
        )

    def apply(self, candidates: Iterable[QueueCandidate]) -> list[QueueCandidate]:
        """The matching candidates, in order (:meth:`matches` inlined: this runs per item)."""
        decks, topics, kinds = self.decks, self.topics, self.kinds
        tags, ids = self.tags, self.ids
        return [
            c
            for c in candidates
            if (decks is None or c.deck in decks)
            and (topics is None or c.topic in topics)
            and (kinds is None or c.kind in kinds)
            and (tags is None or not tags.isdisjoint(c.tags))
            and (ids is None or c.item_id in ids)
        ]

    @property
    def is_empty(self) -> bool:
        return (
            self.decks is None
            and self.topics is None
            and self.tags is None
            and self.kinds is None
            and self.ids is None
        )


RFn = Callable[[int, int | None, float | None], float]


def _retrievability_fn(config: SchedulerConfig) -> RFn:
    """R(t) = (1 + F t / S)^-d with d = w20, F = 0.9^(-1/d) - 1 (FSRS-6), t in whole days.

    The default weights come from fsrs when an answered item is first met: a queue of new
    items only (a first review) imports no fsrs (~11 M instructions)."""
    curve: list[float] = []  # [decay, factor], once known

    def r(now_ms: int, last_ms: int | None, stability: float | None) -> float:
        if last_ms is None or not stability:
            return 0.0
        if not curve:
            if config.parameters is not None:
                params = config.parameters
            else:
                from fsrs.scheduler import DEFAULT_PARAMETERS as params
            decay = -params[20]
            curve.extend((decay, 0.9 ** (1 / decay) - 1))
        decay, factor = curve
        elapsed = max(0, (now_ms - last_ms) // _DAY_MS)
        return (1 + factor * elapsed / stability) ** decay

    return r


def interleave(
    entries: Sequence[QueueEntry], max_run: int, start: tuple[str | None, int] = (None, 0)
) -> tuple[list[QueueEntry], tuple[str | None, int]]:
    """Keep the order, except that a kind never runs longer than ``max_run`` while another
    kind still has entries: then the earliest entry of another kind goes next.

    ``start`` is (last kind, run length) carried over from a previous tier; returns the
    new order and the final (kind, run length).
    """
    by_kind: dict[str, deque[tuple[int, QueueEntry]]] = {}
    for i, e in enumerate(entries):
        by_kind.setdefault(e.kind, deque()).append((i, e))
    last, run = start
    out: list[QueueEntry] = []
    while by_kind:
        heads = sorted(by_kind, key=lambda k: by_kind[k][0][0])
        kind = heads[0]
        if kind == last and run >= max_run and len(heads) > 1:
            kind = heads[1]
        _, entry = by_kind[kind].popleft()
        if not by_kind[kind]:
            del by_kind[kind]
        run = run + 1 if kind == last else 1
        last = kind
        out.append(entry)
    return out, (last, run)


def build_queue(
    store: Store,
    candidates: Iterable[QueueCandidate],
    clock: Clock,
    config: SchedulerConfig | None = None,
    filter: QueueFilter | None = None,  # noqa: A002 - the documented API name
    cram: bool = False,
) -> list[QueueEntry]:
    """Build today's queue from the catalog ``candidates`` and the store (see module doc)."""
    config = config or SchedulerConfig()
    now = utc_now_ms(clock)
    now_ms = to_ms(now)
    unfiltered = filter is None or filter.is_empty
    buried = marks.buried(store, config.today(now))
    r_of = _retrievability_fn(config)
    lookup: Callable[[str], QueueCandidate | None]
    ordered: Iterable[QueueCandidate]
    if unfiltered and not cram and isinstance(candidates, CandidateSource):
        source = candidates  # read by id and, for the new items, only as far as needed
        lookup = source.get if not buried else lambda i: None if i in buried else source.get(i)
        ordered = _unburied(source, buried)
    else:
        whole = candidates.all() if isinstance(candidates, CandidateSource) else candidates
        cands = list(whole) if unfiltered else filter.apply(whole)  # type: ignore[union-attr]
        if buried:  # buried in the browser: back tomorrow, schedule untouched
            cands = [c for c in cands if c.item_id not in buried]
        if cram:
            return _cram(store, cands, config, now_ms, r_of)
        lookup = {c.item_id: c for c in cands}.get
        ordered = cands
    today = config.today(now)
    _, day_end = config.day_bounds(today)
    learn_until = now_ms + config.learn_ahead_minutes * 60_000
    counts = store.day_counts(today)
    review_room = max(0, config.reviews_per_day - counts.due_reviews)
    new_room = max(0, config.new_per_day - counts.new_items)

    learning: list[QueueEntry] = []
    soon: list[QueueEntry] = []
    for item_id, _kind, state, stability, due, last in store.due_learning(from_ms(learn_until)):
        c = lookup(item_id)
        if c is not None:  # else an orphan, or filtered out
            entry = QueueEntry.of(
                c, STATUS_NAMES[state], from_ms(due), r_of(now_ms, last, stability)
            )
            (learning if due <= now_ms else soon).append(entry)

    # Reviews come back from SQL already ordered by retrievability; fetch more only
    # when orphans or the filter used up part of a batch.
    reviews: list[QueueEntry] = []
    fetch = review_room
    while len(reviews) < review_room:
        rows = store.due_reviews(day_end, now, fetch)
        reviews = []
        for item_id, _kind, _state, stability, due, last in rows:
            c = lookup(item_id)
            if c is not None:
                reviews.append(
                    QueueEntry.of(c, "review", from_ms(due), r_of(now_ms, last, stability))
                )
                if len(reviews) == review_room:
                    break
        if len(rows) < fetch:
            break
        fetch *= 4

    new: list[QueueEntry] = []
    if new_room:
        known = store.known_ids()
        for c in ordered:
            if c.item_id not in known:
                new.append(QueueEntry.of(c, "new"))
                if len(new) >= new_room:
                    break

    out, carry = interleave(learning, config.max_kind_run)
    tail, carry = interleave(reviews, config.max_kind_run, carry)
    out += tail
    tail, carry = interleave(new, config.max_kind_run, carry)
    out += tail
    tail, carry = interleave(soon, config.max_kind_run, carry)
    return out + tail


def _unburied(source: Iterable[QueueCandidate], buried: set[str]) -> Iterator[QueueCandidate]:
    return (c for c in source if c.item_id not in buried) if buried else iter(source)


def _cram(
    store: Store, cands: list[QueueCandidate], config: SchedulerConfig, now_ms: int, r_of: RFn
) -> list[QueueEntry]:
    states = store.states()
    answered: list[tuple[float, QueueEntry]] = []
    new: list[QueueEntry] = []
    for c in cands:
        s = states.get(c.item_id)
        if s is not None and s.suspended:
            continue
        if s is None or s.state == NEW:
            new.append(QueueEntry.of(c, "new"))
            continue
        last = to_ms(s.last_review) if s.last_review else None
        r = r_of(now_ms, last, s.stability)
        answered.append((r, QueueEntry.of(c, s.status, s.due, r)))
    answered.sort(key=lambda t: t[0])
    out, carry = interleave([e for _, e in answered], config.max_kind_run)
    tail, _ = interleave(new, config.max_kind_run, carry)
    return out + tail
