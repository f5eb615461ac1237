"""The progress file: the review log, item states and mock results as versioned JSON Lines.

``quizapp progress export FILE`` writes it; ``quizapp progress import FILE`` merges it into
this home (:func:`quizapp.srs.merge.merge`), after a backup. The format (documented in
docs/srs.md) is one JSON object per line:

1. a header: ``{"format": "quizapp-progress", "version": 2, "exported": "…Z", "quizapp": "…",
   "items": N, "reviews": N, "mocks": N, "flags": N}`` (version 1, before flags: no ``flags``)
2. ``{"type": "item", "item_id": …, "kind": …, "state": 0-3, "stability": …, "due": ms, …}``
   per item with progress;
3. ``{"type": "review", "uid": …, "item_id": …, "ts": ms, "mode": …, "rating": 1-4, …}`` per
   answer, oldest first;
4. ``{"type": "mock", "ts": ms, "result": {…}}`` per mock interview;
5. ``{"type": "flag", "item_id": …, "flag": 1-7}`` per flagged item (the browser's flags).

Times are epoch milliseconds (UTC). A file is read whole and checked before anything is
written: a bad line is reported as ``FILE:LINE: what`` and nothing is imported.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from quizapp import __version__
from quizapp.srs import marks
from quizapp.srs.days import from_ms, to_ms
from quizapp.srs.merge import LoggedReview, MergeReport, logged_reviews, merge, pending
from quizapp.srs.records import MODES, CardState
from quizapp.srs.scheduler import SchedulerConfig
from quizapp.srs.store import Store

__all__ = [
    "FORMAT",
    "VERSION",
    "ProgressFile",
    "ProgressFileError",
    "export_progress",
    "import_progress",
    "read_progress",
]

FORMAT = "quizapp-progress"
VERSION = 2  # 2: flags
MAX_ERRORS = 20


class ProgressFileError(Exception):
    """The file cannot be imported; ``problems`` are located lines (``FILE:LINE: what``)."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


