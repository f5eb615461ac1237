"""The drill picker's filter lists the kinds whose titles match first (tui/screens/drill_pick.py)."""

from __future__ import annotations

from quizapp.engine import drills
from quizapp.tui.screens.drill_pick import matches, rank


def _shown(value: str) -> list[drills.DrillKindInfo]:
    words = value.lower().split()
    infos = [drills.info(kind) for kind in drills.kinds()]
    return sorted((i for i in infos if matches(words, i)), key=lambda i: rank(words, i))


def test_title_matches_come_before_description_matches() -> None:
    shown = _shown("adam")
    ranks = [rank(["adam"], info) for info in shown]
    assert ranks == sorted(ranks) and ranks[0] == 0
    assert "adam" in shown[0].title.lower()
    # a kind that mentions Adam only in its description is still listed, after the titles
    assert any("adam" not in info.title.lower() for info in shown)


def test_every_match_is_kept_and_the_catalog_order_holds_within_a_rank() -> None:
    infos = [drills.info(kind) for kind in drills.kinds()]
    for value in ("step", "sgd momentum", "clip", "schedule"):
        words = value.split()
        shown = _shown(value)
        assert {i.kind for i in shown} == {i.kind for i in infos if matches(words, i)}
        for r in (0, 1, 2):
            same = [i.kind for i in shown if rank(words, i) == r]
            assert same == [i.kind for i in infos if matches(words, i) and rank(words, i) == r]
