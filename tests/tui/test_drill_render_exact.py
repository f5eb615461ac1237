"""The drill card's verdict marks and worked solution show exact values a learner can type
back (issue 10, item 2), and the "you" column shows what was typed."""

from __future__ import annotations

from rich.console import Console

from quizapp.engine import drills
from quizapp.tui.widgets.drill.render import field_marks, solution_table


def _text(renderable: object) -> str:
    console = Console(width=120, record=True, color_system=None)
    console.print(renderable)
    return console.export_text()


def test_exact_column_and_solution_are_gradeable_and_you_is_what_was_typed() -> None:
    # θ' next to a tiny update: six significant digits would round the update away
    p = drills.generate("adam", 3, {"theta": 1.1, "lr": 1e-4, "t": 5})
    typed = "1.1 - 0.0001"
    v = drills.grade(p, typed)
    marks = _text(field_marks(p, v))
    exact = p.answers_text["theta"]
    assert f"exact {exact}" in marks and f"you {typed}" in marks
    assert drills.grade(p, exact).correct
    assert f"= {exact}" in _text(solution_table(p))


def test_marks_line_up_when_labels_and_numbers_differ_in_width() -> None:
    """usertest2 D8: "✗  b      you 0.02387" above "✗  θ'  you -0.0764774"."""
    p = drills.generate("momentum", 2)
    v = drills.grade(p, {"momentum_buffer": "0.02387", "theta": "-0.0764774"})
    lines = [ln for ln in _text(field_marks(p, v)).splitlines() if ln.strip()]
    assert len(lines) == 2
    for word in ("you", "exact"):
        assert len({ln.index(f" {word} ") for ln in lines}) == 1, lines
    # the numbers are right-aligned: each column's numbers end where the next word starts
    assert len({ln.index(" exact") for ln in lines}) == 1
    assert len({len(ln.rstrip()) for ln in lines}) == 1, lines
