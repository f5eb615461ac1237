"""The item browser, UI-free: search the catalog with its progress, show one item's
history, and act on items (suspend, bury, reset, flag, study these).

:class:`Browser` keeps the catalog and each item's state as NumPy columns, so a search
(:mod:`quizapp.study.query`) is a few vectorized comparisons over every item: text is
matched in one pass over lowercased strings, fields through category codes, numbers
through float columns (NaN for items never answered, which no comparison matches).
The screen and ``quizapp browse`` render what it returns.
"""

from __future__ import annotations

import bisect
import fnmatch
import os
import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo

import numpy as np
from fsrs.scheduler import DEFAULT_PARAMETERS

from quizapp.decks.loader import Catalog, CatalogItem
from quizapp.decks.models import Flashcard, Trap
from quizapp.srs import marks
from quizapp.srs.answers import Review
from quizapp.srs.days import local_time, to_ms
from quizapp.srs.records import NEW, STATUS_NAMES, CardState
from quizapp.srs.scheduler import ReviewScheduler, SchedulerConfig
from quizapp.srs.store import Store
from quizapp.study.clock import Clock
from quizapp.study.query import And, Compare, Match, Node, Not, Or, QueryError, Text, parse
from quizapp.study.queue import QueueFilter, build_queue
from quizapp.study.session import StudySession
from quizapp.study.start import candidates

__all__ = ["FLAG_NAMES", "BrowseRow", "Browser", "ItemInfo", "QueryError", "item_text"]

FLAG_NAMES = marks.FLAG_NAMES  # the flag colours, for screens (which reach srs only through here)

_DAY_MS = 86_400_000
_NAN = float("nan")


def item_text(entry: CatalogItem) -> tuple[str, str]:
    """(one-line summary, every searchable text) of a catalog item."""
    item = entry.item
    parts: list[str | None]
    if isinstance(item, Flashcard):
        parts = [item.front, item.back, item.hint, item.deeper]
    elif isinstance(item, Trap):
        parts = [item.claim, item.question, item.why_wrong, item.correct, *item.distractors]
        parts += item.why_true
    else:
        parts = [item.title, item.note, item.drill]
    texts = [p for p in parts if p]
    summary = texts[0] if texts else entry.id
    return " ".join(summary.split()), "\n".join([entry.id, *texts])


class TextIndex:
    """Substring search over many texts without scanning them all.

    Every maximal run of word characters (a token) maps to the rows holding it. A needle
    made of word characters is inside a text exactly when it is inside one of its tokens,
    so its rows are the union over the vocabulary entries containing it (the vocabulary
    is far smaller than the texts). A needle with other characters (a phrase) takes the
    rows that have each of its tokens and then checks the phrase in those rows only. The
    plain scan, ``needle in text`` for every text, is the test oracle.
    """

    _WORD = re.compile(r"\w+")

    def __init__(self, texts: Sequence[str]) -> None:
        self.texts = texts
        postings: dict[str, list[int]] = {}
        for row, text in enumerate(texts):
            for token in set(self._WORD.findall(text)):
                postings.setdefault(token, []).append(row)
        self.vocab = list(postings)
        self.rows = [np.array(postings[t], dtype=np.int64) for t in self.vocab]
        self._joined = "\x00".join(self.vocab)
        lengths = np.fromiter((len(w) + 1 for w in self.vocab), np.int64, len(self.vocab))
        self._starts = np.concatenate(([0], np.cumsum(lengths)[:-1])).astype(np.int64)

    def _token_mask(self, needle: str) -> np.ndarray:
        mask = np.zeros(len(self.texts), bool)
        joined = self._joined
        # positions of the needle in the \0-joined vocabulary -> the words holding it
        starts = self._starts
        at = joined.find(needle)
        while at != -1:
            k = int(np.searchsorted(starts, at, side="right")) - 1
            mask[self.rows[k]] = True
            nxt = starts[k + 1] if k + 1 < len(starts) else len(joined)
            at = joined.find(needle, int(nxt))
        return mask

    def search(self, needle: str) -> np.ndarray:
        """Rows whose text contains ``needle`` (already lowercased)."""
        tokens = self._WORD.findall(needle)
        if not tokens:  # punctuation only: the plain scan
            return np.fromiter((needle in t for t in self.texts), bool, len(self.texts))
        mask = self._token_mask(tokens[0])
        for token in tokens[1:]:
            mask &= self._token_mask(token)
        if len(tokens) == 1 and tokens[0] == needle:
            return mask
        rows = np.flatnonzero(mask)
        mask[rows] = np.fromiter((needle in self.texts[i] for i in rows), bool, len(rows))
        return mask


