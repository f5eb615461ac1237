"""The lab's side panels: the racers (legend: colour, loss reached, steps) and the knobs.

Both render a :class:`~quizapp.study.lab.LabState` handed to them and send intents up as
actions on the screen (``screen.toggle``, ``screen.change``, …), so the screen stays the
one place that changes the session.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.widget import Widget

from quizapp.engine.trajectory import Trajectory
from quizapp.study.format import compact
from quizapp.study.lab import LabState
from quizapp.study.lab_knobs import Knob

KNOBS = Binding.Group("Knobs", compact=True)  # the footer shows "↑↓←→ Knobs"
SCHEDULE_NAMES = {"constant": "constant", "warmup_cosine": "warmup+cosine", "step": "step ×0.1"}


@dataclass(frozen=True)
class RacerRow:
    """What the legend shows for one racer: the path so far (None: not computed yet)."""

    path: Trajectory | None
    computing: bool = False


class RacerLegend(Widget, can_focus=True):
    """One line per racer: ■ on / □ off, its key, name, the loss reached and the steps.
    ↑↓ choose the racer whose knobs the panel shows; its number key (or a click on its ■)
    switches it on or off."""

    BINDINGS = [
        Binding("up", "screen.select_racer(-1)", "Racer", key_display="↑↓", id="lab.racer"),
        Binding("down", "screen.select_racer(1)", "Racer", show=False),
    ]
    DEFAULT_CSS = "RacerLegend { height: auto; }"

    class Clicked(Message):
        """A click on racer ``index``: on its ■ (``toggle``) or elsewhere (select it)."""

        def __init__(self, index: int, toggle: bool) -> None:
            super().__init__()
            self.index = index
            self.toggle = toggle

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._state: LabState | None = None
        self._rows: Sequence[RacerRow] = ()
        self._colours: Sequence[str] = ()

    def show(self, state: LabState, rows: Sequence[RacerRow], colours: Sequence[str]) -> None:
        self._state, self._rows, self._colours = state, rows, colours
        self.refresh(layout=True)

    def render(self) -> Text:
        state = self._state
        text = Text(no_wrap=True, overflow="ellipsis")
        if state is None:
            return text
        for i, racer in enumerate(state.racers):
            row = self._rows[i] if i < len(self._rows) else RacerRow(None)
            colour = self._colours[i]
            chosen = i == state.selected
            line = Text(
                no_wrap=True,
                overflow="ellipsis",
                style="reverse" if chosen and self.has_focus else "",
            )
            line.append("■ " if racer.enabled else "□ ", style=colour if racer.enabled else "dim")
            line.append(f"{i + 1} ", style="dim")
            line.append(f"{racer.label:<10.10}", style="bold" if chosen else "")
            line.append(_status(racer.enabled, row), style="" if racer.enabled else "dim")
            if i:
                text.append("\n")
            text.append_text(line)
        return text

    def cursor_line(self) -> int:
        """The row of the knob under the cursor (0 at the top)."""
        state = self._state
        if state is None:
            return 0
        cursor = state.knob.id
        return next((i for i, k in enumerate(self._lines) if k is not None and k.id == cursor), 0)

    def get_content_height(self, container, viewport, width: int) -> int:  # type: ignore[no-untyped-def]
        return len(self._state.racers) if self._state else 1

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or self._state is None or offset.y >= len(self._state.racers):
            return
        self.post_message(self.Clicked(offset.y, toggle=offset.x <= 1))

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()


def _status(enabled: bool, row: RacerRow) -> str:
    """Loss reached and steps done (or where it blew up), 14 columns."""
    path = row.path
    if not enabled:
        return "   off"
    if path is None:
        return "     …"
    bad = path.diverged_at
    if bad is not None:
        return f"{'∞':>9} ✗{bad}"
    steps = f"{path.done}" + ("…" if row.computing or not path.complete else "")
    return f"{compact(path.final_loss):>9} {steps:>5}"


class KnobPanel(Widget, can_focus=True):
    """The selected racer's knobs, then the lab's: ↑↓ choose one, ←→ change it (click a
    row to choose it, its ◂ / ▸ to change it). In a guided experiment the panel only shows
    the preset: no cursor, no ◂ / ▸, not focusable, clicks change nothing."""

    BINDINGS = [
        Binding(
            "up", "screen.move_cursor(-1)", "Knob", key_display="↑↓", group=KNOBS, id="lab.knob"
        ),
        Binding("down", "screen.move_cursor(1)", "Knob", show=False),
        Binding("left", "screen.change(-1)", "Set", key_display="←→", group=KNOBS, id="lab.set"),
        Binding("right", "screen.change(1)", "Set", show=False),
    ]
    DEFAULT_CSS = "KnobPanel { height: auto; }"
    LABEL = 10  # label column width: the longest label (optimizer) and a space before ◂

    class Clicked(Message):
        """A click on a knob's row: point at it, and move it when on its ◂ (−1) or ▸ (+1)."""

        def __init__(self, knob_id: str, direction: int) -> None:
            super().__init__()
            self.knob_id = knob_id
            self.direction = direction

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._state: LabState | None = None
        self._lines: list[Knob | None] = []

    @property
    def read_only(self) -> bool:
        """A guided experiment's preset: shown, not changed here."""
        return self._state is not None and self._state.experiment is not None

    def show(self, state: LabState) -> None:
        self._state = state
        self.can_focus = not self.read_only
        self._lines = []
        racer_knobs = [k for k in state.knobs if k.scope == "racer"]
        lab_knobs = [k for k in state.knobs if k.scope == "lab"]
        self._lines = [*racer_knobs, None, *lab_knobs]
        self.refresh(layout=True)

    def cursor_line(self) -> int:
        """The row of the knob under the cursor (0 at the top)."""
        state = self._state
        if state is None:
            return 0
        cursor = state.knob.id
        return next((i for i, k in enumerate(self._lines) if k is not None and k.id == cursor), 0)

    def get_content_height(self, container, viewport, width: int) -> int:  # type: ignore[no-untyped-def]
        return max(1, len(self._lines))

    def render(self) -> Text:
        state = self._state
        text = Text(no_wrap=True, overflow="ellipsis")
        if state is None:
            return text
        cursor = None if self.read_only else state.knob.id
        for i, knob in enumerate(self._lines):
            if i:
                text.append("\n")
            if knob is None:
                text.append("── the lab ──" if i else "", style="dim")
                continue
            if cursor is None:
                text.append(f"  {knob.label:<{self.LABEL}}  {knob_value(knob)}")
                continue
            here = knob.id == cursor
            style = "reverse" if here and self.has_focus else ("bold" if here else "")
            line = Text(no_wrap=True, overflow="ellipsis", style=style)
            line.append("› " if here else "  ")
            line.append(f"{knob.label:<{self.LABEL}}")
            line.append("◂ ", style="dim" if not here else "")
            line.append(knob_value(knob))
            line.append(" ▸", style="dim" if not here else "")
            text.append_text(line)
        return text

    def knob_at(self, y: int) -> Knob | None:
        return self._lines[y] if 0 <= y < len(self._lines) else None

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        knob = self.knob_at(offset.y) if offset is not None else None
        if knob is None or offset is None or self.read_only:
            return
        value_at = 2 + self.LABEL
        width = 2 + len(knob_value(knob)) + 2
        direction = 0
        if value_at <= offset.x < value_at + 2:
            direction = -1
        elif value_at + width - 2 <= offset.x < value_at + width:
            direction = 1
        self.post_message(self.Clicked(knob.id, direction))

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()


def knob_value(knob: Knob) -> str:
    """A knob's value as the panel shows it."""
    v = knob.value
    if knob.id == "schedule":
        return SCHEDULE_NAMES.get(str(v), str(v))
    if knob.id == "optimizer":
        from quizapp.study.lab_knobs import label_of

        return label_of(str(v))
    if knob.id == "surface":
        return str(v)
    if knob.id == "scale":
        return f"×{compact(float(v), 4)}"
    if knob.id in ("steps", "seed"):
        return str(int(v))
    if knob.id in ("beta1", "beta2"):
        return f"{float(v):g}"
    return compact(float(v), 3)
