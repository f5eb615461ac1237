"""Load deck files from content folders, reporting every problem with its location.

One bad file never hides the problems of the others: :func:`load_catalog` reads
everything it can and returns the decks it could build together with a list of
:class:`~quizapp.decks.problems.ContentProblem`.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from quizapp.decks.locate import item_span, key_line
from quizapp.decks.models import Deck, DeckFile, DrillItem, Flashcard, Trap
from quizapp.decks.problems import ContentError, ContentProblem
from quizapp.decks.validate import check_items

AnyItem = Flashcard | Trap | DrillItem
_TABLES = ("flashcard", "trap", "drill")
_TOML_POS = re.compile(r"\(at line (\d+), column (\d+)\)")


@dataclass(frozen=True)
class CatalogItem:
    """An item with where it came from."""

    item: AnyItem
    deck: str
    path: str
    line: int | None

    @property
    def id(self) -> str:
        return self.item.id

    @property
    def kind(self) -> str:
        return self.item.kind

    @property
    def topic(self) -> str:
        return self.item.topic or "general"


@dataclass
class Catalog:
    """Every deck and item found, and every problem met on the way."""

    decks: dict[str, Deck] = field(default_factory=dict)
    items: dict[str, CatalogItem] = field(default_factory=dict)
    problems: list[ContentProblem] = field(default_factory=list)
    files: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[ContentProblem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def raise_for_errors(self) -> None:
        if self.errors:
            raise ContentError(self.errors)


@dataclass
class _LoadedFile:
    path: str
    text: str
    model: DeckFile
    item_lines: list[int | None]  # the line of each item, in the order of ``model.items``


def default_content_dirs(
    extra: Iterable[Path] = (), *, shipped: bool = True, user: bool = True
) -> list[Path]:
    """The shipped decks, the user's decks (if the folder exists) and any extra paths."""
    from quizapp import paths

    dirs: list[Path] = []
    if shipped:
        dirs.append(paths.shipped_content_dir())
    if user and paths.user_content_dir().is_dir():
        dirs.append(paths.user_content_dir())
    dirs.extend(Path(p) for p in extra)
    return dirs


def discover(paths_: Sequence[Path]) -> tuple[list[Path], list[ContentProblem]]:
    """Every ``*.toml`` file under the given files and folders, sorted, without repeats."""
    found: list[Path] = []
    problems: list[ContentProblem] = []
    for root in paths_:
        if not root.exists():
            problems.append(
                ContentProblem(str(root), "no such file or folder", hint="check the path")
            )
        elif root.is_dir():
            for candidate in sorted(root.rglob("*.toml")):
                if candidate.is_dir():
                    problems.append(
                        ContentProblem(
                            str(candidate),
                            "is a folder named like a deck file",
                            hint="rename it without the .toml ending, or move the decks out of it",
                        )
                    )
                elif candidate.is_file():
                    found.append(candidate)
        elif root.suffix != ".toml":
            problems.append(
                ContentProblem(str(root), "not a .toml deck file", hint="deck files end in .toml")
            )
        else:
            found.append(root)
    unique: dict[Path, None] = {}
    for path in found:
        unique.setdefault(path.resolve(), None)
    return list(unique), problems


def load_catalog(extra: Iterable[Path] = (), *, shipped: bool = True, user: bool = True) -> Catalog:
    """Load the shipped decks, the user's decks and ``extra`` files/folders."""
    return load_paths(default_content_dirs(extra, shipped=shipped, user=user))


def load_paths(paths_: Sequence[Path]) -> Catalog:
    """Load every deck file under ``paths_`` into one catalog."""
    files, problems = discover(paths_)
    catalog = Catalog(problems=problems, files=[str(p) for p in files])
    loaded: list[_LoadedFile] = []
    for path in files:
        result, file_problems = load_file(path)
        catalog.problems.extend(file_problems)
        if result is not None:
            loaded.append(result)
    _merge(loaded, catalog)
    return catalog


