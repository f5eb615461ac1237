"""A study session: a queue of items presented one at a time, each answer committed
the moment it is given.

Screens hold a :class:`StudySession`, render its :meth:`StudySession.state` snapshot and
send intents: ``reveal`` / ``show_hint``, ``answer_trap`` / ``answer_drill``, ``choose``
(rate a flashcard, or re-rate an automatic rating, then move on), ``next``, ``skip``,
``undo``. The session grades, picks the rating (:func:`quizapp.study.rules.auto_rating`)
and records the answer through the scheduler before returning. ``override`` changes the
rating of the answer just given (the old answer out and the new one in, in one
transaction); ``undo`` takes the last answer back and shows that item again.

Relearning happens in the session, as in Anki: an item whose answer leaves it in a
learning step (rated Again, or a wrong drill or trap) comes back once that step is
due (:func:`quizapp.study.rules.comes_back`; in a cram, after the first learning step).
Learning items that are due go before the rest of the queue; when nothing else is
left, those due within ``learn_ahead_minutes`` are shown early (Anki's learn-ahead),
so the session ends only when no learning step falls due inside that window.
"""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Literal

from quizapp.decks.loader import Catalog
from quizapp.srs.scheduler import ReviewScheduler
from quizapp.study.clock import Clock
from quizapp.study.items import (
    DrillView,
    FlashcardView,
    ItemView,
    TrapView,
    ViewFactory,
    answer_text,
    elapsed_ms,
)
from quizapp.study.rules import (
    auto_rating,
    comes_back,
    count_bucket,
    experiment_of,
    schedules,
    study_actions,
)
from quizapp.study.state import QueueCounts, StudyState

if TYPE_CHECKING:  # the records of an answer (and fsrs) are imported with the first answer
    from fsrs import Rating

    from quizapp.engine.drills.models import Verdict
    from quizapp.study.outcome import Answered, Outcome, Queues, SessionSummary
    from quizapp.study.record import AnswerRecord

__all__ = ["Mode", "SessionError", "StudySession"]

Mode = Literal["review", "study", "cram"]


class SessionError(Exception):
    """An action that does not fit the session's state (e.g. rating before revealing)."""


class Preview(Mapping["Rating", timedelta]):
    """The scheduler's preview of an item's next intervals, computed when first read: the
    rating buttons show after the reveal or an answer, so a card's first paint computes
    none (nor imports fsrs, ~11 M instructions, to compute them)."""

    __slots__ = ("_item_id", "_scheduler", "_values")

    def __init__(self, scheduler: ReviewScheduler, item_id: str) -> None:
        self._scheduler = scheduler
        self._item_id = item_id
        self._values: dict[Rating, timedelta] | None = None

    def load(self) -> dict[Rating, timedelta]:
        """The intervals, previewed now if not yet."""
        if self._values is None:
            self._values = self._scheduler.preview(self._item_id)
        return self._values

    def __getitem__(self, rating: Rating) -> timedelta:
        return self.load()[rating]

    def __iter__(self) -> Iterator[Rating]:
        return iter(self.load())

    def __len__(self) -> int:
        return len(self.load())

    def __repr__(self) -> str:
        return f"Preview({self.load()!r})"


