"""Load deck files from content folders, reporting every problem with its location.

One bad file never hides the problems of the others, and never keeps the app from
starting: :func:`load_catalog` reads everything it can and returns the decks it could
build from the files without errors, a list of
:class:`~quizapp.decks.problems.ContentProblem` and, in :attr:`Catalog.notice`, one
line naming the files it left out (for the app's start and every command).

What each file gave is kept in the content index (:mod:`quizapp.decks.index`): a start
after no change parses nothing, a change re-parses only the changed files, and an item's
full model is built when something first shows it. ``load_paths(..., index=False)``
(what ``quizapp check`` does by default) reads and validates every file for real.

TOML is read with the compiled ``tomli`` wheel when it is installed (about 3x faster
than ``tomllib`` on a large library), else with ``tomllib``; the error messages and
their positions are the same. A parsed file is validated by the schema's plain check
(:func:`quizapp.decks.tables.file_tables`, no pydantic); the models are imported and
asked only about a file it refuses (they accept it, or say what is wrong, located), and
an item's model is built from its table when something first asks for it. Importing this
module imports no pydantic.
"""

from __future__ import annotations

import bisect
import difflib
import os
import re
import reprlib
import stat
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import repeat
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload

from quizapp import collector
from quizapp.decks.catalog import Catalog, CatalogItem, Deck, DeckItems
from quizapp.decks.columns import CatalogItems, EntryView, FileColumns
from quizapp.decks.problems import DUPLICATE_HINT, ContentError, ContentProblem
from quizapp.plain import Plain

if TYPE_CHECKING:
    from quizapp.decks.catalog import AnyItem
    from quizapp.decks.index import ContentIndex, FileState
    from quizapp.decks.locate import TomlIndex

__all__ = [
    "MAX_FILE_BYTES",
    "Catalog",
    "CatalogItem",
    "default_content_dirs",
    "discover",
    "load_catalog",
    "load_file",
    "load_paths",
]

_TABLES = ("flashcard", "trap", "drill")
# Patterns of a file being parsed or of its problems, compiled (and kept by re) when first
# used: a start on an unchanged index parses nothing (nor imports decks.locate, which
# finds the lines: ~10 M instructions of module and pattern building between them).
_TOML_POS = r"\(at line (\d+), column (\d+)\)"
_TOML_END = r"\s*\(at end of document\)"
_QUOTED_ARRAY = r"\[\[[ \t]*[\"']"
#: A deck file larger than this is not read (the shipped decks are ~100 KB each).
MAX_FILE_BYTES = 16 * 1024 * 1024
# pydantic's names for the members of a union in an error's location: not fields.
_UNION_PART = r"^(?:[a-z]+\[.*\]|str|int|float|bool)$"
_SHORT = reprlib.Repr()
_SHORT.maxstring = _SHORT.maxother = 60
_SHORT.maxlist = _SHORT.maxdict = 4


def _toml_parser() -> tuple[Callable[[str], dict[str, Any]], type[Exception]]:
    """(loads, its decode error): the compiled tomli wheel if installed, else tomllib."""
    try:
        import tomli

        return tomli.loads, tomli.TOMLDecodeError
    except ImportError:  # pragma: no cover - tomli is a dependency; tomllib is the fallback
        import tomllib

        return tomllib.loads, tomllib.TOMLDecodeError


