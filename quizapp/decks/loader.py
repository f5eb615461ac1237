"""Load deck files from content folders, reporting every problem with its location.

One bad file never hides the problems of the others, and never keeps the app from
starting: :func:`load_catalog` reads everything it can and returns the decks it could
build from the files without errors, a list of
:class:`~quizapp.decks.problems.ContentProblem` and, in :attr:`Catalog.notice`, one
line naming the files it left out (for the app's start and every command).
"""

from __future__ import annotations

import difflib
import re
import reprlib
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from quizapp.decks.locate import MAX_DEPTH, TomlIndex
from quizapp.decks.models import Deck, DeckFile, DrillItem, Flashcard, Trap
from quizapp.decks.problems import ContentError, ContentProblem
from quizapp.decks.validate import check_file

AnyItem = Flashcard | Trap | DrillItem
_TABLES = ("flashcard", "trap", "drill")
_TOML_POS = re.compile(r"\(at line (\d+), column (\d+)\)")
_TOML_END = re.compile(r"\s*\(at end of document\)")
#: A deck file larger than this is not read (the shipped decks are ~100 KB each).
MAX_FILE_BYTES = 16 * 1024 * 1024
# pydantic's names for the members of a union in an error's location: not fields.
_UNION_PART = re.compile(r"^(?:[a-z]+\[.*\]|str|int|float|bool)$")
_SHORT = reprlib.Repr()
_SHORT.maxstring = _SHORT.maxother = 60
_SHORT.maxlist = _SHORT.maxdict = 4


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
    #: files with errors, left out whole (their good items too), in load order
    skipped: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[ContentProblem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[ContentProblem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def notice(self) -> str | None:
        """One line for the app's start and every command when decks had errors:
        which files were left out and where to see why; None when all is well."""
        errors = self.errors
        if not errors:
            return None
        bad = list(dict.fromkeys(p.path for p in errors))
        count = f"{len(errors)} error{'s' if len(errors) != 1 else ''}"
        if len(bad) == 1:
            what = f"{bad[0]} has {count}"
            left = " and was left out" if bad[0] in self.skipped else ""
        else:
            shown = ", ".join(bad[:2]) + (f" and {len(bad) - 2} more" if len(bad) > 2 else "")
            what = f"{len(bad)} deck files have {count} ({shown})"
            left = "; those files were left out" if set(bad) <= set(self.skipped) else ""
        return f"{what}{left}; `quizapp check` shows where and how to fix them"

    @property
    def ok(self) -> bool:
        return not self.errors

    def raise_for_errors(self) -> None:
        if self.errors:
            raise ContentError(self.errors)


@dataclass
class _LoadedFile:
    path: str
    index: TomlIndex
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
        if result is not None:
            try:
                file_problems += check_file(result.path, result.index, result.model)
            except RecursionError:  # a backstop: load_file refuses deep nesting first
                file_problems.append(_too_deep(result.path, result.index))
        catalog.problems.extend(file_problems)
        if any(p.severity == "error" for p in file_problems):
            catalog.skipped.append(str(path))
        elif result is not None:
            loaded.append(result)
    _merge(loaded, catalog)
    return catalog


def load_file(path: Path) -> tuple[_LoadedFile | None, list[ContentProblem]]:
    """Parse and validate one deck file."""
    where = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return None, [
                ContentProblem(
                    where,
                    f"the file is {size / 2**20:.0f} MB; deck files over "
                    f"{MAX_FILE_BYTES // 2**20} MB are not read",
                    line=1,
                    hint="split it into several files with the same deck id",
                )
            ]
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
            ContentProblem(
                where, "the file is empty", line=1, hint='start with deck = "your-deck-id"'
            )
        ]
    index = TomlIndex(text)
    if index.too_deep is not None:
        return None, [_too_deep(where, index)]
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return None, [_toml_error(where, index, str(exc))]
    except RecursionError:
        return None, [_too_deep(where, index)]
    try:
        model = DeckFile.model_validate(data)
    except ValidationError as exc:
        return None, [_locate_validation_error(where, index, err) for err in exc.errors()]
    except RecursionError:
        return None, [_too_deep(where, index)]
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
        index.item_span(table, number)[0]
        for table in _TABLES
        for number in range(len(getattr(model, table)))
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
    return _LoadedFile(where, index, model, item_lines), problems


def _toml_error(where: str, index: TomlIndex, message: str) -> ContentProblem:
    match = _TOML_POS.search(message)
    if match:
        line, column = int(match.group(1)), int(match.group(2))
    elif _TOML_END.search(message):  # the last line, where the reader ran out
        line, column = max(index.line_count, 1), None
    else:
        line, column = None, None
    message = _TOML_END.sub("", _TOML_POS.sub("", message)).strip()
    if column is None and line is not None and match is None:
        message += " (at the end of the file)"
    return ContentProblem(where, f"TOML syntax error: {message}", line=line, column=column)


def _too_deep(where: str, index: TomlIndex) -> ContentProblem:
    line, depth = index.too_deep or (1, MAX_DEPTH + 1)
    return ContentProblem(
        where,
        f"values are nested {depth} levels deep here; at most {MAX_DEPTH} are read",
        line=line,
        hint="a deck needs two or three levels at most ([[drill]] params = { lr = [a, b] })",
    )


def _locate_validation_error(where: str, index: TomlIndex, err: Any) -> ContentProblem:
    loc = tuple(p for p in err.get("loc", ()) if not (isinstance(p, str) and _UNION_PART.match(p)))
    line: int | None = None
    field_path = ".".join(str(part) for part in loc) or None
    start, end = None, None
    rest: tuple[Any, ...] = loc
    if loc and loc[0] in _TABLES and len(loc) >= 2 and isinstance(loc[1], int):
        table, number = loc[0], loc[1]
        start, end = index.item_span(table, number)
        field_path = f"{table}[{number + 1}]" + "".join(f".{p}" for p in loc[2:])
        rest = loc[2:]
        line = start
    if rest and isinstance(rest[0], str):
        found = index.key_line(rest[0], start or 1, end)
        if found is None and start is None:  # an unknown [table] or [[table]]
            found = index.table_line(rest[0])
        line = found or line
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
        if loc:
            hint = f"add {loc[-1]} = ..."
            if len(loc) == 1:  # a top-level key such as `deck`: it belongs at the top
                hint += " at the top of the file"
    else:
        message = err.get("msg", "invalid value")
        if got is not None and not isinstance(got, dict):
            message += f"; found {_SHORT.repr(got)}"
    if line is None:
        line = 1  # nothing better than the top of the file
    return ContentProblem(where, message, line=line, field=field_path, hint=hint)


def _allowed_fields(loc: tuple[Any, ...]) -> list[str]:
    models = {"flashcard": Flashcard, "trap": Trap, "drill": DrillItem}
    model = models.get(loc[0]) if len(loc) >= 3 else DeckFile
    if model is None:
        return []
    return [name for name in model.model_fields if name != "kind"]


def _merge(loaded: list[_LoadedFile], catalog: Catalog) -> None:
    """Build the decks from the files; a file that repeats an id is left out whole."""
    accepted: list[_LoadedFile] = []
    for lf in loaded:
        ids: dict[str, int | None] = {}
        duplicates: list[ContentProblem] = []
        for item, line in zip(lf.model.items, lf.item_lines, strict=True):
            previous = catalog.items.get(item.id)
            if previous is not None or item.id in ids:
                first = (
                    f"{previous.path}:{previous.line}" if previous else f"{lf.path}:{ids[item.id]}"
                )
                duplicates.append(
                    ContentProblem(
                        lf.path,
                        f"duplicate id {item.id!r}; first defined at {first}",
                        line=line,
                        field="id",
                        hint="give every item its own id; progress is keyed by it",
                    )
                )
            ids.setdefault(item.id, line)
        if duplicates:
            catalog.problems.extend(duplicates)
            catalog.skipped.append(lf.path)
            continue
        for item, line in zip(lf.model.items, lf.item_lines, strict=True):
            catalog.items[item.id] = CatalogItem(item, lf.model.deck, lf.path, line)
        accepted.append(lf)
    by_deck: dict[str, list[_LoadedFile]] = {}
    for lf in accepted:
        by_deck.setdefault(lf.model.deck, []).append(lf)
    for deck_id, parts in by_deck.items():
        title, description = _deck_meta(deck_id, parts, catalog)
        catalog.decks[deck_id] = Deck(
            id=deck_id,
            title=title,
            description=description,
            items=tuple(item for lf in parts for item in lf.model.items),
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
                        f"deck {deck_id!r} is titled {lf.model.title!r} here but {title[0]!r} "
                        f"in {title[1]}; the first title is used",
                        line=lf.index.key_line("title"),
                        field="title",
                        hint="set the title in one file of the deck",
                        severity="warning",
                    )
                )
            else:
                title = (lf.model.title, lf.path)
        description = description or lf.model.description
    return (title[0] if title else deck_id.replace("-", " ").title()), description