def load_file(path: Path) -> tuple[_LoadedFile | None, list[ContentProblem]]:
    """Parse and validate one deck file."""
    where = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [ContentProblem(where, f"cannot read the file: {exc.strerror or exc}")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [
            ContentProblem(
                where,
                f"byte 0x{raw[exc.start]:02x} is not valid UTF-8",
                line=line,
                column=column,
                hint="save the file as UTF-8",
            )
        ]
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        return None, [
            ContentProblem(where, "the file is empty", hint='start with deck = "your-deck-id"')
        ]
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = _TOML_POS.search(message)
        line = int(match.group(1)) if match else None
        column = int(match.group(2)) if match else None
        message = _TOML_POS.sub("", message).strip()
        return None, [
            ContentProblem(where, f"TOML syntax error: {message}", line=line, column=column)
        ]
    try:
        model = DeckFile.model_validate(data)
    except ValidationError as exc:
        return None, [_locate_validation_error(where, text, err) for err in exc.errors()]
    problems: list[ContentProblem] = []
    if not model.items:
        problems.append(
            ContentProblem(
                where,
                "the deck file has no items",
                line=1,
                hint="add at least one [[flashcard]], [[trap]] or [[drill]] table",
            )
        )
    item_lines = [
        item_span(text, table, index)[0]
        for table in _TABLES
        for index in range(len(getattr(model, table)))
    ]
    # Resolve each item's topic from the file default.
    if model.topic:
        model = model.model_copy(
            update={
                table: tuple(
                    it if it.topic else it.model_copy(update={"topic": model.topic})
                    for it in getattr(model, table)
                )
                for table in _TABLES
            }
        )
    return _LoadedFile(where, text, model, item_lines), problems


def _locate_validation_error(where: str, text: str, err: Any) -> ContentProblem:
    loc = tuple(err.get("loc", ()))
    line: int | None = None
    field_path = ".".join(str(part) for part in loc) or None
    start, end = None, None
    rest: tuple[Any, ...] = loc
    if loc and loc[0] in _TABLES and len(loc) >= 2 and isinstance(loc[1], int):
        table, index = loc[0], loc[1]
        start, end = item_span(text, table, index)
        field_path = f"{table}[{index + 1}]" + "".join(f".{p}" for p in loc[2:])
        rest = loc[2:]
        line = start
    if rest and isinstance(rest[0], str):
        found = key_line(text, rest[0], start or 1, end)
        line = found or line
    if line is None:
        line = key_line(text, str(loc[0])) if loc else None
    kind = err.get("type", "")
    got = err.get("input")
    hint = None
    if kind == "extra_forbidden":
        name = str(loc[-1]) if loc else "?"
        allowed = _allowed_fields(loc)
        close = difflib.get_close_matches(name, allowed, n=1)
        message = f"unknown field {name!r}"
        hint = f"did you mean {close[0]!r}?" if close else f"allowed fields: {', '.join(allowed)}"
    elif kind == "missing":
        message = "required field is missing"
        hint = f"add {loc[-1]} = ..." if loc else None
    else:
        message = err.get("msg", "invalid value")
        if got is not None and not isinstance(got, dict):
            shown = repr(got)
            message += f"; found {shown if len(shown) < 80 else shown[:77] + '...'}"
    return ContentProblem(where, message, line=line, field=field_path, hint=hint)


def _allowed_fields(loc: tuple[Any, ...]) -> list[str]:
    models = {"flashcard": Flashcard, "trap": Trap, "drill": DrillItem}
    model = models.get(loc[0]) if len(loc) >= 3 else DeckFile
    if model is None:
        return []
    return [name for name in model.model_fields if name != "kind"]


def _merge(loaded: list[_LoadedFile], catalog: Catalog) -> None:
    by_deck: dict[str, list[_LoadedFile]] = {}
    for lf in loaded:
        by_deck.setdefault(lf.model.deck, []).append(lf)
    for deck_id, parts in by_deck.items():
        title, description = _deck_meta(deck_id, parts, catalog)
        items: list[AnyItem] = []
        for lf in parts:
            for item, line in zip(lf.model.items, lf.item_lines, strict=True):
                previous = catalog.items.get(item.id)
                if previous is not None:
                    catalog.problems.append(
                        ContentProblem(
                            lf.path,
                            f"duplicate id {item.id!r}; first defined at {previous.path}:{previous.line}",
                            line=line,
                            field="id",
                            hint="give every item its own id; progress is keyed by it",
                        )
                    )
                    continue
                catalog.items[item.id] = CatalogItem(item, deck_id, lf.path, line)
                items.append(item)
            catalog.problems.extend(check_items(lf.path, lf.text, lf.model))
        catalog.decks[deck_id] = Deck(
            id=deck_id,
            title=title,
            description=description,
            items=tuple(items),
            files=tuple(lf.path for lf in parts),
        )


def _deck_meta(deck_id: str, parts: list[_LoadedFile], catalog: Catalog) -> tuple[str, str | None]:
    title: tuple[str, str] | None = None
    description: str | None = None
    for lf in parts:
        if lf.model.title:
            if title is not None and title[0] != lf.model.title:
                catalog.problems.append(
                    ContentProblem(
                        lf.path,
                        f"deck {deck_id!r} is titled {lf.model.title!r} here but {title[0]!r} in {title[1]}",
                        line=key_line(lf.text, "title"),
                        field="title",
                        hint="set the title in one file of the deck",
                    )
                )
            else:
                title = (lf.model.title, lf.path)
        description = description or lf.model.description
    return (title[0] if title else deck_id.replace("-", " ").title()), description
