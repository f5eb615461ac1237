"""The trajectory lab: recompute 6 optimizers × 2,000 steps through the engine and redraw,
as ratios against a bare redraw of the same plot widget, all measured in the same run.

    cd /work/wt/lab && PYTHONPATH=. /work/venv/bin/python benchmarks/bench_lab.py [REPS] [STEPS]

The plot is mounted headless at 120×40. Medians of REPS runs (default 7) of:

  bare redraw      the widget repaints its lines from the cells it has (every refresh)
  rasterize        a new scene (paths) -> cells -> lines: what a knob change costs to draw
  recompute        SGD, Momentum, Nesterov, Adagrad, RMSprop, Adam, STEPS steps each,
                   from scratch through quizapp.engine.optim (no cache)
  first chunk      the first 16 steps of the same, what the worker hands the plot first
  plotext redraw   textual-plotext drawing the same six paths (no contours: it has none)

Goal (issue 13): recompute ≤ 16 ms and the redraw within one frame (16.7 ms at 60 Hz).
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
from collections.abc import Callable

from quizapp.engine import surfaces
from quizapp.engine.trajectory import simulate, simulate_iter
from quizapp.study.lab import FIRST_CHUNK, free_state

FRAME_MS = 1000 / 60


def median_ms(fn: Callable[[], object], reps: int) -> float:
    fn()  # warm-up
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1e3


async def measure(reps: int, steps: int) -> dict[str, float]:
    from textual.app import App, ComposeResult
    from textual_plotext import PlotextPlot

    from quizapp.tui.widgets.lab.plot import LossPlot, Scene, colours_for

    class Bench(App[None]):
        def compose(self) -> ComposeResult:
            yield LossPlot(id="plot")
            yield PlotextPlot(id="plotext")

    racers = [r for r in free_state().racers if r.key != "adamw" and r.key != "other"]
    runs = [r.run for r in racers]
    surface = surfaces.get("bowl")
    start = surface.kind.start
    colours = colours_for([r.key for r in racers])
    paths = simulate(surface, start, runs, steps)
    out: dict[str, float] = {}
    app = Bench()
    async with app.run_test(size=(120, 40)) as pilot:
        app.query_one("#plotext").styles.display = "none"
        await pilot.pause()
        plot = app.query_one(LossPlot)
        rows = plot.content_size.height

        def scene() -> Scene:
            return Scene(
                surface, start, tuple((p.points, c) for p, c in zip(paths, colours, strict=True))
            )

        def paint() -> None:
            for y in range(rows):
                plot.render_line(y)

        plot.show(scene())
        paint()

        def bare() -> None:
            plot._strips = None  # what refresh() makes the widget do: lines from its cells
            paint()

        def rasterize() -> None:
            plot.show(scene())
            paint()

        def recompute() -> None:
            simulate(surface, start, runs, steps)

        def first_chunk() -> None:
            next(iter(simulate_iter(surface, start, runs, steps, chunk=FIRST_CHUNK)))

        def full() -> None:
            nonlocal paths
            paths = simulate(surface, start, runs, steps)
            rasterize()

        out["bare redraw"] = median_ms(bare, reps * 5)
        out["rasterize + redraw"] = median_ms(rasterize, reps * 5)
        out["recompute"] = median_ms(recompute, reps)
        out[f"first chunk ({FIRST_CHUNK} steps)"] = median_ms(first_chunk, reps * 3)
        out["recompute + rasterize + redraw"] = median_ms(full, reps)

        pt = app.query_one(PlotextPlot)
        pt.styles.display = "block"
        plot.styles.display = "none"
        await pilot.pause()

        def plotext() -> None:
            plt = pt.plt
            plt.clear_figure()
            for p in paths:
                plt.plot(p.points[:, 0].tolist(), p.points[:, 1].tolist(), marker="braille")
            pt.refresh()
            w, h = pt.content_size
            plt.plotsize(w, h)
            plt.build()

        out["plotext redraw (paths only)"] = median_ms(plotext, reps * 3)
    return out


def main() -> None:
    reps = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    steps = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
    out = asyncio.run(measure(reps, steps))
    base = out["bare redraw"]
    print(f"lab at 120×40, 6 optimizers × {steps} steps, median of {reps}+ runs")
    print(f"{'':32} {'ms':>9} {'× bare redraw':>14}")
    for name, ms in out.items():
        print(f"{name:32} {ms:9.2f} {ms / base:14.1f}")
    rec = out["recompute"]
    print()
    print(
        f"recompute: {rec:.0f} ms = {rec / 16:.1f}× the 16 ms goal "
        f"({rec / (6 * steps) * 1e3:.1f} µs per optimizer step)"
    )
    print(
        f"redraw after a change: {out['rasterize + redraw']:.1f} ms "
        f"({'within' if out['rasterize + redraw'] <= FRAME_MS else 'over'} one 60 Hz frame); "
        f"first {FIRST_CHUNK} steps computed after {out[f'first chunk ({FIRST_CHUNK} steps)']:.1f} ms"
    )


if __name__ == "__main__":
    main()
