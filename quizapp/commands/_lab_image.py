"""The lab's picture as a PNG or SVG, drawn with matplotlib (the optional ``plot`` extra).

Importing this module raises ImportError without matplotlib; ``quizapp lab`` turns that
into a message with the install line. The paths are the session's (the engine's), the
same the terminal draws.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display: files only

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from quizapp.study.lab import LabSession  # noqa: E402

COLOURS = ("#222222", "#e69f00", "#cc79a7", "#009e73", "#56b4e9", "#d55e00", "#7b3fbf", "#b8a000")


def write_image(session: LabSession, target: Path, fmt: str) -> None:
    """Draw the surface (filled log-spaced contours), every active racer's path with its
    loss and steps in the legend, the start ◆ and the minima ✕; save as ``fmt``."""
    state = session.state
    surface = state.surface
    kind = surface.kind
    x0, x1, y0, y1 = kind.view
    xs, ys = np.linspace(x0, x1, 400), np.linspace(y0, y1, 300)
    grid = np.stack(np.meshgrid(xs, ys), axis=-1)
    f = surface.loss(grid)
    lo, hi = float(np.nanmin(f)), float(np.nanmax(f))
    z = np.log(f - lo + (hi - lo) * 1e-3)
    fig, ax = plt.subplots(figsize=(8, 6), dpi=150)
    ax.contourf(xs, ys, z, levels=24, cmap="Blues_r", alpha=0.9)
    ax.contour(xs, ys, z, levels=12, colors="#ffffff", linewidths=0.4, alpha=0.6)
    paths = session.paths()
    for index, (racer, path) in enumerate(zip(state.active, paths, strict=True)):
        slot = [r.key for r in state.racers].index(racer.key)
        colour = COLOURS[slot % len(COLOURS)]
        pts = path.points
        if path.diverged_at is not None:
            label = f"{racer.label}: diverged at step {path.diverged_at}"
            pts = pts[: path.diverged_at]
        else:
            label = f"{racer.label}: f = {path.final_loss:.3g} after {path.done} steps"
        ax.plot(pts[:, 0], pts[:, 1], "-", color=colour, lw=1.5, label=label, zorder=3 + index)
        if path.diverged_at is None:
            ax.plot(*pts[-1], "o", color=colour, ms=5, zorder=10)
    for mx, my in kind.minima:
        ax.plot(mx, my, "x", color="#ffd000", ms=9, mew=2, zorder=11)
    ax.plot(*state.start, "D", color="#ffffff", mec="#000000", ms=7, zorder=12, label="start")
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal")
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    title = surface.title
    if state.guide is not None:
        title = f"{state.guide.title} — {title}"
    ax.set_title(f"{title}\n{surface.formula}", fontsize=9)
    ax.legend(fontsize=7, loc="best", framealpha=0.85)
    fig.tight_layout()
    try:
        fig.savefig(target, format=fmt)
    finally:
        plt.close(fig)