@dataclass(frozen=True, slots=True)
class BrowseRow:
    """One line of the results table."""

    item_id: str
    kind: str
    deck: str
    topic: str
    summary: str
    status: str  # new, learning, review, relearning (+ suspended/leech/buried flags)
    suspended: bool
    leech: bool
    buried: bool
    flag: int
    due: datetime | None
    due_days: float | None
    interval_days: float | None
    difficulty: float | None  # 0..1, Anki's D
    stability: float | None
    retrievability: float | None
    lapses: int
    reps: int
    source: str


@dataclass(frozen=True, slots=True)
class ItemInfo:
    """The info pane: the row, the item's source, its every answer and drill mistakes."""

    row: BrowseRow
    path: str
    line: int | None
    reviews: tuple[Review, ...]
    mistakes: tuple[tuple[str, int], ...]  # (mistake id, times), most frequent first
    tz: tzinfo | None = None  # the study days' zone (config ``timezone``; None: the system's)

    def local(self, moment: datetime) -> datetime:
        """``moment`` as the learner's clock shows it: in the zone study days are counted in."""
        return local_time(moment, self.tz)


class Browser:
    """Search and act on the items of ``catalog`` with their progress in ``store``."""

    def __init__(
        self,
        catalog: Catalog,
        store: Store,
        config: SchedulerConfig,
        clock: Clock,
    ) -> None:
        self.catalog = catalog
        self.store = store
        self.config = config
        self.clock = clock
        entries = list(catalog.items.values())
        self.entries = entries
        self.ids = [e.id for e in entries]
        self.index = {item_id: i for i, item_id in enumerate(self.ids)}
        texts = [item_text(e) for e in entries]
        self.summaries = [t[0] for t in texts]
        self._text = [t[1].lower() for t in texts]
        self._index = TextIndex(self._text)
        self._id_lower = [i.lower() for i in self.ids]
        self._id_order = np.argsort(np.array(self._id_lower, dtype=object), kind="stable")
        self._sorted_ids = [self._id_lower[i] for i in self._id_order]
        self._codes: dict[str, tuple[list[str], np.ndarray]] = {}
        for name, values in (
            ("kind", [e.kind for e in entries]),
            ("deck", [e.deck for e in entries]),
            ("topic", [e.topic for e in entries]),
            ("drill", [e.drill or "" for e in entries]),
            ("source", [os.path.basename(e.path) for e in entries]),
        ):
            names = sorted(set(values))
            lookup = {v: k for k, v in enumerate(names)}
            self._codes[name] = (names, np.fromiter((lookup[v] for v in values), np.int32))
        self._tags: dict[str, np.ndarray] = {}
        by_tag: dict[str, list[int]] = {}
        for i, e in enumerate(entries):
            for tag in e.tags:
                by_tag.setdefault(tag.lower(), []).append(i)
        self._tags = {t: np.array(rows, dtype=np.int64) for t, rows in by_tag.items()}
        self.refresh()

    # ------------------------------------------------------------------ state columns
    def refresh(self) -> None:
        """Re-read every item's progress, flags and burying (after changes elsewhere)."""
        n = len(self.ids)
        self.now = self.clock.now()
        self.today = self.config.today(self.now)
        self.states: dict[str, CardState] = self.store.states()
        self.flags = marks.flags(self.store)
        self.buried = marks.buried(self.store, self.today)
        self._status = np.zeros(n, np.int8)
        self._suspended = np.zeros(n, bool)
        self._leech = np.zeros(n, bool)
        self._buried = np.zeros(n, bool)
        self._flag = np.zeros(n, np.int8)
        self._due = np.full(n, _NAN)
        self._last = np.full(n, _NAN)
        self._s = np.full(n, _NAN)
        self._d = np.full(n, _NAN)
        self._lapses = np.zeros(n)
        self._reps = np.zeros(n)
        # one array assignment per column (not ten scalar writes per item)
        rows = [
            (i, st)
            for item_id, st in self.states.items()
            if (i := self.index.get(item_id)) is not None
        ]
        if rows:
            at = np.fromiter((i for i, _ in rows), np.int64, len(rows))
            nan = _NAN

            def col(values: Iterable[float | None]) -> np.ndarray:
                return np.array([nan if v is None else v for v in values], dtype=float)

            sts = [st for _, st in rows]
            self._status[at] = [st.state for st in sts]
            self._suspended[at] = [st.suspended for st in sts]
            self._leech[at] = [st.leech for st in sts]
            self._due[at] = col(
                to_ms(st.due) if st.due is not None and st.state != NEW else None for st in sts
            )
            self._last[at] = col(to_ms(st.last_review) if st.last_review else None for st in sts)
            self._s[at] = col(st.stability for st in sts)
            self._d[at] = (col(st.difficulty for st in sts) - 1) / 9
            self._lapses[at] = [st.lapses for st in sts]
            self._reps[at] = [st.reps for st in sts]
        for item_id, flag in self.flags.items():
            if (i := self.index.get(item_id)) is not None:
                self._flag[i] = flag
        for item_id in self.buried:
            if (i := self.index.get(item_id)) is not None:
                self._buried[i] = True
        self._derive()

    def _set_row(self, i: int, s: CardState) -> None:
        self._status[i] = s.state
        self._suspended[i] = s.suspended
        self._leech[i] = s.leech
        self._due[i] = to_ms(s.due) if s.due is not None and s.state != NEW else _NAN
        self._last[i] = to_ms(s.last_review) if s.last_review is not None else _NAN
        self._s[i] = s.stability if s.stability is not None else _NAN
        self._d[i] = (s.difficulty - 1) / 9 if s.difficulty is not None else _NAN
        self._lapses[i] = s.lapses
        self._reps[i] = s.reps

    def _derive(self) -> None:
        """Columns that depend on the time: R now, due and last answer as study days."""
        params = self.config.parameters or DEFAULT_PARAMETERS
        decay = -params[20]
        factor = 0.9 ** (1 / decay) - 1
        now_ms = to_ms(self.now)
        elapsed = np.floor(np.maximum(0.0, now_ms - self._last) / _DAY_MS)
        with np.errstate(invalid="ignore", divide="ignore"):
            self._r = (1 + factor * elapsed / self._s) ** decay
            self._ivl = (self._due - self._last) / _DAY_MS
        # Study day of an instant: local date of (t - day start hour); the zone's offset
        # now is used for every item (a DST change moves a boundary by an hour at most).
        offset = self.now.astimezone(self.config.tz()).utcoffset()
        shift_ms = (offset.total_seconds() if offset else 0) * 1000
        shift_ms -= self.config.day_starts_at_hour * 3_600_000
        epoch_day = 719163  # date(1970, 1, 1).toordinal()
        self._due_day = np.floor((self._due + shift_ms) / _DAY_MS) + epoch_day - self.today
        self._last_day = np.floor((self._last + shift_ms) / _DAY_MS) + epoch_day - self.today

    def _update(self, item_ids: Iterable[str]) -> None:
        """Refresh a few rows after an action (no full re-read)."""
        self.now = self.clock.now()
        self.flags = marks.flags(self.store)
        self.buried = marks.buried(self.store, self.today)
        for item_id in item_ids:
            i = self.index[item_id]
            state = self.store.get(item_id)
            if state is None:
                self.states.pop(item_id, None)
                self._set_row(i, CardState(item_id=item_id, kind=self.entries[i].kind))
            else:
                self.states[item_id] = state
                self._set_row(i, state)
            self._flag[i] = self.flags.get(item_id, 0)
            self._buried[i] = item_id in self.buried
        self._derive()

    # ------------------------------------------------------------------------ search
    def search(self, query: str) -> list[str]:
        """The ids matching ``query``, in catalog order (raises :class:`QueryError`)."""
        node = parse(query)
        if node is None:
            return list(self.ids)
        mask = self._mask(node)
        return [self.ids[i] for i in np.flatnonzero(mask)]

    def count(self, query: str) -> int:
        node = parse(query)
        return len(self.ids) if node is None else int(self._mask(node).sum())

    def _mask(self, node: Node) -> np.ndarray:
        if isinstance(node, And):
            mask = self._mask(node.nodes[0])
            for child in node.nodes[1:]:
                mask &= self._mask(child)
            return mask
        if isinstance(node, Or):
            mask = self._mask(node.nodes[0])
            for child in node.nodes[1:]:
                mask |= self._mask(child)
            return mask
        if isinstance(node, Not):
            return ~self._mask(node.node)
        if isinstance(node, Text):
            return self._index.search(node.needle)
        if isinstance(node, Match):
            return self._match(node)
        return self._compare(node)

    def _match(self, node: Match) -> np.ndarray:
        field, value = node.field, node.value
        n = len(self.ids)
        if field in self._codes:
            names, codes = self._codes[field]
            wanted = [k for k, name in enumerate(names) if _glob(value, name.lower())]
            return np.isin(codes, wanted) if wanted else np.zeros(n, bool)
        if field == "id":
            if "*" not in value:
                i = self.index.get(value)
                if i is None:  # ids are lowercase by the deck format, but be kind
                    lowered = [k for k, x in enumerate(self._id_lower) if x == value]
                    return _rows(n, lowered)
                return _rows(n, [i])
            if value.endswith("*") and "*" not in value[:-1]:  # a prefix: bisect the sorted ids
                prefix = value[:-1]
                lo = bisect.bisect_left(self._sorted_ids, prefix)
                hi = bisect.bisect_left(self._sorted_ids, prefix + "\U0010ffff")
                return _rows(n, self._id_order[lo:hi])
            regex = re.compile(fnmatch.translate(value))
            return np.fromiter((bool(regex.match(x)) for x in self._id_lower), bool, n)
        if field == "tag":
            rows = [r for tag, r in self._tags.items() if _glob(value, tag)]
            return _rows(n, np.concatenate(rows) if rows else [])
        assert field == "is"
        status = self._status
        return {
            "new": lambda: status == NEW,
            "learning": lambda: (status == 1) | (status == 3),
            "review": lambda: status == 2,
            "relearning": lambda: status == 3,
            "suspended": lambda: self._suspended.copy(),
            "leech": lambda: self._leech.copy(),
            "due": lambda: (
                (status != NEW) & ~self._suspended & ~self._buried & (self._due_day <= 0)
            ),
            "overdue": lambda: (status != NEW) & ~self._suspended & (self._due_day < 0),
            "buried": lambda: self._buried.copy(),
            "flagged": lambda: self._flag > 0,
        }[value]()

    def _compare(self, node: Compare) -> np.ndarray:
        if node.prop == "flag":
            return self._flag == int(node.value)
        if node.prop == "due_by":  # due:N — due by the end of study day today + N
            live = (self._status != NEW) & ~self._suspended
            with np.errstate(invalid="ignore"):
                return live & (self._due_day <= node.value)
        column = {
            "d": self._d,
            "s": self._s,
            "r": self._r,
            "ivl": self._ivl,
            "lapses": self._lapses,
            "reps": self._reps,
            "due": self._due_day,
            "rated": self._last_day,
        }[node.prop]
        v = node.value
        if node.prop == "rated":  # answered within the last N study days, today included
            return column > -v
        with np.errstate(invalid="ignore"):
            return {
                "<": lambda: column < v,
                ">": lambda: column > v,
                "<=": lambda: column <= v,
                ">=": lambda: column >= v,
                "=": lambda: column == v,
                "!=": lambda: (column != v) & ~np.isnan(column),
            }[node.op]()

    # -------------------------------------------------------------------------- rows
    def row(self, item_id: str) -> BrowseRow:
        i = self.index[item_id]
        e = self.entries[i]
        state = self.states.get(item_id)

        def num(col: np.ndarray) -> float | None:
            value = float(col[i])
            return None if np.isnan(value) else value

        return BrowseRow(
            item_id=item_id,
            kind=e.kind,
            deck=e.deck,
            topic=e.topic,
            summary=self.summaries[i],
            status=STATUS_NAMES[int(self._status[i])],
            suspended=bool(self._suspended[i]),
            leech=bool(self._leech[i]),
            buried=bool(self._buried[i]),
            flag=int(self._flag[i]),
            due=state.due if state is not None and state.state != NEW else None,
            due_days=num(self._due_day),
            interval_days=num(self._ivl),
            difficulty=num(self._d),
            stability=num(self._s),
            retrievability=num(self._r),
            lapses=int(self._lapses[i]),
            reps=int(self._reps[i]),
            source=f"{e.path}:{e.line}" if e.line else e.path,
        )

    def rows(self, item_ids: Sequence[str]) -> list[BrowseRow]:
        return [self.row(i) for i in item_ids]

    def info(self, item_id: str) -> ItemInfo:
        """Everything the info pane shows about one item."""
        e = self.entries[self.index[item_id]]
        reviews = tuple(self.store.reviews(item_id))
        counts: dict[str, int] = {}
        for r in reviews:
            if r.mistake:
                counts[r.mistake] = counts.get(r.mistake, 0) + 1
        mistakes = tuple(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
        return ItemInfo(self.row(item_id), e.path, e.line, reviews, mistakes, tz=self.config.tz())

    # ----------------------------------------------------------------------- actions
    def suspend(self, item_ids: Sequence[str]) -> None:
        for item_id in item_ids:
            self.store.suspend(item_id, self.entries[self.index[item_id]].kind)
        self._update(item_ids)

    def unsuspend(self, item_ids: Sequence[str]) -> None:
        """Back into the queue; a leech also loses its leech mark (its lapses stay)."""
        changed = [
            s.replace(suspended=False, leech=False)
            for i in item_ids
            if (s := self.store.get(i)) is not None
        ]
        self.store.write_states(changed)
        self._update(item_ids)

    def bury(self, item_ids: Sequence[str]) -> None:
        """Out of the queue until the next study day; the schedule is untouched."""
        marks.bury(self.store, item_ids, self.today)
        self._update(item_ids)

    def unbury(self, item_ids: Sequence[str]) -> None:
        marks.unbury(self.store, item_ids, self.today)
        self._update(item_ids)

    def flag(self, item_ids: Sequence[str], flag: int) -> None:
        marks.set_flag(self.store, item_ids, flag)
        self._update(item_ids)

    def reset(self, item_ids: Sequence[str]) -> int:
        """Forget the items' progress: new again (the review log is kept; a backup is taken
        first). The optimizer and reschedule then ignore the answers from before."""
        from quizapp.srs.backup import backup

        fresh = [
            CardState(
                item_id=s.item_id,
                kind=s.kind,
                deck=s.deck,
                topic=s.topic,
                subkind=s.subkind,
                suspended=s.suspended,
                answered=s.answered,
                n_correct=s.n_correct,
                card_id=s.card_id,
            )
            for i in item_ids
            if (s := self.store.get(i)) is not None and s.state != NEW
        ]
        if fresh:
            backup(self.store.path, reason="reset", now=self.clock.now())
            self.store.write_states(fresh)
        self._update(item_ids)
        return len(fresh)

    def study_filter(self, item_ids: Iterable[str]) -> QueueFilter:
        """A queue filter for "study these" (the items of a search)."""
        return QueueFilter(ids=frozenset(item_ids))

    def study_these(
        self, item_ids: Iterable[str], scheduler: ReviewScheduler, rng: random.Random | None = None
    ) -> StudySession:
        """A session over the search's items, as Anki's filtered deck: every unsuspended,
        unburied match whether due or not, weakest first, answers scheduled as usual
        (FSRS handles an early review). The queue's id filter picks and orders them."""
        entries = build_queue(
            self.store,
            candidates(self.catalog),
            self.clock,
            self.config,
            filter=self.study_filter(item_ids),
            cram=True,
        )
        ids = [e.item_id for e in entries]
        return StudySession(self.catalog, scheduler, self.clock, ids, mode="study", rng=rng)


def _glob(pattern: str, value: str) -> bool:
    return fnmatch.fnmatchcase(value, pattern) if "*" in pattern else value == pattern


def _rows(n: int, rows: Sequence[int] | np.ndarray) -> np.ndarray:
    mask = np.zeros(n, bool)
    if len(rows):
        mask[np.asarray(rows, dtype=np.int64)] = True
    return mask
