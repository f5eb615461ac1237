"""Turning the answers of a mock interview into its :class:`MockReport` (pure functions).

The weakest areas rank only what was answered in this interview: an area (a topic or a
drill kind) is a candidate when at least one of its questions was answered, and its score
is the smoothed accuracy (points + log correct + 1) / (answered + log answered + 2), so one
unlucky question does not outweigh a long history. An area whose questions were all left
unanswered says nothing about the learner and is not listed. Items to review next: the
area's questions missed in this mock (wrong, partly, then unanswered), then its items with
the lowest accuracy in the log; each is named by its title.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any, Literal

from quizapp.decks.loader import Catalog
from quizapp.engine.drills import MISTAKES
from quizapp.study.format import item_title, plural, topic_title
from quizapp.study.mock_report import (
    MistakeLine,
    MockReport,
    QuestionResult,
    ScoreLine,
    TimeLine,
    TrendPoint,
    WeakArea,
)
from quizapp.study.mock_select import Weakness, drill_kind_of

__all__ = ["build_report", "score_line", "trend_from_mocks", "weakest_note"]

KIND_ORDER = ("flashcard", "trap", "drill")
REVIEW_ITEMS = 3
_MISS_ORDER = {"wrong": 0, "partly": 1, "unanswered": 2}


def score_line(name: str, results: Iterable[QuestionResult]) -> ScoreLine:
    """Counts and points of ``results``."""
    rs = list(results)
    count = {
        s: sum(1 for r in rs if r.status == s) for s in ("right", "partly", "wrong", "unanswered")
    }
    return ScoreLine(
        name=name,
        asked=len(rs),
        answered=len(rs) - count["unanswered"],
        right=count["right"],
        partly=count["partly"],
        wrong=count["wrong"],
        unanswered=count["unanswered"],
        points=sum(r.points for r in rs),
        unrated=sum(1 for r in rs if r.unrated),
    )


def _group(
    results: Sequence[QuestionResult],
    key: Callable[[QuestionResult], str | None],
    order: Sequence[str] = (),
) -> list[ScoreLine]:
    groups: dict[str, list[QuestionResult]] = defaultdict(list)
    for r in results:
        k = key(r)
        if k is not None:
            groups[k].append(r)
    rank = {name: i for i, name in enumerate(order)}
    names = sorted(groups, key=lambda n: (rank.get(n, len(rank)), n))
    return [score_line(n, groups[n]) for n in names]


def _time_lines(results: Sequence[QuestionResult]) -> list[TimeLine]:
    out: list[TimeLine] = []
    for kind in KIND_ORDER:
        done = [r for r in results if r.kind == kind and r.answered]
        asked = [r for r in results if r.kind == kind]
        if not asked:
            continue
        out.append(
            TimeLine(
                kind=kind,
                answered=len(done),
                mean_ms=round(sum(r.time_ms for r in done) / len(done)) if done else 0,
                target_ms=asked[0].target_ms,
                over_target=sum(1 for r in done if r.over_target),
            )
        )
    return out


def _mistakes(results: Sequence[QuestionResult]) -> list[MistakeLine]:
    found: dict[str, list[str]] = defaultdict(list)
    for r in results:
        if r.mistake:
            found[r.mistake].append(r.item_id)
    lines = [
        MistakeLine(mistake=m, explanation=MISTAKES.get(m, m), count=len(ids), items=ids)
        for m, ids in found.items()
    ]
    return sorted(lines, key=lambda m: (-m.count, m.mistake))


def _weakest(
    results: Sequence[QuestionResult], catalog: Catalog, weakness: Weakness, n: int = 3
) -> list[WeakArea]:
    areas: list[
        tuple[float, Literal["topic", "drill kind"], str, list[QuestionResult], int, int]
    ] = []
    candidates: list[tuple[Literal["topic", "drill kind"], str, list[QuestionResult]]] = []
    by_topic: dict[str, list[QuestionResult]] = defaultdict(list)
    by_drill: dict[str, list[QuestionResult]] = defaultdict(list)
    for r in results:
        if not r.answered:
            continue  # an unanswered question ranks nothing
        by_topic[r.topic].append(r)
        if r.drill_kind:
            by_drill[r.drill_kind].append(r)
    candidates += [("topic", t, rs) for t, rs in by_topic.items()]
    candidates += [("drill kind", k, rs) for k, rs in by_drill.items()]
    for area, name, answered in candidates:
        points = sum(r.points for r in answered)
        tally = (weakness.topics if area == "topic" else weakness.drill_kinds).get(name)
        log_n, log_c = (tally.answered, tally.correct) if tally else (0, 0)
        score = (points + log_c + 1) / (len(answered) + log_n + 2)
        areas.append((score, area, name, answered, log_n, log_c))
    # Weakest first; an area with misses in this mock outranks an equal one without.
    areas.sort(key=lambda a: (a[0], -sum(1 for r in a[3] if r.status != "right"), a[1], a[2]))
    out: list[WeakArea] = []
    for score, area, name, answered, log_n, log_c in areas:
        if len(out) >= n:
            break
        if all(r.status == "right" for r in answered) and score >= 0.5:
            continue  # nothing weak to show here
        in_area = [r for r in results if _in_area(r, area, name)]
        items = _review_items(area, name, in_area, catalog, weakness)
        out.append(
            WeakArea(
                area=area,
                name=name,
                score=score,
                mock_points=sum(r.points for r in answered),
                mock_answered=len(answered),
                history_answered=log_n,
                history_correct=log_c,
                review_items=items,
                review_titles=[_title(i, catalog, results) for i in items],
            )
        )
    return out


def _in_area(r: QuestionResult, area: str, name: str) -> bool:
    return r.topic == name if area == "topic" else r.drill_kind == name


def _title(item_id: str, catalog: Catalog, results: Sequence[QuestionResult]) -> str:
    entry = catalog.items.get(item_id)
    if entry is not None:
        return item_title(entry.item)
    return next((r.name for r in results if r.item_id == item_id), item_id)


def _review_items(
    area: str, name: str, rs: Sequence[QuestionResult], catalog: Catalog, weakness: Weakness
) -> list[str]:
    missed = sorted(
        (r for r in rs if r.status != "right"), key=lambda r: (_MISS_ORDER[r.status], r.number)
    )
    picked: list[str] = []
    for r in missed:
        if r.item_id not in picked:
            picked.append(r.item_id)
    if len(picked) < REVIEW_ITEMS:
        in_area = [
            e
            for e in catalog.items.values()
            if (e.topic == name if area == "topic" else drill_kind_of(e) == name)
            and e.id not in picked
        ]
        # Weakest in the log first; unseen items (accuracy 0.5) before well-known ones.
        in_area.sort(key=lambda e: (weakness.item_accuracy(e.id), -weakness.answered(e.id), e.id))
        picked += [e.id for e in in_area[: REVIEW_ITEMS - len(picked)]]
    return picked[:REVIEW_ITEMS]


def weakest_note(report: MockReport) -> str | None:
    """What the weakest-areas section says when it ranks no area (None when it ranks one).

    Only answered questions rank an area, so an area whose questions were all left
    unanswered (or typed and never graded) is named as not ranked rather than passed
    over as if it had been right.
    """
    if report.weakest:
        return None
    graded = [q for q in report.questions if q.answered]
    open_topics: dict[str, list[QuestionResult]] = defaultdict(list)
    for q in report.questions:
        if not q.answered:
            open_topics[q.topic].append(q)
    unranked = [
        f"topic {topic_title(t)} ({_open_count(qs)})"
        for t, qs in open_topics.items()
        if not any(q.answered for q in report.questions if q.topic == t)
    ]
    if not graded:
        head = "Nothing was graded, so no area can be ranked"
        return head + (f": {', '.join(unranked)}." if unranked else ".")
    if all(q.status == "right" for q in graded):
        n = len(graded)
        head = "No weak area among the graded answers: " + (
            "the one graded was right" if n == 1 else f"all {n} were right"
        )
    else:
        head = "No weak area stands out among the graded answers"
    if not unranked:
        return head + "."
    return f"{head}. Not ranked, nothing there was graded: {'; '.join(unranked)}."


def _open_count(questions: Sequence[QuestionResult]) -> str:
    typed = sum(1 for q in questions if q.unrated)
    left = len(questions) - typed
    parts = []
    if left:
        parts.append(f"{plural(left, 'question')} unanswered")
    if typed:
        parts.append(f"{plural(typed, 'answer')} typed but not graded")
    return ", ".join(parts)


def trend_from_mocks(previous: Iterable[dict[str, Any]], limit: int = 9) -> list[TrendPoint]:
    """Trend points of earlier saved reports (their JSON), oldest first; unreadable ones skipped."""
    points: list[TrendPoint] = []
    for result in previous:
        try:
            total = result["total"]
            asked = int(total["asked"])
            answered = int(total["answered"])
            pts = float(total["points"])
            at = datetime.fromisoformat(result["finished_at"])
        except (KeyError, TypeError, ValueError):
            continue  # a report from another version: leave it out of the trend
        points.append(
            TrendPoint(
                at=at,
                score=pts / asked if asked else 0.0,
                accuracy=pts / answered if answered else None,
                asked=asked,
            )
        )
    return points[-limit:]


def build_report(
    *,
    results: Sequence[QuestionResult],
    catalog: Catalog,
    weakness: Weakness,
    previous: Iterable[dict[str, Any]],
    started_at: datetime,
    finished_at: datetime,
    ended_by: Literal["finished", "time"],
    minutes: int,
    practice: bool,
    topic: str | None,
    seed: int,
) -> MockReport:
    """The report of a finished interview (see the module doc for the weakest areas)."""
    total = score_line("all", results)
    current = TrendPoint(
        at=finished_at, score=total.score, accuracy=total.accuracy, asked=total.asked, current=True
    )
    return MockReport(
        started_at=started_at,
        finished_at=finished_at,
        ended_by=ended_by,
        minutes=minutes,
        practice=practice,
        topic=topic,
        seed=seed,
        questions=list(results),
        score=total.score,
        accuracy=total.accuracy,
        total=total,
        by_topic=_group(results, lambda r: r.topic),
        by_kind=_group(results, lambda r: r.kind, KIND_ORDER),
        by_drill_kind=_group(results, lambda r: r.drill_kind),
        time_by_kind=_time_lines(results),
        mistakes=_mistakes(results),
        weakest=_weakest(results, catalog, weakness),
        trend=[*trend_from_mocks(previous), current],
    )
