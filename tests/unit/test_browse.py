"""The browser's search: Anki-like queries over a 10k-item catalog with progress return
exactly the sets a plain Python scan finds; errors are located; actions change the state."""

from __future__ import annotations

import fnmatch
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from quizapp.srs import marks
from quizapp.srs.backup import backups
from quizapp.srs.records import NEW
from quizapp.srs.scheduler import Rating, ReviewScheduler, SchedulerConfig
from quizapp.srs.store import Store
from quizapp.study.browse import Browser, TextIndex, item_text
from quizapp.study.clock import FakeClock
from quizapp.study.query import QueryError, parse
from quizapp.study.queue import build_queue
from quizapp.study.start import candidates
from tests.synthetic_catalog import make_catalog

CFG = SchedulerConfig(enable_fuzzing=False, timezone="UTC")
START = datetime(2026, 3, 2, 10, tzinfo=UTC)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> tuple[Browser, FakeClock]:
    catalog = make_catalog(10_000, seed=3)
    store = Store.open(tmp_path_factory.mktemp("browse") / "progress.sqlite3")
    store._conn.execute("PRAGMA synchronous = OFF")  # a test file: no fsync per answer
    clock = FakeClock(START)
    sched = ReviewScheduler(store, CFG, clock)
    ids = list(catalog.items)
    for day in range(6):
        for k, item_id in enumerate(ids[day * 97 : day * 97 + 400 : 2]):
            entry = catalog.items[item_id]
            sched.answer(
                item_id,
                entry.kind,
                Rating(1 + (k + day) % 4),
                mistake="no-bias" if k % 9 == 0 else None,
            )
        clock.advance(days=3)
    # a few leeches, suspensions, flags and buried items
    leeches = [
        s.replace(lapses=9, leech=True, suspended=True) for s in list(store.states().values())[:7]
    ]
    store.write_states(leeches)
    for item_id in ids[5000:5010]:
        store.suspend(item_id, catalog.items[item_id].kind)
    marks.set_flag(store, ids[10:30], 1)
    marks.set_flag(store, ids[30:35], 4)
    marks.bury(store, ids[40:44], CFG.today(clock.now()))
    return Browser(catalog, store, CFG, clock), clock


def oracle(browser: Browser, test) -> list[str]:  # type: ignore[no-untyped-def]
    """The plain scan: every item, one Python predicate."""
    return [
        item_id
        for item_id in browser.ids
        if test(item_id, browser.catalog.items[item_id], browser.states.get(item_id))
    ]


def days_until(browser: Browser, when: datetime) -> int:
    return CFG.today(when) - CFG.today(browser.now)


QUERIES = {
    "": lambda i, e, s: True,
    "tag:warmup": lambda i, e, s: "warmup" in e.item.tags,
    "-tag:warmup": lambda i, e, s: "warmup" not in e.item.tags,
    "tag:w*": lambda i, e, s: any(fnmatch.fnmatch(t, "w*") for t in e.item.tags),
    "deck:extra kind:trap": lambda i, e, s: e.deck == "extra" and e.kind == "trap",
    "topic:adam or topic:adamw": lambda i, e, s: e.topic in ("adam", "adamw"),
    "topic:adam*": lambda i, e, s: e.topic.startswith("adam"),
    "kind:drill drill:adam*": lambda i, e, s: e.kind == "drill" and e.item.drill.startswith("adam"),
    "is:new": lambda i, e, s: s is None or s.state == NEW,
    "is:review": lambda i, e, s: s is not None and s.state == 2,
    "is:learning": lambda i, e, s: s is not None and s.state in (1, 3),
    "is:suspended": lambda i, e, s: s is not None and s.suspended,
    "is:leech": lambda i, e, s: s is not None and s.leech,
    "lapses>3": lambda i, e, s: s is not None and s.lapses > 3,
    "prop:reps>=2 -is:suspended": lambda i, e, s: s is not None and s.reps >= 2 and not s.suspended,
    "prop:d>0.7": lambda i, e, s: (
        s is not None and s.difficulty is not None and (s.difficulty - 1) / 9 > 0.7
    ),
    "prop:s<2": lambda i, e, s: s is not None and s.stability is not None and s.stability < 2,
    "flag:1": lambda i, e, s: i in _FLAG1,
    "is:flagged -flag:1": lambda i, e, s: e.id in _FLAG4,
    "is:buried": lambda i, e, s: e.id in _BURIED,
    "gradient warmup": lambda i, e, s: all(
        w in item_text(e)[1].lower() for w in ("gradient", "warmup")
    ),
    '"learning rate"': lambda i, e, s: "learning rate" in item_text(e)[1].lower(),
    "(tag:math or tag:pitfall) -deck:extra": lambda i, e, s: (
        bool({"math", "pitfall"} & set(e.item.tags)) and e.deck != "extra"
    ),
    "id:extra.sgd.*": lambda i, e, s: i.startswith("extra.sgd."),
    "source:lion.toml": lambda i, e, s: e.path.endswith("/lion.toml"),
}
_FLAG1: set[str] = set()
_FLAG4: set[str] = set()
_BURIED: set[str] = set()


