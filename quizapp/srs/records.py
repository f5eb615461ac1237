"""Plain records the store hands out: an item's current state and a day's counts (a
logged review is in :mod:`quizapp.srs.answers`, imported with the first answer).

They are frozen slotted records (:class:`~quizapp.plain.Frozen`) rather than pydantic
models on purpose: the queue builds tens of thousands of them per call and validation
would dominate; nor dataclasses, which cost ~4 M instructions each to build at import, on
a review's first card's path.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from quizapp.plain import Frozen
from quizapp.srs.days import from_ms, to_ms
from quizapp.srs.errors import StoreError as StoreError  # re-exported: it lived here

if TYPE_CHECKING:  # fsrs is imported when a state is first handed to it
    from fsrs import Card

NEW = 0
STATUS_NAMES = {0: "new", 1: "learning", 2: "review", 3: "relearning"}
MODES = ("review", "study", "cram", "mock")


class CardState(Frozen):
    """The current scheduling state of one item (one row of ``items``).

    ``state`` is 0 for an item never answered (e.g. suspended before its first
    review), else the :class:`fsrs.State` value. Times are aware UTC datetimes.
    """

    __slots__ = (
        "item_id",
        "kind",
        "state",
        "step",
        "stability",
        "difficulty",
        "due",
        "last_review",
        "first_review",
        "reps",
        "lapses",
        "suspended",
        "leech",
        "deck",
        "topic",
        "subkind",
        "answered",
        "n_correct",
        "card_id",
    )
    item_id: str
    kind: str
    state: int
    step: int | None
    stability: float | None
    difficulty: float | None
    due: datetime | None
    last_review: datetime | None
    first_review: datetime | None
    reps: int
    lapses: int
    suspended: bool
    leech: bool
    deck: str | None
    topic: str | None
    subkind: str | None
    answered: int
    n_correct: int
    card_id: int | None

    def __init__(
        self,
        item_id: str,
        kind: str,
        state: int = NEW,
        step: int | None = None,
        stability: float | None = None,
        difficulty: float | None = None,
        due: datetime | None = None,
        last_review: datetime | None = None,
        first_review: datetime | None = None,
        reps: int = 0,
        lapses: int = 0,
        suspended: bool = False,
        leech: bool = False,
        deck: str | None = None,
        topic: str | None = None,
        subkind: str | None = None,
        answered: int = 0,
        n_correct: int = 0,
        card_id: int | None = None,
    ) -> None:
        setattr_ = object.__setattr__
        setattr_(self, "item_id", item_id)
        setattr_(self, "kind", kind)
        setattr_(self, "state", state)
        setattr_(self, "step", step)
        setattr_(self, "stability", stability)
        setattr_(self, "difficulty", difficulty)
        setattr_(self, "due", due)
        setattr_(self, "last_review", last_review)
        setattr_(self, "first_review", first_review)
        setattr_(self, "reps", reps)
        setattr_(self, "lapses", lapses)
        setattr_(self, "suspended", suspended)
        setattr_(self, "leech", leech)
        setattr_(self, "deck", deck)
        setattr_(self, "topic", topic)
        setattr_(self, "subkind", subkind)
        setattr_(self, "answered", answered)
        setattr_(self, "n_correct", n_correct)
        setattr_(self, "card_id", card_id)

    @property
    def status(self) -> str:
        """One of: new, learning, review, relearning."""
        return STATUS_NAMES[self.state]

    @property
    def is_new(self) -> bool:
        return self.state == NEW

    @property
    def tags(self) -> tuple[str, ...]:
        """Tags the scheduler adds (``"leech"``)."""
        return ("leech",) if self.leech else ()

    @property
    def interval_days(self) -> float | None:
        """The scheduled interval (due - last review) in days, or None."""
        if self.due is None or self.last_review is None:
            return None
        return (self.due - self.last_review).total_seconds() / 86400.0

    def to_fsrs(self, card_id: int) -> Card:
        """This state as an :class:`fsrs.Card` (a new item becomes a fresh Learning card)."""
        from fsrs import Card, State

        if self.state == NEW:
            return Card(card_id=card_id, state=State.Learning, step=0, due=self.due or from_ms(0))
        return Card(
            card_id=card_id,
            state=State(self.state),
            step=self.step,
            stability=self.stability,
            difficulty=self.difficulty,
            due=self.due,
            last_review=self.last_review,
        )

    def to_row(self) -> dict[str, Any]:
        """Column values for ``items`` (times as epoch ms)."""
        return {
            "item_id": self.item_id,
            "kind": self.kind,
            "deck": self.deck,
            "topic": self.topic,
            "subkind": self.subkind,
            "state": self.state,
            "step": self.step,
            "stability": self.stability,
            "difficulty": self.difficulty,
            "due": to_ms(self.due) if self.due else None,
            "last_review": to_ms(self.last_review) if self.last_review else None,
            "first_review": to_ms(self.first_review) if self.first_review else None,
            "reps": self.reps,
            "lapses": self.lapses,
            "suspended": int(self.suspended),
            "leech": int(self.leech),
            "answered": self.answered,
            "n_correct": self.n_correct,
        }

    @classmethod
    def from_row(cls, row: Any) -> CardState:
        """Build from a ``sqlite3.Row`` (or mapping) of ``items``."""

        def t(ms: int | None) -> datetime | None:
            return from_ms(ms) if ms is not None else None

        return cls(
            item_id=row["item_id"],
            kind=row["kind"],
            state=row["state"],
            step=row["step"],
            stability=row["stability"],
            difficulty=row["difficulty"],
            due=t(row["due"]),
            last_review=t(row["last_review"]),
            first_review=t(row["first_review"]),
            reps=row["reps"],
            lapses=row["lapses"],
            suspended=bool(row["suspended"]),
            leech=bool(row["leech"]),
            deck=row["deck"],
            topic=row["topic"],
            subkind=row["subkind"],
            answered=row["answered"],
            n_correct=row["n_correct"],
            card_id=row["id"],
        )


class DayCounts(Frozen):
    """One study day's rollup (see ``daily`` in :mod:`quizapp.srs.schema`)."""

    __slots__ = (
        "day", "reviews", "correct", "new_items", "due_reviews",
        "young_pass", "young_fail", "mature_pass", "mature_fail", "time_ms",
    )  # fmt: skip
    day: int
    reviews: int
    correct: int
    new_items: int
    due_reviews: int
    young_pass: int
    young_fail: int
    mature_pass: int
    mature_fail: int
    time_ms: int

    def __init__(
        self,
        day: int,
        reviews: int = 0,
        correct: int = 0,
        new_items: int = 0,
        due_reviews: int = 0,
        young_pass: int = 0,
        young_fail: int = 0,
        mature_pass: int = 0,
        mature_fail: int = 0,
        time_ms: int = 0,
    ) -> None:
        setattr_ = object.__setattr__
        setattr_(self, "day", day)
        setattr_(self, "reviews", reviews)
        setattr_(self, "correct", correct)
        setattr_(self, "new_items", new_items)
        setattr_(self, "due_reviews", due_reviews)
        setattr_(self, "young_pass", young_pass)
        setattr_(self, "young_fail", young_fail)
        setattr_(self, "mature_pass", mature_pass)
        setattr_(self, "mature_fail", mature_fail)
        setattr_(self, "time_ms", time_ms)
