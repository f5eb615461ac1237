"""The rules of a session, in one place: which intents apply at this moment, whether
ratings move the schedule, and how an automatically graded answer is rated.

Sessions put the result in their state snapshot (:mod:`quizapp.study.state`); screens
only ask the snapshot (``check_action`` is ``state.allows(action)``) and never decide.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Literal

from quizapp.srs.ratings import rating_from_outcome
from quizapp.study.items import DrillView, FlashcardView, ItemView, TrapView

if TYPE_CHECKING:  # fsrs (~11 M instructions) is imported with the first answer
    from fsrs import Rating

__all__ = [
    "MOCK_ACTIONS",
    "STUDY_ACTIONS",
    "RecordMode",
    "SessionMode",
    "auto_rating",
    "comes_back",
    "count_bucket",
    "experiment_of",
    "mock_actions",
    "ratings_apply",
    "schedules",
    "self_graded_rating",
    "study_actions",
]

#: How an answer is logged (``ReviewScheduler.answer(mode=...)``); cram never schedules.
RecordMode = Literal["review", "study", "cram", "mock"]
#: What a study screen runs: a review or study session, a cram, or free drill practice.
SessionMode = Literal["review", "study", "cram", "practice"]

#: Every intent a study session understands (the study screen's actions).
STUDY_ACTIONS = frozenset(
    {
        "reveal",
        "hint",
        "rate",
        "good",
        "pick",
        "holds",
        "submit",
        "next",
        "convention",
        "undo",
        "skip",
        "leave",
        "see_it",
    }
)
#: Every intent a mock interview understands (the mock screen's actions).
MOCK_ACTIONS = frozenset(
    {"reveal", "grade", "answer", "submit", "skip", "prev", "next", "goto", "finish", "leave"}
)


def schedules(mode: SessionMode) -> bool:
    """Whether an answer moves the item's schedule: review and study do; cram and drill
    practice are logged (accuracy, mistakes, streak) but leave the schedule alone."""
    return mode in ("review", "study")


def ratings_apply(mode: SessionMode) -> bool:
    """Whether the learner rates answers: not in drill practice (nothing to rate against).
    A cram still takes a rating (a flashcard's rating is its right/wrong in the log)."""
    return mode != "practice"


def study_actions(
    view: ItemView | None,
    *,
    mode: SessionMode,
    revealed: bool,
    answered: bool,
    hint_shown: bool,
    undoable: bool,
    remaining: int | None,
    experiment: str | None = None,
) -> frozenset[str]:
    """The intents a study session accepts now.

    ``remaining`` counts the items left including this one (None: endless practice).
    Rules: a flashcard is revealed, then rated (its hint only before the reveal, once;
    ``good`` is the one-key Good of space/enter after the reveal);
    a trap is answered by letter (pick) or y/n (holds), a drill by submitting typed
    values; an answered item goes on with next, or is re-rated (not in practice); skip
    moves an unanswered item to the end of the queue when another item is waiting
    (practice draws fresh problems, so it has nothing to skip to); undo needs an answer
    of this session; leave always works. ``see_it`` opens the lab's ``experiment`` for
    the item once its answer is shown (so time in the lab is not answer time).
    """
    if view is None:
        return frozenset({"leave", *(("undo",) if undoable else ())})
    out = {"leave"}
    if undoable:
        out.add("undo")
    if answered:
        out.add("next")
        if ratings_apply(mode):
            out.add("rate")
    elif isinstance(view, FlashcardView):
        if revealed:
            if ratings_apply(mode):
                out |= {"rate", "good"}  # space/enter = Good, Anki's habit
        else:
            out.add("reveal")
            if view.hint and not hint_shown:
                out.add("hint")
    elif isinstance(view, TrapView):
        out.add("pick" if view.mode == "pick" else "holds")
    else:
        out.add("submit")
    if view.kind == "drill":
        out.add("convention")
    if not answered and mode != "practice" and remaining is not None and remaining > 1:
        out.add("skip")
    if experiment is not None and (answered or revealed):
        out.add("see_it")
    return frozenset(out)


def experiment_of(view: ItemView | None) -> str | None:
    """The trajectory-lab experiment that shows a flashcard's or a drill's idea ("see it"),
    by drill kind, item id or topic; None for traps and unmatched items."""
    # imported when first asked (after an answer), not at start-up: the lab is ~40 ms
    from quizapp.study.lab_experiments import experiment_for

    if isinstance(view, DrillView):
        return experiment_for(item_id=view.item_id, drill_kind=view.problem.kind, topic=view.topic)
    if isinstance(view, FlashcardView):
        return experiment_for(item_id=view.item_id, topic=view.topic)
    return None


def mock_actions(
    kind: str,
    *,
    revealed: bool,
    answered: bool,
    open_: bool,
    others_unanswered: int,
) -> frozenset[str]:
    """The intents a mock interview accepts now.

    Moving between questions, finishing and abandoning always work. While the clock runs
    (``open_``), an unanswered question is answered: a conceptual one is revealed (after
    typing or saying an answer) and then graded by the learner, a trap is answered, a
    drill submitted; it can be skipped while another question is still unanswered.
    """
    out = {"prev", "next", "goto", "finish", "leave"}
    if not open_ or answered:
        return frozenset(out)
    if kind == "flashcard":
        out.add("grade" if revealed else "reveal")
    elif kind == "trap":
        out.add("answer")
    else:
        out.add("submit")
    if others_unanswered > 0:
        out.add("skip")
    return frozenset(out)


def auto_rating(
    view: ItemView,
    correct: bool,
    duration_ms: int | None,
    expected_ms: int | None = None,
    *,
    retry: bool = False,
) -> Rating:
    """The rating of an answer the app graded: wrong → Again; right → Easy when fast, Hard
    when slow, else Good (:func:`quizapp.srs.ratings.rating_from_outcome`).

    A trap is never rated Easy: picking the false statement among three or four (or
    judging one statement) can be a lucky guess, so a fast right answer is Good. Nor is a
    ``retry``, an answer given again after an undo: the learner has seen the verdict and
    the worked solution of these very numbers, so a quick right answer is not a quick
    recall (the clock restarts at the undo, as Anki's does). The learner's own rating key
    can still say Easy.
    """
    from fsrs import Rating

    rating = rating_from_outcome(view.kind, correct, duration_ms, expected_ms)
    if (retry or isinstance(view, TrapView)) and rating == Rating.Easy:
        return Rating.Good
    return rating


def self_graded_rating(grade: Literal["right", "partly", "wrong"]) -> Rating:
    """The rating of a mock flashcard the learner grades themself: right → Good, partly →
    Hard, wrong → Again. Never Easy and never timed: the clock stops at the reveal, which
    says nothing about how well (or whether) an answer was said, and in the study loop the
    learner alone chooses Easy."""
    from fsrs import Rating

    return {"right": Rating.Good, "partly": Rating.Hard, "wrong": Rating.Again}[grade]


def count_bucket(status: str) -> str:
    """Which of Anki's three counts an item is in: ``new``, ``learning`` (a learning or
    relearning step) or ``review``."""
    return "learning" if status in ("learning", "relearning") else status


def comes_back(
    mode: SessionMode,
    rating: Rating,
    state: int | None,
    due: datetime | None,
    *,
    leech: bool,
    now: datetime,
    day_end: datetime,
    first_step: timedelta,
) -> datetime | None:
    """When an item just answered is shown again in the same session, or None.

    As in Anki: an answer that leaves the item in a learning or relearning step (Again,
    a wrong drill or trap; Hard on a step) brings it back when that step is due, if that
    is within today's study day. A cram moves no schedule, so an item rated Again comes
    back after the first learning step (as Anki's filtered decks do) and any other rating
    lets it go. A new leech is set aside, and practice draws fresh problems: neither
    comes back.
    """
    from fsrs import Rating, State

    if leech or mode == "practice":
        return None
    if mode == "cram":
        return now + first_step if rating == Rating.Again else None
    if state in (State.Learning, State.Relearning) and due is not None and due < day_end:
        return due
    return None