class LoadedFile(Plain):
    """What one deck file gave: its deck fields, its items' index columns
    (id, kind, topic, tags, drill, line; in catalog order) and its problems.
    A file with an error (``ok`` False) is left out whole."""

    __slots__ = (
        "path", "problems", "deck", "title", "title_line", "description", "topic", "columns",
        "source", "title_at",
    )  # fmt: skip

    def __init__(
        self,
        path: str,
        problems: list[ContentProblem],
        deck: str | None = None,
        title: str | None = None,
        title_line: int | None = None,
        description: str | None = None,
        topic: str | None = None,
        columns: FileColumns | None = None,
        source: _FileItems | None = None,
        title_at: Callable[[], int | None] | None = None,
    ) -> None:
        self.path = path
        self.problems = problems
        self.deck = deck
        self.title = title
        self.title_line = title_line
        self.description = description
        self.topic = topic  # the file's default topic
        self.columns = columns if columns is not None else FileColumns([], [], [], [], [], [])
        self.source = source  # builds the items' models
        #: finds ``title_line`` when first asked for (:meth:`located_title`)
        self.title_at = title_at

    @property
    def ok(self) -> bool:
        return self.deck is not None and not any(p.severity == "error" for p in self.problems)

    def located_title(self) -> int | None:
        """The line of the file's ``title``, located now if not yet."""
        if self.title_at is not None:
            self.title_line, self.title_at = self.title_at(), None
        return self.title_line

    def to_record(self, *, located: bool = True) -> dict[str, Any]:
        """The record the content index keeps. ``located`` False leaves the item lines and
        the title line out (None) when they are not known yet: :meth:`from_record` then
        finds them in the file when first asked for (the forked reader of ``check``)."""
        from quizapp.decks.index import problem_to_row

        lines = self.columns.lines
        if not located and isinstance(lines, _ItemLines) and not lines.known:
            title_line, columns = None, [*self.columns[:-1], None]
        else:
            title_line, columns = self.located_title(), [*self.columns[:-1], list(lines)]
        return {
            "deck": self.deck,
            "title": self.title,
            "title_line": title_line,
            "description": self.description,
            "topic": self.topic,
            "columns": columns,
            "problems": [problem_to_row(p) for p in self.problems],
        }

    @classmethod
    def from_record(
        cls, path: str, record: dict[str, Any], index: ContentIndex | None
    ) -> LoadedFile:
        """What :meth:`to_record` kept; the items' models come from ``index`` (or, without
        one, from the file read again) when first asked for."""
        from quizapp.decks.index import problem_from_row

        loaded = cls(
            path,
            [problem_from_row(p) for p in record["problems"]],
            deck=record["deck"],
            title=record["title"],
            title_line=record["title_line"],
            description=record["description"],
            topic=record["topic"],
            columns=FileColumns(*record["columns"]),
        )
        loaded.source = _FileItems(path, loaded.topic, index=index, hash_=record.get("hash", ""))
        if loaded.columns.lines is None:  # left out (to_record(located=False)): from the file
            counts = {name: loaded.columns.kinds.count(name) for name in _TABLES}
            lines = _ItemLines(None, counts, titled=bool(loaded.title), path=path)
            loaded.columns = loaded.columns._replace(lines=lines)
            if loaded.title:
                loaded.title_at = lines.title_line
        return loaded


