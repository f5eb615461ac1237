"""Every figure of issue 16 in one table: ``python -m benchmarks``.

Each figure is a median over fresh processes (or, for answer latency, the p99 of many
answers), printed beside a baseline measured in the same run, interleaved with it so
that the load of a shared machine hits both alike, and as the ratio of the two.

    PYTHONPATH=. python -m benchmarks [--runs 7] [--only startup,version,...]
                                      [--code DIR] [--library DIR] [--answers 300]

``--code DIR`` measures another checkout of quizapp (e.g. an older commit) with this
harness; ``--library DIR`` reuses a generated library (``python -m benchmarks.library``),
which is otherwise written to a temporary folder. Figures a checkout cannot produce (an
option it does not have) print as "n/a".
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from library import write_library  # noqa: E402

# The child reports the wall-clock time from its spawn (QUIZ_T0, set by the parent) to a
# paint, then exits a little later so that shutting down is not part of the figure.
PAINTED = """
import os, time

def painted(app):
    with open(os.environ["QUIZ_OUT"], "w") as out:  # the app owns stdout
        out.write(repr(time.time() - float(os.environ["QUIZ_T0"])))
    app.set_timer(0.05, app.exit)
"""

# Home painted: the app on its home screen, with the shipped decks and any folder given.
HOME = (
    PAINTED
    + """
import sys
from quizapp.decks.loader import load_catalog
from quizapp.tui.app import QuizApp
try:
    from quizapp.study.context import AppContext
except ImportError:  # before the study-loop seam
    from quizapp.tui.context import AppContext
from quizapp.tui.screens.home import HomeScreen

real = HomeScreen.refresh_overview
done = []

def refresh(self):
    real(self)
    if not done:
        done.append(1)
        self.call_after_refresh(painted, self.app)

HomeScreen.refresh_overview = refresh
ctx = AppContext.open(load_catalog([p for p in sys.argv[1:]]))
QuizApp(ctx).run(headless=True)
"""
)

# What the installed `quizapp` console script runs.
SCRIPT = "import sys; from quizapp.cli import main; sys.exit(main())"

TOMLI = """
import pathlib, sys, tomli
for path in sorted(pathlib.Path(sys.argv[1]).rglob("*.toml")):
    tomli.loads(path.read_text(encoding="utf-8"))
"""

ANSWER = """
import asyncio, json, os, sys, tempfile
from pathlib import Path
sys.path.insert(0, {here!r})
import bench_tui_answer as b
os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")
with tempfile.TemporaryDirectory() as tmp, b.Frames() as quiz_frames:
    quiz = asyncio.run(b._quizapp(Path(tmp), b.Breakdown(), quiz_frames))
with b.Frames() as bare_frames:
    bare = asyncio.run(b._bare(bare_frames))
