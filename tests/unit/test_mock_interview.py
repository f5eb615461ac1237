"""MockInterview without a terminal: selection, answers, time, scheduling and the report."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from fsrs import Rating
from hypothesis import given
from hypothesis import strategies as st

from quizapp.engine import drills
from quizapp.engine.answers import AnswerParseError
from quizapp.srs.scheduler import ReviewScheduler, SchedulerConfig
from quizapp.srs.store import Store
from quizapp.study.clock import FakeClock
from quizapp.study.items import DrillView, TrapView
from quizapp.study.mock import MockConfig, MockError, MockInterview, MockPlanError
from quizapp.study.mock_report import MockReport
from quizapp.study.mock_scoring import weakest_note
from quizapp.study.mock_select import item_weight, kind_quotas, load_weakness, plan_questions
from tests.unit.test_mock_deck import load_deck

FIXED = [
    "mock.adam.idea",  # 1 flashcard: right
    "mock.trap.adamw",  # 2 trap: wrong
    "mock.drill.bias",  # 3 drill: wrong with a diagnosed mistake
    "mock.sgd.momentum",  # 4 flashcard: partly
    "mock.drill.steps",  # 5 drill: right
    "mock.trap.warmup",  # 6 trap: skipped, never answered
    "mock.lr.cosine",  # 7 flashcard: revealed, never graded
]


@pytest.fixture
def env(tmp_path: Path):
    catalog = load_deck(tmp_path / "deck")
    clock = FakeClock()
    store = Store.open(tmp_path / "progress.sqlite3")
    scheduler = ReviewScheduler(store, SchedulerConfig(enable_fuzzing=False), clock)
    yield catalog, scheduler, clock
    store.close()


def _start(env, **config) -> MockInterview:
    catalog, scheduler, clock = env
    item_ids = config.pop("item_ids", None)
    cfg = MockConfig(**{"seed": 7, **config})
    return MockInterview.start(catalog, scheduler, clock, cfg, item_ids=item_ids)


def _right_trap_choice(view: TrapView) -> int | bool:
    return view.trap_index if view.mode == "pick" else view.holds


def _wrong_trap_choice(view: TrapView) -> int | bool:
    if view.mode == "pick":
        return (view.trap_index + 1) % len(view.statements)
    return not view.holds


# -- selection --------------------------------------------------------------------------------
def test_same_seed_same_interview_and_a_real_mix(env) -> None:
    a = _start(env, seed=11, questions=8)
    b = _start(env, seed=11, questions=8)
    ids = [q.entry.id for q in a.questions]
    assert ids == [q.entry.id for q in b.questions]
    assert len(set(ids)) == 8
    kinds = Counter(q.kind for q in a.questions)
    assert kinds == {"flashcard": 4, "trap": 2, "drill": 2}
    # the same drill numbers too
    da = [q.view.problem for q in a.questions if isinstance(q.view, DrillView)]
    db = [q.view.problem for q in b.questions if isinstance(q.view, DrillView)]
    assert da == db
    # kinds are spread out: never the same kind three times in a row
    seq = [q.kind for q in a.questions]
    assert all(len({*seq[i : i + 3]}) > 1 for i in range(len(seq) - 2))
    others = {
        tuple(q.entry.id for q in _start(env, seed=s, questions=8).questions) for s in range(5)
    }
    assert len(others) > 1


def test_topic_filter_and_more_questions_than_items(env) -> None:
    mock = _start(env, topic="sgd", questions=50)
    assert {q.entry.topic for q in mock.questions} == {"sgd"}
    assert mock.total == 4  # all four sgd items, none twice
    with pytest.raises(
        MockPlanError, match="no items in topic 'nope'; topics: adam, schedules, sgd"
    ):
        _start(env, topic="nope")


def test_kind_quotas_follow_the_mix_and_fill_from_other_kinds() -> None:
    assert kind_quotas(12, {"flashcard": 20, "trap": 20, "drill": 20}) == {
        "flashcard": 6,
        "trap": 3,
        "drill": 3,
    }
    assert kind_quotas(12, {"flashcard": 20, "trap": 1, "drill": 2}) == {
        "flashcard": 9,
        "trap": 1,
        "drill": 2,
    }
    assert kind_quotas(5, {"flashcard": 3}) == {"flashcard": 3}
    assert sum(kind_quotas(7, {"flashcard": 9, "trap": 9, "drill": 9}).values()) == 7


def test_weak_items_are_asked_more_often(env) -> None:
    catalog, scheduler, clock = env
    weak, strong = "mock.sgd.batch", "mock.lr.warmup"
    for _ in range(4):
        scheduler.answer(weak, "flashcard", Rating.Again, mode="review", topic="sgd")
        scheduler.answer(strong, "flashcard", Rating.Good, mode="review", topic="schedules")
    weakness = load_weakness(scheduler.store, catalog, clock.now())
    assert weakness.recent_again[weak] == 4
    assert weakness.item_accuracy(weak) < 0.5 < weakness.item_accuracy(strong)
    picks: Counter[str] = Counter()
    for seed in range(300):
        for entry in plan_questions(catalog, weakness, questions=4, seed=seed):
            picks[entry.id] += 1
    # 2 flashcards of 6 per interview: a uniform draw would give each about 100 picks.
    assert picks[weak] > 150
    assert picks[strong] < 90
    assert picks[weak] > 2 * picks[strong]


# -- a whole interview ------------------------------------------------------------------------
def _sit(mock: MockInterview, clock: FakeClock) -> dict[str, object]:
    """Answer FIXED as its comments say; returns what the test needs to check."""
    q = mock.current  # 1 flashcard, right in 20 s
    clock.advance(seconds=20)
    mock.reveal("momentum + rmsprop")
    clock.advance(seconds=5)  # reading the model answer costs nothing
    mock.grade_flashcard("right")

    q = mock.goto(1)  # 2 trap, wrong
    clock.advance(seconds=10)
    assert isinstance(q.view, TrapView)
    mock.answer_trap(_wrong_trap_choice(q.view))

    q = mock.goto(2)  # 3 drill: the value without bias correction
    assert isinstance(q.view, DrillView)
    problem = q.view.problem
    clock.advance(seconds=100)
    with pytest.raises(AnswerParseError):
        mock.answer_drill("zero point one")
    assert not q.answered
    clock.advance(seconds=50)  # 150 s in all: over the 120 s target
    wrong = drills.solve(problem, "no_bias_correction")[problem.primary]
    mock.answer_drill(repr(wrong))

    q = mock.goto(3)  # 4 flashcard, partly
    clock.advance(seconds=30)
    mock.reveal(None)
    mock.grade_flashcard("partly")

    q = mock.goto(5)  # 6 trap: seen, then skipped
    clock.advance(seconds=5)
    mock.skip()  # → 7? no: skip goes to the next unanswered after 6, which is 7
    assert mock.position == 6
    clock.advance(seconds=10)
    mock.reveal("warm")  # 7 flashcard revealed but never graded

    q = mock.goto(4)  # 5 drill, right
    assert isinstance(q.view, DrillView)
    p5 = q.view.problem
    clock.advance(seconds=40)
    mock.answer_drill(repr(p5.answers[p5.primary]))
    return {"bias_mistake": "no_bias_correction"}


def test_whole_interview_report_scheduling_and_saved_result(env) -> None:
    catalog, scheduler, clock = env
    mock = _start(env, item_ids=FIXED, minutes=10)
    start = clock.now()
    info = _sit(mock, clock)
    clock.advance(seconds=30)
    report = mock.finish()

    statuses = [q.status for q in report.questions]
    assert statuses == ["right", "wrong", "wrong", "partly", "right", "unanswered", "unanswered"]
    t = report.total
    assert (t.asked, t.answered, t.right, t.partly, t.wrong, t.unanswered) == (7, 5, 2, 1, 2, 2)
    assert t.points == 2.5
    assert report.score == pytest.approx(2.5 / 7)
    assert report.accuracy == pytest.approx(2.5 / 5)
    assert report.ended_by == "finished"

    by_kind = {line.name: line for line in report.by_kind}
    assert [line.name for line in report.by_kind] == ["flashcard", "trap", "drill"]
    assert (
        by_kind["flashcard"].asked,
        by_kind["flashcard"].points,
        by_kind["flashcard"].unanswered,
    ) == (3, 1.5, 1)
    assert (by_kind["trap"].wrong, by_kind["trap"].unanswered) == (1, 1)
    assert (by_kind["drill"].right, by_kind["drill"].wrong) == (1, 1)
    by_topic = {line.name: line for line in report.by_topic}
    assert by_topic["adam"].asked == 3 and by_topic["adam"].points == 1.0
    assert by_topic["sgd"].asked == 2 and by_topic["sgd"].points == 1.5
    assert by_topic["schedules"].asked == 2 and by_topic["schedules"].answered == 0

    times = {q.number: q.time_ms for q in report.questions}
    assert times[1] == 20_000  # to the reveal
    assert times[2] == 10_000
    assert times[3] == 150_000
    assert times[6] == 5_000 and times[7] == 10_000  # time spent on unanswered ones is kept
    drill_time = {line.kind: line for line in report.time_by_kind}["drill"]
    assert (drill_time.mean_ms, drill_time.target_ms, drill_time.over_target) == (
        95_000,
        120_000,
        1,
    )

    assert [m.mistake for m in report.mistakes] == [info["bias_mistake"]]
    assert report.mistakes[0].explanation == drills.MISTAKES["no_bias_correction"]
    assert report.mistakes[0].items == ["mock.drill.bias"]
    q3 = report.questions[2]
    assert q3.mistake_explanation == drills.MISTAKES["no_bias_correction"]

    assert len(report.weakest) == 3
    names = [(w.area, w.name) for w in report.weakest]
    assert ("drill kind", "bias-correction") in names
    for area in report.weakest:
        assert 1 <= len(area.review_items) <= 3
    bias = next(w for w in report.weakest if w.name == "bias-correction")
    assert bias.review_items[0] == "mock.drill.bias"

    # scheduling: answered questions recorded in mock mode, unanswered ones not at all
    log = scheduler.store.reviews()
    assert [r.item_id for r in log] == [FIXED[0], FIXED[1], FIXED[2], FIXED[3], FIXED[4]]
    assert {r.mode for r in log} == {"mock"}
    ratings = {r.item_id: r.rating for r in log}
    # self-graded right: Good however fast the reveal (D10), never Easy
    assert ratings["mock.adam.idea"] == Rating.Good
    assert ratings["mock.trap.adamw"] == Rating.Again
    assert ratings["mock.drill.bias"] == Rating.Again
    assert ratings["mock.sgd.momentum"] == Rating.Hard  # partly
    assert ratings["mock.drill.steps"] == Rating.Easy  # 40 s < 60 s
    bias_log = next(r for r in log if r.item_id == "mock.drill.bias")
    assert bias_log.mistake == "no_bias_correction" and not bias_log.correct
    assert bias_log.seed == mock.questions[2].view.seed
    assert bias_log.duration_ms == 150_000
    assert scheduler.store.get("mock.trap.warmup") is None
    assert scheduler.store.get("mock.lr.cosine") is None

    # a wrong mock answer makes the item due (in its relearning/learning step)
    state = scheduler.store.get("mock.drill.bias")
    assert state is not None and state.due is not None
    assert state.due <= clock.now() + timedelta(minutes=10)

    # saved, and the saved JSON redraws the same report
    saved = scheduler.store.mocks()
    assert len(saved) == 1 and mock.mock_id == saved[0].id
    assert MockReport.model_validate(saved[0].result) == report
    assert saved[0].result["score"] == pytest.approx(2.5 / 7)
    assert report.started_at == start
    assert mock.finish() is report  # idempotent: nothing saved twice
    assert len(scheduler.store.mocks()) == 1


def test_time_runs_out(env) -> None:
    catalog, scheduler, clock = env
    mock = _start(env, item_ids=FIXED[:3], minutes=2)
    clock.advance(seconds=30)
    mock.reveal("x")
    mock.grade_flashcard("wrong")
    mock.goto(1)
    clock.advance(seconds=200)  # past the deadline while on question 2
    assert mock.time_up and mock.remaining() == timedelta(0)
    with pytest.raises(MockError, match="time is up"):
        mock.answer_trap(0)
    report = mock.finish()
    assert report.ended_by == "time"
    assert report.finished_at == report.started_at + timedelta(minutes=2)
    assert [q.status for q in report.questions] == ["wrong", "unanswered", "unanswered"]
    assert report.total.wrong == 1 and report.total.unanswered == 2
    assert report.questions[1].time_ms == 90_000  # clamped at the deadline
    assert len(scheduler.store.reviews()) == 1


def test_typed_answer_kept_when_time_runs_out_before_grading(env) -> None:
    """The tester's run: a flashcard typed and revealed, never graded, the clock runs out.
    The text is kept in the report and in SQLite, marked typed-but-unrated, and the
    weakest-areas line does not call its topic right."""
    catalog, scheduler, clock = env
    ids = ["mock.lr.cosine", "mock.trap.adamw", "mock.drill.steps"]  # schedules, adam, sgd
    mock = _start(env, item_ids=ids, minutes=1)
    q = mock.goto(1)
    assert isinstance(q.view, TrapView)
    mock.answer_trap(_right_trap_choice(q.view))
    q = mock.goto(2)
    assert isinstance(q.view, DrillView)
    mock.answer_drill(repr(q.view.problem.answers[q.view.problem.primary]))
    mock.goto(0)
    clock.advance(seconds=10)
    mock.reveal("  cosine decays to eta_min over T_max  ")
    clock.advance(seconds=60)  # past the deadline, never graded
    report = mock.finish()
    assert report.ended_by == "time"
    first = report.questions[0]
    assert first.status == "unanswered" and first.unrated
    assert first.answer == "cosine decays to eta_min over T_max"
    assert (report.total.unanswered, report.total.unrated, report.total.answered) == (1, 1, 2)
    schedules = next(line for line in report.by_topic if line.name == "schedules")
    assert schedules.unrated == 1
    # in SQLite: the saved report holds the typed text; no review row (no grade was given)
    saved = scheduler.store.mocks()[-1].result
    assert saved["questions"][0]["answer"] == "cosine decays to eta_min over T_max"
    assert MockReport.model_validate(saved).questions[0].unrated
    assert scheduler.store.get("mock.lr.cosine") is None
    # the weakest-areas line: the answered ones were right, the schedules topic is not
    assert report.weakest == []
    note = weakest_note(report)
    assert note is not None
    assert "everything answered was right" not in note
    assert "all 2 were right" in note
    assert "topic schedules (1 answer typed but not graded)" in note


def test_weakest_note_names_unanswered_topics(env) -> None:
    catalog, scheduler, clock = env
    mock = _start(env, item_ids=["mock.adam.idea", "mock.trap.warmup"], minutes=1)
    mock.reveal("x")
    mock.grade_flashcard("right")
    clock.advance(seconds=61)
    report = mock.finish()
    assert report.weakest == [] and not report.questions[1].unrated
    assert weakest_note(report) == (
        "No weak area among the graded answers: the one graded was right. Not ranked, nothing "
        "there was graded: topic schedules (1 question unanswered)."
    )
    empty = _start(env, item_ids=["mock.adam.idea"], minutes=1).finish()
    assert weakest_note(empty) == (
        "Nothing was graded, so no area can be ranked: topic adam (1 question unanswered)."
    )


def test_trend_against_earlier_mocks(env) -> None:
    catalog, scheduler, clock = env
    first = _start(env, item_ids=FIXED[:2])
    first.reveal("x")
    first.grade_flashcard("right")
    r1 = first.finish()
    assert r1.previous_score() is None and len(r1.trend) == 1
    clock.advance(days=1)
    second = _start(env, item_ids=FIXED[:2])
    second.reveal("x")
    second.grade_flashcard("right")
    q = second.goto(1)
    assert isinstance(q.view, TrapView)
    second.answer_trap(_right_trap_choice(q.view))
    r2 = second.finish()
    assert [p.score for p in r2.trend] == [0.5, 1.0]
    assert [p.current for p in r2.trend] == [False, True]
    assert r2.previous_score() == 0.5


def test_state_rules(env) -> None:
    mock = _start(env, item_ids=FIXED[:3])
    with pytest.raises(MockError, match="reveal the model answer"):
        mock.grade_flashcard("right")
    with pytest.raises(MockError, match="is a flashcard"):
        mock.answer_drill("1")
    mock.reveal("a")
    mock.grade_flashcard("wrong")
    with pytest.raises(MockError, match="already answered"):
        mock.grade_flashcard("right")
    with pytest.raises(MockError, match="no question 9"):
        mock.goto(8)
    mock.next()
    assert mock.questions[0].state == "answered"
    mock.prev()
    mock.next()
    mock.next()
    assert [q.state for q in mock.questions] == ["answered", "skipped", "seen"]
    mock.finish()
    with pytest.raises(MockError, match="over"):
        mock.skip()


def test_drill_kinds_with_frequent_mistakes_weigh_more(env) -> None:
    catalog, scheduler, clock = env
    for _ in range(3):
        scheduler.answer(
            "mock.drill.bias", "drill", Rating.Again, mode="review", subkind="bias-correction",
            mistake="no_bias_correction", topic="adam",
        )  # fmt: skip
        scheduler.answer(
            "mock.drill.steps", "drill", Rating.Again, mode="review", subkind="steps-per-epoch",
            topic="sgd",
        )  # fmt: skip
    weakness = load_weakness(scheduler.store, catalog, clock.now())
    assert weakness.mistakes_by_drill_kind == {"bias-correction": 3}
    assert weakness.drill_kind_accuracy("bias-correction") == weakness.drill_kind_accuracy(
        "steps-per-epoch"
    )
    bias, steps = catalog.items["mock.drill.bias"], catalog.items["mock.drill.steps"]
    # same item, topic and drill-kind accuracy (topics: adam and sgd both 0/3): only the
    # diagnosed mistakes differ
    assert item_weight(bias, weakness) == pytest.approx(item_weight(steps, weakness) + 0.75)
    unseen = catalog.items["mock.drill.scaling"]
    assert item_weight(bias, weakness) > item_weight(unseen, weakness)


@given(
    n=st.integers(1, 40),
    available=st.dictionaries(st.sampled_from(["flashcard", "trap", "drill"]), st.integers(0, 30)),
)
def test_kind_quotas_never_exceed_what_exists(n: int, available: dict[str, int]) -> None:
    quotas = kind_quotas(n, available)
    assert sum(quotas.values()) == min(n, sum(available.values()))
    assert all(0 <= quotas[k] <= available[k] for k in quotas)