class _FileItems:
    """Builds the models of one file's items on demand: from the models validated in this
    process, or from the items' tables (validated one item at a time): as parsed in this
    process, after the schema's plain check (:func:`quizapp.decks.tables.file_tables`), or
    as the content index kept them. Should the index have lost them, the file is read again.

    What a card shows needs no model: :meth:`fields` gives a stored table's fields after
    a plain shape check (:mod:`quizapp.decks.tables`), and the table stays until a
    model is asked for."""

    def __init__(
        self,
        path: str,
        topic: str | None,
        *,
        models: dict[str, AnyItem] | None = None,
        bodies: list[dict[str, Any]] | None = None,
        index: ContentIndex | None = None,
        hash_: str = "",
    ) -> None:
        self.path = path
        self.topic = topic
        self._models = models
        self._index = index
        self._hash = hash_
        self._bodies = bodies  # the items' tables as parsed here, by id when first asked
        self._tables: dict[str, dict[str, Any]] | None = None

    def __call__(self, entry: CatalogItem) -> AnyItem:
        model = self._model(entry)
        if self.topic and not model.topic:
            model = model.model_copy(update={"topic": self.topic})
        return model

    def fields(self, entry: CatalogItem) -> dict[str, Any] | None:
        if self._models is not None and entry.id in self._models:
            return None  # validated in this process: the model is there
        table = self._stored().get(entry.id)
        if table is None:
            return None
        from quizapp.decks.tables import item_fields

        return item_fields(entry.kind, entry.id, table, self.topic)

    def _stored(self) -> dict[str, Any]:
        """The items' tables by id: as parsed here, or as the index kept them (read once;
        empty when it has none)."""
        if self._tables is None:
            bodies = self._bodies
            if bodies is None and self._index is not None:
                bodies = self._index.bodies(self.path, self._hash)
            if bodies is not None:
                self._tables = {
                    str(t.get("id")): t for t in bodies if isinstance(t, dict) and "id" in t
                }
                self._bodies = None
        return self._tables if self._tables is not None else {}

    def _model(self, entry: CatalogItem) -> AnyItem:
        if self._models is not None and entry.id in self._models:
            return self._models.pop(entry.id)  # the entry keeps it from now on
        # each table is validated once: the entry keeps its model, the table goes
        model = self._validated(entry)
        return model if model is not None else self._reread(entry)

    def _validated(self, entry: CatalogItem) -> AnyItem | None:
        """The model of the entry's table (which then goes), or None when there is none or
        the model refuses it (the index was tampered with)."""
        table = self._stored().pop(entry.id, None)
        if table is None:
            return None
        from pydantic import ValidationError

        from quizapp.decks.models import DrillItem, Flashcard, Trap

        kinds: dict[str, Any] = {"flashcard": Flashcard, "trap": Trap, "drill": DrillItem}
        if self.topic and not table.get("topic"):  # the file's topic, in one validation
            table = {**table, "topic": self.topic}
        try:
            return kinds[entry.kind].model_validate(table)  # type: ignore[no-any-return]
        except (KeyError, ValidationError):
            return None

    def _reread(self, entry: CatalogItem) -> AnyItem:
        loaded, _ = load_file(Path(self.path))
        source = loaded.source
        if loaded.ok and source is not None and source._index is None:
            # the file as it is now: the index's tables of it are stale
            self._models, self._index = source._models, None
            self._bodies, self._tables = source._bodies, source._tables
            if self._models is not None and entry.id in self._models:
                return self._models[entry.id]
            model = self._validated(entry)
            if model is not None:
                return model
        raise ContentError(
            [
                ContentProblem(
                    self.path,
                    f"item {entry.id!r} is no longer in this file as it was at start",
                    hint="the deck changed while quizapp was running; start it again",
                )
            ]
        )


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
    real: list[Path] = []  # each file's real path, in order: the same file once
    problems: list[ContentProblem] = []
    for root in paths_:
        if root.is_symlink() and not root.exists():
            problems.append(_dangling(root))
        elif not root.exists():
            problems.append(
                ContentProblem(str(root), "no such file or folder", hint="check the path")
            )
        elif root.is_dir():
            # The real path of a file found under a real folder through real folders (rglob
            # follows no folder link) is that path: only a file that is a link itself is
            # resolved (a resolve is a Python loop over every part: ~5 M instructions for
            # the shipped decks, before a review's first card).
            real_root, prefix = root.resolve(), len(root.parts)
            for candidate in sorted(root.rglob("*.toml")):
                try:
                    mode: int | None = candidate.stat().st_mode
                except OSError:
                    mode = None
                if mode is not None and stat.S_ISDIR(mode):
                    problems.append(
                        ContentProblem(
                            str(candidate),
                            "is a folder named like a deck file",
                            hint="rename it without the .toml ending, or move the decks out of it",
                        )
                    )
                elif mode is not None and stat.S_ISREG(mode):
                    link = candidate.is_symlink()
                    real.append(
                        candidate.resolve()
                        if link
                        else real_root.joinpath(*candidate.parts[prefix:])
                    )
                elif candidate.is_symlink():  # a loop or a broken link: say so, never skip
                    problems.append(_dangling(candidate))
        elif root.suffix != ".toml":
            problems.append(
                ContentProblem(str(root), "not a .toml deck file", hint="deck files end in .toml")
            )
        else:
            real.append(root.resolve())
    return list(dict.fromkeys(real)), problems


def _dangling(link: Path) -> ContentProblem:
    """A symbolic link that leads to no file: one that points to itself, or to nothing."""
    import errno

    try:
        link.stat()
        what = "is a symbolic link that leads to no deck file"
    except OSError as exc:
        what = (
            "is a symbolic link that points to itself (a loop)"
            if exc.errno == errno.ELOOP
            else f"is a symbolic link to {os.readlink(link)!r}, which does not exist"
        )
    return ContentProblem(str(link), what, hint="remove the link or point it at a deck file")


def load_catalog(
    extra: Iterable[Path] = (),
    *,
    shipped: bool = True,
    user: bool = True,
    index: bool = True,
    workers: int = 1,
) -> Catalog:
    """Load the shipped decks, the user's decks and ``extra`` files/folders."""
    dirs = default_content_dirs(extra, shipped=shipped, user=user)
    return load_paths(dirs, index=index, workers=workers)


