"""The lab's plot: the loss surface as filled contour bands with braille contour lines, the
optimizers' paths in braille, and markers (start ◆, minimum ✕, ends ●).

A Line-API widget: :meth:`LossPlot.show` takes a :class:`Scene`; the cells are rasterized
with NumPy (:mod:`.canvas`) once per scene or size, and each line becomes a strip of a few
segments (runs of cells in one style). The surface's bands are cached per surface and
size, so moving the start or changing η redraws only the paths.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from quizapp.engine.surfaces import Surface
from quizapp.study.format import compact
from quizapp.tui.widgets.lab import canvas
from quizapp.tui.widgets.lab.canvas import BANDS, Marker, Path, Raster

START_COLOUR = "#ffffff"
MINIMUM_COLOUR = "#ffd75f"
SADDLE_COLOUR = "#c0c0c0"
# filled contour bands, low loss dark: navy through teal to a dusky plum
_STOPS = ((0x0B, 0x16, 0x28), (0x12, 0x38, 0x48), (0x3E, 0x2E, 0x52))


def _ramp(n: int) -> list[tuple[int, int, int]]:
    out = []
    for i in range(n):
        t = i / max(n - 1, 1) * (len(_STOPS) - 1)
        a, b = _STOPS[min(int(t), len(_STOPS) - 2)], _STOPS[min(int(t), len(_STOPS) - 2) + 1]
        f = t - min(int(t), len(_STOPS) - 2)
        out.append(tuple(round(a[k] + (b[k] - a[k]) * f) for k in range(3)))  # type: ignore[misc]
    return out


def _hex(rgb: tuple[int, int, int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


BAND_COLOURS = [_hex(c) for c in _ramp(BANDS)]
CONTOUR_COLOURS = [_hex(tuple(round(v + (255 - v) * 0.28) for v in c)) for c in _ramp(BANDS)]  # type: ignore[arg-type]


@dataclass(frozen=True)
class Scene:
    """What to draw: the surface, paths (points and a colour each, drawn in order, the
    last on top) and the start point."""

    surface: Surface
    start: tuple[float, float]
    paths: tuple[tuple[np.ndarray, str], ...] = ()
    ends: bool = True  # a ● at the end of each path
    extra: tuple[tuple[float, float, str, str], ...] = field(default=())  # x, y, glyph, colour


class LossPlot(Widget, can_focus=True):
    """Contours + paths. Arrow keys move the start (the screen's ``move_start``); a click
    picks it (:class:`StartPicked`); hovering shows the point and its loss."""

    DEFAULT_CSS = """
    LossPlot { background: #0b1628; }
    """
    BINDINGS = [
        Binding("left", "screen.move_start(-1, 0)", "Start", key_display="←↑↓→", id="lab.start"),
        Binding("right", "screen.move_start(1, 0)", "Start", show=False),
        Binding("up", "screen.move_start(0, 1)", "Start", show=False),
        Binding("down", "screen.move_start(0, -1)", "Start", show=False),
    ]

    class StartPicked(Message):
        """The learner clicked the plot: start from (x, y)."""

        def __init__(self, x: float, y: float) -> None:
            super().__init__()
            self.x = x
            self.y = y

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.scene: Scene | None = None
        self.raster: Raster | None = None
        self._strips: list[Strip] | None = None
        self._field_key: tuple[object, ...] | None = None
        self._field: tuple[np.ndarray, np.ndarray, canvas.View] | None = None
        self._styles: dict[tuple[str, str], Style] = {}
        self._palette: list[str] = []
        self._hover: str | None = None

    # -- data in ---------------------------------------------------------------------------
    def show(self, scene: Scene) -> None:
        """Draw ``scene`` (rasterized now, painted on the next frame)."""
        self.scene = scene
        self._rasterize()
        self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        self._rasterize()

    @property
    def view(self) -> canvas.View | None:
        return self._field[2] if self._field else None

    def _rasterize(self) -> None:
        scene = self.scene
        cols, rows = self.content_size
        if scene is None or cols <= 0 or rows <= 0:
            self.raster, self._strips = None, None
            return
        key = (scene.surface, cols, rows)
        if key != self._field_key or self._field is None:
            view = canvas.fit_view(scene.surface.kind.view, cols, rows)
            band, contour = canvas.field(scene.surface.loss, view, cols, rows)
            self._field, self._field_key = (band, contour, view), key
        band, contour, view = self._field
        palette = [START_COLOUR, MINIMUM_COLOUR, SADDLE_COLOUR]
        paths = []
        markers = []
        for points, colour in scene.paths:
            palette.append(colour)
            paths.append(Path(points, len(palette) - 1))
            if scene.ends and len(points) > 1 and np.all(np.isfinite(points[-1])):
                markers.append(
                    Marker(float(points[-1, 0]), float(points[-1, 1]), "●", len(palette) - 1)
                )
        kind = scene.surface.kind
        for x, y in kind.minima:
            markers.append(Marker(x, y, "✕", 1))
        if kind.saddle is not None:
            markers.append(Marker(*kind.saddle, "+", 2))
        for x, y, glyph, colour in scene.extra:
            palette.append(colour)
            markers.append(Marker(x, y, glyph, len(palette) - 1))
        markers.append(Marker(scene.start[0], scene.start[1], "◆", 0))
        self._palette = palette
        self.raster = canvas.rasterize(band, contour, paths, markers, view)
        self._strips = None
        if self._hover is None:
            self.border_subtitle = self._default_subtitle()

    # -- painting ----------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        if self._strips is None:
            self._strips = self._build_strips()
        if 0 <= y < len(self._strips):
            return self._strips[y]
        return Strip.blank(self.content_size.width)

    def _build_strips(self) -> list[Strip]:
        raster = self.raster
        if raster is None:
            return []
        palette = self._palette
        strips = []
        glyphs, fg, band = raster.glyphs, raster.fg, raster.band
        # a cell's style: its foreground (palette, or the contour shade of its band) and band
        fg_key = np.where(fg >= 0, fg + BANDS, band)
        style_id = fg_key * BANDS + band
        for row in range(glyphs.shape[0]):
            ids = style_id[row]
            text = glyphs[row].astype(np.uint32).tobytes().decode("utf-32-le")
            cuts = np.flatnonzero(ids[1:] != ids[:-1]) + 1
            bounds = [0, *cuts.tolist(), len(ids)]
            segments = []
            for a, b in zip(bounds[:-1], bounds[1:], strict=True):
                sid = int(ids[a])
                fgk, bd = divmod(sid, BANDS)
                colour = palette[fgk - BANDS] if fgk >= BANDS else CONTOUR_COLOURS[fgk]
                segments.append(Segment(text[a:b], self._style(colour, BAND_COLOURS[bd])))
            strips.append(Strip(segments, len(ids)))
        return strips

    def _style(self, fg: str, bg: str) -> Style:
        style = self._styles.get((fg, bg))
        if style is None:
            style = self._styles[(fg, bg)] = Style(color=fg, bgcolor=bg)
        return style

    def redraw(self) -> None:
        """Repaint from the current raster (what a resize-free refresh costs; benchmarks)."""
        self._strips = None
        self.refresh()

    # -- mouse ---------------------------------------------------------------------------
    def _point(self, event: events.MouseEvent) -> tuple[float, float] | None:
        offset = event.get_content_offset(self)
        if offset is None or self.view is None:
            return None
        cols, rows = self.content_size
        return canvas.to_data(self.view, cols, rows, offset.x, offset.y)

    def on_click(self, event: events.Click) -> None:
        point = self._point(event)
        if point is not None:
            self.post_message(self.StartPicked(*point))

    def on_mouse_move(self, event: events.MouseMove) -> None:
        point = self._point(event)
        if point is None or self.scene is None:
            self._set_hover(None)
            return
        x, y = point
        f = float(self.scene.surface.loss(np.array([x, y])))
        self._set_hover(f"x {_n(x)}  y {_n(y)}  f {_n(f)}")

    def on_leave(self, event: events.Leave) -> None:
        self._set_hover(None)

    def _set_hover(self, text: str | None) -> None:
        self._hover = text
        self.border_subtitle = text or self._default_subtitle()

    def _default_subtitle(self) -> str:
        view = self.view
        if view is None:
            return ""
        return f"x {_n(view[0])} … {_n(view[1])}   y {_n(view[2])} … {_n(view[3])}"


def _n(v: float) -> str:
    return compact(v, 3)


def colours_for(keys: Sequence[str]) -> list[str]:
    """Each racer's colour, by its slot (the same optimizer keeps its colour everywhere)."""
    return [RACER_COLOURS.get(k, FALLBACK[i % len(FALLBACK)]) for i, k in enumerate(keys)]


RACER_COLOURS = {
    "sgd": "#f0f0f0",
    "momentum": "#ffb000",
    "nesterov": "#ff7ab6",
    "adagrad": "#7ee787",
    "rmsprop": "#56d4ff",
    "adam": "#ff5f5f",
    "adamw": "#b18cff",
    "other": "#e6e05a",
    "sgd-warmup": "#56d4ff",
}
FALLBACK = ("#f0f0f0", "#ffb000", "#7ee787", "#56d4ff", "#ff5f5f", "#b18cff")
