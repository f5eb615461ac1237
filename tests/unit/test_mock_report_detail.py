"""The mock report keeps every question openable (issue 10 item 7): your answer beside the
model answer, a trap's statements with your choice, a drill's fields beside the engine's
exact values (gradeable when typed back) and its worked solution; items named by title;
the weakest areas rank only what was answered."""

from __future__ import annotations

from pathlib import Path

import pytest
from fsrs import Rating

from quizapp.engine import drills
from quizapp.srs.scheduler import ReviewScheduler, SchedulerConfig
from quizapp.srs.store import Store
from quizapp.study.clock import FakeClock
from quizapp.study.format import item_title
from quizapp.study.items import DrillView, TrapView
from quizapp.study.mock import MockConfig, MockInterview
from quizapp.study.mock_report import MockReport
from tests.unit.test_mock_deck import load_deck


@pytest.fixture
def env(tmp_path: Path):
    catalog = load_deck(tmp_path / "deck")
    clock = FakeClock()
    store = Store.open(tmp_path / "progress.sqlite3")
    scheduler = ReviewScheduler(store, SchedulerConfig(enable_fuzzing=False), clock)
    yield catalog, scheduler, clock
    store.close()


def _start(env, item_ids: list[str], **config) -> MockInterview:
    catalog, scheduler, clock = env
    cfg = MockConfig(**{"seed": 11, **config})
    return MockInterview.start(catalog, scheduler, clock, cfg, item_ids=item_ids)


def test_every_question_keeps_the_answer_beside_the_model_answer(env) -> None:
    catalog = env[0]
    ids = ["mock.adam.idea", "mock.trap.adamw", "mock.drill.bias", "mock.sgd.batch"]
    mock = _start(env, ids)
    mock.reveal("first and second moments")
    mock.grade_flashcard("partly")
    trap = mock.goto(1).view
    assert isinstance(trap, TrapView)
    wrong = (trap.trap_index + 1) % len(trap.statements) if trap.mode == "pick" else trap.holds
    mock.answer_trap(wrong if trap.mode == "pick" else not trap.holds)
    drill = mock.goto(2).view
    assert isinstance(drill, DrillView)
    p = drill.problem
    mock.answer_drill(repr(drills.solve(p, "no_bias_correction")[p.primary]))
    report = mock.finish()  # question 4 (a flashcard) is left unanswered

    card, trap_q, drill_q, unanswered = report.questions
    for q in report.questions:  # named by title, never by id
        assert q.title == item_title(catalog.items[q.item_id].item)
        assert q.item_id not in q.name
    assert card.answer == "first and second moments" and card.status == "partly"
    assert card.expected == catalog.items["mock.adam.idea"].item.back  # in full
    assert unanswered.answer is None
    assert unanswered.expected == catalog.items["mock.sgd.batch"].item.back

    assert [s.text for s in trap_q.statements] == list(trap.statements)
    assert [s.false for s in trap_q.statements] == [
        (i == trap.trap_index) if trap.mode == "pick" else not trap.holds
        for i in range(len(trap.statements))
    ]
    if trap.mode == "pick":
        assert [s.chosen for s in trap_q.statements].count(True) == 1
        assert not trap_q.statements[trap.trap_index].chosen
    assert trap_q.explanation and trap.why_wrong in trap_q.explanation

    assert [line.label for line in drill_q.answer_lines] == [f.label for f in p.fields]
    primary = next(line for line in drill_q.answer_lines if line.label == p.field(p.primary).label)
    assert primary.given is not None and primary.correct is False
    assert len(drill_q.solution) == len(p.solution)
    # every value the report calls exact is accepted when typed back
    for f, line in zip(p.fields, drill_q.answer_lines, strict=True):
        verdict = drills.grade(p, {f.name: line.expected})
        assert next(r for r in verdict.fields if r.field == f.name).correct
    for step, line in zip(p.solution, drill_q.solution, strict=True):
        assert line.value == step.value_text
    # the saved JSON draws the same detail again
    saved = env[1].store.mocks()[-1].result
    assert MockReport.model_validate(saved) == report


def test_weakest_areas_rank_only_what_was_answered(env) -> None:
    # sgd and schedules are asked but never answered; only adam is answered (wrong)
    ids = ["mock.adam.idea", "mock.sgd.batch", "mock.lr.warmup", "mock.drill.steps"]
    mock = _start(env, ids)
    mock.reveal(None)
    mock.grade_flashcard("wrong")
    report = mock.finish()
    assert [(w.area, w.name) for w in report.weakest] == [("topic", "adam")]
    area = report.weakest[0]
    assert (area.mock_answered, area.mock_points) == (1, 0.0)
    assert (area.history_answered, area.history_correct) == (0, 0)  # nothing before the mock
    assert area.review_items[0] == "mock.adam.idea"
    catalog = env[0]
    assert area.review_titles == [item_title(catalog.items[i].item) for i in area.review_items]


def test_weakest_areas_carry_the_tally_from_before_the_mock(env) -> None:
    """The report shows the learner's real earlier answers in the area, not a smoothed score."""
    catalog, scheduler, clock = env
    kind = catalog.items["mock.adam.idea"].kind
    for rating in (Rating.Good, Rating.Again, Rating.Again):
        scheduler.answer("mock.adam.idea", kind, rating, duration_ms=3000)
        clock.advance(days=1)
    mock = _start(env, ["mock.adam.idea", "mock.sgd.batch"])
    mock.reveal(None)
    mock.grade_flashcard("wrong")
    area = next(w for w in mock.finish().weakest if w.name == "adam")
    assert (area.history_answered, area.history_correct) == (3, 1)  # Good, Again, Again


def test_nothing_answered_ranks_no_area(env) -> None:
    mock = _start(env, ["mock.adam.idea", "mock.drill.bias"])
    report = mock.finish()
    assert report.weakest == []


def test_reports_saved_before_version_2_still_load(env) -> None:
    mock = _start(env, ["mock.adam.idea"])
    mock.reveal("x")
    mock.grade_flashcard("right")
    data = mock.finish().model_dump(mode="json")
    data["version"] = 1
    for q in data["questions"]:
        for key in ("title", "question", "answer_lines", "solution", "statements", "explanation"):
            q.pop(key)
    for w in data["weakest"]:
        w.pop("review_titles")
    old = MockReport.model_validate(data)
    assert old.questions[0].name == old.questions[0].prompt
