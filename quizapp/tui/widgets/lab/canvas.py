"""Rasterize a loss surface and optimizer paths into terminal cells (NumPy, no Textual).

Each cell carries a background colour (the filled contour band of the loss at its centre)
and one glyph: a braille character whose 2×4 dots draw either the paths crossing the cell
(in the colour of the path drawn last there) or, where no path passes, the contour lines
between bands; markers (start ◆, minimum ✕, ends ●) replace the glyph. Braille dots are
square on a terminal whose cells are twice as tall as wide, and the view is widened to the
widget's aspect, so circles stay round and a gradient crosses contours at a right angle.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

View = tuple[float, float, float, float]
BANDS = 12
# braille dot (row, column) -> bit, Unicode's order
_BITS = np.array([[0x01, 0x08], [0x02, 0x10], [0x04, 0x20], [0x40, 0x80]], dtype=np.int32)
BLANK = ord(" ")


@dataclass(frozen=True)
class Path:
    """One path to draw: its points (n, 2) and its colour index (into the widget's palette)."""

    points: np.ndarray
    colour: int


@dataclass(frozen=True)
class Marker:
    x: float
    y: float
    glyph: str
    colour: int  # palette index


@dataclass
class Raster:
    """The cells: glyph code points, foreground palette index (−1: contour colour of the
    band) and band index, all of shape (rows, columns)."""

    glyphs: np.ndarray
    fg: np.ndarray
    band: np.ndarray
    view: View

    @property
    def size(self) -> tuple[int, int]:
        rows, cols = self.glyphs.shape
        return cols, rows


def fit_view(view: View, cols: int, rows: int) -> View:
    """``view`` widened in x or y so one braille dot is square (2 dots per column, 4 per row)."""
    x0, x1, y0, y1 = view
    per_dot = max((x1 - x0) / (2 * cols), (y1 - y0) / (4 * rows))
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    hw, hh = per_dot * cols, per_dot * 2 * rows
    return (cx - hw, cx + hw, cy - hh, cy + hh)


def to_data(view: View, cols: int, rows: int, col: float, row: float) -> tuple[float, float]:
    """The data point at the centre of cell (col, row)."""
    x0, x1, y0, y1 = view
    return (x0 + (col + 0.5) / cols * (x1 - x0), y1 - (row + 0.5) / rows * (y1 - y0))


def field(
    loss: Callable[[np.ndarray], np.ndarray], view: View, cols: int, rows: int
) -> tuple[np.ndarray, np.ndarray]:
    """Band index per cell (rows, cols) and contour dots (4·rows, 2·cols).

    Bands split log(f − f_min + δ) over the visible grid into :data:`BANDS` equal steps, so
    a valley and its steep walls both get contours; δ is 1e−3 of the visible range of f.
    Contour lines are drawn at every other band edge.
    """
    x0, x1, y0, y1 = view
    dots_x = x0 + (np.arange(2 * cols) + 0.5) / (2 * cols) * (x1 - x0)
    dots_y = y1 - (np.arange(4 * rows) + 0.5) / (4 * rows) * (y1 - y0)
    grid = np.stack(np.meshgrid(dots_x, dots_y), axis=-1)
    f = loss(grid)
    finite = np.isfinite(f)
    if not finite.any():
        return np.zeros((rows, cols), dtype=np.int32), np.zeros(f.shape, dtype=bool)
    lo, hi = float(f[finite].min()), float(f[finite].max())
    delta = max((hi - lo) * 1e-3, 1e-300)
    with np.errstate(all="ignore"):
        z = np.log(np.where(finite, f, hi) - lo + delta)
    zlo, zhi = float(z.min()), float(z.max())
    level = np.floor((z - zlo) / max(zhi - zlo, 1e-12) * BANDS).clip(0, BANDS - 1)
    level = level.astype(np.int32)
    # lines at every other band edge: the fill carries the fine steps, the lines the shape
    line = level // 2
    edge = np.zeros(level.shape, dtype=bool)
    edge[:, :-1] |= line[:, :-1] != line[:, 1:]
    edge[:-1, :] |= line[:-1, :] != line[1:, :]
    # a cell's band: the band of its lower-left-of-centre dot (cells are 2×4 dots)
    band = level[2::4, 0::2][:rows, :cols]
    return band, edge


def braille(dots: np.ndarray) -> np.ndarray:
    """(4·rows, 2·cols) booleans -> (rows, cols) braille code points (0 where no dot)."""
    d = dots.view(np.uint8)
    bits = np.zeros((d.shape[0] // 4, d.shape[1] // 2), dtype=np.int32)
    for (row, col), bit in np.ndenumerate(_BITS):
        bits += d[row::4, col::2] * np.int32(bit)
    return np.where(bits > 0, 0x2800 + bits, 0).astype(np.int32)


def trace(points: np.ndarray, view: View, cols: int, rows: int) -> np.ndarray:
    """The dots a polyline through ``points`` covers, (4·rows, 2·cols) booleans. Points past
    the first non-finite one are dropped; segments are clipped to the view first."""
    w2, h4 = 2 * cols, 4 * rows
    dots = np.zeros((h4, w2), dtype=bool)
    pts = np.asarray(points, dtype=np.float64)
    bad = np.flatnonzero(~np.isfinite(pts).all(axis=1))
    if bad.size:
        pts = pts[: bad[0]]
    if len(pts) == 0:
        return dots
    x0, x1, y0, y1 = view
    with np.errstate(all="ignore"):  # a point near ±10³⁰⁸ overflows: the path ends there
        px = (pts[:, 0] - x0) / (x1 - x0) * w2
        py = (y1 - pts[:, 1]) / (y1 - y0) * h4
    bad = np.flatnonzero(~(np.isfinite(px) & np.isfinite(py)))
    if bad.size:
        px, py = px[: bad[0]], py[: bad[0]]
    if len(px) == 0:
        return dots
    if len(px) == 1:
        _plot(dots, px, py)
        return dots
    ax, ay, bx, by = px[:-1], py[:-1], px[1:], py[1:]
    with np.errstate(all="ignore"):
        t0, t1 = _clip(ax, ay, bx - ax, by - ay, 0.0, w2, 0.0, h4)
    keep = (t0 <= t1) & np.isfinite(bx - ax) & np.isfinite(by - ay)
    ax, ay, dx, dy = ax[keep], ay[keep], (bx - ax)[keep], (by - ay)[keep]
    t0, t1 = t0[keep], t1[keep]
    if ax.size == 0:
        return dots
    length = np.maximum(np.abs(dx), np.abs(dy)) * (t1 - t0)
    n = np.ceil(length).astype(np.int64) + 1
    seg = np.repeat(np.arange(ax.size), n)
    start = np.cumsum(n) - n
    k = np.arange(seg.size) - start[seg]
    t = t0[seg] + (t1 - t0)[seg] * k / np.maximum(n[seg] - 1, 1)
    _plot(dots, ax[seg] + t * dx[seg], ay[seg] + t * dy[seg])
    return dots


def _plot(dots: np.ndarray, fx: np.ndarray, fy: np.ndarray) -> None:
    h4, w2 = dots.shape
    ok = (fx >= 0) & (fx < w2) & (fy >= 0) & (fy < h4)  # False for NaN too
    dots[fy[ok].astype(np.int64), fx[ok].astype(np.int64)] = True


def _clip(
    ax: np.ndarray, ay: np.ndarray, dx: np.ndarray, dy: np.ndarray,
    xmin: float, xmax: float, ymin: float, ymax: float,
) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
    """Liang–Barsky: the parameter range [t0, t1] of each segment a + t·d inside the box
    (t0 > t1 when it misses)."""
    t0 = np.zeros_like(ax)
    t1 = np.ones_like(ax)
    with np.errstate(divide="ignore", invalid="ignore"):
        for p, q in (
            (-dx, ax - xmin),
            (dx, xmax - 1e-9 - ax),
            (-dy, ay - ymin),
            (dy, ymax - 1e-9 - ay),
        ):
            r = q / p
            parallel = p == 0
            t0 = np.where(~parallel & (p < 0), np.maximum(t0, r), t0)
            t1 = np.where(~parallel & (p > 0), np.minimum(t1, r), t1)
            t1 = np.where(parallel & (q < 0), -1.0, t1)
    return t0, t1


def cell_of(view: View, cols: int, rows: int, x: float, y: float) -> tuple[int, int] | None:
    """The (col, row) of a data point, or None outside the view."""
    x0, x1, y0, y1 = view
    if not (np.isfinite(x) and np.isfinite(y)):
        return None
    col = int(np.floor((x - x0) / (x1 - x0) * cols))
    row = int(np.floor((y1 - y) / (y1 - y0) * rows))
    if 0 <= col < cols and 0 <= row < rows:
        return col, row
    return None


def rasterize(
    band: np.ndarray,
    contour: np.ndarray,
    paths: Sequence[Path],
    markers: Sequence[Marker],
    view: View,
) -> Raster:
    """Compose the cells: paths in order (later ones on top), contours where no path is,
    markers last."""
    rows, cols = band.shape
    glyphs = braille(contour)
    fg = np.full((rows, cols), -1, dtype=np.int32)
    for path in paths:
        codes = braille(trace(path.points, view, cols, rows))
        mine = codes > 0
        glyphs = np.where(mine, codes, glyphs)
        fg = np.where(mine, path.colour, fg)
    glyphs = np.where(glyphs > 0, glyphs, BLANK).astype(np.int32)
    for m in markers:
        cell = cell_of(view, cols, rows, m.x, m.y)
        if cell is not None:
            col, row = cell
            glyphs[row, col] = ord(m.glyph)
            fg[row, col] = m.colour
    return Raster(glyphs, fg, band, view)
