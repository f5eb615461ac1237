"""The stats screen and ``quizapp stats`` agree on every figure (issue 10 item 8): the
screen's headline figures and chart rows, read off the screen, equal ``quizapp stats
--json`` on the same progress file, catalog, settings and time; the text output prints the
very same headline lines."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest
from textual.widgets import Static

from quizapp import cli, paths
from quizapp.decks.loader import load_catalog
from quizapp.settings import load_scheduler_config
from quizapp.study import clock as clock_module
from quizapp.study.clock import FakeClock
from quizapp.study.context import AppContext
from quizapp.study.format import drill_title, mistake_name, topic_title
from quizapp.tui.screens.stats import ChartPane, StatsScreen
from tests.tui.test_mock_app import open_on
from tests.tui.test_stats_screen import build_log, save_mocks
from tests.unit.test_mock_deck import write_deck


@pytest.fixture
def learner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A home with settings, the test deck beside the shipped ones, ten days of answers
    and two mocks; ``quizapp`` commands see the same moment as the app's FakeClock."""
    paths.config_file().parent.mkdir(parents=True, exist_ok=True)
    paths.config_file().write_text('[scheduling]\ntimezone = "UTC"\n', encoding="utf-8")
    deck = write_deck(tmp_path / "deck")
    ctx = AppContext.open(
        load_catalog([deck]),
        clock=FakeClock(),
        rng=random.Random(3),
        config=load_scheduler_config(),
    )
    build_log(ctx)
    save_mocks(ctx)
    monkeypatch.setattr(clock_module, "SystemClock", lambda: FakeClock(ctx.clock.now()))
    yield ctx, deck
    ctx.close()


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    code = cli.main(args)
    out = capsys.readouterr()
    assert code == 0, out.err
    return out.out


def _figure(text: str, pattern: str) -> str:
    found = re.search(pattern, text)
    assert found, f"{pattern!r} not in {text!r}"
    return found.group(1)


def _pct(fraction: float | None) -> str:
    return "—" if fraction is None else f"{100 * fraction:.0f}%"


async def test_screen_figures_equal_quizapp_stats_json(learner, capsys) -> None:
    ctx, deck = learner
    data = json.loads(_run(["stats", "--json", "--content", str(deck)], capsys))
    text_out = _run(["stats", "--content", str(deck)], capsys)

    app = open_on(ctx, StatsScreen)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        summary = str(screen.query_one("#stats-summary", Static).render())
        charts = {pane.chart.key: pane.chart for pane in screen.query(ChartPane)}
        shown = {key: [str(w.render()) for w in pane.query(".chart-plot")] for key, pane in
                 ((p.chart.key, p) for p in screen.query(ChartPane))}  # fmt: skip

    c = data["counts"]
    assert c["new"] > 300  # the shipped decks are in both catalogs
    for name in ("new", "learning", "review", "suspended"):
        assert int(_figure(summary, rf"(\d+) {name}\b")) == c[name]
    assert (
        int(_figure(summary, r"([\d,]+) answers in all").replace(",", "")) == data["total_reviews"]
    )
    assert int(_figure(summary, r"due today (\d+)")) == data["due_today"]
    assert int(_figure(summary, r"answered today (\d+)")) == data["reviews_today"]
    assert int(_figure(summary, r"\((\d+) new,")) == data["new_today"]
    assert int(_figure(summary, r"streak (\d+) day")) == data["streak"]
    graded = data["accuracy_graded"]
    assert _figure(summary, r"in all (\S+) right of") == _pct(graded["accuracy"])
    assert int(_figure(summary, r"in all \S+ right of (\d+) graded")) == graded["answered"]
    today = data["accuracy_graded_today"]
    if today["answered"]:
        assert _figure(summary, r"today (\S+) right of") == _pct(today["accuracy"])
        assert int(_figure(summary, r"today \S+ right of (\d+) graded")) == today["answered"]
    else:  # this learner's answers today are flashcards: self-rated, not graded
        assert "today no graded answers · in all" in summary
    flash = next(a for a in data["accuracy_by_kind"] if a["key"] == "flashcard")
    assert _figure(summary, r"self-rated (\S+)") == _pct(flash["accuracy"])
    rate = data["true_retention"]["total"]["rate"]
    assert _figure(summary, r"true retention (\S+)") == f"{100 * rate:.1f}%"

    # the charts: every row as the JSON has it
    assert list(charts["forecast"].values) == [d["count"] for d in data["due_next_30"]]
    assert list(charts["reviews"].values) == [d["reviews"] for d in data["reviews_per_day"]]
    for key, field, name in (
        ("topics", "accuracy_by_topic", topic_title),
        ("drills", "accuracy_by_drill_kind", drill_title),
    ):
        rows = {r[0]: (int(r[1]), int(r[2])) for r in charts[key].rows}
        assert rows == {name(a["key"]): (a["answered"], a["correct"]) for a in data[field]}
        for a in data[field]:  # what the bar says beside it
            assert f"{_pct(a['accuracy'])} of {a['answered']}" in shown[key][0]
    mistakes = {r[0]: int(r[1]) for r in charts["mistakes"].rows}
    assert mistakes == {mistake_name(m["mistake"]): m["count"] for m in data["top_mistakes"]}
    assert all("_" not in name for name in mistakes)  # by name, not by id
    assert len(charts["mocks"].rows) == len(data["mocks"]) == 2

    # the text output prints the screen's own headline lines
    assert [line.strip() for line in text_out.splitlines()[1:5]] == summary.splitlines()
