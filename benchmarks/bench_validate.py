"""Reading a 100k-item library: the TOML parsers and the ways to validate what they give.

Parsers: ``tomllib`` (pure Python) and the compiled ``tomli`` wheel. Validation of the same
parsed files: ``DeckFile.model_validate`` (what the loader does), a ``TypeAdapter`` over
``DeckFile`` (the same core validator: no gain), and a structural check through a
``TypedDict`` mirror of the schema *without* the models' Python validators, followed by
``model_construct`` of every item — the fastest structure check, but a second copy of the
schema that would skip the tag, trap and params checks (so it gives different errors):
measured to show what it would buy, not used. Medians of interleaved runs.

Run: ``PYTHONPATH=. python benchmarks/bench_validate.py [--files 30] [--runs 5]``
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import tempfile
import time
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from library import write_library  # noqa: E402


def _typed_dict_adapter() -> Any:
    from typing import NotRequired

    from pydantic import ConfigDict, Field, TypeAdapter
    from typing_extensions import TypedDict

    from quizapp.decks import models

    cfg = ConfigDict(extra="forbid")
    opt_str = NotRequired[str | None]

    class Base(TypedDict):
        __pydantic_config__ = cfg  # type: ignore[misc]
        id: models.ItemId
        kind: NotRequired[str]
        topic: opt_str
        tags: NotRequired[tuple[str, ...]]
        section: opt_str
        source: opt_str

    class Card(Base):
        front: models.Text
        back: models.Text
        hint: opt_str
        deeper: opt_str
        say_aloud: NotRequired[bool]

    class Trap(Base):
        claim: models.Text
        why_wrong: models.Text
        correct: models.Text
        distractors: Annotated[tuple[models.Text, ...], Field(min_length=2, max_length=5)]
        question: opt_str
        why_true: NotRequired[tuple[models.Text, ...]]

    class Drill(Base):
        drill: str
        params: NotRequired[dict[str, models.Override]]
        title: opt_str
        note: opt_str

    class File(TypedDict):
        __pydantic_config__ = cfg  # type: ignore[misc]
        deck: models.ItemId
        title: opt_str
        description: opt_str
        topic: opt_str
        flashcard: NotRequired[tuple[Card, ...]]
        trap: NotRequired[tuple[Trap, ...]]
        drill: NotRequired[tuple[Drill, ...]]

    return TypeAdapter(File)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=30, help="files of 1,000 items (default 30)")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    import tomli
    from pydantic import TypeAdapter

    from quizapp.decks.models import DeckFile, DrillItem, Flashcard, Trap

    with tempfile.TemporaryDirectory() as tmp:
        paths = write_library(Path(tmp), files=args.files)
        texts = [p.read_text(encoding="utf-8") for p in paths]
    data = [tomli.loads(t) for t in texts]
    adapter = TypeAdapter(DeckFile)
    structural = _typed_dict_adapter()
    kinds: dict[str, Any] = {"flashcard": Flashcard, "trap": Trap, "drill": DrillItem}

    def construct() -> None:
        for d in data:
            structural.validate_python(d)
            for table, cls in kinds.items():
                for item in d.get(table, ()):
                    cls.model_construct(**item)

    ways: dict[str, Callable[[], object]] = {
        "parse: tomllib": lambda: [tomllib.loads(t) for t in texts],
        "parse: tomli (compiled)": lambda: [tomli.loads(t) for t in texts],
        "validate: DeckFile.model_validate": lambda: [DeckFile.model_validate(d) for d in data],
        "validate: TypeAdapter(DeckFile)": lambda: [adapter.validate_python(d) for d in data],
        "validate: TypedDict check + model_construct": construct,
        "validate: TypedDict check alone": lambda: [structural.validate_python(d) for d in data],
    }
    times: dict[str, list[float]] = {name: [] for name in ways}
    gc.disable()  # as the loader does while it loads
    for _ in range(args.runs):
        for name, way in ways.items():
            start = time.perf_counter()
            way()
            times[name].append(time.perf_counter() - start)
            gc.collect()
    per_100 = 100 / args.files
    base = statistics.median(times["parse: tomli (compiled)"])
    print(f"{args.files} files × 1,000 items; medians of {args.runs}, scaled to 100 files")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"  {name:45s} {median * per_100 * 1000:7.0f} ms   {median / base:5.2f}× tomli")


if __name__ == "__main__":
    main()
