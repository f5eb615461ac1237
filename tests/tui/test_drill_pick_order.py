"""The drill picker's filter lists the kinds whose titles match first (tui/screens/drill_pick.py)."""

from __future__ import annotations

from quizapp.engine import drills
from quizapp.tui.screens.drill_pick import matches, rank, shown


def _shown(value: str) -> list[drills.DrillKindInfo]:
    return shown(value.lower().split(), [drills.info(kind) for kind in drills.kinds()])


def test_title_matches_come_before_description_matches() -> None:
    listed = _shown("adam")
    ranks = [rank(["adam"], info) for info in listed]
    assert ranks == sorted(ranks) and ranks[0] == 0
    assert "adam" in listed[0].title.lower()
    # a kind that mentions Adam only in its description is still listed, after the titles
    assert any("adam" not in info.title.lower() for info in listed)


def test_every_match_is_kept_and_the_catalog_order_holds_within_a_rank() -> None:
    infos = [drills.info(kind) for kind in drills.kinds()]
    for value in ("step", "sgd momentum", "clip", "schedule"):
        words = value.split()
        listed = _shown(value)
        assert {i.kind for i in listed} == {i.kind for i in infos if matches(words, i)}
        for r in (0, 1, 2):
            same = [i.kind for i in listed if rank(words, i) == r]
            assert same == [i.kind for i in infos if matches(words, i) and rank(words, i) == r]