@pytest.mark.parametrize("query", list(QUERIES))
def test_queries_return_the_right_sets(world: tuple[Browser, FakeClock], query: str) -> None:
    browser, _ = world
    _FLAG1.update(i for i, f in browser.flags.items() if f == 1)
    _FLAG4.update(i for i, f in browser.flags.items() if f == 4)
    _BURIED.update(browser.buried)
    expected = oracle(browser, QUERIES[query])
    got = browser.search(query)
    assert got == expected
    assert browser.count(query) == len(expected)
    if query not in ("", "-tag:warmup", "is:new"):
        assert 0 < len(got) < len(browser.ids)  # each query is a real selection


def test_due_queries(world: tuple[Browser, FakeClock]) -> None:
    browser, _ = world

    def due_in(s) -> int | None:  # type: ignore[no-untyped-def]
        if s is None or s.state == NEW or s.due is None:
            return None
        return days_until(browser, s.due)

    live = lambda s: s is not None and not s.suspended  # noqa: E731
    ahead = max(d for s in browser.states.values() if (d := due_in(s)) is not None)
    cases = {
        "is:due": lambda i, e, s: (
            live(s) and due_in(s) is not None and due_in(s) <= 0 and i not in browser.buried
        ),
        "is:overdue": lambda i, e, s: live(s) and due_in(s) is not None and due_in(s) < 0,
        "due:3": lambda i, e, s: live(s) and due_in(s) is not None and due_in(s) <= 3,
        "prop:due>=2 prop:due<=5": lambda i, e, s: due_in(s) is not None and 2 <= due_in(s) <= 5,
        f"prop:due={ahead}": lambda i, e, s: due_in(s) == ahead,
        "rated:4": lambda i, e, s: (
            s is not None and s.last_review is not None and days_until(browser, s.last_review) > -4
        ),
    }
    for query, test in cases.items():
        expected = oracle(browser, test)
        assert browser.search(query) == expected, query
        assert expected, query


def test_retrievability_matches_the_scheduler(world: tuple[Browser, FakeClock]) -> None:
    browser, _ = world
    sched = ReviewScheduler(browser.store, CFG, browser.clock)
    for item_id in browser.search("is:review")[:50]:
        row = browser.row(item_id)
        expected = sched.retrievability(browser.states[item_id], browser.now)
        assert row.retrievability == pytest.approx(expected, rel=1e-9)
    low = browser.search("prop:r<0.8")
    assert low == [
        i for i in browser.search("-is:new") if (browser.row(i).retrievability or 1) < 0.8
    ]


@pytest.mark.parametrize(
    ("query", "where", "says"),
    [
        ("tag:", 0, "needs a value"),
        ("foo:bar", 0, "not a search field"),
        ("adam is:sleeping", 5, "is:sleeping"),
        ("prop:x>1", 0, "unknown property"),
        ("prop:d>high", 0, "not a number"),
        ("(tag:a", 0, "never closed"),
        ("tag:a )", 6, "unexpected"),
        ("lapses>many", 0, "not a number"),
        ("lapses>", 0, "lapses>: needs a number"),  # usertest2 D7: was a search for the text
        ("tag:a reps<=", 6, "reps<=: needs a number"),
        ("flag:9", 0, r"0 \(none\) to 7"),
        ("tag:a or", 6, "'or' needs"),
    ],
)
def test_errors_are_located(query: str, where: int, says: str) -> None:
    with pytest.raises(QueryError, match=says) as err:
        parse(query)
    assert err.value.position == where


