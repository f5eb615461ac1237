"""What the checks at open cost: ``Store.open`` with quick_check only, with the daily
full ``integrity_check``, and the header/size check alone (F9), on 100k and 1M reviews.

    PYTHONPATH=. python benchmarks/bench_open.py [--repeat 5] [--sizes 10000:100000,100000:1000000]

Baselines measured in the same run on the same file: reading the whole file into memory\n(from the page cache) and a bare ``SELECT count(*) FROM reviews``.
The benchmark databases come from bench_db_size.py; each is copied first, since opening
writes to the file (the schema-version probe and the time of the last full check).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_db_size import build_db  # noqa: E402
from bench_queue import timeit  # noqa: E402

from quizapp.srs import opening  # noqa: E402
from quizapp.srs.store import Store  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--sizes", default="10000:100000,100000:1000000", help="items:reviews,...")
    args = ap.parse_args()
    print(f"{'reviews':>9} {'MiB':>5}  {'measure':<34} {'ms':>8} {'x read':>7}")
    for size in args.sizes.split(","):
        items, reviews = (int(n) for n in size.split(":"))
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "progress.sqlite3"
            shutil.copyfile(build_db(items, reviews), path)
            for name, ms in measure(path, args.repeat):
                print(
                    f"{reviews:>9,} {path.stat().st_size / 2**20:>5.0f}  {name:<34} {ms:>8.2f}",
                    end="",
                )
                print(f" {ms / READ[0]:>7.2f}")


READ: list[float] = [1.0]


def measure(path: Path, repeat: int) -> list[tuple[str, float]]:
    READ[0] = timeit(path.read_bytes, 9)
    header, size = path.read_bytes()[:100], path.stat().st_size
    return [
        ("read the file (baseline)", READ[0]),
        ("header/size check (always)", timeit(lambda: opening._check_size(path, header, size), 9)),
        (
            "open + quick_check (every open)",
            timeit(lambda: Store.open(path, full_check=False).close(), repeat),
        ),
        (
            "open + integrity_check (daily)",
            timeit(lambda: Store.open(path, full_check=True).close(), repeat),
        ),
    ]


if __name__ == "__main__":
    main()