def load_paths(paths_: Sequence[Path], *, index: bool = True, workers: int = 1) -> Catalog:
    """Load every deck file under ``paths_`` into one catalog.

    With ``index`` (the default) unchanged files come from the content index and changed
    ones are parsed and stored there; without, every file is read and validated, by two
    processes when ``workers`` is 2 and the library is large
    (:mod:`quizapp.decks.workers`)."""
    with collector.paused():  # what is loaded lives as long as the catalog
        try:
            return _load_paths(paths_, index, workers=workers)
        except (KeyError, TypeError, ValueError):
            if not index:
                raise
            # an index row that parses as JSON but is not what we wrote (edited by hand,
            # another tool): read every file again and write the rows anew
            return _load_paths(paths_, index, rebuild=True)


def _load_paths(
    paths_: Sequence[Path], index: bool, *, rebuild: bool = False, workers: int = 1
) -> Catalog:
    files, problems = discover(paths_)
    catalog = Catalog(problems=problems, files=[str(p) for p in files])
    cache: ContentIndex | None = None
    if index and files:
        from quizapp.decks.index import ContentIndex

        cache = ContentIndex.open()
    loaded: list[LoadedFile] = []
    results: Iterable[LoadedFile]
    if cache is None and workers > 1:
        from quizapp.decks.workers import load_files

        results = load_files(files, workers)
    else:
        results = (_load_one(path, cache, rebuild) for path in files)
    try:
        for path, result in zip(files, results, strict=True):
            catalog.problems.extend(result.problems)
            loaded.append(result)
            if not result.ok:
                catalog.skipped.append(str(path))
        if cache is not None:
            cache.flush()
    finally:
        if cache is not None:
            cache.close()
    _merge(loaded, catalog)
    catalog.problems = _in_file_order(catalog.problems, files)
    return catalog


def _in_file_order(problems: list[ContentProblem], files: list[Path]) -> list[ContentProblem]:
    """The problems file by file, each file's by line: those the merge found (repeated ids,
    differing titles) beside the file's own. Problems of paths that are no deck file (a
    missing folder, a broken link) come first, as discovered."""
    order = {str(path): number for number, path in enumerate(files)}
    return sorted(problems, key=lambda p: (order.get(p.path, -1), p.line or 0))


def _load_one(path: Path, cache: ContentIndex | None, rebuild: bool = False) -> LoadedFile:
    if cache is None:
        return load_file(path)[0]
    record, state = cache.lookup(path, rebuild=rebuild)
    if record is not None:
        return LoadedFile.from_record(str(path), record, cache)
    result, bodies = load_file(path, state.raw if state is not None else None)
    if state is not None and _unchanged_while_read(path, state):
        cache.store(state, result.to_record(), bodies)
    return result


def _unchanged_while_read(path: Path, state: FileState) -> bool:
    """Fill in ``state``'s hash; False when the file changed between the stat and the read
    (then what was read is not stored under that stat)."""
    from quizapp.decks.index import content_hash

    try:
        if state.raw is None:
            state.raw = path.read_bytes()
        st = path.stat()
    except OSError:
        return False
    if (st.st_size, st.st_mtime_ns) != (state.size, state.mtime_ns) or len(state.raw) != st.st_size:
        return False
    state.hash = content_hash(state.raw)
    return True


def load_file(path: Path, raw: bytes | None = None) -> tuple[LoadedFile, list[Any] | None]:
    """Parse and validate one deck file (``raw``: its bytes, when already read).

    Returns what it gave and the items' tables as parsed, in catalog order (None when
    the file has errors), for the content index."""
    where = str(path)
    try:
        size = path.stat().st_size if raw is None else len(raw)
        if size > MAX_FILE_BYTES:
            return _failed(
                where,
                ContentProblem(
                    where,
                    f"the file is {size / 2**20:.0f} MB; deck files over "
                    f"{MAX_FILE_BYTES // 2**20} MB are not read",
                    line=1,
                    hint="split it into several files with the same deck id",
                ),
            )
        if raw is None:
            raw = path.read_bytes()
    except OSError as exc:
        return _failed(where, ContentProblem(where, f"cannot read the file: {exc.strerror or exc}"))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return _failed(
            where,
            ContentProblem(
                where,
                f"byte 0x{raw[exc.start]:02x} is not valid UTF-8",
                line=line,
                column=column,
                hint="save the file as UTF-8",
            ),
        )
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        return _failed(
            where,
            ContentProblem(
                where, "the file is empty", line=1, hint='start with deck = "your-deck-id"'
            ),
        )
    return _parse(where, text, raw)


