"""Snapshots of every screen at 80×24 and 120×40 (pytest-textual-snapshot).

Deterministic: the small test deck, a FakeClock, a seeded rng, no cursor blink and no
animations (see conftest). Update with ``pytest tests/tui --snapshot-update`` only after
looking at the report.
"""

from __future__ import annotations

import pytest

SIZES = [(80, 24), (120, 40)]

# Review order of the test deck: a flashcard, the trap, the drill, a flashcard.
ONE_CARD = ["space", "3"]


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_home(snap_compare, make_app, size) -> None:
    assert snap_compare(make_app(), terminal_size=size)


@pytest.mark.slow  # CI; by default the card's back (test_flashcard_back) is its screen's snapshot
@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_flashcard_front(snap_compare, make_app, size) -> None:
    assert snap_compare(make_app(review=True), terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_flashcard_back(snap_compare, make_app, size) -> None:
    assert snap_compare(make_app(review=True), press=["space"], terminal_size=size)


@pytest.mark.slow  # CI; by default the trap answered (test_trap_after_wrong) is its snapshot
@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_trap_before(snap_compare, make_app, size) -> None:
    assert snap_compare(make_app("trap"), terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_trap_after_wrong(snap_compare, make_app, size) -> None:
    assert snap_compare(make_app("trap"), press=["a"], terminal_size=size)


@pytest.mark.slow  # CI; by default the graded drill (test_drill_after_verdict) is its snapshot
@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_drill_before(snap_compare, make_app, size) -> None:
    assert snap_compare(make_app("drill"), press=["0", ".", "5"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_drill_after_verdict(snap_compare, make_app, size) -> None:
    assert snap_compare(make_app("drill"), press=["0", ".", "5", "enter"], terminal_size=size)


@pytest.mark.slow  # CI; by default test_drill_after_verdict; the unreadable line's own check
# is test_flows.py::test_drill_unreadable_costs_nothing_then_wrong_and_right
@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_drill_unreadable(snap_compare, make_app, size) -> None:
    assert snap_compare(make_app("drill"), press=["1", ".", "2", ".", "enter"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_summary(snap_compare, make_app, size) -> None:
    assert snap_compare(
        # a flashcard, the trap (b), then the drill: escape leaves its box, then ends
        make_app(review=True),
        press=[*ONE_CARD, "b", "enter", "escape", "escape"],
        terminal_size=size,
    )


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_help(snap_compare, make_app, size) -> None:
    assert snap_compare(make_app(), press=["question_mark"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_drill_picker(snap_compare, make_app, size) -> None:
    assert snap_compare(make_app(), press=["d"], terminal_size=size)
