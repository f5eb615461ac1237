"""Progress statistics (``quizapp stats``) from the store's current-state table and
per-day rollup, so the cost does not grow with the length of the review log.

True retention follows Anki: among the *first* review of a day of items in review
state (cram excluded), the share not rated Again; young = scheduled interval < 21
days, mature = >= 21 days. "% right" (accuracy) is the share of correct answers among the
*graded* ones — traps and drills, which the app checks (all modes); a flashcard is rated by
the learner, so it counts in ``accuracy_by_kind`` (as its self-rating) and nowhere else.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from quizapp.srs.days import Clock, day_to_date, to_ms, utc_now_ms
from quizapp.srs.marks import due_today
from quizapp.srs.records import DayCounts
from quizapp.srs.scheduler import SchedulerConfig
from quizapp.srs.store import Store

__all__ = ["Stats", "compute_stats"]

TOP_MISTAKES = 10
#: The kinds whose answers the app grades (a flashcard is self-rated).
GRADED_KINDS = ("trap", "drill")
HISTORY_DAYS = 30


class _M(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Counts(_M):
    """Items by state. ``new`` counts unseen catalog items (0 without a catalog)."""

    new: int
    learning: int
    review: int
    suspended: int
    leeches: int


class DayCount(_M):
    date: date
    count: int


class Rate(_M):
    passed: int
    failed: int
    rate: float | None  # passed / (passed + failed), None when nothing was reviewed


class Retention(_M):
    young: Rate
    mature: Rate
    total: Rate


class RetentionDay(_M):
    date: date
    young: Rate
    mature: Rate
    total: Rate


class ReviewDay(_M):
    date: date
    reviews: int
    correct: int
    new_items: int
    time_ms: int


class Accuracy(_M):
    key: str
    answered: int
    correct: int
    accuracy: float | None


class MistakeCount(_M):
    mistake: str
    count: int


class MockSummary(_M):
    id: int
    at: datetime
    score: float | None
    result: dict[str, Any]


class Stats(_M):
    """Everything ``quizapp stats`` shows; ``model_dump_json()`` is the ``--json`` output."""

    generated_at: datetime
    today: date
    counts: Counts
    due_today: int
    due_next_7: list[DayCount]  # the 7 days after today
    due_next_30: list[DayCount]  # the 30 days after today
    reviews_today: int
    new_today: int
    time_today_ms: int
    reviews_per_day: list[ReviewDay]  # the last 30 days, today last, zero-filled
    true_retention: Retention  # all time
    true_retention_per_day: list[RetentionDay]  # the last 30 days, today last
    accuracy_by_kind: list[Accuracy]  # every kind; a flashcard's "correct" is its self-rating
    accuracy_graded: Accuracy  # traps and drills together: answers the app graded
    accuracy_graded_today: Accuracy  # the same, today's answers only
    accuracy_by_topic: list[Accuracy]  # graded answers only
    accuracy_by_drill_kind: list[Accuracy]
    top_mistakes: list[MistakeCount]
    streak: int  # consecutive study days, ending today (or yesterday if not yet today)
    studied_today: bool
    mocks: list[MockSummary]
    total_reviews: int
    orphans: list[str] | None = None  # ids with progress but absent from the catalog


def _rate(passed: int, failed: int) -> Rate:
    n = passed + failed
    return Rate(passed=passed, failed=failed, rate=passed / n if n else None)


def _retention(rows: Iterable[DayCounts]) -> tuple[Rate, Rate, Rate]:
    yp = yf = mp = mf = 0
    for r in rows:
        yp, yf, mp, mf = (
            yp + r.young_pass,
            yf + r.young_fail,
            mp + r.mature_pass,
            mf + r.mature_fail,
        )
    return _rate(yp, yf), _rate(mp, mf), _rate(yp + mp, yf + mf)


def _accuracy(table: dict[str, list[int]]) -> list[Accuracy]:
    """Weakest first; keys with no answers are left out."""
    out = [
        Accuracy(key=k, answered=n, correct=ok, accuracy=ok / n)
        for k, (n, ok) in table.items()
        if n
    ]
    return sorted(out, key=lambda a: (a.accuracy, a.key))


def _total(tally: list[int]) -> Accuracy:
    n, ok = tally
    return Accuracy(key="graded", answered=n, correct=ok, accuracy=ok / n if n else None)


def graded_on(store: Store, day: int) -> Accuracy:
    """The graded answers (traps and drills, every mode) given on study day ``day``: the
    "% right" of the home screen's Today line and of the stats' today."""
    kinds = ", ".join("?" * len(GRADED_KINDS))
    ((n, ok),) = store._read(  # noqa: SLF001 - stats is the store's sibling module
        "SELECT count(*), coalesce(sum(r.correct), 0) FROM reviews r "
        f"JOIN items i ON i.id = r.item WHERE r.day = ? AND i.kind IN ({kinds})",
        (day, *GRADED_KINDS),
    )
    return _total([n, ok])


def compute_stats(
    store: Store,
    clock: Clock,
    config: SchedulerConfig | None = None,
    candidates: Iterable[Any] | None = None,
) -> Stats:
    """Compute :class:`Stats`. ``candidates`` (objects with ``item_id``) is the current
    catalog: with it, ``counts.new`` and ``orphans`` are filled in."""
    config = config or SchedulerConfig()
    now = utc_now_ms(clock)
    today = config.today(now)
    read = store._read  # noqa: SLF001 - stats is the store's sibling module

    # One scan of the covering items_groups index gives state counts and accuracy.
    groups = read(
        "SELECT kind, topic, subkind, sum(answered), sum(n_correct), sum(suspended), "
        "sum(suspended = 0 AND state IN (1, 3)), sum(suspended = 0 AND state = 2), "
        "sum(suspended = 0 AND state = 0), sum(leech) FROM items GROUP BY kind, topic, subkind"
    )
    learning = review = suspended = leeches = unseen_rows = 0
    by_kind: dict[str, list[int]] = {}
    by_topic: dict[str, list[int]] = {}
    by_drill: dict[str, list[int]] = {}
    graded: dict[str, list[int]] = {"graded": [0, 0]}
    for kind, topic, subkind, answered, n_correct, susp, learn, rev, unseen, leech in groups:
        suspended += susp
        learning += learn
        review += rev
        unseen_rows += unseen
        leeches += leech
        tables: tuple[tuple[dict[str, list[int]], str], ...] = ((by_kind, kind),)
        if kind in GRADED_KINDS:
            tables += ((by_topic, topic), (graded, "graded"))
        if kind == "drill":
            tables += ((by_drill, subkind),)
        for table, key in tables:
            acc = table.setdefault(key or "", [0, 0])
            acc[0] += answered
            acc[1] += n_correct
    new = 0
    orphans: list[str] | None = None
    catalog: set[str] | None = None
    if candidates is not None:
        catalog = {c.item_id for c in candidates}
        new = len(catalog.difference(store.known_ids()))
        orphans = sorted(store.item_id_set().difference(catalog))

    # Due counts: one index range count per day boundary (exact across DST changes).
    bounds = [to_ms(config.day_bounds(today + k)[1]) for k in range(0, 31)]
    due_counts = []
    lo = None
    for hi in bounds:
        if lo is None:
            sql, params = "SELECT count(*) FROM items WHERE suspended = 0 AND due < ?", (hi,)
        else:
            sql = "SELECT count(*) FROM items WHERE suspended = 0 AND due >= ? AND due < ?"
            params = (lo, hi)
        due_counts.append(read(sql, params)[0][0])
        lo = hi
    # today: the one definition home counts too (buried items wait for tomorrow), of the
    # catalog's items when the catalog is known
    due_ids = due_today(store, today, config.day_bounds(today)[1])
    due_counts[0] = len(due_ids if catalog is None else due_ids & catalog)
    due_next = [DayCount(date=day_to_date(today + k), count=due_counts[k]) for k in range(1, 31)]

    first = today - HISTORY_DAYS + 1
    recent = {d.day: d for d in store.days(first, today)}
    window = [recent.get(d, DayCounts(day=d)) for d in range(first, today + 1)]
    reviews_per_day = [
        ReviewDay(
            date=day_to_date(d.day),
            reviews=d.reviews,
            correct=d.correct,
            new_items=d.new_items,
            time_ms=d.time_ms,
        )
        for d in window
    ]
    per_day = []
    for d in window:
        y, m, t = _retention([d])
        per_day.append(RetentionDay(date=day_to_date(d.day), young=y, mature=m, total=t))
    agg = read(
        "SELECT coalesce(sum(young_pass),0), coalesce(sum(young_fail),0), "
        "coalesce(sum(mature_pass),0), coalesce(sum(mature_fail),0), coalesce(sum(reviews),0) "
        "FROM daily"
    )[0]
    retention = Retention(
        young=_rate(agg[0], agg[1]),
        mature=_rate(agg[2], agg[3]),
        total=_rate(agg[0] + agg[2], agg[1] + agg[3]),
    )

    # Streak: walk study days backwards from today (or yesterday) while each has answers.
    studied = [
        r[0]
        for r in read("SELECT day FROM daily WHERE day <= ? ORDER BY day DESC LIMIT 4000", (today,))
    ]
    studied_today = bool(studied) and studied[0] == today
    streak = _streak(studied, today)

    mistakes = [
        MistakeCount(mistake=r[0], count=r[1])
        for r in read(
            "SELECT mistake, count(*) AS n FROM reviews WHERE mistake IS NOT NULL "
            f"GROUP BY mistake ORDER BY n DESC, mistake LIMIT {TOP_MISTAKES}"
        )
    ]
    mocks = []
    for m in store.mocks():
        score = m.result.get("score") if isinstance(m.result, dict) else None
        mocks.append(
            MockSummary(
                id=m.id,
                at=m.at,
                score=float(score) if isinstance(score, int | float) else None,
                result=m.result,
            )
        )
    today_counts = recent.get(today, DayCounts(day=today))
    return Stats(
        generated_at=now,
        today=day_to_date(today),
        counts=Counts(
            new=new if candidates is not None else unseen_rows,
            learning=learning,
            review=review,
            suspended=suspended,
            leeches=leeches,
        ),
        due_today=due_counts[0],
        due_next_7=due_next[:7],
        due_next_30=due_next,
        reviews_today=today_counts.reviews,
        new_today=today_counts.new_items,
        time_today_ms=today_counts.time_ms,
        reviews_per_day=reviews_per_day,
        true_retention=retention,
        true_retention_per_day=per_day,
        accuracy_by_kind=_accuracy(by_kind),
        accuracy_graded=_total(graded["graded"]),
        accuracy_graded_today=graded_on(store, today),
        accuracy_by_topic=_accuracy(by_topic),
        accuracy_by_drill_kind=_accuracy(by_drill),
        top_mistakes=mistakes,
        streak=streak,
        studied_today=studied_today,
        mocks=mocks,
        total_reviews=agg[4],
        orphans=orphans,
    )


def _streak(studied_desc: list[int], today: int) -> int:
    """Length of the run of consecutive days in ``studied_desc`` ending today or yesterday."""
    if not studied_desc:
        return 0
    expect = today if studied_desc[0] == today else today - 1
    n = 0
    for d in studied_desc:
        if d != expect:
            break
        n += 1
        expect -= 1
    return n
