"""The answer fuzz, through the study session: any typed text is either our own
AnswerParseError (nothing recorded, the drill still waiting) or a graded answer that is
recorded once and can be taken back. (tests/unit/test_answers.py fuzzes the parser.)"""

from __future__ import annotations

import random
from datetime import UTC, datetime
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizapp.decks import load_paths
from quizapp.engine.answers import AnswerParseError
from quizapp.srs.scheduler import ReviewScheduler, SchedulerConfig
from quizapp.srs.store import Store
from quizapp.study.clock import FakeClock
from quizapp.study.items import DrillView
from quizapp.study.session import StudySession
from tests.sampling import examples

DECK = 'deck = "fuzz"\n[[drill]]\nid = "fuzz.adam"\ndrill = "adam"\n'
TYPED = st.one_of(
    st.text(max_size=60),
    st.lists(
        st.sampled_from(
            ["1", "0.5", "e", "-", "+", "*", "/", "(", ")", "^", "**", "pi", "π", "θ", "=",
             "theta", "m", ";", ",", " ", "1e-3", "1e400", "nan", "inf", "×10⁻³", "√", "%"]
        ),
        max_size=25,
    ).map("".join),
    # plain numbers, so that a run's draws grade some answers: of 100 draws from the two
    # above, about 1 run in 25 had none that parsed (and failed the both-outcomes check)
    st.floats(allow_nan=False, allow_infinity=False).map(str),
)  # fmt: skip


def test_typed_answers_are_graded_or_refused_never_half_recorded(tmp_path: Path) -> None:
    (tmp_path / "deck.toml").write_text(DECK, encoding="utf-8")
    catalog = load_paths([tmp_path / "deck.toml"])
    clock = FakeClock(datetime(2026, 3, 2, 9, tzinfo=UTC))
    store = Store.open(tmp_path / "p.sqlite3")
    sched = ReviewScheduler(store, SchedulerConfig(enable_fuzzing=False, timezone="UTC"), clock)
    session = StudySession(catalog, sched, clock, ["fuzz.adam"], rng=random.Random(3))
    assert isinstance(session.current, DrillView)
    counts = {"graded": 0, "refused": 0}

    @settings(max_examples=examples(400), deadline=None, suppress_health_check=list(HealthCheck))
    @given(TYPED)
    def typed(text: str) -> None:
        try:
            outcome = session.answer_drill(text)
        except AnswerParseError as exc:
            assert str(exc)
            assert session.last_outcome is None and store.review_count() == 0
            counts["refused"] += 1
            return
        assert outcome.answer_text == text and store.review_count() == 1
        assert store.reviews()[0].answer == text
        session.undo()
        assert store.review_count() == 0
        counts["graded"] += 1

    typed()
    store.close()
    assert counts["graded"] and counts["refused"], counts