def _failed(where: str, *problems: ContentProblem) -> tuple[LoadedFile, None]:
    return LoadedFile(where, list(problems)), None


def _parse(where: str, text: str, raw: bytes) -> tuple[LoadedFile, list[Any] | None]:
    from quizapp.decks.controls import has_control_utf8
    from quizapp.decks.locate import TomlIndex
    from quizapp.decks.tables import file_tables
    from quizapp.decks.validate import check_file

    # Located lazily: the line-by-line pass runs only when a problem needs a line. Nesting
    # deeper than MAX_DEPTH is refused as before parsing, since every way such a file can
    # fail (the parser's recursion limit, a syntax error, a value the schema refuses: no
    # field takes values nested more than two levels) asks the index first.
    index = TomlIndex(text)
    loads, decode_error = _toml_parser()
    try:
        data = loads(text)
    except decode_error as exc:
        if index.too_deep is not None:
            return _failed(where, _too_deep(where, index))
        return _failed(where, _toml_error(where, index, str(exc)))
    except RecursionError:
        return _failed(where, _too_deep(where, index))
    # The schema's plain check (no pydantic) accepts a valid file in a fraction of what
    # the models' validation costs; a file it refuses goes to the models, which accept it
    # or say what is wrong, located.
    plain = file_tables(data)
    models: dict[str, AnyItem] | None = None
    columns: dict[str, dict[str, list[Any]]] | None = None
    if plain is not None:
        deck, tables, columns = plain
    else:
        validated = _validate(where, index, data, raw)
        if isinstance(validated, LoadedFile):
            return validated, None
        deck = {
            name: getattr(validated, name) for name in ("deck", "title", "description", "topic")
        }
        tables = {name: [vars(item) for item in getattr(validated, name)] for name in _TABLES}
        models = {item.id: item for item in validated.items}
    problems: list[ContentProblem] = []
    if not any(tables.values()):
        problems.append(
            ContentProblem(
                where,
                "the deck file has no items",
                line=1,
                hint="add at least one [[flashcard]], [[trap]] or [[drill]] table",
            )
        )
    try:
        problems += check_file(where, index, deck, tables, has_control_utf8(raw), columns)
    except RecursionError:  # a backstop: deep nesting is refused above
        problems.append(_too_deep(where, index))
    topic: str | None = deck["topic"]
    loaded = LoadedFile(
        where,
        problems,
        deck=deck["deck"],
        title=deck["title"],
        description=deck["description"],
        topic=topic,
    )
    # Located when first asked for (a repeated id, a title set twice, the content index):
    # a clean check never needs them, and they cost ~1 ms a file.
    counts = {name: len(tables[name]) for name in _TABLES}
    lines = _ItemLines(raw, counts, titled=bool(deck["title"]))
    if deck["title"]:
        loaded.title_at = lines.title_line
    loaded.columns = _columns(tables, columns, topic, lines)
    if not loaded.ok:  # left out; its ids are still checked against the other files'
        return loaded, None
    bodies = [table for name in _TABLES for table in data.get(name, ())]
    if models is None:  # each item's model is built from its table when first asked for
        loaded.source = _FileItems(where, topic, bodies=bodies)
    else:
        loaded.source = _FileItems(where, topic, models=models)
    return loaded, bodies


def _columns(
    tables: dict[str, list[dict[str, Any]]],
    checked: dict[str, dict[str, list[Any]]] | None,
    topic: str | None,
    lines: Sequence[int | None],
) -> FileColumns:
    """The index columns of a file's items (catalog order), from their fields (``checked``:
    each table's columns, :func:`quizapp.decks.tables.file_tables`, when at hand)."""

    def column(name: str, default: Any, names: tuple[str, ...] = _TABLES) -> list[Any]:
        out: list[Any] = []
        for table in names:
            rows = tables[table]
            if checked is None:
                out += map(dict.get, rows, repeat(name), repeat(default))
            else:
                out += checked[table].get(name) or [default] * len(rows)
        return out

    cards = len(tables["flashcard"]) + len(tables["trap"])
    return FileColumns(
        column("id", None),
        [name for name in _TABLES for _ in tables[name]],
        [t or topic or None for t in column("topic", None)],
        list(map(" ".join, column("tags", ()))),
        [None] * cards + column("drill", None, ("drill",)),
        lines,
    )


