"""Two small charts drawn with text, for counts where a plotting library gets the details
wrong at terminal resolution: one column per day with a gap between days (plotext merged
neighbouring bars at 80 columns) and integer ticks for integer data, and a labelled bar per
row with its exact figure beside it.

``column_chart`` and ``bar_list`` are pure functions of the data and the size (tested
directly); :class:`ColumnChart` and :class:`BarList` draw them at the widget's size.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from rich.text import Text
from textual.widget import Widget

__all__ = ["BarList", "ColumnChart", "bar_list", "column_chart", "integer_ticks"]

EIGHTHS = " ▁▂▃▄▅▆▇█"
LABEL_GAP = 1


def integer_ticks(top: float, rows: int) -> list[int]:
    """Whole-number ticks from 0 to at least ``top``: a 1-2-5 step, at most ~``rows``/2 of
    them so every tick has its own row."""
    top = max(1, math.ceil(top))
    most = max(1, rows // 2)
    step = 1
    for base in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10_000):
        step = base
        if math.ceil(top / step) <= most:
            break
    else:
        while math.ceil(top / step) > most:
            step *= 10
    count = math.ceil(top / step)
    return [k * step for k in range(count + 1)]


def column_chart(
    values: Sequence[int], labels: Sequence[str], width: int, height: int, style: str = "magenta"
) -> Text:
    """Columns for ``values`` (one slot per value, a blank column between slots), a y axis
    with integer ticks and every few x labels under their column. A zero shows as a dim
    dot on the base line, so each day keeps its place. Slots that do not fit are dropped
    from the end (the nearest days stay)."""
    height = max(3, height)
    plot_rows = height - 1  # the last row holds the x labels
    ticks = integer_ticks(max(values, default=0), plot_rows)
    top = ticks[-1]
    axis_w = len(str(top)) + 1
    avail = max(2, width - axis_w - 1)
    slot = max(2, min(4, avail // max(1, len(values))))
    shown = min(len(values), avail // slot)
    values, labels = list(values)[:shown], list(labels)[:shown]
    bar_w = slot - 1
    tick_rows = {min(plot_rows - 1, plot_rows - round(plot_rows * t / top)): t for t in ticks}
    heights = [max(1, round(8 * plot_rows * v / top)) if v > 0 else 0 for v in values]
    lines: list[Text] = []
    for row in range(plot_rows):
        line = Text()
        tick = tick_rows.get(row)
        line.append(
            f"{tick:>{axis_w - 1}}┤" if tick is not None else " " * (axis_w - 1) + "│", "dim"
        )
        below = (plot_rows - 1 - row) * 8  # eighths of bar under this row
        for v, h in zip(values, heights, strict=True):
            fill = max(0, min(8, h - below))
            if fill:
                line.append(EIGHTHS[fill] * bar_w, style)
            elif row == plot_rows - 1 and v == 0:
                line.append("·" * bar_w, "dim")
            else:
                line.append(" " * bar_w)
            line.append(" ")
        lines.append(line)
    axis = Text(" " * axis_w, "dim")
    every = max(1, math.ceil((max((len(x) for x in labels), default=1) + LABEL_GAP) / slot))
    cells = [" "] * (shown * slot)
    for i in range(0, shown, every):
        for j, ch in enumerate(labels[i]):
            if i * slot + j < len(cells):
                cells[i * slot + j] = ch
    axis.append("".join(cells), "dim")
    lines.append(axis)
    return Text("\n").join(lines)


def bar_list(
    labels: Sequence[str],
    values: Sequence[float],
    notes: Sequence[str],
    width: int,
    scale: float | None = None,
    style: str = "magenta",
) -> Text:
    """One row per value: the label, a bar on ``scale`` (100 for percentages; the largest
    value when None) and the exact figure (``notes``) beside it."""
    if not values:
        return Text()
    top = scale if scale else max(values) or 1
    label_w = min(max(len(x) for x in labels), max(8, width // 3))
    note_w = max(len(n) for n in notes)
    bar_w = max(4, width - label_w - note_w - 4)
    lines = []
    for label, value, note in zip(labels, values, notes, strict=True):
        eighths = round(8 * bar_w * max(0.0, value) / top)
        full, part = divmod(eighths, 8)
        bar = "█" * full + (EIGHTHS[part] if part else "")
        shown = label if len(label) <= label_w else label[: label_w - 1] + "…"
        lines.append(
            Text.assemble(
                (f"{shown:<{label_w}} ", "bold"),
                (f"{bar:<{bar_w}}", style),
                f"  {note:>{note_w}}",
            )
        )
    return Text("\n").join(lines)


class ColumnChart(Widget):
    """:func:`column_chart` at the widget's size."""

    DEFAULT_CSS = "ColumnChart { height: 1fr; }"

    def __init__(self, values: Sequence[int], labels: Sequence[str], **kwargs: str) -> None:
        super().__init__(**kwargs)
        self.values, self.labels = list(values), list(labels)

    def render(self) -> Text:
        size = self.content_size
        return column_chart(self.values, self.labels, size.width, size.height)


class BarList(Widget):
    """:func:`bar_list` at the widget's width."""

    DEFAULT_CSS = "BarList { height: auto; }"

    def __init__(
        self,
        labels: Sequence[str],
        values: Sequence[float],
        notes: Sequence[str],
        scale: float | None = None,
        **kwargs: str,
    ) -> None:
        super().__init__(**kwargs)
        self.labels, self.values, self.notes, self.scale = labels, values, notes, scale

    def render(self) -> Text:
        return bar_list(self.labels, self.values, self.notes, self.content_size.width, self.scale)