class _Line(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Header(_Line):
    format: Literal["quizapp-progress"]
    version: int = Field(ge=1, le=VERSION)
    exported: str
    quizapp: str = ""
    items: Count
    reviews: Count
    mocks: Count
    flags: Count = 0  # version 1 files carry no flags


# Every number has bounds: JSON integers have any size, and one past SQLite's 64 bits would
# stop the merge half-way (after the backup) instead of being a located line here.
Ms = Annotated[int, Field(ge=0, le=10**14)]
Count = Annotated[int, Field(ge=0, le=10**9)]
Int64 = Annotated[int, Field(ge=-(2**63), le=2**63 - 1)]
Real = Annotated[float, Field(ge=0, le=1e12, allow_inf_nan=False)]
Text = Annotated[str, Field(min_length=1, max_length=200)]


class ItemLine(_Line):
    type: Literal["item"]
    item_id: Text
    kind: str = Field(max_length=40)
    deck: str | None = None
    topic: str | None = None
    subkind: str | None = None
    state: int = Field(ge=0, le=3)
    step: Count | None = None
    stability: Real | None = None
    difficulty: Real | None = None
    due: Ms | None = None
    last_review: Ms | None = None
    first_review: Ms | None = None
    reps: Count
    lapses: Count
    suspended: bool
    leech: bool
    answered: Count
    n_correct: Count


class ReviewLine(_Line):
    type: Literal["review"]
    uid: Text
    item_id: Text
    kind: str = Field(max_length=40)
    ts: Ms
    mode: Literal["review", "study", "cram", "mock"]
    rating: int = Field(ge=1, le=4)
    correct: bool
    duration_ms: Ms | None = None
    answer: str | None = None
    seed: Int64 | None = None
    mistake: str | None = None
    meta: dict[str, Any] | None = None
    day: Int64 | None = None
    prev_state: int = Field(default=0, ge=0, le=3)
    prev_ivl: Real | None = None
    first_of_day: bool = True


class MockLine(_Line):
    type: Literal["mock"]
    ts: Ms
    result: dict[str, Any]


class FlagLine(_Line):
    type: Literal["flag"]
    item_id: Text
    flag: int = Field(ge=1, le=7)


_BODY = TypeAdapter(
    Annotated[ItemLine | ReviewLine | MockLine | FlagLine, Field(discriminator="type")]
)
assert set(MODES) == {"review", "study", "cram", "mock"}  # ReviewLine.mode lists them


# ------------------------------------------------------------------------------ out
def _item_line(state: CardState) -> dict[str, Any]:
    row = state.to_row()
    return {"type": "item", **row, "suspended": bool(row["suspended"]), "leech": bool(row["leech"])}


def _review_line(review: LoggedReview) -> dict[str, Any]:
    return {
        "type": "review",
        "uid": review.uid,
        "item_id": review.item_id,
        "kind": review.kind,
        "ts": review.ts,
        "mode": review.mode,
        "rating": review.rating,
        "correct": review.correct,
        "duration_ms": review.duration_ms,
        "answer": review.answer,
        "seed": review.seed,
        "mistake": review.mistake,
        "meta": review.meta,
        "day": review.day,
        "prev_state": review.prev_state,
        "prev_ivl": review.prev_ivl,
        "first_of_day": review.first_of_day,
    }


def _lines(store: Store, now: datetime) -> Iterator[dict[str, Any]]:
    states = sorted(store.states().values(), key=lambda s: s.item_id)
    reviews = list(logged_reviews(store))
    mocks = store.mocks()
    flagged = sorted(marks.flags(store).items())
    yield {
        "format": FORMAT,
        "version": VERSION,
        "exported": now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z",
        "quizapp": __version__,
        "items": len(states),
        "reviews": len(reviews),
        "mocks": len(mocks),
        "flags": len(flagged),
    }
    yield from (_item_line(s) for s in states)
    yield from (_review_line(r) for r in reviews)
    yield from ({"type": "mock", "ts": to_ms(m.at), "result": m.result} for m in mocks)
    yield from ({"type": "flag", "item_id": i, "flag": f} for i, f in flagged)


@dataclass(frozen=True)
class ExportSummary:
    path: Path
    items: int
    reviews: int
    mocks: int
    flags: int = 0


def export_progress(store: Store, path: Path, *, now: datetime | None = None) -> ExportSummary:
    """Write this home's progress to ``path`` (a temporary file renamed into place)."""
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    counts: dict[str, Any] = {}
    try:
        with partial.open("w", encoding="utf-8", newline="\n") as fh:
            for line in _lines(store, now or datetime.now(UTC)):
                if "format" in line:
                    counts = line
                fh.write(json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n")
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return ExportSummary(path, counts["items"], counts["reviews"], counts["mocks"], counts["flags"])


# ------------------------------------------------------------------------------- in
@dataclass(frozen=True)
class ProgressFile:
    """A read, checked progress file."""

    header: Header
    states: dict[str, CardState]
    reviews: list[LoggedReview]
    mocks: list[tuple[int, dict[str, Any]]]
    flags: dict[str, int] = field(default_factory=dict)  # item id → 1..7


def _where(path: Path, line: int) -> str:
    return f"{path}:{line}"


def _describe(error: dict[str, Any]) -> str:
    parts = [str(p) for p in error.get("loc", ()) if not isinstance(p, int)]
    if parts and parts[0] in ("item", "review", "mock", "flag"):  # the union's tag, said already
        parts = parts[1:]
    loc = ".".join(parts)
    message = error.get("msg", "invalid value")
    if error.get("type") == "extra_forbidden":
        message = "unknown field"
    elif error.get("type") == "missing":
        message = "required field is missing"
    return f"{loc}: {message}" if loc else message


def read_progress(path: Path) -> ProgressFile:
    """Read and check the whole file; :class:`ProgressFileError` lists every bad line (up to
    20) with its number."""
    try:
        with path.open("rb") as fh:
            raw_lines = fh.read().split(b"\n")
    except OSError as exc:
        raise ProgressFileError([f"{path}: cannot read the file: {exc.strerror or exc}"]) from exc
    problems: list[str] = []
    header: Header | None = None
    states: dict[str, CardState] = {}
    reviews: list[LoggedReview] = []
    mocks: list[tuple[int, dict[str, Any]]] = []
    flags: dict[str, int] = {}
    for number, raw in enumerate(raw_lines, start=1):
        if len(problems) >= MAX_ERRORS:
            problems.append(f"{path}: … stopped after {MAX_ERRORS} problems")
            break
        if not raw.strip():
            continue
        try:
            data = json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError:
            problems.append(f"{_where(path, number)}: not UTF-8 text")
            continue
        except json.JSONDecodeError as exc:
            problems.append(f"{_where(path, number)}:{exc.colno}: not JSON: {exc.msg}")
            continue
        if header is None:
            header = _header(path, number, data, problems)
            if header is None:
                break
            continue
        if not isinstance(data, dict):
            problems.append(f"{_where(path, number)}: expected a JSON object")
            continue
        try:
            line = _BODY.validate_python(data)
        except ValidationError as exc:
            kind = data.get("type") if isinstance(data.get("type"), str) else "line"
            errors = sorted(exc.errors(), key=lambda e: e.get("type") != "extra_forbidden")
            for error in errors[:4]:  # unknown fields first: they explain the rest
                problems.append(f"{_where(path, number)}: {kind}: {_describe(dict(error))}")
            continue
        if isinstance(line, ItemLine):
            if line.item_id in states:
                problems.append(f"{_where(path, number)}: item {line.item_id!r} appears twice")
            states[line.item_id] = _state(line)
        elif isinstance(line, ReviewLine):
            reviews.append(_logged(line))
        elif isinstance(line, FlagLine):
            if line.item_id in flags:
                problems.append(f"{_where(path, number)}: flag of {line.item_id!r} appears twice")
            flags[line.item_id] = line.flag
        else:
            mocks.append((line.ts, line.result))
    if header is None and not problems:
        problems.append(
            f"{path}: the file is empty; export one with `quizapp progress export FILE`"
        )
    if problems:
        raise ProgressFileError(problems)
    assert header is not None
    return ProgressFile(header, states, reviews, mocks, flags)


def _header(path: Path, number: int, data: Any, problems: list[str]) -> Header | None:
    where = _where(path, number)
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        problems.append(
            f"{where}: not a quizapp progress file (its first line must be the header "
            f'{{"format": "{FORMAT}", …}}); make one with `quizapp progress export FILE`'
        )
        return None
    version = data.get("version")
    if isinstance(version, int) and version > VERSION:
        problems.append(
            f"{where}: written by a newer quizapp (progress format {version}; this version "
            f"reads up to {VERSION}). Upgrade quizapp to import it"
        )
        return None
    try:
        return Header.model_validate(data)
    except ValidationError as exc:
        problems.extend(f"{where}: header: {_describe(dict(e))}" for e in exc.errors()[:3])
        return None


def _state(line: ItemLine) -> CardState:
    def t(ms: int | None) -> datetime | None:
        return from_ms(ms) if ms is not None else None

    return CardState(
        item_id=line.item_id, kind=line.kind, state=line.state, step=line.step,
        stability=line.stability, difficulty=line.difficulty, due=t(line.due),
        last_review=t(line.last_review), first_review=t(line.first_review), reps=line.reps,
        lapses=line.lapses, suspended=line.suspended, leech=line.leech, deck=line.deck,
        topic=line.topic, subkind=line.subkind, answered=line.answered, n_correct=line.n_correct,
    )  # fmt: skip


def _logged(line: ReviewLine) -> LoggedReview:
    return LoggedReview(**line.model_dump(exclude={"type"}))


def import_progress(
    store: Store, data: ProgressFile, config: SchedulerConfig, *, backup: bool = True
) -> tuple[MergeReport, Path | None]:
    """Merge ``data`` into ``store`` after a backup of the progress file; returns what the
    merge did and the backup (None when nothing was to be added)."""
    from quizapp.srs import backup as backups

    saved = None
    if not pending(store, data.states, data.reviews, data.mocks, data.flags):
        return MergeReport(reviews_in_file=len({r.uid for r in data.reviews})), None
    if backup and store.review_count() + len(store.item_ids()) > 0:
        saved = backups.backup(store.path, reason="import")
    report = merge(store, config, data.states, data.reviews, data.mocks, data.flags)
    return report, saved
