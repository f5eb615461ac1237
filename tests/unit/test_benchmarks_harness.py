"""`python -m benchmarks` measures the answer latency by running bench_tui_answer's own
coroutines in a child; when their signature changed the table said "n/a" for that row and no
test noticed. This runs the harness's answer figure on a few answers: it must give both
rows (to the handler's end, and until the frame is painted) with numbers, never n/a. It
checks the harness, not the timings (tests never assert on time)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow  # ~3 s: two apps answering in a child process; CI runs it
def test_the_answer_figure_gives_both_rows(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from benchmarks.__main__ import Bench

        bench = Bench(ROOT, 1, tmp_path, tmp_path / "library")
        row = bench.answer(6)
        rows = [row, *bench.extra]
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    assert [r.figure.split(" p99")[0] for r in rows] == [
        "answer → next card",
        "… until the next card's frame is painted,",
    ]
    for r in rows:
        assert r.ours is not None and r.ours > 0 and r.base is not None and r.base > 0, r
    # the goal's row says whether it is met; the painted row is reported beside it
    assert rows[0].cells()[-1] in ("yes", "no") and rows[1].cells()[-1] == "—"
