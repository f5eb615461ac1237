"""Stats against a review log built here and counted independently."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from quizapp.cli import main
from quizapp.srs.scheduler import Rating, ReviewScheduler, SchedulerConfig
from quizapp.srs.stats import compute_stats
from quizapp.srs.store import Store
from quizapp.study.clock import FakeClock
from quizapp.study.queue import QueueCandidate

ROOT = Path(__file__).resolve().parents[2]
T0 = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
CFG = SchedulerConfig(enable_fuzzing=False, timezone="UTC", leech_threshold=4)
TOPICS = ("adam", "sgd", "schedules")
DRILLS = ("adam-step", "sgd-momentum")


def build_log(
    store: Store, clock: FakeClock, days: int = 45, skip: frozenset[int] = frozenset({40})
):  # noqa: ANN201
    """A pseudo-random learner; returns what the test itself knows about every answer."""
    store._conn.execute("PRAGMA synchronous = OFF")  # a test file: no fsync per answer
    rng = random.Random(5)
    sched = ReviewScheduler(store, CFG, clock)
    log = []
    items = [
        (f"d.i{i:02d}", ("flashcard", "trap", "drill")[i % 3], TOPICS[i % 3]) for i in range(24)
    ]
    for day in range(days):
        clock.set(T0 + timedelta(days=day))
        if day in skip:
            continue
        for item_id, kind, topic in rng.sample(items, 12):
            for _ in range(rng.choice((1, 1, 2))):
                rating = rng.choice(
                    (Rating.Again, Rating.Hard, Rating.Good, Rating.Good, Rating.Easy)
                )
                mode = rng.choice(("review", "review", "study", "cram"))
                mistake = (
                    rng.choice((None, None, "sign-error", "no-bias-correction"))
                    if rating == 1
                    else None
                )
                sub = DRILLS[int(item_id[-2:]) % 2] if kind == "drill" else None
                r = sched.answer(item_id, kind, rating, mode=mode, topic=topic, subkind=sub,
                                 mistake=mistake, duration_ms=1000)  # fmt: skip
                log.append((day, item_id, kind, topic, sub, rating, mode, mistake, r.previous))
                clock.advance(minutes=rng.choice((1, 11, 30)))
    return items, log


# slow: its lines are covered by the default run (coverage-guided sample)
@pytest.mark.slow
def test_stats_match_the_log(tmp_path: Path) -> None:
    clock = FakeClock(T0)
    with Store.open(tmp_path / "p.db") as store:
        items, log = build_log(store, clock)
        last_day = 44
        clock.set(T0 + timedelta(days=last_day, hours=12))
        catalog = [QueueCandidate(i, k, "d", t) for i, k, t in items[:20]]
        catalog += [QueueCandidate(f"d.new{n}", "trap", "d", "adam") for n in range(3)]
        stats = compute_stats(store, clock, CFG, candidates=catalog)

        assert stats.total_reviews == len(log)
        assert stats.reviews_today == sum(1 for e in log if e[0] == last_day)
        per_day = Counter(e[0] for e in log)
        assert [d.reviews for d in stats.reviews_per_day] == [per_day[d] for d in range(15, 45)]
        assert stats.reviews_per_day[-1].date == (T0 + timedelta(days=last_day)).date()
        assert stats.studied_today and stats.streak == 4  # day 40 was skipped

        # True retention, Anki's definition, from what the test recorded itself.
        seen: set[tuple[int, str]] = set()
        young, mature = [0, 0], [0, 0]
        day_start = {}
        for day, item_id, _k, _t, _s, rating, mode, _m, prev in log:
            if mode == "cram":
                continue
            first = (day, item_id) not in seen
            seen.add((day, item_id))
            if first and prev is not None and prev.status == "review":
                bucket = mature if prev.interval_days >= 21 else young
                bucket[rating == Rating.Again] += 1
                day_start.setdefault(day, [0, 0])[rating == Rating.Again] += 1
        r = stats.true_retention
        assert (r.young.passed, r.young.failed) == tuple(young)
        assert (r.mature.passed, r.mature.failed) == tuple(mature)
        assert sum(young) > 20 and sum(mature) > 0
        assert r.total.rate == (young[0] + mature[0]) / (sum(young) + sum(mature))
        for d in stats.true_retention_per_day:
            want = day_start.get((d.date - T0.date()).days, [0, 0])
            assert (d.total.passed, d.total.failed) == tuple(want)

        by_topic: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        by_drill: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        graded = [0, 0]
        for _d, _i, kind, topic, sub, rating, *_ in log:
            if kind == "flashcard":
                continue  # self-rated: not in "% right"
            by_topic[topic][0] += 1
            by_topic[topic][1] += rating != Rating.Again
            graded[0] += 1
            graded[1] += rating != Rating.Again
            if kind == "drill":
                by_drill[sub][0] += 1
                by_drill[sub][1] += rating != Rating.Again
        assert {a.key: [a.answered, a.correct] for a in stats.accuracy_by_topic} == by_topic
        assert {a.key: [a.answered, a.correct] for a in stats.accuracy_by_drill_kind} == by_drill
        assert [stats.accuracy_graded.answered, stats.accuracy_graded.correct] == graded
        accs = [a.accuracy for a in stats.accuracy_by_topic]
        assert accs == sorted(accs)  # type: ignore[type-var]  # weakest first

        mistakes = Counter(e[7] for e in log if e[7])
        assert {m.mistake: m.count for m in stats.top_mistakes} == dict(mistakes)

        states = store.states()
        live = [s for s in states.values() if not s.suspended]
        assert stats.counts.suspended == sum(s.suspended for s in states.values())
        assert stats.counts.review == sum(s.status == "review" for s in live)
        assert stats.counts.learning == sum(s.status in ("learning", "relearning") for s in live)
        assert stats.counts.new == 3
        assert stats.orphans == sorted(i for i, _, _ in items[20:])
        end_today = datetime(2026, 4, 16, 4, tzinfo=UTC)  # day 44 ends at 04:00 UTC next day
        # due today is home's figure (marks.due_today): items the catalog has, not buried
        assert stats.due_today == sum(
            1
            for i, s in states.items()
            if not s.suspended and s.due and s.due < end_today and i not in stats.orphans
        )
        for k, dc in enumerate(stats.due_next_30, start=1):
            lo, hi = end_today + timedelta(days=k - 1), end_today + timedelta(days=k)
            assert dc.count == sum(1 for s in live if s.due and lo <= s.due < hi)
        assert len(stats.due_next_7) == 7 and stats.due_next_7 == stats.due_next_30[:7]


def test_streak_and_mocks(tmp_path: Path) -> None:
    clock = FakeClock(T0)
    with Store.open(tmp_path / "p.db") as store:
        sched = ReviewScheduler(store, CFG, clock)
        for day in (0, 1, 2, 4, 5, 6):
            clock.set(T0 + timedelta(days=day))
            sched.answer("d.a", "trap", Rating.Good, mode="cram")
        clock.set(T0 + timedelta(days=7))  # not yet studied today: streak still alive
        stats = compute_stats(store, clock, CFG)
        assert (stats.streak, stats.studied_today) == (3, False)
        clock.set(T0 + timedelta(days=8))
        assert compute_stats(store, clock, CFG).streak == 0
        store.save_mock({"score": 8.5, "questions": []}, clock.now())
        store.save_mock({"no": "score"}, clock.now())
        mocks = compute_stats(store, clock, CFG).mocks
        assert [m.score for m in mocks] == [8.5, None]


def test_empty_store_stats(tmp_path: Path) -> None:
    with Store.open(tmp_path / "p.db") as store:
        stats = compute_stats(store, FakeClock(T0), CFG)
    assert (
        stats.total_reviews == 0 and stats.streak == 0 and stats.true_retention.total.rate is None
    )
    assert stats.orphans is None and len(stats.reviews_per_day) == 30


def _cli(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "quizapp", "--home", str(home), *args],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip


def _main(*args: str, home: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """The command in this process (the exit codes and messages of a real process are
    checked by the tests that use :func:`_cli`)."""
    code = main(["--home", str(home), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_without_progress_creates_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / "home"
    code, out, _ = _main("stats", home=home, capsys=capsys)
    assert code == 0 and "no progress yet" in out
    code, out, _ = _main("stats", "--json", home=home, capsys=capsys)
    assert code == 0 and json.loads(out)["progress"] is None
    assert not home.exists()


def test_cli_text_and_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    home = tmp_path / "home"
    with Store.open(home / "progress.sqlite3") as store:
        build_log(store, FakeClock(T0), days=5)
    code, out, err = _main("stats", home=home, capsys=capsys)
    assert code == 0, err
    assert "true retention" in out and "streak" in out
    code, out, _ = _main("stats", "--json", home=home, capsys=capsys)
    data = json.loads(out)
    assert data["total_reviews"] > 0 and len(data["due_next_7"]) == 7


def test_cli_text_tables_keep_long_names_apart_from_their_figures(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Tester: `One SGD step (L2 weight decay when λ > 0) 100.0% of 1` — a long drill
    title ran into its percentage. Names are cut to the column with "…" and every figure
    starts in the same column."""
    from quizapp.commands.stats import NAME_WIDTH
    from quizapp.engine import drills

    home = tmp_path / "home"
    long_kinds = sorted(drills.kinds(), key=lambda k: -len(drills.info(k).title))[:2]
    assert len(drills.info(long_kinds[0]).title) > NAME_WIDTH
    with Store.open(home / "progress.sqlite3") as store:
        scheduler = ReviewScheduler(store, SchedulerConfig(), FakeClock(T0))
        for i, kind in enumerate([*long_kinds, "sgd"]):
            scheduler.answer(f"d.drill{i}", "drill", Rating.Good, subkind=kind, topic="t")
    code, out, err = _main("stats", home=home, capsys=capsys)
    assert code == 0, err
    lines = out.splitlines()
    start = lines.index("  % right by drill kind (weakest first)") + 1
    rows = lines[start : start + 3]
    assert len(rows) == 3
    for row in rows:
        name, figure = row[4 : 4 + NAME_WIDTH], row[4 + NAME_WIDTH :]
        assert figure.startswith("  ") and figure.strip().endswith("of 1"), row
        assert "%" not in name
    assert any(row[4 : 4 + NAME_WIDTH].rstrip().endswith("…") for row in rows)


def test_cli_refuses_bad_file_without_traceback(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "progress.sqlite3").write_bytes(b"not sqlite at all")
    out = _cli("stats", home=home)
    assert out.returncode == 1
    assert "Traceback" not in out.stderr and "reset-progress" in out.stderr
    assert (home / "progress.sqlite3").read_bytes() == b"not sqlite at all"


def test_cli_uses_the_day_start_from_settings(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "config.toml").write_text("[scheduling]\nday_starts_at_hour = 25\n")
    out = _cli("stats", home=home)
    assert (
        out.returncode == 1 and "day_starts_at_hour" in out.stderr and "Traceback" not in out.stderr
    )