class StudySession:
    """Presents ``item_ids`` in order and records every answer through ``scheduler``.

    ``buckets`` says which of Anki's three counts (new, learning, review) each item
    is in (looked up in the store when not given); ``learning_due`` holds items in a
    learning step and when that step is due: they are shown when due rather than in
    queue order (start_session passes today's queue this way).
    """

    def __init__(
        self,
        catalog: Catalog,
        scheduler: ReviewScheduler,
        clock: Clock,
        item_ids: Sequence[str],
        *,
        mode: Mode = "review",
        rng: random.Random | None = None,
        buckets: Mapping[str, str] | None = None,
        learning_due: Mapping[str, datetime] | None = None,
    ) -> None:
        self.catalog = catalog
        self.scheduler = scheduler
        self.clock = clock
        self.mode: Mode = mode
        self.item_ids = [i for i in item_ids if i in catalog.items]
        self.views = ViewFactory(rng or random.Random())
        self.started_at = clock.now()
        self.position = 0
        self.revealed = False
        self.hint_shown = False
        self.history: list[Answered] = []
        self._buckets = {i: self._bucket_of(i, buckets) for i in dict.fromkeys(self.item_ids)}
        learning = {i: d for i, d in (learning_due or {}).items() if i in self._buckets}
        self._learning: dict[str, datetime] = learning
        self._queue = deque(i for i in self.item_ids if i not in learning)
        self._current: ItemView | None = None
        self._presented_at = self.started_at
        self._answer_seen = False  # the item is shown again after an undo of its answer
        self._pending: Outcome | None = None
        self._intervals: Preview | None = None
        self._present()

    def _bucket_of(self, item_id: str, given: Mapping[str, str] | None) -> str:
        if given is not None and item_id in given:
            return count_bucket(given[item_id])
        state = self.scheduler.store.get(item_id)
        return count_bucket(state.status if state is not None else "new")

    # -- what to show -------------------------------------------------------------------
    @property
    def total(self) -> int:
        """Items moved past plus items still to show (grows when an item must be relearnt)."""
        return self.position + self._remaining(ahead=None)

    @property
    def finished(self) -> bool:
        return self._current is None

    @property
    def current(self) -> ItemView | None:
        return self._current

    @property
    def last_outcome(self) -> Outcome | None:
        """The outcome of the answer just given to the current item (before ``next``)."""
        return self._pending

    def intervals(self) -> Mapping[Rating, timedelta]:
        """Next interval for each rating of the current item (Anki's button labels).

        Computed from the state the item had when it was shown (when first read, or at
        the answer), so after an answer the labels still tell what each override would do.
        """
        if self._current is None:
            return {}
        if self._intervals is None:
            self._intervals = Preview(self.scheduler, self._current.item_id)
        return self._intervals

    def counts(self) -> QueueCounts:
        """Anki's three numbers: new, learning and review items still to show, the one on
        screen included until it is answered (then it counts again only if it comes back)."""
        tally = {"new": 0, "learning": 0, "review": 0}
        for item_id in self._queue:
            tally[self._buckets[item_id]] += 1
        tally["learning"] += len(self._learning)
        current = None
        if self._current is not None and self._pending is None:
            current = self._buckets[self._current.item_id]
            tally[current] += 1
        return QueueCounts(tally["new"], tally["learning"], tally["review"], current)

    def state(self) -> StudyState:
        """The snapshot a screen renders: the item, its answer, intervals, allowed intents."""
        view = self._current
        answered = self._pending is not None
        experiment = experiment_of(view) if answered or self.revealed else None
        return StudyState(
            mode=self.mode,
            view=view,
            revealed=self.revealed,
            hint_shown=self.hint_shown,
            outcome=self._pending,
            intervals=self.intervals() if schedules(self.mode) else {},
            allowed=study_actions(
                view,
                mode=self.mode,
                revealed=self.revealed,
                answered=answered,
                hint_shown=self.hint_shown,
                undoable=bool(self.history),
                remaining=self._remaining(ahead=self._learn_ahead()),
                experiment=experiment,
            ),
            position=self.position,
            total=self.total,
            answered_count=len(self.history),
            counts=self.counts(),
            experiment=experiment,
        )

    def reveal(self) -> None:
        """Show a flashcard's answer."""
        self.revealed = True

    def show_hint(self) -> None:
        """Show the current flashcard's hint (as in Anki, only when asked for)."""
        self.hint_shown = True

    # -- answers ------------------------------------------------------------------------
    def rate(self, rating: Rating) -> Outcome:
        """Rate the current flashcard (after revealing it)."""
        view = self._require(FlashcardView)
        if not self.revealed:
            raise SessionError("reveal the answer before rating it")
        from quizapp.study.record import AnswerRecord

        record = AnswerRecord.of(
            view, rating, mode=self.mode, duration_ms=self._duration_ms(), correct=None
        )
        return self._record(view, record, suggested=rating)

    def answer_trap(self, choice: int | bool) -> Outcome:
        """Answer the current trap: an index (pick mode) or a bool (holds mode)."""
        view = self._require(TrapView)
        correct = view.judge(choice)
        duration = self._duration_ms()
        suggested = auto_rating(view, correct, duration, retry=self._answer_seen)
        answer = str(choice) if view.mode == "pick" else ("holds" if choice else "does not hold")
        self.revealed = True
        from quizapp.study.record import AnswerRecord

        record = AnswerRecord.of(
            view, suggested, mode=self.mode, duration_ms=duration, correct=correct, answer=answer
        )
        return self._record(view, record, suggested=suggested, choice=choice)

    def answer_drill(self, answers: str | dict[str, str]) -> Outcome:
        """Grade typed answers. An unparsable answer raises ``AnswerParseError`` and
        records nothing."""
        view = self._require(DrillView)
        verdict = view.grade(answers)  # raises AnswerParseError before anything is recorded
        duration = self._duration_ms()
        suggested = auto_rating(view, verdict.correct, duration, retry=self._answer_seen)
        self.revealed = True
        from quizapp.study.record import AnswerRecord

        record = AnswerRecord.of(
            view,
            suggested,
            mode=self.mode,
            duration_ms=duration,
            correct=verdict.correct,
            answer=answer_text(answers),
            mistake=verdict.mistake,
        )
        return self._record(view, record, suggested=suggested, verdict=verdict)

    def override(self, rating: Rating) -> Outcome:
        """Change the rating of the answer just given (before moving on)."""
        if self._pending is None or not self.history:
            raise SessionError("there is no answer to re-rate")
        last = self.history[-1]
        old = last.outcome
        return self._record(
            last.view,
            last.record.with_rating(rating),
            suggested=old.suggested,
            verdict=old.verdict,
            choice=old.choice,
            replace=True,
        )

    def choose(self, rating: Rating) -> None:
        """The learner's rating key: rate a revealed flashcard, or change the automatic
        rating of an answered item when it differs; then go on to the next item."""
        outcome = self._pending
        if outcome is None:
            self.rate(rating)
        elif rating != outcome.rating:
            self.override(rating)
        self.next()

    def next(self) -> ItemView | None:
        """Move on to the next item (after answering the current one)."""
        if self._pending is None:
            raise SessionError("answer the current item first")
        self.position += 1
        self._present()
        return self._current

    def skip(self) -> ItemView | None:
        """Leave the current item unanswered and move it to the end of the queue."""
        if self._current is None or self._pending is not None:
            raise SessionError("nothing to skip")
        skipped = self._current.item_id
        following = self._draw(self.clock.now())  # anything but the skipped item first
        self._queue.append(skipped)
        if following is not None:
            self._queue.appendleft(following)
        self._present()
        return self._current

    def undo(self) -> ItemView | None:
        """Take back the last answer: the schedule and log are restored exactly and the
        same item (the same drill numbers) is shown again."""
        if not self.history:
            raise SessionError("nothing to undo")
        last = self.history[-1]
        if self.scheduler.undo_last() is None:
            raise SessionError(
                "the last answer cannot be undone: the item was answered elsewhere since"
            )
        self.history.pop()
        self.position = last.position
        self._restore(last.before)
        self._pending = None
        self._intervals = None
        self.revealed = False
        self.hint_shown = False
        self._current = last.view
        self._presented_at = self.clock.now()
        self._answer_seen = True
        return self._current

    def summary(self) -> SessionSummary:
        from quizapp.study.outcome import summarize

        later = sorted(self._learning.values())
        view = self._current
        if view is not None and self._pending is None and self._buckets[view.item_id] == "learning":
            # the item on screen left its learning queue when shown, and is still in its
            # step: it is due now (counts() shows it as learning too)
            later.insert(0, self.clock.now())
        return summarize(
            [a.outcome for a in self.history],
            self.clock.now() - self.started_at,
            scheduled=schedules(self.mode),
            learning_left=len(later),
            next_learning=later[0] if later else None,
            left=0 if self.finished else self.counts().total,
        )

    # -- internals ----------------------------------------------------------------------
    def _learn_ahead(self) -> datetime:
        return self.clock.now() + timedelta(minutes=self.scheduler.config.learn_ahead_minutes)

    def _remaining(self, *, ahead: datetime | None) -> int:
        """Items left including the one on screen (unless answered); learning steps count
        when due by ``ahead`` (None: all of them)."""
        learning = sum(1 for due in self._learning.values() if ahead is None or due <= ahead)
        on_screen = self._current is not None and self._pending is None
        return int(on_screen) + len(self._queue) + learning

    def _draw(self, now: datetime) -> str | None:
        """The next item to show (taken off its queue): a learning step that is due, else
        the queue in order, else a learning step due within the learn-ahead window."""
        due = min(((d, i) for i, d in self._learning.items() if d <= now), default=None)
        if due is None and self._queue:
            return self._queue.popleft()
        if due is None:
            limit = self._learn_ahead()
            due = min(((d, i) for i, d in self._learning.items() if d <= limit), default=None)
        if due is None:
            return None
        del self._learning[due[1]]
        return due[1]

    def _snapshot(self, item_id: str) -> Queues:
        from quizapp.study.outcome import Queues

        return Queues(
            tuple(self._queue), tuple(self._learning.items()), item_id, self._buckets[item_id]
        )

    def _restore(self, queues: Queues) -> None:
        self._queue = deque(queues.queue)
        self._learning = dict(queues.learning)
        self._buckets[queues.item] = queues.bucket

    def _present(self) -> None:
        self._pending = None
        self._intervals = None
        self.revealed = False
        self.hint_shown = False
        self._answer_seen = False
        self._presented_at = self.clock.now()
        item_id = self._draw(self._presented_at)
        if item_id is None:
            self._current = None
            return
        self._current = self.views.build(self.catalog.items[item_id])

    def _require(self, kind: type) -> ItemView:
        view = self._current
        if view is None:
            raise SessionError("the session is over")
        if self._pending is not None:
            raise SessionError("this item is already answered; move on or undo")
        if not isinstance(view, kind):
            raise SessionError(f"the current item is a {view.kind}")
        return view

    def _duration_ms(self) -> int:
        return elapsed_ms(self._presented_at, self.clock.now())

    def _record(
        self,
        view: ItemView,
        record: AnswerRecord,
        *,
        suggested: Rating,
        verdict: Verdict | None = None,
        choice: int | bool | None = None,
        replace: bool = False,
    ) -> Outcome:
        if self._pending is None:
            intervals = self.intervals()  # keep the pre-answer labels for a later override
            if isinstance(intervals, Preview):
                intervals.load()
        before = self.history[-1].before if replace else self._snapshot(view.item_id)
        # A re-rate swaps the last answer for the new one in one transaction.
        result = record.commit(self.scheduler, replace=replace)
        if result is None:
            raise SessionError(
                "this answer cannot be re-rated: the item was answered elsewhere since"
            )
        if replace:
            self.history.pop()
        from quizapp.study.outcome import Answered, outcome_of

        outcome = outcome_of(record, result, suggested=suggested, verdict=verdict, choice=choice)
        self.history.append(Answered(self.position, view, record, outcome, before))
        self._pending = outcome
        self._restore(before)  # a re-rate first forgets what the old rating decided
        now = self.clock.now()
        back = comes_back(
            self.mode,
            record.rating,
            result.state.state if result is not None else None,
            result.due if result is not None else None,
            leech=result.became_leech if result is not None else False,
            now=now,
            day_end=self.scheduler.config.day_bounds(self.scheduler.config.today(now))[1],
            first_step=(self.scheduler.config.learning_steps or (timedelta(minutes=1),))[0],
        )
        if back is not None:
            self._learning[view.item_id] = back
            self._buckets[view.item_id] = "learning"
        return outcome
