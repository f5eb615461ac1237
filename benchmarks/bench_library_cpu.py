"""The 100k-library figures in CPU seconds, for a shared machine whose load moves the
wall-clock figures of ``python -m benchmarks`` by ±0.5×: home painted with the library
(warm index) against the shipped deck only, and ``quizapp check`` against the compiled
``tomli`` parse, each a median of interleaved fresh processes (user + sys time of every
process of the run, from ``getrusage``).

    PYTHONPATH=. python benchmarks/bench_library_cpu.py [--library DIR] [--code DIR] [--runs 5]

``check`` is measured in one process and forked on two cores (where the checkout can
fork: ``quizapp.decks.workers``); for the fork, the longer path is printed too (the
parent's CPU time, or its part before the fork plus the child's): on an idle 2-core
machine that is about the wall-clock time.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

sys.path.insert(0, str(HERE.parent))

from library import write_library  # noqa: E402

from benchmarks.__main__ import HOME, TOMLI  # noqa: E402  (the harness's own children)

CHECK = """
import contextlib, io, resource, sys
def cpu():
    own = resource.getrusage(resource.RUSAGE_SELF)
    return own.ru_utime + own.ru_stime

at_fork = []
try:
    from quizapp.decks import workers
    workers.spare_cores = (lambda: 2.0) if sys.argv[1] == "fork" else (lambda: 0.0)
    real_fork = workers.os.fork

    def fork():
        at_fork.append(cpu())
        return real_fork()

    workers.os.fork = fork
except ImportError:  # a checkout from before the two-core check
    pass
from quizapp.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    main(["check", "--no-shipped", sys.argv[2]])
print(cpu(), at_fork[0] if at_fork else cpu())
"""


def _cpu(argv: list[str], env: dict[str, str], cwd: Path) -> tuple[float, str]:
    """(CPU seconds of the child and its own children, its stdout)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = subprocess.run(
        [sys.executable, *argv], env=env, cwd=cwd, capture_output=True, text=True
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode not in (0, 1):
        raise RuntimeError(result.stderr[-2000:])
    spent = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return spent, result.stdout


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--library", type=Path, help="a generated library to reuse")
    ap.add_argument("--code", type=Path, default=HERE.parent, help="the checkout to measure")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    code = args.code.resolve()
    with tempfile.TemporaryDirectory() as tmp:
        library = args.library or Path(tmp) / "library"
        if args.library is None:
            write_library(library)
        lib = str(library.resolve())
        home = Path(tmp) / "home"
        home.mkdir(mode=0o700)
        env = {**os.environ, "QUIZAPP_HOME": str(home), "PYTHONPATH": str(code)}
        env["TEXTUAL_ANIMATIONS"] = "none"
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        out = str(home / "painted.txt")

        def painted(*extra: str) -> float:
            run_env = {**env, "QUIZ_OUT": out, "QUIZ_T0": repr(time.time())}
            return _cpu(["-c", HOME, *extra], run_env, code)[0]

        parent: list[float] = []

        def forked() -> float:
            spent, stdout = _cpu(["-c", CHECK, "fork", lib], env, code)
            own, at_fork = map(float, stdout.strip().splitlines()[-1].split())
            # the longer path: the parent's, or its part before the fork plus the child's
            parent.append(max(own, at_fork + (spent - own)))
            return spent

        cases = {
            "home, 100k items": lambda: painted(lib),
            "home, shipped deck only": lambda: painted(),
            "check, one process": lambda: _cpu(["-c", CHECK, "one", lib], env, code)[0],
            "check, forked (all)": forked,
            "tomli parse": lambda: _cpu(["-c", TOMLI, lib], env, code)[0],
        }
        for case in cases.values():  # unmeasured: the index, the .pyc files, the file cache
            case()
        parent.clear()
        spent: dict[str, list[float]] = {name: [] for name in cases}
        for _ in range(args.runs):
            for name, case in cases.items():
                spent[name].append(case())
    med = {name: statistics.median(values) for name, values in spent.items()}
    tomli = med["tomli parse"]
    print(f"CPU seconds, medians of {args.runs} interleaved runs; code: {code}")
    print(f"  home, 100k items        {med['home, 100k items']:.3f} s")
    print(f"  home, shipped deck only {med['home, shipped deck only']:.3f} s   ratio "
          f"{med['home, 100k items'] / med['home, shipped deck only']:.2f}×")  # fmt: skip
    print(f"  tomli parse             {tomli:.3f} s")
    print(f"  check, one process      {med['check, one process']:.3f} s   ratio "
          f"{med['check, one process'] / tomli:.2f}×")  # fmt: skip
    both = med["check, forked (all)"]
    print(f"  check, forked           {both:.3f} s in all, the longer path "
          f"{statistics.median(parent):.3f} s   ratio {statistics.median(parent) / tomli:.2f}×")  # fmt: skip
    print(f"  load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
