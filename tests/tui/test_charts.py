"""The stats screen's text charts: one column per day with a gap (due-day bars never
merge), integer ticks for integer counts, a figure beside every bar."""

from __future__ import annotations

import pytest

from quizapp.tui.widgets.charts import bar_list, column_chart, integer_ticks


@pytest.mark.parametrize("width", [60, 76, 116])
def test_every_day_has_its_own_column_and_neighbours_never_merge(width: int) -> None:
    values = [3, 1, 2, 0, 5, 5, 0, 1] + [1] * 22
    labels = [f"01-{d:02d}" for d in range(1, 31)]
    lines = column_chart(values, labels, width, 12).plain.splitlines()
    base = lines[-2]  # the base line: every day is a bar or a dot, then a blank
    axis_w = base.index("┤") + 1
    cells = base[axis_w:]
    slot = next(i for i in range(1, len(cells)) if cells[i] == " ")  # a bar's width
    period = slot + 1
    shown = (len(cells.rstrip()) + 1) // period
    assert shown == min(30, (width - axis_w - 1) // period)  # only whole days at the end
    if width >= 76:
        assert shown == 30  # 80 columns show the whole month
    for day in range(shown):
        column = cells[day * period : day * period + slot]
        gap = cells[day * period + slot : day * period + period]
        assert column.strip() and len(set(column)) == 1  # one bar, its full width
        assert gap in (" ", "")  # and a blank column before the next day
        assert (column[0] == "·") == (values[day] == 0)
    assert max(len(line) for line in lines) <= width


def test_integer_ticks_only() -> None:
    for top in (1, 2, 3, 7, 13, 99, 137, 2500):
        for rows in (5, 10, 20):
            ticks = integer_ticks(top, rows)
            assert all(isinstance(t, int) for t in ticks)
            assert ticks[0] == 0 and ticks[-1] >= top
            assert len(ticks) - 1 <= max(1, rows // 2)
    text = column_chart([3, 1, 0], ["a", "b", "c"], 40, 10).plain
    for line in text.splitlines()[:-1]:
        label = line.split("┤")[0].strip() if "┤" in line else ""
        assert label == "" or label.isdigit()


def test_bars_carry_their_figure() -> None:
    text = bar_list(["sgd", "adam"], [20.0, 60.0], ["20% of 5", "60% of 10"], 60, 100).plain
    sgd, adam = text.splitlines()
    assert sgd.endswith("20% of 5") and adam.endswith("60% of 10")

    def eighths(line: str) -> int:
        return sum(8 if ch == "█" else " ▁▂▃▄▅▆▇".find(ch) for ch in line if ch in "█▁▂▃▄▅▆▇")

    assert abs(eighths(adam) - 3 * eighths(sgd)) <= 2  # bars on one 0–100 scale