def test_info_pane_has_history_and_mistakes(world: tuple[Browser, FakeClock]) -> None:
    browser, _ = world
    item_id = browser.search("rated:30 prop:reps>=2")[0]
    info = browser.info(item_id)
    assert len(info.reviews) == info.row.reps >= 2
    assert info.path.endswith(".toml") and info.line
    assert info.row.source == f"{info.path}:{info.line}"
    with_mistakes = next(i for i in browser.search("rated:30") if browser.info(i).mistakes)
    assert browser.info(with_mistakes).mistakes[0][0] == "no-bias"


def test_actions(world: tuple[Browser, FakeClock], tmp_path: Path) -> None:
    browser, clock = world
    store = browser.store
    leech = browser.search("is:leech")[0]
    browser.unsuspend([leech])  # un-leech: back in the queue, lapses kept
    state = store.get(leech)
    assert state is not None and not state.suspended and not state.leech and state.lapses == 9
    assert leech not in browser.search("is:leech or is:suspended")
    fresh = browser.search("is:new")[0]
    browser.suspend([fresh])
    assert fresh in browser.search("is:suspended is:new")
    browser.unsuspend([fresh])
    browser.flag([fresh], 3)
    assert browser.search("flag:3") == [fresh]
    browser.flag([fresh], 0)
    assert browser.search("flag:3") == []
    # bury: out of today's queue, back tomorrow, schedule untouched
    due = browser.search("is:due")
    target = due[0]
    before = store.get(target)
    browser.bury([target])
    assert store.get(target) == before
    cands = candidates(browser.catalog)
    queue_ids = {e.item_id for e in build_queue(store, cands, clock, CFG)}
    assert target not in queue_ids and target in browser.search("is:buried")
    tomorrow = FakeClock(clock.now() + timedelta(days=1))
    assert target in {e.item_id for e in build_queue(store, cands, tomorrow, CFG)}
    browser.unbury([target])
    # study these: the queue narrowed to the search
    chosen = browser.search("is:due -is:buried")[:5]
    narrowed = build_queue(store, cands, clock, CFG, filter=browser.study_filter(chosen))
    assert {e.item_id for e in narrowed} == set(chosen)
    # reset one item: new again, the log kept, a backup first
    reviewed = browser.search("prop:reps>=2")[0]
    n_reviews = len(store.reviews(reviewed))
    assert browser.reset([reviewed]) == 1
    again = store.get(reviewed)
    assert (
        again is not None and again.state == NEW and again.reps == 0 and again.first_review is None
    )
    assert len(store.reviews(reviewed)) == n_reviews
    assert reviewed in browser.search("is:new")
    assert [b.reason for b in backups(store.path)] == ["reset"]


@pytest.mark.parametrize(
    "needle",
    [
        "gradient",
        "grad",
        "ient bi",
        "learning rate",
        "q12",
        "?",
        "rate?",
        "e",
        "zzz",
        "claim 7:",
        "0001",
    ],
)
def test_text_index_agrees_with_the_plain_scan(
    world: tuple[Browser, FakeClock], needle: str
) -> None:
    browser, _ = world
    expected = [i for i, text in enumerate(browser._text) if needle in text]
    got = list(np.flatnonzero(TextIndex(browser._text).search(needle)))
    assert got == expected


def test_the_text_table_reads_intervals_and_counts_as_the_screen_does(
    quizapp_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A 10-minute learning step reads 10m (the browser screen's interval formatter), not
    0d, and one match reads "1 item matches", not "1 item(s) match"."""
    from quizapp.cli import main
    from quizapp.decks.loader import load_catalog

    item_id = next(iter(load_catalog([]).items))
    with Store.open(quizapp_home / "progress.sqlite3") as store:
        ReviewScheduler(store, CFG, FakeClock(datetime.now(UTC))).answer(
            item_id, "flashcard", Rating(3)
        )
    assert main(["browse", f"id:{item_id}"]) == 0
    out = capsys.readouterr().out
    row = next(line for line in out.splitlines() if line.startswith(item_id[:34]))
    assert " 10m " in row and "0d" not in row.split()[4], row
    assert out.rstrip().endswith("1 item matches"), out