def _validate(where: str, index: TomlIndex, data: dict[str, Any], raw: bytes) -> Any:
    """The file's model (a ``DeckFile``), or, when the models refuse it, the failed file
    with their located errors, the control characters of its texts and its repeated ids
    (each where the fields can be read), so that its author sees every problem at once;
    its ids are kept to be checked against the other files' too."""
    from pydantic import ValidationError

    from quizapp.decks.controls import has_control_utf8
    from quizapp.decks.models import DeckFile
    from quizapp.decks.validate import ESCAPE, check_controls, check_refused

    try:
        return DeckFile.model_validate(data)
    except ValidationError as exc:
        if index.too_deep is not None:
            return _failed(where, _too_deep(where, index))[0]
        problems = [_locate_validation_error(where, index, e) for e in exc.errors()]
    except RecursionError:
        return _failed(where, _too_deep(where, index))[0]
    problems += _repeated_in_tables(where, index, data)
    tables = {
        name: [row if isinstance(row, dict) else {} for row in data[name]]
        for name in _TABLES
        if isinstance(data.get(name), list)
    }
    # what the schema does not look at (markup, drill kinds and parameters): found now too
    problems += check_refused(where, index, data, tables)
    if has_control_utf8(raw) or ESCAPE.search(index.text):
        problems += check_controls(where, index, data, tables)
    failed = LoadedFile(where, problems)
    counts = {name: len(tables.get(name, ())) for name in _TABLES}
    ids = [row.get("id") for name in _TABLES for row in tables.get(name, ())]
    failed.columns = FileColumns(
        [i if isinstance(i, str) else None for i in ids],  # type: ignore[misc]
        [name for name in _TABLES for _ in tables.get(name, ())],
        [None] * len(ids),
        [""] * len(ids),
        [None] * len(ids),
        _ItemLines(raw, counts, titled=False),
    )
    return failed


def _repeated_in_tables(where: str, index: TomlIndex, data: dict[str, Any]) -> list[ContentProblem]:
    """The ids a file that the models refuse repeats within itself, read from its tables as
    parsed (the string ids), so that its author sees them with its other problems."""
    from quizapp.decks.validate import check_ids

    ids = [
        (name, number, table["id"])
        for name in _TABLES
        if isinstance(data.get(name), list)
        for number, table in enumerate(data[name])
        if isinstance(table, dict) and isinstance(table.get("id"), str)
    ]
    if len({item_id for *_, item_id in ids}) == len(ids):
        return []
    return list(check_ids(where, index, ids))


class _ItemLines(Sequence[int | None]):
    """The line of each item's ``[[table]]`` header, in catalog order (:func:`_item_lines`),
    worked out on first use from the file's bytes as read (kept until then: half the
    memory of the decoded text), or from ``path`` read again when they are not at hand (a
    file the forked reader of ``check`` read); the bytes are let go once the lines and the
    title's line are known."""

    __slots__ = ("_counts", "_found", "_path", "_raw", "_source_", "_title")

    def __init__(
        self,
        raw: bytes | None,
        counts: dict[str, int],
        *,
        titled: bool,
        path: str | None = None,
    ) -> None:
        self._raw, self._path = raw, path
        self._source_: tuple[str, TomlIndex] | None = None
        self._counts = counts
        self._found: list[int | None] | None = None
        self._title: tuple[int | None] | None = None if titled else (None,)

    @property
    def known(self) -> bool:
        return self._found is not None

    def _source(self) -> tuple[str, TomlIndex] | None:
        if self._source_ is None:
            try:
                raw = self._raw if self._raw is not None else Path(str(self._path)).read_bytes()
                text = raw.decode("utf-8").removeprefix("\ufeff")
            except (OSError, UnicodeDecodeError):
                return None
            from quizapp.decks.locate import TomlIndex

            self._source_ = (text, TomlIndex(text))
        return self._source_

    def _let_go(self) -> None:
        if self._found is not None and self._title is not None:
            self._raw = self._source_ = self._path = None

    def _lines(self) -> list[int | None]:
        if self._found is None:
            source = self._source()
            n = len(self)
            self._found = [None] * n if source is None else _item_lines(*source, self._counts)
            self._let_go()
        return self._found

    def title_line(self) -> int | None:
        """The line of the file's top-level ``title``."""
        if self._title is None:
            lines = self._lines()
            source = self._source()
            self._title = (None if source is None else _title_line(*source, lines),)
            self._let_go()
        return self._title[0]

    def __len__(self) -> int:
        return sum(self._counts.values())

    @overload
    def __getitem__(self, index: int) -> int | None: ...
    @overload
    def __getitem__(self, index: slice) -> list[int | None]: ...
    def __getitem__(self, index: int | slice) -> int | None | list[int | None]:
        return self._lines()[index]

    def __iter__(self) -> Iterator[int | None]:
        return iter(self._lines())

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence):
            return NotImplemented
        return self._lines() == list(other)

    __hash__ = None  # type: ignore[assignment]


