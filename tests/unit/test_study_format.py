"""quizapp.study.format: the one place numbers, percents, times and names are formatted."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from quizapp.decks.models import DrillItem, Flashcard, Trap
from quizapp.engine.answers import parse
from quizapp.engine.drills.base import fmt
from quizapp.study import format as f


def test_numbers_are_the_engines_formatter() -> None:
    assert f.number is fmt
    # ε reads the same on every screen as in the engine's prompts, and parses back
    assert f.number(1e-8) == "1e−8"
    assert parse(f.number(1e-8)) == 1e-8
    assert f.number(-0.5) == "−0.5"


@pytest.mark.parametrize(
    ("fraction", "decimals", "shown"),
    [(None, 0, "—"), (0.0, 0, "0%"), (1 / 3, 0, "33%"), (0.425, 1, "42.5%"), (1.0, 1, "100.0%")],
)
def test_percent(fraction, decimals, shown) -> None:
    assert f.percent(fraction, decimals=decimals) == shown


def test_ratio_and_plural() -> None:
    assert f.ratio(1, 4) == 0.25 and f.ratio(3, 0) is None
    assert f.percent(f.ratio(2, 0)) == "—"
    assert (f.plural(1, "item"), f.plural(4, "item"), f.plural(2, "query", "queries")) == (
        "1 item", "4 items", "2 queries",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("delta", "shown"),
    [
        (timedelta(seconds=30), "<1m"),
        (timedelta(minutes=10), "10m"),
        (timedelta(hours=3), "3h"),
        (timedelta(days=4), "4d"),
        (timedelta(days=63), "2.1mo"),
        (timedelta(days=90), "3mo"),
        (timedelta(days=500), "1.4y"),
    ],
)
def test_interval(delta, shown) -> None:
    assert f.interval(delta) == shown


def test_times() -> None:
    assert f.duration(timedelta(seconds=45)) == "45s"
    assert f.duration(timedelta(seconds=200)) == "3m 20s"
    assert f.duration_ms(3_900_000) == "1h 05m"
    now = datetime(2026, 1, 5, 12, tzinfo=UTC)
    assert f.due_in(None, now) == "nothing scheduled"
    assert f.due_in(now, now) == "now"
    assert f.due_in(now + timedelta(minutes=10), now) == "in 10m"
    assert f.countdown(299.2) == "05:00" and f.countdown(0) == "00:00"
    assert f.countdown(3_725) == "1:02:05"
    assert f.mm_ss(150_400) == "2:30"
    assert f.minutes(90_000) == "1.5"


def test_names() -> None:
    assert f.mistake_name("no_bias_correction") == "no bias correction"
    assert f.topic_title("lr-schedules") == "lr schedules"
    assert f.shorten("a  b\n c") == "a b c"
    assert f.shorten("x" * 10, limit=5) == "xxxx…"


def test_item_titles_never_the_raw_id() -> None:
    card = Flashcard(id="c.one", front="What is\n  η?", back="lr")
    trap = Trap(
        id="t.one",
        claim="Adam needs no tuning.",
        why_wrong="It does.",
        correct="Tune it.",
        distractors=("Adam has two moments.", "Adam rescales per coordinate."),
    )
    named = DrillItem(id="d.one", drill="adam", title="One Adam step, by hand")
    plain = DrillItem(id="d.two", drill="adam")
    assert f.item_title(card) == "What is η?"
    assert f.item_title(trap) == "Adam needs no tuning."
    assert f.item_title(named) == "One Adam step, by hand"
    from quizapp.engine import drills

    assert f.item_title(plain) == drills.info("adam").title


def test_fit_cuts_titles_at_a_word() -> None:
    title = "Study · Optimizers · matrix-optimizers · flashcards"
    assert f.fit(title, 80) == title
    assert f.fit(title, 40) == "Study · Optimizers · matrix-optimizers…"
    assert f.fit(title, 30) == "Study · Optimizers…"
    assert all(len(f.fit(title, w)) <= w for w in range(1, 60))
    assert f.fit("Supercalifragilistic", 8) == "Superca…"  # one long word: cut it


def test_a_signed_change_uses_the_unicode_minus() -> None:
    """The mock report's "▼ -75 points" had an ASCII hyphen; the app writes −75."""
    assert [f.signed(n) for n in (75, -75, 0, -12_000)] == ["+75", "−75", "0", "−12,000"]