print(json.dumps([quiz, bare, quiz_frames.painted(), bare_frames.painted()]))
"""


@dataclass
class Row:
    figure: str
    baseline: str
    ours: float | None
    base: float | None
    unit: str
    goal: str
    met: Callable[[float, float], bool] | None  # None: a figure reported beside a goal's

    def cells(self) -> list[str]:
        if self.ours is None or self.base is None:
            return [self.figure, self.baseline, "n/a", "n/a", "n/a", self.goal, ""]
        scale, fmt = (1000, "{:.0f} ms") if self.unit == "s" else (1, "{:.1f} MiB")
        ratio = self.ours / self.base
        return [
            self.figure,
            self.baseline,
            fmt.format(self.ours * scale),
            fmt.format(self.base * scale),
            f"{ratio:.2f}×",
            self.goal,
            "—" if self.met is None else "yes" if self.met(self.ours, ratio) else "no",
        ]


class Bench:
    def __init__(self, code: Path, runs: int, home: Path, library: Path) -> None:
        self.code = code
        self.runs = runs
        self.extra: list[Row] = []  # rows a measurement adds after its own (answer: painted)
        self.home = home
        self.library = library
        self.env = {
            **os.environ,
            "QUIZAPP_HOME": str(home),
            "PYTHONPATH": str(code),
            "TEXTUAL_ANIMATIONS": "none",
        }
        # The children cache their bytecode, as an installed quizapp has it (pip compiles
        # it): with PYTHONDONTWRITEBYTECODE inherited, every measured start would compile
        # quizapp from source (~100 ms of the first card) while Textual's .pyc are there.
        self.env.pop("PYTHONDONTWRITEBYTECODE", None)

    # -- ways of timing -------------------------------------------------------------------
    def wall(self, argv: list[str]) -> float:
        """Seconds from spawn to exit of ``python ARGV`` (output discarded)."""
        start = time.perf_counter()
        result = subprocess.run(
            [sys.executable, *argv], env=self.env, cwd=self.code, capture_output=True
        )
        elapsed = time.perf_counter() - start
        if result.returncode not in (0, 1):  # check exits 1 on problems, which is a result
            raise RuntimeError(result.stderr.decode(errors="replace")[-2000:])
        return elapsed

    def painted(self, code: str, *args: str) -> float:
        """Seconds from spawn to the paint the child reports."""
        out = self.home / "painted.txt"
        env = {**self.env, "QUIZ_OUT": str(out), "QUIZ_T0": repr(time.time())}
        subprocess.run(
            [sys.executable, "-c", code, *args], check=True, env=env, cwd=self.code,
            capture_output=True,
        )  # fmt: skip
        return float(out.read_text())

    def pair(
        self, ours: Callable[[], float], base: Callable[[], float], runs: int
    ) -> tuple[float, float]:
        """Medians of interleaved runs, after one unmeasured run of each (file cache, .pyc)."""
        ours(), base()
        a, b = [], []
        for _ in range(runs):
            a.append(ours())
            b.append(base())
        return statistics.median(a), statistics.median(b)

    # -- the figures ----------------------------------------------------------------------
    def startup(self) -> Row:
        import bench_tui_startup as startup

        q, b = self.pair(
            lambda: self.painted(startup.QUIZAPP), lambda: self.painted(startup.BARE), self.runs
        )
        return Row("spawn → first card painted (`quizapp review`)",
                   "bare Textual app (Header+Static+Footer)", q, b, "s", "≤ 1.3×",
                   lambda o, r: r <= 1.3)  # fmt: skip

    def version(self) -> Row:
        q, b = self.pair(
            lambda: self.wall(["-c", SCRIPT, "--version"]),
            lambda: self.wall(["-c", "import argparse"]),
            self.runs * 2,
        )
        return Row("`quizapp --version`", '`python -c "import argparse"`', q, b, "s",
                   "≤ 1.5×", lambda o, r: r <= 1.5)  # fmt: skip

    def drill(self) -> Row:
        q, b = self.pair(
            lambda: self.wall(["-c", SCRIPT, "drill", "adam", "--seed", "1", "--json"]),
            lambda: self.wall(["-c", "import numpy"]),
            self.runs * 2,
        )
        return Row("`quizapp drill adam --seed 1 --json`", '`python -c "import numpy"`', q, b,
                   "s", "≤ 2×", lambda o, r: r <= 2)  # fmt: skip

    def home_warm(self) -> Row:
        lib = str(self.library)
        q, b = self.pair(lambda: self.painted(HOME, lib), lambda: self.painted(HOME), self.runs)
        return Row("home painted, 100k-item library, warm index", "same, shipped deck only",
                   q, b, "s", "≤ 1.5×", lambda o, r: r <= 1.5)  # fmt: skip

    def home_changed(self) -> Row:
        lib = str(self.library)
        victim = sorted(self.library.rglob("*.toml"))[len(list(self.library.rglob("*.toml"))) // 2]
        original = victim.read_text(encoding="utf-8")
        count = [0]

        def changed() -> float:
            count[0] += 1
            victim.write_text(original + f"\n# edit {count[0]}\n", encoding="utf-8")
            return self.painted(HOME, lib)

        try:
            q, b = self.pair(changed, lambda: self.painted(HOME, lib), self.runs)
        finally:
            victim.write_text(original, encoding="utf-8")
        return Row("first start after one of 100 files changed, 100k items", "same, warm",
                   q, b, "s", "≤ 2×", lambda o, r: r <= 2)  # fmt: skip

    def check(self) -> Row:
        lib = str(self.library)
        q, b = self.pair(
            lambda: self.wall(["-c", SCRIPT, "check", "--no-shipped", lib]),
            lambda: self.wall(["-c", TOMLI, lib]),
            max(3, self.runs // 2),
        )
        return Row("`quizapp check` 100k items", "compiled `tomli` parse of the same files",
                   q, b, "s", "≤ 1.5×", lambda o, r: r <= 1.5)  # fmt: skip

    def answer(self, answers: int) -> Row:
        env = {**self.env, "BENCH_ANSWERS": str(answers)}
        out = subprocess.run(
            [sys.executable, "-c", ANSWER.format(here=str(self.code / "benchmarks"))],
            env=env, cwd=self.code, capture_output=True, text=True, check=True,
        )  # fmt: skip
        quiz, bare, quiz_painted, bare_painted = json.loads(out.stdout.strip().splitlines()[-1])

        def p99(values: list[float]) -> float:
            ordered = sorted(values)
            return ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]

        # Reported beside the goal's row, which ends where its baseline's does (the next
        # card laid out and Textual's refresh callback run): this one adds Textual's layout
        # and paint of the new card, which the bare app's one Static hardly has.
        self.extra.append(
            Row(
                f"… until the next card's frame is painted, p99 ({answers} answers)",
                "bare Textual, until painted",
                p99(quiz_painted),
                p99(bare_painted),
                "s",
                "— (reported)",
                None,
            )  # fmt: skip
        )
        return Row(f"answer → next card p99 ({answers} answers)", "bare Textual Static update",
                   p99(quiz), p99(bare), "s", "≤ 16 ms", lambda o, r: o <= 0.016)  # fmt: skip

    def memory(self) -> Row:
        import bench_tui_memory as memory

        env = {**self.env}
        q = memory._peak_mib(memory.QUIZAPP, env) / 1
        b = memory._peak_mib(memory.BARE, env) / 1
        return Row("peak RSS, 100 answers", "bare Textual app", q, b, "MiB", "≤ 80 MiB",
                   lambda o, r: o <= 80)  # fmt: skip


FIGURES = ("startup", "version", "drill", "home_warm", "home_changed", "check", "answer", "memory")


def table(rows: list[Row]) -> str:
    head = ["figure", "baseline (same run)", "quizapp", "baseline", "ratio", "goal", "met"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(row.cells()) + " |" for row in rows]
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7, help="processes per median (default 7)")
    ap.add_argument("--only", help=f"comma-separated: {','.join(FIGURES)}")
    ap.add_argument("--code", type=Path, default=HERE.parent, help="the checkout to measure")
    ap.add_argument("--library", type=Path, help="a generated library to reuse")
    ap.add_argument("--answers", type=int, default=300, help="answers for the p99 (default 300)")
    args = ap.parse_args()
    only = args.only.split(",") if args.only else list(FIGURES)
    unknown = set(only) - set(FIGURES)
    if unknown:
        ap.error(f"unknown figure(s): {', '.join(sorted(unknown))}")
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        library = args.library
        if library is None:
            library = Path(tmp) / "library"
            write_library(library)
        home = Path(tmp) / "home"
        home.mkdir(mode=0o700)
        bench = Bench(args.code.resolve(), args.runs, home, library.resolve())
        for name in only:
            print(f"measuring {name} …", file=sys.stderr, flush=True)
            try:
                row = bench.answer(args.answers) if name == "answer" else getattr(bench, name)()
            except (RuntimeError, subprocess.CalledProcessError) as exc:
                print(f"  {name}: n/a ({str(exc).strip().splitlines()[-1:]})", file=sys.stderr)
                row = Row(name, "", None, None, "s", "", lambda o, r: False)
            for shown in (row, *bench.extra):
                rows.append(shown)
                print("  " + " · ".join(shown.cells()[2:5]), file=sys.stderr, flush=True)
            bench.extra.clear()
    print(table(rows))
    print(
        f"\n{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the end; "
        f"medians of {args.runs} runs (version/drill: {args.runs * 2}); "
        f"code: {args.code.resolve()}"
    )


if __name__ == "__main__":
    main()