def _item_lines(text: str, index: TomlIndex, counts: dict[str, int]) -> list[int | None]:
    """The line of each item's ``[[table]]`` header, in catalog order (``counts``: the
    parser's items per table): from one regular-expression search when its counts agree
    with the parser's, else from the index's line-by-line pass (which knows strings and
    quoted names)."""
    # The search misses only quoted names ([["trap"]]) and may take a header-like line
    # inside a multi-line string: with no quoted name, equal counts mean no such line.
    from quizapp.decks.locate import array_header_lines

    fast = {} if re.search(_QUOTED_ARRAY, text) else array_header_lines(text)
    if fast and all(len(fast.get(name, ())) == n for name, n in counts.items()):
        return [line for name in _TABLES for line in fast.get(name, ())]
    return [index.item_span(name, number)[0] for name in _TABLES for number in range(counts[name])]


def _title_line(text: str, index: TomlIndex, lines: Sequence[int | None]) -> int | None:
    """The line of the top-level ``title``: read from the part before the first item."""
    first = min(filter(None, lines), default=None)  # lines count from 1: None alone is false
    if first is None:
        return index.key_line("title")
    head = "\n".join(text.split("\n", first)[: first - 1])
    from quizapp.decks.locate import TomlIndex

    return TomlIndex(head).key_line("title")


def _toml_error(where: str, index: TomlIndex, message: str) -> ContentProblem:
    match = re.search(_TOML_POS, message)
    if match:
        line, column = int(match.group(1)), int(match.group(2))
    elif re.search(_TOML_END, message):  # the last line, where the reader ran out
        line, column = max(index.line_count, 1), None
    else:
        line, column = None, None
    message = re.sub(_TOML_END, "", re.sub(_TOML_POS, "", message)).strip()
    if column is None and line is not None and match is None:
        message += " (at the end of the file)"
    return ContentProblem(where, f"TOML syntax error: {message}", line=line, column=column)


def _too_deep(where: str, index: TomlIndex) -> ContentProblem:
    from quizapp.decks.locate import MAX_DEPTH

    line, depth = index.too_deep or (1, MAX_DEPTH + 1)
    return ContentProblem(
        where,
        f"values are nested {depth} levels deep here; at most {MAX_DEPTH} are read",
        line=line,
        hint="a deck needs two or three levels at most ([[drill]] params = { lr = [a, b] })",
    )


def _locate_validation_error(where: str, index: TomlIndex, err: Any) -> ContentProblem:
    union_part = re.compile(_UNION_PART)
    loc = tuple(p for p in err.get("loc", ()) if not (isinstance(p, str) and union_part.match(p)))
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
        message = str(err.get("msg", "invalid value")).removeprefix("Value error, ")
        if got is not None and not isinstance(got, dict):
            message += f"; found {_SHORT.repr(got)}"
    if line is None:
        line = 1  # nothing better than the top of the file
    return ContentProblem(where, message, line=line, field=field_path, hint=hint)


def _allowed_fields(loc: tuple[Any, ...]) -> list[str]:
    from quizapp.decks.models import DeckFile, DrillItem, Flashcard, Trap

    models = {"flashcard": Flashcard, "trap": Trap, "drill": DrillItem}
    model = models.get(loc[0]) if len(loc) >= 3 else DeckFile
    if model is None:
        return []
    return [name for name in model.model_fields if name != "kind"]


def _merge(loaded: list[LoadedFile], catalog: Catalog) -> None:
    """Build the decks from the files (all of them, in file order; those with errors are
    already left out); a file that repeats an id is left out whole. A left-out file's ids
    are checked too, so that its author sees every problem in one pass."""
    items = CatalogItems()
    catalog.items = items
    accepted: dict[str, list[tuple[LoadedFile, range]]] = {}
    id_lines = _IdLines()
    for lf in loaded:
        if not lf.ok:
            taken = [(row, items[i]) for row, i in enumerate(lf.columns.ids) if i in items]
            catalog.problems.extend(_repeated_ids(lf, taken, id_lines))
            continue
        assert lf.deck is not None and lf.source is not None
        added = items.add_file(lf.deck, lf.path, lf.source, lf.columns)
        if isinstance(added, range):
            accepted.setdefault(lf.deck, []).append((lf, added))
            continue
        catalog.problems.extend(_repeated_ids(lf, added, id_lines))
        catalog.skipped.append(lf.path)
    topics = items.columns.topics
    for deck_id, parts in accepted.items():
        files = [lf for lf, _ in parts]
        title, description = _deck_meta(deck_id, files, catalog)
        positions: Sequence[int] = (
            parts[0][1] if len(parts) == 1 else [p for _, added in parts for p in added]
        )
        seen: dict[str, None] = {}
        for _, added in parts:
            seen.update(dict.fromkeys(topics[added.start : added.stop]))
        catalog.decks[deck_id] = Deck(
            id=deck_id,
            title=title,
            description=description,
            items=DeckItems(EntryView(items, positions)),
            files=tuple(lf.path for lf in files),
            topics=list(seen),
        )


def _repeated_ids(
    lf: LoadedFile, repeats: list[tuple[int, CatalogItem]], id_lines: _IdLines
) -> Iterator[ContentProblem]:
    """A located problem for each id of ``lf`` that an earlier file (or ``lf`` itself)
    defined first: at the repeat's ``id = `` line, naming the first one's."""
    kinds = lf.columns.kinds
    for row, first in repeats:
        kind = kinds[row]
        number = kinds[:row].count(kind) + 1  # catalog order: each table's items together
        yield ContentProblem(
            lf.path,
            f"duplicate id {first.id!r}; first defined at "
            f"{first.path}:{id_lines(first.path, first.line)}",
            line=id_lines(lf.path, lf.columns.lines[row]),
            field=f"{kind}[{number}].id",
            hint=DUPLICATE_HINT,
        )


class _IdLines:
    """The line of an item's ``id = `` statement from its header's line: the file is read
    again (once) only when one of its ids is repeated, which a library rarely has."""

    def __init__(self) -> None:
        self._files: dict[str, TomlIndex | None] = {}

    def __call__(self, path: str, header: int | None) -> int | None:
        if header is None:
            return None
        if path not in self._files:
            from quizapp.decks.locate import TomlIndex

            try:
                self._files[path] = TomlIndex(Path(path).read_bytes().decode("utf-8-sig"))
            except (OSError, UnicodeDecodeError):
                self._files[path] = None  # changed since it was read: the header will do
        index = self._files[path]
        if index is None:
            return header
        headers = index.headers
        i = bisect.bisect_right(headers, header)
        end = headers[i] if i < len(headers) else None
        return index.key_line("id", header, end) or header


def _deck_meta(deck_id: str, parts: list[LoadedFile], catalog: Catalog) -> tuple[str, str | None]:
    title: tuple[str, str] | None = None
    description: str | None = None
    for lf in parts:
        if lf.title:
            if title is not None and title[0] != lf.title:
                catalog.problems.append(
                    ContentProblem(
                        lf.path,
                        f"deck {deck_id!r} is titled {lf.title!r} here but {title[0]!r} "
                        f"in {title[1]}; the first title is used",
                        line=lf.located_title(),
                        field="title",
                        hint="set the title in one file of the deck",
                        severity="warning",
                    )
                )
            else:
                title = (lf.title, lf.path)
        description = description or lf.description
    return (title[0] if title else deck_id.replace("-", " ").title()), description
